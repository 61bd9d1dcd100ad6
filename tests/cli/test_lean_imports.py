"""A query imports only what it needs: asked in a fresh process, ``totals`` and ``areas`` read the
read model and print their answer without importing the web server, the report-file reader
(YAML), the importers, the other folds, rich (a table that is not for a terminal is plain text)
or ``importlib.metadata``. A guard on the modules a command imports, not a timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.command import invoke
from tests.conftest import SEEDS

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


def test_the_guard_sees_a_command_that_needs_more(seeds_store: Path) -> None:
    """The probe sees heavy imports where a command uses them: validating a report reads YAML."""
    modules = imported_by(seeds_store, "validate", str(SEEDS))
    assert "yaml" in modules
    assert "incidents.formats.report_file" in modules
