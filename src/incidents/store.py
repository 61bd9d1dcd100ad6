"""Where the log lives: an embedded SQLite file by default, PostgreSQL for teams.

``--db`` (or ``INCIDENTS_DB``) takes a file path, ``postgresql://user@host:port/dbname``, or
``memory:`` for a throwaway in-memory store.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DB_ENVIRONMENT_VARIABLE = "INCIDENTS_DB"
DEFAULT_DB = "incidents.db"


def default_db() -> str:
    return os.environ.get(DB_ENVIRONMENT_VARIABLE) or DEFAULT_DB


def store_env(db: str) -> dict[str, str]:
    """The eventsourcing environment for a ``--db`` value."""
    if db == "memory:":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if db.startswith(("postgresql://", "postgres://")):
        return _postgres_env(db)
    path = Path(db).expanduser()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def describe_db(db: str) -> str:
    """The ``--db`` value, without a password, for messages."""
    if db.startswith(("postgresql://", "postgres://")):
        url = urlparse(db)
        host = url.hostname or "localhost"
        return f"postgresql://{url.username or ''}@{host}:{url.port or 5432}{url.path}"
    return db


def _postgres_env(db: str) -> dict[str, str]:
    url = urlparse(db)
    dbname = url.path.lstrip("/")
    if not dbname:
        raise ValueError(
            "a PostgreSQL URL needs a database name, e.g. postgresql://127.0.0.1/test "
            f"(got {describe_db(db)})"
        )
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        # Say so within seconds when no server answers, rather than after the library's 30 s.
        "POSTGRES_CONNECT_TIMEOUT": "5",
    }
    schema = parse_qs(url.query).get("schema")
    if schema:
        env["POSTGRES_SCHEMA"] = schema[0]
    return env
