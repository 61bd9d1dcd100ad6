"""Stores to export from, and the ``incidents`` command through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.command import invoke
from tests.conftest import ALIASES, SEEDS

RUDAW = "rudaw-2019-08-28-will-of-victory-phase-4"
ALSHAHID = "alshahid-2019-07-anti-isis-operations-clear-villages"
CORRECTED = f"{RUDAW}/pmf-statement-killed"


def succeeded(db: Path, *args: str) -> Result:
    result = invoke(db, *args)
    assert result.exit_code == 0, result.output + (str(result.exception) if result.exception else "")
    return result


def exported(db: Path, export_format: str, *clocks: str) -> str:
    """What ``incidents export`` writes on standard output."""
    return succeeded(db, "export", "--format", export_format, *clocks).stdout


def answer(db: Path, *query: str) -> dict[str, Any]:
    """A query's JSON answer: its rows and its uncertain entries (the clocks are the caller's)."""
    document: dict[str, Any] = json.loads(succeeded(db, *query, "--format", "json").stdout)
    return {"rows": document["rows"], "uncertain": document["uncertain"]}


@pytest.fixture(scope="module")
def corrected_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, and a correction of the PMF's further kill from 1 to 2 (a SQLite file)."""
    db = tmp_path_factory.mktemp("source") / "source.db"
    succeeded(db, "load", "--quiet", str(SEEDS))
    succeeded(db, "correct", CORRECTED, "--set", "count=2", "--reason", "x", "--aliases", str(ALIASES))
    return db
