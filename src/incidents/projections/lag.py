"""Reporting lag: how many days after an action occurred its source published it.

The reported clock turned into data. An action's lag is a range of days whenever either date
is a span: at least ``published.start - occurred.end`` and at most ``published.end -
occurred.start`` (a report cannot precede what it reports, so a bound below zero is zero). A
day on both sides gives one number. The distribution of a group (an outlet, a metric, an
operation) is given for both ends: the median of the least lags and the median of the greatest
ones, likewise the quartiles and the maximum; since an order statistic only grows when every
value grows, the true median of any choice of days within the spans lies between the two.
Quantiles are by nearest rank (a lag that some action has, never an interpolated one).

Every action the viewpoint holds counts once per report: a retracted one does not, but each
report of an incident linked as one does (each outlet took its own time to publish it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from attrs import frozen

from incidents.domain.actions import CountedAction
from incidents.domain.amendments import Retraction
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry, Ledger
from incidents.projections.resolution import resolve

LAG_GROUPINGS: dict[str, Callable[[Entry], str | None]] = {
    "outlet": lambda entry: entry.report.source.outlet,
    "metric": lambda entry: (
        entry.action.metric.value if isinstance(entry.action, CountedAction) else entry.action.kind
    ),
    "operation": lambda entry: entry.action.operation.canonical if entry.action.operation else None,
}


@frozen(order=True)
class Days:
    """A number of days known to lie within ``low``..``high``."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


def lag_of(entry: Entry) -> Days:
    occurred, published = entry.action.occurred, entry.report.source.published
    low = max(0, (published.start - occurred.end).days)
    high = max(low, (published.end - occurred.start).days)
    return Days(low, high)


@frozen
class LagGroup:
    key: str | None
    actions: int
    exact: int  # how many of them have one lag (a day on both clocks)
    lower_quartile: Days
    median: Days
    upper_quartile: Days
    max: Days


@frozen
class Lag:
    by: str
    groups: tuple[LagGroup, ...]


def nearest_rank(ordered: Sequence[int], fraction: float) -> int:
    """The ``fraction`` quantile of sorted values, by nearest rank."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def distribution(key: str | None, lags: Sequence[Days]) -> LagGroup:
    lows = sorted(days.low for days in lags)
    highs = sorted(days.high for days in lags)

    def at(fraction: float) -> Days:
        return Days(nearest_rank(lows, fraction), nearest_rank(highs, fraction))

    exact = sum(1 for days in lags if days.low == days.high)
    return LagGroup(key, len(lags), exact, at(0.25), at(0.5), at(0.75), Days(lows[-1], highs[-1]))


def held(ledger: Ledger, viewpoint: Viewpoint) -> list[Entry]:
    """The actions the viewpoint counts or holds uncertain, as amended: retracted ones out,
    each report of a linked incident in."""
    resolved = resolve(ledger, viewpoint)
    kept = list(resolved.entries)
    for judged in resolved.set_aside:
        amendments = resolved.applied.get(judged.entry.ref, ())
        if not any(isinstance(found.amendment, Retraction) for found in amendments):
            kept.append(judged.entry)
    return [entry for entry in kept if viewpoint.judge(entry).standing is not Standing.EXCLUDED]


def reporting_lag(entries: Iterable[Entry], by: str = "outlet") -> Lag:
    """The lag distribution of the entries, by ``by`` (``LAG_GROUPINGS``), most actions first."""
    key_of = LAG_GROUPINGS[by]
    groups: dict[str | None, list[Days]] = {}
    for entry in entries:
        groups.setdefault(key_of(entry), []).append(lag_of(entry))
    found = [distribution(key, lags) for key, lags in groups.items()]
    found.sort(key=lambda group: (-group.actions, group.key or ""))
    return Lag(by, tuple(found))
