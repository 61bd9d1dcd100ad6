"""Where the log lives: the ``--db`` value, parsed once into a typed location.

``parse_location`` reads the text a user gives (``--db``, ``INCIDENTS_DB``, ``--incidents-store``)
and everything below the edge that read it takes the result:

- ``SqliteLocation(path)``: a file path (``~`` expanded), the default (``incidents.db``);
- ``PostgresLocation(...)``: ``postgresql://user:password@host:port/dbname?schema=name`` (or
  ``postgres://``); every part but the database name is optional;
- ``MemoryLocation()``: ``memory:``, the library's in-memory store, new and empty each time.

A location is a value (frozen, comparable); ``describe()`` is how messages name it, never with
the password. What a backend makes of a location (the library's settings, the read model's
connection) is the backend module's (``incidents.storage.backends``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from attrs import field, frozen

from incidents.storage.errors import StoreSettingsError

DB_ENVIRONMENT_VARIABLE = "INCIDENTS_DB"
DEFAULT_DB = "incidents.db"

MEMORY = "memory:"
POSTGRES_SCHEMES = ("postgresql", "postgres")
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_USER = "127.0.0.1", 5432, "postgres"
EXAMPLE_URL = "postgresql://user@127.0.0.1:5432/dbname"


@frozen
class SqliteLocation:
    """A SQLite file (created with its folder when first opened for writing)."""

    path: Path

    def describe(self) -> str:
        return str(self.path)


@frozen(kw_only=True)
class PostgresLocation:
    """A PostgreSQL database, and the schema in it that holds the store (the server's
    ``search_path`` when none is named, usually ``public``)."""

    dbname: str
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)  # never in a message, a repr or a traceback
    schema: str | None = None

    def describe(self) -> str:
        schema = f"?schema={self.schema}" if self.schema else ""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}{schema}"


@frozen
class MemoryLocation:
    """The library's in-memory store: nothing is kept between two openings."""

    def describe(self) -> str:
        return MEMORY


StoreLocation = SqliteLocation | PostgresLocation | MemoryLocation


def parse_location(text: str) -> StoreLocation:
    """The location a ``--db`` value names; StoreSettingsError (naming the problem, without the
    password) if it names none."""
    if not text.strip():
        raise StoreSettingsError(
            f"the store location is empty: give a SQLite file, {EXAMPLE_URL} or {MEMORY}"
        )
    if text == MEMORY:
        return MemoryLocation()
    scheme, separator, _ = text.partition("://")
    if separator and scheme.lower() in POSTGRES_SCHEMES:
        return _postgres(text)
    if separator and scheme.isascii() and scheme.isalpha():
        raise StoreSettingsError(
            f"bad store location {_redacted_text(text)}: {scheme}:// is not a kind of store; "
            f"give a SQLite file, {EXAMPLE_URL} or {MEMORY}"
        )
    try:
        return SqliteLocation(Path(text).expanduser())
    except RuntimeError as error:  # ~ with no home folder to expand it to
        raise StoreSettingsError(f"bad store location {text}: {error}") from None


def default_location(environ: Mapping[str, str] | None = None) -> StoreLocation:
    """The location ``INCIDENTS_DB`` names, else ``DEFAULT_DB`` (as the ``incidents`` command)."""
    settings = os.environ if environ is None else environ
    return parse_location(settings.get(DB_ENVIRONMENT_VARIABLE) or DEFAULT_DB)


def _postgres(text: str) -> PostgresLocation:
    try:
        url = urlsplit(text)
    except ValueError as error:  # e.g. an unclosed [ of an IPv6 address
        raise StoreSettingsError(f"bad store location {_redacted_text(text)}: {error}") from None

    def bad(problem: str) -> StoreSettingsError:
        return StoreSettingsError(f"bad store location {_redacted(url)}: {problem}")

    dbname = unquote(url.path.removeprefix("/"))
    if not dbname:
        raise bad(f"a PostgreSQL URL needs a database name, e.g. {EXAMPLE_URL}")
    if "/" in dbname:
        raise bad(f"the database name {dbname!r} has a '/': write {EXAMPLE_URL}?schema=name for a schema")
    try:
        port = url.port
    except ValueError:
        port = 0
    if port == 0:
        raise bad("the port is not a number from 1 to 65535")
    if url.fragment:
        raise bad("a PostgreSQL URL has no '#' part")
    try:
        query = parse_qs(url.query, keep_blank_values=True, strict_parsing=bool(url.query))
    except ValueError:
        raise bad(f"cannot read the parameters {url.query!r}: write ?schema=name") from None
    unknown = sorted(set(query) - {"schema"})
    if unknown:
        raise bad(f"unknown parameter {', '.join(unknown)}: the only one is ?schema=name")
    schemas = query.get("schema", [])
    if len(schemas) > 1:
        raise bad("the schema is given more than once")
    if schemas and not schemas[0]:
        raise bad("the schema name is empty")
    return PostgresLocation(
        dbname=dbname,
        host=url.hostname or DEFAULT_HOST,
        port=port or DEFAULT_PORT,
        user=unquote(url.username) if url.username else DEFAULT_USER,
        password=unquote(url.password or ""),
        schema=schemas[0] if schemas else None,
    )


def _redacted(url: SplitResult) -> str:
    """A URL as written, but for its password."""
    user_info, at, host = url.netloc.rpartition("@")
    if at:
        user, _colon, _password = user_info.partition(":")
        netloc = f"{user}@{host}"
    else:
        netloc = host
    return url._replace(netloc=netloc).geturl()


def _redacted_text(text: str) -> str:
    """A URL as written, but for its password; only its scheme if it cannot be read."""
    try:
        return _redacted(urlsplit(text))
    except ValueError:
        return text.partition("://")[0] + "://..."
