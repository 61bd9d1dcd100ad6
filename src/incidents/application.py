"""The application: commands in, events out. Queries are projections (see ``projections``).

Reports reach it through ``incidents.ingest``, which checks an input before it records any of it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import datetime_now_with_tzinfo as now
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Notification, StoredEvent, Transcoder

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import Amendment
from incidents.domain.errors import ReportConflictError
from incidents.domain.limits import KEY, check_text
from incidents.domain.report import Report
from incidents.domain.values import SourceRef
from incidents.storage.backends import store_environment
from incidents.storage.encoding import SHARED, EventTopics, PayloadTranscoder, encode_report, stored_events
from incidents.storage.location import StoreLocation
from incidents.storage.transcodings import all_transcodings

NOTIFICATION_BATCH = 1000  # notifications read per query of the store
REPORT_TOPICS = EventTopics.of(Report, Report.Registered, Report.ActionRecorded, Report.AmendmentRecorded)


class ReportToRecord(Protocol):
    """What recording a report needs (``formats.report_file.ReportContent`` is one)."""

    @property
    def key(self) -> str: ...

    @property
    def source(self) -> SourceRef: ...

    @property
    def actions(self) -> Sequence[ReportedAction | Amendment]: ...

    @property
    def digest(self) -> str: ...

    def matches(self, recorded_digest: str) -> bool: ...


class Outcome(enum.Enum):
    RECORDED = "recorded"
    UNCHANGED = "unchanged"  # the same report was already recorded: loading is idempotent


class IncidentLog(Application[UUID]):
    """The event-sourced incident log: one Report aggregate per source report."""

    name = "incidents"

    @classmethod
    def open(cls, location: StoreLocation) -> IncidentLog:
        """The log kept at ``location`` (created there if there is none), with the settings of
        the process environment (``INCIDENTS_CIPHER_KEY``, ``INCIDENTS_COMPRESS``, ...)."""
        return cls(env=store_environment(location))

    def construct_transcoder(self) -> Transcoder:
        """The payload transcoder (``storage.encoding``): the library's bytes, written flat."""
        transcoder = PayloadTranscoder(SHARED)
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in all_transcodings():
            transcoder.register(transcoding)

    def record_reports(self, reports: Sequence[ReportToRecord]) -> list[Outcome]:
        """Record reports, with what each states, in one transaction: the outcome of each, in
        order.

        The events are the report aggregates' (``report_aggregate``), written in bulk: each
        report's source and statements encoded once (``storage.encoding``), its digest made from
        those bytes, and every event of the batch inserted by the recorder's ``insert_events``
        in one statement (the library's topics, notification ids and append-only guards); a test
        holds the stored events to what ``Application.save`` of the aggregates writes.

        The reports are expected to be new (``incidents.ingest`` checks them first). If one was
        recorded meanwhile, by another writer, the store refuses the whole transaction (its
        uniqueness check on each aggregate's first event); each report is then recorded in a
        transaction of its own: ``UNCHANGED`` when the recorded one has the same digest,
        ReportConflictError when it has not (recorded reports are never overwritten).
        """
        if not reports:
            return []
        events: list[StoredEvent] = []
        for report in reports:
            check_text(KEY, "key", report.key)  # as the aggregate's constructor checks it
            encoded = encode_report(report.key, report.source, report.actions, is_amendment)
            events += stored_events(encoded, Report.create_id(report.key), REPORT_TOPICS, self.mapper, now)
        try:
            self.recorder.insert_events(events)
        except IntegrityError:
            return [self._record_alone(report) for report in reports]
        return [Outcome.RECORDED] * len(reports)

    def _record_alone(self, report: ReportToRecord) -> Outcome:
        try:
            self.save(report_aggregate(report))
        except IntegrityError:
            recorded = self.recorded_digest(report.key)
            if recorded is None:
                raise
            if not report.matches(recorded):
                raise ReportConflictError(report.key, recorded, report.digest) from None
            return Outcome.UNCHANGED
        return Outcome.RECORDED

    def recorded_digest(self, key: str) -> str | None:
        """The digest the report ``key`` was recorded with, or None if it is not recorded.

        Reads only the report's first event (``Registered``), not its whole stream: at tens of
        thousands of reports, this is most of the cost of checking an input against the log.
        """
        first = self.recorder.select_events(Report.create_id(key), limit=1)
        if not first:
            return None
        registered = self.mapper.to_domain_event(first[0])
        assert isinstance(registered, Report.Registered)
        return registered.digest

    def notifications(self, start: int = 1, batch_size: int = NOTIFICATION_BATCH) -> Iterator[Notification]:
        """Every recorded event from position ``start`` on, in the store's order, read in batches:
        the one pager of the log (positions can skip numbers; batches follow the last id read)."""
        while True:
            batch = self.recorder.select_notifications(start=start, limit=batch_size)
            yield from batch
            if len(batch) < batch_size:
                return
            start = batch[-1].id + 1

    def find_report(self, key: str) -> Report | None:
        try:
            report: Report = self.repository.get(Report.create_id(key))
        except AggregateNotFoundError:
            return None
        assert isinstance(report, Report)
        return report


def is_amendment(statement: ReportedAction | Amendment) -> bool:
    return isinstance(statement, Amendment)


def report_aggregate(report: ReportToRecord) -> Report:
    """The one way a report becomes an aggregate: registered with its key, source and digest,
    then one event per statement (action or amendment), in order."""
    aggregate = Report(key=report.key, source=report.source, digest=report.digest)
    for statement in report.actions:
        aggregate.state(statement)
    return aggregate
