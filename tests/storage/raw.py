"""The store's events table, seen through a plain database connection (not through incidents).

What someone with a SQL console, or with the SQLite file, would see and try.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from tests.conftest import POSTGRES_URL, schema_of

SQLITE_EVENTS_TABLE = "stored_events"  # one file, one application
POSTGRES_EVENTS_TABLE = "incidents_events"  # per application, in the store's schema


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


@contextmanager
def connection(db: str) -> Iterator[Any]:
    """A plain autocommit connection to the store's database (sqlite3 or psycopg)."""
    if is_postgres(db):
        with psycopg.connect(POSTGRES_URL, autocommit=True) as postgres:
            yield postgres
    else:
        lite = sqlite3.connect(db, isolation_level=None)
        try:
            yield lite
        finally:
            lite.close()


def execute(db: str, statement: str) -> None:
    """Run ``statement``, with ``{events}`` standing for the events table."""
    with connection(db) as plain:
        plain.execute(events_statement(db, statement))


def events_statement(db: str, statement: str) -> Any:
    if is_postgres(db):
        table = sql.Identifier(schema_of(db) or "public", POSTGRES_EVENTS_TABLE)
        return sql.SQL(statement).format(events=table)
    return statement.format(events=SQLITE_EVENTS_TABLE)


def rows(db: str) -> list[tuple[str, int, str, bytes]]:
    """Every stored event, as stored: (originator id, version, topic, state), in recorded order."""
    order = "notification_id" if is_postgres(db) else "rowid"
    query = events_statement(
        db, "SELECT originator_id, originator_version, topic, state FROM {events} ORDER BY " + order
    )
    with connection(db) as plain:
        return [(str(a), int(b), str(c), bytes(d)) for a, b, c, d in plain.execute(query).fetchall()]


def guards(db: str) -> list[str]:
    """The names of the triggers on the events table."""
    with connection(db) as plain:
        if is_postgres(db):
            found = plain.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND c.relname = %s AND n.nspname = %s",
                (POSTGRES_EVENTS_TABLE, schema_of(db) or "public"),
            ).fetchall()
        else:
            found = plain.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                (SQLITE_EVENTS_TABLE,),
            ).fetchall()
    return sorted(name for (name,) in found)
