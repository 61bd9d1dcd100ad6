"""Small builders for domain objects, so that tests say only what matters to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from incidents.application import IncidentLog, Outcome
from incidents.domain.actions import (
    AreaAction,
    AreaCleared,
    Arrested,
    ClearingStarted,
    CountedAction,
    Killed,
    MaterielSeized,
    Metric,
    ReportedAction,
    ThreatReported,
    TotalClaimed,
    Wounded,
)
from incidents.domain.values import AdminUnit, DateSpan, Estimate, Name, Place, SourceRef
from incidents.formats.report_file import ReportContent
from incidents.projections.ledger import Entry, ReportRef, read_ledger

OPERATION = Name("Will of Victory", "Will to Victory")
ISIS = Name("ISIS", "Daesh")
PMF = Name("PMF", "Hashd al-Shaabi")
GARMA = AdminUnit("IQG01Q01N02", "Al-Garma", 3, "Al-Anbar", "Al-Falluja")
ANBAR = AdminUnit("IQG01", "Al-Anbar", 1, "Al-Anbar")

C = TypeVar("C", bound=CountedAction)


def read_entries(log: IncidentLog) -> list[Entry]:
    """Every recorded action, in recorded order (amendments left out)."""
    return list(read_ledger(log).entries)


def day(text: str) -> date:
    return date.fromisoformat(text)


def span(text: str) -> DateSpan:
    return DateSpan.parse(text)


def source(
    published: str = "2019-08-28", *, outlet: str = "Test Outlet", url: str | None = None
) -> SourceRef:
    return SourceRef(
        outlet=outlet,
        url=url or f"https://example.org/{outlet.lower().replace(' ', '-')}/{published}",
        published=span(published),
    )


def counted(
    kind: type[C], occurred: str, count: Estimate | int, *, id: str, side: Name = ISIS, **fields: object
) -> C:
    """Any counted action; its quote is its kind."""
    estimate = count if isinstance(count, Estimate) else Estimate.exactly(count)
    return kind(id=id, occurred=span(occurred), quote=kind.kind, side=side, count=estimate, **fields)


def killed(occurred: str, count: Estimate | int, *, id: str = "k", **fields: object) -> Killed:
    return counted(Killed, occurred, count, id=id, **fields)  # type: ignore[arg-type]


def wounded(occurred: str, count: int, *, id: str = "w", **fields: object) -> Wounded:
    return counted(Wounded, occurred, count, id=id, **fields)  # type: ignore[arg-type]


def arrested(occurred: str, count: int, *, id: str = "a", **fields: object) -> Arrested:
    return counted(Arrested, occurred, count, id=id, **fields)  # type: ignore[arg-type]


def seized(occurred: str, count: int, item: str, *, id: str = "s", **fields: object) -> MaterielSeized:
    return counted(MaterielSeized, occurred, count, id=id, item=item, **fields)  # type: ignore[arg-type]


def claim(
    occurred: str, metric: Metric, count: int, *, id: str = "c", side: Name = ISIS, **fields: object
) -> TotalClaimed:
    return TotalClaimed(
        id=id,
        occurred=span(occurred),
        quote="this brings the total to",
        metric=metric,
        side=side,
        count=Estimate.exactly(count),
        **fields,  # type: ignore[arg-type]
    )


def area(
    kind: type[ThreatReported | ClearingStarted | AreaCleared], occurred: str, place: Place, id: str
) -> AreaAction:
    return kind(id=id, occurred=span(occurred), quote=f"{place.written} {kind.kind}", area=place)


def content(
    key: str, published: str, actions: Sequence[ReportedAction], outlet: str = "Test Outlet"
) -> ReportContent:
    return ReportContent(
        key=key, source=source(published, outlet=outlet), actions=tuple(actions), file=f"{key}.yaml"
    )


def record(log: IncidentLog, report: ReportContent) -> Outcome:
    [outcome] = log.record_reports([report])
    return outcome


def entries_of(reports: Iterable[ReportContent]) -> list[Entry]:
    """Entries as the ledger would read them, built directly (for pure folds): in the given order."""
    entries: list[Entry] = []
    position = 0
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for report in reports:
        position += 1  # the report's Registered event
        ref = ReportRef(report.key, report.source)
        for sequence, action in enumerate(report.actions, start=2):
            position += 1
            entries.append(
                Entry(
                    action=action,
                    report=ref,
                    position=position,
                    recorded=start + timedelta(seconds=position),
                    sequence=sequence,
                )
            )
    return entries
