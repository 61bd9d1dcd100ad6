"""What the read model asks of the database it lives in: one ``Dialect`` per backend.

The read model's SQL is written once, with ``?`` placeholders, in what SQLite and PostgreSQL
both accept. Where they differ, the read model asks its dialect (``incidents.storage.sqlite``'s
or ``incidents.storage.postgres``'s) instead of testing which database it is on:

- how to connect (``connect``: SQLite's WAL and lock timeout; PostgreSQL's schema);
- placeholders (``sql``);
- the write lock that makes projectors in several processes take turns (``begin_write``: SQLite's
  ``BEGIN IMMEDIATE``; PostgreSQL's ``pg_advisory_xact_lock``), and the snapshot a read sees
  (``begin_read``: SQLite's read transaction; PostgreSQL's ``REPEATABLE READ, READ ONLY``);
- how a transaction ends (``commit``, ``rollback``);
- the catalogue (``table_exists``, and for tests ``indexes`` and ``columns``);
- the latest row of a group on or before a bound (``join_latest``: a correlated ``MAX`` on
  SQLite, ``LATERAL ... LIMIT 1`` on PostgreSQL: an index seek each);
- whether the store's recorder can say when something is recorded (``subscribes``: LISTEN/NOTIFY),
  or must be polled;
- the fastest way in of many rows into a table (``copy``: PostgreSQL's ``COPY ... FROM STDIN``;
  SQLite's ``executemany`` of one prepared ``INSERT``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

Statement = tuple[str, tuple[Any, ...]]  # SQL with ? placeholders, and its parameters


class Cursor(Protocol):
    def execute(self, sql: str, parameters: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...
    def fetchmany(self, size: int) -> list[Any]: ...
    @property
    def connection(self) -> Any: ...


class Dialect(Protocol):
    """A database, as the read model uses it (see the module's docstring)."""

    @property
    def name(self) -> str:
        """The backend's name ("sqlite", "postgres"): for messages and tests, never to branch on."""
        ...

    @property
    def subscribes(self) -> bool:
        """Whether the store's recorder offers a subscription to what is recorded."""
        ...

    def connect(self) -> Any:
        """A new DB-API connection to the database of the store, set up for the read model, out
        of any transaction (transactions begin with ``begin_write`` or ``begin_read``)."""
        ...

    def sql(self, statement: str) -> str:
        """``statement`` (``?`` placeholders) as the driver takes it."""
        ...

    def table(self, columns: str) -> str:
        """The column definitions of a ``CREATE TABLE`` (``schema.TABLES``) as this database
        takes them best."""
        ...

    def begin_write(self, cursor: Cursor) -> None:
        """Begin a transaction under the read model's write lock (one writer at a time, across
        processes), waiting for it."""
        ...

    def begin_read(self, cursor: Cursor) -> None:
        """Begin a transaction that reads one snapshot."""
        ...

    def commit(self, connection: Any, cursor: Cursor) -> None: ...

    def stream(
        self, cursor: Cursor, statement: str, parameters: Sequence[Any], size: int
    ) -> Iterator[Sequence[Any]]:
        """The rows of ``statement`` (as the driver takes it) in the transaction of ``cursor``,
        ``size`` at a time, without holding them all in the client: the read model's scans of
        every row (a rebuild's settling) stay within a few thousand rows at a million events."""
        ...

    def rollback(self, connection: Any, cursor: Cursor) -> None:
        """End the transaction without its changes (nothing happens if none is open)."""
        ...

    def table_exists(self, table: str) -> Statement:
        """A query whose one value is true when ``table`` exists (in the store's schema)."""
        ...

    def indexes(self, table: str) -> Statement:
        """A query of the names of the indexes on ``table``, one per row."""
        ...

    def columns(self, table: str) -> Statement:
        """A query of the names of the columns of ``table``, one per row."""
        ...

    def join_latest(
        self, table: str, alias: str, key: str, outer_key: str, order: str, columns: Sequence[str]
    ) -> str:
        """A join clause adding, as ``alias``, the ``columns`` of the row of ``table`` whose
        ``key`` is ``outer_key`` and whose ``order`` is the greatest on or before the clause's
        one ``?`` (rows without one are left out)."""
        ...

    def copy(self, cursor: Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` (values of ``columns``) into ``table``, as fast as the database takes
        them: no conflict clause, nothing returned."""
        ...
