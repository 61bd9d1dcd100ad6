"""Rows for the provenance queries: explain, history and conflicts (JSON contract in docs/cli.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from incidents.domain.actions import CountedAction, Metric
from incidents.domain.amendments import ActionRef
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.conflicts import find_conflicts
from incidents.projections.describe import describe_amendment, summarise, value_text
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger
from incidents.projections.provenance import Change, explain, history
from incidents.projections.resolution import resolve
from incidents.projections.totals import GROUPINGS, sum_counts
from incidents.rendering import Result, Row
from incidents.views import estimate_cells


def _source_cells(entry: Entry | AmendmentEntry) -> Row:
    source = entry.report.source
    return {
        "source": source.outlet,
        "published": str(source.published),
        "url": source.url,
        "report": entry.report.key,
    }


def _change_text(change: Change) -> str:
    correction = change.correction
    return (
        f"{change.field} {value_text(change.before)} -> {value_text(change.after)} "
        f"by {correction.ref} ({correction.report.source.outlet}, {correction.report.source.published})"
    )


def explain_view(
    ledger: Ledger, viewpoint: Viewpoint, metric: Metric, side: str, by: Sequence[str] = ()
) -> Result:
    explanation = explain(ledger, viewpoint, metric, side)
    keys = [name for name in by if name != "side"]
    rows = []
    for contribution in explanation.contributions:
        entry = contribution.entry
        action = entry.action
        assert isinstance(action, CountedAction)
        rows.append(
            {
                "standing": contribution.verdict.standing.value,
                "reason": contribution.verdict.reason,
                **{name: GROUPINGS[name](entry, action) for name in keys},
                **estimate_cells(action.count),
                "occurred": str(action.occurred),
                "precision": action.occurred.precision.value,
                "summary": summarise(action),
                "corrections": [_change_text(change) for change in contribution.changes],
                **_source_cells(entry),
                "id": action.id,
                "quote": action.quote,
            }
        )
    counted = [(c.entry, c.entry.action) for c in explanation.counted()]
    total = sum_counts((entry, action) for entry, action in counted if isinstance(action, CountedAction))
    uncertain = sum(1 for c in explanation.contributions if c.verdict.standing is Standing.UNCERTAIN)
    title = (
        f"{side} {metric.value}: {total} from {len(counted)} counted action(s); "
        f"{uncertain} uncertain, {len(rows) - len(counted) - uncertain} excluded"
    )
    columns = (
        "standing",
        "reason",
        *keys,
        "best",
        "low",
        "high",
        "occurred",
        "precision",
        "summary",
        "corrections",
        "source",
        "published",
        "url",
        "report",
        "id",
        "quote",
    )
    table = ("standing", *keys, "best", "occurred", "summary", "source", "published", "reason", "corrections")
    query: dict[str, Any] = {
        **viewpoint.describe(),
        "metric": metric.value,
        "side": side,
        "by": list(by),
        "total": estimate_cells(total),
    }
    return Result(title, columns, tuple(rows), query, (), table)


def history_view(ledger: Ledger, viewpoint: Viewpoint, refs: Sequence[ActionRef], subject: str) -> Result:
    rows = []
    for happening in history(ledger, viewpoint, refs):
        entry = happening.entry
        quote: str | None
        if isinstance(entry, Entry):
            event, what, quote = "stated", summarise(entry.action), entry.action.quote
            occurred: str | None = str(entry.action.occurred)
            reason = None
        else:
            amendment = entry.amendment
            event, what, quote = amendment.kind, describe_amendment(amendment, False), amendment.quote
            occurred, reason = None, amendment.reason
        rows.append(
            {
                "position": entry.position,
                "recorded": entry.recorded.isoformat(timespec="seconds"),
                "ref": str(happening.ref),
                "event": event,
                "what": what,
                "occurred": occurred,
                "why": reason,
                "standing": happening.standing,
                "note": happening.reason,
                **_source_cells(entry),
                "quote": quote,
            }
        )
    columns = (
        "position",
        "recorded",
        "ref",
        "event",
        "what",
        "occurred",
        "why",
        "standing",
        "note",
        "source",
        "published",
        "url",
        "report",
        "quote",
    )
    table = ("position", "event", "what", "occurred", "why", "standing", "source", "published")
    query = {**viewpoint.describe(), "subject": subject}
    return Result(f"History of {subject}", columns, tuple(rows), query, (), table)


def conflicts_view(ledger: Ledger, viewpoint: Viewpoint) -> Result:
    resolved = resolve(ledger, viewpoint)
    rows = []
    for conflict in find_conflicts(resolved, viewpoint):
        rows.append(
            {
                "kind": conflict.kind,
                "field": conflict.field,
                "subject": summarise(conflict.members[0].action),
                "values": [
                    f"{member.ref}: {value_text(value)} ({member.report.source.outlet}, "
                    f"{member.report.source.published})"
                    for member, value in zip(conflict.members, conflict.values, strict=True)
                ],
                "refs": [str(member.ref) for member in conflict.members],
                "used": str(conflict.used.ref) if conflict.used else None,
                "rule": conflict.rule,
            }
        )
    columns = ("kind", "field", "subject", "values", "refs", "used", "rule")
    table = ("kind", "field", "subject", "values", "used", "rule")
    return Result("Conflicts and likely duplicates", columns, tuple(rows), viewpoint.describe(), (), table)
