"""What changed: the log's own statements, read after a point of one clock, each with what it
did to the actions it touches.

The log is append-only, so "what changed since T" is nothing but the statements recorded after
T (the recorded clock: a store position or time), or published after a day D (the reported
clock), in order: every action stated, and every correction, retraction, duplicate link and
preference. What an amendment *did* is not stored anywhere, and need not be: it is the
difference between its cluster (the actions and amendments that name one another) resolved
without it and with it, by the fold's own ``resolve``. So a correction says ``count 1 -> 2``, a
retraction ``standing in effect -> retracted`` (and, of a correction, the corrected fields
going back), a link which member is now counted once as the other, a preference which member's
figures count. Only the cluster is resolved, never the whole log: ``ClusterSource`` gives it
(from the read model's cluster tables, or from a ledger already read).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol

import attrs
from attrs import frozen

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import ActionRef, Retraction
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, Unreadable, naming, reachable
from incidents.projections.resolution import Resolved, resolve

STATED = "stated"
IN_EFFECT = "in effect"
RETRACTED = "retracted"
# The outlet of a report an analyst made on the command line (``amending.Attribution``).
ANALYST_OUTLET = "analyst: "
NOW = Viewpoint()

Statement = Entry | AmendmentEntry
RecordedClock = datetime | int


@frozen
class Effect:
    """One thing an amendment changed: a field of an action (or ``standing``: whether it counts,
    and how), from what to what."""

    ref: ActionRef
    field: str
    before: object
    after: object


@frozen
class ChangeEntry:
    """One statement of the log: an action stated or an amendment, with its report and
    recording, and what it changed (nothing, for an action stated: it is new)."""

    entry: Statement
    effects: tuple[Effect, ...] = ()
    note: str | None = None  # why it is listed though uncertain (a publication straddling D)

    @property
    def kind(self) -> str:
        return STATED if isinstance(self.entry, Entry) else self.entry.amendment.kind

    @property
    def position(self) -> int:
        return self.entry.position

    @property
    def recorded_by(self) -> str | None:
        """Who recorded it, where the log says: the analyst an amendment made on the command line
        names (``--by``, by default the login name). A report file says nothing of who loaded it."""
        outlet = self.entry.report.source.outlet
        return outlet.removeprefix(ANALYST_OUTLET) if outlet.startswith(ANALYST_OUTLET) else None


@frozen
class Changes:
    """The statements after a point of a clock, in order, and where a feed resumes."""

    entries: tuple[ChangeEntry, ...]
    since: RecordedClock | None
    until: RecordedClock | None
    known_since: date | None
    resume_from: int  # the last position read: the next increment asks --since this
    unreadable: tuple[Unreadable, ...] = ()


class ClusterSource(Protocol):
    """The actions and amendments connected to some refs (an amendment to what it names, and to
    the amendments that name it), as a ledger in recorded order."""

    def cluster(self, refs: Iterable[ActionRef]) -> Ledger: ...


class LedgerClusters:
    """Clusters found in a ledger already read (the fold's path)."""

    def __init__(self, ledger: Ledger) -> None:
        self._entries = {entry.ref: entry for entry in ledger.entries}
        self._amendments = {amendment.ref: amendment for amendment in ledger.amendments}
        self._naming = naming(ledger.amendments)

    def _touching(self, ref: ActionRef) -> list[AmendmentEntry]:
        """The amendment ``ref`` names (if it is one), and those that name it."""
        own = self._amendments.get(ref)
        return [*([own] if own is not None else []), *self._naming.get(ref, ())]

    def cluster(self, refs: Iterable[ActionRef]) -> Ledger:
        members = reachable(
            refs,
            lambda ref: [
                linked
                for amendment in self._touching(ref)
                for linked in (*amendment.amendment.targets, amendment.ref)
            ],
        )
        entries = {entry.position: entry for ref in members if (entry := self._entries.get(ref)) is not None}
        amendments = {amendment.position: amendment for ref in members for amendment in self._touching(ref)}
        return Ledger(
            tuple(entries[p] for p in sorted(entries)), tuple(amendments[p] for p in sorted(amendments))
        )


def up_to(ledger: Ledger, position: int) -> Ledger:
    """The part of a ledger recorded at or before ``position``."""
    return Ledger(
        tuple(entry for entry in ledger.entries if entry.position <= position),
        tuple(amendment for amendment in ledger.amendments if amendment.position <= position),
    )


def standings(resolved: Resolved) -> dict[ActionRef, tuple[ReportedAction, str]]:
    """Each action of a resolved ledger as it stands: as amended, and in effect, retracted, or
    counted once as another member of its incident."""
    found: dict[ActionRef, tuple[ReportedAction, str]] = {
        entry.ref: (entry.action, IN_EFFECT) for entry in resolved.entries
    }
    absorbed = {
        member.ref: incident.chosen.ref
        for incident in resolved.incidents
        for member in incident.members
        if member is not incident.chosen
    }
    for judged in resolved.set_aside:
        ref = judged.entry.ref
        retracted = any(isinstance(a.amendment, Retraction) for a in resolved.applied.get(ref, ()))
        standing = RETRACTED if retracted else f"counted once as {absorbed.get(ref, '?')}"
        found[ref] = (judged.entry.action, standing)
    return found


def amendments_in_effect(resolved: Resolved) -> set[ActionRef]:
    return {amendment.ref for found in resolved.applied.values() for amendment in found}


def effects_of(amendment: AmendmentEntry, cluster: Ledger) -> tuple[Effect, ...]:
    """What recording ``amendment`` changed in its cluster: its cluster resolved as the store held
    it just before, and just after."""
    before_ledger = up_to(cluster, amendment.position - 1)
    before = resolve(before_ledger, NOW)
    after = resolve(up_to(cluster, amendment.position), NOW)
    effects: list[Effect] = []
    was, now = standings(before), standings(after)
    for entry in before_ledger.entries:
        old, new = was.get(entry.ref), now.get(entry.ref)
        if old is None or new is None:
            continue
        (old_action, old_standing), (new_action, new_standing) = old, new
        if old_action != new_action:
            for spec in attrs.fields(type(old_action)):
                old_value, new_value = getattr(old_action, spec.name), getattr(new_action, spec.name, None)
                if old_value != new_value:
                    effects.append(Effect(entry.ref, spec.name, old_value, new_value))
        if old_standing != new_standing:
            effects.append(Effect(entry.ref, "standing", old_standing, new_standing))
    # An amendment retracted (a correction taken back) is an effect of its own.
    in_effect_before, in_effect_after = amendments_in_effect(before), amendments_in_effect(after)
    for other in before_ledger.amendments:
        if (other.ref in in_effect_before) != (other.ref in in_effect_after):
            old_standing = IN_EFFECT if other.ref in in_effect_before else RETRACTED
            new_standing = IN_EFFECT if other.ref in in_effect_after else RETRACTED
            effects.append(Effect(other.ref, "standing", old_standing, new_standing))
    return tuple(effects)


def change_entries(
    statements: Iterable[Statement], clusters: ClusterSource, notes: dict[int, str] | None = None
) -> list[ChangeEntry]:
    """The change entries of statements read in order: an amendment with what it changed."""
    found: list[ChangeEntry] = []
    for statement in statements:
        note = (notes or {}).get(statement.position)
        if isinstance(statement, Entry):
            found.append(ChangeEntry(statement, (), note))
            continue
        cluster = clusters.cluster([statement.ref, *statement.amendment.targets])
        found.append(ChangeEntry(statement, effects_of(statement, cluster), note))
    return found


def within(
    position: int, recorded: datetime | None, since: RecordedClock | None, until: RecordedClock | None
) -> bool:
    """Whether a recording is after ``since`` and by ``until`` (positions or times; None: open).
    A recording of unknown time (an unreadable event's) is placed by its position alone."""
    after = since is None or (
        position > since if isinstance(since, int) else recorded is None or recorded > since
    )
    by = until is None or (
        position <= until if isinstance(until, int) else recorded is None or recorded <= until
    )
    return after and by


def publication_after(statement: Statement, day: date) -> tuple[bool, str | None]:
    """Whether a statement's report was published after ``day`` (the reported clock), and the
    reason it is uncertain when its publication straddles the day (listed, never dropped)."""
    published = statement.report.source.published
    if published.end <= day:
        return False, None
    if published.start > day:
        return True, None
    return True, f"published {published} straddles the known-since date {day}"


def known_since(statements: Sequence[Statement], day: date) -> tuple[list[Statement], dict[int, str]]:
    """The statements published after ``day``, in publication order (then recorded order), and
    the notes of those whose publication straddles it (listed, never dropped)."""
    kept: list[Statement] = []
    notes: dict[int, str] = {}
    for statement in statements:
        after, note = publication_after(statement, day)
        if not after:
            continue
        if note is not None:
            notes[statement.position] = note
        kept.append(statement)
    kept.sort(key=lambda s: (s.report.source.published.start, s.report.source.published.end, s.position))
    return kept, notes
