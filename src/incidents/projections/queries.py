"""Every query as a fold of the whole log: the amendments the viewpoint knows of applied, then
the query's projection. These are the definition of every answer; the read model is tested to
give exactly the same answer objects for the queries it serves (totals, areas).

Each function takes the ledger (or plain entries, for a log without amendments) and a viewpoint,
and returns the projection's own typed answer; ``incidents.output`` shapes it for people.
"""

from __future__ import annotations

from collections.abc import Sequence

from incidents.domain.actions import Metric
from incidents.domain.amendments import ActionRef
from incidents.projections.areas import AreaHistory, Areas, area_history, area_states
from incidents.projections.claims import Claims, compare_claims
from incidents.projections.clocks import Viewpoint
from incidents.projections.conflicts import Conflict, find_conflicts
from incidents.projections.ledger import Entry, Ledger
from incidents.projections.phases import Phases, phase_timeline
from incidents.projections.provenance import Explanation, Happening, explain, history
from incidents.projections.replay import Replay, replay
from incidents.projections.resolution import Resolved, resolve
from incidents.projections.strength import Strength, strength_estimates
from incidents.projections.totals import Totals, totals

# What a fold reads: the whole ledger, or plain entries (a log without amendments).
LogView = Ledger | Sequence[Entry]


def effective(log: LogView, viewpoint: Viewpoint) -> tuple[Entry, ...]:
    """The actions as the viewpoint counts them: with the amendments it knows of applied."""
    if isinstance(log, Ledger):
        return resolve(log, viewpoint).entries
    return tuple(log)


def _ledger(log: LogView) -> Ledger:
    return log if isinstance(log, Ledger) else Ledger(tuple(log))


def _resolved(log: LogView, viewpoint: Viewpoint) -> Resolved:
    """The log as the viewpoint resolves it (a log of plain entries: as it is)."""
    return resolve(_ledger(log), viewpoint)


def totals_of(log: LogView, viewpoint: Viewpoint, by: Sequence[str] = ()) -> Totals:
    resolved = _resolved(log, viewpoint)
    return totals(resolved.entries, viewpoint, by, resolved.unreadable)


def areas_of(log: LogView, viewpoint: Viewpoint) -> Areas:
    resolved = _resolved(log, viewpoint)
    return area_states(resolved.entries, viewpoint, resolved.unreadable)


def area_history_of(log: LogView, viewpoint: Viewpoint, name: str) -> AreaHistory:
    return area_history(effective(log, viewpoint), viewpoint, name)


def claims_of(log: LogView, viewpoint: Viewpoint) -> Claims:
    return compare_claims(effective(log, viewpoint), viewpoint)


def replay_of(log: LogView, viewpoint: Viewpoint) -> Replay:
    """The replay, its launch statements marked as ``phases`` marks them."""
    resolved = _resolved(log, viewpoint)
    return replay(resolved.entries, viewpoint, phase_timeline(resolved, viewpoint).disputes())


def strength_of(log: LogView, viewpoint: Viewpoint) -> Strength:
    return strength_estimates(effective(log, viewpoint), viewpoint)


def explain_of(log: LogView, viewpoint: Viewpoint, metric: Metric, side: str) -> Explanation:
    return explain(_ledger(log), viewpoint, metric, side)


def history_of(log: LogView, viewpoint: Viewpoint, refs: Sequence[ActionRef]) -> tuple[Happening, ...]:
    return tuple(history(_ledger(log), viewpoint, refs))


def conflicts_of(log: LogView, viewpoint: Viewpoint) -> tuple[Conflict, ...]:
    return tuple(find_conflicts(resolve(_ledger(log), viewpoint), viewpoint))


def phases_of(log: LogView, viewpoint: Viewpoint, operation: str | None = None) -> Phases:
    """Each operation's phases (or ``operation``'s, a canonical name) as a timeline."""
    return phase_timeline(_resolved(log, viewpoint), viewpoint, operation)
