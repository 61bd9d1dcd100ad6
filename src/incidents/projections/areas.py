"""Area status: a small state machine driven by reported actions, with its history.

threatened -> clearing -> cleared -> threatened again on a later report. Transitions apply in
occurred order; the status "since" is when the current run of that status began.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
from attrs import frozen

from incidents.domain.actions import AreaAction, AreaStatus
from incidents.domain.values import DateSpan, Place, normalise_name
from incidents.projections.clocks import Judged, Standing, Viewpoint, partition
from incidents.projections.ledger import Entry, Unreadable


@frozen
class Transition:
    """A reported status of an area, with the entry that reports it."""

    entry: Entry
    action: AreaAction

    @property
    def status(self) -> AreaStatus:
        return self.action.status


@frozen
class AreaState:
    """An area's status as of a viewpoint: since when, on whose report; and what is pending."""

    place: Place
    written: tuple[str, ...]  # every spelling the sources used
    status: AreaStatus
    since: DateSpan
    reported_by: Transition  # the transition that began the current status
    latest: Transition  # the latest counted report of it
    pending: tuple[Judged, ...]  # later transitions whose date straddles the viewpoint


def area_order(place: Place) -> tuple[str, str, str]:
    """The order areas are listed in: by province (unresolved last), label, key."""
    return (place.province or "~", place.label.casefold(), place.key)


@frozen(kw_only=True)
class AreaFilter:
    """Which areas an answer keeps: those in any of ``provinces`` (as the gazetteer names them,
    and so as ``Place.province`` holds them), whose status is any of ``statuses``; an empty set
    keeps every one. An area with no counted status yet (its transitions all uncertain) is kept
    by the province and the status its transitions report."""

    provinces: frozenset[str] = frozenset()
    statuses: frozenset[AreaStatus] = frozenset()

    @property
    def keeps_every_area(self) -> bool:
        return not self.provinces and not self.statuses

    def keeps(self, place: Place, status: AreaStatus) -> bool:
        return (not self.provinces or place.province in self.provinces) and (
            not self.statuses or status in self.statuses
        )

    def applied(self, answer: Areas) -> Areas:
        """The answer with only the areas this filter keeps (the answer itself if it keeps all)."""
        if self.keeps_every_area:
            return answer
        states = tuple(state for state in answer.states if self.keeps(state.place, state.status))
        uncertain = tuple(judged for judged in answer.uncertain if self._keeps_pending(judged))
        return attrs.evolve(answer, states=states, uncertain=uncertain, only=self)

    def _keeps_pending(self, judged: Judged) -> bool:
        action = judged.entry.action
        return isinstance(action, AreaAction) and self.keeps(action.area, action.status)


EVERY_AREA = AreaFilter()


@frozen
class Areas:
    states: tuple[AreaState, ...]
    uncertain: tuple[Judged, ...]  # transitions of areas with no counted status yet
    unreadable: tuple[Unreadable, ...] = ()  # recorded events that cannot be read: not counted
    only: AreaFilter = EVERY_AREA  # the areas asked for (``AreaFilter.applied``)


def _transitions_by_area(entries: Iterable[Entry]) -> dict[str, list[Transition]]:
    by_area: dict[str, list[Transition]] = {}
    for entry in entries:
        if isinstance(entry.action, AreaAction):
            by_area.setdefault(entry.action.area.key, []).append(Transition(entry, entry.action))
    for transitions in by_area.values():
        transitions.sort(key=lambda t: t.entry.occurred_order())
    return by_area


def current_run(statuses: Sequence[AreaStatus]) -> int:
    """Where the current status began: the index of the first of the trailing run of statuses
    equal to the last one (``statuses`` in occurred order, not empty)."""
    began = len(statuses) - 1
    while began > 0 and statuses[began - 1] is statuses[-1]:
        began -= 1
    return began


def area_states(
    entries: Iterable[Entry], viewpoint: Viewpoint, unreadable: Sequence[Unreadable] = ()
) -> Areas:
    states: list[AreaState] = []
    uncertain: list[Judged] = []
    for transitions in _transitions_by_area(entries).values():
        counted_entries, pending = partition((t.entry for t in transitions), viewpoint)
        counted = [Transition(e, e.action) for e in counted_entries if isinstance(e.action, AreaAction)]
        if not counted:
            uncertain.extend(pending)
            continue
        began = counted[current_run([t.status for t in counted])]
        latest = counted[-1]
        states.append(
            AreaState(
                place=latest.action.area,
                written=tuple(dict.fromkeys(t.action.area.written for t in transitions)),
                status=latest.status,
                since=began.action.occurred,
                reported_by=began,
                latest=latest,
                pending=tuple(pending),
            )
        )
    states.sort(key=lambda state: area_order(state.place))
    uncertain.sort(key=lambda judged: judged.entry.occurred_order())
    return Areas(tuple(states), tuple(uncertain), tuple(unreadable))


@frozen
class AreaHistory:
    """Every reported status of the areas a name matches, in occurred order, with its standing."""

    name: str
    transitions: tuple[tuple[Transition, Standing], ...]


def area_history(entries: Iterable[Entry], viewpoint: Viewpoint, name: str) -> AreaHistory:
    """Every reported status of the areas whose name or spelling matches ``name``."""
    wanted = normalise_name(name)
    history: list[tuple[Transition, Standing]] = []
    for key, transitions in _transitions_by_area(entries).items():
        names = {normalise_name(key)} | {normalise_name(t.action.area.written) for t in transitions}
        names |= {normalise_name(t.action.area.label) for t in transitions}
        if wanted in names:
            history.extend((t, viewpoint.judge(t.entry).standing) for t in transitions)
    history.sort(key=lambda item: item[0].entry.occurred_order())
    return AreaHistory(name, tuple((t, s) for t, s in history if s is not Standing.EXCLUDED))
