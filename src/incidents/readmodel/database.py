"""Where the read model lives: tables beside the event store, in the same SQLite file or
PostgreSQL database, reached through a connection of its own.

The SQL is written once, with ``?`` placeholders, in what both databases accept; where they
differ, the read model asks the backend's dialect (``incidents.storage.dialect.Dialect``): the
placeholders, the write lock under which projectors in several processes take turns (so that
each event is projected once), the snapshot a read sees, how a transaction ends, the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from incidents.storage.backends import read_model_dialect
from incidents.storage.dialect import Cursor, Dialect
from incidents.storage.location import StoreLocation

IN_CHUNK = 500  # values per IN (...) list
INSERT_PLACEHOLDERS = 50  # per INSERT of many rows: what psycopg keeps parsed (its statement cache)


class Transaction:
    """SQL statements in one transaction of the read model."""

    def __init__(self, cursor: Cursor, dialect: Dialect) -> None:
        self._cursor = cursor
        self.dialect = dialect

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        self._cursor.execute(self.dialect.sql(sql), tuple(parameters))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            self._cursor.executemany(self.dialect.sql(sql), rows)

    def insert(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], conflict: str = ""
    ) -> None:
        """Insert rows into ``columns`` of ``table`` (``conflict``: an ``ON CONFLICT`` clause).

        Narrow rows go a few to a statement (``VALUES (...), (...)``), in as many placeholders
        as a PostgreSQL client keeps a statement parsed for (``INSERT_PLACEHOLDERS``): each
        statement costs it a round of its protocol, whatever its size."""
        rows = list(rows)
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join("?" * len(columns)) + ")"
        tail = f" {conflict}" if conflict else ""
        per = INSERT_PLACEHOLDERS // len(columns)
        if per <= 1 or len(rows) <= 1:
            self.executemany(head + one + tail, rows)
            return
        full = len(rows) - len(rows) % per
        self.executemany(
            head + ", ".join([one] * per) + tail,
            [[v for row in rows[start : start + per] for v in row] for start in range(0, full, per)],
        )
        if full < len(rows):
            rest = rows[full:]
            self.execute(head + ", ".join([one] * len(rest)) + tail, [v for row in rest for v in row])

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert many rows at once, by the database's fastest way in (``Dialect.copy``: COPY on
        PostgreSQL): for rows known to be new (no conflict clause)."""
        if rows:
            self.dialect.copy(self._cursor, table, columns, rows)

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(self.dialect.sql(sql), tuple(parameters))
        return [tuple(row) for row in self._cursor.fetchall()]

    def stream(self, sql: str, parameters: Sequence[Any] = (), size: int = 2000) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, a few thousand at a time."""
        for row in self.dialect.stream(self._cursor, self.dialect.sql(sql), parameters, size):
            yield tuple(row)

    def value(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        self._cursor.execute(self.dialect.sql(sql), tuple(parameters))
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

    def table_exists(self, table: str) -> bool:
        return bool(self.value(*self.dialect.table_exists(table)))


class ReadModelDatabase:
    """A connection to the database that holds the read model."""

    def __init__(self, connection: Any, dialect: Dialect, describe: str) -> None:
        self._connection = connection
        self.dialect = dialect
        self.describe = describe

    @classmethod
    def open(
        cls, location: StoreLocation, settings: Mapping[str, str] | None = None
    ) -> ReadModelDatabase | None:
        """The read model's database for a store location; None for the in-memory store, which
        keeps nothing between commands and so is always folded."""
        dialect = read_model_dialect(location, settings)
        if dialect is None:
            return None
        return cls(dialect.connect(), dialect, location.describe())

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """A transaction under the projector's lock: committed if the block ends, else rolled back."""
        cursor = self._connection.cursor()
        self.dialect.begin_write(cursor)
        yield from self._finish(cursor)

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A transaction that reads one snapshot of the read model."""
        cursor = self._connection.cursor()
        self.dialect.begin_read(cursor)
        yield from self._finish(cursor)

    def _finish(self, cursor: Cursor) -> Iterator[Transaction]:
        try:
            yield Transaction(cursor, self.dialect)
        except BaseException:
            self.dialect.rollback(self._connection, cursor)
            raise
        self.dialect.commit(self._connection, cursor)

    def close(self) -> None:
        self._connection.close()
