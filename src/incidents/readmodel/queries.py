"""Totals and area status from the read model, on the three clocks: the fold's own answer objects
(``totals.Totals``, ``areas.Areas``), equal to what ``totals`` and ``area_states`` make of the
log as ``resolve`` leaves it for the viewpoint, from indexed tables.

Four paths, chosen by the viewpoint:

- **as of a day** (no ``--known-at``, no ``--recorded-at``): every amendment is known, so the
  stored rows are the actions as the fold resolves them. Totals by metric and side read the
  running sums of each metric, side and item on the day (``sums``); each area's status is the
  timeline point whose run holds the day (the runs that straddle it, by class). What
  straddles the day is found by span class (``straddling``).
- **on the reported clock**, with or without the recorded one (totals without other
  groupings, areas): the as-of answer of the earlier of ``as_of`` and ``known_at``, corrected
  by the rows the two count differently (``_corrections``: those whose lag between occurred and
  published ends holds that day, those recorded after ``recorded_at``), the rows the viewpoint
  holds uncertain, and the clusters it does not see as stored, whose rows come from the
  bitemporal index (``_replaced``, ``versions``).
- **on the recorded clock alone** (a ``recorded_at``, no ``known_at``): what the log held at
  the checkpoint before it (``checkpoints``: the sums, and each area's state, before a
  multiple of ``BLOCK`` positions), and the rows of the one block between that the viewpoint
  sees (``_checkpoint_totals``, ``_checkpoint_areas``), the replaced clusters as above.
- **any other viewpoint** (totals ``--by`` other groupings, a ``recorded_at`` far back with a
  ``known_at``, or a recorded time around which the log's times are out of order): the rows are
  filtered by the clocks in SQL and summed by the database, or folded area by area; the
  replaced clusters' rows are added in.

Sums are read as numbers. The entries an answer returns (uncertain ones, the transitions behind
each area's status, the pending ones) are rebuilt from their stored payloads (``payloads``), and
judged by the same ``Viewpoint.judge`` the fold uses, so that their verdicts are the fold's.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Container, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from typing import Any, NamedTuple

import attrs
from attrs import frozen

from incidents.domain.actions import AreaAction, AreaStatus, Metric
from incidents.domain.values import Estimate
from incidents.projections.areas import (
    EVERY_AREA,
    AreaFilter,
    Areas,
    AreaState,
    Transition,
    area_order,
    current_run,
)
from incidents.projections.clocks import Judged, Standing, Viewpoint
from incidents.projections.ledger import Entry, Ledger, ReportRef, Unreadable
from incidents.projections.resolution import resolve
from incidents.projections.totals import (
    GROUPINGS,
    OWN_GROUPINGS,
    Groups,
    Items,
    TotalRow,
    Totals,
    row_item,
    total_order,
)
from incidents.readmodel import checkpoints, versions
from incidents.readmodel.database import Transaction
from incidents.readmodel.fetch import EventReader
from incidents.readmodel.payloads import Payloads
from incidents.readmodel.projector import closure
from incidents.readmodel.rows import (
    AREA_FAMILY,
    COUNTED_FAMILY,
    ENTRY_COLUMNS,
    Bounds,
    EntryRow,
    entry_row,
    recorded_text,
    recorded_time,
    unreadable_from_json,
)
from incidents.readmodel.sums import SUMMED, sums_as_of
from incidents.readmodel.timeline import OPEN, current_state, province_condition, spellings
from incidents.readmodel.versions import VERSION_COLUMNS, Recording

_ROW_COLUMNS = ", ".join(ENTRY_COLUMNS)
_SUMMED = (
    "SUM(low), SUM(COALESCE(best, 0)), SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), COUNT(*), "
    "SUM(approximate), SUM(unknown)"
)


_METRICS = {metric.value: metric for metric in Metric}  # (a lookup: ``Metric(text)`` costs ten times more)


def only_as_of(viewpoint: Viewpoint) -> bool:
    return viewpoint.known_at is None and viewpoint.recorded_at is None


# --- Totals ---------------------------------------------------------------------------------


def totals(
    tx: Transaction,
    events: EventReader,
    payloads: Payloads,
    viewpoint: Viewpoint,
    by: Sequence[str] = (),
    items: Items = "apart",
) -> Totals:
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown:  # as ``totals.totals`` says it
        raise ValueError(f"cannot group by {', '.join(unknown)}; expected any of: {', '.join(GROUPINGS)}")
    groupings = [name for name in by if name not in OWN_GROUPINGS]
    uncertain: list[Judged]
    if only_as_of(viewpoint) and not groupings:
        sums = _sums_as_of(tx, viewpoint.as_of)
        uncertain = _judged(viewpoint, straddling(tx, payloads, viewpoint.as_of, COUNTED_FAMILY))
    else:
        replaced = _replaced(tx, events, payloads, viewpoint, COUNTED_FAMILY)
        checkpoint = None if groupings else _checkpoint(tx, viewpoint)
        if checkpoint is not None:
            sums, uncertain = _checkpoint_totals(tx, payloads, viewpoint, checkpoint, replaced)
        elif (
            corrections := None if groupings else _corrections(tx, viewpoint, COUNTED_FAMILY, replaced)
        ) is None:
            sums, uncertain = _scan_totals(tx, payloads, viewpoint, groupings, replaced)
        else:
            sums, uncertain = _indexed_totals(tx, payloads, viewpoint, corrections, replaced)
    if items != "apart":
        sums = _items_summed(sums, items)
    rows = [
        TotalRow(
            _METRICS[metric],
            side,
            groups,
            _estimate(low, best, missing, high),
            events_count,
            item or None,
            approximate,
            unknown,
        )
        for (metric, side, item, groups), (
            low,
            best,
            missing,
            high,
            events_count,
            approximate,
            unknown,
        ) in sums.items()
        if events_count
    ]
    rows.sort(key=total_order)
    uncertain.sort(key=lambda judged: judged.entry.occurred_order())
    return Totals(tuple(rows), tuple(uncertain), unreadable(tx, events, viewpoint))


Sums = dict[tuple[str, str, str, Groups], list[int]]


def _items_summed(sums: Sums, items: Items) -> Sums:
    """The sums with each row's item as ``totals.row_item`` makes it (materiel ``together``: one
    row per metric, side and groups), the sums of the rows that meet added up."""
    summed: Sums = {}
    for (metric, side, item, groups), values in sums.items():
        key = (metric, side, row_item(_METRICS[metric], item or None, items) or "", groups)
        total = summed.setdefault(key, [0] * len(values))
        total[:] = [a + b for a, b in zip(total, values, strict=True)]
    return summed


def _estimate(low: int, best: int, missing: int, high: int) -> Estimate:
    """The ``Estimate`` of a sum of stored counts (``missing``: how many have no best figure),
    made without checking it again: each count was checked when it was read (low <= best <= high,
    none negative), and so is any sum of them; a sum is never marked approximate or unknown.
    Checking costs more than the rest of a totals answer (136 rows at 100,000 events)."""
    estimate = _NEW(Estimate)
    _SET(estimate, "low", int(low))
    _SET(estimate, "best", None if missing else int(best))
    _SET(estimate, "high", int(high))
    _SET(estimate, "approximate", None)
    _SET(estimate, "unknown", None)
    return estimate


_NEW, _SET = object.__new__, object.__setattr__
if [spec.name for spec in attrs.fields(Estimate)] != ["low", "best", "high", "approximate", "unknown"]:
    raise RuntimeError("queries._estimate must set every field of Estimate")


def _sums_as_of(tx: Transaction, as_of: date | None) -> Sums:
    return {
        (metric, side, item, ()): values for (metric, side, item), values in sums_as_of(tx, as_of).items()
    }


def _scan_totals(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, groupings: Sequence[str], replaced: _Replaced
) -> tuple[Sums, list[Judged]]:
    """Totals from any viewpoint, by any groupings: the rows the clocks count, summed by the
    database (but those of the clusters ``replaced`` holds as the viewpoint sees them)."""
    settled, parameters = replaced.settled()
    counted, counted_parameters = _counted(viewpoint)
    columns = ", ".join(["metric", "side", "item", *groupings])
    sums: Sums = {}
    found = tx.rows(
        f"SELECT {columns}, {_SUMMED} FROM rm_entry WHERE family = 'counted' AND set_aside = 0 "
        f"AND {settled} AND {counted} GROUP BY {columns}",
        (*parameters, *counted_parameters),
    )
    for row in found:
        metric, side, item, *values = row
        groups = tuple(zip(groupings, values[: len(groupings)], strict=True))
        sums[(metric, side, item or "", groups)] = [int(v) for v in values[len(groupings) :]]
    visible, visible_parameters = _visible(viewpoint)
    uncertain = _judged(
        viewpoint,
        _stored_entries(
            tx,
            payloads,
            f"family = 'counted' AND set_aside = 0 AND {settled} AND {visible} AND NOT ({counted})",
            (*parameters, *visible_parameters, *counted_parameters),
        ),
    )
    uncertain += _replaced_counted(tx, payloads, viewpoint, replaced, sums, groupings)
    return sums, uncertain


def _add(sums: Sums, row: EntryRow, groupings: Sequence[str], sign: int) -> None:
    """Add a counted row's figures to its total (``sign`` -1: take them out)."""
    groups = tuple((name, getattr(row, name)) for name in groupings)
    add = sums.setdefault((str(row.metric), str(row.side), row.item or "", groups), [0, 0, 0, 0, 0, 0, 0])
    best = row.best
    for index, value in enumerate(
        (row.low, best or 0, int(best is None), row.high, 1, row.approximate, row.unknown)
    ):
        add[index] += sign * int(value or 0)


def _replaced_counted(
    tx: Transaction,
    payloads: Payloads,
    viewpoint: Viewpoint,
    replaced: _Replaced,
    sums: Sums,
    groupings: Sequence[str] = (),
) -> list[Judged]:
    """Add to ``sums`` the rows of the replaced clusters, as the viewpoint sees them, that it
    counts; the ones it holds uncertain, judged."""
    waiting = []
    for row in replaced.rows:
        standing = _standing(viewpoint, row)
        if standing is Standing.COUNTED:
            _add(sums, row, groupings, 1)
        elif standing is Standing.UNCERTAIN:
            waiting.append(row)
    return _judged(viewpoint, replaced.entries(tx, payloads, waiting).values())


def _add_summed(sums: Sums, key: tuple[Any, Any, Any], values: Sequence[Any], sign: int = 1) -> None:
    """Add a row of summed figures (``SUMMED``'s order) to the total of its metric, side and item
    (``sign`` -1: take them out)."""
    total = sums.setdefault((str(key[0]), str(key[1]), str(key[2]), ()), [0] * len(SUMMED))
    total[:] = [a + sign * int(v) for a, v in zip(total, values, strict=True)]


def _indexed_totals(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, corrections: _Corrections, replaced: _Replaced
) -> tuple[Sums, list[Judged]]:
    """Totals from a viewpoint on the reported or recorded clock, by index: the sums as of the
    day ``corrections.base`` (``rm_sums``), corrected by the few rows the two viewpoints count
    differently, and by the clusters the viewpoint does not see as stored."""
    sums = _sums_as_of(tx, corrections.base)
    base = corrections.base_day
    for row in corrections.rows:
        delta = int(_standing(viewpoint, row) is Standing.COUNTED) - int(row.occ_end <= base)
        if delta:
            _add(sums, row, (), delta)
    for row in replaced.stored:
        if row.occ_end <= base:
            _add(sums, row, (), -1)
    stored = payloads.entries(tx, [(row.position, row.stamp) for row in corrections.uncertain])
    uncertain = _judged(viewpoint, stored.values())
    return sums, uncertain + _replaced_counted(tx, payloads, viewpoint, replaced, sums)


# --- Areas ----------------------------------------------------------------------------------


def areas(
    tx: Transaction,
    events: EventReader,
    payloads: Payloads,
    viewpoint: Viewpoint,
    only: AreaFilter = EVERY_AREA,
) -> Areas:
    """The areas ``only`` keeps (``AreaFilter.applied``, the one rule): as of a day, and by
    index on the other clocks, the states of other provinces and statuses are not even built
    (but for a few the viewpoint changes, ``_points_as_of``); from a checkpoint, or by a scan,
    every state is, and the rule drops them."""
    if only_as_of(viewpoint):
        found = _areas_as_of(tx, payloads, viewpoint, only)
    else:
        replaced = _replaced(tx, events, payloads, viewpoint, AREA_FAMILY)
        checkpoint = _checkpoint(tx, viewpoint)
        if checkpoint is not None:
            found = _checkpoint_areas(tx, payloads, viewpoint, checkpoint, replaced)
        elif (corrections := _corrections(tx, viewpoint, AREA_FAMILY, replaced)) is None:
            found = _scan_areas(tx, payloads, viewpoint, replaced)
        else:
            found = _indexed_areas(tx, payloads, viewpoint, corrections, replaced, only)
    found = only.applied(found)
    set_aside = unreadable(tx, events, viewpoint)
    return attrs.evolve(found, unreadable=set_aside) if set_aside else found


# --- What cannot be read ------------------------------------------------------------------------


def unreadable(tx: Transaction, events: EventReader, viewpoint: Viewpoint) -> tuple[Unreadable, ...]:
    """The events set aside as unreadable that the viewpoint sees, as the fold's ``resolve``
    lists them: with the amendments that name them (retractions clear them), from their events."""
    found = [
        unreadable_from_json(text) for (text,) in tx.rows("SELECT event FROM rm_unreadable ORDER BY position")
    ]
    if not found:
        return ()
    refs = [str(event.ref) for event in found if event.ref is not None]
    _refs, amendments = closure(tx, refs) if refs else (set(), {})
    ledger = events.ledger(amendments)
    return resolve(Ledger((), ledger.amendments, tuple(found)), viewpoint).unreadable


def _areas_as_of(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, only: AreaFilter = EVERY_AREA
) -> Areas:
    """The areas as of the day (those ``only`` may keep: the others' states are not built; an
    area's province is its latest report's, which its point's sort key begins with, its status
    its latest report's, and nothing pending changes either)."""
    pending = _judged(viewpoint, straddling(tx, payloads, viewpoint.as_of, AREA_FAMILY))
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else _LAST_DAY
    points = _points_as_of(tx, day, only=only)
    left_out = _left_out(tx, day, only, pending, points)
    return _areas(*_with_pending(_built(tx, payloads, points), pending, left_out))


def _points_as_of(
    tx: Transaction, day: str, but: Container[str] = (), only: AreaFilter = EVERY_AREA
) -> list[tuple[Any, ...]]:
    """The timeline point of each area that holds on the day (ISO), in the answer's order, as
    ``_built`` reads them (but for the areas ``but`` holds), of those ``only`` may keep: its
    provinces' (the sort keys that begin with one of them, ``timeline.sort_key``) and its
    statuses' (the point's latest row has one of them; a point whose latest row has changed
    since is kept, for ``AreaFilter.applied`` to judge)."""
    # The runs that straddle the day (from ``d``, until ``until``), one index range per run class.
    top = int(tx.value("SELECT MAX(run_class) FROM rm_timeline") or 0)
    select = (
        "SELECT area_key, began, began_stamp, latest, latest_stamp, sort_key FROM rm_timeline "
        "WHERE (until > ? OR until = ?) AND"
    )
    ranges, parameters = _class_ranges(select, "run_class", "d", date.fromisoformat(day), top, (day, OPEN))
    within, bounds = province_condition("t.sort_key", only.provinces)
    statuses = [status.value for status in AreaStatus if status in only.statuses]
    latest = ""
    if statuses:  # (the point's latest row, if it is the row the point names: the state's status)
        latest = "LEFT JOIN rm_entry e ON e.position = t.latest "
        among = ", ".join("?" * len(statuses))
        within += f" AND (e.position IS NULL OR e.stamp <> t.latest_stamp OR e.status IN ({among}))"
    found = tx.rows(
        f"SELECT t.area_key, a.written, t.began, t.began_stamp, t.latest, t.latest_stamp "
        f"FROM ({ranges}) AS t JOIN rm_area a ON a.area_key = t.area_key {latest}"
        f"WHERE {within} ORDER BY t.sort_key",
        [*parameters, *bounds, *statuses],
    )
    return [row for row in found if row[0] not in but] if but else found


def _left_out(
    tx: Transaction,
    day: str,
    only: AreaFilter,
    pending: Iterable[Judged],
    points: Iterable[tuple[Any, ...]],
    built_apart: Collection[str] = (),
) -> set[str]:
    """The areas of ``pending`` transitions whose state as of the day (ISO) ``only`` left out
    of ``points`` (and that are not among the areas ``built_apart``): their pending transitions
    go with their state (``_with_pending``), as ``AreaFilter.applied`` drops a state with its
    pending ones; a pending transition of an area with no state at all stays uncertain."""
    if only.keeps_every_area:
        return set()
    keys = {_area(judged.entry).area.key for judged in pending}
    keys -= {str(point[0]) for point in points} | set(built_apart)
    held = tx.rows_in(
        "SELECT DISTINCT area_key FROM rm_timeline WHERE d <= ? AND (until > ? OR until = ?) "
        "AND area_key IN ({in})",
        keys,
        (day, day, OPEN),
    )
    return {str(key) for (key,) in held}


def _built(
    tx: Transaction, payloads: Payloads, found: Sequence[tuple[Any, ...]]
) -> list[tuple[str, _Ordered]]:
    """The states (but what is pending) of ``found``'s areas, each a row of its key, its
    spellings (JSON), and the positions and stamps of the rows that began and last reported it."""
    # An area's state (but what is pending) is made of its spellings and the two rows its point
    # names: remembered by them, it is rebuilt only when one of them changes.
    # (Its key is the two rows, by their ints, and the spellings, shared: the same areas and
    # spellings recur from day to day, and a key of fresh texts would weigh more than the part.)
    shared, shared_as = payloads.shared, payloads.shared_as
    remembered = payloads.remembered
    parts = [
        (row, key, remembered(key))
        for row in found
        for key in [("area", row[2], row[3], row[4], row[5], shared(row[1]))]
    ]
    needed = [
        key for row, _key, part in parts if part is None for key in ((row[2], row[3]), (row[4], row[5]))
    ]
    entries = payloads.entries(tx, needed) if needed else {}
    states: list[tuple[str, _Ordered]] = []
    for (area_key, written, began, began_stamp, latest, latest_stamp), key, part in parts:
        if part is None:
            # (a transition begins or ends many remembered states: one object for each row)
            state = _state(
                shared_as(("transition", began, began_stamp), _transition, entries[began]),
                shared_as(("transition", latest, latest_stamp), _transition, entries[latest]),
                shared_as(("written", written), _spellings, written),
                (),
            )
            part = (shared(area_order(state.place)), state)
            payloads.remember(key, part)
        states.append((area_key, part))
    return states


def _spellings(written: str) -> tuple[str, ...]:
    """An area's spellings, from ``rm_area.written``."""
    return tuple(json.loads(written))


@frozen
class _Folded:
    """One area's state from a viewpoint, as stored rows: the entries to rebuild it from."""

    began: EntryRow
    latest: EntryRow
    written: list[str]
    pending: list[EntryRow]


class _AreaRow(NamedTuple):
    """An area row's status, the columns of its occurred order (``EntryRow.occurred_order``),
    position and stamp (``_ORDERED_COLUMNS``): what adding it to a state reads."""

    status: str | None  # (as ``EntryRow``'s: an area row's is always set)
    occ_start: str
    occ_end: str
    pub_start: str
    report_key: str
    sequence: int
    position: int
    stamp: int

    def occurred_order(self) -> tuple[Any, ...]:
        return self[1:6]

    def days(self) -> tuple[str, str, str]:
        """The days of its occurred order (the rest orders rows of the same days)."""
        return self.occ_start, self.occ_end, self.pub_start


_ORDERED_COLUMNS = ", ".join(_AreaRow._fields)


def _indexed_areas(
    tx: Transaction,
    payloads: Payloads,
    viewpoint: Viewpoint,
    corrections: _Corrections,
    replaced: _Replaced,
    only: AreaFilter = EVERY_AREA,
) -> Areas:
    """Areas from a viewpoint on the reported or recorded clock, by index: each area's state as
    of the day ``corrections.base``, but for the areas whose counted transitions the corrections
    change (``_changed_points``) and those the replaced clusters touch (``_touched_states``),
    with the pending transitions the viewpoint holds uncertain. The states as of the base day
    are those ``only`` may keep (an area the viewpoint changes is read whatever its province
    and status were: its point is added, ``_changed_points``)."""
    base = corrections.base_day
    touched = _touched(replaced)
    changed = {  # (the areas of rows one of the two counts and the other does not)
        str(row.area_key)
        for row in corrections.rows
        if (_standing(viewpoint, row) is Standing.COUNTED) != (row.occ_end <= base)
    } - touched
    found = _points_as_of(tx, base, touched, only)
    points = _changed_points(tx, viewpoint, found, changed)
    states = _built(tx, payloads, points) + _touched_states(tx, payloads, viewpoint, touched, replaced)
    waiting = [(row.position, row.stamp) for row in corrections.uncertain]
    pending = _judged(viewpoint, payloads.entries(tx, waiting).values())
    pending += _replaced_pending(tx, payloads, viewpoint, replaced)
    left_out = _left_out(tx, base, only, pending, found, changed | touched)
    return _areas(*_with_pending(states, pending, left_out))


def _with_pending(
    states: Sequence[tuple[str, _Ordered]], pending: Iterable[Judged], dropped: Container[str] = ()
) -> tuple[list[_Ordered], list[Judged]]:
    """The states (by area key) with the pending transitions of their areas, in occurred
    order, and the pending transitions of areas with no state (but for the areas ``dropped``,
    whose states the answer leaves out: their pending transitions go with them)."""
    by_area: dict[str, list[Judged]] = {}
    for judged in sorted(pending, key=lambda judged: judged.entry.occurred_order()):
        key = _area(judged.entry).area.key
        if key not in dropped:
            by_area.setdefault(key, []).append(judged)
    parts: list[_Ordered] = []
    for area_key, part in states:
        waiting = by_area.pop(area_key, None)
        parts.append(part if waiting is None else (part[0], attrs.evolve(part[1], pending=tuple(waiting))))
    return parts, [judged for waiting in by_area.values() for judged in waiting]


def _changed_points(
    tx: Transaction, viewpoint: Viewpoint, points: list[tuple[Any, ...]], changed: Collection[str]
) -> list[tuple[Any, ...]]:
    """The areas' points (``_built``'s rows) as the viewpoint counts their transitions: each
    area's point as of the base day (``points``), but for the areas ``changed`` (some of whose
    rows one of the two counts and the other does not), whose states are read from the rows the
    viewpoint counts (``_current_runs``)."""
    if not changed:
        return points
    runs = _current_runs(tx, viewpoint, changed)
    written = dict(tx.rows_in("SELECT area_key, written FROM rm_area WHERE area_key IN ({in})", list(runs)))
    moved = {
        key: (key, written[key], began.position, began.stamp, latest.position, latest.stamp)
        for key, (began, latest) in runs.items()
    }
    kept = [moved.pop(str(point[0]), None) if str(point[0]) in changed else point for point in points]
    return [point for point in (*kept, *moved.values()) if point is not None]


_TAIL = 8  # rows of an area read first, from its latest counted one back (then four times as many)
_TAILS = 200  # areas a statement reads the rows of


def _run_tail(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    """The statement of one area's latest rows the viewpoint counts, from the latest back (its
    parameters: the area key, the day, the viewpoint's ``parameters``, how many rows), read from
    the covering area index alone."""
    counted, parameters = _counted(viewpoint)
    tail = (
        f"SELECT * FROM (SELECT area_key, cluster, {_ORDERED_COLUMNS} FROM rm_entry WHERE area_key = ? "
        f"AND occ_start <= ? AND family = 'area' AND set_aside = 0 AND {counted} "
        "ORDER BY occ_start DESC, occ_end DESC, pub_start DESC, report_key DESC, sequence DESC "
        "LIMIT ?) AS tail"
    )
    return tail, parameters


def _current_runs(
    tx: Transaction, viewpoint: Viewpoint, areas: Collection[str], replaced: _Replaced | None = None
) -> dict[str, tuple[_AreaRow, _AreaRow]]:
    """The areas' current runs from the viewpoint (of those it counts a transition of): the
    transitions that began and last reported each one's status. Each area's counted rows are
    read from the latest back, by the area index in occurred order (``rm_entry_area``), until
    one of another status ends the run: a few rows, however long the area's history. The rows
    of ``replaced`` clusters are theirs from the viewpoint, in place of their stored ones."""
    tail, parameters = _run_tail(viewpoint)
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else _LAST_DAY
    skip = set(replaced.clusters) if replaced else set()
    versions: dict[str, list[_AreaRow]] = {}
    for row in replaced.rows if replaced else ():
        if _standing(viewpoint, row) is Standing.COUNTED:
            versions.setdefault(str(row.area_key), []).append(_area_row(row))
    runs: dict[str, tuple[_AreaRow, _AreaRow]] = {}
    waiting, limit = sorted(areas), _TAIL
    while waiting:
        found: dict[str, list[tuple[Any, _AreaRow]]] = {key: [] for key in waiting}
        for start in range(0, len(waiting), _TAILS):
            chunk = waiting[start : start + _TAILS]
            for key, cluster, *ordered in tx.rows(
                " UNION ALL ".join([tail] * len(chunk)),
                [value for area in chunk for value in (area, day, *parameters, limit)],
            ):
                found[str(key)].append((cluster, _AreaRow._make(ordered)))
        waiting = []
        for key, read in found.items():
            # (From the latest back. The database orders texts by its collation, which need not be
            # Python's: the rows are ordered again, and a run ends within those read only at a
            # row whose days come after the earliest read, or when the area had no more. The
            # replaced clusters' rows read are set aside, their rows from the viewpoint added.)
            rows = [row for cluster, row in read if cluster not in skip] + versions.get(key, [])
            rows.sort(key=_AreaRow.occurred_order, reverse=True)
            run = next((i for i, row in enumerate(rows) if row.status != rows[0].status), None)
            if len(read) == limit and (
                run is None or rows[run].days() <= min(row.days() for _c, row in read)
            ):
                waiting.append(key)  # (the run may reach further back)
            elif rows:
                runs[key] = (rows[(len(rows) if run is None else run) - 1], rows[0])
        limit *= 4
    return runs


def _touched(replaced: _Replaced) -> set[str]:
    """The areas the replaced clusters' rows lie in, as stored or from the viewpoint."""
    return {str(row.area_key) for row in (*replaced.stored, *replaced.rows)}


def _touched_states(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, touched: Collection[str], replaced: _Replaced
) -> list[tuple[str, _Ordered]]:
    """The states (but what is pending) of the areas ``touched`` by the replaced clusters, by
    area key: their current runs (``_current_runs``, the replaced clusters' rows as the viewpoint
    sees them), and their spellings (``_touched_spellings``)."""
    runs = _current_runs(tx, viewpoint, touched, replaced) if touched else {}
    if not runs:
        return []
    written = _touched_spellings(tx, list(runs), replaced)
    versioned = {row.position: row for row in replaced.rows}
    wanted = {row for run in runs.values() for row in run}
    entries = payloads.entries(
        tx, {(row.position, row.stamp) for row in wanted if row.position not in versioned}
    )
    entries |= replaced.entries(
        tx, payloads, {versioned[row.position] for row in wanted if row.position in versioned}
    )
    transition = {row.position: _transition(entries[row.position]) for row in wanted}
    return [
        (key, _ordered(_state(transition[began.position], transition[latest.position], written[key], ())))
        for key, (began, latest) in runs.items()
    ]


def _touched_spellings(tx: Transaction, keys: Sequence[str], replaced: _Replaced) -> dict[str, list[str]]:
    """The spellings of areas the replaced clusters touch, in occurred order, as the fold lists
    them: of their stored rows but the replaced clusters', and of those clusters' rows from the
    viewpoint. An area spelled one way (``rm_area.written``) whose replaced rows, stored and from
    the viewpoint, are all spelled that way is spelled so still; the others are read from their
    rows."""
    stored = {
        str(key): json.loads(text)
        for key, text in tx.rows_in("SELECT area_key, written FROM rm_area WHERE area_key IN ({in})", keys)
    }
    theirs: dict[str, set[str]] = {}
    for row in (*replaced.stored, *replaced.rows):
        theirs.setdefault(str(row.area_key), set()).add(str(row.place_written))
    written = {
        key: stored[key]
        for key in keys
        if len(stored.get(key, ())) == 1 and theirs.get(key, set()) <= set(stored[key])
    }
    others = [key for key in keys if key not in written]
    if others:
        settled, parameters = replaced.settled()
        seen: dict[str, list[tuple[tuple[Any, ...], str]]] = {}
        for key, spelling, *order in tx.rows_in(
            "SELECT area_key, place_written, occ_start, occ_end, pub_start, report_key, sequence "
            f"FROM rm_entry WHERE family = 'area' AND set_aside = 0 AND {settled} AND area_key IN ({{in}})",
            others,
            parameters,
        ):
            seen.setdefault(str(key), []).append((tuple(order), str(spelling)))
        for row in replaced.rows:
            seen.setdefault(str(row.area_key), []).append((row.occurred_order(), str(row.place_written)))
        for key in others:
            ordered = sorted(seen.get(key, []), key=lambda item: item[0])
            written[key] = list(dict.fromkeys(spelling for _order, spelling in ordered))
    return written


def _replaced_pending(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, replaced: _Replaced
) -> list[Judged]:
    """The replaced clusters' rows of the family that the viewpoint holds uncertain, judged."""
    rows = [row for row in replaced.rows if _standing(viewpoint, row) is Standing.UNCERTAIN]
    return _judged(viewpoint, replaced.entries(tx, payloads, rows).values()) if rows else []


def _area_row(row: EntryRow) -> _AreaRow:
    """A stored row's ``_AreaRow``."""
    return _AreaRow(row.status, *row.occurred_order(), row.position, row.stamp)


def _scan_areas(tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, replaced: _Replaced) -> Areas:
    """Areas from any viewpoint: each area's rows, read one area at a time (in area order), judged
    and folded; then the entries of the answer, rebuilt."""
    settled, parameters = replaced.settled()
    unsettled: dict[str, list[EntryRow]] = {}
    for row in replaced.rows:
        unsettled.setdefault(str(row.area_key), []).append(row)
    found = tx.stream(
        f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE family = 'area' AND set_aside = 0 AND {settled} "
        "ORDER BY area_key",
        parameters,
    )
    groups = [
        [*settled_rows, *unsettled.pop(key, [])]
        for key, settled_rows in groupby(
            (EntryRow._make(row) for row in found), key=lambda row: str(row.area_key)
        )
    ]
    groups += unsettled.values()  # areas whose every row is in a replaced cluster
    states, unplaced = _folded(tx, payloads, viewpoint, groups, replaced)
    return _areas(states, unplaced)


def _folded(
    tx: Transaction,
    payloads: Payloads,
    viewpoint: Viewpoint,
    groups: Iterable[list[EntryRow]],
    replaced: _Replaced,
) -> tuple[list[_Ordered], list[Judged]]:
    """The states of areas (each group: the rows of one area from the viewpoint), and the
    uncertain transitions of areas with no counted status."""
    folded: list[_Folded] = []
    unplaced: list[EntryRow] = []
    for rows in groups:
        _fold_area(viewpoint, rows, folded, unplaced)
    wanted = [row for f in folded for row in (f.began, f.latest, *f.pending)] + unplaced
    versioned = {row.position for row in replaced.rows}
    entries = payloads.entries(
        tx, {(row.position, row.stamp) for row in wanted if row.position not in versioned}
    )
    entries |= replaced.entries(tx, payloads, {row for row in wanted if row.position in versioned})
    states = [
        _ordered(
            _state(
                _transition(entries[f.began.position]),
                _transition(entries[f.latest.position]),
                f.written,
                _judged(viewpoint, (entries[row.position] for row in f.pending)),
            )
        )
        for f in folded
    ]
    return states, _judged(viewpoint, (entries[row.position] for row in unplaced))


def _fold_area(
    viewpoint: Viewpoint, transitions: list[EntryRow], folded: list[_Folded], unplaced: list[EntryRow]
) -> None:
    """One area's state from the viewpoint, as ``areas.area_states`` folds it."""
    transitions.sort(key=EntryRow.occurred_order)
    counted: list[EntryRow] = []
    waiting: list[EntryRow] = []
    for row in transitions:
        standing = _standing(viewpoint, row)
        if standing is Standing.COUNTED:
            counted.append(row)
        elif standing is Standing.UNCERTAIN:
            waiting.append(row)
    if not counted:
        unplaced.extend(waiting)
        return
    began, latest = current_state(counted)
    folded.append(_Folded(began, latest, spellings(transitions), waiting))


def _area(entry: Entry) -> AreaAction:
    action = entry.action
    if not isinstance(action, AreaAction):
        raise TypeError(f"the read model's area row at position {entry.position} is a {action.kind}")
    return action


def _transition(entry: Entry) -> Transition:
    return Transition(entry, _area(entry))


def _state(
    began: Transition, latest: Transition, written: Sequence[str], pending: Sequence[Judged]
) -> AreaState:
    """An area's state, as ``areas.area_states`` makes it, from the transitions that began and
    last reported its status."""
    return AreaState(
        place=latest.action.area,
        written=tuple(written),
        status=latest.action.status,
        since=began.action.occurred,
        reported_by=began,
        latest=latest,
        pending=tuple(pending),
    )


_Ordered = tuple[tuple[str, str, str], AreaState]  # a state, and its place in the answer


def _ordered(state: AreaState) -> _Ordered:
    """A state with the key ``area_states`` orders states by."""
    return area_order(state.place), state


def _areas(states: list[_Ordered], uncertain: list[Judged]) -> Areas:
    """The answer, in ``area_states``'s order."""
    states.sort(key=lambda ordered: ordered[0])
    uncertain.sort(key=lambda judged: judged.entry.occurred_order())
    return Areas(tuple(state for _order, state in states), tuple(uncertain))


# --- The recorded clock alone: a checkpoint and one block's rows (``checkpoints``) -------------


@frozen
class _Checkpoint:
    """The checkpoint a viewpoint on the recorded clock alone reads: it sees every row before
    position ``start`` and none from ``start + BLOCK`` on; ``window`` (a condition on rm_entry,
    with its ``parameters``) picks the rows of the block between that it sees."""

    number: int
    window: str
    parameters: tuple[Any, ...]

    @property
    def start(self) -> int:
        return self.number * checkpoints.BLOCK


def _checkpoint(tx: Transaction, viewpoint: Viewpoint) -> _Checkpoint | None:
    """The viewpoint's checkpoint (None: it is not on the recorded clock alone, or the recorded
    times of the log are not in order around its time, and it scans instead)."""
    recorded, block = viewpoint.recorded_at, checkpoints.BLOCK
    if recorded is None or viewpoint.known_at is not None:
        return None
    if isinstance(recorded, int):
        number = max(0, (recorded + 1) // block)
        return _Checkpoint(number, "position >= ? AND position <= ?", (number * block, recorded))
    text = recorded_text(recorded)
    times = [
        (int(b), str(first), str(last))
        for b, first, last in tx.rows(
            "SELECT block, first_recorded, last_recorded FROM rm_block ORDER BY block"
        )
    ]
    late = next((b for b, _first, last in times if last > text), None)
    if late is None or any(first <= text for b, first, _last in times if b > late):
        return None
    return _Checkpoint(
        late,
        "position >= ? AND position < ? AND recorded <= ?",
        (late * block, (late + 1) * block, text),
    )


_COUNTED_SUMS = 2_000  # rows of block sums counted, at most, to choose the way that reads fewer


def _checkpoint_sums(tx: Transaction, number: int, as_of: date | None) -> Sums:
    """The sums of the rows before checkpoint ``number`` as of the day: the sums as of the day
    less those of the later blocks' days up to it, or the checkpoint's running totals less its
    blocks' days after it, whichever reads fewer rows."""
    day = as_of.isoformat() if as_of else _LAST_DAY
    later = "b.block >= ? AND s.period <= ?"
    earlier = "b.block < ? AND s.period > ?"
    ranges = "FROM rm_block b CROSS JOIN rm_block_sums s WHERE s.block = b.block AND "  # (a range a block)
    # (each counted up to a bound: the other way is taken when it reads fewer; both, the later)
    counted = f"SELECT COUNT(*) FROM (SELECT 1 {ranges}{{}} LIMIT {int(_COUNTED_SUMS)}) AS found"
    late = int(tx.value(counted.format(later), (number, day)) or 0)
    early = int(tx.value(counted.format(earlier), (number, day)) or 0) if late else 0
    if early == _COUNTED_SUMS:
        early = late + 1
    summed = ", ".join(f"SUM(s.{name})" for name in SUMMED)
    keys = "s.metric, s.side, s.item"
    if late <= early:
        base = _sums_as_of(tx, as_of)
        condition = later
    else:
        base = {
            (str(metric), str(side), str(item), ()): [int(v) for v in values]
            for metric, side, item, *values in tx.rows(
                f"SELECT metric, side, item, {', '.join(SUMMED)} FROM rm_block_total WHERE block = "
                "(SELECT MAX(block) FROM rm_block_total WHERE block < ?)",
                (number,),
            )
        }
        condition = earlier
    if min(late, early):  # (the rows of the way chosen)
        for metric, side, item, *values in tx.rows(
            f"SELECT {keys}, {summed} {ranges}{condition} GROUP BY {keys}", (number, day)
        ):
            _add_summed(base, (metric, side, item), values, -1)
    return base


def _checkpoint_totals(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, checkpoint: _Checkpoint, replaced: _Replaced
) -> tuple[Sums, list[Judged]]:
    """Totals from a viewpoint on the recorded clock alone, by index: the sums before its
    checkpoint (``_checkpoint_sums``) and those of the block's rows it counts, less the stored rows
    of the replaced clusters before the checkpoint, with their rows as the viewpoint sees them."""
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else _LAST_DAY
    sums = _checkpoint_sums(tx, checkpoint.number, viewpoint.as_of)
    settled, parameters = replaced.settled()
    for metric, side, item, *values in tx.rows(
        f"SELECT metric, side, COALESCE(item, ''), {_SUMMED} FROM rm_entry WHERE {checkpoint.window} "
        f"AND family = 'counted' AND set_aside = 0 AND occ_end <= ? AND {settled} "
        "GROUP BY metric, side, COALESCE(item, '')",
        (*checkpoint.parameters, day, *parameters),
    ):
        _add_summed(sums, (metric, side, item), values)
    for row in replaced.stored:
        if row.position < checkpoint.start and row.occ_end <= day:
            _add(sums, row, (), -1)
    stored = payloads.entries(
        tx, [(p, s) for p, s, _key in _waiting(tx, viewpoint, COUNTED_FAMILY, replaced)]
    )
    uncertain = _judged(viewpoint, stored.values())
    return sums, uncertain + _replaced_counted(tx, payloads, viewpoint, replaced, sums)


def _waiting(
    tx: Transaction, viewpoint: Viewpoint, family: str, replaced: _Replaced
) -> list[tuple[int, int, str | None]]:
    """The stored rows of ``family`` a viewpoint on the recorded clock alone holds uncertain:
    those it sees whose occurred span straddles ``as_of`` (by span class), but those of the
    replaced clusters; as (position, stamp, area key)."""
    if viewpoint.as_of is None:
        return []
    skip = set(replaced.clusters)
    seen, seen_parameters = _recorded_condition(viewpoint)
    columns = "position, stamp, area_key, cluster, occ_end, family, set_aside, recorded"
    found = [row[:4] for row in _holding(tx, "occ", viewpoint.as_of, family, columns, seen, seen_parameters)]
    return [(int(p), int(s), key) for p, s, key, cluster in found if cluster not in skip]


def _checkpoint_areas(
    tx: Transaction, payloads: Payloads, viewpoint: Viewpoint, checkpoint: _Checkpoint, replaced: _Replaced
) -> Areas:
    """Areas from a viewpoint on the recorded clock alone, by index. An area with no row of the
    checkpoint (no transition from it on), or whose transitions from it on all end after the
    day, is its timeline's point on the day; one whose transitions before it all ended by the
    day is its state at the checkpoint, with the block's transitions the viewpoint counts added
    when they all come after it in occurred order; the others are read from their latest
    counted rows back (``_current_runs``), and those the replaced clusters touch from those
    rows and the clusters' rows from the viewpoint (``_touched_states``)."""
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else _LAST_DAY
    refolded = _touched(replaced)
    touched = set(refolded)  # (and the areas whose runs are read)
    marks = tx.rows(
        "SELECT c.area_key, c.earlier_end, c.later_end, c.began, c.began_stamp, c.latest, c.latest_stamp, "
        "a.written FROM rm_checkpoint c JOIN rm_area a ON a.area_key = c.area_key WHERE c.checkpoint = ?",
        (checkpoint.number,),
    )
    own: dict[
        str, tuple[Any, ...]
    ] = {}  # states at the checkpoint: (key, written, began, stamp, latest, stamp)
    written: dict[str, str] = {}
    for key, earlier, later, began, began_stamp, latest, latest_stamp, spelled in marks:
        if key in touched or str(later) > day:
            continue
        if earlier is not None and str(earlier) > day:
            touched.add(key)
            continue
        written[key] = spelled
        if began is not None:
            own[key] = (key, spelled, int(began), int(began_stamp), int(latest), int(latest_stamp))
    settled, parameters = replaced.settled()
    window: dict[str, list[_AreaRow]] = {}
    for key, *ordered in tx.rows(
        f"SELECT area_key, {_ORDERED_COLUMNS} FROM rm_entry WHERE {checkpoint.window} "
        f"AND family = 'area' AND set_aside = 0 AND occ_end <= ? AND {settled}",
        (*checkpoint.parameters, day, *parameters),
    ):
        if key not in touched:
            window.setdefault(str(key), []).append(_AreaRow._make(ordered))
    bases = {
        int(row.position): row
        for row in map(
            _AreaRow._make,
            tx.rows_in(
                f"SELECT {_ORDERED_COLUMNS} FROM rm_entry WHERE position IN ({{in}})",
                [own[key][4] for key in window if key in own],
            ),
        )
    }
    for key, rows in window.items():
        rows.sort(key=_AreaRow.occurred_order)
        run = current_run([AreaStatus(row.status) for row in rows])
        began, latest = rows[run], rows[-1]
        if key in own:
            last = bases[own[key][4]]
            if rows[0].occurred_order() < last.occurred_order():  # (one lies among the earlier ones)
                touched.add(key)
                del own[key]
                continue
            if run == 0 and began.status == last.status:  # (the run goes on)
                own[key] = (key, written[key], own[key][2], own[key][3], latest.position, latest.stamp)
                continue
        own[key] = (key, written[key], began.position, began.stamp, latest.position, latest.stamp)
    points = _points_as_of(tx, day, written.keys() | touched)
    points += _changed_points(tx, viewpoint, [], touched - refolded)
    states = _built(tx, payloads, [*points, *own.values()])
    states += _touched_states(tx, payloads, viewpoint, refolded, replaced)
    waiting = [(p, s) for p, s, _key in _waiting(tx, viewpoint, AREA_FAMILY, replaced)]
    pending = _judged(viewpoint, payloads.entries(tx, waiting).values())
    return _areas(*_with_pending(states, pending + _replaced_pending(tx, payloads, viewpoint, replaced)))


# --- The clocks, in SQL and on rows -----------------------------------------------------------


def _recorded_condition(viewpoint: Viewpoint, prefix: str = "") -> tuple[str, tuple[Any, ...]]:
    if viewpoint.recorded_at is None:
        return "1 = 1", ()
    if isinstance(viewpoint.recorded_at, int):
        return f"{prefix}position <= ?", (viewpoint.recorded_at,)
    return f"{prefix}recorded <= ?", (recorded_text(viewpoint.recorded_at),)


def _known(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    """Rows the viewpoint knows for certain: recorded by ``recorded_at``, published by ``known_at``."""
    seen, parameters = _recorded_condition(viewpoint)
    if viewpoint.known_at is None:
        return seen, parameters
    return f"{seen} AND pub_end <= ?", (*parameters, viewpoint.known_at.isoformat())


def _counted(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    known, parameters = _known(viewpoint)
    if viewpoint.as_of is None:
        return f"({known})", parameters
    return f"({known} AND occ_end <= ?)", (*parameters, viewpoint.as_of.isoformat())


def _visible(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    """Rows not excluded by any clock (counted or uncertain)."""
    seen, parameters = _recorded_condition(viewpoint)
    conditions = [seen]
    values: list[Any] = list(parameters)
    if viewpoint.known_at is not None:
        conditions.append("pub_start <= ?")
        values.append(viewpoint.known_at.isoformat())
    if viewpoint.as_of is not None:
        conditions.append("occ_start <= ?")
        values.append(viewpoint.as_of.isoformat())
    return " AND ".join(conditions), tuple(values)


# --- The clusters a viewpoint does not see as stored (``versions``) ----------------------------


@frozen
class _Replaced:
    """The clusters whose stored rows a viewpoint does not see as they are (some of their
    events are unknown to it) and that can matter to the answer: their stored rows, to take out,
    and their rows as the viewpoint sees them (a stored version; or resolved again from the
    events, where the viewpoint reaches a state no version holds)."""

    clusters: tuple[int, ...]
    stored: list[EntryRow]  # their rows in rm_entry (not set aside) of the family asked for
    rows: list[EntryRow]  # their rows from the viewpoint (not set aside)
    actions: dict[int, str]  # the actions of ``rows`` by position, from their versions
    in_hand: dict[int, Entry]  # or the entries themselves, resolved again

    def settled(self) -> tuple[str, tuple[Any, ...]]:
        """A condition on rm_entry rows: not of these clusters."""
        if not self.clusters:
            return "1 = 1", ()
        marks = ", ".join("?" * len(self.clusters))
        return f"(cluster IS NULL OR cluster NOT IN ({marks}))", self.clusters

    def entries(self, tx: Transaction, payloads: Payloads, rows: Iterable[EntryRow]) -> dict[int, Entry]:
        """The entries of some of ``rows``, by position."""
        rows = list(rows)
        found = {row.position: self.in_hand[row.position] for row in rows if row.position in self.in_hand}
        wanted = [row for row in rows if row.position not in found]
        keys = {row.report_key for row in wanted}
        sources = dict(
            tx.rows_in("SELECT report_key, source FROM rm_report WHERE report_key IN ({in})", keys)
        )
        reports = {key: ReportRef(key, payloads.decode(sources[key])) for key in keys}
        for row in wanted:
            found[row.position] = Entry(
                payloads.decode(self.actions[row.position]),
                reports[row.report_key],
                row.position,
                row.recorded_at,
                row.sequence,
            )
        return found


_NOTHING_REPLACED = _Replaced((), [], [], {}, {})


def _cluster_condition(viewpoint: Viewpoint, family: str) -> tuple[str, tuple[Any, ...]]:
    """The rm_cluster rows of the clusters a viewpoint does not fully know (some event not
    recorded by ``recorded_at`` or not published by ``known_at``); but those it knows none of the
    actions of (each of their rows is excluded, as stored and from the viewpoint alike), unless
    their versions differ in the areas they report (an action no viewpoint counts still lends its
    spelling to its area)."""
    unsettled: list[str] = []
    excluded: list[str] = ["first_pub IS NULL"]
    values: list[Any] = []
    if viewpoint.known_at is not None:
        unsettled.append("last_pub > ?")
        excluded.append("first_pub > ?")
        values.append(viewpoint.known_at.isoformat())
    if isinstance(viewpoint.recorded_at, int):
        unsettled.append("last_position > ?")
        excluded.append("first_position > ?")
        values.append(viewpoint.recorded_at)
    elif viewpoint.recorded_at is not None:
        unsettled.append("last_recorded > ?")
        excluded.append("first_recorded > ?")
        values.append(recorded_text(viewpoint.recorded_at))
    if not unsettled:
        return "1 = 0", ()
    stable = "areas_stable = 0 OR " if family == AREA_FAMILY else ""
    return f"({' OR '.join(unsettled)}) AND ({stable}NOT ({' OR '.join(excluded)}))", (*values, *values)


def _replaced(
    tx: Transaction, events: EventReader, payloads: Payloads, viewpoint: Viewpoint, family: str
) -> _Replaced:
    """The clusters the viewpoint does not see as stored, with their rows of ``family`` from it."""
    condition, parameters = _cluster_condition(viewpoint, family)
    if not parameters:
        return _NOTHING_REPLACED
    clusters = tuple(
        int(c) for (c,) in tx.rows(f"SELECT cluster FROM rm_cluster WHERE {condition}", parameters)
    )
    if not clusters:
        return _NOTHING_REPLACED
    members = [
        EntryRow._make(row)
        for row in tx.rows_in(f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE cluster IN ({{in}})", clusters)
    ]
    recordings: dict[int, list[Recording]] = {}
    for row in members:
        recordings.setdefault(int(row.cluster or 0), []).append(
            Recording(row.position, row.recorded_at, row.published, False)
        )
    amended = tx.rows_in(
        "SELECT cluster, position, recorded, pub_end FROM rm_amendment WHERE cluster IN ({in})", clusters
    )
    for cluster, position, recorded, pub_end in amended:
        end = date.fromisoformat(pub_end)  # (an amendment is known by its publication's end alone)
        recordings.setdefault(int(cluster), []).append(
            Recording(int(position), recorded_time(recorded), Bounds(end, end), True)
        )
    states = {cluster: versions.state(viewpoint, recordings.get(cluster, ())) for cluster in clusters}
    rows: list[EntryRow] = []
    actions: dict[int, str] = {}
    found: set[int] = set()
    for key, *values, action in tx.rows_in(
        f"SELECT {', '.join(VERSION_COLUMNS)} FROM rm_version WHERE cluster IN ({{in}})", clusters
    ):
        row = EntryRow._make(values)
        if states[int(row.cluster or 0)] != key:
            continue
        found.add(int(row.cluster or 0))
        if not row.set_aside and row.family == family:
            rows.append(row)
            actions[row.position] = action
    in_hand: dict[int, Entry] = {}
    unknown = {cluster for cluster in clusters if cluster not in found}
    if unknown:  # a state no stored version holds: resolved again from the events
        positions = [r.position for r in members if r.cluster in unknown]
        positions += [int(p) for c, p, _r, _e in amended if int(c) in unknown]
        for entry in resolve(events.ledger(positions), viewpoint).entries:
            row = entry_row(entry)
            if row.family == family:
                rows.append(row)
                in_hand[entry.position] = entry
    stored = [row for row in members if not row.set_aside and row.family == family]
    return _Replaced(clusters, stored, rows, actions, in_hand)


# --- The rows two viewpoints count differently ------------------------------------------------


@frozen
class _Corrections:
    """What turns the answer as of ``base`` into the answer from a viewpoint on the reported or
    recorded clock: the rows one of the two counts and the other does not (``rows``: some may
    count on both), and those the viewpoint holds uncertain; but for the rows of replaced
    clusters."""

    base: date | None
    rows: list[EntryRow]
    uncertain: list[EntryRow]

    @property
    def base_day(self) -> str:
        return self.base.isoformat() if self.base else _LAST_DAY


_LAST_DAY = "9999-12-31"
UNSEEN_SCAN = 20_000  # rows recorded after ``recorded_at`` (with ``known_at``) beyond which it scans


def _corrections(
    tx: Transaction, viewpoint: Viewpoint, family: str, replaced: _Replaced
) -> _Corrections | None:
    """The corrections of the answer as of the earlier of ``as_of`` and ``known_at`` (None where
    the viewpoint's ``recorded_at`` is so early that scanning what it sees is cheaper).

    As of a day B every row counts that ended by B. From a viewpoint with ``known_at`` K on or
    after B = ``as_of``, a row counts that ended by B and was published by K: a row counts on one
    and not the other only if B lies in the lag between its occurred and published ends
    (``rows.lag``); so too when K is before ``as_of`` and B = K. The rows recorded after
    ``recorded_at`` are the others: read by position (or time), when they are few."""
    known, day = viewpoint.known_at, viewpoint.as_of
    base = day if known is None else (known if day is None else min(day, known))
    skip = set(replaced.clusters)
    found: dict[int, EntryRow] = {}
    if known is not None:
        for row in _in_class_ranges(tx, "lag", known if base is None else base, family):
            found[row.position] = row
    unseen, parameters = _unseen(viewpoint)
    if unseen:
        limit = f"SELECT COUNT(*) FROM (SELECT 1 FROM rm_entry WHERE {unseen} LIMIT {UNSEEN_SCAN}) AS late"
        if int(tx.value(limit, parameters) or 0) >= UNSEEN_SCAN:
            return None
        for values in tx.rows(
            f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE {unseen} AND family = ? AND set_aside = 0 "
            "AND occ_end <= ?",
            (*parameters, family, base.isoformat() if base else _LAST_DAY),
        ):
            row = EntryRow._make(values)
            found[row.position] = row
    waiting: dict[int, EntryRow] = {}
    if day is not None:
        waiting.update((row.position, row) for row in _in_class_ranges(tx, "occ", day, family))
    if known is not None:
        waiting.update((row.position, row) for row in _in_class_ranges(tx, "pub", known, family))
    uncertain = [
        row
        for row in waiting.values()
        if row.cluster not in skip and _standing(viewpoint, row) is Standing.UNCERTAIN
    ]
    return _Corrections(base, [row for row in found.values() if row.cluster not in skip], uncertain)


def _unseen(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    """The rows recorded after ``recorded_at`` ("" where there is none)."""
    if viewpoint.recorded_at is None:
        return "", ()
    if isinstance(viewpoint.recorded_at, int):
        return "position > ?", (viewpoint.recorded_at,)
    return "recorded > ?", (recorded_text(viewpoint.recorded_at),)


# A span of class 0 is one day: none straddles a day (it ends on the only day it holds), so the
# rows whose span straddles a day are found from class 1 on.
_STRADDLING = 1

_SPAN_ENDS = {"occ": "occ_end > ?", "pub": "pub_end > ?", "lag": "(occ_end > ? OR pub_end > ?)"}


def _in_class_ranges(tx: Transaction, span: str, day: date, family: str) -> list[EntryRow]:
    """The rows of ``family`` (not set aside) whose ``span`` ("occ", "pub", "lag") holds ``day``
    (starts on or before it, ends after it), by span class (``_holding``). (A lag ends at the
    later of the occurred and published ends.)"""
    return [EntryRow._make(row) for row in _holding(tx, span, day, family, _ROW_COLUMNS)]


def _holding(
    tx: Transaction,
    span: str,
    day: date,
    family: str,
    columns: str,
    condition: str = "1 = 1",
    parameters: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """``columns`` (with those the conditions name) of the rows of ``family`` (not set aside)
    whose ``span`` holds ``day`` and that meet ``condition`` (with its ``parameters``): one index
    range per span class (``_class_ranges``) from class 1 on (``_STRADDLING``)."""
    top = int(tx.value(f"SELECT MAX({span}_class) FROM rm_entry") or 0)
    select = f"SELECT {columns} FROM rm_entry WHERE"
    ranges, ranged = _class_ranges(select, f"{span}_class", f"{span}_start", day, top, first=_STRADDLING)
    if not ranges:  # (every span one day long)
        return []
    ends = _SPAN_ENDS[span]
    return tx.rows(
        f"SELECT * FROM ({ranges}) AS spans WHERE {ends} AND family = ? AND set_aside = 0 AND {condition}",
        (*ranged, *([day.isoformat()] * ends.count("?")), family, *parameters),
    )


def _class_ranges(
    select: str,
    span_class: str,
    start: str,
    day: date,
    top: int,
    before: Sequence[Any] = (),
    first: int = 0,
) -> tuple[str, list[Any]]:
    """``select`` (a SELECT ... FROM ... WHERE, with ``before`` its parameters) for each class
    from ``first`` up to ``top``, united: the spans of the class column ``span_class`` whose
    ``start`` lies within 2**class days on or before ``day``. A span of class c is shorter than
    2**c days, so every span of that class that holds ``day`` starts there (and so, with a
    condition on its end, one index range per class finds what holds a day)."""
    ranges: list[str] = []
    parameters: list[Any] = []
    for number in range(first, top + 1):
        earliest = day - timedelta(days=min(2**number, (day - date.min).days))
        ranges.append(f"{select} {span_class} = ? AND {start} > ? AND {start} <= ?")
        parameters += [*before, number, earliest.isoformat(), day.isoformat()]
    return " UNION ALL ".join(ranges), parameters


def _stored_entries(
    tx: Transaction, payloads: Payloads, where: str, parameters: Sequence[Any]
) -> list[Entry]:
    """The entries of the rows of ``rm_entry`` that ``where`` picks, rebuilt."""
    keys = [
        (int(p), int(s))
        for p, s in tx.rows(f"SELECT position, stamp FROM rm_entry WHERE {where}", parameters)
    ]
    return list(payloads.entries(tx, keys).values())


def straddling(tx: Transaction, payloads: Payloads, day: date | None, family: str) -> list[Entry]:
    """The entries of ``family`` whose occurred span straddles ``day`` (starts on or before it,
    ends after it), found by span class (``_holding``), in no order (the answers sort what they
    keep of them)."""
    if day is None:
        return []
    # (the columns the straddle index covers: no row is read)
    found = [
        row[:2] for row in _holding(tx, "occ", day, family, "position, stamp, occ_end, family, set_aside")
    ]
    return list(payloads.entries(tx, [(int(p), int(s)) for p, s in found]).values())


_UNREAD = datetime.min.replace(tzinfo=UTC)  # a recorded time that no viewpoint reads


def _standing(viewpoint: Viewpoint, row: EntryRow) -> Standing:
    """How the viewpoint stands to a stored row: what ``Viewpoint.judge`` says of its entry (the
    same function, on the row's values; its reasons are not read)."""
    recorded = row.recorded_at if isinstance(viewpoint.recorded_at, datetime) else _UNREAD
    return viewpoint.judge_recording(row.position, recorded, row.published, row.occurred).standing


def _judged(viewpoint: Viewpoint, entries: Iterable[Entry]) -> list[Judged]:
    """Entries the viewpoint holds uncertain, with the fold's verdict on each."""
    judged = [Judged(entry, viewpoint.judge(entry)) for entry in entries]
    return [item for item in judged if item.verdict.standing is Standing.UNCERTAIN]
