"""The PostgreSQL backend: a store a team shares, in a database and schema of a server.

- ``PostgresBackend``: what the package needs of a ``PostgresLocation`` (``backends.Backend``):
  the library's settings (our store factory, the server, the schema); for reading only, the
  library's plain factory with ``CREATE_TABLE=false``, which creates nothing; the dialect;
- ``PostgresStore`` (named by ``PERSISTENCE_MODULE``): the library's factory, whose recorder comes
  with the append-only trigger (``postgres_guards``), creates its tables one process at a time,
  and reads through the ``ReadableMapper``;
- ``PostgresDialect``: the read model's connection and SQL (``incidents.storage.dialect``).

The library locks the events table for each insert, so positions become visible in order.
psycopg (and the library's PostgreSQL module) are imported on first use only: the classes that
need them are built then (``__getattr__``, PEP 562), so that a SQLite store never loads them.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from attrs import frozen

from incidents.storage.dialect import Cursor, Statement
from incidents.storage.errors import APPEND_ONLY_REFUSAL, StoreUnavailableError
from incidents.storage.location import PostgresLocation
from incidents.storage.mapper import CheckedStore

_STREAMS = itertools.count(1)  # names of the server-side cursors of ``PostgresDialect.stream``

FACTORY_TOPIC = "incidents.storage.postgres:PostgresStore"
PLAIN_FACTORY_TOPIC = "eventsourcing.postgres"  # the library's: reads and writes, adds no guards
# The library's PostgreSQL recorder names an application's events table after it ("incidents").
EVENTS_TABLE = "incidents_events"
# Say so within seconds when no server answers, rather than after the library's 30 s.
CONNECT_TIMEOUT = 5
# pg_advisory_xact_lock key of the read model's writers ("incidents read model"), with the
# schema's hash as the second key.
READ_MODEL_LOCK = 7_340_001


# --- The library's settings -----------------------------------------------------------------------


def connect(location: PostgresLocation) -> Any:
    """A plain connection (not in autocommit) to the location's database."""
    import psycopg

    return psycopg.connect(
        dbname=location.dbname,
        host=location.host,
        port=location.port,
        user=location.user,
        password=location.password or None,
        connect_timeout=CONNECT_TIMEOUT,
        autocommit=False,
    )


@frozen
class PostgresBackend:
    """The PostgreSQL backend, for one database and schema (``incidents.storage.backends.Backend``)."""

    location: PostgresLocation

    def environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that open (or create) the store in the location's schema."""
        location = self.location
        env = {
            "PERSISTENCE_MODULE": FACTORY_TOPIC,
            "POSTGRES_DBNAME": location.dbname,
            "POSTGRES_HOST": location.host,
            "POSTGRES_PORT": str(location.port),
            "POSTGRES_USER": location.user,
            "POSTGRES_PASSWORD": location.password,
            "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        }
        if location.schema:
            env["POSTGRES_SCHEMA"] = location.schema
        return env

    def read_only_environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that read the store, through the library's own recorder
        (which never adds a trigger; ``backends`` adds ``CREATE_TABLE=false``)."""
        return self.environment(settings) | {"PERSISTENCE_MODULE": PLAIN_FACTORY_TOPIC}

    def holds_store(self) -> bool:
        """Whether the location's schema (the server's current one when none is named) holds the
        store's events table. The schema is a query parameter, never SQL text."""
        import psycopg

        location = self.location
        try:
            with connect(location) as connection:
                row = connection.execute(
                    "SELECT EXISTS (SELECT FROM information_schema.tables "
                    "WHERE table_schema = COALESCE(%s, current_schema()) AND table_name = %s)",
                    (location.schema, EVENTS_TABLE),
                ).fetchone()
        except psycopg.Error as error:
            raise StoreUnavailableError(f"cannot open the store {location.describe()}: {error}") from None
        return bool(row and row[0])

    def dialect(self, settings: Mapping[str, str]) -> PostgresDialect:
        """The read model, in the store's database and schema."""
        return PostgresDialect(self.location)


# --- Append-only --------------------------------------------------------------------------------

POSTGRES_CLASSES = ("AppendOnlyPostgresRecorder", "PostgresStore")


def __getattr__(name: str) -> type[Any]:
    if name in POSTGRES_CLASSES:
        return _postgres_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def postgres_guards(schema: str, table: str) -> list[Any]:
    """The statements (psycopg ``sql.Composed``) that keep ``schema.table`` append-only: a
    trigger function that raises, fired ``BEFORE UPDATE OR DELETE OR TRUNCATE`` on the table
    (``INSERT ... ON CONFLICT DO UPDATE`` fires it too)."""
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
        "refusal": sql.SQL(APPEND_ONLY_REFUSAL),
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
    from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresFactory
    from eventsourcing.utils import retry
    from psycopg import Cursor as PsycopgCursor
    from psycopg.rows import DictRow

    class AppendOnlyPostgresRecorder(PostgresApplicationRecorder):
        """The library's PostgreSQL recorder, whose table comes with the append-only trigger,
        and whose inserts are not pipelined."""

        @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # (the library's)
        def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
            """The library's statements (the table's lock, the notification, one insert of them
            all returning their ids), in one transaction, each sent and answered in turn.

            The library sends them in psycopg's pipeline mode, which never returns once the
            insert's one parameter passes a few megabytes (psycopg/psycopg#685; about 4-6 MB
            here: an import's batch of 1,000 reports, or a few hundred with long quotes): the
            client waits for an answer while the server waits for the rest of the statement.
            The pipeline saved two round trips a transaction."""
            with (
                self.datastore.get_connection() as connection,
                connection.transaction(),
                connection.cursor() as cursor,
            ):
                self._insert_events(cursor, stored_events, **kwargs)
                if not stored_events:
                    return None  # (as the library answers)
                self._insert_stored_events(cursor, stored_events, **kwargs)
                return self._fetch_ids_after_insert_events(cursor, stored_events, **kwargs)

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

        def _create_table(self, curs: PsycopgCursor[DictRow]) -> None:
            # The session lock above is held by one pooled connection, the statements run on
            # another: a process killed mid-statement releases the first at once while its
            # statement runs on. A lock of the statements' own transaction queues the next
            # process behind that statement too (another key: the same process holds the first).
            key = f"incidents:{self.datastore.schema}.{self.events_table_name}:statements"
            curs.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,), prepare=False)
            super()._create_table(curs)
            for statement in postgres_guards(self.datastore.schema, self.events_table_name):
                curs.execute(statement, prepare=False)

    class PostgresStore(CheckedStore, PostgresFactory):
        """The PostgreSQL factory of an incidents store (``FACTORY_TOPIC``)."""

        application_recorder_class = AppendOnlyPostgresRecorder

    classes: dict[str, type[Any]] = {}
    for cls in (AppendOnlyPostgresRecorder, PostgresStore):
        cls.__qualname__ = cls.__name__  # their topics resolve through __getattr__ above
        classes[cls.__name__] = cls
    return classes


# --- The read model -------------------------------------------------------------------------------


@frozen
class PostgresDialect:
    """The read model in the store's database and schema (see ``incidents.storage.dialect.Dialect``)."""

    location: PostgresLocation

    name = "postgres"
    subscribes = True  # the library's recorder subscribes with LISTEN/NOTIFY

    def connect(self) -> Any:
        from psycopg import sql

        location = self.location
        connection = connect(location)
        if location.schema:
            connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(location.schema)))
            connection.commit()
        return connection

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def table(self, columns: str) -> str:
        return columns

    def copy(self, cursor: Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # COPY FROM STDIN in the text format: one statement, the rows streamed (psycopg adapts
        # each value as it would a parameter of an INSERT).
        with cast(Any, cursor).copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copying:
            write = copying.write_row
            for row in rows:
                write(row)

    def begin_write(self, cursor: Cursor) -> None:
        # psycopg begins the transaction; the lock is held until it ends.
        # (per schema: the read models of other stores in the same database do not wait on it)
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (READ_MODEL_LOCK,))

    def begin_read(self, cursor: Cursor) -> None:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    def commit(self, connection: Any, cursor: Cursor) -> None:
        connection.commit()

    def rollback(self, connection: Any, cursor: Cursor) -> None:
        connection.rollback()

    def stream(
        self, cursor: Cursor, statement: str, parameters: Sequence[Any], size: int
    ) -> Iterator[Sequence[Any]]:
        # A server-side cursor in the same transaction: psycopg's client-side cursor would
        # fetch the whole result at execute (hundreds of MB for a million-event rebuild).
        server = cursor.connection.cursor(name=f"rm_stream_{next(_STREAMS)}")
        try:
            server.itersize = size
            server.execute(statement, tuple(parameters))
            while chunk := server.fetchmany(size):
                yield from chunk
        finally:
            server.close()

    def table_exists(self, table: str) -> Statement:
        return "SELECT to_regclass(?) IS NOT NULL", (table,)

    def indexes(self, table: str) -> Statement:
        return "SELECT indexname FROM pg_indexes WHERE tablename = ? AND schemaname = current_schema()", (
            table,
        )

    def columns(self, table: str) -> Statement:
        return (
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema()",
            (table,),
        )

    def join_latest(
        self, table: str, alias: str, key: str, outer_key: str, order: str, columns: Sequence[str]
    ) -> str:
        # One index seek per outer row (ORDER BY ... DESC LIMIT 1 on the (key, order) index).
        selected = ", ".join(f"x.{column}" for column in columns)
        return (
            f"CROSS JOIN LATERAL (SELECT {selected} FROM {table} x "
            f"WHERE x.{key} = {outer_key} AND x.{order} <= ? ORDER BY x.{order} DESC LIMIT 1) {alias}"
        )
