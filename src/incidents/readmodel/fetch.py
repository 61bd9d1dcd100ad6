"""Entries read back from the event store by position: the few actions and amendments that the
read model resolves with the fold itself (those that amendments touch)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.persistence import Notification

from incidents.application import IncidentLog
from incidents.domain.report import Report
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, ReportRef

REPORT_CACHE = 20_000  # reports remembered between lookups (an import's batch is far fewer)


class EventReader:
    """Decodes notifications into ledger entries, and reads single ones back by position."""

    def __init__(self, log: IncidentLog) -> None:
        self.log = log
        self._reports: dict[UUID, ReportRef] = {}
        self._known: dict[int, Entry | AmendmentEntry] = {}

    def decode(self, notification: Notification) -> Entry | AmendmentEntry | None:
        """The entry a notification records; None for a report's registration (remembered)."""
        event = self.log.mapper.to_domain_event(notification)
        if isinstance(event, Report.Registered):
            self._remember(event.originator_id, ReportRef(event.key, event.source))
            return None
        if isinstance(event, Report.ActionRecorded):
            report = self.report(event.originator_id)
            return Entry(event.action, report, notification.id, event.timestamp, event.originator_version)
        if isinstance(event, Report.AmendmentRecorded):
            report = self.report(event.originator_id)
            return AmendmentEntry(
                event.amendment, report, notification.id, event.timestamp, event.originator_version
            )
        return None

    def keep(self, entries: Iterable[Entry | AmendmentEntry]) -> None:
        """Entries just decoded, to be found by ``at`` without reading them again."""
        self._known = {entry.position: entry for entry in entries}

    def at(self, position: int) -> Entry | AmendmentEntry:
        known = self._known.get(position)
        if known is not None:
            return known
        found = self.log.recorder.select_notifications(start=position, limit=1)
        entry = self.decode(found[0]) if found and found[0].id == position else None
        if entry is None:
            raise LookupError(f"no action or amendment at position {position} of the log")
        return entry

    def ledger(self, positions: Iterable[int]) -> Ledger:
        """The actions and amendments at these positions, as a ledger in recorded order."""
        found = [self.at(position) for position in sorted(set(positions))]
        return Ledger(
            tuple(entry for entry in found if isinstance(entry, Entry)),
            tuple(entry for entry in found if isinstance(entry, AmendmentEntry)),
        )

    def report(self, originator_id: UUID) -> ReportRef:
        known = self._reports.get(originator_id)
        if known is not None:
            return known
        first = self.log.recorder.select_events(originator_id, limit=1)
        registered = self.log.mapper.to_domain_event(first[0])
        assert isinstance(registered, Report.Registered)
        report = ReportRef(registered.key, registered.source)
        self._remember(originator_id, report)
        return report

    def _remember(self, originator_id: UUID, report: ReportRef) -> None:
        if len(self._reports) >= REPORT_CACHE:
            self._reports.clear()
        self._reports[originator_id] = report
