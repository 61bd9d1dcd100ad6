"""Answers shaped as rows: one typed row class per query, whose field order is the column order
of its JSON, CSV and table output (the contract in docs/cli.md).

Every entrypoint shows an answer the same way: ``totals_result(answer, viewpoint, by)`` and its
siblings turn the typed answer of a query (from the fold or the read model, they are equal)
into a ``Result``; ``render.emit`` prints it. A field a row keeps out of CSV (a nested list, say)
is marked ``csv=False``; the groupings of ``--by`` are spliced in where the row says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
from attrs import field, frozen

from incidents.domain.actions import AreaStatus, CountedAction
from incidents.domain.values import Estimate
from incidents.output.describe import describe_amendment, quantity, scope_label, summarise, value_text
from incidents.projections.clocks import Standing
from incidents.projections.ledger import Entry
from incidents.projections.totals import GROUPINGS, OWN_GROUPINGS, sum_counts

# The answers' types, for annotations only: shaping a query's answer does not import every other
# query's fold (a command imports what it runs).
if TYPE_CHECKING:
    from incidents.domain.values import DateSpan, SourceRef
    from incidents.projections.areas import AreaHistory, Areas
    from incidents.projections.changes import ChangeEntry, Changes, Effect
    from incidents.projections.claims import ClaimComparison, Claims
    from incidents.projections.clocks import Judged, Viewpoint
    from incidents.projections.conflicts import Conflict
    from incidents.projections.diff import Cause, Diff
    from incidents.projections.lag import Lag
    from incidents.projections.ledger import AmendmentEntry, Unreadable
    from incidents.projections.overview import Overview
    from incidents.projections.phases import Phases
    from incidents.projections.provenance import Change, Explanation, Happening
    from incidents.projections.replay import Replay
    from incidents.projections.resolution import FieldResolution
    from incidents.projections.strength import Strength
    from incidents.projections.totals import Groups, Totals


@frozen(kw_only=True)
class Row:
    """A row of a query's output. Subclasses list their columns as fields, in order."""

    # Where a subclass's ``groups`` field (the ``--by`` columns) is spliced in, if it has one.
    GROUPS_AFTER: ClassVar[str | None] = None

    def cells(self) -> dict[str, Any]:
        """The row as its output shows it: column name -> value, in column order."""
        cells: dict[str, Any] = {}
        for attribute in attrs.fields(type(self)):
            value = getattr(self, attribute.name)
            if attribute.name == "groups":
                continue
            cells[attribute.name] = value
            if attribute.name == self.GROUPS_AFTER:
                cells.update(dict(getattr(self, "groups", ())))
        return cells

    @classmethod
    def columns(cls, groupings: Sequence[str] = ()) -> tuple[str, ...]:
        """The CSV columns: every field but those marked ``csv=False``, groupings spliced in."""
        names: list[str] = []
        for attribute in attrs.fields(cls):
            if attribute.name == "groups" or not attribute.metadata.get("csv", True):
                continue
            names.append(attribute.name)
            if attribute.name == cls.GROUPS_AFTER:
                names.extend(groupings)
        return tuple(names)


NOT_CSV = {"csv": False}  # field metadata: a JSON-only field, left out of CSV


@frozen
class Result:
    """What a query shows: its rows, in a stable column order, and its uncertain entries."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    query: dict[str, Any]
    uncertain: tuple[Row, ...] = ()
    table_columns: tuple[str, ...] | None = None  # the subset a terminal table shows
    unreadable: tuple[UnreadableRow, ...] = ()  # recorded events the answer could not count


def _result(
    title: str,
    row_type: type[Row],
    rows: Sequence[Row],
    query: dict[str, Any],
    uncertain: Sequence[Row] = (),
    table: tuple[str, ...] | None = None,
    groupings: Sequence[str] = (),
) -> Result:
    return Result(title, row_type.columns(groupings), tuple(rows), query, tuple(uncertain), table)


# --- What every query shares ---------------------------------------------------------------------


@frozen(kw_only=True)
class UncertainRow(Row):
    """An entry that is neither counted nor excluded, and why: as every query lists it."""

    occurred: str
    type: str
    summary: str
    reason: str | None
    source: str
    report: str
    id: str


UNCERTAIN_TABLE = ("occurred", "summary", "reason", "source")


@frozen(kw_only=True)
class UnreadableRow(Row):
    """A recorded event this code cannot read, so no answer counts it: where it is, and why."""

    position: int
    report: str | None
    id: str | None
    why: str


def unreadable_rows(events: Sequence[Unreadable]) -> tuple[UnreadableRow, ...]:
    return tuple(
        UnreadableRow(position=event.position, report=event.report, id=event.statement, why=event.why)
        for event in events
    )


def uncertain_rows(judged: Sequence[Judged]) -> tuple[UncertainRow, ...]:
    return tuple(
        UncertainRow(
            occurred=str(j.entry.action.occurred),
            type=j.entry.action.kind,
            summary=summarise(j.entry.action),
            reason=j.verdict.reason,
            source=j.entry.report.source.credit,
            report=j.entry.report.key,
            id=j.entry.action.id,
        )
        for j in judged
    )


def estimate_cells(estimate: Estimate, prefix: str = "") -> dict[str, int | None]:
    return {f"{prefix}best": estimate.best, f"{prefix}low": estimate.low, f"{prefix}high": estimate.high}


def _groupings(by: Sequence[str]) -> list[str]:
    return [name for name in by if name not in OWN_GROUPINGS]


# --- Totals ------------------------------------------------------------------------------------


@frozen(kw_only=True)
class TotalsRow(Row):
    GROUPS_AFTER: ClassVar[str | None] = "item"

    metric: str
    side: str
    item: str | None  # the materiel item, or people/families displaced: unlike things apart
    groups: Groups = ()
    best: int | None
    low: int
    high: int
    events: int
    approximate: int  # events whose count is approximate ("around twenty")
    unknown: int  # events whose count is unknown ("dozens"), counted by convention


def totals_result(
    answer: Totals, viewpoint: Viewpoint, by: Sequence[str] = (), items: str = "apart"
) -> Result:
    """The totals as rows; the query names ``items`` only when materiel items were summed
    ``together`` (per item, the default, it says nothing: the rows have their items)."""
    rows = [
        TotalsRow(
            metric=row.metric.value,
            side=row.side,
            item=row.item,
            groups=row.groups,
            best=row.estimate.best,
            low=row.estimate.low,
            high=row.estimate.high,
            events=row.events,
            approximate=row.approximate,
            unknown=row.unknown,
        )
        for row in answer.rows
    ]
    query: dict[str, Any] = {**viewpoint.describe(), "by": list(by)}
    if items != "apart":
        query["items"] = items
    result = _result(
        "Totals", TotalsRow, rows, query, uncertain_rows(answer.uncertain), groupings=_groupings(by)
    )
    return attrs.evolve(result, unreadable=unreadable_rows(answer.unreadable))


# --- Areas -------------------------------------------------------------------------------------


@frozen(kw_only=True)
class AreaRow(Row):
    area: str
    province: str | None
    district: str | None
    pcode: str | None
    resolved: bool
    written: list[str]
    status: str
    since: str
    since_start: str
    since_end: str
    source: str
    quote: str
    pending: list[str]


AREA_TABLE = ("area", "resolved", "province", "district", "written", "status", "since", "source", "pending")


def areas_result(answer: Areas, viewpoint: Viewpoint) -> Result:
    rows = [
        AreaRow(
            area=state.place.label,
            province=state.place.province,
            district=state.place.district,
            pcode=state.place.unit.pcode if state.place.unit else None,
            resolved=state.place.resolved,
            written=list(state.written),
            status=state.status.value,
            since=str(state.since),
            since_start=state.since.start.isoformat(),
            since_end=state.since.end.isoformat(),
            source=state.reported_by.entry.report.source.credit,
            quote=state.reported_by.action.quote,
            pending=[f"{summarise(j.entry.action)} ({j.verdict.reason})" for j in state.pending],
        )
        for state in answer.states
    ]
    uncertain = uncertain_rows(answer.uncertain)
    query: dict[str, Any] = viewpoint.describe()
    if answer.only.provinces:  # (the query names its options' values only when they are given)
        query["province"] = sorted(answer.only.provinces)
    if answer.only.statuses:
        query["status"] = [status.value for status in AreaStatus if status in answer.only.statuses]
    result = _result("Area status", AreaRow, rows, query, uncertain, AREA_TABLE)
    return attrs.evolve(result, unreadable=unreadable_rows(answer.unreadable))


@frozen(kw_only=True)
class AreaHistoryRow(Row):
    area: str
    written: str
    status: str
    occurred: str
    standing: str
    source: str
    published: str
    quote: str


def area_history_result(answer: AreaHistory, viewpoint: Viewpoint) -> Result:
    rows = [
        AreaHistoryRow(
            area=t.action.area.label,
            written=t.action.area.written,
            status=t.status.value,
            occurred=str(t.action.occurred),
            standing=standing.value,
            source=t.entry.report.source.credit,
            published=str(t.entry.report.source.published),
            quote=t.action.quote,
        )
        for t, standing in answer.transitions
    ]
    query = {**viewpoint.describe(), "area": answer.name}
    return _result(f"History of {answer.name}", AreaHistoryRow, rows, query)


# --- Claims, replay, strength --------------------------------------------------------------------


@frozen(kw_only=True)
class ClaimRow(Row):
    metric: str
    side: str
    scope: str | None
    as_of: str
    claimed: int | None
    claimed_low: int
    claimed_high: int
    itemised: int | None
    itemised_low: int
    itemised_high: int
    remainder: int | None
    uncertain: int
    claimant: str | None
    source: str
    quote: str


CLAIM_TABLE = ("metric", "side", "scope", "as_of", "claimed", "itemised", "remainder", "uncertain", "source")


def claims_result(answer: Claims, viewpoint: Viewpoint) -> Result:
    rows = [
        ClaimRow(
            metric=c.claim.metric.value,
            side=c.claim.side.canonical,
            scope=scope_label(c.claim),
            as_of=str(c.claim.occurred),
            claimed=c.claim.count.best,
            claimed_low=c.claim.count.low,
            claimed_high=c.claim.count.high,
            itemised=c.itemised.best,
            itemised_low=c.itemised.low,
            itemised_high=c.itemised.high,
            remainder=c.remainder,
            uncertain=len(c.uncertain),
            claimant=c.claim.claimant.canonical if c.claim.claimant else None,
            source=c.entry.report.source.credit,
            quote=c.claim.quote,
        )
        for c in answer.comparisons
    ]
    title = "Claims against itemised incidents"
    uncertain = uncertain_rows(answer.uncertain)
    return _result(title, ClaimRow, rows, viewpoint.describe(), uncertain, CLAIM_TABLE)


@frozen(kw_only=True)
class ReplayRow(Row):
    """One step of a replay. A counted action carries the running total of its own metric and
    side after it (numbers, as in totals); ``totals`` holds every running total at that step
    (only its own, with ``running`` own)."""

    occurred: str
    type: str
    summary: str
    metric: str | None
    side: str | None
    running_best: int | None
    running_low: int | None
    running_high: int | None
    source: str
    report: str
    id: str
    conflict: str | None  # a launch another source numbers or dates differently (as phases marks it)
    totals: list[dict[str, Any]] = field(metadata=NOT_CSV)


REPLAY_TABLE = (
    "occurred",
    "summary",
    "metric",
    "side",
    "running_best",
    "running_low",
    "running_high",
    "source",
)


def replay_result(answer: Replay, viewpoint: Viewpoint) -> Result:
    rows = []
    for step in answer.steps:
        action = step.entry.action
        counted = action if isinstance(action, CountedAction) else None
        running = (
            None
            if counted is None
            else step.running_for(counted.metric, counted.side.canonical, counted.what)
        )
        rows.append(
            ReplayRow(
                occurred=str(action.occurred),
                type=action.kind,
                summary=summarise(action),
                metric=None if counted is None else counted.metric.value,
                side=None if counted is None else counted.side.canonical,
                running_best=None if running is None else running.best,
                running_low=None if running is None else running.low,
                running_high=None if running is None else running.high,
                source=step.entry.report.source.credit,
                report=step.entry.report.key,
                id=action.id,
                conflict=dispute.text if (dispute := answer.dispute_of(step.entry)) else None,
                totals=[
                    {"metric": metric.value, "side": side, "item": item, **estimate_cells(estimate)}
                    for metric, side, item, estimate in step.running
                ],
            )
        )
    clocks = viewpoint.describe()
    del clocks["as_of"]  # a replay's occurred clock is "until"
    query: dict[str, Any] = {"until": viewpoint.as_of.isoformat() if viewpoint.as_of else None, **clocks}
    if answer.running != "every":  # (named only when asked for: each step's own total)
        query["running"] = answer.running
    uncertain = uncertain_rows(answer.uncertain)
    return _result("Replay in occurred order", ReplayRow, rows, query, uncertain, REPLAY_TABLE)


@frozen(kw_only=True)
class StrengthRow(Row):
    side: str
    best: int | None
    low: int
    high: int
    region: str | None
    estimator: str | None
    occurred: str
    source: str
    quote: str


STRENGTH_TABLE = ("side", "low", "best", "high", "region", "estimator", "occurred", "source")


def strength_result(answer: Strength, viewpoint: Viewpoint) -> Result:
    rows = [
        StrengthRow(
            side=estimate.side.canonical,
            best=estimate.count.best,
            low=estimate.count.low,
            high=estimate.count.high,
            region=estimate.region,
            estimator=estimate.estimator,
            occurred=str(estimate.occurred),
            source=entry.report.source.credit,
            quote=estimate.quote,
        )
        for entry, estimate in answer.estimates
    ]
    uncertain = uncertain_rows(answer.uncertain)
    return _result("Strength estimates", StrengthRow, rows, viewpoint.describe(), uncertain, STRENGTH_TABLE)


# --- Where the numbers come from -----------------------------------------------------------------


def _source_of(entry: Entry | AmendmentEntry) -> SourceRef:
    return entry.report.source


def _change_text(change: Change) -> str:
    correction = change.correction
    source = correction.report.source
    return (
        f"{change.field} {value_text(change.before)} -> {value_text(change.after)} "
        f"by {correction.ref} ({source.outlet}, {source.published})"
    )


@frozen(kw_only=True)
class ExplainRow(Row):
    GROUPS_AFTER: ClassVar[str | None] = "reason"

    standing: str
    reason: str | None
    groups: Groups = ()
    item: str | None  # what it counts, where the metric counts unlike things
    best: int | None
    low: int
    high: int
    given: str | None  # "approximate", or the word of an unknown count ("dozens"), if either
    occurred: str
    precision: str
    summary: str
    corrections: list[str]
    source: str
    published: str
    url: str
    report: str
    id: str
    quote: str


def explain_result(answer: Explanation, viewpoint: Viewpoint, by: Sequence[str] = ()) -> Result:
    keys = _groupings(by)
    rows = []
    for contribution in answer.contributions:
        entry = contribution.entry
        action = entry.action
        assert isinstance(action, CountedAction)
        source = _source_of(entry)
        rows.append(
            ExplainRow(
                standing=contribution.verdict.standing.value,
                reason=contribution.verdict.reason,
                groups=tuple((name, GROUPINGS[name](entry, action)) for name in keys),
                item=action.what,
                best=action.count.best,
                low=action.count.low,
                high=action.count.high,
                given=action.count.unknown or ("approximate" if action.count.approximate else None),
                occurred=str(action.occurred),
                precision=action.occurred.precision.value,
                summary=summarise(action),
                corrections=[_change_text(change) for change in contribution.changes],
                source=source.credit,
                published=str(source.published),
                url=source.url,
                report=entry.report.key,
                id=action.id,
                quote=action.quote,
            )
        )
    counted = [
        (c.entry, c.entry.action) for c in answer.counted() if isinstance(c.entry.action, CountedAction)
    ]
    by_item: dict[str | None, list[tuple[Entry, CountedAction]]] = {}
    for entry, action in counted:
        by_item.setdefault(action.what, []).append((entry, action))
    items = {item: sum_counts(members) for item, members in sorted(by_item.items(), key=lambda i: i[0] or "")}
    # Unlike things are never added: a metric that counts items is totalled per item only.
    total = items.get(None, Estimate.zero()) if set(items) <= {None} else None
    uncertain = sum(1 for c in answer.contributions if c.verdict.standing is Standing.UNCERTAIN)
    marked = sum(1 for _entry, action in counted if action.count.marked)
    figures = (
        str(total) if total is not None else "; ".join(f"{item}: {sum_}" for item, sum_ in items.items())
    )
    title = (
        f"{answer.side} {answer.metric.value}: {figures or 0} from {len(counted)} counted action(s)"
        + (f" ({marked} approximate or unknown)" if marked else "")
        + f"; {uncertain} uncertain, {len(rows) - len(counted) - uncertain} excluded"
    )
    table = (
        "standing",
        *keys,
        "best",
        "given",
        "occurred",
        "summary",
        "source",
        "published",
        "reason",
        "corrections",
    )
    query: dict[str, Any] = {
        **viewpoint.describe(),
        "metric": answer.metric.value,
        "side": answer.side,
        "by": list(by),
        "total": None if total is None else estimate_cells(total),
    }
    if total is None:
        query["items"] = {item: estimate_cells(sum_) for item, sum_ in items.items()}
    return _result(title, ExplainRow, rows, query, (), table, groupings=keys)


@frozen(kw_only=True)
class HistoryRow(Row):
    position: int
    recorded: str
    ref: str
    event: str
    what: str
    occurred: str | None
    why: str | None
    standing: str
    note: str | None
    source: str
    published: str
    url: str
    report: str
    quote: str | None


HISTORY_TABLE = ("position", "event", "what", "occurred", "why", "standing", "source", "published")


def history_result(answer: Sequence[Happening], viewpoint: Viewpoint, subject: str) -> Result:
    rows = []
    for happening in answer:
        entry = happening.entry
        occurred: str | None
        reason: str | None
        quote: str | None
        if isinstance(entry, Entry):
            event, what, quote = "stated", summarise(entry.action), entry.action.quote
            occurred, reason = str(entry.action.occurred), None
        else:
            amendment = entry.amendment
            event, what, quote = amendment.kind, describe_amendment(amendment, False), amendment.quote
            occurred, reason = None, amendment.reason
        source = _source_of(entry)
        rows.append(
            HistoryRow(
                position=entry.position,
                recorded=entry.recorded.isoformat(timespec="seconds"),
                ref=str(happening.ref),
                event=event,
                what=what,
                occurred=occurred,
                why=reason,
                standing=happening.standing,
                note=happening.reason,
                source=source.credit,
                published=str(source.published),
                url=source.url,
                report=entry.report.key,
                quote=quote,
            )
        )
    query = {**viewpoint.describe(), "subject": subject}
    return _result(f"History of {subject}", HistoryRow, rows, query, (), HISTORY_TABLE)


@frozen(kw_only=True)
class ConflictRow(Row):
    kind: str
    field: str | None
    subject: str
    values: list[str]
    refs: list[str]
    used: str | None
    rule: str


CONFLICT_TABLE = ("kind", "field", "subject", "values", "used", "rule")


def conflicts_result(answer: Sequence[Conflict], viewpoint: Viewpoint) -> Result:
    rows = [
        ConflictRow(
            kind=conflict.kind,
            field=conflict.field,
            subject=summarise((conflict.used or conflict.members[0]).action),
            values=[
                f"{member.ref}: {value_text(value)} ({member.report.source.outlet}, "
                f"{member.report.source.published})"
                for member, value in zip(conflict.members, conflict.values, strict=True)
            ],
            refs=[str(member.ref) for member in conflict.members],
            used=str(conflict.used.ref) if conflict.used else None,
            rule=conflict.rule,
        )
        for conflict in answer
    ]
    title = "Conflicts and likely duplicates"
    return _result(title, ConflictRow, rows, viewpoint.describe(), (), CONFLICT_TABLE)


# --- Phases --------------------------------------------------------------------------------------


def _cited(entry: Entry) -> str:
    source = entry.report.source
    return f"{source.outlet} ({source.published})"


@frozen(kw_only=True)
class PhaseRow(Row):
    """One phase of one operation: launched and ended (spans, as in every answer, with their
    first and last days), where, by whom, from which sources, and what disputes it.
    ``source_urls`` are the ``sources``' own urls, one each."""

    operation: str | None
    phase: int | None
    status: str  # "under way" or "ended" as of the viewpoint; "ended" also when no launch is known
    launched: str | None
    launched_start: str | None
    launched_end: str | None
    launched_precision: str | None
    ended: str | None
    ended_start: str | None
    ended_end: str | None
    regions: list[str]
    supervisor: str | None
    forces: list[str]
    sources: list[str]
    source_urls: list[str]
    refs: list[str]
    conflicts: list[str]


PHASE_TABLE = (
    "operation",
    "phase",
    "status",
    "launched",
    "ended",
    "regions",
    "supervisor",
    "sources",
    "conflicts",
)


def _span_cells(span: DateSpan | None) -> tuple[str | None, str | None, str | None]:
    if span is None:
        return None, None, None
    return str(span), span.start.isoformat(), span.end.isoformat()


def _disagreement_text(resolution: FieldResolution) -> str:
    values = "; ".join(
        f"{value_text(value)} ({member.report.source.outlet}, {member.report.source.published})"
        for member, value in resolution.stated
    )
    used = f", used: {value_text(resolution.value)}" if resolution.used is not None else ""
    return f"{resolution.field}: {values}{used} ({resolution.how})"


def phases_result(answer: Phases, viewpoint: Viewpoint) -> Result:
    rows = []
    for phase in answer.phases:
        launch = phase.launch_action
        launched, launched_start, launched_end = _span_cells(phase.launched_on)
        ended, ended_start, ended_end = _span_cells(phase.ended_on)
        notes = [dispute.text for dispute in phase.disputes]
        notes.extend(_disagreement_text(resolution) for resolution in phase.disagreements)
        cited: dict[str, str] = {}
        for entry in phase.sources:
            cited.setdefault(_cited(entry), entry.report.source.url)
        rows.append(
            PhaseRow(
                operation=phase.operation,
                phase=phase.phase,
                status="ended" if phase.ended is not None else "under way",
                launched=launched,
                launched_start=launched_start,
                launched_end=launched_end,
                launched_precision=phase.launched_on.precision.value if phase.launched_on else None,
                ended=ended,
                ended_start=ended_start,
                ended_end=ended_end,
                regions=[region.label for region in launch.regions] if launch else [],
                supervisor=launch.supervisor if launch else None,
                forces=[force.canonical for force in launch.forces] if launch else [],
                sources=list(cited),
                source_urls=list(cited.values()),
                refs=[str(entry.ref) for entry in phase.sources],
                conflicts=notes,
            )
        )
    query = {**viewpoint.describe(), "operation": answer.operation}
    uncertain = uncertain_rows(answer.uncertain)
    result = _result("Phases", PhaseRow, rows, query, uncertain, PHASE_TABLE)
    return attrs.evolve(result, unreadable=unreadable_rows(answer.unreadable))


# --- What changed: the change feed, diff, lag --------------------------------------------------


def _effect_text(effect: Effect, own_target: bool) -> str:
    """One thing an amendment changed, in a line: "count 1 -> 2" (of ``ref``, unless it is the
    amendment's own target)."""
    of = "" if own_target else f" of {effect.ref}"
    return f"{effect.field}{of} {value_text(effect.before)} -> {value_text(effect.after)}"


@frozen(kw_only=True)
class ChangeRow(Row):
    """One statement of the change feed: an action stated or an amendment, and what it changed."""

    position: int
    recorded: str
    kind: str
    ref: str
    what: str
    changes: list[str]
    reason: str | None
    note: str | None
    source: str
    published: str
    url: str
    report: str
    recorded_by: str | None
    effects: list[dict[str, Any]] = field(metadata=NOT_CSV)


CHANGE_TABLE = ("position", "kind", "ref", "what", "changes", "reason", "source", "published", "recorded_by")


def change_row(change: ChangeEntry) -> ChangeRow:
    entry = change.entry
    source = entry.report.source
    if isinstance(entry, Entry):
        what, reason, targets = summarise(entry.action), None, {entry.ref}
    else:
        what, reason = describe_amendment(entry.amendment), entry.amendment.reason
        targets = set(entry.amendment.targets)
    return ChangeRow(
        position=entry.position,
        recorded=entry.recorded.isoformat(),
        kind=change.kind,
        ref=str(entry.ref),
        what=what,
        changes=[
            _effect_text(effect, effect.ref in targets and len(targets) == 1) for effect in change.effects
        ],
        reason=reason,
        note=change.note,
        source=source.outlet,
        published=str(source.published),
        url=source.url,
        report=entry.report.key,
        recorded_by=change.recorded_by,
        effects=[
            {
                "ref": str(effect.ref),
                "field": effect.field,
                "before": value_text(effect.before),
                "after": value_text(effect.after),
            }
            for effect in change.effects
        ],
    )


def _clock_text(clock: object) -> str | None:
    if clock is None:
        return None
    return clock.isoformat() if isinstance(clock, date | datetime) else str(clock)


def changes_result(answer: Changes) -> Result:
    query = {
        "since": _clock_text(answer.since),
        "until": _clock_text(answer.until),
        "known_since": _clock_text(answer.known_since),
        "resume_from": answer.resume_from,
    }
    rows = [change_row(change) for change in answer.entries]
    title = f"Changes: {quantity(len(rows), 'statement')}; resume from position {answer.resume_from}"
    result = _result(title, ChangeRow, rows, query, (), CHANGE_TABLE)
    return attrs.evolve(result, unreadable=unreadable_rows(answer.unreadable))


def cause_text(cause: Cause) -> str:
    """An event behind a difference, in a line, with its source (and which side knows it)."""
    entry = cause.entry
    source = entry.report.source
    if isinstance(entry, Entry):
        what, reason = f"stated {summarise(entry.action)}", None
    else:
        what, reason = describe_amendment(entry.amendment), entry.amendment.reason
    why = f": {reason}" if reason else ""
    side = "" if cause.known_to == "to" else " (known only to --from)"
    return f"#{entry.position} {what} [{entry.ref}] ({source.outlet}, {source.published}){why}{side}"


@frozen(kw_only=True)
class DiffRow(Row):
    """One difference between two viewpoints: a total, an area's status or a claim, and why."""

    section: str
    subject: str
    before: str | None
    after: str | None
    causes: list[str]
    events: list[dict[str, Any]] = field(metadata=NOT_CSV)


def _cause_cells(cause: Cause) -> dict[str, Any]:
    entry = cause.entry
    source = entry.report.source
    reason = None if isinstance(entry, Entry) else entry.amendment.reason
    return {
        "position": entry.position,
        "kind": cause.kind,
        "ref": str(entry.ref),
        "known_to": cause.known_to,
        "source": source.outlet,
        "published": str(source.published),
        "url": source.url,
        "reason": reason,
    }


def _diff_row(section: str, subject: str, before: object, after: object, causes: Sequence[Cause]) -> DiffRow:
    return DiffRow(
        section=section,
        subject=subject,
        before=None if before is None else value_text(before),
        after=None if after is None else value_text(after),
        causes=[cause_text(cause) for cause in causes],
        events=[_cause_cells(cause) for cause in causes],
    )


def _claim_text(comparison: ClaimComparison | None) -> str | None:
    if comparison is None:
        return None
    remainder = "" if comparison.remainder is None else f", remainder {comparison.remainder}"
    return f"claimed {comparison.claim.count}, itemised {comparison.itemised}{remainder}"


def _side_query(viewpoint: Viewpoint) -> dict[str, str]:
    """A side of a diff as its options read (``recorded-at 27``); every clock given."""
    return {name: value for name, value in viewpoint.describe().items() if value is not None}


def diff_result(answer: Diff) -> Result:
    rows = [
        _diff_row(
            "totals",
            f"{d.side} {d.metric.value}" + (f" ({d.item})" if d.item else ""),
            d.before,
            d.after,
            d.causes,
        )
        for d in answer.totals
    ]
    rows += [_diff_row("areas", d.place.label, d.before, d.after, d.causes) for d in answer.areas]
    rows += [
        _diff_row(
            "claims",
            f"{summarise(d.claim.claim)} [{d.ref}]",
            _claim_text(d.before),
            _claim_text(d.after),
            d.causes,
        )
        for d in answer.claims
    ]
    query = {"from": _side_query(answer.before), "to": _side_query(answer.after)}
    title = f"Differences: {quantity(len(rows), 'difference')}"
    return _result(title, DiffRow, rows, query, (), ("section", "subject", "before", "after", "causes"))


@frozen(kw_only=True)
class LagRow(Row):
    """The reporting lag of one group, in days: ranges where dates are spans (low-high)."""

    group: str | None
    actions: int
    exact: int
    lower_quartile: str
    median: str
    upper_quartile: str
    max: str
    lower_quartile_low: int
    lower_quartile_high: int
    median_low: int
    median_high: int
    upper_quartile_low: int
    upper_quartile_high: int
    max_low: int
    max_high: int


LAG_TABLE = ("group", "actions", "exact", "lower_quartile", "median", "upper_quartile", "max")


def lag_result(answer: Lag, viewpoint: Viewpoint) -> Result:
    rows = [
        LagRow(
            group=group.key,
            actions=group.actions,
            exact=group.exact,
            lower_quartile=str(group.lower_quartile),
            median=str(group.median),
            upper_quartile=str(group.upper_quartile),
            max=str(group.max),
            lower_quartile_low=group.lower_quartile.low,
            lower_quartile_high=group.lower_quartile.high,
            median_low=group.median.low,
            median_high=group.median.high,
            upper_quartile_low=group.upper_quartile.low,
            upper_quartile_high=group.upper_quartile.high,
            max_low=group.max.low,
            max_high=group.max.high,
        )
        for group in answer.groups
    ]
    query = {**viewpoint.describe(), "by": answer.by}
    title = f"Reporting lag by {answer.by}: days from occurred to published"
    return _result(title, LagRow, rows, query, (), LAG_TABLE)


# --- Overview --------------------------------------------------------------------------------


@frozen(kw_only=True)
class OverviewRow(Row):
    """The actions of one type (the last row: every type, ``all``) the clocks count or hold
    uncertain, of how many reports, and the first and last days they span."""

    type: str
    actions: int
    counted: int
    uncertain: int
    reports: int
    occurred_first: str
    occurred_last: str
    published_first: str
    published_last: str


def overview_result(answer: Overview, viewpoint: Viewpoint) -> Result:
    rows = [
        OverviewRow(
            type=kind.type,
            actions=kind.actions,
            counted=kind.counted,
            uncertain=kind.uncertain,
            reports=kind.reports,
            occurred_first=kind.occurred.first.isoformat(),
            occurred_last=kind.occurred.last.isoformat(),
            published_first=kind.published.first.isoformat(),
            published_last=kind.published.last.isoformat(),
        )
        for kind in (*answer.types, *([answer.every] if answer.every else []))
    ]
    return _result("What the log holds, by action type", OverviewRow, rows, viewpoint.describe())
