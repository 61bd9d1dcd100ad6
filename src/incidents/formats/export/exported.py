"""What an export holds: the actions as a viewpoint counts them, each with its report's source.

An export is the log *as the viewpoint sees it*, not the log itself: the amendments the viewpoint
knows of are applied (corrected values, retracted actions left out, actions linked as one
incident written once, as the member that counts), and the actions the viewpoint excludes
(recorded later, published later, occurred later) are left out. Uncertain actions are kept and
marked, as every query lists them: an export never silently drops or counts them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime

from attrs import frozen

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import ActionRef
from incidents.domain.errors import IncidentsError
from incidents.domain.values import SourceRef
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Ledger
from incidents.projections.phases import phase_timeline
from incidents.projections.resolution import Resolved, resolve


class ExportError(IncidentsError):
    """The log cannot be written in the chosen format without losing something; nothing is written."""


@frozen
class ExportedAction:
    """One exported action, its report, when the store recorded it, and why it is uncertain."""

    report_key: str
    source: SourceRef
    action: ReportedAction
    recorded: datetime
    uncertain_because: str | None = None  # None: counted from the viewpoint
    # A launch another source numbers or dates differently, as ``phases`` marks it (None: none).
    conflict: str | None = None
    # In an export of changes (``export --changed-since``): no longer exported since then; the
    # values are those last exported.
    withdrawn: bool = False

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.report_key, self.action.id)


@frozen
class ExportedReport:
    """The exported actions of one report, in the report's order."""

    key: str
    source: SourceRef
    actions: tuple[ExportedAction, ...]


@frozen
class Written:
    """What a writer wrote, and what it left out and why (told on standard error)."""

    actions: int
    left_out: str | None = None


def exported_actions(
    ledger: Ledger,
    viewpoint: Viewpoint,
    resolved: Resolved | None = None,
    kinds: Container[str] | None = None,
) -> list[ExportedAction]:
    """Every action the viewpoint counts or holds uncertain (of ``kinds``, if given), with the
    amendments it knows of applied, in recorded order (from ``resolved``, the ledger as the
    viewpoint resolves it, when the caller has it already)."""
    exported = []
    resolved = resolve(ledger, viewpoint) if resolved is None else resolved
    disputes = phase_timeline(resolved, viewpoint).disputes()
    for entry in resolved.entries:
        if kinds is not None and entry.action.kind not in kinds:
            continue
        verdict = viewpoint.judge(entry)
        if verdict.standing is Standing.EXCLUDED:
            continue
        uncertain = verdict.reason if verdict.standing is Standing.UNCERTAIN else None
        dispute = disputes.get(entry.ref)
        exported.append(
            ExportedAction(
                entry.report.key,
                entry.report.source,
                entry.action,
                entry.recorded,
                uncertain,
                dispute.text if dispute else None,
            )
        )
    return exported


def by_report(exported: Iterable[ExportedAction]) -> list[ExportedReport]:
    """The exported actions grouped by report, reports in the order they first appear."""
    groups: dict[str, list[ExportedAction]] = {}
    for item in exported:
        groups.setdefault(item.report_key, []).append(item)
    return [ExportedReport(key, items[0].source, tuple(items)) for key, items in groups.items()]
