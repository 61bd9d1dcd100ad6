"""Replay: the log in occurred order up to a date, with running totals after each action.

Each step carries every running total (``running="every"``, as totals list them), or only its
own metric and side's (``"own"``): what a chart of each series needs, and on a large log far
less (every total after each of 100,000 steps is millions of figures)."""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Mapping
from typing import Literal

from attrs import field, frozen

from incidents.domain.actions import METRIC_RANK, CountedAction, Metric
from incidents.domain.amendments import ActionRef
from incidents.domain.values import Estimate
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry
from incidents.projections.phases import Dispute

# Which running totals each step carries: every one, or the step's own.
Running = Literal["every", "own"]
RUNNING: tuple[Running, ...] = ("every", "own")

Series = tuple[Metric, str, str | None]  # a running total's metric, side and item


@frozen
class Step:
    entry: Entry
    # The running totals after this step, by metric, side and item (materiel per item, as
    # totals): every one, in totals' order, or only the step's own (none for an uncounted step).
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
    running: Running = "every"  # which running totals each step carries

    def dispute_of(self, entry: Entry) -> Dispute | None:
        return self.disputes.get(entry.ref)


def _in_totals_order(series: Series) -> tuple[int, str, str]:
    metric, side, item = series
    return (METRIC_RANK[metric], side, item or "")


def replay(
    entries: Iterable[Entry],
    viewpoint: Viewpoint,
    disputes: Mapping[ActionRef, Dispute] | None = None,
    running: Running = "every",
) -> Replay:
    counted, uncertain = partition(entries, viewpoint)
    totals: dict[Series, Estimate] = {}
    series: list[Series] = []  # the series seen so far, in totals' order
    snapshot: tuple[tuple[Metric, str, str | None, Estimate], ...] = ()
    steps: list[Step] = []
    for entry in counted:
        action = entry.action
        if isinstance(action, CountedAction):
            key = (action.metric, action.side.canonical, action.what)
            if key not in totals:
                insort(series, key, key=_in_totals_order)
                totals[key] = Estimate.zero()
            total = totals[key] = totals[key] + action.count
            if running == "own":
                snapshot = ((*key, total),)
            else:
                snapshot = tuple(
                    (metric, side, item, totals[metric, side, item]) for metric, side, item in series
                )
        elif running == "own":
            snapshot = ()
        steps.append(Step(entry, snapshot))  # (an uncounted step: every total as it was)
    return Replay(tuple(steps), tuple(uncertain), dict(disputes or {}), running)
