"""The application: commands in, events out. Queries are projections (see ``projections``)."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Notification

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import Amendment
from incidents.domain.errors import ReportConflictError
from incidents.domain.report import Report
from incidents.domain.values import SourceRef
from incidents.storage.backends import store_environment
from incidents.storage.location import StoreLocation
from incidents.storage.transcodings import all_transcodings

NOTIFICATION_BATCH = 1000  # notifications read per query of the store


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

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in all_transcodings():
            transcoder.register(transcoding)

    def record_report(
        self,
        *,
        key: str,
        source: SourceRef,
        actions: Sequence[ReportedAction | Amendment],
        digest: str,
    ) -> Outcome:
        """Record a report and what it states (actions and amendments) in one transaction,
        unless it is already recorded."""
        existing = self.find_report(key)
        if existing is not None:
            return self._compare(existing, digest)
        report = Report(key=key, source=source, digest=digest)
        for statement in actions:
            report.state(statement)
        try:
            self.save(report)
        except IntegrityError:
            # Another writer recorded the same report first; it is idempotent if it matches.
            found = self.find_report(key)
            if found is None:
                raise
            return self._compare(found, digest)
        return Outcome.RECORDED

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

    @staticmethod
    def _compare(existing: Report, digest: str) -> Outcome:
        if existing.digest != digest:
            raise ReportConflictError(existing.key, existing.digest, digest)
        return Outcome.UNCHANGED
