"""A query imports only what it needs: asked in a fresh process, ``totals`` and ``areas`` read the
read model and print their answer without importing the web server, the report-file reader
(YAML), the importers, the other folds, rich (a table that is not for a terminal is plain text)
or ``importlib.metadata``; answered by a running ``incidents serve``, a query imports neither
click nor the service nor anything that would answer it here. A guard on the modules a command
imports, not a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from incidents.runtime import SERVING_THRESHOLDS
from tests.command import invoke
from tests.conftest import SEEDS
from tests.serving import environment, serving

# Modules (and their submodules) a query has no use for.
HEAVY = (
    "rich",
    "yaml",
    "litestar",
    "uvicorn",
    "msgspec",
    "psycopg",
    "importlib.metadata",
    "incidents.web",
    "incidents.ingest",
    "incidents.amending",
    "incidents.gazetteer",
    "incidents.formats.report_file",
    "incidents.formats.reference",
    "incidents.formats.registry",
    "incidents.formats.export.exported",
    "incidents.projections.queries",
    "incidents.projections.changes",
    "incidents.projections.diff",
    "incidents.projections.provenance",
    "incidents.projections.replay",
)

# Run a command as the console script does, then list the modules the process imported.
PROBE = """
import contextlib, io, json, sys
from incidents.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:], standalone_mode=False)
    except SystemExit as exit:
        assert not exit.code, exit.code
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("lean") / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    assert invoke(db, "totals").exit_code == 0  # the read model caught up
    return db


def imported_by(db: Path, *args: str) -> set[str]:
    """The modules a fresh ``incidents --db DB ARGS...`` process imports."""
    found = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(__file__).parents[2] / "src"), "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(found.stdout.splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY))


@pytest.mark.parametrize(
    "command",
    [
        ("totals", "--format", "json"),
        ("totals", "--as-of", "2019-08-28", "--items", "together"),
        ("areas", "--format", "json"),
        ("areas", "--as-of", "2019-08-01"),
    ],
    ids=" ".join,
)
def test_a_query_imports_only_what_it_needs(seeds_store: Path, command: tuple[str, ...]) -> None:
    modules = imported_by(seeds_store, *command)
    assert "incidents.readmodel.queries" in modules  # it did answer from the read model
    assert heavy_in(modules) == []


# What listing the commands has no use for: the web server (``incidents serve`` imports it when
# it runs: ``incidents.cli.serving``).
WEB_SERVER = ("litestar", "uvicorn", "incidents.web", "incidents.cli.serving")


@pytest.mark.parametrize("command", [("--help",), ("serve", "--help")], ids=" ".join)
def test_the_help_does_not_import_the_web_server(seeds_store: Path, command: tuple[str, ...]) -> None:
    modules = imported_by(seeds_store, *command)
    assert "incidents.cli.serve" in modules  # (the command was listed)
    assert sorted(m for m in modules if any(m == w or m.startswith(w + ".") for w in WEB_SERVER)) == []


# Run a command as the console script does (``run``: a running server is asked first).
CONSOLE_PROBE = """
import contextlib, io, json, sys
from incidents.cli import run
sys.argv[0] = "incidents"
with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")):
    try:
        run()
    except SystemExit as exit:
        assert not exit.code, exit.code
print(json.dumps(sorted(sys.modules)))
"""

# What a command answered by a server has no use for: everything that answers here.
ANSWERED_HERE = ("click", "attrs", "eventsourcing", "sqlite3", "typing", "incidents.service",
                 "incidents.cli.group", "incidents.output", "incidents.domain", "incidents.readmodel",
                 "incidents.storage", "http.client", "email", "ssl")  # fmt: skip
# ... but the width a table is drawn at, which the client sends (a module of ``os`` alone).
CLIENT_OUTPUT = {"incidents.output", "incidents.output.width"}


@pytest.mark.parametrize(
    "command",
    [
        ("totals", "--format", "json"),
        ("areas", "--format", "json"),
        ("areas",),
        ("claims", "--format", "csv"),
    ],
    ids=" ".join,
)
def test_a_query_answered_by_a_server_imports_only_the_client(
    seeds_store: Path, command: tuple[str, ...]
) -> None:
    """With an ``incidents serve`` of the store up, the command imports the rendezvous, json and
    socket, and nothing of what would answer it here (nor http.client: its email and ssl)."""
    with serving(seeds_store):
        found = subprocess.run(
            [sys.executable, "-c", CONSOLE_PROBE, "--db", str(seeds_store), *command],
            capture_output=True,
            text=True,
            check=True,
            env=environment(),
        )
    modules = set(json.loads(found.stdout.splitlines()[-1]))
    assert {"incidents.cli.rendezvous", "socket", "json"} <= modules
    assert heavy_in(modules) == []
    answering = {m for m in modules if any(m == no or m.startswith(no + ".") for no in ANSWERED_HERE)}
    assert sorted(answering - CLIENT_OUTPUT) == []


def test_the_guard_sees_a_command_that_needs_more(seeds_store: Path) -> None:
    """The probe sees heavy imports where a command uses them: validating a report reads YAML."""
    modules = imported_by(seeds_store, "validate", str(SEEDS))
    assert "yaml" in modules
    assert "incidents.formats.report_file" in modules


def test_a_command_collects_as_seldom_as_a_server(seeds_store: Path) -> None:
    """The console script sets the cycle collector up for a command (``runtime``), before
    anything else: the thresholds a serving process has, the young generation every 50,000
    allocations (at the interpreter's 700, the areas command at 1M took 5-10 % more CPU)."""
    probe = CONSOLE_PROBE.replace(
        "print(json.dumps(sorted(sys.modules)))", "print(json.dumps(gc.get_threshold()))"
    )
    found = subprocess.run(
        [sys.executable, "-c", "import gc\n" + probe, "--db", str(seeds_store), "--no-server", "totals"],
        capture_output=True,
        text=True,
        check=True,
        env=environment(),
    )
    assert tuple(json.loads(found.stdout.splitlines()[-1])) == SERVING_THRESHOLDS  # (not 700, 10, 10)
