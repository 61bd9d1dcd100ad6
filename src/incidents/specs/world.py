"""The state of one scenario: a fresh in-memory log, its reference data, the last load and question.

Steps change the world through the service the ``incidents`` command uses
(``incidents.service.Service``, on an in-memory store): report files are loaded by
``Service.load`` (inline tables are parsed by ``report_file.parse_report`` and recorded by
``Service.record``); questions are the service's queries, shaped by ``incidents.output`` as the
CLI prints them.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, NoReturn

from attrs import define, field, frozen

from incidents.domain.errors import IncidentsError
from incidents.drafting import Draft
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.reference import find_aliases_file, read_name_index
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex
from incidents.output.rows import Result
from incidents.service import Loaded, Outcome, Service, StoredEvent, UnknownSubjectError, Viewpoint
from incidents.specs.phrases import Clocks

SEEDS = "seeds"
NO_REFERENCE_DATA = "no-reference-data.aliases"  # not a report suffix: never loaded

# Where a step's paths may lead: the one rule, checked by ``World.path`` and ``World.write``.
ALLOWED = {
    "writes files": (
        "a scenario writes files only inside its own scratch folder (write a relative path such as "
        "reports/new.yaml)"
    ),
    "reads files": (
        "a scenario reads files only from the folder the check runs from, or from its own scratch "
        "folder (write a relative path such as seeds/aliases.yaml)"
    ),
}


class ScenarioPathError(IncidentsError, AssertionError):
    """A step names a path that leads out of the folders a scenario may use (a failed step, said
    plainly as an expectation is: it is an ``AssertionError``)."""


def outside_reason(written: str) -> str | None:
    """Why a path written in a step could lead out of the folder it is taken in, or None.

    Refused, on every platform alike: an empty path, an absolute one (``/etc/x``, ``\\x``), a
    Windows drive or share (``C:\\x``, ``C:x``, ``\\\\server\\share``), and any ``..`` part
    (``../x``, ``a/../../x``, ``..\\x``). Symbolic links are checked where the file is written.
    """
    if not written.strip():
        return "it is empty"
    if "\0" in written:
        return "it holds a NUL character"
    posix, windows = PurePosixPath(written), PureWindowsPath(written)
    if windows.drive:
        return "it names a drive or a network share"
    if posix.is_absolute() or windows.root:
        return "it is an absolute path"
    if ".." in posix.parts or ".." in windows.parts:
        return "it goes up out of the folder with '..'"
    return None


class Asked(enum.Enum):
    """The questions a scenario can ask, as the CLI names them."""

    TOTALS = "totals"
    AREAS = "areas"
    HISTORY = "history"
    CLAIMS = "claims"
    REPLAY = "replay"
    STRENGTH = "strength"
    EXPLAIN = "explain"
    CONFLICTS = "conflicts"
    STORY = "history of an action"
    PHASES = "phases"
    CHANGES = "changes"
    DIFF = "differences"
    LAG = "reporting lag"
    OVERVIEW = "overview"


ASKING = {
    Asked.TOTALS: "When I ask for the totals as of DATE",
    Asked.AREAS: "When I ask for the areas as of DATE",
    Asked.HISTORY: "When I ask for the history of AREA",
    Asked.CLAIMS: "When I ask for the claims as of DATE",
    Asked.REPLAY: "When I replay the log until DATE",
    Asked.STRENGTH: "When I ask for the strength estimates as of DATE",
    Asked.EXPLAIN: "When I ask where SIDE METRIC comes from as of DATE",
    Asked.CONFLICTS: "When I ask for the conflicts",
    Asked.STORY: 'When I ask for the history of the action "REPORT/ACTION"',
    Asked.PHASES: "When I ask for the phases as of DATE",
    Asked.CHANGES: "When I ask what changed since position N",
    Asked.DIFF: "When I ask what differs between recorded at position N and now as of DATE",
    Asked.LAG: "When I ask for the reporting lag by outlet",
    Asked.OVERVIEW: "When I ask for the overview as of DATE",
}


@frozen
class LoadAttempt:
    """What the last load did: the reports it loaded, or the problems that stopped it."""

    position_before: int  # the store's position before the attempt: "nothing was written"
    loaded: tuple[Loaded, ...] = ()
    error: InvalidInputError | None = None
    # For an inline table, what the problems' lines mean (table rows), and the YAML it became.
    generated: str | None = None
    # The folders file names are shown relative to (the scratch folder, the project folder).
    folders: tuple[Path, ...] = ()

    @property
    def problems(self) -> tuple[InputProblem, ...]:
        return self.error.problems if self.error else ()

    def readable(self, text: str) -> str:
        """A file name, a problem or a flag with the file named as the scenario wrote it
        (``bad.yaml:7``, ``seeds/x.yaml``), not by its place in a temporary folder."""
        return readable(text, self.folders)

    def describe(self) -> str:
        if self.error is not None:
            return "the load failed:\n" + "\n".join(f"  {self.readable(str(p))}" for p in self.problems)
        lines = [
            f"  {item.outcome.value}: {item.report.key} ({self.readable(str(item.report.file))})"
            for item in self.loaded
        ]
        return "the load succeeded:\n" + "\n".join(lines)


def readable(text: str, folders: Sequence[Path]) -> str:
    """``text`` with every mention of a file in these folders relative to its folder."""
    prefixes = {f"{name}{os.sep}" for folder in folders for name in (str(folder), str(folder.resolve()))}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix, "")
    return text


@frozen
class Question:
    """The last question asked: on which clocks, the service's typed answer, and the rows the CLI
    prints of it."""

    asked: Asked
    clocks: Clocks
    viewpoint: Viewpoint
    answer: Any
    result: Result
    area: str | None = None  # the area whose history was asked for

    def describe(self) -> str:
        subject = f"the history of {self.area}" if self.area else f"the {self.asked.value}"
        return f"{subject} {self.clocks.describe()}"


@frozen
class RunningStep:
    """A step as the feature file has it: where (``file:line``) and its text (``Given ...``)."""

    where: str
    text: str


@define
class World:
    """One scenario's world. ``root`` is where relative paths in steps resolve (the project
    folder); files a scenario writes go to ``scratch`` and are found there first."""

    root: Path
    scratch: Path
    service: Service = field(factory=lambda: Service.open("memory:"))
    aliases: Path | None = None  # the reference data in use: chosen, or the first dataset's
    aliases_chosen: bool = False
    names: NameIndex = field(factory=NameIndex)
    load: LoadAttempt | None = None
    question: Question | None = None
    inline_reports: int = 0
    step: RunningStep | None = None  # the step running, for the messages that name it
    draft: Draft | None = None  # the last article drafted

    def drafted(self) -> Draft:
        """The last article drafted; a step that needs one before any is drafted says so."""
        if self.draft is None:
            raise AssertionError("no article drafted yet: draft one first (When I draft a report from ...)")
        return self.draft

    # --- Files and reference data ---------------------------------------------------------------

    def path(self, written: str) -> Path:
        """A path a step reads: in the scratch folder (a file the scenario wrote) or else in the
        project folder. Refused (``ScenarioPathError``) if it could name a file outside them."""
        relative = self._relative(written, "reads files")
        if (self.scratch / relative).exists():
            return self.scratch / relative
        return self.root / relative

    def write(self, written: str, text: str) -> Path:
        """Write a file a step gives, in the scratch folder: never anywhere else (nor through a
        symbolic link that leads out of it)."""
        relative = self._relative(written, "writes files")
        path = (self.scratch / relative).resolve()
        if not path.is_relative_to(self.scratch.resolve()):
            self._refuse(written, "writes files", "it leads out of the folder through a symbolic link")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return path

    def _relative(self, written: str, doing: str) -> Path:
        """``written`` as a path inside a folder, or refused: see ``SCRATCH_PATH_RULE``."""
        reason = outside_reason(written)
        if reason is not None:
            self._refuse(written, doing, reason)
        return Path(written)

    def _refuse(self, written: str, doing: str, reason: str) -> NoReturn:
        where, line = (f"{self.step.where}: ", f"\n  | {self.step.text}") if self.step else ("", "")
        raise ScenarioPathError(f'{where}"{written}" is refused: {reason}; {ALLOWED[doing]}{line}')

    @property
    def folders(self) -> tuple[Path, Path]:
        """Where a scenario's files are: its scratch folder, and the project folder."""
        return (self.scratch, self.root)

    def choose_reference_data(self, aliases: Path) -> None:
        if not aliases.is_file():
            raise FileNotFoundError(f"no reference data file {aliases}")
        self.aliases = aliases
        self.aliases_chosen = True
        self.names = read_name_index(aliases)

    def _adopt_reference_data(self, path: Path) -> None:
        """Until a scenario chooses, names resolve as the first dataset it loads resolves them."""
        if self.aliases is None and not self._in_scratch(path):
            found = find_aliases_file(path)
            if found is not None:
                self.aliases = found
                self.names = read_name_index(found)

    def _in_scratch(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.scratch.resolve())

    # --- Loading --------------------------------------------------------------------------------

    def start_from(self, events: Sequence[StoredEvent]) -> None:
        """Begin with these events in the log (a copy of an existing store's: see ``storage.read_only``)."""
        self.service.insert_stored_events(events)

    def position(self) -> int:
        """The store's position: the id of the last thing it recorded (0 when empty)."""
        return self.service.position()

    def load_files(self, paths: Sequence[Path]) -> LoadAttempt:
        """Load report files or folders as ``incidents load`` does (``--aliases`` when chosen)."""
        before = self.position()
        try:
            for path in paths:
                self._adopt_reference_data(path)
            loaded = self.service.load(paths, aliases=self._aliases_for(paths))
            attempt = LoadAttempt(before, loaded=tuple(loaded), folders=self.folders)
        except InvalidInputError as error:
            attempt = LoadAttempt(before, error=error, folders=self.folders)
        self.load = attempt
        return attempt

    def _aliases_for(self, paths: Sequence[Path]) -> Path | None:
        if self.aliases_chosen:
            return self.aliases
        if not all(self._in_scratch(path) for path in paths):
            return None  # as the CLI does: each file's dataset's aliases.yaml
        # Files a scenario wrote have no dataset around them: they use the scenario's names.
        if self.aliases is not None:
            return self.aliases
        empty = self.scratch / NO_REFERENCE_DATA
        if not empty.exists():
            empty.write_text("{}\n", encoding="utf-8")
        return empty

    def load_content(self, content: ReportContent | InvalidInputError, generated: str) -> LoadAttempt:
        """Record a report parsed from an inline table (or the problems parsing found)."""
        before = self.position()
        if isinstance(content, InvalidInputError):
            attempt = LoadAttempt(before, error=content, generated=generated)
        else:
            try:
                loaded = tuple(self.service.record([content]))
                attempt = LoadAttempt(before, loaded=loaded, generated=generated)
            except InvalidInputError as error:
                attempt = LoadAttempt(before, error=error, generated=generated)
        self.load = attempt
        return attempt

    def last_load(self) -> LoadAttempt:
        if self.load is None:
            raise AssertionError("nothing was loaded yet: this expectation follows a load step")
        return self.load

    def outcomes(self) -> list[Outcome]:
        return [item.outcome for item in self.last_load().loaded]

    # --- Questions ------------------------------------------------------------------------------

    def viewpoint(self, clocks: Clocks) -> Viewpoint:
        recorded_at = clocks.recorded_at
        if clocks.recorded_before is not None:
            recorded_at = self.position_before_report(clocks.recorded_before)
        return Viewpoint(clocks.as_of, clocks.known_at, recorded_at)

    def position_before_report(self, key: str) -> int:
        """The store's position just before the report ``key`` was recorded."""
        try:
            return self.service.position_before(key)
        except UnknownSubjectError:
            raise AssertionError(f'no report "{key}" was recorded in this scenario') from None

    def asked(self, *kinds: Asked) -> Question:
        """The last question, which must be one of ``kinds``; otherwise say which step to add."""
        if self.question is None or self.question.asked not in kinds:
            steps = " or ".join(f'"{ASKING[kind]}"' for kind in kinds)
            last = f" (the last question was {self.question.describe()})" if self.question else ""
            raise AssertionError(f"this expectation answers {steps}: ask it first{last}")
        return self.question
