"""Totals and area status from the read model, on the three clocks: the fold's own answer objects
(``totals.Totals``, ``areas.Areas``), equal to what ``totals`` and ``area_states`` make of the
log as ``resolve`` leaves it for the viewpoint, from indexed tables.

Two paths, chosen by the viewpoint:

- **as of a day** (no ``--known-at``, no ``--recorded-at``): every amendment is known, so the
  stored rows are the actions as the fold resolves them. Totals by metric and side add up a few
  dozen rows of ``rm_sums`` (years before the day, months before it in its year, days before it
  in its month); each area's status is one index seek in its timeline. What straddles the day
  is found by span class (``straddling``).
- **any other viewpoint** (or totals ``--by`` other groupings): the rows are filtered by the
  clocks in SQL and summed by the database; the clusters the viewpoint does not fully know are
  resolved again by the fold from their events, and added in.

Sums are read as numbers. The entries an answer returns (uncertain ones, the transitions behind
each area's status, the pending ones) are rebuilt from their stored payloads (``payloads``), and
judged by the same ``Viewpoint.judge`` the fold uses, so that their verdicts are the fold's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from typing import Any

import attrs
from attrs import frozen

from incidents.domain.actions import AreaAction, CountedAction, Metric
from incidents.domain.values import Estimate
from incidents.projections.areas import Areas, AreaState, Transition, area_order
from incidents.projections.clocks import Judged, Standing, Viewpoint
from incidents.projections.ledger import Entry, Ledger, Unreadable
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
from incidents.readmodel.database import Transaction
from incidents.readmodel.fetch import EventReader
from incidents.readmodel.payloads import Payloads
from incidents.readmodel.projector import closure
from incidents.readmodel.rows import (
    AREA_FAMILY,
    COUNTED_FAMILY,
    ENTRY_COLUMNS,
    EntryRow,
    entry_row,
    recorded_text,
    unreadable_from_json,
)
from incidents.readmodel.timeline import current_state, spellings

_ROW_COLUMNS = ", ".join(ENTRY_COLUMNS)
_SUMMED = (
    "SUM(low), SUM(COALESCE(best, 0)), SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), COUNT(*), "
    "SUM(approximate), SUM(unknown)"
)


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
        sums, uncertain = _scan_totals(tx, events, payloads, viewpoint, groupings)
    if items != "apart":
        sums = _items_summed(sums, items)
    rows = [
        TotalRow(
            Metric(metric),
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
        key = (metric, side, row_item(Metric(metric), item or None, items) or "", groups)
        total = summed.setdefault(key, [0] * len(values))
        total[:] = [a + b for a, b in zip(total, values, strict=True)]
    return summed


def _estimate(low: int, best: int, missing: int, high: int) -> Estimate:
    return Estimate(int(low), None if missing else int(best), int(high))


def _sums_as_of(tx: Transaction, as_of: date | None) -> Sums:
    parameters: tuple[str, ...] = ()
    if as_of is None:
        where = "grain = 'y'"
    else:
        year, month, day = as_of.isoformat()[:4], as_of.isoformat()[:7], as_of.isoformat()
        where = (
            "(grain = 'y' AND period < ?) OR (grain = 'm' AND period >= ? AND period < ?) "
            "OR (grain = 'd' AND period >= ? AND period <= ?)"
        )
        parameters = (year, f"{year}-01", month, f"{month}-01", day)
    found = tx.rows(
        "SELECT metric, side, item, SUM(low), SUM(best), SUM(best_missing), SUM(high), SUM(events), "
        f"SUM(approximate), SUM(unknown) FROM rm_sums WHERE {where} GROUP BY metric, side, item",
        parameters,
    )
    return {(metric, side, item, ()): [int(v) for v in values] for metric, side, item, *values in found}


def _scan_totals(
    tx: Transaction, events: EventReader, payloads: Payloads, viewpoint: Viewpoint, groupings: Sequence[str]
) -> tuple[Sums, list[Judged]]:
    settled, parameters = _settled(viewpoint)
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
    for entry in _unsettled_entries(tx, events, viewpoint):
        action = entry.action
        if not isinstance(action, CountedAction):
            continue
        verdict = viewpoint.judge(entry)
        if verdict.standing is Standing.COUNTED:
            groups = tuple((name, GROUPINGS[name](entry, action)) for name in groupings)
            key = (action.metric.value, action.side.canonical, action.what or "", groups)
            add = sums.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
            count = action.count
            for index, value in enumerate(
                (
                    count.low,
                    count.best or 0,
                    int(count.best is None),
                    count.high,
                    1,
                    int(bool(count.approximate)),
                    int(count.unknown is not None),
                )
            ):
                add[index] += value
        elif verdict.standing is Standing.UNCERTAIN:
            uncertain.append(Judged(entry, verdict))
    return sums, uncertain


# --- Areas ----------------------------------------------------------------------------------


def areas(tx: Transaction, events: EventReader, payloads: Payloads, viewpoint: Viewpoint) -> Areas:
    if only_as_of(viewpoint):
        found = _areas_as_of(tx, payloads, viewpoint)
    else:
        found = _scan_areas(tx, events, payloads, viewpoint)
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


def _areas_as_of(tx: Transaction, payloads: Payloads, viewpoint: Viewpoint) -> Areas:
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else "9999-12-31"
    point = ("began", "began_stamp", "latest", "latest_stamp")
    # The latest point of each area's timeline on or before the day: one index seek each.
    latest = tx.dialect.join_latest("rm_timeline", "t", "area_key", "a.area_key", "d", point)
    columns = ", ".join(f"t.{column}" for column in point)
    found = tx.rows(f"SELECT a.area_key, a.written, {columns} FROM rm_area a {latest}", (day,))
    pending: dict[str, list[Judged]] = {}
    for judged in _judged(viewpoint, straddling(tx, payloads, viewpoint.as_of, AREA_FAMILY)):
        pending.setdefault(_area(judged.entry).area.key, []).append(judged)
    # An area's state (but what is pending) is made of its spellings and the two rows its point
    # names: remembered by them, it is rebuilt only when one of them changes.
    shared = payloads.shared  # (the same areas and spellings recur from day to day)
    keys = [("area", shared(area), shared(written), *point) for area, written, *point in found]
    parts = [(key[1:], key, payloads.remembered(key)) for key in keys]
    needed = [
        key for row, _key, part in parts if part is None for key in ((row[2], row[3]), (row[4], row[5]))
    ]
    entries = payloads.entries(tx, needed) if needed else {}
    states: list[_Ordered] = []
    for (area_key, written, began, _, latest, _), key, part in parts:
        if part is None:
            state = _state(entries[began], entries[latest], shared(tuple(json.loads(written))), ())
            # (a transition begins or ends many remembered states)
            state = attrs.evolve(state, reported_by=shared(state.reported_by), latest=shared(state.latest))
            part = (shared(area_order(state.place)), state)
            payloads.remember(key, part)
        waiting = pending.pop(area_key, None)
        states.append(part if waiting is None else (part[0], attrs.evolve(part[1], pending=tuple(waiting))))
    unplaced = [judged for waiting in pending.values() for judged in waiting]
    return _areas(states, unplaced)


@frozen
class _Folded:
    """One area's state from a viewpoint, as stored rows: the entries to rebuild it from."""

    began: EntryRow
    latest: EntryRow
    written: list[str]
    pending: list[EntryRow]


def _scan_areas(tx: Transaction, events: EventReader, payloads: Payloads, viewpoint: Viewpoint) -> Areas:
    """Areas from a viewpoint on the reported or recorded clock: each area's rows, read one area
    at a time (in area order, so that memory holds one area), judged and folded; then the
    entries of the answer, rebuilt."""
    settled, parameters = _settled(viewpoint)
    in_hand = {
        e.position: e for e in _unsettled_entries(tx, events, viewpoint) if isinstance(e.action, AreaAction)
    }
    unsettled: dict[str, list[EntryRow]] = {}
    for entry in in_hand.values():
        row = entry_row(entry)
        unsettled.setdefault(str(row.area_key), []).append(row)
    found = tx.stream(
        f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE family = 'area' AND set_aside = 0 AND {settled} "
        "ORDER BY area_key",
        parameters,
    )
    folded: list[_Folded] = []
    unplaced: list[EntryRow] = []
    for key, settled_rows in groupby(
        (EntryRow._make(row) for row in found), key=lambda row: str(row.area_key)
    ):
        _fold_area(viewpoint, [*settled_rows, *unsettled.pop(key, [])], folded, unplaced)
    for unsettled_rows in unsettled.values():  # areas whose every row is in an unsettled cluster
        _fold_area(viewpoint, unsettled_rows, folded, unplaced)
    wanted = [row for f in folded for row in (f.began, f.latest, *f.pending)] + unplaced
    stored = payloads.entries(
        tx, {(row.position, row.stamp) for row in wanted if row.position not in in_hand}
    )
    entries = stored | in_hand
    states = [
        _ordered(
            _state(
                entries[f.began.position],
                entries[f.latest.position],
                f.written,
                _judged(viewpoint, (entries[row.position] for row in f.pending)),
            )
        )
        for f in folded
    ]
    return _areas(states, _judged(viewpoint, (entries[row.position] for row in unplaced)))


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


def _state(began: Entry, latest: Entry, written: Sequence[str], pending: Sequence[Judged]) -> AreaState:
    """An area's state, as ``areas.area_states`` makes it, from the entries that began and last
    reported its status."""
    began_action, latest_action = _area(began), _area(latest)
    return AreaState(
        place=latest_action.area,
        written=tuple(written),
        status=latest_action.status,
        since=began_action.occurred,
        reported_by=Transition(began, began_action),
        latest=Transition(latest, latest_action),
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


def _unsettled_clusters(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    """The clusters with an action or amendment the viewpoint does not know for certain."""
    known, parameters = _known(viewpoint)
    return (
        f"SELECT cluster FROM rm_entry WHERE cluster IS NOT NULL AND NOT ({known}) "
        f"UNION SELECT cluster FROM rm_amendment WHERE cluster IS NOT NULL AND NOT ({known})",
        (*parameters, *parameters),
    )


def _settled(viewpoint: Viewpoint) -> tuple[str, tuple[Any, ...]]:
    if only_as_of(viewpoint):
        return "1 = 1", ()
    unsettled, parameters = _unsettled_clusters(viewpoint)
    return f"(cluster IS NULL OR cluster NOT IN ({unsettled}))", parameters


def _unsettled_entries(tx: Transaction, events: EventReader, viewpoint: Viewpoint) -> tuple[Entry, ...]:
    """The actions of the clusters the viewpoint does not fully know, as the fold resolves each
    cluster from that viewpoint (from their events)."""
    unsettled, parameters = _unsettled_clusters(viewpoint)
    clusters = [int(c) for (c,) in tx.rows(unsettled, parameters)]
    if not clusters:
        return ()
    positions = [
        int(p)
        for (p,) in tx.rows_in("SELECT position FROM rm_entry WHERE cluster IN ({in})", clusters)
        + tx.rows_in("SELECT position FROM rm_amendment WHERE cluster IN ({in})", clusters)
    ]
    return resolve(events.ledger(positions), viewpoint).entries


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
    ends after it), in occurred order: one index range per span class, since a span of class c
    is shorter than 2**c days and so starts after ``day`` - 2**c."""
    if day is None:
        return []
    top = int(tx.value("SELECT MAX(occ_class) FROM rm_entry") or 0)
    text = day.isoformat()
    ranges: list[str] = []
    parameters: list[Any] = []
    for span_class in range(1, top + 1):
        earliest = day - timedelta(days=min(2**span_class, (day - date.min).days))
        ranges.append(
            "SELECT position, stamp, occ_end, family, set_aside "
            "FROM rm_entry WHERE occ_class = ? AND occ_start > ? AND occ_start <= ?"
        )
        parameters += [span_class, earliest.isoformat(), text]
    if not ranges:
        return []
    found = tx.rows(
        f"SELECT position, stamp FROM ({' UNION ALL '.join(ranges)}) AS spans "
        "WHERE occ_end > ? AND family = ? AND set_aside = 0",
        (*parameters, text, family),
    )
    entries = list(payloads.entries(tx, [(int(p), int(s)) for p, s in found]).values())
    entries.sort(key=Entry.occurred_order)
    return entries


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
