"""Amendments applied: the actions as a viewpoint should count them.

Before any total is summed, the ledger's amendments that the viewpoint knows of (recorded by
``recorded_at``, published by ``known_at``; the occurred clock does not apply to them) are
applied to the actions:

1. a **retraction** takes an action, or another amendment, out;
2. **corrections** rewrite fields of their action, in recorded order;
3. actions **linked as duplicates** are one incident, counted once: as its *representative*
   member (the one a **preference** names, or else the most recently published), with each of
   its fields **resolved field by field** across the members (``merge``, the rule below);
4. members of one incident that really disagree on a field (a count, a date, a phase) are a
   **conflict**: all stay in the log, and ``conflicts`` lists them with the member whose value
   is used.

The rule for the representative, and for a real disagreement: the member a preference names
(``incidents prefer``), else the most recently published report (its publication's end, then
start; ties: the later recorded). Later reports of an incident usually know more (bodies
found, names confirmed).

**Field by field** (``merge``; the one statement of the rule, generic over every field of the
action's kind, so that a field added to the catalogue resolves without more code):

- a member that does not state a field (None, an empty list, or the field's default, such as a
  flag left False) does not disagree: the members that state it decide;
- lists (``forces``, ``regions``, ...) are unioned, in the order of the ranking (the
  representative's first), each item once (names by their canonical name, places by their key);
- dates (a ``DateSpan``): two spans disagree only when they share no day. Of the stated spans,
  the most precise (fewest days, then the finer ``Precision``) that no other stated span
  disagrees with wins before recency; where every span is contradicted by another, the ranking
  picks. A preference, where members disagree, picks the preferred member's span;
- any other value: members agree when their values are equal (names by their canonical name,
  places by their key); a real disagreement is a conflict, and the ranking picks (the preferred
  member, else the most recently published that states it);
- the representative's ``id``, ``quote`` and ``split_of`` are the incident's: they say which
  statement counts, and are never mixed.

Nothing is deleted: what is set aside is listed with the reason (``explain`` shows it).

Events that cannot be read (``ledger.Unreadable``) are listed as the viewpoint sees them: those
the store held at ``recorded_at``, but for those a retraction the viewpoint knows of names (a
retraction names ``report-key/action-id``, and needs nothing of the event it retracts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations
from typing import Any

import attrs
from attrs import frozen

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import (
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    Preference,
    Retraction,
    corrected,
)
from incidents.domain.values import DateSpan, Name, Place, Precision
from incidents.projections.clocks import Judged, Standing, Verdict, Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, Unreadable

RULE = "the most recently published report"
# What identifies the statement that counts for an incident: the representative's, never mixed.
IDENTITY_FIELDS = frozenset({"id", "quote", "split_of"})
PRECISE = "the most precise date that no other member contradicts"
AGREED = "the members that state it agree"
UNION = "every member's, unioned"


def comparable(value: object) -> object:
    """What two stated values are compared by: names by their canonical form ("PMF" and "Hashd
    al-Shaabi" agree), places by their key, anything else as it is."""
    if isinstance(value, Name):
        return value.canonical
    if isinstance(value, Place):
        return value.key
    return value


def stated(value: object, default: object = attrs.NOTHING) -> bool:
    """Whether a member states a field: None and an empty list say nothing, nor does a field's
    default (a flag left at False: what a report that does not mention it is given)."""
    if value is None or value == ():
        return False
    factory = getattr(default, "factory", None)  # an attrs Factory: the value it makes
    if callable(factory) and not getattr(default, "takes_self", False):
        default = factory()
    return default is attrs.NOTHING or value != default


def spans_disagree(first: DateSpan, second: DateSpan) -> bool:
    """Two dates of one thing disagree only when no day lies in both."""
    return first.end < second.start or second.end < first.start


PRECISION_RANK = {precision: rank for rank, precision in enumerate(Precision)}  # finer first


def precision_order(span: DateSpan) -> tuple[int, int]:
    """Spans by how precise they are: fewer days first, then the finer stated precision."""
    return (span.days, PRECISION_RANK[span.precision])


@frozen
class FieldResolution:
    """How one field of an incident was resolved: each member that states it, with its value;
    the value used, the member it is taken from (None: no member states it, or a union), and
    why. ``disagree`` marks a real disagreement: a conflict."""

    field: str
    value: object
    used: Entry | None
    stated: tuple[tuple[Entry, object], ...]
    disagree: bool
    how: str


@frozen
class Merged:
    """The members of one thing resolved field by field: the action that counts for them all."""

    action: ReportedAction
    fields: tuple[FieldResolution, ...]

    @property
    def disagreements(self) -> tuple[FieldResolution, ...]:
        return tuple(resolution for resolution in self.fields if resolution.disagree)


def ranked(members: Iterable[Entry], preferred: Entry | None = None) -> list[Entry]:
    """The members in the order the rule trusts them: the preferred one, then the most recently
    published (``ledger.latest_reported``'s order)."""
    order = sorted(
        members,
        key=lambda e: (e.report.source.published.end, e.report.source.published.start, e.position),
        reverse=True,
    )
    if preferred is not None:
        order.remove(preferred)
        order.insert(0, preferred)
    return order


def merge(members: Sequence[Entry], preferred: Entry | None = None, why: str = RULE) -> Merged:
    """The members (statements of one kind about one thing) resolved field by field, by the
    rule of this module's docstring; the representative is ``ranked(members, preferred)[0]``.
    ``why`` says why a disagreement picks as it does."""
    order = ranked(members, preferred)
    representative = order[0]
    fields: list[FieldResolution] = []
    values: dict[str, Any] = {}
    for spec in attrs.fields(type(representative.action)):
        if spec.name in IDENTITY_FIELDS:
            continue
        given = tuple(
            (member, value)
            for member in order
            if stated(value := getattr(member.action, spec.name, None), spec.default)
        )
        resolution = _resolve_field(spec.name, given, preferred is not None, why)
        if resolution is None:
            continue
        fields.append(resolution)
        values[spec.name] = resolution.value
    try:
        action = attrs.evolve(representative.action, **values)
    except (TypeError, ValueError):  # fields that cannot stand together: the representative's
        action = representative.action
    return Merged(action, tuple(fields))


def _resolve_field(
    name: str, given: tuple[tuple[Entry, object], ...], preference: bool, why: str
) -> FieldResolution | None:
    if not given:
        return None
    first_member, first_value = given[0]
    if all(isinstance(value, tuple) for _member, value in given):
        union: dict[object, object] = {}
        for _member, value in given:
            assert isinstance(value, tuple)
            for item in value:
                union.setdefault(comparable(item), item)
        used = first_member if len(given) == 1 else None
        return FieldResolution(name, tuple(union.values()), used, given, False, UNION)
    if all(isinstance(value, DateSpan) for _member, value in given):
        return _resolve_span(name, given, preference, why)
    distinct = {comparable(value) for _member, value in given}
    if len(distinct) == 1:
        return FieldResolution(name, first_value, first_member, given, False, AGREED)
    return FieldResolution(name, first_value, first_member, given, True, why)


def _resolve_span(
    name: str, given: tuple[tuple[Entry, object], ...], preference: bool, why: str
) -> FieldResolution:
    spans = [(member, value) for member, value in given if isinstance(value, DateSpan)]
    disagree = any(spans_disagree(a, b) for (_m, a), (_n, b) in combinations(spans, 2))
    if disagree and preference:
        member, span = spans[0]
        return FieldResolution(name, span, member, given, True, why)
    uncontradicted = [
        (rank, member, span)
        for rank, (member, span) in enumerate(spans)
        if not any(spans_disagree(span, other) for _other_member, other in spans)
    ]
    if not uncontradicted:
        member, span = spans[0]
        return FieldResolution(name, span, member, given, True, why)
    _rank, member, span = min(uncontradicted, key=lambda found: (precision_order(found[2]), found[0]))
    how = PRECISE if len({value for _m, value in spans}) > 1 else AGREED
    return FieldResolution(name, span, member, given, disagree, how)


@frozen
class Incident:
    """Actions linked as one incident, its representative member (whose statement counts for
    all of them), and the incident as it counts: its fields resolved across the members."""

    members: tuple[Entry, ...]  # as corrected, in recorded order
    chosen: Entry  # the representative: preferred, else the most recently published
    why: str  # "preferred by ..." or the rule
    links: tuple[AmendmentEntry, ...]
    merged: Merged

    @property
    def counted(self) -> Entry:
        """The entry that counts for the incident: the representative, its fields resolved."""
        if self.merged.action == self.chosen.action:
            return self.chosen
        return attrs.evolve(self.chosen, action=self.merged.action)


@frozen
class Resolved:
    """The actions as the viewpoint counts them, and what the amendments did."""

    entries: tuple[Entry, ...]  # corrected; retracted ones and absorbed duplicates left out
    set_aside: tuple[Judged, ...]  # retracted, or counted through another member of its incident
    applied: dict[ActionRef, tuple[AmendmentEntry, ...]]  # the amendments in effect, by target
    incidents: tuple[Incident, ...]
    not_applied: tuple[tuple[AmendmentEntry, Verdict], ...] = ()
    unreadable: tuple[Unreadable, ...] = ()  # events that cannot be read, not retracted

    def set_aside_for(self, ref: ActionRef) -> Judged | None:
        return next((judged for judged in self.set_aside if judged.entry.ref == ref), None)


def resolve(ledger: Ledger, viewpoint: Viewpoint) -> Resolved:
    """Apply the amendments the viewpoint knows of to the actions of the ledger."""
    if not ledger.amendments:
        return Resolved(ledger.entries, (), {}, (), (), unread(ledger.unreadable, (), viewpoint))
    known, not_applied = _known_amendments(ledger.amendments, viewpoint)
    in_effect = _not_retracted(known)
    unreadable = unread(ledger.unreadable, in_effect, viewpoint)
    applied: dict[ActionRef, list[AmendmentEntry]] = {}
    for amendment in in_effect:
        for target in amendment.amendment.targets:
            applied.setdefault(target, []).append(amendment)

    entries: list[Entry] = []
    set_aside: list[Judged] = []
    for entry in ledger.entries:
        amendments = applied.get(entry.ref, [])
        retraction = next((a for a in amendments if isinstance(a.amendment, Retraction)), None)
        if retraction is not None:
            set_aside.append(Judged(entry, Verdict(Standing.EXCLUDED, f"retracted by {_cite(retraction)}")))
            continue
        entries.append(_corrected(entry, amendments, not_applied))

    incidents = _incidents(entries, in_effect, viewpoint)
    absorbed: dict[ActionRef, Incident] = {}
    for incident in incidents:
        for member in incident.members:
            if member is not incident.chosen:
                absorbed[member.ref] = incident
    counted = {incident.chosen.ref: incident.counted for incident in incidents}
    kept: list[Entry] = []
    for entry in entries:
        absorbed_by = absorbed.get(entry.ref)
        if absorbed_by is None:
            kept.append(counted.get(entry.ref, entry))
            continue
        reason = (
            f"one incident with {absorbed_by.chosen.ref}, counted once as that, "
            f"its fields resolved across the members ({absorbed_by.why})"
        )
        set_aside.append(Judged(entry, Verdict(Standing.EXCLUDED, reason)))
    return Resolved(
        tuple(kept),
        tuple(set_aside),
        {target: tuple(found) for target, found in applied.items()},
        tuple(incidents),
        tuple(not_applied),
        unreadable,
    )


RESOLUTIONS = 4  # the resolutions of a ledger remembered (``Resolutions``): one per pair of clocks


class Resolutions:
    """A ledger and its resolutions, each made once while it is among the last ``bound`` asked
    for. ``resolve`` reads the reported and recorded clocks alone (the occurred clock does not
    apply to amendments; a property test holds it to that), so the viewpoints of one log at any
    as-of day share one resolution: the queries that fold, asked one after another for a view
    (and again at each step of its as-of day), resolve the log once."""

    def __init__(self, ledger: Ledger, bound: int = RESOLUTIONS) -> None:
        self.ledger = ledger
        self._bound = bound
        self._made: dict[Viewpoint, Resolved] = {}  # (in the order last asked for)

    def of(self, viewpoint: Viewpoint) -> Resolved:
        """``resolve(self.ledger, viewpoint)``."""
        clocks = viewpoint.without_as_of()
        found = self._made.pop(clocks, None)
        if found is None:
            found = resolve(self.ledger, clocks)
            while len(self._made) >= self._bound:
                del self._made[next(iter(self._made))]
        self._made[clocks] = found
        return found


def unread(
    unreadable: Iterable[Unreadable], in_effect: Iterable[AmendmentEntry], viewpoint: Viewpoint
) -> tuple[Unreadable, ...]:
    """The unreadable events the viewpoint sees (held by the store at ``recorded_at``; one of
    unknown time counts as held) that no retraction in effect names."""
    retracted = {a.amendment.target for a in in_effect if isinstance(a.amendment, Retraction)}
    return tuple(event for event in unreadable if event.ref not in retracted and _held(event, viewpoint))


def _held(event: Unreadable, viewpoint: Viewpoint) -> bool:
    if event.recorded is None:  # when it was recorded is unknown: by its position, else listed
        return not isinstance(viewpoint.recorded_at, int) or event.position <= viewpoint.recorded_at
    return viewpoint.sees_recording(event.position, event.recorded)


def _cite(amendment: AmendmentEntry) -> str:
    why = f": {amendment.amendment.reason}" if amendment.amendment.reason else ""
    return f"{amendment.ref} ({amendment.report.source.outlet}, {amendment.report.source.published}){why}"


def _known_amendments(
    amendments: Iterable[AmendmentEntry], viewpoint: Viewpoint
) -> tuple[list[AmendmentEntry], list[tuple[AmendmentEntry, Verdict]]]:
    known: list[AmendmentEntry] = []
    not_applied: list[tuple[AmendmentEntry, Verdict]] = []
    for amendment in amendments:
        verdict = viewpoint.knows(amendment)
        if verdict.standing is Standing.COUNTED:
            known.append(amendment)
        else:
            # A correction whose publication straddles the known-at date is not applied: the
            # figure stands as first reported, and the correction is listed as not applied.
            not_applied.append((amendment, verdict))
    return known, not_applied


def _not_retracted(amendments: Sequence[AmendmentEntry]) -> list[AmendmentEntry]:
    retracted = {
        amendment.amendment.target for amendment in amendments if isinstance(amendment.amendment, Retraction)
    }
    return [a for a in amendments if a.ref not in retracted]


@frozen
class CorrectionStep:
    """One correction applied to an action: the action before it, and after it (None, with the
    reason, when it cannot apply)."""

    correction: AmendmentEntry
    before: ReportedAction
    after: ReportedAction | None
    error: str | None = None


def correction_steps(
    action: ReportedAction, amendments: Iterable[AmendmentEntry]
) -> Iterator[CorrectionStep]:
    """The corrections among ``amendments``, applied to ``action`` in recorded order."""
    for amendment in sorted(amendments, key=lambda a: a.position):
        if not isinstance(amendment.amendment, Correction):
            continue
        try:
            after = corrected(action, amendment.amendment)
        except ValueError as error:  # checked when loaded; a later correction may still clash
            yield CorrectionStep(amendment, action, None, str(error))
            continue
        yield CorrectionStep(amendment, action, after)
        action = after


def _corrected(
    entry: Entry,
    amendments: Sequence[AmendmentEntry],
    not_applied: list[tuple[AmendmentEntry, Verdict]],
) -> Entry:
    action: ReportedAction = entry.action
    for step in correction_steps(action, amendments):
        if step.after is None:
            not_applied.append((step.correction, Verdict(Standing.EXCLUDED, str(step.error))))
        else:
            action = step.after
    return entry if action is entry.action else attrs.evolve(entry, action=action)


def _incidents(
    entries: Sequence[Entry], amendments: Sequence[AmendmentEntry], viewpoint: Viewpoint
) -> list[Incident]:
    links = [a for a in amendments if isinstance(a.amendment, DuplicateLink)]
    if not links:
        return []
    parent: dict[ActionRef, ActionRef] = {}

    def root(ref: ActionRef) -> ActionRef:
        while parent.get(ref, ref) != ref:
            ref = parent[ref]
        return ref

    for link in links:
        for ref in link.amendment.targets:
            parent.setdefault(ref, ref)
        first, *others = link.amendment.targets
        for other in others:
            parent[root(other)] = root(first)
    by_ref = {entry.ref: entry for entry in entries}
    groups: dict[ActionRef, list[Entry]] = {}
    for ref in parent:
        entry = by_ref.get(ref)
        # Members the viewpoint does not know of yet cannot absorb, nor be absorbed.
        if entry is not None and viewpoint.knows(entry).standing is not Standing.EXCLUDED:
            groups.setdefault(root(ref), []).append(entry)
    preferences = [a for a in amendments if isinstance(a.amendment, Preference)]
    incidents = []
    links_of: dict[ActionRef, list[int]] = {}  # each linked action's links, by their order
    for index, link in enumerate(links):
        for ref in link.amendment.targets:
            links_of.setdefault(ref, []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda e: e.position)
        refs = {member.ref for member in members}
        preferred, why = _preferred(members, [p for p in preferences if p.amendment.targets[0] in refs])
        merged = merge(members, preferred, why)
        chosen = ranked(members, preferred)[0]
        group_links = tuple(
            links[index] for index in sorted({i for ref in refs for i in links_of.get(ref, ())})
        )
        incidents.append(Incident(tuple(members), chosen, why, group_links, merged))
    incidents.sort(key=lambda incident: incident.counted.occurred_order())
    return incidents


def _preferred(members: Sequence[Entry], preferences: Sequence[AmendmentEntry]) -> tuple[Entry | None, str]:
    """The member the latest preference in effect names (None: none does), and why it is used."""
    if preferences:
        latest = max(preferences, key=lambda p: p.position)
        target: Amendment = latest.amendment
        chosen = next(m for m in members if m.ref == target.targets[0])
        return chosen, f"preferred by {_cite(latest)}"
    return None, RULE
