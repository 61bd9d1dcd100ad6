"""Where sources disagree, and where they may report one incident twice without saying so.

Both sides of a disagreement stay in the log; this module only points at them:

- **incident**: actions linked as one incident disagree on a field; totals use the member that
  ``resolution`` chose (a preference, or the most recently published report);
- **phase numbering**: two reports number the phase launched on overlapping dates differently;
- **phase dates**: two reports date the launch of the same numbered phase apart;
- **claims**: two reports claim different cumulative figures for one scope on overlapping dates
  (claims are never summed: each is compared with the itemised incidents on its own);
- **likely duplicate**: actions of different reports, not linked, with the same type, side,
  count, actor and place on overlapping dates. ``incidents link`` makes them one incident.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import combinations

from attrs import frozen

from incidents.domain.actions import CountedAction, PhaseLaunched, ReportedAction, TotalClaimed
from incidents.domain.values import DateSpan
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry, latest_reported
from incidents.projections.resolution import RULE, Resolved


@frozen
class Conflict:
    kind: str
    field: str | None
    members: tuple[Entry, ...]
    values: tuple[object, ...]  # each member's value of the field
    used: Entry | None  # whose value totals use, if any
    rule: str


def find_conflicts(resolved: Resolved, viewpoint: Viewpoint) -> list[Conflict]:
    """Every disagreement and likely duplicate among the actions the viewpoint knows of."""
    known = [e for e in resolved.entries if viewpoint.knows(e).standing is not Standing.EXCLUDED]
    found: list[Conflict] = []
    for incident in resolved.incidents:
        for field, values in incident.differences().items():
            found.append(
                Conflict(
                    "incident",
                    field,
                    tuple(member for member, _ in values),
                    tuple(value for _, value in values),
                    incident.chosen,
                    incident.why,
                )
            )
    found.extend(_phase_conflicts(known))
    found.extend(_claim_conflicts(known))
    found.extend(_likely_duplicates(known))
    return found


def _overlap(first: DateSpan, second: DateSpan) -> bool:
    return first.start <= second.end and second.start <= first.end


def _pairs(
    entries: Iterable[Entry], kind: type[ReportedAction], key: Callable[[Entry], Hashable]
) -> Iterable[tuple[Entry, Entry]]:
    """Pairs of actions of ``kind`` from different reports, with the same key, on overlapping dates."""
    buckets: dict[Hashable, list[Entry]] = {}
    for entry in entries:
        if isinstance(entry.action, kind):
            buckets.setdefault(key(entry), []).append(entry)
    for bucket in buckets.values():
        bucket.sort(key=lambda e: (e.action.occurred.start, e.position))
        for index, first in enumerate(bucket):
            for second in bucket[index + 1 :]:
                if second.action.occurred.start > first.action.occurred.end:
                    break  # sorted by start: no later one overlaps ``first`` either
                if first.report.key != second.report.key:
                    yield first, second


def _operation(entry: Entry) -> str | None:
    operation = entry.action.operation
    return operation.canonical if operation else None


def _phase_conflicts(entries: Sequence[Entry]) -> Iterable[Conflict]:
    for first, second in _pairs(entries, PhaseLaunched, _operation):
        if first.action.phase != second.action.phase:
            pair = (first, second)
            yield Conflict(
                "phase numbering",
                "phase",
                pair,
                (first.action.phase, second.action.phase),
                latest_reported(pair),
                RULE,
            )
    launches: dict[tuple[str | None, int | None], list[Entry]] = {}
    for entry in entries:
        if isinstance(entry.action, PhaseLaunched):
            launches.setdefault((_operation(entry), entry.action.phase), []).append(entry)
    for same_phase in launches.values():
        for first, second in combinations(same_phase, 2):
            apart = not _overlap(first.action.occurred, second.action.occurred)
            if apart and first.report.key != second.report.key:
                pair = (first, second)
                values = (first.action.occurred, second.action.occurred)
                yield Conflict("phase dates", "occurred", pair, values, latest_reported(pair), RULE)


def _claim_conflicts(entries: Sequence[Entry]) -> Iterable[Conflict]:
    def scope(entry: Entry) -> Hashable:
        claim = entry.action
        assert isinstance(claim, TotalClaimed)
        return (claim.metric, claim.side.canonical, _operation(entry), claim.phase)

    for first, second in _pairs(entries, TotalClaimed, scope):
        assert isinstance(first.action, TotalClaimed)
        assert isinstance(second.action, TotalClaimed)
        if first.action.count != second.action.count:
            yield Conflict(
                "claims",
                "count",
                (first, second),
                (first.action.count, second.action.count),
                None,
                "claims are never summed: each is compared with the itemised incidents on its own",
            )


def _likely_duplicates(entries: Sequence[Entry]) -> Iterable[Conflict]:
    def same_facts(entry: Entry) -> Hashable:
        action = entry.action
        assert isinstance(action, CountedAction)
        place = action.place.key if action.place else None
        actor = action.actor.canonical if action.actor else None
        return (action.kind, action.side.canonical, action.count, actor, place)

    for first, second in _pairs(entries, CountedAction, same_facts):
        yield Conflict(
            "likely duplicate",
            None,
            (first, second),
            (first.action.occurred, second.action.occurred),
            None,
            f"counted twice until linked: incidents link {first.ref} {second.ref}",
        )
