"""Every query as a fold of the whole log: the amendments the viewpoint knows of applied, then
the query's projection. These are the definition of every answer; the read model is tested to
give exactly the same answer objects for the queries it serves (totals, areas).

Each function takes the ledger (or plain entries, for a log without amendments; or the ledger
with the resolutions made of it, ``Resolutions``, which the queries asked of one log share) and a
viewpoint, and returns the projection's own typed answer; ``incidents.output`` shapes it for
people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from incidents.domain.actions import Metric
from incidents.domain.amendments import ActionRef
from incidents.projections.areas import AreaHistory, Areas, area_history, area_states
from incidents.projections.changes import Changes, LedgerClusters, change_entries, known_since, within
from incidents.projections.claims import Claims, compare_claims
from incidents.projections.clocks import Viewpoint
from incidents.projections.conflicts import Conflict, find_conflicts
from incidents.projections.diff import Diff, diff
from incidents.projections.lag import Lag, held, reporting_lag
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger
from incidents.projections.overview import Overview, overview
from incidents.projections.phases import Phases, phase_timeline
from incidents.projections.provenance import Explanation, Happening, explain, history
from incidents.projections.replay import Replay, Running, replay
from incidents.projections.resolution import Resolutions, Resolved, resolve
from incidents.projections.strength import Strength, strength_estimates
from incidents.projections.totals import Items, Totals, totals

# What a fold reads: the whole ledger (with the resolutions made of it), or plain entries (a log
# without amendments).
LogView = Ledger | Resolutions | Sequence[Entry]


def effective(log: LogView, viewpoint: Viewpoint) -> tuple[Entry, ...]:
    """The actions as the viewpoint counts them: with the amendments it knows of applied."""
    return _resolved(log, viewpoint).entries


def _ledger(log: LogView) -> Ledger:
    if isinstance(log, Resolutions):
        return log.ledger
    return log if isinstance(log, Ledger) else Ledger(tuple(log))


def _resolved(log: LogView, viewpoint: Viewpoint) -> Resolved:
    """The log as the viewpoint resolves it (a log of plain entries: as it is)."""
    if isinstance(log, Resolutions):
        return log.of(viewpoint)
    return resolve(_ledger(log), viewpoint)


def totals_of(log: LogView, viewpoint: Viewpoint, by: Sequence[str] = (), items: Items = "apart") -> Totals:
    resolved = _resolved(log, viewpoint)
    return totals(resolved.entries, viewpoint, by, resolved.unreadable, items)


def areas_of(log: LogView, viewpoint: Viewpoint) -> Areas:
    resolved = _resolved(log, viewpoint)
    return area_states(resolved.entries, viewpoint, resolved.unreadable)


def area_history_of(log: LogView, viewpoint: Viewpoint, name: str) -> AreaHistory:
    return area_history(effective(log, viewpoint), viewpoint, name)


def claims_of(log: LogView, viewpoint: Viewpoint) -> Claims:
    return compare_claims(effective(log, viewpoint), viewpoint)


def replay_of(log: LogView, viewpoint: Viewpoint, running: Running = "every") -> Replay:
    """The replay, its launch statements marked as ``phases`` marks them."""
    resolved = _resolved(log, viewpoint)
    return replay(resolved.entries, viewpoint, phase_timeline(resolved, viewpoint).disputes(), running)


def strength_of(log: LogView, viewpoint: Viewpoint) -> Strength:
    return strength_estimates(effective(log, viewpoint), viewpoint)


def explain_of(log: LogView, viewpoint: Viewpoint, metric: Metric, side: str) -> Explanation:
    return explain(_ledger(log), viewpoint, metric, side, _resolved(log, viewpoint))


def history_of(log: LogView, viewpoint: Viewpoint, refs: Sequence[ActionRef]) -> tuple[Happening, ...]:
    return tuple(history(_ledger(log), viewpoint, refs, _resolved(log, viewpoint)))


def conflicts_of(log: LogView, viewpoint: Viewpoint) -> tuple[Conflict, ...]:
    return tuple(find_conflicts(_resolved(log, viewpoint), viewpoint))


def overview_of(log: LogView, viewpoint: Viewpoint) -> Overview:
    return overview(_resolved(log, viewpoint), viewpoint)


def phases_of(log: LogView, viewpoint: Viewpoint, operation: str | None = None) -> Phases:
    """Each operation's phases (or ``operation``'s, a canonical name) as a timeline."""
    return phase_timeline(_resolved(log, viewpoint), viewpoint, operation)


def changes_of(
    log: LogView,
    *,
    since: datetime | int | None,
    until: datetime | int | None,
    known_since_day: date | None,
    resume_from: int,
) -> Changes:
    """The change feed as a fold of the whole log (the service reads only what follows a
    position, tested equal to this). ``resume_from`` is the position the feed read up to; with a
    store time for ``until``, the last statement recorded by then."""
    ledger = _ledger(log)
    read: list[Entry | AmendmentEntry] = [*ledger.entries, *ledger.amendments]
    statements = sorted(
        (s for s in read if within(s.position, s.recorded, since, until)), key=lambda s: s.position
    )
    unreadable = tuple(
        event for event in ledger.unreadable if within(event.position, event.recorded, since, until)
    )
    notes: dict[int, str] = {}
    if known_since_day is not None:
        statements, notes = known_since(statements, known_since_day)
    entries = change_entries(statements, LedgerClusters(ledger), notes)
    if isinstance(until, datetime):  # resume after the last statement recorded by then
        resume_from = max((s.position for s in read if s.recorded <= until), default=0)
    return Changes(tuple(entries), since, until, known_since_day, resume_from, unreadable)


def diff_of(log: LogView, before: Viewpoint, after: Viewpoint) -> Diff:
    return diff(_ledger(log), before, after)


def lag_of(log: LogView, viewpoint: Viewpoint, by: str = "outlet") -> Lag:
    return reporting_lag(held(_ledger(log), viewpoint), by)
