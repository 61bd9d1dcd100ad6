"""Reading a store with settings that do not match it: refused at once, and said by name.

- ``ReadableMapper``: the library's mapper, whose failures to decode a stored event say which
  setting (``INCIDENTS_CIPHER_KEY``, ``INCIDENTS_COMPRESS``) does not match the store;
- ``check_readable``: the first and last stored events decoded when a store is opened, so that
  a wrong key can neither read a store nor add events to it that the right key could not read;
- ``CheckedStore``: what every backend's store factory adds to the library's factory (both).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    EventStore,
    InfrastructureFactory,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)

from incidents.storage.errors import StoreSettingsError
from incidents.storage.settings import CIPHER_KEY_VARIABLE, COMPRESS_VARIABLE
from incidents.storage.transcodings import NewerPayloadError, StoredPayloadError


class ReadableMapper(Mapper[Any]):
    """The library's mapper, whose failures to decode say which setting does not match the store."""

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[Any]:
        try:
            return super().to_domain_event(stored_event)
        except MapperDeserialisationError as error:
            if isinstance(error.__cause__, StoredPayloadError):
                raise error.__cause__ from error  # a payload this code cannot read: say which
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
            try:
                mapper.to_domain_event(notification)
            except NewerPayloadError:
                raise  # this code is too old for the store: nothing it answered would be whole
            except (StoredPayloadError, MapperDeserialisationError):
                # The settings read the store (ReadableMapper raises these only then): the event
                # itself is unreadable, and the queries set it aside (ledger.Unreadable).
                pass


class CheckedStore(InfrastructureFactory[Any]):
    """Read through the ReadableMapper; refuse, when opening, settings that do not read the store.

    Mixed into each backend's store factory, before the library's factory of that backend."""

    def mapper(
        self, transcoder: Transcoder | None = None, mapper_class: type[Mapper[Any]] | None = None
    ) -> Mapper[Any]:
        return super().mapper(transcoder, mapper_class or ReadableMapper)

    def event_store(
        self, mapper: Mapper[Any] | None = None, recorder: AggregateRecorder | None = None
    ) -> EventStore[Any]:
        store: EventStore[Any] = super().event_store(mapper, recorder)
        if isinstance(store.recorder, ApplicationRecorder):
            try:
                check_readable(store.mapper, store.recorder)
            except BaseException:
                self.close()  # the application is not constructed: nobody else will
                raise
        return store
