"""Where the log lives: an embedded SQLite file by default, PostgreSQL for teams.

``--db`` (or ``INCIDENTS_DB``) takes a file path, ``postgresql://user@host:port/dbname``, or
``memory:`` for a throwaway in-memory store.

How it is kept, whatever the backend (see docs/architecture.md, "Storage safety"):

- append-only: the SQLite and PostgreSQL stores are opened through the factories of
  ``incidents.append_only``, whose recorders install triggers that refuse UPDATE and DELETE;
- encrypted at rest when ``INCIDENTS_CIPHER_KEY`` is set, compressed when ``INCIDENTS_COMPRESS``
  is, through the library's own settings (``CIPHER_TOPIC``, ``CIPHER_KEY``, ``COMPRESSOR_TOPIC``);
- read through a mapper that turns "cannot decode this stored event" into a message naming the
  setting that does not match the store, and checked when opened, so that a wrong key can
  neither read nor add to a store;
- shared by concurrent writers: SQLite waits for the write lock (``INCIDENTS_SQLITE_LOCK_TIMEOUT``
  seconds) instead of failing with "database is locked".
"""

from __future__ import annotations

import binascii
import json
import os
import zlib
from base64 import b64decode
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import ApplicationRecorder, Mapper, MapperDeserialisationError, StoredEvent

from incidents.storage.errors import StoreSettingsError

DB_ENVIRONMENT_VARIABLE = "INCIDENTS_DB"
DEFAULT_DB = "incidents.db"

CIPHER_KEY_VARIABLE = "INCIDENTS_CIPHER_KEY"
COMPRESS_VARIABLE = "INCIDENTS_COMPRESS"
SQLITE_LOCK_TIMEOUT_VARIABLE = "INCIDENTS_SQLITE_LOCK_TIMEOUT"

# AES-GCM from the `cryptography` package. Its ciphertext (nonce, tag, data) is the same as
# the pycryptodome cipher's (eventsourcing.cipher:AESCipher), so either can read the other's.
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
CIPHER_KEY_SIZES = (16, 24, 32)
COMPRESSORS = {"zlib": "eventsourcing.compressor:ZlibCompressor"}
NO_COMPRESSION = ("", "none", "no", "off")
# Seconds a SQLite writer waits for another writer's transaction before "database is locked".
DEFAULT_SQLITE_LOCK_TIMEOUT = 60

SQLITE_FACTORY_TOPIC = "incidents.append_only:SQLiteStore"
POSTGRES_FACTORY_TOPIC = "incidents.append_only:PostgresStore"


def default_db() -> str:
    return os.environ.get(DB_ENVIRONMENT_VARIABLE) or DEFAULT_DB


def store_env(db: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The eventsourcing environment for a ``--db`` value and the ``INCIDENTS_*`` settings.

    ``environ`` is where the settings are read (default: the process environment). The library
    reads the process environment too, and looks for its own settings under the application's
    name first (``INCIDENTS_CIPHER_KEY`` for ``CIPHER_KEY``, ``INCIDENTS_SQLITE_LOCK_TIMEOUT`` for
    ``SQLITE_LOCK_TIMEOUT``): our variables were named so that the two agree.
    """
    settings = os.environ if environ is None else environ
    if db == "memory:":
        env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    elif db.startswith(("postgresql://", "postgres://")):
        env = _postgres_env(db)
    else:
        env = _sqlite_env(db, settings)
    env.update(at_rest_env(settings))
    return env


def at_rest_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The library's cipher and compressor settings, from ``INCIDENTS_CIPHER_KEY`` and
    ``INCIDENTS_COMPRESS``; nothing when neither is set."""
    env: dict[str, str] = {}
    key = settings.get(CIPHER_KEY_VARIABLE, "").strip()
    if key:
        env["CIPHER_TOPIC"] = CIPHER_TOPIC
        env["CIPHER_KEY"] = check_cipher_key(key)
    compress = settings.get(COMPRESS_VARIABLE, "").strip().lower()
    if compress not in NO_COMPRESSION:
        if compress not in COMPRESSORS:
            raise StoreSettingsError(
                f"{COMPRESS_VARIABLE}={compress!r} is not a compressor: use "
                f"{' or '.join(COMPRESSORS)}, or leave it unset for none"
            )
        env["COMPRESSOR_TOPIC"] = COMPRESSORS[compress]
    return env


def check_cipher_key(key: str) -> str:
    """The key, if it is a base64 AES key of 16, 24 or 32 bytes; else a message that says how to
    make one."""
    try:
        size = len(b64decode(key.encode("ascii"), validate=True))
    except (binascii.Error, UnicodeEncodeError):
        size = -1
    if size not in CIPHER_KEY_SIZES:
        raise StoreSettingsError(
            f"{CIPHER_KEY_VARIABLE} is not a valid key: expected {'/'.join(map(str, CIPHER_KEY_SIZES))} "
            "bytes in base64 (make one with `incidents keygen`)"
        )
    return key


def describe_db(db: str) -> str:
    """The ``--db`` value, without a password, for messages."""
    if db.startswith(("postgresql://", "postgres://")):
        url = urlparse(db)
        host = url.hostname or "localhost"
        return f"postgresql://{url.username or ''}@{host}:{url.port or 5432}{url.path}"
    return db


def _sqlite_env(db: str, settings: Mapping[str, str]) -> dict[str, str]:
    path = Path(db).expanduser()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    timeout = settings.get(SQLITE_LOCK_TIMEOUT_VARIABLE, "").strip() or str(DEFAULT_SQLITE_LOCK_TIMEOUT)
    if not timeout.isdigit() or int(timeout) == 0:
        raise StoreSettingsError(
            f"{SQLITE_LOCK_TIMEOUT_VARIABLE}={timeout!r}: expected a whole number of seconds, e.g. 60"
        )
    return {
        "PERSISTENCE_MODULE": SQLITE_FACTORY_TOPIC,
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": timeout,
    }


def _postgres_env(db: str) -> dict[str, str]:
    url = urlparse(db)
    dbname = url.path.lstrip("/")
    if not dbname:
        raise ValueError(
            "a PostgreSQL URL needs a database name, e.g. postgresql://127.0.0.1/test "
            f"(got {describe_db(db)})"
        )
    env = {
        "PERSISTENCE_MODULE": POSTGRES_FACTORY_TOPIC,
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


# --- Reading with the wrong settings -------------------------------------------------------------


class ReadableMapper(Mapper[Any]):
    """The library's mapper, whose failures to decode say which setting does not match the store."""

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        try:
            return super().to_domain_event(stored_event)
        except MapperDeserialisationError as error:
            mismatch = self.mismatch(stored_event.state)
            if mismatch is None:  # the settings read it: the event itself does not decode
                raise
            raise StoreSettingsError(f"cannot read the stored events: {mismatch}") from error

    def mismatch(self, state: bytes) -> str | None:
        """Which of ``INCIDENTS_CIPHER_KEY`` and ``INCIDENTS_COMPRESS`` does not match ``state``."""
        if self.cipher is not None:
            try:
                state = self.cipher.decrypt(state)
            except ValueError:
                if written_as(state) is not None:
                    return f"the store is not encrypted, but {CIPHER_KEY_VARIABLE} is set: unset it"
                return f"{CIPHER_KEY_VARIABLE} is not the key this store was encrypted with"
        form = written_as(state)
        if form is None:
            if self.cipher is None:
                return f"the store is encrypted: set {CIPHER_KEY_VARIABLE} to its key"
            return "the events are damaged: they decrypt, but are neither JSON nor zlib"
        if form == "zlib" and self.compressor is None:
            return f"the store is compressed: set {COMPRESS_VARIABLE}=zlib"
        if form == "json" and self.compressor is not None:
            return f"the store is not compressed, but {COMPRESS_VARIABLE} is set: unset it"
        return None


def written_as(state: bytes) -> str | None:
    """What unencrypted stored state is: "json" (as the transcoder writes it), "zlib" (that,
    compressed), or neither (None: encrypted, or damaged)."""
    if _is_json_object(state):
        return "json"
    try:
        decompressed = zlib.decompress(state)
    except zlib.error:
        return None
    return "zlib" if _is_json_object(decompressed) else None


def _is_json_object(data: bytes) -> bool:
    try:
        return isinstance(json.loads(data), dict)
    except ValueError:  # not UTF-8, or not JSON
        return False


def check_readable(mapper: Mapper[Any], recorder: ApplicationRecorder) -> None:
    """Decode the first and the last stored events, so that settings that do not match the store
    are refused when it is opened: before they can add events the others cannot read."""
    last = recorder.max_notification_id()
    if not last:
        return  # a new store: whatever the settings, they are its own
    for start in sorted({1, last}):
        for notification in recorder.select_notifications(start=start, limit=1):
            mapper.to_domain_event(notification)
