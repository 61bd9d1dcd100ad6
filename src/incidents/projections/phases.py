"""Phases as a timeline: each operation's numbered phases, launched and ended, with every source.

A phase is a row per operation and phase number *as the sources number it*. Its launch is
resolved across the launch statements of that number (``resolution.merge``, the same field by
field rule as a linked incident: the most precise date no other contradicts, regions and forces
unioned, a real disagreement picked by the ranking), and so is its end.

What does not fit a row is shown on it, never as a second row of the same number:

- **dated apart**: a launch numbered like this phase but dated apart from the phase's launch
  (no day in common) is another source's claim about a different launch; it stays out of the
  row's launch and is listed on the row (and marked in ``replay`` and ``export``). Which launch
  the row keeps: of the launches of its number, those no other report numbers differently come
  first; among them the resolution rule picks (``resolution.merge``);
- **numbered differently**: a launch of the same operation on overlapping dates, from another
  report, that gives another number. Both rows stay, each marked: linking the two statements
  (``incidents link``) makes them one launch whose number the ranking picks;
- **not linked**: launches of this phase from different reports on overlapping dates, not linked
  as one incident: likely one launch reported twice (``conflicts`` prints the ``incidents link``
  command). The row already shows them as one launch; linking makes it so in every answer;
- **disagreements** within a linked launch (the phase number, the date, the supervisor), as
  ``conflicts`` lists them.

All three clocks apply: a launch or end counts once its span ends by ``as_of`` (a straddling one
is uncertain, listed apart, as in every query), and only what the store held and had been
published is seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from attrs import frozen

from incidents.domain.actions import PhaseEnded, PhaseLaunched, ReportedAction
from incidents.domain.amendments import ActionRef
from incidents.domain.values import DateSpan
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry, Unreadable
from incidents.projections.resolution import (
    FieldResolution,
    Incident,
    Merged,
    Resolved,
    merge,
    spans_disagree,
)

PhaseKey = tuple[str | None, int | None]  # (operation's canonical name, phase number)

DATED_APART = "dated apart"
NUMBERED_DIFFERENTLY = "numbered differently"
NOT_LINKED = "not linked"


def operation_of(action: ReportedAction) -> str | None:
    return action.operation.canonical if action.operation else None


def phase_key(action: ReportedAction) -> PhaseKey:
    return (operation_of(action), action.phase)


@frozen
class Dispute:
    """A launch statement another one contradicts: ``entry`` (the statement marked) against
    ``other`` (the launch it disagrees with), of ``kind`` (DATED_APART, NUMBERED_DIFFERENTLY,
    NOT_LINKED)."""

    kind: str
    entry: Entry
    other: Entry

    @property
    def text(self) -> str:
        """The dispute in a line, as ``phases``, ``replay`` and ``export`` mark it."""
        mine, theirs = self.entry.action, self.other.action
        cite = f"{self.other.report.source.outlet}, {self.other.report.source.published}"
        if self.kind == DATED_APART:
            return (
                f"phase {mine.phase} dated {mine.occurred} here; the phase's launch is "
                f"{theirs.occurred} ({cite}): another launch, or a wrong number or date"
            )
        if self.kind == NUMBERED_DIFFERENTLY:
            return (
                f"numbered phase {mine.phase} here; {cite} numbers the launch of {theirs.occurred} "
                f"phase {theirs.phase}: incidents link {self.entry.ref} {self.other.ref} "
                "if they are one launch"
            )
        return (
            f"also reported by {cite}, not linked: "
            f"incidents link {self.entry.ref} {self.other.ref} if they are one launch"
        )


@frozen
class Phase:
    """One phase of one operation as the sources number it.

    ``launch``/``end``: the launch and end statements the row is resolved from (each as
    resolution counts it: a linked incident is one entry, its fields resolved), and
    ``launched``/``ended`` what they resolve to (None: none is counted). ``sources`` is every
    statement behind the row, the members of linked incidents included. ``disputes`` are what
    the row is marked with; ``disagreements`` the fields its statements disagree on."""

    operation: str | None
    phase: int | None
    launch: tuple[Entry, ...]
    launched: Merged | None
    end: tuple[Entry, ...]
    ended: Merged | None
    sources: tuple[Entry, ...]
    disputes: tuple[Dispute, ...]
    disagreements: tuple[FieldResolution, ...]

    @property
    def launched_on(self) -> DateSpan | None:
        return self.launched.action.occurred if self.launched else None

    @property
    def ended_on(self) -> DateSpan | None:
        return self.ended.action.occurred if self.ended else None

    @property
    def launch_action(self) -> PhaseLaunched | None:
        action = self.launched.action if self.launched else None
        return action if isinstance(action, PhaseLaunched) else None


@frozen
class Phases:
    phases: tuple[Phase, ...]
    uncertain: tuple[Judged, ...]
    unreadable: tuple[Unreadable, ...] = ()
    operation: str | None = None  # the operation asked about (None: every operation)

    def disputes(self) -> dict[ActionRef, Dispute]:
        """The launch statements a row marks as another source's claim (dated apart, or numbered
        differently), by the statement's ref: what ``replay`` and ``export`` mark."""
        found: dict[ActionRef, Dispute] = {}
        for phase in self.phases:
            for dispute in phase.disputes:
                if dispute.kind != NOT_LINKED:
                    found.setdefault(dispute.entry.ref, dispute)
        return found


def phase_timeline(resolved: Resolved, viewpoint: Viewpoint, operation: str | None = None) -> Phases:
    """Every phase of every operation (or of ``operation``, a canonical name) as of the viewpoint,
    in order of operation and phase number."""
    entries = [e for e in resolved.entries if operation is None or operation_of(e.action) == operation]
    launches, uncertain_launches = partition(entries, viewpoint, PhaseLaunched)
    ends, uncertain_ends = partition(entries, viewpoint, PhaseEnded)
    incidents = _by_counted(resolved.incidents)
    launches_by: dict[PhaseKey, list[Entry]] = {}
    for entry in launches:
        launches_by.setdefault(phase_key(entry.action), []).append(entry)
    ends_by: dict[PhaseKey, list[Entry]] = {}
    for entry in ends:
        ends_by.setdefault(phase_key(entry.action), []).append(entry)
    renumbered = _numbered_differently(launches)
    phases = [
        _phase(key, launches_by.get(key, []), ends_by.get(key, []), renumbered, incidents)
        for key in sorted({*launches_by, *ends_by}, key=_phase_order)
    ]
    uncertain = sorted(
        [*uncertain_launches, *uncertain_ends], key=lambda judged: judged.entry.occurred_order()
    )
    return Phases(tuple(phases), tuple(uncertain), resolved.unreadable, operation)


def _phase_order(key: PhaseKey) -> tuple[bool, str, bool, int]:
    operation, number = key
    return (operation is None, operation or "", number is None, number or 0)


def _by_counted(incidents: Iterable[Incident]) -> dict[ActionRef, Incident]:
    """Each linked incident, by the ref of the entry that counts for it."""
    return {incident.chosen.ref: incident for incident in incidents}


def _numbered_differently(launches: Sequence[Entry]) -> dict[ActionRef, list[Entry]]:
    """For each launch, the launches of its operation from other reports, on overlapping dates,
    that give another phase number."""
    found: dict[ActionRef, list[Entry]] = {}
    for first, second in combinations(launches, 2):
        a, b = first.action, second.action
        if operation_of(a) != operation_of(b) or a.phase == b.phase or first.report.key == second.report.key:
            continue
        if spans_disagree(a.occurred, b.occurred):
            continue
        found.setdefault(first.ref, []).append(second)
        found.setdefault(second.ref, []).append(first)
    return found


def _phase(
    key: PhaseKey,
    launches: list[Entry],
    ends: list[Entry],
    renumbered: dict[ActionRef, list[Entry]],
    incidents: dict[ActionRef, Incident],
) -> Phase:
    disputes: list[Dispute] = []
    launch: list[Entry] = []
    launched: Merged | None = None
    if launches:
        # The launch the row keeps: of the launches no other report numbers differently (else
        # of all), what the resolution rule makes of them; the rest agree with it or not.
        undisputed = [entry for entry in launches if entry.ref not in renumbered] or launches
        kept = merge(undisputed).action.occurred
        launch = [entry for entry in launches if not spans_disagree(entry.action.occurred, kept)]
        launched = merge(launch)
        for entry in launches:
            if entry not in launch:
                disputes.append(Dispute(DATED_APART, entry, launch[0]))
        for entry in launch:
            others = renumbered.get(entry.ref, ())
            disputes.extend(Dispute(NUMBERED_DIFFERENTLY, entry, other) for other in others)
        for first, second in combinations(launch, 2):
            if first.report.key != second.report.key:
                disputes.append(Dispute(NOT_LINKED, first, second))
    ended = merge(ends) if ends else None
    sources: list[Entry] = []
    for entry in [*launch, *ends]:
        incident = incidents.get(entry.ref)
        sources.extend(incident.members if incident else (entry,))
    disagreements = _disagreements(launched, ended, [*launch, *ends], incidents)
    operation, number = key
    return Phase(
        operation,
        number,
        tuple(launch),
        launched,
        tuple(ends),
        ended,
        tuple(sources),
        tuple(disputes),
        disagreements,
    )


def _disagreements(
    launched: Merged | None,
    ended: Merged | None,
    statements: Sequence[Entry],
    incidents: dict[ActionRef, Incident],
) -> tuple[FieldResolution, ...]:
    """Where the row's statements disagree: within the launch and the end across reports, and
    within each linked incident behind them (its fields as resolution resolved them)."""
    found: list[FieldResolution] = []
    for merged in (launched, ended):
        if merged is not None:
            found.extend(merged.disagreements)
    for entry in statements:
        incident = incidents.get(entry.ref)
        if incident is not None:
            found.extend(incident.merged.disagreements)
    return tuple(found)
