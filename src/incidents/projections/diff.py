"""The difference between two viewpoints, and the events that make it.

Two viewpoints (any of the three clocks on each side, one occurred clock for both) each fold the
log: totals, areas and claims. Where they differ, the difference is explained by the events one
viewpoint knows and the other does not (``Viewpoint.knows``: recorded by its recorded clock,
published by its reported clock), among those that touch the actions behind it: the action
itself (a new report), the amendments that name it (a correction, a retraction, a link, a
preference) and those that name them (a retraction of a correction). Nothing else is needed:
both sides are the same log, read from two points of view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

import attrs
from attrs import frozen

from incidents.domain.actions import AreaAction, AreaStatus, CountedAction, Metric, ReportedAction
from incidents.domain.amendments import ActionRef
from incidents.domain.values import Estimate, Place
from incidents.projections.areas import area_states
from incidents.projections.claims import ClaimComparison, compare_claims
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, naming, reachable
from incidents.projections.resolution import Resolved, resolve
from incidents.projections.totals import totals

Statement = Entry | AmendmentEntry
FROM = "from"
TO = "to"


@frozen
class Cause:
    """An event one side knows and the other does not (``known_to``: ``from`` or ``to``)."""

    entry: Statement
    known_to: str

    @property
    def kind(self) -> str:
        return "stated" if isinstance(self.entry, Entry) else self.entry.amendment.kind


@frozen
class TotalDifference:
    metric: Metric
    side: str
    before: Estimate | None  # None: no such total from that side
    after: Estimate | None
    causes: tuple[Cause, ...]
    item: str | None = None  # what the total counts, where its metric counts unlike things


@frozen
class AreaDifference:
    place: Place
    before: AreaStatus | None
    after: AreaStatus | None
    causes: tuple[Cause, ...]


@frozen
class ClaimDifference:
    """A claim whose comparison with its itemised incidents differs (or that one side lacks)."""

    ref: ActionRef
    before: ClaimComparison | None
    after: ClaimComparison | None
    causes: tuple[Cause, ...]

    @property
    def claim(self) -> ClaimComparison:
        found = self.after or self.before
        assert found is not None
        return found


@frozen
class Diff:
    before: Viewpoint
    after: Viewpoint
    totals: tuple[TotalDifference, ...]
    areas: tuple[AreaDifference, ...]
    claims: tuple[ClaimDifference, ...]


Standings = dict[ActionRef, tuple[Standing, ReportedAction]]
# A ref -> its action as each side has it (the ``actions_of`` of ``diff``).
_ActionsOf = Callable[[ActionRef], list[ReportedAction]]


def _standings(ledger: Ledger, resolved: Resolved, viewpoint: Viewpoint) -> Standings:
    """Every action as a side treats it: how it stands (counted, uncertain, excluded), as amended."""
    found: Standings = {
        entry.ref: (viewpoint.judge(entry).standing, entry.action) for entry in resolved.entries
    }
    for judged in resolved.set_aside:
        found[judged.entry.ref] = (Standing.EXCLUDED, judged.entry.action)
    for entry in ledger.entries:  # (every entry is in one of the two)
        found.setdefault(entry.ref, (Standing.EXCLUDED, entry.action))
    return found


class _Explainer:
    """The causes of a difference, for the actions behind it."""

    def __init__(self, ledger: Ledger, before: Viewpoint, after: Viewpoint) -> None:
        self.one_sided: dict[ActionRef, Cause] = {}
        self.naming = naming(ledger.amendments)
        statements: list[Statement] = [*ledger.entries, *ledger.amendments]
        for statement in statements:
            known_before = before.knows(statement).standing is Standing.COUNTED
            known_after = after.knows(statement).standing is Standing.COUNTED
            if known_before != known_after:
                self.one_sided[statement.ref] = Cause(statement, TO if known_after else FROM)

    def causes(self, refs: Iterable[ActionRef]) -> tuple[Cause, ...]:
        # (the statements one side knows, among the actions and the amendments that name them)
        behind = reachable(refs, lambda ref: [amendment.ref for amendment in self.naming.get(ref, ())])
        found = {
            cause.entry.position: cause for ref in behind if (cause := self.one_sided.get(ref)) is not None
        }
        return tuple(found[position] for position in sorted(found))


def diff(ledger: Ledger, before: Viewpoint, after: Viewpoint) -> Diff:
    """Totals, areas and claims that differ between two viewpoints, each with its causes."""
    resolved_before, resolved_after = resolve(ledger, before), resolve(ledger, after)
    was = _standings(ledger, resolved_before, before)
    now = _standings(ledger, resolved_after, after)
    changed = {ref for ref in was.keys() | now.keys() if was.get(ref) != now.get(ref)}
    explainer = _Explainer(ledger, before, after)

    def actions_of(ref: ActionRef) -> list[ReportedAction]:
        return [found[1] for found in (was.get(ref), now.get(ref)) if found is not None]

    sides = _Sides(resolved_before, resolved_after, before, after, changed, actions_of, explainer)
    return Diff(before, after, _totals(sides), _areas(sides), _claims(sides))


@frozen
class _Sides:
    """What every part of a diff compares: each side resolved from its viewpoint, the actions
    whose standing differs between them, and how to find the causes."""

    resolved_before: Resolved
    resolved_after: Resolved
    before: Viewpoint
    after: Viewpoint
    changed: set[ActionRef]
    actions_of: _ActionsOf
    explainer: _Explainer


def _totals(
    sides: _Sides,
) -> tuple[TotalDifference, ...]:
    # (by metric, side and item: materiel of different items is never one total)
    was = {
        (r.metric, r.side, r.item): r.estimate
        for r in totals(sides.resolved_before.entries, sides.before).rows
    }
    now = {
        (r.metric, r.side, r.item): r.estimate for r in totals(sides.resolved_after.entries, sides.after).rows
    }
    found = []
    order = list(Metric)
    for key in sorted(was.keys() | now.keys(), key=lambda k: (order.index(k[0]), k[1], k[2] or "")):
        if was.get(key) == now.get(key):
            continue
        metric, side, item = key
        refs = [
            ref
            for ref in sides.changed
            if any(
                isinstance(action, CountedAction)
                and action.metric is metric
                and action.side.canonical == side
                and action.what == item
                for action in sides.actions_of(ref)
            )
        ]
        causes = sides.explainer.causes(refs)
        found.append(TotalDifference(metric, side, was.get(key), now.get(key), causes, item))
    return tuple(found)


def _areas(
    sides: _Sides,
) -> tuple[AreaDifference, ...]:
    was = {s.place.key: s for s in area_states(sides.resolved_before.entries, sides.before).states}
    now = {s.place.key: s for s in area_states(sides.resolved_after.entries, sides.after).states}
    found = []
    for key in sorted(was.keys() | now.keys()):
        old, new = was.get(key), now.get(key)
        old_status = None if old is None else (old.status, old.since)
        new_status = None if new is None else (new.status, new.since)
        if old_status == new_status:
            continue
        refs = [
            ref
            for ref in sides.changed
            if any(
                isinstance(action, AreaAction) and action.area.key == key for action in sides.actions_of(ref)
            )
        ]
        shown = new or old
        assert shown is not None  # (one of them is there)
        found.append(
            AreaDifference(
                shown.place,
                None if old is None else old.status,
                None if new is None else new.status,
                sides.explainer.causes(refs),
            )
        )
    return tuple(found)


def _counted_as(action: ReportedAction, metric: Metric, side: str) -> bool:
    return isinstance(action, CountedAction) and action.metric is metric and action.side.canonical == side


def _claim_figures(comparison: ClaimComparison | None) -> object:
    if comparison is None:
        return None
    return (comparison.claim, comparison.itemised, comparison.remainder)


def _claims(
    sides: _Sides,
) -> tuple[ClaimDifference, ...]:
    was = {c.entry.ref: c for c in compare_claims(sides.resolved_before.entries, sides.before).comparisons}
    now = {c.entry.ref: c for c in compare_claims(sides.resolved_after.entries, sides.after).comparisons}
    found = []
    for ref in sorted(was.keys() | now.keys()):
        old, new = was.get(ref), now.get(ref)
        if _claim_figures(old) == _claim_figures(new):
            continue
        itemised = {e.ref for c in (old, new) if c is not None for e in c.itemised_entries}
        refs = [ref, *(r for r in sides.changed if r in itemised)]
        found.append(ClaimDifference(ref, old, new, sides.explainer.causes(refs)))
    return tuple(found)


def sides(as_of: date | None, before: Viewpoint, after: Viewpoint) -> tuple[Viewpoint, Viewpoint]:
    """Both sides at one occurred clock: ``as_of`` where a side names none."""
    return (
        before if before.as_of is not None else attrs.evolve(before, as_of=as_of),
        after if after.as_of is not None else attrs.evolve(after, as_of=as_of),
    )
