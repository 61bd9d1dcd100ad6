"""The service: one object that opens a store and offers every use case of the incident log.

Every entrypoint (the ``incidents`` command, the Gherkin step library, and any other, such as a
web API) opens a ``Service`` for a store location and calls its methods, with keyword
arguments, getting typed answers back; ``incidents.output`` shapes and prints them. Nothing here
knows about terminals or click. It is the composition root: the one place that decides

- how the store is opened (``storage``: SQLite, PostgreSQL or memory, with its settings),
- whether a query reads the persistent read model or folds the log (``_read_model``),
- how files, datasets and amendments reach the log: all through one pipeline (``ingest``;
  ``amending`` writes an amendment as a report).

Queries take a ``Viewpoint`` (the three clocks; ``Viewpoint()`` is "now" on all of them).
"""

from __future__ import annotations

import importlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs
from attrs import frozen

from incidents.application import IncidentLog
from incidents.domain.actions import ACTION_KINDS, AreaAction, AreaStatus
from incidents.domain.amendments import ActionRef, Retraction
from incidents.domain.errors import IncidentsError
from incidents.domain.report import Report
from incidents.domain.values import DateSpan, Name, normalise_name
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Unreadable, read_ledger
from incidents.projections.resolution import Resolutions
from incidents.projections.totals import GROUPINGS, ITEMS, Items
from incidents.readmodel import OFF, READ_MODEL_VARIABLE, ReadModel, disabled_because
from incidents.readmodel.projector import BATCH_SIZE as REBUILD_BATCH_SIZE
from incidents.storage.backends import holds_store, require_store
from incidents.storage.errors import (
    DATABASE_ERRORS,
    NoStoreError,
    NotAStoreError,
    StoreError,
    StoreSettingsError,
    StoreUnavailableError,
)
from incidents.storage.location import (
    DB_ENVIRONMENT_VARIABLE,
    DEFAULT_DB,
    MemoryLocation,
    StoreLocation,
    parse_location,
)
from incidents.storage.settings import CIPHER_KEY_VARIABLE, COMPRESS_VARIABLE

# What only some commands need is imported where it is used (and the names this module offers
# from there, by ``__getattr__``, when asked for): a query pays for the read model and the
# answers' types, not for the report-file reader, the importers, the exports or the other folds.
if TYPE_CHECKING:
    from eventsourcing.persistence import StoredEvent

    from incidents.amending import Attribution, parse_settings
    from incidents.application import Outcome
    from incidents.domain.actions import Metric
    from incidents.drafting import Draft
    from incidents.formats.export.changes import ExportChanges
    from incidents.formats.export.exported import ExportedAction
    from incidents.formats.report_file import ReportContent
    from incidents.gazetteer import NameIndex
    from incidents.ingest import BATCH_SIZE as IMPORT_BATCH_SIZE
    from incidents.ingest import ChangedMeanwhileError, Ingested, Loaded, ReadInput
    from incidents.ingest import Progress as ImportProgress
    from incidents.projections.areas import AreaFilter, AreaHistory, Areas, AreaState, Transition
    from incidents.projections.changes import ChangeEntry, Changes, Effect, LedgerClusters
    from incidents.projections.claims import ClaimComparison, Claims
    from incidents.projections.clocks import Judged, Verdict
    from incidents.projections.conflicts import Conflict
    from incidents.projections.diff import AreaDifference, Cause, ClaimDifference, Diff, TotalDifference
    from incidents.projections.lag import LAG_GROUPINGS, Days, Lag, LagGroup
    from incidents.projections.ledger import AmendmentEntry, Entry, Ledger
    from incidents.projections.overview import Overview, TypeOverview
    from incidents.projections.phases import Phase, Phases
    from incidents.projections.provenance import Explanation, Happening
    from incidents.projections.replay import Replay, Running, Step
    from incidents.projections.strength import Strength
    from incidents.projections.totals import TotalRow, Totals
    from incidents.readmodel.clusters import ReadModelClusters
    from incidents.readmodel.projector import CaughtUp
    from incidents.readmodel.projector import Progress as RebuildProgress
    from incidents.storage.read_only import read_stored_events

# The names offered from modules imported on first use: name -> (module, its name there).
_ON_FIRST_USE = {
    "StoredEvent": ("eventsourcing.persistence", "StoredEvent"),
    "Attribution": ("incidents.amending", "Attribution"),
    "parse_settings": ("incidents.amending", "parse_settings"),
    "Outcome": ("incidents.application", "Outcome"),
    "ExportChanges": ("incidents.formats.export.changes", "ExportChanges"),
    "ExportedAction": ("incidents.formats.export.exported", "ExportedAction"),
    "IMPORT_BATCH_SIZE": ("incidents.ingest", "BATCH_SIZE"),
    "ImportProgress": ("incidents.ingest", "Progress"),
    **{
        name: ("incidents.ingest", name)
        for name in ("ChangedMeanwhileError", "Ingested", "Loaded", "ReadInput")
    },
    **{
        name: ("incidents.projections.areas", name)
        for name in ("AreaFilter", "AreaHistory", "Areas", "AreaState", "Transition")
    },
    **{name: ("incidents.projections.changes", name) for name in ("ChangeEntry", "Changes", "Effect")},
    **{name: ("incidents.projections.claims", name) for name in ("ClaimComparison", "Claims")},
    **{name: ("incidents.projections.clocks", name) for name in ("Judged", "Verdict")},
    "Conflict": ("incidents.projections.conflicts", "Conflict"),
    **{
        name: ("incidents.projections.diff", name)
        for name in ("AreaDifference", "Cause", "ClaimDifference", "Diff", "TotalDifference")
    },
    **{name: ("incidents.projections.lag", name) for name in ("LAG_GROUPINGS", "Days", "Lag", "LagGroup")},
    **{name: ("incidents.projections.ledger", name) for name in ("AmendmentEntry", "Entry")},
    **{name: ("incidents.projections.phases", name) for name in ("Phase", "Phases")},
    **{name: ("incidents.projections.provenance", name) for name in ("Explanation", "Happening")},
    **{name: ("incidents.projections.overview", name) for name in ("Overview", "TypeOverview")},
    **{name: ("incidents.projections.replay", name) for name in ("Replay", "Step")},
    "Strength": ("incidents.projections.strength", "Strength"),
    **{name: ("incidents.projections.totals", name) for name in ("TotalRow", "Totals")},
    "CaughtUp": ("incidents.readmodel.projector", "CaughtUp"),
    "RebuildProgress": ("incidents.readmodel.projector", "Progress"),
    "read_stored_events": ("incidents.storage.read_only", "read_stored_events"),
}


def __getattr__(name: str) -> object:
    """A name this module offers from a module it imports on first use (``_ON_FIRST_USE``)."""
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _ON_FIRST_USE[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


__all__ = [
    "CIPHER_KEY_VARIABLE",
    "COMPRESS_VARIABLE",
    "DB_ENVIRONMENT_VARIABLE",
    "DEFAULT_DB",
    "GROUPINGS",
    "IMPORT_BATCH_SIZE",
    "ITEMS",
    "LAG_GROUPINGS",
    "REBUILD_BATCH_SIZE",
    "Amended",
    "AmendmentEntry",
    "AreaDifference",
    "AreaFilter",
    "AreaHistory",
    "AreaState",
    "AreaStatus",
    "Areas",
    "Attribution",
    "CaughtUp",
    "Cause",
    "ChangeEntry",
    "ChangedMeanwhileError",
    "Changes",
    "ClaimComparison",
    "ClaimDifference",
    "Claims",
    "Conflict",
    "Days",
    "Diff",
    "Effect",
    "Entry",
    "Explanation",
    "Export",
    "ExportChanges",
    "ExportedAction",
    "Happening",
    "ImportProgress",
    "Ingested",
    "Items",
    "Judged",
    "Lag",
    "LagGroup",
    "Loaded",
    "NameKind",
    "NoReadModelError",
    "NoStoreError",
    "NotAStoreError",
    "Outcome",
    "Overview",
    "Phase",
    "Phases",
    "ReadInput",
    "RebuildProgress",
    "Replay",
    "Service",
    "Standing",
    "Step",
    "StoreError",
    "StoreLocation",
    "StoreUnavailableError",
    "StoredEvent",
    "Strength",
    "TotalDifference",
    "TotalRow",
    "Totals",
    "Transition",
    "TypeOverview",
    "UnknownNameError",
    "UnknownSubjectError",
    "Validation",
    "Verdict",
    "Viewpoint",
    "area_statuses",
    "clock_day",
    "diff_side",
    "groupings",
    "items_summed",
    "listed",
    "parse_location",
    "parse_settings",
    "read_stored_events",
    "recorded_clock",
    "replay_running",
]

NOW = Viewpoint()
# Events behind beyond which opening the read model says that a query will wait for it.
ANNOUNCE_CATCH_UP = 10_000
# Reports of a load after which the read model is brought up to date in the same command (an
# import always is): below, the first query's catch-up is a few milliseconds anyway.
PROJECT_AFTER_LOAD = 100

T = TypeVar("T")


class NoReadModelError(IncidentsError):
    """The store keeps no read model (in memory, encrypted, or switched off)."""


class UnknownSubjectError(IncidentsError):
    """A history was asked for something that is neither a recorded action nor an area."""


class UnknownNameError(IncidentsError):
    """A side, actor, operation or area named in a question matches nothing the store recorded
    nor the reference data (or matches two different ones)."""


# What a question can name: the kinds of name ``Service.resolve`` knows.
NameKind = Literal["side", "operation", "area"]
# The values INCIDENTS_READ_MODEL takes: off (readmodel.OFF), or on (these, or unset).
READ_MODEL_ON = ("", "on", "yes", "1", "true")
NEAR_MATCHES = 3  # how many near matches an unknown name's error suggests (difflib)
ALIASES_HINT = "names resolve through the store's names and --aliases, by default aliases.yaml here or above"


CLOCK_DAYS = "a day like 2019-08-28, a month like 2019-08 or a year like 2019"


def clock_day(text: str) -> date:
    """The day a clock stops at, written as report files write dates: ``2019-08-28``; a month
    (``2019-08``) or a year (``2019``) means by its last day, a span by its end.

    The one rule of every clock a user writes: ``--as-of``, ``--known-at`` and ``--until`` on
    the command line, "as of", "known at" and "until" in the step library. ValueError, quoting
    the whole value, if ``text`` is none of these."""
    try:
        return DateSpan.parse(text).end
    except ValueError as error:
        message = str(error)
        if message.startswith("expected") or repr(text.strip()) not in message:  # (not a part of it)
            message = f"expected {CLOCK_DAYS} (or a span, by its end), got {text.strip()!r}"
        raise ValueError(message) from None


RECORDED_CLOCK = "a time like 2026-11-21T10:00:00+00:00 or a position like 42"


def recorded_clock(text: str) -> datetime | int:
    """Where the recorded clock stops: a store position (``42`` or ``#42``), or a store time (an
    ISO date-time, UTC unless it says otherwise).

    The one reading of ``--recorded-at`` on the command line and ``recorded_at`` in the API.
    ValueError, quoting the whole value, if ``text`` is neither."""
    given = text.strip().removeprefix("#")
    if given.isascii() and given.isdigit():
        return int(given)
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise ValueError(f"expected {RECORDED_CLOCK}, got {text!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def groupings(given: Iterable[str]) -> list[str]:
    """The groupings asked for, each given comma-separated or repeated (``actor,phase`` or
    ``actor`` then ``phase``); InvalidInputError (field ``by``) naming any that is not one of
    ``GROUPINGS``."""
    names = listed(given)
    unknown = [name for name in names if name not in GROUPINGS]
    if unknown:
        raise InvalidInputError(
            [
                InputProblem(
                    "<query>",
                    None,
                    "by",
                    f"unknown grouping {', '.join(unknown)}; expected any of: {', '.join(GROUPINGS)}",
                )
            ]
        )
    return names


def listed(given: Iterable[str]) -> list[str]:
    """The values of an option given comma-separated or repeated (``a,b`` or ``a`` then ``b``)."""
    return [name.strip() for value in given for name in value.split(",") if name.strip()]


def area_statuses(given: Iterable[str]) -> frozenset[AreaStatus]:
    """The area statuses asked for (``threatened``, ``clearing``, ``cleared``), each given
    comma-separated or repeated; InvalidInputError (field ``status``) naming any other."""
    known = {status.value: status for status in AreaStatus}
    names = [name.lower() for name in listed(given)]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise _query_problem(
            "status", f"unknown status {', '.join(unknown)}; expected any of: {', '.join(known)}"
        )
    return frozenset(known[name] for name in names)


def action_types(given: Iterable[str]) -> frozenset[str]:
    """The action types asked for (the catalogue's kinds: ``killed``, ``area_cleared``, ...),
    each given comma-separated or repeated; InvalidInputError (field ``type``) naming any other,
    with the types most like it."""
    names = [name.lower() for name in listed(given)]
    for name in names:
        if name not in ACTION_KINDS:
            hint = _near_matches(name, list(ACTION_KINDS)) or f"; expected any of: {', '.join(ACTION_KINDS)}"
            raise _query_problem("type", f"unknown action type {name!r}{hint}")
    return frozenset(names)


Choice = TypeVar("Choice", bound=str)


def _one_of(field: str, value: str, known: Sequence[Choice]) -> Choice:
    """``value`` as the one of ``known`` it is (a query option's fixed choices); InvalidInputError
    (field ``field``) for anything else."""
    for choice in known:
        if value == choice:
            return choice
    problem = f"unknown {field} {value!r}; expected one of: {', '.join(known)}"
    raise InvalidInputError([InputProblem("<query>", None, field, problem)])


def items_summed(items: str, by: Sequence[str] = ()) -> Items:
    """How totals sum materiel items (``ITEMS``: ``apart``, per item, or ``together``);
    InvalidInputError (field ``items``) for anything else, and for ``together`` with ``--by
    item``, which asks for the opposite."""
    known = _one_of("items", items, ITEMS)
    if known == "together" and "item" in by:
        raise InvalidInputError(
            [InputProblem("<query>", None, "items", "items together cannot also be grouped by item")]
        )
    return known


def replay_running(running: str) -> Running:
    """Which running totals a replay's steps carry (``projections.replay.RUNNING``: ``every``,
    or each step's ``own``); InvalidInputError (field ``running``) for anything else."""
    from incidents.projections.replay import RUNNING

    return _one_of("running", running, RUNNING)


DIFF_CLOCKS = ("as-of", "known-at", "recorded-at")
NOW_WORD = "now"


def diff_side(given: Iterable[str], field: str) -> Viewpoint:
    """One side of a diff: ``CLOCK=VALUE`` pairs (``known-at=2019-08-01``, ``recorded-at=27``,
    ``recorded-at=now``; ``as-of`` too), each clock read as its option reads it; ``now`` (or a
    clock not given) means now. InvalidInputError (field ``field``) naming what does not read."""
    clocks: dict[str, Any] = {}
    problems = []
    for text in given:
        name, equals, value = text.partition("=")
        clock = name.strip().lower().replace("_", "-")
        if not equals or clock not in DIFF_CLOCKS:
            expected = ", ".join(f"{c}=VALUE" for c in DIFF_CLOCKS)
            problems.append(InputProblem("<query>", None, field, f"expected {expected}, got {text!r}"))
            continue
        if clock in clocks:
            problems.append(InputProblem("<query>", None, field, f"{clock} is given twice"))
            continue
        if value.strip().lower() == NOW_WORD:
            clocks[clock] = None
            continue
        try:
            clocks[clock] = recorded_clock(value) if clock == "recorded-at" else clock_day(value)
        except ValueError as error:
            problems.append(InputProblem("<query>", None, field, f"{clock}: {error}"))
    if problems:
        raise InvalidInputError(problems)
    return Viewpoint(clocks.get("as-of"), clocks.get("known-at"), clocks.get("recorded-at"))


def _near_matches(written: str, names: Sequence[str]) -> str:
    """An unknown name's hint: "; did you mean A, B?" with the names most like it, or nothing."""
    import difflib  # (only for an unknown name's error)

    near = difflib.get_close_matches(written, names, n=NEAR_MATCHES, cutoff=0.5)
    return f"; did you mean {', '.join(near)}?" if near else ""


def _query_problem(field: str, message: str) -> InvalidInputError:
    return InvalidInputError([InputProblem("<query>", None, field, message)])


@frozen(kw_only=True)
class Validation:
    """What checking report files found: how many reports, the problems, and what was not checked."""

    reports: int
    actions: int  # actions and amendments
    problems: tuple[InputProblem, ...]
    unchecked: tuple[str, ...]  # amendment targets in reports outside the files (not in the store)
    flags: tuple[str, ...] = ()  # what load would flag (file:line: why), recorded as it is


# Why an action the store holds is not in an export: the headings of the summary, in its order.
LEFT_OUT_REASONS = {
    "type": "not of the types asked for",
    "retracted": "retracted",
    "duplicate": "set aside as a duplicate (one incident with an action that is exported)",
    "recorded_at": "recorded after --recorded-at",
    "known_at": "published after --known-at",
    "as_of": "occurred after --as-of",
}


@frozen(kw_only=True)
class Export(Sequence["ExportedAction"]):
    """What an export writes (the actions, in order: the export is a sequence of them) and
    what it says of it: how many amendments the viewpoint applied, and how many of the store's
    actions it left out, by reason (``LEFT_OUT_REASONS``)."""

    actions: tuple[ExportedAction, ...]
    types: tuple[str, ...] = ()  # the action types asked for (none: every type)
    amendments_applied: int
    amendments_not_applied: int  # recorded or published after the clocks
    left_out: Mapping[str, int]  # reason -> how many actions

    def __len__(self) -> int:
        return len(self.actions)

    def __iter__(self) -> Iterator[ExportedAction]:
        return iter(self.actions)

    @overload
    def __getitem__(self, index: int) -> ExportedAction: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ExportedAction]: ...
    def __getitem__(self, index: int | slice) -> ExportedAction | Sequence[ExportedAction]:
        return self.actions[index]

    @property
    def reports(self) -> int:
        return len({item.report_key for item in self.actions})

    def query(self, viewpoint: Viewpoint) -> dict[str, Any]:
        """What was asked, as a written export echoes it: the clocks, and the types if any."""
        return {**viewpoint.describe(), **({"type": list(self.types)} if self.types else {})}

    @property
    def uncertain(self) -> int:
        return sum(1 for item in self.actions if item.uncertain_because is not None)


@frozen(kw_only=True)
class Amended:
    """An amendment recorded (or found already recorded): its report and the store position."""

    kind: str
    report: ReportContent
    outcome: Outcome
    position: int


class Service:
    """The incident log at one store location, and everything a user can do with it."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._log: IncidentLog | None = None
        self._model: ReadModel | None = None
        self._read_model_checked = False
        self._ledger: tuple[int, Resolutions] | None = None  # the last ledger read, and its position
        self.announce: Callable[[str], None] = lambda _message: None  # says why a query waits

    @classmethod
    def open(cls, location: StoreLocation | str = DEFAULT_DB) -> Service:
        """A service for the store at ``location`` (or the ``--db`` text that names it, parsed
        here), opened now if there is a store there: errors are raised here. Where there is none
        yet, the first write creates it (and a query says there is none, ``NoStoreError``)."""
        service = cls(parse_location(location) if isinstance(location, str) else location)
        try:
            there = holds_store(service.location)
        except DATABASE_ERRORS as error:
            raise StoreUnavailableError(f"cannot open the store {service.describe()}: {error}") from error
        if there:
            service.log  # noqa: B018  (open it, so that a bad location fails here)
        return service

    def __enter__(self) -> Service:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def describe(self) -> str:
        """The store location, without a password, for messages."""
        return self.location.describe()

    @property
    def log(self) -> IncidentLog:
        """The store's log, for reading: NoStoreError where there is no store (a query never
        creates one), NotAStoreError where the location holds something else."""
        return self._opened(create=False)

    def _log_to_record(self, read: ReadInput) -> IncidentLog:
        """The store's log, to record ``read`` in: created where there is none yet (load, import,
        the amendments), once ``read`` has been checked as a new store would check it, so that
        bad input creates nothing; NotAStoreError where the location holds something else."""
        from incidents.ingest import check

        if self._log is None and not holds_store(self.location):
            empty = IncidentLog.open(MemoryLocation())  # what a new store holds: nothing
            try:
                check(read, empty)
            finally:
                empty.close()
        return self._opened(create=True)

    def _opened(self, *, create: bool) -> IncidentLog:
        if self._log is None:
            try:
                require_store(self.location, create=create)
                self._log = IncidentLog.open(self.location)
            except DATABASE_ERRORS as error:
                raise StoreUnavailableError(f"cannot open the store {self.describe()}: {error}") from error
        return self._log

    def close(self) -> None:
        if self._model is not None:
            self._model.close()
            self._model = None
        self._read_model_checked = False
        self._ledger = None
        if self._log is not None:
            self._log.close()
            self._log = None

    # --- The store --------------------------------------------------------------------------------

    def position(self) -> int:
        """The store's position: the id of the last event it recorded (0 when empty)."""
        return self.log.recorder.max_notification_id() or 0

    def position_before(self, report_key: str) -> int:
        """The store's position just before the report ``report_key`` was recorded."""
        wanted = Report.create_id(report_key)
        for notification in self.log.notifications():
            if notification.originator_id == wanted:
                return notification.id - 1
        raise UnknownSubjectError(f"no report {report_key!r} is recorded in {self.describe()}")

    def insert_stored_events(self, events: Sequence[StoredEvent]) -> None:
        """Start an empty store from a copy of another's events (the step library's ``--store``)."""
        if events:
            self._opened(create=True).recorder.insert_events(list(events))

    def ledger(self) -> Ledger:
        """The whole log, read back: every action and amendment, in recorded order (``_folds``)."""
        return self._folds().ledger

    def _folds(self) -> Resolutions:
        """The ledger the queries fold, and its resolutions: the ones read and made last, while
        the store's position has not moved (an append-only log holds the same events at the same
        position). The queries that fold the log, one after another in a serving process (the
        workbench asks six of them a view, and again at each as-of day), read it once and
        resolve it once for each reported and recorded clock."""
        position = self.position()
        if self._ledger is None or self._ledger[0] != position:
            self._ledger = None  # (the old one is not held while the new one is read)
            self._ledger = (position, Resolutions(read_ledger(self.log)))
        return self._ledger[1]

    # --- Writing ----------------------------------------------------------------------------------

    def read_reports(self, paths: Sequence[Path], *, aliases: Path | None = None) -> list[ReportContent]:
        """Read and check report files (or folders of them), as one input and without the store;
        InvalidInputError lists every problem."""
        from incidents.ingest import read_reports

        return read_reports(paths, aliases)

    def load(self, paths: Sequence[Path], *, aliases: Path | None = None) -> list[Loaded]:
        """Check report files (or folders) as one input, then record them: all or nothing; each
        report's outcome, in order. Paths that hold no report file are bad input."""
        from incidents.ingest import ReportFiles, ingest_input, remembered

        _require_report_files(paths)
        read = remembered(ReportFiles(paths, aliases).reports)
        loaded = ingest_input(self._log_to_record(read), read)
        if len(loaded) >= PROJECT_AFTER_LOAD:
            self._project_recorded()
        return loaded

    def load_text(
        self,
        name: str,
        data: bytes,
        *,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> list[Loaded]:
        """Check one report file (or a YAML or JSON export) given as its bytes and its file name
        (``name``, as an upload names it: no folder), then record it as ``load`` records files:
        the same checks and messages, all or nothing. Nothing is read from disk but the
        reference data (``names``, or ``reference_data(aliases)``)."""
        from incidents.formats.located import decode_text
        from incidents.formats.registry import read_input_text
        from incidents.formats.report_file import REPORT_SUFFIXES
        from incidents.ingest import ingest_input

        if Path(name).name != name or Path(name).suffix.lower() not in REPORT_SUFFIXES:
            suffixes = ", ".join(REPORT_SUFFIXES)
            raise InvalidInputError(
                [
                    InputProblem(
                        "<load>", None, "name", f"expected a file name ending {suffixes}, got {name!r}"
                    )
                ]
            )
        names = self.reference_data(aliases) if names is None else names
        read_file = read_input_text(decode_text(data, name), name, names)

        def first_line(content: ReportContent) -> int | None:  # an export's report: where it starts
            lines = [line for line, _path in content.lines.values() if line is not None]
            return min(lines, default=None) if read_file.exported else None

        located = [(first_line(content), content) for content in read_file.reports]
        return ingest_input(self._log_to_record(lambda: located), lambda: located)

    def record(self, contents: Sequence[ReportContent]) -> list[Loaded]:
        """Record reports already read (e.g. from an inline table), as ``load`` records files."""
        from incidents.ingest import in_memory, ingest_input

        read = in_memory(contents)
        return ingest_input(self._log_to_record(read), read)

    def validate(
        self, paths: Sequence[Path], *, aliases: Path | None = None, with_store: bool = False
    ) -> Validation:
        """Check report files as ``load`` would, writing nothing; ``with_store`` also checks them
        against the store (amendment targets exist, reports do not conflict). What ``load``
        would flag is in ``flags``."""
        from incidents.ingest import ReportFiles, check, remembered

        read = remembered(ReportFiles(paths, aliases).reports)
        try:
            checked = check(read, self.log if with_store else None)
        except InvalidInputError as error:
            return Validation(reports=0, actions=0, problems=error.problems, unchecked=())
        return Validation(
            reports=checked.reports,
            actions=checked.statements,
            problems=(),
            unchecked=checked.unchecked,
            flags=checked.notes,
        )

    def draft(
        self,
        text: str,
        *,
        html: bool | None = None,
        outlet: str | None = None,
        url: str | None = None,
        published: str | None = None,
        title: str | None = None,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> Draft:
        """Draft a report file from an article's text (``html``: None tells it from the text);
        the metadata given wins over what an HTML page states. Names resolve through ``names``,
        or ``reference_data(aliases)``. Reads no store and writes nothing; a ``published`` that
        is no date or span is bad input."""
        from incidents.drafting import draft_article

        names = self.reference_data(aliases) if names is None else names
        metadata = {"outlet": outlet, "url": url, "published": published, "title": title}
        return draft_article(text, names=names, html=html, metadata=metadata)

    def import_dataset(
        self,
        read: ReadInput,
        *,
        batch_size: int | None = None,
        progress: ImportProgress | None = None,
    ) -> Ingested:
        """Import a dataset (e.g. ``formats.ucdp.UcdpGedFile(path).reports``): checked, then
        recorded in batches (of ``IMPORT_BATCH_SIZE`` reports unless told), as ``load`` records
        files; the counts of what it did. The read model is then brought up to date, in the same
        command, so that the next query is answered at once instead of projecting what was
        imported first."""
        from incidents.ingest import BATCH_SIZE, ingest

        if batch_size is None:
            batch_size = BATCH_SIZE
        ingested = ingest(self._log_to_record(read), read, batch_size=batch_size, progress=progress)
        self._project_recorded()
        return ingested

    def amend(
        self,
        kind: str,
        fields: Mapping[str, Any],
        *,
        attribution: Attribution,
        aliases: Path | None = None,
        names: NameIndex | None = None,
    ) -> Amended:
        """Record a correction, retraction, duplicate link or preference (``kind`` as a report
        file names it) as a small report of its own. Names in ``fields`` resolve through
        ``names``, or ``reference_data(aliases)``."""
        from incidents.amending import amendment_report, on_command_line
        from incidents.ingest import in_memory, ingest_input

        names = self.reference_data(aliases) if names is None else names
        content = amendment_report(kind, fields, attribution, names)
        try:
            read = in_memory([content])
            [loaded] = ingest_input(self._log_to_record(read), read)
        except InvalidInputError as error:
            raise on_command_line(error) from None
        return Amended(kind=kind, report=content, outcome=loaded.outcome, position=self.position())

    # --- Names ------------------------------------------------------------------------------------

    def reference_data(self, aliases: Path | None = None) -> NameIndex:
        """The reference data names resolve through: the aliases file ``aliases`` (with what it
        includes and its gazetteers), by default aliases.yaml in the working folder or above;
        with neither, every name is kept as written. A long-running entrypoint reads it once
        and passes it on as ``names=`` (the web app does, at start)."""
        from incidents.formats.reference import find_aliases_file, read_name_index

        return read_name_index(aliases or find_aliases_file(Path.cwd()))

    def resolve(
        self,
        kind: NameKind,
        written: str,
        *,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> str:
        """The name a question means by ``written``: for a side (or actor) or an operation, its
        canonical name; for an area, the spelling that names it in the store.

        The one resolver of every entrypoint (the CLI's options, the step library). A name
        resolves through the reference data (``names``, or ``reference_data(aliases)``) and
        through the store's own names (every canonical name and spelling it recorded), case,
        spacing and punctuation aside. A name that matches neither, or matches two different
        ones, is UnknownNameError, with near matches."""
        names = self.reference_data(aliases) if names is None else names
        recorded, spellings = _recorded_names(self.ledger(), kind)
        key = normalise_name(written)
        if kind == "area":
            alias = normalise_name(names.place(written).place.key)
            if key not in recorded and alias in recorded:
                key = alias
        else:
            name = names.operation(written) if kind == "operation" else names.actor(written)
            if name.known:
                return name.canonical
        meant = recorded.get(key, set())
        if len(meant) == 1:
            (found,) = meant
            return found
        what = "side" if kind == "side" else kind
        if meant:
            raise UnknownNameError(
                f"{what} {written!r} is ambiguous: the store holds it as {' and as '.join(sorted(meant))}"
            )
        raise UnknownNameError(
            f"no {what} {written!r} in {self.describe()} or its reference data"
            f"{_near_matches(written, spellings)} ({ALIASES_HINT})"
        )

    def _checked(self, viewpoint: Viewpoint) -> Viewpoint:
        """The viewpoint, if the store has been where its recorded clock is: a position past the
        store's last is bad input (it would answer as "now" and look like the past)."""
        recorded_at = viewpoint.recorded_at
        if isinstance(recorded_at, int) and not isinstance(recorded_at, bool):
            last = self.position()
            if recorded_at > last:
                raise InvalidInputError(
                    [
                        InputProblem(
                            "<query>",
                            None,
                            "recorded_at",
                            f"position {recorded_at} is past the store's last position, {last}",
                        )
                    ]
                )
        return viewpoint

    # --- Queries ----------------------------------------------------------------------------------

    def totals(self, *, viewpoint: Viewpoint = NOW, by: Sequence[str] = (), items: str = "apart") -> Totals:
        """Counted actions summed by metric and side, and by each grouping of ``by``; materiel
        per item, or its items summed ``together`` (``items_summed``)."""
        self._checked(viewpoint)
        by = groupings(by)
        summed = items_summed(items, by)
        model = self._read_model()
        if model is not None:
            return model.totals(viewpoint, by, summed)
        from incidents.projections import queries  # (the fold: only without a read model)

        return queries.totals_of(self._folds(), viewpoint, by, summed)

    def areas(
        self,
        *,
        viewpoint: Viewpoint = NOW,
        provinces: Iterable[str] = (),
        statuses: Iterable[str] = (),
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> Areas:
        """Every area's status as of the viewpoint, since when, on whose report; only those in
        ``provinces`` (each resolved by ``province``) whose status is one of ``statuses``
        (``area_statuses``), when either is given (``AreaFilter``)."""
        from incidents.projections.areas import AreaFilter

        self._checked(viewpoint)
        wanted = listed(provinces)
        if wanted and names is None:
            names = self.reference_data(aliases)  # (read once for all of them)
        only = AreaFilter(
            provinces=frozenset(self.province(name, names=names) for name in wanted),
            statuses=area_statuses(statuses),
        )
        model = self._read_model()
        if model is not None:
            return model.areas(viewpoint, only)
        from incidents.projections import queries  # (the fold: only without a read model)

        return only.applied(queries.areas_of(self._folds(), viewpoint))

    def province(self, written: str, *, names: NameIndex | None = None, aliases: Path | None = None) -> str:
        """The province ``written`` names, as the gazetteer of the reference data (``names``, or
        ``reference_data(aliases)``) names it and so as areas hold it (``Place.province``):
        matched as place names are ("Anbar", "al-Anbar", "Anbar Province"), by its P-code, or
        through a place alias of it. UnknownNameError, with near matches, if it names none of
        the gazetteer's provinces or more than one."""
        from incidents.gazetteer import name_keys

        names = self.reference_data(aliases) if names is None else names
        provinces = sorted({unit.province for unit in names.units.values()})
        by_key = {key: province for province in provinces for key in name_keys(province)}
        meant = {by_key[key] for key in name_keys(written) if key in by_key}
        if not meant:  # (its P-code, or a place alias of it)
            unit = names.units.get(written.strip()) or names.place(written).place.unit
            if unit is not None and unit.level == 1:
                meant = {unit.province}
        if len(meant) == 1:
            (found,) = meant
            return found
        if meant:
            raise UnknownNameError(
                f"province {written!r} is ambiguous: it names {' and '.join(sorted(meant))}"
            )
        if not provinces:
            raise UnknownNameError(
                f"no province {written!r}: the reference data has no gazetteer ({ALIASES_HINT})"
            )
        raise UnknownNameError(
            f"no province {written!r} in the reference data's gazetteer"
            f"{_near_matches(written, provinces)} ({ALIASES_HINT})"
        )

    def area_history(
        self,
        name: str,
        *,
        viewpoint: Viewpoint = NOW,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> AreaHistory:
        """Every reported status of the areas ``name`` (or a spelling or alias of it) matches;
        UnknownNameError if it names no area (``resolve``)."""
        from incidents.projections import queries

        self._checked(viewpoint)
        area = self.resolve("area", name, names=names, aliases=aliases)
        return attrs.evolve(queries.area_history_of(self._folds(), viewpoint, area), name=name)

    def claims(self, *, viewpoint: Viewpoint = NOW) -> Claims:
        """Cumulative claims beside the itemised incidents in their scope."""
        from incidents.projections import queries

        self._checked(viewpoint)
        return queries.claims_of(self._folds(), viewpoint)

    def replay(self, *, viewpoint: Viewpoint = NOW, running: str = "every") -> Replay:
        """The counted actions in occurred order, with running totals after each: every one, or
        each step's ``own`` (``replay_running``)."""
        from incidents.projections import queries

        self._checked(viewpoint)
        return queries.replay_of(self._folds(), viewpoint, replay_running(running))

    def strength(self, *, viewpoint: Viewpoint = NOW) -> Strength:
        """Estimates of each side's strength, in occurred order."""
        from incidents.projections import queries

        self._checked(viewpoint)
        return queries.strength_of(self._folds(), viewpoint)

    def explain(
        self,
        metric: Metric,
        side: str,
        *,
        viewpoint: Viewpoint = NOW,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> Explanation:
        """Every action behind a total (counted, uncertain or excluded) and why; ``side`` is any
        name of it (``resolve``)."""
        from incidents.projections import queries

        self._checked(viewpoint)
        canonical = self.resolve("side", side, names=names, aliases=aliases)
        return queries.explain_of(self._folds(), viewpoint, metric, canonical)

    def history(
        self,
        subject: str,
        *,
        viewpoint: Viewpoint = NOW,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> tuple[Happening, ...]:
        """The story of an action (``report-key/action-id``) or of an area (any name of it,
        ``resolve``): as stated, then every amendment, each with its standing from the viewpoint."""
        from incidents.projections import queries

        self._checked(viewpoint)
        folds = self._folds()
        ledger = folds.ledger
        refs: list[ActionRef] = []
        if "/" in subject:
            ref = ActionRef.parse(subject, "")
            refs = [entry.ref for entry in ledger.entries if entry.ref == ref]
            if not refs:
                raise UnknownSubjectError(f"no recorded action {subject!r} in {self.describe()}")
        else:
            try:
                area = self.resolve("area", subject, names=names, aliases=aliases)
            except UnknownNameError as error:
                raise UnknownSubjectError(
                    f"no recorded action (write report-key/action-id) and {error}"
                ) from None
            transitions = queries.area_history_of(ledger.entries, NOW, area).transitions
            refs = [transition.entry.ref for transition, _ in transitions]
        return queries.history_of(folds, viewpoint, refs)

    def conflicts(self, *, viewpoint: Viewpoint = NOW) -> tuple[Conflict, ...]:
        """Where sources disagree, which figure counts and why, and likely duplicates."""
        from incidents.projections import queries

        self._checked(viewpoint)
        return queries.conflicts_of(self._folds(), viewpoint)

    def overview(self, *, viewpoint: Viewpoint = NOW) -> Overview:
        """What the log holds from the viewpoint: per action type, the actions counted and
        uncertain, their reports, and the days they span (occurred, published)."""
        from incidents.projections import queries

        self._checked(viewpoint)
        return queries.overview_of(self._folds(), viewpoint)

    def phases(
        self,
        *,
        operation: str | None = None,
        viewpoint: Viewpoint = NOW,
        names: NameIndex | None = None,
        aliases: Path | None = None,
    ) -> Phases:
        """Each operation's phases as a timeline (or those of ``operation``, any name of it,
        ``resolve``): launched and ended, regions, supervisor, every source, and what disputes
        each phase (another source's number or date for its launch, reports not linked)."""
        from incidents.projections import queries

        self._checked(viewpoint)
        canonical = None
        if operation is not None:
            canonical = self.resolve("operation", operation, names=names, aliases=aliases)
        return queries.phases_of(self._folds(), viewpoint, canonical)

    def export(self, *, viewpoint: Viewpoint = NOW, types: Iterable[str] = ()) -> Export:
        """The actions the viewpoint counts or holds uncertain, amendments applied, each with its
        report's source (write them with ``formats.export``), and what was left out and why;
        only the actions of ``types`` (``action_types``), when given."""
        from incidents.formats.export.exported import exported_actions

        self._checked(viewpoint)
        kinds = action_types(types)
        folds = self._folds()
        resolved = folds.of(viewpoint)
        exported = exported_actions(folds.ledger, viewpoint, resolved, kinds or None)
        left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
        if kinds:
            left_out["type"] = sum(1 for entry in folds.ledger.entries if entry.action.kind not in kinds)
        for judged in resolved.set_aside:
            if kinds and judged.entry.action.kind not in kinds:
                continue
            amendments = resolved.applied.get(judged.entry.ref, ())
            retracted = any(isinstance(found.amendment, Retraction) for found in amendments)
            left_out["retracted" if retracted else "duplicate"] += 1
        for entry in resolved.entries:
            if kinds and entry.action.kind not in kinds:
                continue
            if viewpoint.judge(entry).standing is not Standing.EXCLUDED:
                continue
            if not viewpoint.sees(entry):
                left_out["recorded_at"] += 1
            elif viewpoint.knows(entry).standing is Standing.EXCLUDED:
                left_out["known_at"] += 1
            else:
                left_out["as_of"] += 1
        applied = {id(found) for amendments in resolved.applied.values() for found in amendments}
        return Export(
            actions=tuple(exported),
            types=tuple(kind for kind in ACTION_KINDS if kind in kinds),
            amendments_applied=len(applied),
            amendments_not_applied=len(resolved.not_applied),
            left_out={reason: count for reason, count in left_out.items() if count},
        )

    # --- What changed -----------------------------------------------------------------------------

    def changes(
        self,
        *,
        since: datetime | int | None = None,
        until: datetime | int | None = None,
        known_since: date | None = None,
    ) -> Changes:
        """Every action stated and every amendment recorded after ``since`` (a store position or
        time) and up to ``until``, or published after ``known_since`` (the reported clock), in
        order, each amendment with what it changed; and the position a feed resumes from.

        After a position, only the notifications after it are read (in batches), and the clusters
        of the amendments among them from the read model (else from the log, folded once)."""
        from incidents.projections import queries
        from incidents.projections.changes import Changes, change_entries

        if since is None and known_since is None:
            raise _query_problem("since", "give --since (a store position or time) or --known-since (a day)")
        last = self.position()
        for name, clock in (("since", since), ("until", until)):
            if isinstance(clock, int) and not isinstance(clock, bool) and clock > last:
                raise _query_problem(name, f"position {clock} is past the store's last position, {last}")
        if isinstance(since, int) and isinstance(until, int) and until < since:
            raise _query_problem("until", f"position {until} is before --since {since}")
        stop = until if isinstance(until, int) else last
        if not isinstance(since, int) or known_since is not None:
            # A store time, or the reported clock: neither is the log's order; fold it.
            return queries.changes_of(
                self.ledger(), since=since, until=until, known_since_day=known_since, resume_from=stop
            )
        statements, unreadable = self._statements_after(since, stop)
        return Changes(
            entries=tuple(change_entries(statements, self._clusters())),
            since=since,
            until=until,
            known_since=known_since,
            resume_from=stop,
            unreadable=tuple(unreadable),
        )

    def _statements_after(
        self, since: int, stop: int
    ) -> tuple[list[Entry | AmendmentEntry], list[Unreadable]]:
        """The actions and amendments recorded after position ``since`` up to ``stop``, read from
        the notification log in batches (a report's registration is read by its id)."""
        from incidents.readmodel.fetch import EventReader

        reader = EventReader(self.log)
        statements: list[Entry | AmendmentEntry] = []
        unreadable: list[Unreadable] = []
        if since >= stop:
            return statements, unreadable
        for notification in self.log.notifications(start=since + 1):
            if notification.id > stop:
                break
            found = reader.decode(notification)
            if isinstance(found, Unreadable):
                unreadable.append(found)
            elif found is not None:
                statements.append(found)
        return statements, unreadable

    def _clusters(self) -> ReadModelClusters | _LazyClusters:
        """Where an amendment's cluster is found: the read model, else the log folded once (on
        the first amendment that needs it)."""
        from incidents.readmodel.clusters import ReadModelClusters

        model = self._read_model()
        if model is not None:
            return ReadModelClusters(model)
        return _LazyClusters(self)

    def diff(self, *, before: Viewpoint, after: Viewpoint, as_of: date | None = None) -> Diff:
        """Totals, areas and claims that differ between two viewpoints (at one occurred clock,
        ``as_of``, where a side names none), each difference with the events that make it."""
        from incidents.projections import queries
        from incidents.projections.diff import sides

        before, after = sides(as_of, before, after)
        self._checked(before)
        self._checked(after)
        return queries.diff_of(self.ledger(), before, after)

    def export_changes(self, *, since: datetime | int, viewpoint: Viewpoint = NOW) -> ExportChanges:
        """What changed in the export between the store at ``since`` (a position or time) and at
        ``viewpoint.recorded_at`` (now if None), the other clocks alike on both sides: the actions
        added, changed and withdrawn, by their stable refs."""
        from incidents.formats.export.changes import export_changes
        from incidents.formats.export.exported import exported_actions

        self._checked(viewpoint)
        self._checked(Viewpoint(recorded_at=since))
        ledger = self.ledger()
        earlier = attrs.evolve(viewpoint, recorded_at=since)
        return export_changes(exported_actions(ledger, earlier), exported_actions(ledger, viewpoint))

    def lag(self, *, viewpoint: Viewpoint = NOW, by: str = "outlet") -> Lag:
        """How many days after an action occurred its source published it: the distribution
        (quartiles, median, max; ranges where dates are spans) by outlet, metric or operation."""
        from incidents.projections import queries
        from incidents.projections.lag import LAG_GROUPINGS

        self._checked(viewpoint)
        if by not in LAG_GROUPINGS:
            raise _query_problem(
                "by", f"unknown grouping {by!r}; expected one of: {', '.join(LAG_GROUPINGS)}"
            )
        return queries.lag_of(self.ledger(), viewpoint, by)

    # --- The read model ---------------------------------------------------------------------------

    def rebuild(
        self, *, batch_size: int = REBUILD_BATCH_SIZE, progress: RebuildProgress | None = None
    ) -> CaughtUp:
        """Drop the read model and project the whole log into it again."""
        model = self._required_read_model()
        model.projector.batch_size = batch_size
        return model.rebuild(progress)

    def follow(self, *, interval: float = 1.0, until_position: int | None = None) -> int:
        """Keep the read model up to date as events are recorded, until interrupted (or until it
        reaches ``until_position``); the position it reached."""
        from incidents.readmodel.follow import follow as follow_log

        model = self._required_read_model()
        follow_log(model, self.log, interval=interval, until_position=until_position)
        return model.position()

    def read_model_position(self) -> int:
        """The last position of the log the read model has projected."""
        return self._required_read_model().position()

    def _project_recorded(self) -> None:
        """Bring the read model up to date with what was just recorded (where the store keeps
        one), as the first query would."""
        model = self._read_model()
        if model is not None:
            model.catch_up()

    def _required_read_model(self) -> ReadModel:
        model = self._read_model()
        if model is None:
            why = disabled_because() or f"{self.describe()} is an in-memory store"
            raise NoReadModelError(f"this store keeps no read model: {why}; queries fold the log instead")
        return model

    def _read_model(self) -> ReadModel | None:
        """The store's read model (its queries catch it up with the log), or None where the store
        keeps none: the one place that decides between the read model and the fold."""
        if not self._read_model_checked:
            setting = os.environ.get(READ_MODEL_VARIABLE, "").strip().lower()
            if setting not in READ_MODEL_ON + OFF:
                accepted = ", ".join(value for value in READ_MODEL_ON + OFF if value)
                raise StoreSettingsError(f"{READ_MODEL_VARIABLE}={setting!r}: expected one of {accepted}")
            self._read_model_checked = True
            try:
                self._model = ReadModel.open(self.location, self.log)
            except DATABASE_ERRORS as error:
                raise StoreUnavailableError(
                    f"cannot open the read model of {self.describe()}: {error}"
                ) from error
            if self._model is not None:
                behind = self.position() - self._model.position()
                if behind >= ANNOUNCE_CATCH_UP:
                    self.announce(f"updating the read model: {behind:,} new events...")
        return self._model


class _LazyClusters:
    """Clusters from the whole log, read on the first amendment that needs one."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self._clusters: LedgerClusters | None = None

    def cluster(self, refs: Iterable[ActionRef]) -> Ledger:
        from incidents.projections.changes import LedgerClusters

        if self._clusters is None:
            self._clusters = LedgerClusters(self.service.ledger())
        return self._clusters.cluster(refs)


def _require_report_files(paths: Sequence[Path]) -> None:
    """InvalidInputError for each path that holds no report file (as ``check`` says of features)."""
    from incidents.formats.report_file import REPORT_SUFFIXES
    from incidents.ingest import report_files

    empty = [path for path in paths if path.is_dir() and not report_files([path])]
    if empty:
        suffixes = ", ".join(sorted(REPORT_SUFFIXES))
        raise InvalidInputError(
            [
                InputProblem(str(path), None, None, f"no report files ({suffixes}) in this folder")
                for path in empty
            ]
        )
    if not paths:
        raise InvalidInputError([InputProblem("<load>", None, None, "no report files named")])


def _recorded_names(ledger: Ledger, kind: NameKind) -> tuple[dict[str, set[str]], list[str]]:
    """What the store recorded under ``kind``: each spelling (normalised) -> the names it stands
    for (canonical names of sides and operations; area keys of areas); and the spellings as
    written, sorted (what near matches are chosen from)."""
    recorded: defaultdict[str, set[str]] = defaultdict(set)
    written: set[str] = set()

    def add(spellings: Iterable[str], meant: str) -> None:
        for spelling in spellings:
            recorded[normalise_name(spelling)].add(meant)
            written.add(spelling)

    for entry in ledger.entries:
        action = entry.action
        if kind == "area":
            if isinstance(action, AreaAction):
                place = action.area
                add((place.written, place.label), place.key)
                recorded[normalise_name(place.key)].add(place.key)
            continue
        for attribute in attrs.fields(type(action)):
            if (attribute.name == "operation") != (kind == "operation"):
                continue
            value = getattr(action, attribute.name)
            for name in value if isinstance(value, tuple) else (value,):
                if isinstance(name, Name):
                    add((name.canonical, name.written), name.canonical)
    return dict(recorded), sorted(written)
