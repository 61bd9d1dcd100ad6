"""The log is append-only: no code path changes a stored event, and the database refuses to.

Run on SQLite and PostgreSQL alike (``store``): an UPDATE or DELETE through a plain connection is
refused by the triggers installed when the store is opened, and the events stay as they were.
"""

from __future__ import annotations

import re
import sqlite3

import psycopg
import pytest

from incidents.application import IncidentLog, Outcome
from incidents.formats.report_file import ReportContent
from incidents.ingest import ingest_contents
from incidents.storage.backends import store_environment
from incidents.storage.location import parse_location
from tests.builders import content, killed, read_entries, record
from tests.conftest import ROOT, LogOpener
from tests.storage import raw

REFUSED = (sqlite3.IntegrityError, psycopg.Error)

CHANGES = [
    "UPDATE {events} SET state = state",
    "UPDATE {events} SET topic = 'incidents.domain.report:Report.Registered' WHERE originator_version = 2",
    "DELETE FROM {events}",
    "DELETE FROM {events} WHERE originator_version > 1",
]

OVERWRITES = {
    # SQLite's REPLACE deletes the old row without firing delete triggers: an insert trigger guards it.
    "sqlite": [
        "INSERT OR REPLACE INTO {events} SELECT * FROM {events}",
        "REPLACE INTO {events} SELECT originator_id, originator_version, 'x', state FROM {events}",
    ],
    "postgres": [
        "TRUNCATE {events}",
        "INSERT INTO {events} (originator_id, originator_version, topic, state) "
        "SELECT originator_id, originator_version, topic, state FROM {events} "
        "ON CONFLICT (originator_id, originator_version) DO UPDATE SET state = EXCLUDED.state",
    ],
}


def backend(db: str) -> str:
    return "postgres" if raw.is_postgres(db) else "sqlite"


@pytest.mark.parametrize("statement", CHANGES)
def test_the_database_refuses_to_change_stored_events(
    store: str, open_log: LogOpener, seed_contents: list[ReportContent], statement: str
) -> None:
    log = open_log()
    ingest_contents(log, seed_contents)
    before, entries = raw.rows(store), read_entries(log)
    with pytest.raises(REFUSED, match="the incident log is append-only"):
        raw.execute(store, statement)
    assert raw.rows(store) == before
    # Normal loads still work: what is recorded reads back, is found again, and more can be added.
    reopened = open_log()
    assert read_entries(reopened) == entries
    assert [loaded.outcome for loaded in ingest_contents(reopened, seed_contents)] == [Outcome.UNCHANGED] * 2
    assert record(reopened, content("after", "2019-09-01", [killed("2019-08-30", 1)])) is Outcome.RECORDED
    assert raw.rows(store)[: len(before)] == before


def test_the_database_refuses_to_overwrite_or_empty_the_events_table(
    store: str, open_log: LogOpener, seed_contents: list[ReportContent]
) -> None:
    log = open_log()
    ingest_contents(log, seed_contents)
    before = raw.rows(store)
    for statement in OVERWRITES[backend(store)]:
        with pytest.raises(REFUSED, match="the incident log is append-only"):
            raw.execute(store, statement)
    assert raw.rows(store) == before


def test_the_guards_are_installed_when_a_store_is_opened_and_only_once(store: str) -> None:
    """A store made before the guards existed (by the library's own factory) gets them when
    incidents opens it; opening it again changes nothing."""
    plain_module = "eventsourcing.postgres" if raw.is_postgres(store) else "eventsourcing.sqlite"
    plain = IncidentLog(env={**store_environment(parse_location(store)), "PERSISTENCE_MODULE": plain_module})
    try:
        record(plain, content("old", "2019-08-28", [killed("2019-08-24", 1)]))
    finally:
        plain.close()
    assert raw.guards(store) == []
    raw.execute(store, "UPDATE {events} SET state = state")  # nothing stops it yet

    expected = {
        "sqlite": [f"stored_events_refuse_{change}" for change in ("delete", "overwrite", "update")],
        "postgres": ["incidents_events_append_only"],
    }[backend(store)]
    for _ in range(2):
        log = IncidentLog.open(parse_location(store))
        try:
            assert raw.guards(store) == expected
            assert log.find_report("old") is not None
        finally:
            log.close()
    with pytest.raises(REFUSED, match="append-only"):
        raw.execute(store, "UPDATE {events} SET state = state")


# --- No code path ----------------------------------------------------------------------------------

# A statement that changes or removes rows, and the table it names (SQL keywords in any case).
MUTATION = re.compile(
    r"\b(?:UPDATE\s+(?:OR\s+\w+\s+)?(?:ONLY\s+)?"
    r"|DELETE\s+FROM\s+(?:ONLY\s+)?"
    r"|TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?"
    r"|(?:INSERT\s+OR\s+)?REPLACE\s+INTO\s+)"
    r"(?P<table>[\w.\"'{}\[\]]+)",
    re.IGNORECASE,
)


def mutations_of_events(text: str) -> list[str]:
    """The statements in ``text`` that update, delete, truncate or replace rows of an events table
    (a table whose name, or the expression that gives it, mentions events)."""
    return [match.group(0) for match in MUTATION.finditer(text) if "event" in match["table"].lower()]


def test_the_scan_finds_what_it_looks_for() -> None:
    found = [
        'f"UPDATE {self.events_table_name} SET state = ?"',
        '"DELETE FROM stored_events WHERE originator_id = ?"',
        'sql.SQL("TRUNCATE {schema}.incidents_events")',
        '"INSERT OR REPLACE INTO stored_events VALUES (?, ?, ?, ?)"',
        "delete from incidents_events",
    ]
    assert [bool(mutations_of_events(text)) for text in found] == [True] * len(found)
    ignored = [
        "CREATE TRIGGER x BEFORE UPDATE ON stored_events",  # the guards themselves
        "BEFORE UPDATE OR DELETE OR TRUNCATE ON {table}",
        "no code path updates or deletes stored events",
        "UPDATE read_model SET total = ?",  # another table
        "ON CONFLICT (application_name) DO UPDATE SET notification_id = ?",
    ]
    assert [mutations_of_events(text) for text in ignored] == [[]] * len(ignored)


def test_no_code_path_updates_or_deletes_stored_events() -> None:
    found = {
        str(path.relative_to(ROOT)): hits
        for path in sorted((ROOT / "src").rglob("*.py"))
        if (hits := mutations_of_events(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_events_tables_are_named_as_the_scan_expects(store: str, open_log: LogOpener) -> None:
    """The scan looks for statements on tables named like events: the stores' events tables are."""
    table = open_log().recorder.events_table_name  # type: ignore[attr-defined]
    assert table == (raw.POSTGRES_EVENTS_TABLE if raw.is_postgres(store) else raw.SQLITE_EVENTS_TABLE)
    assert "event" in table
