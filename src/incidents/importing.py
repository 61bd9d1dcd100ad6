"""Importing a dataset: thousands of reports from one file, checked first, then recorded in batches.

``loading.py`` records report files one transaction each, which is right for a handful of files
and far too slow for a dataset of 16,000 events. An import instead:

1. **checks** the whole input in a first streaming pass: every problem of every record, and
   every report already recorded with different content (refused, as loading refuses it);
   nothing is written if there is any. Reports already recorded with the same content are
   remembered (their keys only) so the second pass skips them: re-importing is idempotent.
2. **records** the input in a second streaming pass, ``batch_size`` new reports per transaction
   (``Application.save`` of several aggregates is one transaction): a crash leaves whole
   batches, never half a report, and importing again completes the rest.

Neither pass holds more than one batch of reports in memory (besides the keys of reports found
already recorded, and the flags to report). The input is read twice rather than kept, because a
dataset may be larger than memory; reading is cheap next to writing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from attrs import frozen
from eventsourcing.persistence import IntegrityError

from incidents.application import IncidentLog, Outcome
from incidents.domain.errors import IncidentsError, ReportConflictError
from incidents.domain.report import Report
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import ReportContent

BATCH_SIZE = 500

Located = tuple[int, ReportContent]  # a report and the line of its input it comes from
ReadInput = Callable[[], Iterable[Located]]  # reads the input from the start, each time it is called

T = TypeVar("T")


class Progress:
    """What an import reports as it goes; the default reports nothing."""

    def checked(self, reports: int) -> None:
        """``reports`` more reports were read and checked against the log."""

    def recording(self, total: int) -> None:
        """The check passed; ``total`` reports will now be recorded (or found unchanged)."""

    def recorded(self, reports: int) -> None:
        """``reports`` more reports were recorded or found unchanged."""


@frozen
class Imported:
    """What an import did."""

    recorded: int  # reports recorded now
    unchanged: int  # reports already recorded with the same content
    actions: int  # actions recorded now
    notes: tuple[str, ...]  # flags on the input (kept as recorded, but worth a look)


class InputChangedError(IncidentsError):
    """The input changed between the check and the recording, and is no longer valid."""

    def __init__(self, recorded: int, error: InvalidInputError) -> None:
        super().__init__(
            f"the input changed while it was imported: {recorded} report(s) were recorded before "
            f"this was found; import it again once it is fixed:\n{error}"
        )
        self.recorded = recorded
        self.problems = error.problems


@frozen
class _Checked:
    total: int
    unchanged: frozenset[str]
    notes: tuple[str, ...]


def import_reports(
    log: IncidentLog,
    read: ReadInput,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> Imported:
    """Check every report of the input, then record the new ones in batches.

    Raises InvalidInputError with every problem (of the input, or conflicts with the log) before
    writing anything.
    """
    progress = progress or Progress()
    checked = _check(log, read, batch_size, progress)
    progress.recording(checked.total)
    recorded = actions = 0
    try:
        for batch in _batches(read(), batch_size):
            new = [report for _line, report in batch if report.key not in checked.unchanged]
            saved = _save(log, new)
            recorded += len(saved)
            actions += sum(len(report.actions) for report in saved)
            progress.recorded(len(batch))
    except InvalidInputError as error:
        raise InputChangedError(recorded, error) from error
    return Imported(recorded, checked.total - recorded, actions, checked.notes)


def _check(log: IncidentLog, read: ReadInput, batch_size: int, progress: Progress) -> _Checked:
    """The first pass: problems of the input and conflicts with the log, all of them."""
    problems: list[InputProblem] = []
    unchanged: set[str] = set()
    notes: list[str] = []
    total = 0
    empty = not log.recorder.max_notification_id()  # then nothing is recorded: no need to look
    try:
        for line, report in read():
            total += 1
            notes.extend(report.notes)
            recorded = None if empty else recorded_digest(log, report.key)
            if recorded is not None and recorded == report.digest:
                unchanged.add(report.key)
            elif recorded is not None:
                conflict = ReportConflictError(report.key, recorded, report.digest)
                problems.append(InputProblem(report.file, line, "id", str(conflict)))
            if total % batch_size == 0:
                progress.checked(batch_size)
    except InvalidInputError as error:  # the input's own problems, found by the end of it
        problems[:0] = error.problems
    progress.checked(total % batch_size)
    if problems:
        raise InvalidInputError(problems)
    return _Checked(total, frozenset(unchanged), tuple(notes))


def recorded_digest(log: IncidentLog, key: str) -> str | None:
    """The digest a report was recorded with, or None if it is not recorded.

    Reads only the report's first event (``Registered``), not its whole stream: at tens of
    thousands of reports, this is most of the cost of checking an import against the log.
    """
    first = log.recorder.select_events(Report.create_id(key), limit=1)
    if not first:
        return None
    registered = log.mapper.to_domain_event(first[0])
    assert isinstance(registered, Report.Registered)
    return registered.digest


def _save(log: IncidentLog, reports: list[ReportContent]) -> list[ReportContent]:
    """Record new reports in one transaction; the ones actually recorded now are returned.

    If another writer recorded one of them since the check, the transaction is refused as a
    whole; the batch is then recorded report by report, which finds that writer's reports and
    compares them (unchanged if equal, ReportConflictError if not).
    """
    if not reports:
        return []
    try:
        log.save(*(_aggregate(report) for report in reports))
    except IntegrityError:
        return [report for report in reports if _record_one(log, report) is Outcome.RECORDED]
    return reports


def _aggregate(report: ReportContent) -> Report:
    aggregate = Report(key=report.key, source=report.source, digest=report.digest)
    for statement in report.actions:
        aggregate.state(statement)
    return aggregate


def _record_one(log: IncidentLog, report: ReportContent) -> Outcome:
    return log.record_report(
        key=report.key, source=report.source, actions=report.actions, digest=report.digest
    )


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
