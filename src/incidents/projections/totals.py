"""Totals: counted actions summed by metric, side and what they count, and by any other grouping.

Two rules keep a figure honest:

- **Unlike things are never added.** Where one metric counts different things (materiel items:
  rocket launchers, IEDs, camps; people or families displaced), each is its own row: the row's
  ``item`` (``CountedAction.what``). ``--by item`` adds nothing: the item is always a column.
  Asked for (``items="together"``, ``--items together``), a materiel metric's items are summed
  into one row per side, its item left empty ("62 destroyed" for 40 rocket launchers, 8 IEDs and
  14 camps); people and families displaced are never added, whatever is asked.
- **Joint actions are counted once.** ``--by actor`` groups a joint action (``actors``) under
  its joint group ("Iraqi Army + PMF"), never under each of its actors: the rows partition the
  counted actions, so they add up to the ungrouped total.

Each row also counts how many of its events have an approximate count, and how many an unknown
one counted by convention (``domain.counts``), so an answer always says what rests on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from attrs import frozen

from incidents.domain.actions import METRIC_RANK, CountedAction, Metric, joint_group
from incidents.domain.values import Estimate
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry, Unreadable

# A grouping's value: text, or a number where the field is one (``phase``), or None (not stated).
GroupValue = str | int | None
Groups = tuple[tuple[str, GroupValue], ...]  # (grouping, value) for each --by key


def _place_part(part: str) -> Callable[[Entry, CountedAction], str | None]:
    def key(_entry: Entry, action: CountedAction) -> str | None:
        place = action.place
        if place is None:
            return None
        if part == "area":
            return place.label
        return place.province if part == "province" else place.district

    return key


GROUPINGS: dict[str, Callable[[Entry, CountedAction], GroupValue]] = {
    "side": lambda _e, a: a.side.canonical,
    "actor": lambda _e, a: joint_group(a.actor, a.actors),
    "operation": lambda _e, a: a.operation.canonical if a.operation else None,
    "phase": lambda _e, a: a.phase,  # a number, as in every answer
    "province": _place_part("province"),
    "district": _place_part("district"),
    "area": _place_part("area"),
    "means": lambda _e, a: getattr(a, "means", None),
    "item": lambda _e, a: a.what,
    "year": lambda _e, a: str(a.occurred.end.year),
    "month": lambda _e, a: f"{a.occurred.end:%Y-%m}",
    "outlet": lambda e, _a: e.report.source.outlet,
}


# The groupings every row has as its own columns: ``--by`` them adds no column.
OWN_GROUPINGS = ("side", "item")

# How a materiel metric's items are summed: each item its own row (the default), or together.
Items = Literal["apart", "together"]
ITEMS: tuple[Items, ...] = ("apart", "together")
# The metrics whose items ``together`` adds up: materiel. Displacement's people and families
# are unlike things of another kind (a family is not a person) and stay apart.
SUMMABLE_ITEMS = frozenset({Metric.SEIZED, Metric.DESTROYED})


def row_item(metric: Metric, item: str | None, items: Items) -> str | None:
    """The item a total's row is for: its own, or none where ``items`` sums them together."""
    return None if items == "together" and metric in SUMMABLE_ITEMS else item


@frozen
class TotalRow:
    metric: Metric
    side: str
    groups: Groups
    estimate: Estimate
    events: int
    item: str | None = None  # what the metric counts, where it counts unlike things
    approximate: int = 0  # how many of the events have an approximate count
    unknown: int = 0  # how many have an unknown count, counted by convention


@frozen
class Totals:
    rows: tuple[TotalRow, ...]
    uncertain: tuple[Judged, ...]
    unreadable: tuple[Unreadable, ...] = ()  # recorded events that cannot be read: not counted


def total_order(row: TotalRow) -> tuple[int, str, str, list[tuple[bool, str | int]]]:
    """The order totals are listed in: by metric (as ``Metric`` lists them), side, item,
    groupings (an unstated value first; phases in number order)."""
    return (
        METRIC_RANK[row.metric],
        row.side,
        row.item or "",
        [(value is not None, "" if value is None else value) for _, value in row.groups],
    )


def split_counted(
    entries: Iterable[Entry],
    viewpoint: Viewpoint,
    accept: Callable[[CountedAction], bool] = lambda _action: True,
) -> tuple[list[tuple[Entry, CountedAction]], list[Judged]]:
    """The counted actions that ``accept`` picks, as of the viewpoint, and the uncertain ones."""
    picked = (e for e in entries if isinstance(e.action, CountedAction) and accept(e.action))
    counted, uncertain = partition(picked, viewpoint)
    return [(entry, entry.action) for entry in counted if isinstance(entry.action, CountedAction)], uncertain


def sum_counts(counted: Iterable[tuple[Entry, CountedAction]]) -> Estimate:
    return sum((action.count for _entry, action in counted), Estimate.zero())


def totals(
    entries: Iterable[Entry],
    viewpoint: Viewpoint,
    by: Sequence[str] = (),
    unreadable: Sequence[Unreadable] = (),
    items: Items = "apart",
) -> Totals:
    """Sum every counted action as of the viewpoint, materiel per item or its items
    ``together``; list the uncertain ones apart, and the events that cannot be read
    (``resolution.Resolved.unreadable``)."""
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; expected any of: {', '.join(GROUPINGS)}")
    groupings = [name for name in by if name not in OWN_GROUPINGS]
    counted, uncertain = split_counted(entries, viewpoint)
    groups_of: dict[tuple[Metric, str, str | None, Groups], list[tuple[Entry, CountedAction]]] = {}
    for entry, action in counted:
        groups = tuple((name, GROUPINGS[name](entry, action)) for name in groupings)
        key = (action.metric, action.side.canonical, row_item(action.metric, action.what, items), groups)
        groups_of.setdefault(key, []).append((entry, action))
    rows = [
        TotalRow(
            metric,
            side,
            groups,
            sum_counts(members),
            len(members),
            item,
            sum(1 for _entry, action in members if action.count.approximate),
            sum(1 for _entry, action in members if action.count.unknown is not None),
        )
        for (metric, side, item, groups), members in groups_of.items()
    ]
    rows.sort(key=total_order)
    return Totals(tuple(rows), tuple(uncertain), tuple(unreadable))
