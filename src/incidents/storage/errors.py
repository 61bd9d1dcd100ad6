"""What the store raises on purpose: one branch of the package's errors (``IncidentsError``)."""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import PersistenceError

from incidents.domain.errors import IncidentsError

# What opening or reading a store raises when the store, not the code, is at fault: the
# library's database errors, the file system's, SQLite's own (a file that is no database), and a
# malformed location. Anything else is a bug and is not caught.
DATABASE_ERRORS: tuple[type[Exception], ...] = (PersistenceError, OSError, sqlite3.Error, ValueError)


class StoreError(IncidentsError):
    """The store cannot be used as asked: every storage error below is one."""


class StoreUnavailableError(StoreError):
    """The store cannot be opened or read (no server, no such file or database, a bad location)."""


class NoStoreError(StoreUnavailableError):
    """A command that only reads was pointed at a location that holds no store (no file, an empty
    database, a PostgreSQL schema without the store's tables): it is never created there."""


class NotAStoreError(StoreError):
    """The location holds something else (a text file, another program's SQLite database): it is
    refused, by every command, and never written to."""


class StoreSettingsError(StoreError, ValueError):
    """The store's settings are invalid, or do not match how the store was written."""


# What the database says when asked to change or remove a stored event (every backend's guards).
APPEND_ONLY_REFUSAL = "the incident log is append-only"
