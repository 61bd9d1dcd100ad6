"""Where sources disagree, and where they may report one incident twice without saying so.

Both sides of a disagreement stay in the log; this module only points at them:

- **incident**: actions linked as one incident really disagree on a field; totals use the value
  ``resolution.merge`` picks, and ``used`` is the member it is taken from;
- **phase numbering**: two reports number a launch on overlapping dates differently (``phases``
  keeps each number on its row, marked, until the two are linked);
- **phase dates**: reports date launches of one numbered phase apart: one conflict per phase,
  whose ``used`` is the statement whose date ``phases`` shows (``phases.phase_timeline``);
- **declaration dates**: two reports date one declaration ("victory over ISIS", the same words
  once case and punctuation are folded, in the same operation) apart;
- **claims**: two reports claim different cumulative figures for one scope on overlapping dates
  (claims are never summed: each is compared with the itemised incidents on its own);
- **likely duplicate**: actions of different reports, not linked, with the same type, side,
  count, actor and place on overlapping dates; or launches of one phase of one operation on
  overlapping dates. ``incidents link`` makes them one incident.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import combinations

from attrs import frozen

from incidents.domain.actions import CountedAction, Declared, ReportedAction, TotalClaimed, joint_group
from incidents.domain.amendments import ActionRef
from incidents.domain.values import normalise_name
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry, latest_reported
from incidents.projections.phases import (
    DATED_APART,
    NOT_LINKED,
    NUMBERED_DIFFERENTLY,
    Phases,
    operation_of,
    phase_timeline,
)
from incidents.projections.resolution import RULE, FieldResolution, Resolved, spans_disagree


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
        found.extend(_field_conflicts("incident", incident.merged.disagreements))
    found.extend(_phase_conflicts(phase_timeline(resolved, viewpoint)))
    found.extend(_claim_conflicts(known))
    found.extend(_declaration_conflicts(known))
    found.extend(_likely_duplicates(known))
    return found


def _field_conflicts(kind: str, disagreements: Iterable[FieldResolution]) -> Iterable[Conflict]:
    for resolution in disagreements:
        yield Conflict(
            kind,
            resolution.field,
            tuple(member for member, _ in resolution.stated),
            tuple(value for _, value in resolution.stated),
            resolution.used,
            resolution.how,
        )


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


def _phase_conflicts(timeline: Phases) -> Iterable[Conflict]:
    """What ``phases`` marks its rows with, as conflicts: launches of one phase dated apart (one
    conflict per phase, used: the statement whose date the phase shows), launches numbered
    differently, and launches of one phase reported twice and not linked."""
    numbered: set[frozenset[ActionRef]] = set()
    for phase in timeline.phases:
        apart = [d.entry for d in phase.disputes if d.kind == DATED_APART]
        if apart and phase.launched is not None:
            members = (*phase.launch, *apart)
            dated = next(f for f in phase.launched.fields if f.field == "occurred")
            yield Conflict(
                "phase dates",
                "occurred",
                members,
                tuple(member.action.occurred for member in members),
                dated.used,
                f"phases dates phase {phase.phase} {dated.value}: of its launches, those no other "
                "report numbers differently first, then the most precise date no other contradicts, "
                "then the most recently published; the others are marked on its row",
            )
        for dispute in phase.disputes:
            pair = (dispute.entry, dispute.other)
            refs = frozenset(entry.ref for entry in pair)
            if dispute.kind == NUMBERED_DIFFERENTLY and refs not in numbered:
                numbered.add(refs)
                yield Conflict(
                    "phase numbering",
                    "phase",
                    pair,
                    tuple(entry.action.phase for entry in pair),
                    None,
                    "phases keeps each number on its own row, marked, until they are linked: "
                    f"incidents link {pair[0].ref} {pair[1].ref}",
                )
            elif dispute.kind == NOT_LINKED:
                yield Conflict(
                    "likely duplicate",
                    None,
                    pair,
                    tuple(entry.action.occurred for entry in pair),
                    None,
                    f"one launch reported twice until linked: incidents link {pair[0].ref} {pair[1].ref}",
                )


def _declaration_conflicts(entries: Sequence[Entry]) -> Iterable[Conflict]:
    """Reports that date one declaration apart (their spans do not overlap): a statement without
    numbers still has a date sources can disagree on."""
    declarations: dict[tuple[str, str | None], list[Entry]] = {}
    for entry in entries:
        if isinstance(entry.action, Declared):
            key = (normalise_name(entry.action.declared), operation_of(entry.action))
            declarations.setdefault(key, []).append(entry)
    for same in declarations.values():
        for first, second in combinations(same, 2):
            apart = spans_disagree(first.action.occurred, second.action.occurred)
            if apart and first.report.key != second.report.key:
                pair = (first, second)
                values = (first.action.occurred, second.action.occurred)
                yield Conflict("declaration dates", "occurred", pair, values, latest_reported(pair), RULE)


def _claim_conflicts(entries: Sequence[Entry]) -> Iterable[Conflict]:
    def scope(entry: Entry) -> Hashable:
        claim = entry.action
        assert isinstance(claim, TotalClaimed)
        return (claim.metric, claim.side.canonical, operation_of(claim), claim.phase)

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
        actor = joint_group(action.actor, action.actors)
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
