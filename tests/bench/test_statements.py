"""``bench/statements.py`` names the statements an answer runs, with their CPU per query."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.command import invoke
from tests.conftest import ALIASES, ROOT, SEEDS


def statements(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``bench/statements.py`` run on a store of the seeds, with ``arguments`` after the store."""
    store = str(tmp_path / "incidents.db")
    assert invoke(store, "load", "--aliases", str(ALIASES), str(SEEDS)).exit_code == 0
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "statements.py"), store, *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )


@pytest.mark.parametrize(
    ("query", "clock"), [("totals", "as-of"), ("areas", "known-at"), ("areas", "recorded-at")]
)
def test_the_statements_of_an_answer_are_listed_with_their_time(
    tmp_path: Path, query: str, clock: str
) -> None:
    done = statements(tmp_path, query, "3", clock)
    assert done.returncode == 0, done.stderr
    head, *listed = done.stdout.splitlines()
    assert head.startswith(f"{query} {clock}, 3 queries: CPU p50 ")
    assert listed, done.stdout
    assert all(" ms " in line and "SELECT" in line for line in listed), done.stdout


def test_an_unknown_clock_is_refused_by_name(tmp_path: Path) -> None:
    done = statements(tmp_path, "totals", "3", "someday")
    assert done.returncode != 0
    assert "CLOCK must be as-of, known-at or recorded-at, not 'someday'" in done.stderr
