"""The overview: what an export from the same clocks writes, counted by action type."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hypothesis import HealthCheck, given, settings

from incidents.domain.actions import ACTION_KINDS
from incidents.domain.values import DateSpan
from incidents.formats.report_file import ReportContent
from incidents.projections.clocks import Viewpoint
from incidents.service import Export, Overview, Service
from incidents.storage.location import MemoryLocation
from tests.strategies import amended_logs, viewpoint_days


def _ends(span: DateSpan) -> tuple[date, date]:
    return span.start, span.end


def _overview_of_the_export(exported: Export) -> dict[str, tuple[int, int, int, date, date, date, date]]:
    """Per type (and ``all``): counted, uncertain, reports, and the days, from the export alone."""
    groups = defaultdict(list)
    for item in exported:
        groups[item.action.kind].append(item)
        groups["all"].append(item)
    found = {}
    for kind, items in groups.items():
        occurred = [day for item in items for day in (item.action.occurred.start, item.action.occurred.end)]
        published = [
            day for item in items for day in (item.source.published.start, item.source.published.end)
        ]
        uncertain = sum(1 for item in items if item.uncertain_because is not None)
        found[kind] = (
            len(items) - uncertain,
            uncertain,
            len({item.report_key for item in items}),
            min(occurred),
            max(occurred),
            min(published),
            max(published),
        )
    return found


def _as_found(answer: Overview) -> dict[str, tuple[int, int, int, date, date, date, date]]:
    rows = [*answer.types, *([answer.every] if answer.every else [])]
    return {
        row.type: (
            row.counted,
            row.uncertain,
            row.reports,
            row.occurred.first,
            row.occurred.last,
            row.published.first,
            row.published.last,
        )
        for row in rows
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amended_logs(), viewpoint_days, viewpoint_days)
def test_the_overview_counts_what_the_export_writes(
    log: list[ReportContent], as_of: date | None, known_at: date | None
) -> None:
    viewpoint = Viewpoint(as_of=as_of, known_at=known_at)
    with Service(MemoryLocation()) as service:
        for report in log:
            service.record([report])
        answer = service.overview(viewpoint=viewpoint)
        exported = service.export(viewpoint=viewpoint)
    assert _as_found(answer) == _overview_of_the_export(exported)
    assert [row.type for row in answer.types] == [kind for kind in ACTION_KINDS if kind in _as_found(answer)]


def test_an_empty_view_has_no_rows() -> None:
    with Service(MemoryLocation()) as service:
        answer = service.overview(viewpoint=Viewpoint(as_of=date(1990, 1, 1)))
    assert answer == Overview(types=(), every=None)
