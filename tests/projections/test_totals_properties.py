"""Invariants of totals on random valid logs (with joint actions, materiel of several items,
displacement of people and families, approximate and unknown counts):

- a row never adds unlike things: every action it sums counts the row's item;
- grouping by actor (joint groups included) partitions the counted actions: the rows of
  ``--by actor`` add up to the rows without it, so a joint action is never counted twice;
- the same for every other grouping, and for all of them at once;
- a row's ``approximate`` and ``unknown`` are the numbers of its actions with those counts;
- materiel's items summed ``together`` are the per-item rows added up, one row per metric and
  side with no item; every other row (displaced people and families included) as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.domain.actions import CountedAction, Metric
from incidents.domain.values import Estimate
from incidents.formats.report_file import ReportContent
from incidents.projections.clocks import Viewpoint
from incidents.projections.totals import GROUPINGS, TotalRow, split_counted, totals
from tests.builders import entries_of
from tests.strategies import report_sets, viewpoint_days

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MATERIEL = (Metric.SEIZED, Metric.DESTROYED)

Key = tuple[Metric, str, str | None]


Figures = tuple[Estimate, int, int, int]  # estimate, events, approximate, unknown


def _ungrouped(rows: Sequence[TotalRow]) -> dict[Key, Figures]:
    """Rows summed over their groupings, by metric, side and item."""
    summed: dict[Key, Figures] = {}
    for row in rows:
        key = (row.metric, row.side, row.item)
        estimate, events, approximate, unknown = summed.get(key, (Estimate.zero(), 0, 0, 0))
        summed[key] = (
            estimate + row.estimate,
            events + row.events,
            approximate + row.approximate,
            unknown + row.unknown,
        )
    return summed


def _plain(rows: Sequence[TotalRow]) -> dict[Key, Figures]:
    return {
        (row.metric, row.side, row.item): (row.estimate, row.events, row.approximate, row.unknown)
        for row in rows
    }


@FAST
@given(reports=report_sets(), as_of=viewpoint_days)
def test_a_row_never_adds_unlike_things(reports: list[ReportContent], as_of: date | None) -> None:
    entries = entries_of(reports)
    viewpoint = Viewpoint(as_of=as_of)
    counted, _uncertain = split_counted(entries, viewpoint)
    members: dict[Key, list[CountedAction]] = defaultdict(list)
    for _entry, action in counted:
        members[(action.metric, action.side.canonical, action.what)].append(action)
    for row in totals(entries, viewpoint).rows:
        summed = members[(row.metric, row.side, row.item)]
        assert summed, row
        assert {action.what for action in summed} == {row.item}
        assert (row.item is not None) == (row.metric in (*MATERIEL, Metric.DISPLACED))
        assert row.events == len(summed)
        assert row.approximate == sum(1 for action in summed if action.count.approximate)
        assert row.unknown == sum(1 for action in summed if action.count.unknown is not None)


@FAST
@given(reports=report_sets(), as_of=viewpoint_days, data=st.data())
def test_groupings_partition_the_counted_actions_joint_ones_once(
    reports: list[ReportContent], as_of: date | None, data: st.DataObject
) -> None:
    entries = entries_of(reports)
    viewpoint = Viewpoint(as_of=as_of)
    by = data.draw(st.just(["actor"]) | st.lists(st.sampled_from(sorted(GROUPINGS)), min_size=1, unique=True))
    plain = _plain(totals(entries, viewpoint).rows)
    assert _ungrouped(totals(entries, viewpoint, by).rows) == plain


@FAST
@given(reports=report_sets(), as_of=viewpoint_days)
def test_a_joint_action_is_under_its_joint_group_only(
    reports: list[ReportContent], as_of: date | None
) -> None:
    entries = entries_of(reports)
    viewpoint = Viewpoint(as_of=as_of)
    counted, _uncertain = split_counted(entries, viewpoint)
    joint = [action for _entry, action in counted if len({a.canonical for a in action.actors}) > 1]
    rows = totals(entries, viewpoint, ["actor"]).rows
    for action in joint:
        names = sorted({a.canonical for a in ((action.actor,) if action.actor else ()) + action.actors})
        group = " + ".join(names)
        assert any(dict(row.groups)["actor"] == group for row in rows if row.metric is action.metric)
        # no row of one of its actors alone counts it: its events are all under the group
        for name in names:
            alone = [
                row for row in rows if dict(row.groups)["actor"] == name and row.side == action.side.canonical
            ]
            singles = [
                a
                for _e, a in counted
                if a.metric is action.metric
                and a.side.canonical == action.side.canonical
                and a.what == action.what
                and {n.canonical for n in ((a.actor,) if a.actor else ()) + a.actors} == {name}
            ]
            assert sum(
                row.events for row in alone if row.metric is action.metric and row.item == action.what
            ) == len(singles)


def _items_together(figures: dict[Key, Figures]) -> dict[Key, Figures]:
    """Per-item figures with materiel's items added up (item None)."""
    summed: dict[Key, Figures] = {}
    for (metric, side, item), (estimate, events, approximate, unknown) in figures.items():
        key = (metric, side, None if metric in MATERIEL else item)
        total = summed.get(key, (Estimate.zero(), 0, 0, 0))
        summed[key] = (total[0] + estimate, total[1] + events, total[2] + approximate, total[3] + unknown)
    return summed


@FAST
@given(reports=report_sets(), as_of=viewpoint_days, data=st.data())
def test_items_together_add_up_the_materiel_items_and_nothing_else(
    reports: list[ReportContent], as_of: date | None, data: st.DataObject
) -> None:
    entries = entries_of(reports)
    viewpoint = Viewpoint(as_of=as_of)
    by = data.draw(st.lists(st.sampled_from(sorted(set(GROUPINGS) - {"item"})), unique=True))
    apart = totals(entries, viewpoint, by).rows
    together = totals(entries, viewpoint, by, items="together").rows
    assert _ungrouped(together) == _items_together(_ungrouped(apart))
    assert all(row.item is None for row in together if row.metric in MATERIEL)
    assert [row for row in together if row.metric not in MATERIEL] == [
        row for row in apart if row.metric not in MATERIEL
    ]
