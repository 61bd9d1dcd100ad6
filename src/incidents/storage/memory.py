"""The in-memory backend (``memory:``): the library's POPO store, new and empty each time it is
opened, for tests and throwaway work. It keeps no read model (its queries fold the log) and has
nothing to be read from."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from incidents.storage.errors import StoreError
from incidents.storage.location import MemoryLocation

FACTORY_TOPIC = "eventsourcing.popo"


@frozen
class MemoryBackend:
    """The in-memory backend (``incidents.storage.backends.Backend``)."""

    location: MemoryLocation

    def environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        return {"PERSISTENCE_MODULE": FACTORY_TOPIC}

    def read_only_environment(self, settings: Mapping[str, str]) -> dict[str, str]:
        raise StoreError(
            f"{self.location.describe()} is a new, empty store each time: there is nothing to start from"
        )

    def dialect(self, settings: Mapping[str, str]) -> None:
        return None  # nothing is kept between commands: queries fold the log
