"""The log is append-only, and the database enforces it.

No code path of incidents updates or deletes a stored event (tests/storage scans src/ for such
statements). The guards here make the database itself refuse it, whoever asks: a script, a SQL
console, a bug in a later version.

- SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers on the events table that
  ``RAISE(ABORT, ...)``, and a ``BEFORE INSERT`` trigger that refuses an insert over a recorded
  event (``INSERT OR REPLACE`` deletes the old row without firing delete triggers).
- PostgreSQL: a trigger function that raises, fired ``BEFORE UPDATE OR DELETE OR TRUNCATE`` on the
  events table of the schema in use (``INSERT ... ON CONFLICT DO UPDATE`` fires it too).

They are installed with the events table, by the application recorders below, whenever a store
is opened: idempotently (``IF NOT EXISTS``, ``CREATE OR REPLACE``). The recorders are used by the
store factories below, which ``incidents.store.store_env`` names as the ``PERSISTENCE_MODULE``;
the factories also read through ``incidents.store.ReadableMapper`` and check, when a store is
opened, that the cipher and compressor settings read it.

The PostgreSQL classes are built on first use (``__getattr__``, PEP 562), so that a SQLite store
does not import psycopg.
"""

from __future__ import annotations

import functools
from typing import Any

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    EventStore,
    InfrastructureFactory,
    Mapper,
    Transcoder,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteFactory

from incidents.store import ReadableMapper, check_readable

REFUSAL = "the incident log is append-only"


# --- SQLite ----------------------------------------------------------------------------------------


def sqlite_guards(table: str) -> dict[str, str]:
    """The SQLite triggers that keep ``table`` append-only, by name."""

    def refuse(name: str, event: str, when: str, why: str) -> tuple[str, str]:
        return name, (
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}: {why}'); END"
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


# --- What both store factories add to the library's ------------------------------------------------


class _CheckedStore(InfrastructureFactory[Any]):
    """Read through the ReadableMapper; refuse, when opening, settings that do not read the store."""

    def mapper(
        self, transcoder: Transcoder | None = None, mapper_class: type[Mapper[Any]] | None = None
    ) -> Mapper[Any]:
        return super().mapper(transcoder, mapper_class or ReadableMapper)

    def event_store(
        self, mapper: Mapper[Any] | None = None, recorder: AggregateRecorder | None = None
    ) -> EventStore[Any]:
        store: EventStore[Any] = super().event_store(mapper, recorder)
        if isinstance(store.recorder, ApplicationRecorder):
            try:
                check_readable(store.mapper, store.recorder)
            except BaseException:
                self.close()  # the application is not constructed: nobody else will
                raise
        return store


class SQLiteStore(_CheckedStore, SQLiteFactory):
    """The SQLite factory of an incidents store."""

    application_recorder_class = AppendOnlySQLiteRecorder


# --- PostgreSQL ------------------------------------------------------------------------------------

POSTGRES_CLASSES = ("AppendOnlyPostgresRecorder", "PostgresStore")


def __getattr__(name: str) -> type[Any]:
    if name in POSTGRES_CLASSES:
        return _postgres_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def postgres_guards(schema: str, table: str) -> list[Any]:
    """The statements (psycopg ``sql.Composed``) that keep ``schema.table`` append-only."""
    from psycopg import sql

    function = sql.Identifier(schema, f"{table}_refuse_change")
    trigger = f"{table}_append_only"
    names = {
        "function": function,
        "trigger": sql.Identifier(trigger),
        "trigger_name": sql.Literal(trigger),
        "schema_name": sql.Literal(schema),
        "table_name": sql.Literal(table),
        "table": sql.Identifier(schema, table),
        "refusal": sql.SQL(REFUSAL),
    }
    return [
        sql.SQL(
            "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $guard$ "
            "BEGIN "
            "RAISE EXCEPTION '{refusal}: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME; "
            "END $guard$"
        ).format(**names),
        # CREATE TRIGGER has no IF NOT EXISTS (and OR REPLACE only from PostgreSQL 14).
        sql.SQL(
            "DO $guard$ BEGIN "
            "IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger t "
            "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE t.tgname = {trigger_name} AND c.relname = {table_name} AND n.nspname = {schema_name}) "
            "THEN CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION {function}(); "
            "END IF; "
            "END $guard$"
        ).format(**names),
    ]


@functools.cache
def _postgres_classes() -> dict[str, type[Any]]:
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
    from psycopg import Cursor
    from psycopg.rows import DictRow

    class AppendOnlyPostgresRecorder(PostgresApplicationRecorder):
        """The library's PostgreSQL recorder, whose table comes with the append-only trigger."""

        def create_table(self) -> None:
            """Create the table, types, functions and trigger, one process at a time.

            Concurrent ``CREATE TABLE IF NOT EXISTS`` (or ``CREATE TYPE``, ``CREATE OR REPLACE
            FUNCTION``) can fail on PostgreSQL's catalogue constraints; a session advisory lock
            on the table's name queues processes opening the same store together.
            """
            key = f"incidents:{self.datastore.schema}.{self.events_table_name}"
            with self.datastore.get_connection() as connection:
                connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
                try:
                    super().create_table()
                finally:
                    connection.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))

        def _create_table(self, curs: Cursor[DictRow]) -> None:
            super()._create_table(curs)
            for statement in postgres_guards(self.datastore.schema, self.events_table_name):
                curs.execute(statement, prepare=False)

    class PostgresStore(_CheckedStore, PostgresFactory):
        """The PostgreSQL factory of an incidents store."""

        application_recorder_class = AppendOnlyPostgresRecorder

    classes: dict[str, type[Any]] = {}
    for cls in (AppendOnlyPostgresRecorder, PostgresStore):
        cls.__qualname__ = cls.__name__  # their topics resolve through __getattr__ above
        classes[cls.__name__] = cls
    return classes
