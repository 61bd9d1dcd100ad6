"""Where each number comes from (``explain``), and the full story of an action (``history``).

``explain`` takes every action of one metric and side and says how the viewpoint treats it:
counted, uncertain (a date straddles a clock) or excluded (not yet happened, published,
recorded; retracted; counted through another report of the same incident), with the reason,
and the corrections that changed it, each with its source.

``history`` lists, in recorded order, an action as first stated and every amendment that
touched it (and the amendments of those), each with its source, and whether the viewpoint
applies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import frozen

from incidents.domain.actions import CountedAction, Metric
from incidents.domain.amendments import ActionRef, Correction
from incidents.domain.values import normalise_name
from incidents.projections.clocks import Standing, Verdict, Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger
from incidents.projections.resolution import Resolved, correction_steps, resolve


@frozen
class Change:
    """One field changed by one correction: from what, to what, on whose word."""

    field: str
    before: object
    after: object
    correction: AmendmentEntry


@frozen
class Contribution:
    """One action of the explained metric and side, as the viewpoint treats it."""

    entry: Entry  # as corrected
    verdict: Verdict
    changes: tuple[Change, ...]


@frozen
class Explanation:
    metric: Metric
    side: str
    contributions: tuple[Contribution, ...]

    def counted(self) -> list[Contribution]:
        return [c for c in self.contributions if c.verdict.standing is Standing.COUNTED]


def _matches_side(action: CountedAction, side: str) -> bool:
    wanted = normalise_name(side)
    return wanted in (normalise_name(action.side.canonical), normalise_name(action.side.written))


def explain(
    ledger: Ledger, viewpoint: Viewpoint, metric: Metric, side: str, resolved: Resolved | None = None
) -> Explanation:
    """Every action of ``metric`` for ``side``, counted or not, with the reason and its corrections
    (``resolved``: the ledger as the viewpoint resolves it, if it was resolved already)."""
    resolved = resolve(ledger, viewpoint) if resolved is None else resolved
    originals = {entry.ref: entry for entry in ledger.entries}
    set_aside = {judged.entry.ref: judged.verdict for judged in resolved.set_aside}
    effective = {entry.ref: entry for entry in resolved.entries}
    contributions = []
    for ref, original in originals.items():
        entry = effective.get(ref, original)
        action = entry.action
        if not isinstance(action, CountedAction) or action.metric is not metric:
            continue
        if not _matches_side(action, side):
            continue
        verdict = set_aside.get(ref) or viewpoint.judge(entry)
        contributions.append(Contribution(entry, verdict, tuple(changes_of(original, resolved))))
    order = [Standing.COUNTED, Standing.UNCERTAIN, Standing.EXCLUDED]
    contributions.sort(key=lambda c: (order.index(c.verdict.standing), c.entry.occurred_order()))
    return Explanation(metric, side, tuple(contributions))


def changes_of(original: Entry, resolved: Resolved) -> Iterable[Change]:
    """The corrections in effect on an action, field by field, oldest first."""
    for step in correction_steps(original.action, resolved.applied.get(original.ref, ())):
        if step.after is None:
            continue
        assert isinstance(step.correction.amendment, Correction)
        for change in step.correction.amendment.changes:
            yield Change(
                change.field, getattr(step.before, change.field, None), change.value, step.correction
            )


# --- History ------------------------------------------------------------------------------------


IN_EFFECT = "in effect"
SET_ASIDE = "set aside"
NOT_IN_VIEW = "not in view"
RETRACTED = "retracted"


@frozen
class Happening:
    """One line of a history: an action stated, or an amendment made to it, and its standing
    from the viewpoint (in effect, set aside, not in view, retracted) with the reason."""

    ref: ActionRef
    entry: Entry | AmendmentEntry
    standing: str
    reason: str | None = None

    @property
    def position(self) -> int:
        return self.entry.position


def history(
    ledger: Ledger, viewpoint: Viewpoint, refs: Sequence[ActionRef], resolved: Resolved | None = None
) -> list[Happening]:
    """The actions ``refs`` and every amendment that touched them (or their amendments), as
    ``explain`` takes ``resolved``."""
    resolved = resolve(ledger, viewpoint) if resolved is None else resolved
    in_effect = {a.ref for targets in resolved.applied.values() for a in targets}
    not_applied = {amendment.ref: verdict.reason for amendment, verdict in resolved.not_applied}
    wanted = set(refs)
    happenings: list[Happening] = []
    for entry in ledger.entries:
        if entry.ref in wanted:
            happenings.append(_action_happening(entry, resolved, viewpoint))
    # Amendments of the actions, then amendments of those amendments (a retracted correction).
    touched = set(wanted)
    for _round in range(2):
        for amendment in ledger.amendments:
            if touched & set(amendment.amendment.targets) and amendment.ref not in touched:
                touched.add(amendment.ref)
                if amendment.ref in in_effect:
                    happening = Happening(amendment.ref, amendment, IN_EFFECT)
                elif amendment.ref in not_applied:
                    happening = Happening(amendment.ref, amendment, NOT_IN_VIEW, not_applied[amendment.ref])
                else:
                    happening = Happening(amendment.ref, amendment, RETRACTED)
                happenings.append(happening)
    happenings.sort(key=lambda happening: happening.position)
    return happenings


def _action_happening(entry: Entry, resolved: Resolved, viewpoint: Viewpoint) -> Happening:
    set_aside = resolved.set_aside_for(entry.ref)
    if set_aside is not None:
        return Happening(entry.ref, entry, SET_ASIDE, set_aside.verdict.reason)
    known = viewpoint.knows(entry)
    if known.standing is Standing.EXCLUDED:
        return Happening(entry.ref, entry, NOT_IN_VIEW, known.reason)
    return Happening(entry.ref, entry, IN_EFFECT, known.reason)
