"""DEPRECATED, to be removed: the read model's old row shaping (see ``incidents.output.rows``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from incidents.domain.actions import CountedAction
from incidents.domain.values import Estimate
from incidents.output.describe import scope_label, summarise
from incidents.output.render import Result, Row
from incidents.projections.areas import area_history, area_states
from incidents.projections.claims import compare_claims
from incidents.projections.clocks import Judged, Viewpoint
from incidents.projections.ledger import Entry, Ledger
from incidents.projections.replay import replay
from incidents.projections.resolution import resolve
from incidents.projections.strength import strength_estimates
from incidents.projections.totals import TotalRow, totals

# What a view reads: the whole ledger, or plain entries (a log without amendments).
LogView = Ledger | Sequence[Entry]


def effective(log: LogView, viewpoint: Viewpoint) -> tuple[Entry, ...]:
    """The actions as the viewpoint counts them: with the amendments it knows of applied."""
    if isinstance(log, Ledger):
        return resolve(log, viewpoint).entries
    return tuple(log)


def estimate_cells(estimate: Estimate, prefix: str = "") -> Row:
    return {
        f"{prefix}best": estimate.best,
        f"{prefix}low": estimate.low,
        f"{prefix}high": estimate.high,
    }


def _source(entry: Entry) -> str:
    return entry.report.source.outlet


def uncertain_row(
    occurred: object, kind: str, summary: str, reason: str | None, source: str, report: str, action_id: str
) -> Row:
    """An entry that is neither counted nor excluded, and why: as every query lists it."""
    return {
        "occurred": str(occurred),
        "type": kind,
        "summary": summary,
        "reason": reason,
        "source": source,
        "report": report,
        "id": action_id,
    }


def _uncertain(judged: Sequence[Judged]) -> tuple[Row, ...]:
    return tuple(
        uncertain_row(
            j.entry.action.occurred,
            j.entry.action.kind,
            summarise(j.entry.action),
            j.verdict.reason,
            _source(j.entry),
            j.entry.report.key,
            j.entry.action.id,
        )
        for j in judged
    )


def totals_view(log: LogView, viewpoint: Viewpoint, by: Sequence[str] = ()) -> Result:
    result = totals(effective(log, viewpoint), viewpoint, by)
    return totals_result(result.rows, _uncertain(result.uncertain), viewpoint, by)


def totals_result(
    total_rows: Sequence[TotalRow], uncertain: tuple[Row, ...], viewpoint: Viewpoint, by: Sequence[str]
) -> Result:
    """The totals as every query path prints them (rows in ``totals``'s order)."""
    keys = [name for name in by if name != "side"]
    rows = tuple(
        {
            "metric": row.metric.value,
            "side": row.side,
            **dict(row.groups),
            **estimate_cells(row.estimate),
            "events": row.events,
        }
        for row in total_rows
    )
    columns = ("metric", "side", *keys, "best", "low", "high", "events")
    query: dict[str, Any] = {**viewpoint.describe(), "by": list(by)}
    return Result("Totals", columns, rows, query, uncertain)


def areas_view(log: LogView, viewpoint: Viewpoint) -> Result:
    result = area_states(effective(log, viewpoint), viewpoint)
    rows = tuple(
        area_row(
            label=state.place.label,
            province=state.place.province,
            district=state.place.unit.district if state.place.unit else None,
            pcode=state.place.unit.pcode if state.place.unit else None,
            resolved=state.place.resolved,
            written=list(state.written),
            status=state.status.value,
            since=(str(state.since), state.since.start.isoformat(), state.since.end.isoformat()),
            source=_source(state.reported_by.entry),
            quote=state.reported_by.action.quote,
            pending=[pending_text(summarise(j.entry.action), j.verdict.reason) for j in state.pending],
        )
        for state in result.states
    )
    return areas_result(rows, _uncertain(result.uncertain), viewpoint)


def pending_text(summary: str, reason: str | None) -> str:
    return f"{summary} ({reason})"


def area_row(
    *,
    label: str,
    province: str | None,
    district: str | None,
    pcode: str | None,
    resolved: bool,
    written: list[str],
    status: str,
    since: tuple[str, str, str],  # as printed, and its first and last days (ISO)
    source: str,
    quote: str,
    pending: list[str],
) -> Row:
    """An area's status as every query path prints it."""
    return {
        "area": label,
        "province": province,
        "district": district,
        "pcode": pcode,
        "resolved": resolved,
        "written": written,
        "status": status,
        "since": since[0],
        "since_start": since[1],
        "since_end": since[2],
        "source": source,
        "quote": quote,
        "pending": pending,
    }


AREA_COLUMNS = (
    "area",
    "province",
    "district",
    "pcode",
    "resolved",
    "written",
    "status",
    "since",
    "since_start",
    "since_end",
    "source",
    "quote",
    "pending",
)
AREA_TABLE_COLUMNS = (
    "area",
    "resolved",
    "province",
    "district",
    "written",
    "status",
    "since",
    "source",
    "pending",
)


def areas_result(rows: tuple[Row, ...], uncertain: tuple[Row, ...], viewpoint: Viewpoint) -> Result:
    return Result("Area status", AREA_COLUMNS, rows, viewpoint.describe(), uncertain, AREA_TABLE_COLUMNS)


def area_history_view(log: LogView, viewpoint: Viewpoint, name: str) -> Result:
    rows = tuple(
        {
            "area": t.action.area.label,
            "written": t.action.area.written,
            "status": t.status.value,
            "occurred": str(t.action.occurred),
            "standing": standing.value,
            "source": _source(t.entry),
            "published": str(t.entry.report.source.published),
            "quote": t.action.quote,
        }
        for t, standing in area_history(effective(log, viewpoint), viewpoint, name).transitions
    )
    columns = ("area", "written", "status", "occurred", "standing", "source", "published", "quote")
    return Result(f"History of {name}", columns, rows, {**viewpoint.describe(), "area": name})


def claims_view(log: LogView, viewpoint: Viewpoint) -> Result:
    answer = compare_claims(effective(log, viewpoint), viewpoint)
    comparisons, uncertain = answer.comparisons, answer.uncertain
    rows = tuple(
        {
            "metric": c.claim.metric.value,
            "side": c.claim.side.canonical,
            "scope": scope_label(c.claim),
            "as_of": str(c.claim.occurred),
            "claimed": c.claim.count.best,
            **estimate_cells(c.claim.count, "claimed_"),
            "itemised": c.itemised.best,
            **estimate_cells(c.itemised, "itemised_"),
            "remainder": c.remainder,
            "uncertain": len(c.uncertain),
            "claimant": c.claim.claimant.canonical if c.claim.claimant else None,
            "source": _source(c.entry),
            "quote": c.claim.quote,
        }
        for c in comparisons
    )
    for row in rows:
        del row["claimed_best"], row["itemised_best"]
    columns = (
        "metric",
        "side",
        "scope",
        "as_of",
        "claimed",
        "claimed_low",
        "claimed_high",
        "itemised",
        "itemised_low",
        "itemised_high",
        "remainder",
        "uncertain",
        "claimant",
        "source",
        "quote",
    )
    table = (
        "metric",
        "side",
        "scope",
        "as_of",
        "claimed",
        "itemised",
        "remainder",
        "uncertain",
        "source",
    )
    return Result(
        "Claims against itemised incidents", columns, rows, viewpoint.describe(), _uncertain(uncertain), table
    )


def replay_view(log: LogView, viewpoint: Viewpoint) -> Result:
    result = replay(effective(log, viewpoint), viewpoint)
    rows = []
    for step in result.steps:
        action = step.entry.action
        running = (
            step.running_for(action.metric, action.side.canonical)
            if isinstance(action, CountedAction)
            else None
        )
        rows.append(
            {
                "occurred": str(action.occurred),
                "type": action.kind,
                "summary": summarise(action),
                "running_total": None if running is None else str(running),
                "source": _source(step.entry),
                "report": step.entry.report.key,
                "id": action.id,
                "totals": [
                    {"metric": m.value, "side": s, **estimate_cells(estimate)}
                    for m, s, estimate in step.running
                ],
            }
        )
    columns = ("occurred", "type", "summary", "running_total", "source", "report", "id")
    table = ("occurred", "summary", "running_total", "source")
    query = {
        "until": viewpoint.as_of.isoformat() if viewpoint.as_of else None,
        **viewpoint.describe(),
    }
    del query["as_of"]
    return Result(
        "Replay in occurred order", columns, tuple(rows), query, _uncertain(result.uncertain), table
    )


def strength_view(log: LogView, viewpoint: Viewpoint) -> Result:
    answer = strength_estimates(effective(log, viewpoint), viewpoint)
    estimates, uncertain = answer.estimates, answer.uncertain
    rows = tuple(
        {
            "side": estimate.side.canonical,
            **estimate_cells(estimate.count),
            "region": estimate.region,
            "estimator": estimate.estimator,
            "occurred": str(estimate.occurred),
            "source": _source(entry),
            "quote": estimate.quote,
        }
        for entry, estimate in estimates
    )
    columns = ("side", "best", "low", "high", "region", "estimator", "occurred", "source", "quote")
    table = ("side", "low", "best", "high", "region", "estimator", "occurred", "source")
    return Result("Strength estimates", columns, rows, viewpoint.describe(), _uncertain(uncertain), table)
