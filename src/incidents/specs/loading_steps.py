"""Loading reports

Steps that put reports into the scenario's log (your report files, a report file written in the
spec, or a table of actions), and expectations about what a load did. A ``Given`` load that fails
stops the scenario with the problems; a ``When I try to ...`` load keeps the outcome for the
``Then the load ...`` steps. Paths are relative to the folder the check runs from; files a
scenario writes go in its own scratch folder, and a path that could lead out of those folders
(absolute, a drive, ``..``) fails the step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when
from pytest_bdd.parser import Feature, Scenario, Step

from incidents.service import Outcome
from incidents.specs.inline import InlineSource, parse_table
from incidents.specs.results import shown_path
from incidents.specs.world import SEEDS, LoadAttempt, RunningStep, World


def pytest_bdd_before_step(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Callable[..., Any],
) -> None:
    """Tell the world which step runs (``file:line: Given ...``), for the messages that name it."""
    world: World = request.getfixturevalue("incidents_world")  # every step of the library has it
    where = shown_path(Path(feature.filename), request.config.rootpath)
    world.step = RunningStep(f"{where}:{step.line_number}", f"{step.keyword} {step.name}")


# --- Files and folders --------------------------------------------------------------------------


def _must_succeed(attempt: LoadAttempt) -> None:
    if attempt.error is not None:
        generated = f"\nThe table became this report file:\n{attempt.generated}" if attempt.generated else ""
        raise AssertionError(attempt.describe() + generated)


@given("the seed reports are loaded")
def load_seeds(incidents_world: World) -> None:
    """Load the ``seeds/`` folder of the folder the check (or pytest) runs from.

    Example::

        Given the seed reports are loaded
    """
    _must_succeed(incidents_world.load_files([incidents_world.root / SEEDS]))


@given(parsers.re(r'the reports in "(?P<folder>[^"]+)" are loaded(?: again)?'))
@when(parsers.re(r'the reports in "(?P<folder>[^"]+)" are loaded(?: again)?'))
def load_folder(incidents_world: World, folder: str) -> None:
    """Load every report file in a folder (and its subfolders), as ``incidents load FOLDER``.

    Example::

        Given the reports in "seeds" are loaded
        When the reports in "seeds" are loaded again
    """
    _must_succeed(incidents_world.load_files([incidents_world.path(folder)]))


@given(parsers.re(r'the report file "(?P<file>[^"]+)" is loaded(?: again)?'))
@when(parsers.re(r'the report file "(?P<file>[^"]+)" is loaded(?: again)?'))
def load_file(incidents_world: World, file: str) -> None:
    """Load one report file, as ``incidents load FILE``.

    Example::

        Given the report file "seeds/rudaw-2019-08-28-will-of-victory-phase-4.yaml" is loaded
    """
    _must_succeed(incidents_world.load_files([incidents_world.path(file)]))


@given(parsers.re(r'names resolve with the reference data in "(?P<file>[^"]+)"'))
def choose_reference_data(incidents_world: World, file: str) -> None:
    """Resolve names with this ``aliases.yaml`` (as ``incidents load --aliases FILE``).

    Without it, names resolve with the reference data of the first folder the scenario loads;
    before any, every name is kept as written.

    Example::

        Given names resolve with the reference data in "seeds/aliases.yaml"
    """
    incidents_world.choose_reference_data(incidents_world.path(file))


@given(parsers.re(r'a report file "(?P<file>[^"]+)" containing:'))
def write_file(incidents_world: World, file: str, docstring: str) -> None:
    """Write a report file (not loaded yet) from the text between the ``\"\"\"`` lines.

    Example::

        Given a report file "batch/extra.yaml" containing:
    """
    incidents_world.write(file, docstring)


@given(parsers.re(r'this report file "(?P<file>[^"]+)" is loaded:'))
@when(parsers.re(r'this report file "(?P<file>[^"]+)" is loaded:'))
def write_and_load_file(incidents_world: World, file: str, docstring: str) -> None:
    """Write a report file from the text between the ``\"\"\"`` lines, and load it.

    Example::

        Given this report file "extra.yaml" is loaded:
    """
    _must_succeed(incidents_world.load_files([incidents_world.write(file, docstring)]))


@when(parsers.re(r'I try to load this report file "(?P<file>[^"]+)":'))
def try_write_and_load_file(incidents_world: World, file: str, docstring: str) -> None:
    """Write a report file from the text between the ``\"\"\"`` lines, and try to load it:
    the outcome is for the ``Then the load ...`` steps.

    Example::

        When I try to load this report file "bad.yaml":
    """
    incidents_world.load_files([incidents_world.write(file, docstring)])


@when(parsers.re(r'I try to load the report file "(?P<file>[^"]+)"'))
def try_load_file(incidents_world: World, file: str) -> None:
    """Try to load one report file.

    Example::

        When I try to load the report file "batch/bad.yaml"
    """
    incidents_world.load_files([incidents_world.path(file)])


@when(parsers.re(r'I try to load the reports in "(?P<folder>[^"]+)"'))
def try_load_folder(incidents_world: World, folder: str) -> None:
    """Try to load every report file in a folder: all of them, or (on any problem) none.

    Example::

        When I try to load the reports in "batch"
    """
    incidents_world.load_files([incidents_world.path(folder)])


# --- Inline reports: a table of actions under a stated source -----------------------------------

SOURCE = (
    r'a report(?: "(?P<key>[^"]+)")? by "(?P<outlet>[^"]+)"(?: titled "(?P<title>[^"]+)")?'
    r' published (?P<published>\S+)(?: at "(?P<url>[^"]+)")?'
)


def _inline(
    world: World,
    key: str | None,
    outlet: str,
    title: str | None,
    published: str,
    url: str | None,
    table: list[list[str]],
) -> LoadAttempt:
    world.inline_reports += 1
    key = key or f"spec-report-{world.inline_reports}"
    source = InlineSource(key, outlet, published, url or f"urn:incidents-spec:{key}", title)
    content, text = parse_table(source, table, world.names)
    return world.load_content(content, text)


@given(parsers.re(SOURCE + " states:"))
@when(parsers.re(SOURCE + " states:"))
def record_table(
    incidents_world: World,
    key: str | None,
    outlet: str,
    title: str | None,
    published: str,
    url: str | None,
    datatable: list[list[str]],
) -> None:
    """Record a report whose actions are the rows of the table below; columns are the fields of a
    report file's actions. The id, title and url are optional.

    Example::

        Given a report by "Rudaw English" published 2019-08-28 states:
        Given a report "wire-1" by "Wire" titled "Update" published 2019-08-30 at "https://a.org/1" states:
    """
    _must_succeed(_inline(incidents_world, key, outlet, title, published, url, datatable))


@when(parsers.re("I try to record " + SOURCE + " stating:"))
def try_record_table(
    incidents_world: World,
    key: str | None,
    outlet: str,
    title: str | None,
    published: str,
    url: str | None,
    datatable: list[list[str]],
) -> None:
    """Try to record a report from a table; problems give the table row as their line.

    Example::

        When I try to record a report by "Rudaw English" published 2019-08-28 stating:
    """
    _inline(incidents_world, key, outlet, title, published, url, datatable)


# --- What the last load did ---------------------------------------------------------------------


@then(
    parsers.re(
        r"the load fails(?: with an error"
        r'(?: in "(?P<file>[^"]+)")?'
        r"(?: on (?:line|row) (?P<line>\d+))?"
        r'(?: for field "(?P<field>[^"]+)")?'
        r'(?: saying "(?P<text>.+)")?'
        r")?"
    )
)
def load_fails(
    incidents_world: World, file: str | None, line: str | None, field: str | None, text: str | None
) -> None:
    """The last load was refused with a problem in that file, on that line, for that field, whose
    message contains that text (each part optional). For an inline table the line is the row.

    Example::

        Then the load fails with an error in "bad.yaml" on line 7 for field "actions[0].count"
        Then the load fails with an error for field "source" saying "needs a source"
        Then the load fails
    """
    attempt = incidents_world.last_load()
    if attempt.error is None:
        raise AssertionError(f"expected the load to fail, but {attempt.describe()}")
    for problem in attempt.problems:
        message = str(problem)
        if file is not None and not (problem.file == file or problem.file.endswith("/" + file)):
            continue
        if line is not None and problem.line != int(line):
            continue
        if field is not None and problem.field != field:
            continue
        if text is not None and text not in problem.message:
            continue
        # The message itself must say where: file, line and field, as the CLI prints it.
        for part in (file, f":{line}:" if line else None, f" {field}: " if field else None):
            assert part is None or part in message, f'"{part}" is not in the message: {message}'
        return
    wanted = ", ".join(
        part
        for part in (
            f'in "{file}"' if file else "",
            f"on line {line}" if line else "",
            f'for field "{field}"' if field else "",
            f'saying "{text}"' if text else "",
        )
        if part
    )
    raise AssertionError(f"no problem {wanted}; {attempt.describe()}")


@then("nothing was written")
def nothing_written(incidents_world: World) -> None:
    """The last load wrote nothing to the store (a refused load, or one that changed nothing).

    Example::

        Then nothing was written
    """
    attempt = incidents_world.last_load()
    after = incidents_world.position()
    assert after == attempt.position_before, (
        f"the store moved from position {attempt.position_before} to {after}; {attempt.describe()}"
    )


@then(parsers.re(r"the load records (?P<recorded>\d+) reports?(?: and leaves (?P<unchanged>\d+) unchanged)?"))
def load_records(incidents_world: World, recorded: str, unchanged: str | None) -> None:
    """How many reports the last load recorded (and left unchanged, being already recorded).

    Example::

        Then the load records 2 reports
        Then the load records 0 reports and leaves 2 unchanged
    """
    attempt = incidents_world.last_load()
    if attempt.error is not None:
        raise AssertionError(f"expected the load to succeed, but {attempt.describe()}")
    outcomes = incidents_world.outcomes()
    actual = (outcomes.count(Outcome.RECORDED), outcomes.count(Outcome.UNCHANGED))
    expected = (int(recorded), actual[1] if unchanged is None else int(unchanged))
    assert actual == expected, (
        f"expected {expected[0]} recorded and {expected[1]} unchanged, got {actual[0]} and {actual[1]}; "
        + attempt.describe()
    )


@then("the load leaves every report unchanged")
def load_unchanged(incidents_world: World) -> None:
    """The last load found every report already recorded, with the same content.

    Example::

        Then the load leaves every report unchanged
    """
    attempt = incidents_world.last_load()
    outcomes = incidents_world.outcomes()
    if attempt.error is not None or not outcomes or set(outcomes) != {Outcome.UNCHANGED}:
        raise AssertionError(f"expected every report to be unchanged, but {attempt.describe()}")


@then(parsers.re(r'the load flags "(?P<text>.+)"'))
def load_flags(incidents_world: World, text: str) -> None:
    """The last load flagged something (a name kept as written) whose note contains the text.

    Example::

        Then the load flags "place 'Khairat' is not in the gazetteer"
    """
    attempt = incidents_world.last_load()
    notes = [attempt.readable(note) for item in attempt.loaded for note in item.report.notes]
    if not any(text in note for note in notes):
        flags = "".join(f"\n  {note}" for note in notes) or " none"
        raise AssertionError(f'no flag contains "{text}"; the flags are:{flags}')
