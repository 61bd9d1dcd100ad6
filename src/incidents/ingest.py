"""Ingest: the one way reports reach the log, from report files, a dataset or the command line.

Every input is a stream of ``(line, report)`` that can be read again from its start (a
``ReadInput``): the reports of report files (``ReportFiles``; ``ingest_files`` reads them once and
keeps them, since a load is small), of a dataset (``formats.ucdp.UcdpGedFile(path).reports``,
read again from the file, since a dataset may be larger than memory), or a few already in memory
(``in_memory``: an amendment made on the command line, an inline table of the step library).
Ingesting one is all or nothing:

1. **check** (``check``): one pass over the input finds every problem, and nothing is written
   if there is any: every problem of every record (a reader yields the valid ones and raises
   the others' problems at its end), a report key used twice in the input (both places named),
   a report already recorded with other content (refused: recorded reports are never
   overwritten), and amendments that name no existing action, or one they cannot apply to
   (their targets must be recorded, or in the same input). Reports already recorded with the
   same content are remembered, by key, to be found ``unchanged``: ingesting again is
   idempotent.
2. **record**: a second pass records the new reports, ``batch_size`` of them per transaction
   (``IncidentLog.record_reports``: their aggregates' events, encoded once, in one insert). A
   crash leaves whole batches, never half a report, and ingesting again completes the rest. A
   report another writer recorded since the check is found unchanged (or refused, if it differs).

Memory is bounded by the keys, not the contents, and the input is read twice (check, record),
however it refers to itself. The check keeps, of every report, a hash of its key (8 bytes), and of
every statement a hash of its ``report/id`` with its kind (8 bytes); besides those, the keys of
reports found unchanged and the amendments of the input (with where they are written). What an
amendment names is taken from the store; or from the input: as it goes by, when it comes after
the amendment (or in the same report); from the index, when it came before: its kind is found by
its hash, and the first statement of that kind stands in for it (what an amendment may do to a
statement depends on its kind alone: a correction's values are each checked on their own). The
recording pass confirms each of those before its report is recorded, so that an amendment is
never recorded unless its targets are as checked: if the input changed meanwhile (or two of its
keys shared a 64-bit hash, about one chance in 10^10 at a million events), it stops with
``ChangedMeanwhileError``. Only a key used twice (an error; or two keys of one hash) makes the
check read the input again, to name both places. The recording pass holds one batch of reports
at a time; each report's outcome is handed to ``each`` as it is recorded, so that a load can
list them and an import need only count them.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import attrs
from attrs import frozen
from eventsourcing.persistence import MapperDeserialisationError

from incidents.application import IncidentLog, Outcome
from incidents.domain.amendments import (
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    Retraction,
    target_problems,
)
from incidents.domain.errors import IncidentsError, ReportConflictError
from incidents.domain.report import Report
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.reference import ALIASES_FILE, find_aliases_file, read_name_index
from incidents.formats.registry import read_input_file
from incidents.formats.report_file import REPORT_SUFFIXES, ReportContent, Statement
from incidents.gazetteer import NameIndex
from incidents.projections.ledger import peek
from incidents.storage.transcodings import StoredPayloadError

BATCH_SIZE = 1_000  # reports recorded per transaction (docs/performance.md, "The import's batch size")

Located = tuple[int | None, ReportContent]  # a report, and the line of the input it starts on
ReadInput = Callable[[], Iterable[Located]]  # reads the input from its start, each time it is called

T = TypeVar("T")


# --- What an ingest says --------------------------------------------------------------------------


class Progress:
    """What an ingest reports as it goes; the default reports nothing."""

    def checked(self, reports: int) -> None:
        """``reports`` more reports were read and checked."""

    def recording(self, total: int) -> None:
        """The check passed; ``total`` reports will now be recorded (or found unchanged)."""

    def recorded(self, reports: int) -> None:
        """``reports`` more reports were recorded or found unchanged."""


@frozen
class Loaded:
    """One report of the input, and what recording it did."""

    report: ReportContent
    outcome: Outcome


@frozen
class Checked:
    """What the check of an input found (when it found no problem)."""

    reports: int
    statements: int  # actions and amendments
    unchanged: Set[str]  # keys of the reports already recorded with the same content
    notes: tuple[str, ...]  # flags on the input (recorded as they are, but worth a look)
    unchecked: tuple[str, ...]  # amendment targets outside the input, when checked without a store
    # Targets in reports before the amendments naming them, as the check found them (by report
    # key): the recording confirms each before its report is recorded.
    confirm: Mapping[str, tuple[_Settled, ...]] = attrs.field(factory=dict)
    # ... and the reports that amend those, with the keys that must have been confirmed first.
    awaiting: Mapping[str, frozenset[str]] = attrs.field(factory=dict)


@frozen
class Ingested:
    """What an ingest did."""

    recorded: int  # reports recorded now
    unchanged: int  # reports already recorded with the same content
    actions: int  # actions and amendments recorded now
    notes: tuple[str, ...]  # flags on the input (recorded as they are, but worth a look)


class ChangedMeanwhileError(IncidentsError):
    """The input, or the store, changed between the check and the recording, and the input can
    no longer be recorded as checked. The reports before the one it was found at are recorded
    (or were found recorded); ingesting again, once it is resolved, records the rest."""

    def __init__(self, what: str, done: int, problems: Sequence[InputProblem]) -> None:
        listed = "\n".join(str(problem) for problem in problems)
        written = (
            "nothing was written"
            if done == 0
            else f"its first {done} report(s) were recorded (or found recorded) before this was found"
        )
        super().__init__(
            f"{what} while it was imported: {written}; import it again once it is fixed:\n{listed}"
        )
        self.done = done
        self.problems = tuple(problems)


# --- Ingesting ------------------------------------------------------------------------------------


def ingest(
    log: IncidentLog,
    read: ReadInput,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    each: Callable[[Loaded], None] | None = None,
) -> Ingested:
    """Check the whole input against itself and the log, then record it in batches.

    Raises InvalidInputError with every problem before writing anything. ``each`` is given
    every report of the input with its outcome, in input order, as it is recorded.
    """
    progress = progress or Progress()
    checked = check(read, log, batch_size=batch_size, progress=progress)
    progress.recording(checked.reports)
    return _record(log, read, checked, batch_size=batch_size, progress=progress, each=each)


def ingest_files(log: IncidentLog, paths: Sequence[Path], aliases: Path | None = None) -> list[Loaded]:
    """Ingest report files (or folders of them), as ``incidents load`` does: each one's outcome."""
    return ingest_input(log, remembered(ReportFiles(paths, aliases).reports))


def ingest_contents(log: IncidentLog, contents: Iterable[ReportContent]) -> list[Loaded]:
    """Ingest reports already read (an amendment, an inline table): each one's outcome."""
    return ingest_input(log, in_memory(contents))


def ingest_input(log: IncidentLog, read: ReadInput) -> list[Loaded]:
    """Ingest a small input, with each report's outcome."""
    loaded: list[Loaded] = []
    ingest(log, read, each=loaded.append)
    return loaded


def _record(
    log: IncidentLog,
    read: ReadInput,
    checked: Checked,
    *,
    batch_size: int,
    progress: Progress,
    each: Callable[[Loaded], None] | None,
) -> Ingested:
    """The second pass: the new reports, ``batch_size`` per transaction."""
    recorded = unchanged = actions = 0
    confirmed: set[str] = set()  # keys of the reports holding targets settled from the index
    try:
        for batch in _batches(read(), batch_size):
            for line, report in batch if checked.confirm else ():
                if report.key in checked.confirm or report.key in checked.awaiting:
                    problems = _unconfirmed(report, line, checked, confirmed)
                    if problems:
                        raise ChangedMeanwhileError("the input changed", recorded + unchanged, problems)
            new = [report for _line, report in batch if report.key not in checked.unchanged]
            try:
                outcomes = iter(log.record_reports(new))
            except ReportConflictError as conflict:  # recorded by another writer since the check
                index, (line, report) = next(
                    (index, (line, report))
                    for index, (line, report) in enumerate(batch)
                    if report.key == conflict.key
                )
                problem = InputProblem(report.file, line, "id", str(conflict))
                what = "a report of the input was recorded by another writer, with other content,"
                raise ChangedMeanwhileError(what, recorded + unchanged + index, [problem]) from conflict
            for _line, report in batch:
                outcome = Outcome.UNCHANGED if report.key in checked.unchanged else next(outcomes)
                if outcome is Outcome.RECORDED:
                    recorded += 1
                    actions += len(report.actions)
                else:
                    unchanged += 1
                if each is not None:
                    each(Loaded(report, outcome))
            progress.recorded(len(batch))
    except InvalidInputError as error:
        raise ChangedMeanwhileError("the input changed", recorded + unchanged, error.problems) from error
    return Ingested(recorded, unchanged, actions, checked.notes)


def _unconfirmed(
    report: ReportContent, line: int | None, checked: Checked, confirmed: set[str]
) -> list[InputProblem]:
    """What is not as the check found it (the input changed since, or two keys shared a hash):
    the statements it took from the index, if ``report`` holds some, and that those are
    confirmed before ``report``, if it amends them. Checked before ``report`` is recorded, so
    that an amendment is never recorded unless its targets are as checked."""
    problems: list[InputProblem] = []
    awaited = checked.awaiting.get(report.key)
    missing = awaited - confirmed if awaited else None
    if missing:
        message = f"it amends {', '.join(sorted(missing))}, which is no longer before it in the input"
        problems.append(InputProblem(report.file, line, "id", message))
    settled = checked.confirm.get(report.key)
    if not settled:
        return problems
    confirmed.add(report.key)
    by_id = {statement.id: statement for statement in report.actions}
    for item in settled:
        statement = by_id.get(item.ref.action)
        for amending in item.amending:
            at, path = amending.target
            if statement is None:
                messages = [f"no such action: {item.ref} (neither recorded nor in this load)"]
            elif statement.kind != item.kind:
                messages = [f"{item.ref} is a {statement.kind}, not the {item.kind} it was when checked"]
            elif isinstance(amending.amendment, Correction):
                at, path = amending.changes
                messages = target_problems(amending.amendment, [statement])
            else:
                messages = []
            problems.extend(InputProblem(amending.file, at, path, message) for message in messages)
    return problems


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --- Checking -------------------------------------------------------------------------------------


def check(
    read: ReadInput,
    log: IncidentLog | None,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> Checked:
    """Every problem of the input, raised as one InvalidInputError; what was found otherwise.

    Without ``log`` (validating files alone) nothing is checked against a store, and amendments
    of reports outside the input are not checked (they are listed as ``unchecked``).
    """
    checking = _Check(log)
    checking.first_pass(read, batch_size, progress or Progress())
    checking.settle(read)
    checking.check_amendments()
    if checking.problems:
        raise InvalidInputError(checking.problems)
    return Checked(
        reports=checking.reports,
        statements=checking.statements,
        unchanged=checking.unchanged,
        notes=tuple(checking.notes),
        unchecked=tuple(checking.unchecked),
        confirm=checking.to_confirm(),
        awaiting=checking.awaiting(),
    )


@frozen
class _Amending:
    """An amendment of the input, with where it is written (for its problems)."""

    amendment: Amendment
    report: str  # the key of the report that states it
    file: str
    target: tuple[int | None, str]  # line and field path of its target(s)
    changes: tuple[int | None, str]  # ... and of a correction's changes

    @classmethod
    def of(cls, amendment: Amendment, report: ReportContent, line: int | None) -> _Amending:
        def where(field: str) -> tuple[int | None, str]:
            found, path = report.where(amendment, field)
            return (found if found is not None else line), path

        field = "same" if isinstance(amendment, DuplicateLink) else "target"
        return cls(amendment, report.key, report.file, where(field), where("changes"))


@frozen
class _Settled:
    """A statement the check took from the index (a report before the amendment naming it): its
    kind as the check found it, and the amendments that name it, confirmed when it is recorded."""

    ref: ActionRef
    kind: str
    amending: tuple[_Amending, ...]


# An index entry: the hash of a statement's (report key, id), whose lowest bits hold its kind's code.
_KIND_BITS = 8
_KIND_MASK = (1 << _KIND_BITS) - 1
_SORTED_RUN = 1 << 14  # key hashes sorted at a time, to find the repeated ones


class _Check:
    """The state of one check: keys (as hashes), problems, and what amendments need."""

    def __init__(self, log: IncidentLog | None) -> None:
        self.log = log
        # An empty store holds nothing to compare with: no need to look.
        self.store = log if log is not None and log.recorder.max_notification_id() else None
        self.problems: list[InputProblem] = []
        self.input_problems = False  # the input's reader found some: records are missing
        self.reports = 0
        self.statements = 0
        self.notes: list[str] = []
        self.unchanged: set[str] = set()
        self.report_hashes = array("q")  # hash(key) of every report, in input order
        self.index = array("q")  # an entry per statement (see _KIND_BITS)
        self.kind_codes: dict[str, int] = {}
        self.examples: dict[str, Statement] = {}  # the first statement of each kind
        self.amending: list[_Amending] = []
        self.wanted: dict[str, set[ActionRef]] = {}  # report key -> what amendments name in it
        self.targets: dict[ActionRef, Statement | None] = {}  # what they name, as in the input
        self.present: set[str] = set()  # keys of the reports wanted that are in the input
        self.settled: dict[ActionRef, str] = {}  # targets taken from the index, by kind
        self.unchecked: list[str] = []

    # The first pass reads every report once.

    def first_pass(self, read: ReadInput, batch_size: int, progress: Progress) -> None:
        try:
            for line, report in read():
                self.reports += 1
                self.read(line, report)
                if self.reports % batch_size == 0:
                    progress.checked(batch_size)
        except InvalidInputError as error:  # the input's own problems, found by the end of it
            self.problems[:0] = error.problems
            self.input_problems = True
        progress.checked(self.reports % batch_size)

    def read(self, line: int | None, report: ReportContent) -> None:
        key = report.key
        self.statements += len(report.actions)
        self.notes.extend(report.notes)
        self.report_hashes.append(hash(key))
        index, kind_codes = self.index, self.kind_codes
        for statement in report.actions:
            kind = statement.kind
            code = kind_codes.get(kind)
            if code is None:
                code = kind_codes[kind] = len(kind_codes)
                assert code <= _KIND_MASK, "more kinds of statement than an index entry can hold"
                self.examples[kind] = statement
            index.append(hash((key, statement.id)) & ~_KIND_MASK | code)
            if isinstance(statement, Amendment):
                self.amending.append(_Amending.of(statement, report, line))
                for ref in statement.targets:
                    self.wanted.setdefault(ref.report, set()).add(ref)
        if self.store is not None:
            recorded = self.store.recorded_digest(key)
            if recorded is not None and report.matches(recorded):
                self.unchanged.add(key)
            elif recorded is not None:
                found = readable_report(self.store, key)
                if _same_content(found, report):  # recorded by code that wrote other JSON
                    self.unchanged.add(key)
                else:
                    told = changed_report(found, report)
                    self.problems.append(InputProblem(report.file, line, "id", told))
        if key in self.wanted:  # named by an amendment read so far (or by its own)
            self.keep(report)

    def keep(self, report: ReportContent) -> None:
        """Keep the statements of ``report`` that amendments name (as the first report of its
        key states them)."""
        self.present.add(report.key)
        named = [ref for ref in self.wanted[report.key] if ref not in self.targets]
        if named:
            by_id = {statement.id: statement for statement in report.actions}
            for ref in named:
                self.targets[ref] = by_id.get(ref.action)

    # What the first pass leaves open is settled from the hashes it kept.

    def settle(self, read: ReadInput) -> None:
        """The statements amendments name in reports that came before them, and the keys used
        twice (with their places: the one case that reads the input again)."""
        self._settle_earlier_targets()
        repeated = _repeated(self.report_hashes)
        if repeated:
            self._report_repeated_keys(read, repeated)

    def _settle_earlier_targets(self) -> None:
        """A target not kept as it went by came before its amendment, if its report is in the
        input: its statement is found in the index, and stands for itself by the first statement
        of its kind (what an amendment may do to a statement depends on its kind alone: a
        correction's values are checked field by field), until the recording confirms it."""
        pending = [ref for refs in self.wanted.values() for ref in refs if ref not in self.targets]
        if not pending:
            return
        keys_by_hash: dict[int, set[str]] = {}
        for ref in pending:
            keys_by_hash.setdefault(hash(ref.report), set()).add(ref.report)
        in_input = {
            key
            for key_hash in set(keys_by_hash).intersection(self.report_hashes)
            for key in keys_by_hash[key_hash]
        }
        refs_by_entry: dict[int, list[ActionRef]] = {}
        for ref in pending:
            if ref.report in in_input:
                refs_by_entry.setdefault(hash((ref.report, ref.action)) & ~_KIND_MASK, []).append(ref)
        kinds = {code: kind for kind, code in self.kind_codes.items()}
        # Each entry wanted, with each kind's code: the index is searched by a set intersection.
        candidates = {entry | code for entry in refs_by_entry for code in kinds}
        found: dict[ActionRef, str] = {}
        for entry in candidates.intersection(self.index):  # (an entry of two kinds: a key used twice)
            for ref in refs_by_entry[entry & ~_KIND_MASK]:
                found.setdefault(ref, kinds[entry & _KIND_MASK])
        for ref in pending:
            if ref.report in in_input:
                self.present.add(ref.report)
                kind = found.get(ref)
                self.targets[ref] = self.examples[kind] if kind is not None else None
                if kind is not None:
                    self.settled[ref] = kind

    def _report_repeated_keys(self, read: ReadInput, repeated: set[int]) -> None:
        places: dict[str, list[tuple[str, int | None]]] = {}
        try:
            for line, report in read():
                if hash(report.key) in repeated:
                    places.setdefault(report.key, []).append((report.file, line))
        except InvalidInputError:
            pass  # the problems the first pass found
        for key, found in places.items():  # (a key of a repeated hash may be used once)
            (first_file, first_line), *later = found
            for file, line in later:
                if file == first_file and first_line is not None:
                    message = f"report id {key!r} is used twice (first on line {first_line})"
                else:
                    message = f"report id {key!r} is also used by {_place(first_file, first_line)}"
                self.problems.append(InputProblem(file, line, "id", message))

    # Amendments: every target exists (recorded, or in the input) and can be amended so.

    def check_amendments(self) -> None:
        recorded: dict[str, Report | None] = {}
        unreadable: dict[str, tuple[frozenset[str], str]] = {}  # report -> its unreadable ids, why

        def in_store(ref: ActionRef) -> Statement | None:
            if self.log is None:
                return None
            if ref.report not in recorded:
                try:
                    recorded[ref.report] = self.log.find_report(ref.report)
                except (StoredPayloadError, MapperDeserialisationError) as error:
                    recorded[ref.report] = None
                    unreadable[ref.report] = (unreadable_statements(self.log, ref.report), str(error))
            report = recorded[ref.report]
            return report.statement(ref.action) if report is not None else None

        def cannot_be_read(ref: ActionRef) -> str | None:
            """Why the recorded statement ``ref`` cannot be read, if it is one that cannot."""
            ids, why = unreadable.get(ref.report, (frozenset(), ""))
            return why if ref.action in ids else None

        def find(ref: ActionRef) -> Statement | None:
            if ref.report in self.present:
                return self.targets.get(ref)
            return in_store(ref)

        for amending in self.amending:
            amendment = amending.amendment
            outside = [ref for ref in amendment.targets if ref.report not in self.present]
            if self.log is None and outside:
                self.unchecked.extend(str(ref) for ref in outside)
                continue  # validating files alone: the target is in a report outside them
            found = [find(ref) for ref in amendment.targets]
            missing = [
                str(ref) for ref, statement in zip(amendment.targets, found, strict=True) if not statement
            ]
            line, path = amending.target
            unread = [ref for ref in amendment.targets if cannot_be_read(ref) is not None]
            if unread and isinstance(amendment, Retraction):
                continue  # a retraction needs nothing of its target: it sets it aside for good
            if unread:
                self.problems.append(
                    InputProblem(
                        amending.file,
                        line,
                        path,
                        f"{unread[0]} is recorded but cannot be read ({cannot_be_read(unread[0])}): "
                        "only a retraction can set it aside",
                    )
                )
                continue
            if missing:
                if not self.input_problems:  # else it may be in a record that could not be read
                    self.problems.append(
                        InputProblem(
                            amending.file,
                            line,
                            path,
                            f"no such action: {', '.join(missing)} (neither recorded nor in this "
                            "load; write report-key/action-id)",
                        )
                    )
                continue
            if isinstance(amendment, Correction):
                line, path = amending.changes
            self.problems.extend(
                InputProblem(amending.file, line, path, message)
                for message in target_problems(amendment, [s for s in found if s is not None])
            )

    def awaiting(self) -> dict[str, frozenset[str]]:
        """The reports stating amendments of targets settled from the index: the keys of the
        reports that must have been confirmed before them."""
        awaiting: dict[str, set[str]] = {}
        for amending in self.amending:
            for ref in amending.amendment.targets:
                if ref in self.settled:
                    awaiting.setdefault(amending.report, set()).add(ref.report)
        return {key: frozenset(keys) for key, keys in awaiting.items()}

    def to_confirm(self) -> dict[str, tuple[_Settled, ...]]:
        """The targets settled from the index, by report key, with the amendments naming them."""
        naming: dict[ActionRef, list[_Amending]] = {}
        for amending in self.amending:
            for ref in amending.amendment.targets:
                if ref in self.settled:
                    naming.setdefault(ref, []).append(amending)
        by_report: dict[str, list[_Settled]] = {}
        for ref, kind in self.settled.items():
            by_report.setdefault(ref.report, []).append(_Settled(ref, kind, tuple(naming.get(ref, ()))))
        return {key: tuple(settled) for key, settled in by_report.items()}


def _place(file: str, line: int | None) -> str:
    return file if line is None else f"{file}:{line}"


def _repeated(values: array[int]) -> set[int]:
    """The values that occur more than once: sorted a run at a time and merged, so that no set
    of them all is made (8 bytes a report, not about 60)."""
    runs = [
        array("q", sorted(values[start : start + _SORTED_RUN]))
        for start in range(0, len(values), _SORTED_RUN)
    ]
    repeated: set[int] = set()
    previous: int | None = None
    for value in heapq.merge(*runs):
        if value == previous:
            repeated.add(value)
        previous = value
    return repeated


# --- Inputs ---------------------------------------------------------------------------------------


def in_memory(contents: Iterable[ReportContent]) -> ReadInput:
    """Reports already read, as an input (no lines: each is its own file's report)."""
    located: list[Located] = [(None, content) for content in contents]
    return lambda: located


def remembered(read: ReadInput) -> ReadInput:
    """An input read once, then again from memory: for small inputs that are costly to read
    (report files are parsed once, not once per pass). Its problems are raised on every read."""
    kept: list[Located] = []
    problems: list[InputProblem] = []
    done = False

    def again() -> Iterator[Located]:
        nonlocal done
        if not done:
            try:
                for item in read():
                    kept.append(item)
            except InvalidInputError as error:
                problems.extend(error.problems)
            done = True
        yield from kept
        if problems:
            raise InvalidInputError(problems)

    return again


class ReportFiles:
    """Report files (or folders of them), read as one input: each report with its line.

    A report file holds one report (its line: None, the file is the report); an export (a CSV
    action table, a JSON or YAML bundle) holds several (each at the line of its first statement).
    Every file's problems are collected, and raised when the last file has been read.
    """

    def __init__(self, paths: Sequence[Path], aliases: Path | None = None) -> None:
        self.paths = list(paths)
        self.aliases = aliases
        self._indexes: dict[Path | None, NameIndex] = {}

    def reports(self) -> Iterator[Located]:
        problems: list[InputProblem] = []
        for file in report_files(self.paths):
            try:
                names = self._names(self.aliases or find_aliases_file(file))
                read = read_input_file(file, names)
            except InvalidInputError as error:
                problems.extend(error.problems)
                continue
            for content in read.reports:
                yield (_first_line(content) if read.exported else None), content
        if problems:
            raise InvalidInputError(problems)

    def _names(self, aliases_file: Path | None) -> NameIndex:
        if aliases_file not in self._indexes:
            self._indexes[aliases_file] = read_name_index(aliases_file)
        return self._indexes[aliases_file]


def _first_line(content: ReportContent) -> int | None:
    return min((line for line, _path in content.lines.values() if line is not None), default=None)


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named, or found (recursively, sorted) in the folders named.

    Folders are searched for YAML and JSON only: a CSV action table is read when named.
    """
    files: list[Path] = []
    problems: list[InputProblem] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix in REPORT_SUFFIXES and found.name != ALIASES_FILE and found.is_file()
                )
            )
        elif path.is_file():
            files.append(path)
        elif path.exists():
            problems.append(InputProblem(str(path), None, None, "a device, a pipe or a socket, not a file"))
        else:
            problems.append(InputProblem(str(path), None, None, "no such file or folder"))
    if problems:
        raise InvalidInputError(problems)
    # A file named twice (by a folder and by its own path) is one report file.
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def read_reports(paths: Sequence[Path], aliases: Path | None = None) -> list[ReportContent]:
    """The reports of report files (or folders), checked as one input without a store: every
    problem of every file, keys used twice, amendments of actions not in them."""
    read = remembered(ReportFiles(paths, aliases).reports)
    check(read, None)
    return [content for _line, content in read()]


def readable_report(log: IncidentLog, key: str) -> Report | None:
    """The recorded report ``key``, or None where it is not recorded or one of its events cannot
    be read (the queries set those aside)."""
    try:
        return log.find_report(key)
    except (StoredPayloadError, MapperDeserialisationError):
        return None


def unreadable_statements(log: IncidentLog, key: str) -> frozenset[str]:
    """The ids of the statements of the recorded report ``key`` whose events do not decode (read
    from their plain JSON, as the queries set them aside: ``ledger.peek``)."""
    ids: set[str] = set()
    for stored in log.recorder.select_events(Report.create_id(key)):
        try:
            log.mapper.to_domain_event(stored)
        except (StoredPayloadError, MapperDeserialisationError):
            statement = peek(log.mapper, stored).statement
            if statement is not None:
                ids.add(statement)
    return frozenset(ids)


def _same_content(recorded: Report | None, report: ReportContent) -> bool:
    """Whether the recorded report states what ``report`` states (its events decoded, and
    upcast): the digests of one report differ when a payload's stored JSON has changed since it
    was recorded (a payload version; ``formats.digest``)."""
    if recorded is None or recorded.source != report.source:
        return False
    stated = [statement for statement in report.actions if not isinstance(statement, Amendment)]
    amending = [statement for statement in report.actions if isinstance(statement, Amendment)]
    return recorded.actions == stated and recorded.amendments == amending


def changed_report(recorded: Report | None, report: ReportContent) -> str:
    """Why ``report`` cannot be recorded over the recorded report of its key: what differs, and
    how a recorded report is changed (an amendment: ``incidents correct``, ``retract``)."""
    key = report.key
    differs: list[str] = []
    example = f"{key}/ACTION"
    if recorded is not None:
        differs = [f"source.{name}" for name in _fields_differing(recorded.source, report.source)]
        stated: list[Any] = [*recorded.actions, *recorded.amendments]
        before = {statement.id: statement for statement in stated}
        after = {statement.id: statement for statement in report.actions}
        for statement_id, statement in after.items():
            was = before.get(statement_id)
            if was is None:
                differs.append(f"action {statement_id} is new")
            elif was != statement:
                fields = _fields_differing(was, statement)
                differs.append(f"action {statement_id}: {', '.join(fields) or 'its content'}")
                if example.endswith("/ACTION"):
                    example = f"{key}/{statement_id}"
        differs.extend(
            f"action {statement_id} is gone" for statement_id in before if statement_id not in after
        )
    what = f": {'; '.join(differs)}" if differs else ""
    return (
        f"report {key!r} is already recorded with different content{what}. A recorded report is "
        f"never overwritten: to change what it says, amend it (incidents correct {example} "
        f"--set FIELD=VALUE --reason WHY, or incidents retract {key}/ACTION --reason WHY; docs/cli.md), "
        "or give a revised report its own id"
    )


def _fields_differing(before: Any, after: Any) -> list[str]:
    """The names of the attrs fields whose values differ (the line a value was read on aside)."""
    if type(before) is not type(after) or not attrs.has(type(before)):
        return ["type"] if type(before) is not type(after) else []
    return [
        field.name
        for field in attrs.fields(type(before))
        if field.eq and getattr(before, field.name) != getattr(after, field.name)
    ]
