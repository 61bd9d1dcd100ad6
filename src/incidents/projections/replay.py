"""Replay: the log in occurred order up to a date, with running totals after each action."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from attrs import field, frozen

from incidents.domain.actions import METRIC_RANK, CountedAction, Metric
from incidents.domain.amendments import ActionRef
from incidents.domain.values import Estimate
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry
from incidents.projections.phases import Dispute


@frozen
class Step:
    entry: Entry
    # Every running total after this step, by metric, side and item (materiel per item, as totals).
    running: tuple[tuple[Metric, str, str | None, Estimate], ...]

    def running_for(self, metric: Metric, side: str, item: str | None = None) -> Estimate | None:
        for m, s, i, estimate in self.running:
            if m is metric and s == side and i == item:
                return estimate
        return None


@frozen
class Replay:
    steps: tuple[Step, ...]
    uncertain: tuple[Judged, ...]
    # Launch statements another source disputes, as ``phases`` marks them (``Phases.disputes``).
    disputes: Mapping[ActionRef, Dispute] = field(factory=dict, hash=False)

    def dispute_of(self, entry: Entry) -> Dispute | None:
        return self.disputes.get(entry.ref)


def replay(
    entries: Iterable[Entry], viewpoint: Viewpoint, disputes: Mapping[ActionRef, Dispute] | None = None
) -> Replay:
    counted, uncertain = partition(entries, viewpoint)
    running: dict[tuple[Metric, str, str | None], Estimate] = {}
    steps: list[Step] = []
    for entry in counted:
        action = entry.action
        if isinstance(action, CountedAction):
            key = (action.metric, action.side.canonical, action.what)
            running[key] = running.get(key, Estimate.zero()) + action.count
        snapshot = tuple(
            (metric, side, item, estimate)
            for (metric, side, item), estimate in sorted(
                running.items(), key=lambda kv: (METRIC_RANK[kv[0][0]], kv[0][1], kv[0][2] or "")
            )
        )
        steps.append(Step(entry, snapshot))
    return Replay(tuple(steps), tuple(uncertain), dict(disputes or {}))
