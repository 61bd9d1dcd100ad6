"""Shared fixtures: the store under test (SQLite and PostgreSQL), the seeds, and logs that close.

The ``store`` fixture is the heart of the storage suite: every test that takes it runs once
against a fresh SQLite file and once against a fresh PostgreSQL schema. PostgreSQL is skipped
when unreachable on a developer machine, and is an error on CI (``CI=true``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

# The step library's asserts make its failure messages: have them rewritten wherever it is first
# imported (before any test module or plugin imports it).
pytest.register_assert_rewrite("incidents.specs")

from psycopg import sql  # noqa: E402

from incidents.application import IncidentLog  # noqa: E402
from incidents.formats.report_file import ReportContent  # noqa: E402
from incidents.ingest import ingest_contents, read_reports  # noqa: E402
from incidents.projections.ledger import Entry  # noqa: E402
from incidents.readmodel.database import ReadModelDatabase  # noqa: E402
from incidents.storage.location import MemoryLocation, parse_location  # noqa: E402
from tests.builders import read_entries  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RUDAW = SEEDS / "rudaw-2019-08-28-will-of-victory-phase-4.yaml"
ALSHAHID = SEEDS / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml"
ALIASES = SEEDS / "aliases.yaml"

POSTGRES_URL = os.environ.get("INCIDENTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


_unreachable: list[str] = []  # why PostgreSQL could not be reached, once found: do not wait again


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    """A connection for creating and dropping test schemas; skip (or fail on CI) without a server."""
    if not _unreachable:
        try:
            return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
        except psycopg.OperationalError as error:
            _unreachable.append(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    if on_ci():
        pytest.fail(f"{_unreachable[0]} (CI=true: the storage suite must run against PostgreSQL)")
    pytest.skip(_unreachable[0])


def schema_of(db: str) -> str | None:
    """The test schema named in a PostgreSQL ``--db`` value."""
    _, _, query = db.partition("?schema=")
    return query or None


def _postgres_store() -> Iterator[str]:
    schema = f"t_{uuid4().hex}"
    with _admin_connection() as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}schema={schema}"
    finally:
        with _admin_connection() as connection:
            # Never hang the suite on a connection a failed test left open.
            connection.execute("SET lock_timeout = '10s'")
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store, as a ``--db`` value: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "incidents.db")
    else:
        yield from _postgres_store()


@pytest.fixture
def postgres_store() -> Iterator[str]:
    """A fresh PostgreSQL schema (for the tests only PostgreSQL has)."""
    yield from _postgres_store()


LogOpener = Callable[[], IncidentLog]


@pytest.fixture
def open_log(store: str) -> Iterator[LogOpener]:
    """Open IncidentLogs on ``store`` (as many as a test likes); all are closed afterwards."""
    opened: list[IncidentLog] = []

    def open_() -> IncidentLog:
        log = IncidentLog.open(parse_location(store))
        opened.append(log)
        return log

    yield open_
    for log in opened:
        log.close()


@pytest.fixture
def memory_log() -> Iterator[IncidentLog]:
    log = IncidentLog.open(MemoryLocation())
    yield log
    log.close()


@pytest.fixture(scope="session")
def seed_contents() -> list[ReportContent]:
    return read_reports([SEEDS])


@pytest.fixture(scope="session")
def seed_entries(seed_contents: list[ReportContent]) -> list[Entry]:
    """The seeds recorded in a throwaway log and read back: what every projection folds."""
    log = IncidentLog.open(MemoryLocation())
    try:
        ingest_contents(log, seed_contents)
        return read_entries(log)
    finally:
        log.close()


@pytest.fixture
def read_model_database(store: str) -> Iterator[ReadModelDatabase]:
    """The read model's database of ``store`` (its own connection, closed afterwards)."""
    database = ReadModelDatabase.open(parse_location(store))
    assert database is not None
    yield database
    database.close()
