"""The SQLite backend: a store in one file, the default.

- ``SqliteBackend``: what the package needs of a ``SqliteLocation`` (``backends.Backend``): the
  library's settings (our store factory, the file, the lock timeout); for reading only, the
  library's plain factory on a ``mode=ro`` connection, which can create nothing; the dialect;
- ``SQLiteStore`` (named by ``PERSISTENCE_MODULE``): the library's factory, whose recorder comes
  with the append-only triggers (``sqlite_guards``) and reads through the ``ReadableMapper``;
- ``SqliteDialect``: the read model's connection and SQL (``incidents.storage.dialect``).

Concurrent writers: SQLite allows one at a time; a writer that finds the write lock taken waits
up to ``INCIDENTS_SQLITE_LOCK_TIMEOUT`` seconds for it (default 60, against the library's 5)
instead of failing with "database is locked". The file is in WAL mode, so readers never wait: a
new store's file is put in it before the library opens it (``write_ahead_logged``: processes
creating one together may be refused the change at once, and try again).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import UUID

from attrs import frozen
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteFactory

from incidents.storage.dialect import Cursor, Statement
from incidents.storage.errors import APPEND_ONLY_REFUSAL, NotAStoreError, StoreError, StoreSettingsError
from incidents.storage.location import SqliteLocation
from incidents.storage.mapper import CheckedStore

SQLITE_LOCK_TIMEOUT_VARIABLE = "INCIDENTS_SQLITE_LOCK_TIMEOUT"
# Seconds a SQLite writer waits for another writer's transaction before "database is locked".
DEFAULT_SQLITE_LOCK_TIMEOUT = 60

FACTORY_TOPIC = "incidents.storage.sqlite:SQLiteStore"
PLAIN_FACTORY_TOPIC = "eventsourcing.sqlite"  # the library's: reads and writes, adds no guards
EVENTS_TABLE = "stored_events"  # the library's SQLite recorder's table of an application's events
SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


# --- The library's settings -----------------------------------------------------------------------


def lock_timeout(settings: Mapping[str, str]) -> int:
    """``INCIDENTS_SQLITE_LOCK_TIMEOUT``, in seconds (whole, above 0)."""
    timeout = settings.get(SQLITE_LOCK_TIMEOUT_VARIABLE, "").strip() or str(DEFAULT_SQLITE_LOCK_TIMEOUT)
    if not timeout.isdigit() or int(timeout) == 0:
        raise StoreSettingsError(
            f"{SQLITE_LOCK_TIMEOUT_VARIABLE}={timeout!r}: expected a whole number of seconds, e.g. 60"
        )
    return int(timeout)


@frozen
class SqliteBackend:
    """The SQLite backend, for one file (``incidents.storage.backends.Backend``)."""

    location: SqliteLocation

    def environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that open (or create, with its folder) the store's file."""
        timeout = lock_timeout(settings)
        folder = self.location.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
        path = self.location.path
        if not path.exists() or path.stat().st_size == 0:
            write_ahead_logged(path, timeout)
        return {
            "PERSISTENCE_MODULE": FACTORY_TOPIC,
            "SQLITE_DBNAME": str(self.location.path),
            "SQLITE_LOCK_TIMEOUT": str(timeout),
        }

    def read_only_environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that open the existing file for reading only: a ``mode=ro``
        connection, through the library's own recorder (which never adds triggers)."""
        path = self.location.path
        if not path.is_file():
            # Opening it would create an empty SQLite file: refuse instead.
            raise StoreError(f"no store at {self.location.describe()}: the file does not exist")
        return {
            "PERSISTENCE_MODULE": PLAIN_FACTORY_TOPIC,
            "SQLITE_DBNAME": f"file:{quote(str(path.resolve()))}?mode=ro",
            "SQLITE_LOCK_TIMEOUT": str(lock_timeout(settings)),
        }

    def holds_store(self) -> bool:
        """Whether the file holds a store: False where there is nothing yet (no file, an empty
        file, a SQLite database without a table), which only a write may create; NotAStoreError
        where it holds something else. The file is only read (a ``mode=ro`` connection)."""
        path, where = self.location.path, self.location.describe()
        if not path.exists():
            return False
        if not path.is_file():
            raise NotAStoreError(f"{where} is not an incidents store: it is not a file")
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if not header:
            return False
        if header != SQLITE_HEADER:
            raise NotAStoreError(
                f"{where} is not an incidents store (not a SQLite database); it was left as it is"
            )
        try:
            connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
            try:
                rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            finally:
                connection.close()
        except sqlite3.Error as error:
            raise NotAStoreError(f"{where} is not a readable incidents store: {error}") from None
        tables = sorted(str(name) for (name,) in rows)
        if EVENTS_TABLE in tables:
            return True
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise NotAStoreError(
                f"{where} is a SQLite database of another program (tables {shown}), not an incidents "
                "store; it was left as it is"
            )
        return False

    def dialect(self, settings: Mapping[str, str]) -> SqliteDialect:
        """The read model, in the store's file."""
        return SqliteDialect(self.location.path, lock_timeout(settings))


def write_ahead_logged(path: Path, timeout: int) -> None:
    """Put a new store's file in WAL mode (which the file keeps) before the library opens it.

    The library does it on its first connection, but processes opening a new file together can
    fail there with "database is locked": changing the journal mode needs the file to itself,
    and SQLite does not always wait for that (a process that holds a read lock and asks for it
    is refused at once, not made to wait, so that two cannot wait for each other). Here the
    change is tried again until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = sqlite3.connect(path, timeout=timeout)
            try:
                (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
                if str(mode).lower() != "wal":
                    connection.execute("PRAGMA journal_mode=WAL")
                return
            finally:
                connection.close()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


# --- Append-only --------------------------------------------------------------------------------


def sqlite_guards(table: str) -> dict[str, str]:
    """The SQLite triggers that keep ``table`` append-only, by name: ``BEFORE UPDATE`` and
    ``BEFORE DELETE`` triggers that ``RAISE(ABORT, ...)``, and a ``BEFORE INSERT`` one that
    refuses an insert over a recorded event (``INSERT OR REPLACE`` deletes the old row without
    firing delete triggers)."""

    def refuse(name: str, event: str, when: str, why: str) -> tuple[str, str]:
        return name, (
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_REFUSAL}: {why}'); END"
        )

    return dict(
        [
            refuse(f"{table}_refuse_update", "UPDATE", "", "stored events are never updated"),
            refuse(f"{table}_refuse_delete", "DELETE", "", "stored events are never deleted"),
            refuse(
                f"{table}_refuse_overwrite",
                "INSERT",
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE originator_id = NEW.originator_id "
                "AND originator_version = NEW.originator_version) ",
                "this event is already recorded",
            ),
        ]
    )


class AppendOnlySQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, whose table comes with the append-only triggers."""

    def construct_create_table_statements(self) -> list[str]:
        guards = sqlite_guards(self.events_table_name).values()
        return [*super().construct_create_table_statements(), *guards]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any
    ) -> Sequence[int] | None:
        """Insert the events with one ``executemany`` (the library inserts them one by one, to
        read each row's id). Their notification ids are the rowids SQLite gives them: inside the
        transaction, which holds the write lock from its first insert, one more than the largest
        before each, so the batch's ids are the run ending at ``last_insert_rowid()``."""
        if not stored_events:
            return []
        rows = []
        originator, text = None, ""  # a report's events share their originator id: its text, once
        for s in stored_events:
            if s.originator_id is not originator:
                originator = s.originator_id
                text = originator.hex if isinstance(originator, UUID) else originator
            rows.append((text, s.originator_version, s.topic, s.state))
        c.executemany(self.insert_events_statement, rows)
        c.execute("SELECT last_insert_rowid()")
        (last,) = c.fetchone()
        return list(range(last - len(stored_events) + 1, last + 1))

    def create_table(self) -> None:
        """Create the events table and its triggers, unless they all exist.

        A store that has them is only read here, so opening one never waits for a writer. A new
        one is created in a transaction that takes the write lock at once (``BEGIN IMMEDIATE``,
        which waits up to the lock timeout): processes opening a new store together queue
        instead of failing with "database is locked" when a deferred transaction would upgrade.
        """
        if self._has_table_and_guards():
            return
        with self.datastore.get_connection(commit=True) as connection, connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                for statement in self.create_table_statements:
                    cursor.execute(statement)
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def _has_table_and_guards(self) -> bool:
        names = [self.events_table_name, *sqlite_guards(self.events_table_name)]
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT count(*) FROM sqlite_master WHERE name IN ({', '.join('?' * len(names))})", names
            )
            (count,) = cursor.fetchone()
        return bool(count == len(names))


class SQLiteStore(CheckedStore, SQLiteFactory):
    """The SQLite factory of an incidents store (``FACTORY_TOPIC``)."""

    application_recorder_class = AppendOnlySQLiteRecorder


# --- The read model -------------------------------------------------------------------------------


@frozen
class SqliteDialect:
    """The read model in the store's file (see ``incidents.storage.dialect.Dialect``)."""

    path: Path
    timeout: int  # seconds a writer waits for the write lock

    name = "sqlite"
    subscribes = False  # the library's SQLite recorder has no subscription: followers poll

    def connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; begin_write and begin_read begin them.
        connection = sqlite3.connect(
            str(self.path), timeout=float(self.timeout), isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def sql(self, statement: str) -> str:
        return statement

    def table(self, columns: str) -> str:
        # A key of one BIGINT column is declared INTEGER, which SQLite makes the row's id: rows
        # are then found by it in one B-tree (the table's) rather than two (an index, then the
        # table), and no index is kept beside the table.
        return columns.replace(" BIGINT PRIMARY KEY", " INTEGER PRIMARY KEY")

    def copy(self, cursor: Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def begin_write(self, cursor: Cursor) -> None:
        cursor.execute("BEGIN IMMEDIATE")  # SQLite's write lock, taken now (waiting up to timeout)

    def begin_read(self, cursor: Cursor) -> None:
        cursor.execute("BEGIN")  # a read transaction: one snapshot of the WAL

    def commit(self, connection: Any, cursor: Cursor) -> None:
        cursor.execute("COMMIT")

    def rollback(self, connection: Any, cursor: Cursor) -> None:
        if connection.in_transaction:
            cursor.execute("ROLLBACK")

    def stream(
        self, cursor: Cursor, statement: str, parameters: Sequence[Any], size: int
    ) -> Iterator[Sequence[Any]]:
        cursor.execute(statement, tuple(parameters))  # (sqlite3 steps through the result)
        while chunk := cursor.fetchmany(size):
            yield from chunk

    def table_exists(self, table: str) -> Statement:
        return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)

    def indexes(self, table: str) -> Statement:
        return "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)

    def columns(self, table: str) -> Statement:
        return "SELECT name FROM pragma_table_info(?)", (table,)

    def join_latest(
        self, table: str, alias: str, key: str, outer_key: str, order: str, columns: Sequence[str]
    ) -> str:
        # SQLite seeks the MAX of an index's last column in one step.
        return (
            f"JOIN {table} {alias} ON {alias}.{key} = {outer_key} AND {alias}.{order} = "
            f"(SELECT MAX(x.{order}) FROM {table} x WHERE x.{key} = {outer_key} AND x.{order} <= ?)"
        )
