"""What ``incidents check`` does, from the paths and options it is given to its exit code.

Kept apart from the command's module (``incidents.cli.check``), which imports it only when the
check runs: this brings in pytest and pytest-bdd, which the other commands should not pay for
each time they start.

The steps: read the ``-k`` expression; find and parse every feature file (all problems at once,
and nothing runs if there is any); read the store to start from, if one is named; run the
scenarios (``runner``); write the reports asked for. The outcome says what to print and the exit
code: 0 every scenario passed, 1 some failed, 2 they could not be run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attrs import frozen
from eventsourcing.persistence import StoredEvent

from incidents.domain.errors import IncidentsError
from incidents.service import StoreError, parse_location, read_stored_events
from incidents.specs.cucumber_json import write_cucumber_json
from incidents.specs.feature_files import FeatureFilesError, FeatureProblem, find_feature_files, read_feature
from incidents.specs.html_report import write_html
from incidents.specs.results import shown_path
from incidents.specs.runner import run_features
from incidents.specs.selection import Selection, SelectionError
from incidents.specs.summary import render_summary

ALL_PASSED, SOME_FAILED, CANNOT_RUN = 0, 1, 2


@frozen
class CheckRequest:
    paths: tuple[Path, ...]
    root: Path  # the folder relative paths in steps start from
    store: str | None = None  # the --store value, as given (parsed when the store is read)
    select: str | None = None  # the -k expression
    cucumber_json: Path | None = None
    html: Path | None = None


@frozen
class CheckOutcome:
    exit_code: int
    summary: str = ""  # for standard output
    errors: tuple[str, ...] = ()  # for standard error, one problem each
    details: str = ""  # pytest's own output, when pytest itself could not run the scenarios


class _CannotRunError(IncidentsError):
    """The check cannot run the scenarios, for these reasons."""

    def __init__(self, errors: Sequence[str], details: str = "") -> None:
        super().__init__(*errors)
        self.errors = tuple(errors)
        self.details = details


def run_check(request: CheckRequest) -> CheckOutcome:
    try:
        return _run(request)
    except _CannotRunError as stop:
        return CheckOutcome(CANNOT_RUN, errors=stop.errors, details=stop.details)


def _run(request: CheckRequest) -> CheckOutcome:
    selection = _selection(request.select)
    files = _feature_files(request.paths, request.root)
    start_from = _stored_events(request.store)
    run = run_features(files, request.root, start_from=start_from, selection=selection)
    if run.nothing_selected and selection is not None:
        raise _CannotRunError([f"no scenario matches -k {selection.text!r}"])
    if not run.ran:
        raise _CannotRunError([f"pytest could not run the scenarios (exit code {run.exit_code})"], run.output)
    summary = render_summary(run.results)
    try:
        if request.cucumber_json is not None:
            write_cucumber_json(run.results, request.cucumber_json)
        if request.html is not None:
            write_html(run.results, request.html)
    except OSError as error:
        return CheckOutcome(
            CANNOT_RUN, summary, (f"cannot write the report {error.filename}: {error.strerror}",)
        )
    return CheckOutcome(ALL_PASSED if run.results.passed else SOME_FAILED, summary)


def _selection(text: str | None) -> Selection | None:
    try:
        return Selection.compile(text) if text is not None else None
    except SelectionError as error:
        raise _CannotRunError([str(error)]) from None


def _feature_files(paths: Sequence[Path], root: Path) -> list[Path]:
    """The feature files named, every one parsed; all problems at once if any is malformed."""
    try:
        files = find_feature_files(paths)
    except FeatureFilesError as error:
        raise _CannotRunError([str(problem) for problem in error.problems]) from None
    problems: list[FeatureProblem] = []
    for file in files:
        try:
            read_feature(file, shown_path(file, root))
        except FeatureFilesError as error:
            problems.extend(error.problems)
    if problems:
        summary = f"{len(problems)} malformed feature file(s); nothing was run."
        raise _CannotRunError([str(problem) for problem in problems] + [summary])
    return files


def _stored_events(store: str | None) -> tuple[StoredEvent, ...]:
    if store is None:
        return ()
    try:
        return read_stored_events(parse_location(store))
    except StoreError as error:
        raise _CannotRunError([str(error)]) from None
