"""Clusters read through the read model: the actions and amendments connected to some refs,
found by the projector's own ``closure`` over ``rm_target`` and ``rm_amendment`` and read back
from the event store by position (``fetch.EventReader``), never by reading the whole log.

What ``projections.changes`` needs to say what an amendment changed (``ClusterSource``)."""

from __future__ import annotations

from collections.abc import Iterable

from incidents.domain.amendments import ActionRef
from incidents.projections.ledger import Ledger
from incidents.readmodel import ReadModel
from incidents.readmodel.projector import closure


class ReadModelClusters:
    """``ClusterSource`` over a read model, caught up with the log once, on first use."""

    def __init__(self, model: ReadModel) -> None:
        self.model = model
        self._caught_up = False

    def cluster(self, refs: Iterable[ActionRef]) -> Ledger:
        if not self._caught_up:
            self.model.catch_up()
            self._caught_up = True
        with self.model.database.read() as tx:
            found, amendments = closure(tx, [str(ref) for ref in refs])
            positions = [
                int(position)
                for (position,) in tx.rows_in("SELECT position FROM rm_entry WHERE ref IN ({in})", found)
            ]
        return self.model.projector.events.ledger([*positions, *amendments])
