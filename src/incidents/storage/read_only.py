"""Scenarios that start from an existing store, which is only ever read.

``incidents check --store DB`` (or ``pytest -p incidents.specs.steps --incidents-store DB``) checks
specs against the log a team has actually recorded. The store is opened for reading only (each
backend's ``read_only_environment``): a SQLite file through a ``mode=ro`` connection, and with
the library's plain recorders and ``CREATE_TABLE=false``, so that no table, index or trigger is
ever created. Its events are read once, and each scenario's in-memory log starts as a copy of
them. Whatever a scenario then loads goes to that copy: nothing a spec does can reach the store,
even through a bug in a step.

The events are decoded with the store's own settings (``INCIDENTS_CIPHER_KEY``,
``INCIDENTS_COMPRESS``, as every command reads them) and encoded again for the in-memory logs,
so the copy reads the same whatever the store's encoding. It holds the same events in the same
order, so every question answers as it would on the store. Positions are counted from 1 in the
copy: they are the store's own unless the store's numbering has gaps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import MapperDeserialisationError, StoredEvent

from incidents.application import IncidentLog
from incidents.storage.backends import read_only_environment, require_store
from incidents.storage.errors import DATABASE_ERRORS, StoreUnavailableError
from incidents.storage.location import MemoryLocation, StoreLocation


@contextlib.contextmanager
def _read_only_log(location: StoreLocation) -> Iterator[IncidentLog]:
    env = read_only_environment(location)  # StoreError where there is no store to read
    require_store(location, create=False)  # NoStoreError, NotAStoreError: nothing to read
    try:
        log = IncidentLog(env=env)
    except DATABASE_ERRORS as error:
        raise StoreUnavailableError(f"cannot open the store {location.describe()}: {error}") from error
    try:
        yield log
    except MapperDeserialisationError as error:
        raise StoreUnavailableError(
            f"cannot decode the events of the store {location.describe()}: is it encrypted or "
            "compressed otherwise than the environment says (see docs/cli.md, storage environment "
            f"variables)? {error}"
        ) from error
    except DATABASE_ERRORS as error:
        raise StoreUnavailableError(f"cannot read the store {location.describe()}: {error}") from error
    finally:
        log.close()


def read_stored_events(location: StoreLocation) -> tuple[StoredEvent, ...]:
    """Every event of the store, in the store's order, encoded for in-memory logs."""
    memory = IncidentLog.open(MemoryLocation())
    try:
        with _read_only_log(location) as store:
            return tuple(memory.mapper.to_stored_event(event) for event in _domain_events(store))
    finally:
        memory.close()


def _domain_events(log: IncidentLog) -> Iterator[DomainEventProtocol[UUID]]:
    return (log.mapper.to_domain_event(notification) for notification in log.notifications())
