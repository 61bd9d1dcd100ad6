"""The persistent read model: the log projected into tables indexed by the three clocks, kept
up to date from the event store's notifications, and queried instead of folding the whole log.

``ReadModel.open`` gives the read model of a store, or None where there is none (the in-memory
store, an encrypted store, or ``INCIDENTS_READ_MODEL=off``): the queries then fold the log.

Its answers are the folds' own objects, equal (``==``) to what the fold gives on the same log:
``totals`` is ``totals.totals(resolve(ledger, viewpoint).entries, viewpoint, by, items=items)``
and ``areas`` is ``areas.area_states(resolve(ledger, viewpoint).entries, viewpoint)``, down to
the order of their rows and the entries inside them. Shaping them for people is ``incidents.output``'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import attrs

from incidents.application import IncidentLog
from incidents.projections.areas import EVERY_AREA, AreaFilter, Areas
from incidents.projections.clocks import Viewpoint
from incidents.projections.totals import Items, Totals
from incidents.readmodel import queries
from incidents.readmodel.database import ReadModelDatabase, Transaction
from incidents.readmodel.projector import CaughtUp, Progress, Projector
from incidents.storage.location import StoreLocation
from incidents.storage.settings import CIPHER_KEY_VARIABLE, encrypted

READ_MODEL_VARIABLE = "INCIDENTS_READ_MODEL"
OFF = ("off", "no", "0", "false")

T = TypeVar("T")


def disabled_because() -> str | None:
    """Why the settings leave the store without a read model, if they do."""
    if os.environ.get(READ_MODEL_VARIABLE, "").strip().lower() in OFF:
        return f"{READ_MODEL_VARIABLE} is off"
    if encrypted(os.environ):
        # The read model's tables are plaintext: an encrypted log keeps none (see the docs).
        return f"the store is encrypted ({CIPHER_KEY_VARIABLE} is set)"
    return None


class ReadModel:
    """The read model of one store: caught up before each query, then read in one snapshot."""

    def __init__(self, log: IncidentLog, database: ReadModelDatabase) -> None:
        self.database = database
        self.projector = Projector(log, database)

    @classmethod
    def open(cls, location: StoreLocation, log: IncidentLog) -> ReadModel | None:
        """The read model of the store at ``location`` (whose log is ``log``), its tables made
        if need be; None where the store keeps none."""
        if disabled_because() is not None:
            return None
        database = ReadModelDatabase.open(location)
        if database is None:
            return None
        model = cls(log, database)
        model.projector.ensure()
        return model

    def position(self) -> int:
        """The last notification of the log the read model has projected."""
        return self.projector.position()

    def catch_up(self, progress: Progress | None = None) -> CaughtUp | None:
        """Project what the log holds beyond the read model; None if it was up to date."""
        if not self.projector.behind():
            return None
        return self.projector.catch_up(progress)

    def rebuild(self, progress: Progress | None = None) -> CaughtUp:
        """Drop the read model and project the whole log again; what it set aside as unreadable
        (and no retraction names) in ``CaughtUp.unreadable``."""
        done = self.projector.rebuild(progress)
        with self.database.read() as tx:
            found = queries.unreadable(tx, self.projector.events, Viewpoint())
        return attrs.evolve(done, unreadable=found)

    def totals(self, viewpoint: Viewpoint, by: Sequence[str] = (), items: Items = "apart") -> Totals:
        """The fold's ``Totals`` of the log from the viewpoint, grouped by ``by``, materiel per
        item or its items ``together``."""
        projector = self.projector
        return self._answer(
            lambda tx: queries.totals(tx, projector.events, projector.payloads, viewpoint, by, items)
        )

    def areas(self, viewpoint: Viewpoint, only: AreaFilter = EVERY_AREA) -> Areas:
        """The fold's ``Areas`` of the log from the viewpoint (the areas ``only`` keeps)."""
        projector = self.projector
        return self._answer(
            lambda tx: queries.areas(tx, projector.events, projector.payloads, viewpoint, only)
        )

    def _answer(self, query: Callable[[Transaction], T]) -> T:
        """The query's answer from a read model caught up with the log: checked in the snapshot
        the query reads (one transaction when nothing is new)."""
        with self.database.read() as tx:
            if self.projector.caught_up(tx):
                return query(tx)
        self.projector.catch_up()
        with self.database.read() as tx:
            return query(tx)

    def close(self) -> None:
        self.database.close()
