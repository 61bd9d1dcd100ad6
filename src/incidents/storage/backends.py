"""From a store location to its backend, and what the rest of the package needs of it.

A backend is a module of ``incidents.storage`` (``sqlite``, ``postgres``, ``memory``) whose
``Backend`` class, bound to a location of its kind, gives the library's settings and the read
model's dialect; ``backend`` is the one place that picks it. Through it:

- ``store_environment``: the eventsourcing environment that opens the store for the application
  (``IncidentLog``): the backend's settings and, whatever the backend, the at-rest settings
  (``incidents.storage.settings``);
- ``read_only_environment``: the same, for reading an existing store without creating anything;
- ``holds_store``, ``require_store``: whether a command may open the location: a command that
  only reads needs a store there (``NoStoreError``), and no command touches a location that
  holds something else (``NotAStoreError``);
- ``read_model_dialect``: the read model's database (``incidents.storage.dialect.Dialect``), or
  None where the store keeps no read model.

``settings`` is where the ``INCIDENTS_*`` variables are read (default: the process environment).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Protocol, assert_never

from incidents.storage.dialect import Dialect
from incidents.storage.errors import NoStoreError
from incidents.storage.location import MemoryLocation, PostgresLocation, SqliteLocation, StoreLocation
from incidents.storage.memory import MemoryBackend
from incidents.storage.postgres import PostgresBackend
from incidents.storage.settings import at_rest_env
from incidents.storage.sqlite import SqliteBackend


class Backend(Protocol):
    """What a backend module offers for one location of its kind."""

    def environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that open the store, creating it (with the append-only guards)
        if it does not exist: ``PERSISTENCE_MODULE`` and the backend's own."""
        ...

    def read_only_environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        """The library's settings that read the existing store, through recorders that create
        nothing; StoreError if there is no store there to read."""
        ...

    def dialect(self, settings: Mapping[str, str]) -> Dialect | None:
        """The database the read model lives in; None if the store keeps no read model."""
        ...


def backend(location: StoreLocation) -> Backend:
    """The backend of ``location``: the one place that tells the kinds of store apart."""
    match location:
        case SqliteLocation():
            return SqliteBackend(location)
        case PostgresLocation():
            return PostgresBackend(location)
        case MemoryLocation():
            return MemoryBackend(location)
        case _:
            assert_never(location)


def store_environment(location: StoreLocation, settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The eventsourcing environment that opens (or creates) the store at ``location``."""
    settings = _settings(settings)
    return backend(location).environment(settings) | at_rest_env(settings)


def read_only_environment(
    location: StoreLocation, settings: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The eventsourcing environment that reads the existing store at ``location``, with the
    library's plain recorders and ``CREATE_TABLE=false``: no table, index or trigger is created."""
    settings = _settings(settings)
    env = backend(location).read_only_environment(settings)
    return env | at_rest_env(settings) | {"CREATE_TABLE": "false"}


def holds_store(location: StoreLocation) -> bool:
    """Whether ``location`` holds a store (read only, nothing is created): False where it holds
    nothing yet; NotAStoreError where it holds something else (a text file, another program's
    database). The in-memory store is new each time: it is always there."""
    match location:
        case SqliteLocation():
            return SqliteBackend(location).holds_store()
        case PostgresLocation():
            return PostgresBackend(location).holds_store()
        case MemoryLocation():
            return True
        case _:
            assert_never(location)


def require_store(location: StoreLocation, *, create: bool) -> None:
    """Refuse a location that holds something other than a store (``NotAStoreError``), and, unless
    ``create`` (load, import and the amendments), one that holds no store yet (``NoStoreError``):
    a command that only reads never creates a store."""
    if not holds_store(location) and not create:
        raise NoStoreError(f"no store at {location.describe()}; load or import creates one")


def read_model_dialect(location: StoreLocation, settings: Mapping[str, str] | None = None) -> Dialect | None:
    """The database the read model of ``location`` lives in; None for a store that keeps none
    between commands (in memory), whose queries fold the log."""
    return backend(location).dialect(_settings(settings))


def _settings(settings: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if settings is None else settings
