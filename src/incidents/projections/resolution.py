"""Amendments applied: the actions as a viewpoint should count them.

Before any total is summed, the ledger's amendments that the viewpoint knows of (recorded by
``recorded_at``, published by ``known_at``; the occurred clock does not apply to them) are
applied to the actions:

1. a **retraction** takes an action, or another amendment, out;
2. **corrections** rewrite fields of their action, in recorded order;
3. actions **linked as duplicates** are one incident, counted once: as the member a
   **preference** names, or else by the rule below;
4. members of one incident that disagree (a count, a date, a phase) are a **conflict**: both stay
   in the log, and ``conflicts`` lists them.

The rule for which member of an incident counts: the most recently published report (its
publication's end, then start; ties: the later recorded). Later reports of an incident usually
know more (bodies found, names confirmed). ``incidents prefer`` overrides it.

Nothing is deleted: what is set aside is listed with the reason (``explain`` shows it).

Events that cannot be read (``ledger.Unreadable``) are listed as the viewpoint sees them: those
the store held at ``recorded_at``, but for those a retraction the viewpoint knows of names (a
retraction names ``report-key/action-id``, and needs nothing of the event it retracts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

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
from incidents.domain.values import Name, Place
from incidents.projections.clocks import Judged, Standing, Verdict, Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, Unreadable, latest_reported

RULE = "the most recently published report"
COMPARED_FIELDS_SKIPPED = frozenset({"id", "quote", "split_of"})


@frozen
class Incident:
    """Actions linked as one incident, and the member that counts for all of them."""

    members: tuple[Entry, ...]  # as corrected, in recorded order
    chosen: Entry
    why: str  # "preferred by ..." or the rule
    links: tuple[AmendmentEntry, ...]

    def differences(self) -> dict[str, list[tuple[Entry, object]]]:
        """The fields on which members disagree, with each member's value. A source that does
        not state a field (None) does not disagree with one that does."""
        names = [
            f.name for f in attrs.fields(type(self.chosen.action)) if f.name not in COMPARED_FIELDS_SKIPPED
        ]
        found: dict[str, list[tuple[Entry, object]]] = {}
        for name in names:
            values = [(member, getattr(member.action, name, None)) for member in self.members]
            stated = {_comparable(value) for _member, value in values if value not in (None, ())}
            if len(stated) > 1:
                found[name] = values
        return found


def _comparable(value: object) -> str:
    """Names compare by their canonical form: "PMF" and "Hashd al-Shaabi" agree."""
    if isinstance(value, Name):
        return value.canonical
    if isinstance(value, Place):
        return value.key
    return repr(value)


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
    kept: list[Entry] = []
    for entry in entries:
        absorbed_by = absorbed.get(entry.ref)
        if absorbed_by is None:
            kept.append(entry)
            continue
        reason = f"one incident with {absorbed_by.chosen.ref}, counted once as that ({absorbed_by.why})"
        set_aside.append(Judged(entry, Verdict(Standing.EXCLUDED, reason)))
    return Resolved(
        tuple(kept),
        tuple(set_aside),
        {target: tuple(found) for target, found in applied.items()},
        tuple(incidents),
        tuple(not_applied),
        unreadable,
    )


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
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda e: e.position)
        refs = {member.ref for member in members}
        chosen, why = _choose(members, [p for p in preferences if p.amendment.targets[0] in refs])
        group_links = tuple(link for link in links if refs & set(link.amendment.targets))
        incidents.append(Incident(tuple(members), chosen, why, group_links))
    incidents.sort(key=lambda incident: incident.chosen.occurred_order())
    return incidents


def _choose(members: Sequence[Entry], preferences: Sequence[AmendmentEntry]) -> tuple[Entry, str]:
    if preferences:
        latest = max(preferences, key=lambda p: p.position)
        target: Amendment = latest.amendment
        chosen = next(m for m in members if m.ref == target.targets[0])
        return chosen, f"preferred by {_cite(latest)}"
    return latest_reported(members), RULE
