"""Where the read model lives: tables beside the event store, in the same SQLite file or
PostgreSQL database, reached through a connection of its own.

The SQL is written once, with ``?`` placeholders, in the dialect both databases accept; a
PostgreSQL connection rewrites the placeholders. A write transaction is taken under the
projector's lock (SQLite's write lock by ``BEGIN IMMEDIATE``; a PostgreSQL transaction-level
advisory lock), so that projectors in several processes take turns and each event is projected
once. A read transaction sees one snapshot (SQLite's read transaction; REPEATABLE READ).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from incidents.store import store_env

# pg_advisory_xact_lock key of the projector ("incidents read model").
PROJECTOR_LOCK = 7_340_001
IN_CHUNK = 500  # values per IN (...) list


class Cursor(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...
    def fetchmany(self, size: int) -> list[Any]: ...


class Transaction:
    """SQL statements in one transaction of the read model."""

    def __init__(self, cursor: Cursor, postgres: bool) -> None:
        self._cursor = cursor
        self.postgres = postgres

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._sql(sql), tuple(parameters))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            self._cursor.executemany(self._sql(sql), rows)

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(self._sql(sql), tuple(parameters))
        return [tuple(row) for row in self._cursor.fetchall()]

    def stream(self, sql: str, parameters: Sequence[Any] = (), size: int = 2000) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, a few thousand at a time."""
        self._cursor.execute(self._sql(sql), tuple(parameters))
        while chunk := self._cursor.fetchmany(size):
            yield from (tuple(row) for row in chunk)

    def value(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        self._cursor.execute(self._sql(sql), tuple(parameters))
        row = self._cursor.fetchone()
        return None if row is None else row[0]

    def rows_in(self, sql: str, values: Iterable[Any], before: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """``sql`` with its ``{in}`` filled with placeholders, for the values a chunk at a time."""
        values = list(values)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            found.extend(self.rows(sql.format(**{"in": ", ".join("?" * len(chunk))}), (*before, *chunk)))
        return found

    def execute_in(self, sql: str, values: Iterable[Any]) -> None:
        values = list(values)
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            self.execute(sql.format(**{"in": ", ".join("?" * len(chunk))}), chunk)


class ReadModelDatabase:
    """A connection to the database that holds the read model."""

    def __init__(self, connection: Any, postgres: bool, describe: str) -> None:
        self._connection = connection
        self.postgres = postgres
        self.describe = describe

    @classmethod
    def open(cls, db: str) -> ReadModelDatabase | None:
        """The read model's database for a ``--db`` value; None for the in-memory store, which
        keeps nothing between commands and so is always folded."""
        env = store_env(db)
        if "POSTGRES_DBNAME" in env:
            import psycopg

            postgres = psycopg.connect(
                dbname=env["POSTGRES_DBNAME"],
                host=env["POSTGRES_HOST"],
                port=int(env["POSTGRES_PORT"]),
                user=env["POSTGRES_USER"],
                password=env["POSTGRES_PASSWORD"] or None,
                connect_timeout=int(env["POSTGRES_CONNECT_TIMEOUT"]),
                autocommit=False,
            )
            if "POSTGRES_SCHEMA" in env:
                postgres.execute(f'SET search_path TO "{env["POSTGRES_SCHEMA"]}"')
                postgres.commit()
            return cls(postgres, True, db)
        if "SQLITE_DBNAME" in env:
            connection = sqlite3.connect(
                env["SQLITE_DBNAME"],
                timeout=float(env["SQLITE_LOCK_TIMEOUT"]),
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            return cls(connection, False, db)
        return None

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A transaction under the projector's lock: committed if the block ends, else rolled back."""
        cursor = self._connection.cursor()
        if self.postgres:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PROJECTOR_LOCK,))
        else:
            cursor.execute("BEGIN IMMEDIATE")
        yield from self._finish(cursor)

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A transaction that reads one snapshot of the read model."""
        cursor = self._connection.cursor()
        if self.postgres:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            cursor.execute("BEGIN")
        yield from self._finish(cursor)

    def _finish(self, cursor: Any) -> Iterator[Transaction]:
        try:
            yield Transaction(cursor, self.postgres)
        except BaseException:
            self._rollback(cursor)
            raise
        if self.postgres:
            self._connection.commit()
        else:
            cursor.execute("COMMIT")

    def _rollback(self, cursor: Any) -> None:
        if self.postgres:
            self._connection.rollback()
        elif self._connection.in_transaction:
            cursor.execute("ROLLBACK")

    def close(self) -> None:
        self._connection.close()
