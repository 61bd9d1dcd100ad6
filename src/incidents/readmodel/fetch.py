"""Entries read back from the event store by position: the few actions and amendments that the
read model resolves with the fold itself (those that amendments touch). An event that cannot be
read is an ``Unreadable`` (``projections.ledger``), as the fold's ledger has it."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.persistence import Notification

from incidents.application import IncidentLog
from incidents.domain.report import Report
from incidents.projections.ledger import (
    AmendmentEntry,
    Entry,
    Ledger,
    ReportRef,
    Undecoded,
    Unreadable,
    decoded,
    report_unreadable,
)

REPORT_CACHE = 20_000  # reports remembered between lookups (an import's batch is far fewer)


class EventReader:
    """Decodes notifications into ledger entries, and reads single ones back by position."""

    def __init__(self, log: IncidentLog) -> None:
        self.log = log
        self._reports: dict[UUID | str, ReportRef | Undecoded] = {}
        self._known: dict[int, Entry | AmendmentEntry] = {}

    def decode(self, notification: Notification) -> Entry | AmendmentEntry | Unreadable | None:
        """The entry a notification records, or why it cannot be read; None for a report's
        registration (remembered)."""
        return self._entry(notification, decoded(self.log.mapper, notification))

    def decode_batch(
        self, notifications: Iterable[Notification]
    ) -> list[Entry | AmendmentEntry | Unreadable | None]:
        """``decode`` of each notification."""
        mapper = self.log.mapper
        return [self._entry(notification, decoded(mapper, notification)) for notification in notifications]

    def _entry(self, notification: Notification, event: object) -> Entry | AmendmentEntry | Unreadable | None:
        if isinstance(event, Undecoded):
            if event.peeked.registration:
                self._remember(event.originator_id, event)
                return None
            report = self.report(event.originator_id)
            key = report.key if isinstance(report, ReportRef) else report.peeked.key
            peeked = event.peeked
            return Unreadable(notification.id, key, peeked.statement, event.why, peeked.recorded)
        if isinstance(event, Report.Registered):
            self._remember(event.originator_id, ReportRef(event.key, event.source))
            return None
        if isinstance(event, Report.ActionRecorded | Report.AmendmentRecorded):
            report = self.report(event.originator_id)
            if isinstance(report, Undecoded):
                statement_id = (
                    event.action.id if isinstance(event, Report.ActionRecorded) else event.amendment.id
                )
                return report_unreadable(
                    notification.id, report.peeked.key, statement_id, report.why, event.timestamp
                )
            if isinstance(event, Report.ActionRecorded):
                return Entry(event.action, report, notification.id, event.timestamp, event.originator_version)
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
        if not isinstance(entry, Entry | AmendmentEntry):
            raise LookupError(f"no readable action or amendment at position {position} of the log")
        return entry

    def ledger(self, positions: Iterable[int]) -> Ledger:
        """The actions and amendments at these positions, as a ledger in recorded order."""
        found = [self.at(position) for position in sorted(set(positions))]
        return Ledger(
            tuple(entry for entry in found if isinstance(entry, Entry)),
            tuple(entry for entry in found if isinstance(entry, AmendmentEntry)),
        )

    def report(self, originator_id: UUID | str) -> ReportRef | Undecoded:
        """A report's key and source; or, if its registration cannot be read, why."""
        known = self._reports.get(originator_id)
        if known is not None:
            return known
        first = self.log.recorder.select_events(UUID(str(originator_id)), limit=1)
        registered = decoded(self.log.mapper, first[0])
        if isinstance(registered, Undecoded):
            report: ReportRef | Undecoded = registered
        else:
            assert isinstance(registered, Report.Registered)
            report = ReportRef(registered.key, registered.source)
        self._remember(originator_id, report)
        return report

    def _remember(self, originator_id: UUID | str, report: ReportRef | Undecoded) -> None:
        if len(self._reports) >= REPORT_CACHE:
            self._reports.clear()
        self._reports[originator_id] = report
