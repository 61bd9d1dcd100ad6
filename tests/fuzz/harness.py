"""Running a fuzzed input through the CLI, and what must hold whatever the input is.

- no traceback: the only exception a command may end with is the CLI's own exit (``error: ...``
  and exit code 1 for a refusal);
- a refusal exits non-zero and names the file (and, where the problem has one, the line);
- a refusal leaves the store's bytes as they were (a SHA-256 of the file before and after);
- after an accepted input, every query still answers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import settings

from incidents.cli import main

FIGURES: Counter[tuple[str, str]] = Counter()  # (target, outcome) -> inputs

LONG = os.environ.get("INCIDENTS_FUZZ", "") == "long"
EXAMPLES = int(os.environ.get("INCIDENTS_FUZZ_EXAMPLES", "1500" if LONG else "0") or 0)

QUERIES: tuple[tuple[str, ...], ...] = (
    ("totals", "--format", "json"),
    ("areas", "--format", "json"),
    ("claims", "--format", "json"),
    ("replay", "--format", "json"),
    ("export", "--format", "json"),
)


def fuzz_settings(examples: int) -> settings:
    """``examples`` inputs from a fixed seed by default; the long run's count from a new seed."""
    return settings(
        max_examples=EXAMPLES or examples,
        derandomize=not LONG,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=list(__import__("hypothesis").HealthCheck),
    )


def store_hash(db: Path) -> str:
    """The store's bytes (the SQLite file and its write-ahead log, if any), hashed."""
    digest = hashlib.sha256()
    for path in (db, db.with_name(db.name + "-wal")):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=True)


def shown(data: bytes, limit: int = 3000) -> str:
    text = repr(data[:limit])
    return text + (f"... ({len(data)} bytes)" if len(data) > limit else "")


def check_no_traceback(result: Result, what: str, data: bytes) -> None:
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        raise AssertionError(
            f"{what} raised {type(exception).__name__}: {exception}\ninput: {shown(data)}"
        ) from exception
    assert "Traceback" not in result.output, (
        f"{what} printed a traceback:\n{result.output}\ninput: {shown(data)}"
    )
    assert result.exit_code in (0, 1), (
        f"{what} exited {result.exit_code}:\n{result.output}\ninput: {shown(data)}"
    )


def check_refusal_names(result: Result, what: str, files: Sequence[Path], data: bytes) -> None:
    """A refusal says ``error:`` and names one of the input's files (with its line if it has one)."""
    output = result.output
    assert "error:" in output, f"{what} exited 1 without 'error:':\n{output}\ninput: {shown(data)}"
    assert any(str(file) in output for file in files), (
        f"{what} refused without naming the file:\n{output}\ninput: {shown(data)}"
    )


def check_queries(db: Path, what: str, data: bytes) -> None:
    for query in QUERIES:
        result = run(db, *query)
        check_no_traceback(result, f"{' '.join(query)} after {what}", data)
        assert result.exit_code == 0, (
            f"{' '.join(query)} after {what} failed:\n{result.output}\ninput: {shown(data)}"
        )


def ingest_and_query(
    target: str,
    template: Path,
    folder: Path,
    command: Sequence[str],
    files: Sequence[Path],
    data: bytes,
) -> str:
    """Run ``command`` (validate, load or import) on a copy of ``template``; check what must hold.
    The outcome: "accepted" or "refused"."""
    db = folder / "store.db"
    shutil.copyfile(template, db)
    before = store_hash(db)
    result = run(db, *command)
    what = " ".join(command[:2])
    check_no_traceback(result, what, data)
    if result.exit_code != 0:
        check_refusal_names(result, what, files, data)
        assert store_hash(db) == before, (
            f"{what} refused but changed the store:\n{result.output}\ninput: {shown(data)}"
        )
        outcome = "refused"
    else:
        check_queries(db, what, data)
        outcome = "accepted"
    FIGURES[target, outcome] += 1
    return outcome
