"""The command line's rough edges of issue 11: a changed report points to the amendments, the
export says what it left out, clocks read months and years as the step library does, date errors
quote the whole value, help texts are whole, and validate shows what load would flag."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import incidents.cli
from incidents.cli import main
from incidents.cli.group import COMMAND_MODULES
from incidents.service import clock_day
from incidents.specs.phrases import PhraseError, read_day
from tests.command import invoke, position_of, report_folder
from tests.conftest import RUDAW, SEEDS

KILLED = "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.1"


@pytest.fixture
def seeded(store: str) -> str:
    assert invoke(store, "load", "--quiet", str(SEEDS)).exit_code == 0
    return store


def _dataset(tmp_path: Path, text: str) -> Path:
    """A folder with one report file and the seeds' reference data."""
    return report_folder(tmp_path, "changed", text)


# --- A changed report ---------------------------------------------------------------------------


def test_loading_a_changed_report_names_what_differs_and_points_to_correct(
    seeded: str, tmp_path: Path
) -> None:
    changed = RUDAW.read_text(encoding="utf-8").replace("language: en", "language: fr")
    changed = changed.replace("count: 4", "count: 5").replace(
        "{count: 2, actor: PMF}", "{count: 3, actor: PMF}"
    )
    folder = _dataset(tmp_path, changed)
    before = position_of(seeded)
    result = invoke(seeded, "load", str(folder))
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert (
        "report 'rudaw-2019-08-28-will-of-victory-phase-4' is already recorded with different content"
        in message
    )
    assert "source.language" in message
    assert "action phase-4-first-day-killed.2: count" in message
    assert "incidents correct rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.1" in message
    assert "incidents retract" in message
    assert position_of(seeded) == before
    with_store = invoke(seeded, "validate", "--with-store", str(folder))
    assert with_store.exit_code == 1
    assert "incidents correct" in with_store.output


# --- The export's summary ----------------------------------------------------------------------


def test_the_export_says_what_it_left_out_and_why(seeded: str, tmp_path: Path) -> None:
    retracted = invoke(seeded, "retract", KILLED, "--reason", "a test", "--by", "tester")
    assert retracted.exit_code == 0, retracted.output
    result = invoke(
        seeded, "export", "--format", "json", "--as-of", "2019-08-25", "-o", str(tmp_path / "x.json")
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    exported = sum(len(report["actions"]) for report in bundle["reports"])
    assert f"exported {exported} actions of 2 reports" in result.stderr
    assert "1 amendment applied, as json to " in result.stderr
    assert "left out: 1 action retracted; 2 actions occurred after --as-of 2019-08-25." in result.stderr


def test_an_export_of_some_action_types_writes_only_those_and_says_what_it_left_out(
    seeded: str, tmp_path: Path
) -> None:
    retracted = invoke(seeded, "retract", KILLED, "--reason", "a test", "--by", "tester")
    assert retracted.exit_code == 0, retracted.output
    every = json.loads(invoke(seeded, "export", "--format", "json").stdout)
    kinds = [action["type"] for report in every["reports"] for action in report["actions"]]
    result = invoke(
        seeded,
        "export",
        "--format",
        "json",
        "--type",
        "killed",
        "--type",
        "phase_launched,operation_launched",
    )
    assert result.exit_code == 0, result.output
    bundle = json.loads(result.stdout)
    assert bundle["query"]["type"] == [
        "operation_launched",
        "phase_launched",
        "killed",
    ]  # (the catalogue's order)
    written = [action["type"] for report in bundle["reports"] for action in report["actions"]]
    assert written == [kind for kind in kinds if kind in {"killed", "phase_launched", "operation_launched"}]
    others = len(kinds) + 1 - len(written) - 1  # (every action but the retracted killed one is in `kinds`)
    assert others == sum(
        1 for kind in kinds if kind not in {"killed", "phase_launched", "operation_launched"}
    )
    assert (
        f"left out: {others} actions not of the types asked for "
        "(operation_launched, phase_launched, killed); 1 action retracted." in result.stderr
    )
    assert "type" not in json.loads(invoke(seeded, "export", "--format", "json").stdout)["query"]


def test_an_export_of_an_unknown_action_type_is_refused_with_the_nearest(seeded: str) -> None:
    result = invoke(seeded, "export", "--format", "csv", "--type", "kiled")
    assert result.exit_code == 2
    assert "--type" in result.stderr
    assert "unknown action type 'kiled'; did you mean killed" in result.stderr
    assert result.stdout == ""
    changes = invoke(seeded, "export", "--format", "csv", "--type", "killed", "--changed-since", "1")
    assert changes.exit_code == 2
    assert "not among its --changed-since" in changes.stderr


def test_an_export_that_leaves_nothing_out_says_so(seeded: str) -> None:
    result = invoke(seeded, "export", "--format", "json")
    assert result.exit_code == 0
    assert "0 amendments applied, as json to standard output." in result.stderr
    assert "left out: nothing." in result.stderr


# --- Clocks and dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [("2019-08-28", date(2019, 8, 28)), ("2019-08", date(2019, 8, 31)), ("2019", date(2019, 12, 31))],
)
def test_a_clock_reads_as_in_the_step_library(written: str, day: date) -> None:
    assert clock_day(written) == day == read_day(written)


@pytest.mark.parametrize(
    ("option", "command"), [("--as-of", "totals"), ("--known-at", "areas"), ("--until", "replay")]
)
def test_months_and_years_work_on_the_command_line(seeded: str, option: str, command: str) -> None:
    by_month = invoke(seeded, command, option, "2019-08", "--format", "json")
    by_day = invoke(seeded, command, option, "2019-08-31", "--format", "json")
    assert by_month.exit_code == 0, by_month.output
    assert json.loads(by_month.stdout)["rows"] == json.loads(by_day.stdout)["rows"]
    by_year = invoke(seeded, command, option, "2019", "--format", "json")
    assert (
        json.loads(by_year.stdout)["rows"]
        == json.loads(invoke(seeded, command, option, "2019-12-31", "--format", "json").stdout)["rows"]
    )


@pytest.mark.parametrize("option", ["--as-of", "--known-at"])
def test_a_date_error_quotes_the_whole_value(seeded: str, option: str) -> None:
    result = invoke(seeded, "totals", option, "28/08/2019")
    assert result.exit_code == 2
    assert "got '28/08/2019'" in result.output
    assert "got '28'" not in result.output


def test_the_step_library_quotes_the_whole_value_too() -> None:
    with pytest.raises(PhraseError, match="got '28/08/2019'"):
        read_day("28/08/2019")


def test_an_amendments_date_error_quotes_the_whole_value(seeded: str) -> None:
    result = invoke(seeded, "correct", KILLED, "--set", "occurred=28/08/2019", "--reason", "a test")
    assert result.exit_code == 1
    assert "got '28/08/2019'" in result.output


# --- Help texts ----------------------------------------------------------------------------------


def _every_command() -> dict[str, click.Command]:
    """Every command of ``incidents``, each imported as ``--help`` imports it."""
    context = click.Context(main)
    found = {name: main.get_command(context, name) for name in main.list_commands(context)}
    return {name: command for name, command in found.items() if command is not None}


def _commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in _every_command().items():
        found.append((name,))
        for sub in getattr(command, "commands", {}):
            found.append((name, sub))
    return found


def test_the_command_list_shows_every_summary_whole() -> None:
    text = CliRunner().invoke(main, ["--help"], terminal_width=80).output
    listing = text.split("Commands:", 1)[1]
    assert not re.search(r"\w\.\.\.$", listing, re.MULTILINE)
    for name in _every_command():
        assert re.search(rf"^  {re.escape(name)}\s+\S", listing, re.MULTILINE), name
    assert "e.g.\n" not in listing  # a summary cut at an abbreviation


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_help_is_whole_and_names_only_its_own_options(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    body = result.output.split("\n", 1)[1]  # (the usage line's PATHS... aside)
    assert not re.search(r"\w\.\.\.$", body, re.MULTILINE)  # a sentence click cut off
    described = re.split(r"^Options:$", result.output, flags=re.MULTILINE)
    prose = " ".join(described[0].split()) + " " + " ".join(described[-1].split())
    own = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", described[-1], re.MULTILINE)) | {"--help"}
    named = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", prose)) - own - {"--db"}  # --db: of incidents
    assert not named, f"{' '.join(command)} --help names {sorted(named)}, options it does not have"


# --- validate warns as load flags ----------------------------------------------------------------


def test_validate_shows_what_load_would_flag(tmp_path: Path) -> None:
    text = RUDAW.read_text(encoding="utf-8").replace("side: ISIS\n", "side: Martians\n")
    folder = _dataset(tmp_path, text)
    loaded = invoke(tmp_path / "x.db", "load", str(folder))
    flags = [line.strip() for line in loaded.output.splitlines() if line.strip().startswith("flagged:")]
    assert flags
    validated = invoke(tmp_path / "y.db", "validate", str(folder))
    assert validated.exit_code == 0
    assert [line for line in validated.output.splitlines() if line.startswith("flagged:")] == flags
    assert f"{len(flags)} flagged as load would flag them" in validated.output
    assert not (tmp_path / "y.db").exists()


def test_every_command_is_where_the_group_imports_it_from() -> None:
    """``COMMAND_MODULES`` names each command's own module, and every module of ``incidents.cli``
    that adds commands is in it: a command missing from it would be missing from ``incidents``."""
    for module in pkgutil.iter_modules(incidents.cli.__path__):
        importlib.import_module(f"incidents.cli.{module.name}")
    defined = {name: getattr(command.callback, "__module__", None) for name, command in main.commands.items()}
    assert defined == {name: f"incidents.cli.{module}" for name, module in COMMAND_MODULES.items()}
