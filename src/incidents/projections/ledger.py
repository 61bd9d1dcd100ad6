"""The log as the projections read it: each recorded action (and amendment) with its report and
its recording."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from uuid import UUID

from attrs import frozen

from incidents.application import IncidentLog
from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import ActionRef, Amendment
from incidents.domain.report import Report
from incidents.domain.values import SourceRef


@frozen
class ReportRef:
    key: str
    source: SourceRef


@frozen
class Entry:
    """One recorded action, with the report that states it and when the store recorded it."""

    action: ReportedAction
    report: ReportRef
    position: int  # the store's notification id: the "recorded" clock, as an order
    recorded: datetime  # the store's timestamp: the "recorded" clock, as a time
    sequence: int  # the action's place in its report's stream

    @property
    def published(self) -> date:
        return self.report.source.published.start

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.report.key, self.action.id)

    def occurred_order(self) -> tuple[date, date, date, str, int]:
        """Occurred order, with ties broken by what does not depend on import order."""
        occurred = self.action.occurred
        return (occurred.start, occurred.end, self.published, self.report.key, self.sequence)


@frozen
class AmendmentEntry:
    """One recorded amendment, with the report that makes it and when the store recorded it."""

    amendment: Amendment
    report: ReportRef
    position: int
    recorded: datetime
    sequence: int

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.report.key, self.amendment.id)


def latest_reported(entries: Iterable[Entry]) -> Entry:
    """The "latest report" rule, the one place it is written: of several reports of one thing, the
    one published last (by the end of its publication span, then its start), and of reports
    published alike the one recorded last."""
    return max(
        entries, key=lambda e: (e.report.source.published.end, e.report.source.published.start, e.position)
    )


@frozen
class Ledger:
    """The whole log, in recorded order: the actions, and the amendments made to them."""

    entries: tuple[Entry, ...]
    amendments: tuple[AmendmentEntry, ...] = ()


def read_ledger(log: IncidentLog) -> Ledger:
    """Every recorded action and amendment, in recorded order."""
    return ledger_from(_notifications(log))


def _notifications(log: IncidentLog) -> Iterator[tuple[int, object]]:
    for notification in log.notifications():
        yield notification.id, log.mapper.to_domain_event(notification)


def ledger_from(events: Iterable[tuple[int, object]]) -> Ledger:
    """Fold notifications (position, domain event) into the ledger; reports precede their actions."""
    reports: dict[UUID, ReportRef] = {}
    entries: list[Entry] = []
    amendments: list[AmendmentEntry] = []
    for position, event in events:
        if isinstance(event, Report.Registered):
            reports[event.originator_id] = ReportRef(event.key, event.source)
            continue
        if not isinstance(event, Report.ActionRecorded | Report.AmendmentRecorded):
            continue
        # Where and when the store recorded it: the same for actions and amendments.
        recording = (reports[event.originator_id], position, event.timestamp, event.originator_version)
        if isinstance(event, Report.ActionRecorded):
            entries.append(Entry(event.action, *recording))
        else:
            amendments.append(AmendmentEntry(event.amendment, *recording))
    return Ledger(tuple(entries), tuple(amendments))
