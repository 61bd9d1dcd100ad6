"""The ``--db`` value: a SQLite path, a PostgreSQL URL (with an optional schema), or memory:."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.store import DEFAULT_DB, default_db, describe_db, store_env


def test_memory() -> None:
    assert store_env("memory:") == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_a_sqlite_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "log.db"
    assert store_env(str(path), environ={}) == {
        "PERSISTENCE_MODULE": "incidents.append_only:SQLiteStore",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "60",
    }
    assert path.parent.is_dir()


def test_a_postgres_url_with_everything() -> None:
    env = store_env("postgresql://analyst:s%40cret@db.example:6543/incidents?schema=team_a", environ={})
    assert env == {
        "PERSISTENCE_MODULE": "incidents.append_only:PostgresStore",
        "POSTGRES_DBNAME": "incidents",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "analyst",
        "POSTGRES_PASSWORD": "s@cret",
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_SCHEMA": "team_a",
    }


def test_a_postgres_url_with_defaults() -> None:
    env = store_env("postgres:///test")
    assert env["POSTGRES_HOST"] == "127.0.0.1"
    assert env["POSTGRES_PORT"] == "5432"
    assert env["POSTGRES_USER"] == "postgres"
    assert env["POSTGRES_PASSWORD"] == ""
    assert "POSTGRES_SCHEMA" not in env


def test_a_postgres_url_needs_a_database_name() -> None:
    with pytest.raises(ValueError, match="needs a database name"):
        store_env("postgresql://postgres:hunter2@127.0.0.1:5432")


def test_descriptions_never_show_the_password() -> None:
    described = describe_db("postgresql://analyst:hunter2@db.example/incidents?schema=x")
    assert "hunter2" not in described
    assert described == "postgresql://analyst@db.example:5432/incidents"
    assert describe_db("some/file.db") == "some/file.db"


def test_the_default_db_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENTS_DB", raising=False)
    assert default_db() == DEFAULT_DB
    monkeypatch.setenv("INCIDENTS_DB", "elsewhere.db")
    assert default_db() == "elsewhere.db"
