"""Claims against incidents: each cumulative claim beside the itemised sum in its scope.

A claim is never added to totals. The itemised sum counts the actions of the claim's metric and
side in its scope (the operation, and the phase if the claim names one) as of the claim's own
date, on the same known-at and recorded-at clocks; the remainder is what the itemised
actions do not account for (negative when they exceed the claim).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from attrs import frozen

from incidents.domain.actions import CountedAction, Metric, TotalClaimed
from incidents.domain.values import Estimate
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry
from incidents.projections.totals import split_counted, sum_counts


@frozen
class ClaimComparison:
    entry: Entry
    claim: TotalClaimed
    itemised: Estimate
    itemised_entries: tuple[Entry, ...]
    uncertain: tuple[Judged, ...]  # itemised actions whose date straddles the claim's

    @property
    def remainder(self) -> int | None:
        if self.claim.count.best is None or self.itemised.best is None:
            return None
        return self.claim.count.best - self.itemised.best


def _in_scope(claim: TotalClaimed) -> Callable[[CountedAction], bool]:
    def accept(action: CountedAction) -> bool:
        if action.metric is not claim.metric or action.side.canonical != claim.side.canonical:
            return False
        if claim.operation is not None and (
            action.operation is None or action.operation.canonical != claim.operation.canonical
        ):
            return False
        return claim.phase is None or action.phase == claim.phase

    return accept


@frozen
class Claims:
    """Each counted claim beside its itemised sum, and the claims whose own date is uncertain."""

    comparisons: tuple[ClaimComparison, ...]
    uncertain: tuple[Judged, ...]


# The counted actions a claim can have in its scope, by what every action in it shares with the
# claim: its metric and side, and its operation where the claim names one (an index of more than
# the scope: ``_in_scope`` still decides).
_Scope = tuple[Metric, str] | tuple[Metric, str, str]


def _candidates(entries: Sequence[Entry]) -> dict[_Scope, list[Entry]]:
    """The counted actions by metric and side, and by metric, side and operation, each in the
    order of ``entries``: a claim reads only those of its own scope (``_scope_of``), not every
    entry of the log (a log of 100,000 events holds a few thousand claims)."""
    found: dict[_Scope, list[Entry]] = {}
    for entry in entries:
        action = entry.action
        if isinstance(action, CountedAction):
            found.setdefault((action.metric, action.side.canonical), []).append(entry)
            if action.operation is not None:
                key = (action.metric, action.side.canonical, action.operation.canonical)
                found.setdefault(key, []).append(entry)
    return found


def _scope_of(claim: TotalClaimed) -> _Scope:
    if claim.operation is None:
        return (claim.metric, claim.side.canonical)
    return (claim.metric, claim.side.canonical, claim.operation.canonical)


def compare_claims(entries: Sequence[Entry], viewpoint: Viewpoint) -> Claims:
    """Each counted claim beside its itemised sum; and the claims whose own date is uncertain."""
    comparisons: list[ClaimComparison] = []
    claims, uncertain_claims = partition(entries, viewpoint, TotalClaimed)
    candidates = _candidates(entries) if claims else {}
    for entry in claims:
        claim = entry.action
        assert isinstance(claim, TotalClaimed)
        at_claim = viewpoint.with_as_of(claim.occurred.end)
        accept = _in_scope(claim)
        counted, uncertain = split_counted(candidates.get(_scope_of(claim), ()), at_claim, accept)
        comparisons.append(
            ClaimComparison(
                entry=entry,
                claim=claim,
                itemised=sum_counts(counted),
                itemised_entries=tuple(e for e, _ in counted),
                uncertain=tuple(uncertain),
            )
        )
    return Claims(tuple(comparisons), tuple(uncertain_claims))
