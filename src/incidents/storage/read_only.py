"""Scenarios that start from an existing store, which is only ever read.

``incidents check --store DB`` (or ``pytest -p incidents.specs.steps --incidents-store DB``) checks
specs against the log a team has actually recorded. The store is opened for reading only: a
SQLite file through a ``mode=ro`` connection, and with the library's plain recorders and
``CREATE_TABLE=false``, so that no table, index or trigger is ever created. Its events are read
once, and each scenario's in-memory log starts as a copy of them. Whatever a scenario then loads
goes to that copy: nothing a spec does can reach the store, even through a bug in a step.

The events are decoded with the store's own settings (``INCIDENTS_CIPHER_KEY``,
``INCIDENTS_COMPRESS``, as every command reads them) and encoded again for the in-memory logs,
so the copy reads the same whatever the store's encoding. It holds the same events in the same
order, so every question answers as it would on the store. Positions are counted from 1 in the
copy: they are the store's own unless the store's numbering has gaps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from incidents.application import IncidentLog
from incidents.storage.errors import DATABASE_ERRORS, StoreError, StoreUnavailableError
from incidents.store import describe_db, store_env

# The library's own recorders: they read and write, and never add guards to the tables.
_PLAIN_MODULES = {"sqlite": "eventsourcing.sqlite", "postgres": "eventsourcing.postgres"}


def read_only_env(db: str) -> dict[str, str]:
    """The eventsourcing environment that opens ``db`` for reading only, with its settings."""
    if db == "memory:":
        raise StoreError("memory: is a new, empty store each time: there is nothing to start from")
    postgres = db.startswith(("postgresql://", "postgres://"))
    path = Path(db).expanduser()
    if not postgres and not path.is_file():
        # Opening it would create an empty SQLite file: refuse instead.
        raise StoreError(f"no store at {db}: the file does not exist")
    env = store_env(db) | {"CREATE_TABLE": "false"}
    if postgres:
        return env | {"PERSISTENCE_MODULE": _PLAIN_MODULES["postgres"]}
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return env | {"PERSISTENCE_MODULE": _PLAIN_MODULES["sqlite"], "SQLITE_DBNAME": uri}


@contextlib.contextmanager
def _read_only_log(db: str) -> Iterator[IncidentLog]:
    try:
        log = IncidentLog(env=read_only_env(db))
    except DATABASE_ERRORS as error:
        raise StoreUnavailableError(f"cannot open the store {describe_db(db)}: {error}") from error
    try:
        yield log
    except MapperDeserialisationError as error:
        raise StoreUnavailableError(
            f"cannot decode the events of the store {describe_db(db)}: is it encrypted or compressed "
            "otherwise than the environment says (see docs/cli.md, storage environment variables)? "
            f"{error}"
        ) from error
    except DATABASE_ERRORS as error:
        raise StoreUnavailableError(f"cannot read the store {describe_db(db)}: {error}") from error
    finally:
        log.close()


def read_stored_events(db: str) -> tuple[StoredEvent, ...]:
    """Every event of the store, in the store's order, encoded for in-memory logs."""
    memory = IncidentLog.open("memory:")
    try:
        with _read_only_log(db) as store:
            return tuple(memory.mapper.to_stored_event(event) for event in _domain_events(store))
    finally:
        memory.close()


def _domain_events(log: IncidentLog) -> Iterator[DomainEventProtocol[UUID]]:
    return (log.mapper.to_domain_event(notification) for notification in log.notifications())
