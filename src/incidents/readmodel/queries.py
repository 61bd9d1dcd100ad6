"""Totals and area status from the read model, on the three clocks: the same answers as the
fold (``views.totals_view``, ``views.areas_view``), from indexed tables.

Two paths, chosen by the viewpoint:

- **as of a day** (no ``--known-at``, no ``--recorded-at``): every amendment is known, so the
  stored rows are the actions as the fold resolves them. Totals by metric and side add up a few
  dozen rows of ``rm_sums`` (years before the day, months before it in its year, days before it
  in its month); each area's status is one index seek in its timeline. What straddles the day
  is found by span class (``straddling``).
- **any other viewpoint** (or totals ``--by`` other groupings): the rows are filtered by the
  clocks in SQL and summed by the database; the clusters the viewpoint does not fully know are
  resolved again by the fold from their events, and added in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import groupby
from typing import Any

from incidents.domain.actions import Metric
from incidents.domain.values import Estimate
from incidents.projections.clocks import OCCURRED, Standing, Verdict, Viewpoint, straddles
from incidents.projections.resolution import resolve
from incidents.projections.totals import TotalRow
from incidents.readmodel.database import Transaction
from incidents.readmodel.fetch import EventReader
from incidents.readmodel.rows import (
    AREA_FAMILY,
    COUNTED_FAMILY,
    ENTRY_COLUMNS,
    EntryRow,
    entry_row,
    recorded_text,
)
from incidents.readmodel.timeline import TIMELINE_COLUMNS, TimelinePoint, current_state, point, spellings
from incidents.rendering import Result, Row
from incidents.views import area_row, areas_result, pending_text, totals_result, uncertain_row

_ROW_COLUMNS = ", ".join(ENTRY_COLUMNS)
_METRIC_ORDER = {metric.value: index for index, metric in enumerate(Metric)}
_SUMMED = (
    "SUM(low), SUM(COALESCE(best, 0)), SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), COUNT(*)"
)


def only_as_of(viewpoint: Viewpoint) -> bool:
    return viewpoint.known_at is None and viewpoint.recorded_at is None


# --- Totals ---------------------------------------------------------------------------------


def totals(tx: Transaction, events: EventReader, viewpoint: Viewpoint, by: Sequence[str] = ()) -> Result:
    groupings = [name for name in by if name != "side"]
    uncertain: list[tuple[EntryRow, str | None]]
    if only_as_of(viewpoint) and not groupings:
        sums = _sums_as_of(tx, viewpoint.as_of)
        uncertain = [
            (row, _straddling_reason(viewpoint, row))
            for row in straddling(tx, viewpoint.as_of, COUNTED_FAMILY)
        ]
    else:
        sums, uncertain = _scan_totals(tx, events, viewpoint, groupings)
    rows = [
        TotalRow(Metric(metric), side, groups, _estimate(low, best, missing, high), events_count)
        for (metric, side, groups), (low, best, missing, high, events_count) in sums.items()
        if events_count
    ]
    rows.sort(key=lambda row: (_METRIC_ORDER[row.metric.value], row.side, [v or "" for _, v in row.groups]))
    return totals_result(rows, _uncertain_rows(uncertain), viewpoint, by)


Sums = dict[tuple[str, str, tuple[tuple[str, str | None], ...]], list[int]]


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
        "SELECT metric, side, SUM(low), SUM(best), SUM(best_missing), SUM(high), SUM(events) "
        f"FROM rm_sums WHERE {where} GROUP BY metric, side",
        parameters,
    )
    return {(metric, side, ()): [int(v) for v in values] for metric, side, *values in found}


def _scan_totals(
    tx: Transaction, events: EventReader, viewpoint: Viewpoint, groupings: Sequence[str]
) -> tuple[Sums, list[tuple[EntryRow, str | None]]]:
    settled, parameters = _settled(viewpoint)
    counted, counted_parameters = _counted(viewpoint)
    columns = ", ".join(["metric", "side", *groupings])
    sums: Sums = {}
    found = tx.rows(
        f"SELECT {columns}, {_SUMMED} FROM rm_entry WHERE family = 'counted' AND set_aside = 0 "
        f"AND {settled} AND {counted} GROUP BY {columns}",
        (*parameters, *counted_parameters),
    )
    for row in found:
        metric, side, *values = row
        groups = tuple(zip(groupings, values[: len(groupings)], strict=True))
        sums[(metric, side, groups)] = [int(v) for v in values[len(groupings) :]]
    visible, visible_parameters = _visible(viewpoint)
    uncertain = [
        (row, verdict.reason)
        for row in _rows(
            tx,
            f"family = 'counted' AND set_aside = 0 AND {settled} AND {visible} AND NOT ({counted})",
            (*parameters, *visible_parameters, *counted_parameters),
        )
        if (verdict := _judge(viewpoint, row)).standing is Standing.UNCERTAIN
    ]
    for row in _unsettled_rows(tx, events, viewpoint, COUNTED_FAMILY):
        verdict = _judge(viewpoint, row)
        if verdict.standing is Standing.COUNTED:
            groups = tuple((name, getattr(row, name)) for name in groupings)
            add = sums.setdefault((str(row.metric), str(row.side), groups), [0, 0, 0, 0, 0])
            for index, value in enumerate(
                (row.low, row.best or 0, int(row.best is None), row.high, 1),
            ):
                add[index] += int(value or 0)
        elif verdict.standing is Standing.UNCERTAIN:
            uncertain.append((row, verdict.reason))
    return sums, uncertain


# --- Areas ----------------------------------------------------------------------------------


def areas(tx: Transaction, events: EventReader, viewpoint: Viewpoint) -> Result:
    if only_as_of(viewpoint):
        return _areas_as_of(tx, viewpoint)
    return _scan_areas(tx, events, viewpoint)


def _areas_as_of(tx: Transaction, viewpoint: Viewpoint) -> Result:
    day = viewpoint.as_of.isoformat() if viewpoint.as_of else "9999-12-31"
    columns = ", ".join("t." + c for c in TIMELINE_COLUMNS)
    if tx.postgres:  # the latest point on or before the day, per area: one index seek each
        latest = (
            "CROSS JOIN LATERAL (SELECT * FROM rm_timeline x WHERE x.area_key = a.area_key "
            "AND x.d <= ? ORDER BY x.d DESC LIMIT 1) t"
        )
    else:
        latest = (
            "JOIN rm_timeline t ON t.area_key = a.area_key AND t.d = "
            "(SELECT MAX(x.d) FROM rm_timeline x WHERE x.area_key = a.area_key AND x.d <= ?)"
        )
    found = tx.rows(f"SELECT {columns}, a.written FROM rm_area a {latest}", (day,))
    pending: dict[str, list[tuple[EntryRow, str | None]]] = {}
    for row in straddling(tx, viewpoint.as_of, AREA_FAMILY):
        pending.setdefault(str(row.area_key), []).append((row, _straddling_reason(viewpoint, row)))
    states = []
    for *values, written in found:
        at = TimelinePoint(*values)
        states.append((at, json.loads(written), pending.pop(at.area_key, [])))
    states.sort(key=lambda state: (state[0].province or "~", state[0].label.casefold(), state[0].area_key))
    rows = tuple(_area_row(point, written, waiting) for point, written, waiting in states)
    unplaced = sorted(
        (item for items in pending.values() for item in items), key=lambda i: i[0].occurred_order()
    )
    return areas_result(rows, _uncertain_rows(unplaced), viewpoint)


def _area_row(at: TimelinePoint, written: list[str], pending: Sequence[tuple[EntryRow, str | None]]) -> Row:
    return area_row(
        label=at.label,
        province=at.province,
        district=at.district,
        pcode=at.pcode,
        resolved=bool(at.resolved),
        written=written,
        status=at.status,
        since=(at.since_text, at.since_start, at.since_end),
        source=at.outlet,
        quote=at.quote,
        pending=[pending_text(row.summary, reason) for row, reason in pending],
    )


def _scan_areas(tx: Transaction, events: EventReader, viewpoint: Viewpoint) -> Result:
    """Areas from a viewpoint on the reported or recorded clock: each area's rows, read one area
    at a time (in area order, so that memory holds one area), judged and folded."""
    settled, parameters = _settled(viewpoint)
    unsettled: dict[str, list[EntryRow]] = {}
    for row in _unsettled_rows(tx, events, viewpoint, AREA_FAMILY):
        unsettled.setdefault(str(row.area_key), []).append(row)
    found = tx.stream(
        f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE family = 'area' AND set_aside = 0 AND {settled} "
        "ORDER BY area_key",
        parameters,
    )
    states: list[tuple[TimelinePoint, list[str], list[tuple[EntryRow, str | None]]]] = []
    unplaced: list[tuple[EntryRow, str | None]] = []
    for key, settled_rows in groupby(
        (EntryRow._make(row) for row in found), key=lambda row: str(row.area_key)
    ):
        _fold_area(viewpoint, key, [*settled_rows, *unsettled.pop(key, [])], states, unplaced)
    for key, unsettled_rows in unsettled.items():  # areas whose every row is in an unsettled cluster
        _fold_area(viewpoint, key, unsettled_rows, states, unplaced)
    states.sort(key=lambda state: (state[0].province or "~", state[0].label.casefold(), state[0].area_key))
    unplaced.sort(key=lambda item: item[0].occurred_order())
    rows = tuple(_area_row(p, written, waiting) for p, written, waiting in states)
    return areas_result(rows, _uncertain_rows(unplaced), viewpoint)


def _fold_area(
    viewpoint: Viewpoint,
    key: str,
    transitions: list[EntryRow],
    states: list[tuple[TimelinePoint, list[str], list[tuple[EntryRow, str | None]]]],
    unplaced: list[tuple[EntryRow, str | None]],
) -> None:
    """One area's state from the viewpoint, as ``areas.area_states`` folds it."""
    transitions.sort(key=EntryRow.occurred_order)
    counted: list[EntryRow] = []
    waiting: list[tuple[EntryRow, str | None]] = []
    for row in transitions:
        verdict = _judge(viewpoint, row)
        if verdict.standing is Standing.COUNTED:
            counted.append(row)
        elif verdict.standing is Standing.UNCERTAIN:
            waiting.append((row, verdict.reason))
    if not counted:
        unplaced.extend(waiting)
        return
    began, latest = current_state(counted)
    states.append((point(key, latest.occ_end, began, latest), spellings(transitions), waiting))


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


def _unsettled_rows(
    tx: Transaction, events: EventReader, viewpoint: Viewpoint, family: str
) -> list[EntryRow]:
    """The rows of ``family`` of the clusters the viewpoint does not fully know, as the fold
    resolves each cluster from that viewpoint."""
    unsettled, parameters = _unsettled_clusters(viewpoint)
    clusters = [int(c) for (c,) in tx.rows(unsettled, parameters)]
    if not clusters:
        return []
    positions = [
        int(p)
        for (p,) in tx.rows_in("SELECT position FROM rm_entry WHERE cluster IN ({in})", clusters)
        + tx.rows_in("SELECT position FROM rm_amendment WHERE cluster IN ({in})", clusters)
    ]
    resolved = resolve(events.ledger(positions), viewpoint)
    rows = [entry_row(entry) for entry in resolved.entries]
    return [row for row in rows if row.family == family]


def _rows(tx: Transaction, where: str, parameters: Sequence[Any]) -> list[EntryRow]:
    return [
        EntryRow(*row) for row in tx.rows(f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE {where}", parameters)
    ]


def straddling(tx: Transaction, day: date | None, family: str) -> list[EntryRow]:
    """The rows of ``family`` whose occurred span straddles ``day`` (starts on or before it,
    ends after it): one index range per span class, since a span of class c is shorter than
    2**c days and so starts after ``day`` - 2**c."""
    if day is None:
        return []
    top = int(tx.value("SELECT MAX(occ_class) FROM rm_entry") or 0)
    text = day.isoformat()
    ranges: list[str] = []
    parameters: list[Any] = []
    for span_class in range(1, top + 1):
        earliest = day - timedelta(days=min(2**span_class, (day - date.min).days))
        ranges.append(
            f"SELECT {_ROW_COLUMNS} FROM rm_entry WHERE occ_class = ? AND occ_start > ? AND occ_start <= ?"
        )
        parameters += [span_class, earliest.isoformat(), text]
    if not ranges:
        return []
    found = [
        EntryRow._make(row)
        for row in tx.rows(
            f"SELECT * FROM ({' UNION ALL '.join(ranges)}) AS spans "
            "WHERE occ_end > ? AND family = ? AND set_aside = 0",
            (*parameters, text, family),
        )
    ]
    found.sort(key=EntryRow.occurred_order)
    return found


def _judge(viewpoint: Viewpoint, row: EntryRow) -> Verdict:
    return viewpoint.judge_recording(row.position, row.recorded_at, row.published, row.occurred)


def _straddling_reason(viewpoint: Viewpoint, row: EntryRow) -> str:
    """Why a row found by ``straddling`` is uncertain, from a viewpoint with only ``as_of``: its
    occurred span straddles the day (what ``judge_recording`` says of it, without parsing it)."""
    assert viewpoint.as_of is not None
    assert only_as_of(viewpoint)
    clock, option = OCCURRED
    return straddles(clock, row.occ_text, option, viewpoint.as_of)


def _uncertain_rows(judged: Iterable[tuple[EntryRow, str | None]]) -> tuple[Row, ...]:
    ordered = sorted(judged, key=lambda item: item[0].occurred_order())
    return tuple(
        uncertain_row(row.occ_text, row.kind, row.summary, reason, row.outlet, row.report_key, row.action_id)
        for row, reason in ordered
    )
