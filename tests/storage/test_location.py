"""The ``--db`` value, parsed once: a SQLite path, a PostgreSQL URL (with an optional schema), or
memory:; what each backend makes of it; and bad locations, refused by name without a password."""

from __future__ import annotations

from pathlib import Path

import pytest
from eventsourcing.utils import resolve_topic

from incidents.storage.backends import backend, read_model_dialect, read_only_environment, store_environment
from incidents.storage.errors import StoreError, StoreSettingsError
from incidents.storage.location import (
    DEFAULT_DB,
    MemoryLocation,
    PostgresLocation,
    SqliteLocation,
    default_location,
    parse_location,
)
from incidents.storage.postgres import PostgresDialect
from incidents.storage.sqlite import SqliteDialect

# --- Parsing ----------------------------------------------------------------------------------------


def test_memory() -> None:
    assert parse_location("memory:") == MemoryLocation()
    assert parse_location("memory:").describe() == "memory:"


@pytest.mark.parametrize("text", ["incidents.db", "some/folder/log.db", "/abs/log.db", "memory", "x:y.db"])
def test_anything_else_is_a_sqlite_file(text: str) -> None:
    location = parse_location(text)
    assert location == SqliteLocation(Path(text))
    assert location.describe() == text


def test_a_sqlite_path_has_its_tilde_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert parse_location("~/stores/team.db") == SqliteLocation(tmp_path / "stores" / "team.db")


def test_a_postgres_url_with_everything() -> None:
    location = parse_location("postgresql://analyst:s%40cret@db.example:6543/incidents?schema=team_a")
    assert location == PostgresLocation(
        dbname="incidents", host="db.example", port=6543, user="analyst", password="s@cret", schema="team_a"
    )
    assert location.describe() == "postgresql://analyst@db.example:6543/incidents?schema=team_a"
    assert "s@cret" not in repr(location)


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "PostgreSQL"])
def test_a_postgres_url_with_defaults(scheme: str) -> None:
    location = parse_location(f"{scheme}:///test")
    assert location == PostgresLocation(dbname="test")
    assert (location.host, location.port, location.user, location.password, location.schema) == (
        "127.0.0.1",
        5432,
        "postgres",
        "",
        None,
    )
    assert location.describe() == "postgresql://postgres@127.0.0.1:5432/test"


def test_a_postgres_url_with_a_user_and_no_password() -> None:
    assert parse_location("postgres://reader@10.0.0.7/incidents") == PostgresLocation(
        dbname="incidents", host="10.0.0.7", user="reader"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("postgresql://analyst:hunter2@127.0.0.1:5432", "needs a database name"),
        ("postgresql://analyst:hunter2@127.0.0.1:5432/", "needs a database name"),
        ("postgresql://analyst:hunter2@127.0.0.1:port/test", "the port is not a number"),
        ("postgresql://analyst:hunter2@127.0.0.1:99999/test", "the port is not a number"),
        ("postgresql://analyst:hunter2@127.0.0.1:0/test", "the port is not a number"),
        ("postgresql://analyst:hunter2@127.0.0.1/test/more", "has a '/'"),
        ("postgresql://analyst:hunter2@127.0.0.1/test?sslmode=require", "unknown parameter sslmode"),
        ("postgresql://analyst:hunter2@127.0.0.1/test?schema=", "the schema name is empty"),
        ("postgresql://analyst:hunter2@127.0.0.1/test?schema=a&schema=b", "more than once"),
        ("postgresql://analyst:hunter2@127.0.0.1/test#x", "no '#' part"),
        ("postgresql://analyst:hunter2@[::1/test", "Invalid IPv6 URL"),
        ("mysql://analyst:hunter2@127.0.0.1/test", "mysql:// is not a kind of store"),
        ("", "the store location is empty"),
        ("  ", "the store location is empty"),
    ],
)
def test_a_bad_location_is_refused_naming_the_problem_without_the_password(text: str, problem: str) -> None:
    with pytest.raises(StoreSettingsError, match=problem) as raised:
        parse_location(text)
    assert "hunter2" not in str(raised.value)
    if text.strip():
        assert "bad store location" in str(raised.value)


def test_a_bad_url_is_named_as_written_but_for_the_password() -> None:
    with pytest.raises(StoreSettingsError) as raised:
        parse_location("postgresql://analyst:hunter2@127.0.0.1:5432")
    assert str(raised.value).startswith("bad store location postgresql://analyst@127.0.0.1:5432: ")


def test_the_default_location_comes_from_the_environment() -> None:
    assert default_location({}) == SqliteLocation(Path(DEFAULT_DB))
    assert default_location({"INCIDENTS_DB": "elsewhere.db"}) == SqliteLocation(Path("elsewhere.db"))
    assert default_location({"INCIDENTS_DB": "memory:"}) == MemoryLocation()


# --- What each backend makes of a location ------------------------------------------------------------


def test_the_environment_of_a_sqlite_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "log.db"
    assert store_environment(SqliteLocation(path), {}) == {
        "PERSISTENCE_MODULE": "incidents.storage.sqlite:SQLiteStore",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "60",
    }
    assert path.parent.is_dir()


def test_the_environment_of_a_postgres_location() -> None:
    location = parse_location("postgresql://analyst:s%40cret@db.example:6543/incidents?schema=team_a")
    assert store_environment(location, {}) == {
        "PERSISTENCE_MODULE": "incidents.storage.postgres:PostgresStore",
        "POSTGRES_DBNAME": "incidents",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "analyst",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_SCHEMA": "team_a",
    }
    assert "POSTGRES_SCHEMA" not in store_environment(PostgresLocation(dbname="test"), {})


def test_the_environment_of_memory() -> None:
    assert store_environment(MemoryLocation(), {}) == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_the_factories_the_environments_name_resolve_to_themselves(tmp_path: Path) -> None:
    for location in (SqliteLocation(tmp_path / "x.db"), PostgresLocation(dbname="test")):
        topic = backend(location).environment({})["PERSISTENCE_MODULE"]
        factory = resolve_topic(topic)
        assert f"{factory.__module__}:{factory.__qualname__}" == topic


def test_read_only_environments_use_the_librarys_plain_recorders_and_create_nothing(tmp_path: Path) -> None:
    file = tmp_path / "team.db"
    file.touch()
    sqlite = read_only_environment(SqliteLocation(file), {})
    assert sqlite["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert sqlite["SQLITE_DBNAME"] == f"file:{file.resolve()}?mode=ro"
    assert sqlite["CREATE_TABLE"] == "false"
    postgres = read_only_environment(PostgresLocation(dbname="test", schema="team"), {})
    assert postgres["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert postgres["POSTGRES_SCHEMA"] == "team"
    assert postgres["CREATE_TABLE"] == "false"


def test_there_is_nothing_to_read_in_memory_or_in_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="nothing to start from"):
        read_only_environment(MemoryLocation(), {})
    with pytest.raises(StoreError, match="the file does not exist"):
        read_only_environment(SqliteLocation(tmp_path / "nowhere.db"), {})
    assert not (tmp_path / "nowhere.db").exists()


def test_each_backend_has_its_read_model_dialect_but_memory(tmp_path: Path) -> None:
    sqlite = read_model_dialect(SqliteLocation(tmp_path / "x.db"), {"INCIDENTS_SQLITE_LOCK_TIMEOUT": "7"})
    assert sqlite == SqliteDialect(tmp_path / "x.db", 7)
    location = PostgresLocation(dbname="test")
    assert read_model_dialect(location, {}) == PostgresDialect(location)
    assert read_model_dialect(MemoryLocation(), {}) is None


def test_the_dialects_placeholders_and_latest_rows() -> None:
    sqlite = SqliteDialect(Path("x.db"), 60)
    postgres = PostgresDialect(PostgresLocation(dbname="test"))
    assert sqlite.sql("SELECT ? + ?") == "SELECT ? + ?"
    assert postgres.sql("SELECT ? + ?") == "SELECT %s + %s"
    for dialect in (sqlite, postgres):
        join = dialect.join_latest("rm_timeline", "t", "area_key", "a.area_key", "d", ("began", "latest"))
        assert join.count("?") == 1
    assert "LATERAL" in postgres.join_latest("t", "l", "k", "o.k", "d", ("v",))
    assert "LATERAL" not in sqlite.join_latest("t", "l", "k", "o.k", "d", ("v",))
    assert (sqlite.subscribes, postgres.subscribes) == (False, True)
