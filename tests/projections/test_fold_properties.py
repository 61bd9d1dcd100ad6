"""Invariants of the folds, on random valid logs.

- the fold is independent of import order;
- "as of" (and "known at") is monotonic, and counted + uncertain + excluded partition the log;
- an action is counted as of D exactly when its occurred span ends on or before D;
- loading twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.application import IncidentLog, Outcome
from incidents.domain.actions import METRIC_RANK, CountedAction, TotalClaimed
from incidents.domain.values import Estimate
from incidents.formats.report_file import ReportContent
from incidents.projections.claims import ClaimComparison, Claims, _in_scope, compare_claims
from incidents.projections.clocks import Standing, Viewpoint, partition
from incidents.projections.ledger import Entry
from incidents.projections.replay import Step, replay
from incidents.projections.totals import split_counted, sum_counts, totals
from incidents.storage.location import MemoryLocation
from tests.builders import entries_of, read_entries, record
from tests.strategies import days, report_sets, viewpoint_days
from tests.views import areas_view, claims_view, replay_view, strength_view, totals_view

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GROUPINGS = ["actor", "operation", "phase", "province", "area", "means", "item", "month", "outlet"]


def recorded(reports: Sequence[ReportContent]) -> list[Entry]:
    """Record the reports, in this order, in a fresh in-memory log, and read the entries back."""
    log = IncidentLog.open(MemoryLocation())
    try:
        for report in reports:
            assert record(log, report) is Outcome.RECORDED
        return read_entries(log)
    finally:
        log.close()


def answers(entries: list[Entry], viewpoint: Viewpoint) -> dict[str, Any]:
    """Everything a user can ask, as the rows and uncertain lists of every view."""
    results = {
        "totals": totals_view(entries, viewpoint),
        "totals by": totals_view(entries, viewpoint, GROUPINGS),
        "areas": areas_view(entries, viewpoint),
        "claims": claims_view(entries, viewpoint),
        "replay": replay_view(entries, viewpoint),
        "strength": strength_view(entries, viewpoint),
    }
    return {name: (result.rows, result.uncertain) for name, result in results.items()}


@FAST
@given(reports=report_sets(), data=st.data(), as_of=viewpoint_days, known_at=viewpoint_days)
def test_the_fold_is_independent_of_import_order(
    reports: list[ReportContent], data: st.DataObject, as_of: date | None, known_at: date | None
) -> None:
    other_order = data.draw(st.permutations(reports))
    viewpoint = Viewpoint(as_of=as_of, known_at=known_at)
    first, second = answers(recorded(reports), viewpoint), answers(recorded(other_order), viewpoint)
    for name in first:
        assert first[name] == second[name], name


def _counted_totals(
    entries: list[Entry], viewpoint: Viewpoint
) -> dict[tuple[str, str, str | None], tuple[int, int, int]]:
    """Each row's low, high and events, keyed as totals key their rows: by metric, side and
    item (materiel is summed per item, so two items of one side are two rows)."""
    result = totals(entries, viewpoint)
    return {
        (row.metric.value, row.side, row.item): (row.estimate.low, row.estimate.high, row.events)
        for row in result.rows
    }


@FAST
@given(reports=report_sets(), first=days, second=days)
def test_as_of_is_monotonic(reports: list[ReportContent], first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    entries = entries_of(reports)
    before = _counted_totals(entries, Viewpoint(as_of=earlier))
    after = _counted_totals(entries, Viewpoint(as_of=later))
    for key, (low, high, events) in before.items():
        assert key in after
        later_low, later_high, later_events = after[key]
        assert low <= later_low
        assert high <= later_high
        assert events <= later_events
    counted_before = {id(entry) for entry, _ in split_counted(entries, Viewpoint(as_of=earlier))[0]}
    counted_after = {id(entry) for entry, _ in split_counted(entries, Viewpoint(as_of=later))[0]}
    assert counted_before <= counted_after


@FAST
@given(reports=report_sets(), first=days, second=days)
def test_known_at_is_monotonic(reports: list[ReportContent], first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    entries = entries_of(reports)
    before = _counted_totals(entries, Viewpoint(known_at=earlier))
    after = _counted_totals(entries, Viewpoint(known_at=later))
    for key, (low, high, _events) in before.items():
        assert after[key][0] >= low
        assert after[key][1] >= high


@FAST
@given(reports=report_sets(), as_of=days)
def test_counted_uncertain_and_excluded_partition_the_counted_kinds(
    reports: list[ReportContent], as_of: date
) -> None:
    entries = entries_of(reports)
    viewpoint = Viewpoint(as_of=as_of)
    counted_kinds = [entry for entry in entries if isinstance(entry.action, CountedAction)]
    excluded = [entry for entry in counted_kinds if entry.action.occurred.start > as_of]
    result = totals(entries, viewpoint)
    assert sum(row.events for row in result.rows) + len(result.uncertain) + len(excluded) == len(
        counted_kinds
    )
    # And by metric, side and item (materiel is never summed across items), the rows sum
    # exactly the counted actions.
    expected: dict[tuple[str, str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    for entry in counted_kinds:
        action = entry.action
        assert isinstance(action, CountedAction)
        if action.occurred.end <= as_of:
            expected[(action.metric.value, action.side.canonical, action.what)][0] += action.count.low
            expected[(action.metric.value, action.side.canonical, action.what)][1] += action.count.high
    assert {
        (row.metric.value, row.side, row.item): [row.estimate.low, row.estimate.high] for row in result.rows
    } == dict(expected)


@FAST
@given(reports=report_sets(), as_of=days)
def test_counted_exactly_when_the_occurred_span_has_ended(reports: list[ReportContent], as_of: date) -> None:
    entries = entries_of(reports)
    counted, uncertain = split_counted(entries, Viewpoint(as_of=as_of))
    counted_ids = {id(entry) for entry, _ in counted}
    uncertain_ids = {id(judged.entry) for judged in uncertain}
    for entry in entries:
        if not isinstance(entry.action, CountedAction):
            continue
        occurred = entry.action.occurred
        assert (id(entry) in counted_ids) == (occurred.end <= as_of)
        assert (id(entry) in uncertain_ids) == (occurred.start <= as_of < occurred.end)
    for entry in entries:
        standing = Viewpoint(as_of=as_of).judge(entry).standing
        occurred = entry.action.occurred
        assert (standing is Standing.COUNTED) == (occurred.end <= as_of)
        assert (standing is Standing.EXCLUDED) == (occurred.start > as_of)


@FAST
@given(reports=report_sets(), as_of=viewpoint_days)
def test_the_fold_of_the_store_equals_the_fold_of_built_entries(
    reports: list[ReportContent], as_of: date | None
) -> None:
    # The store adds positions and times, and nothing else a query can see.
    viewpoint = Viewpoint(as_of=as_of)
    from_store, built = recorded(reports), entries_of(reports)
    assert [(e.action, e.report, e.sequence) for e in from_store] == [
        (e.action, e.report, e.sequence) for e in built
    ]
    assert answers(from_store, viewpoint) == answers(built, viewpoint)


@FAST
@given(reports=report_sets(), data=st.data())
def test_loading_twice_changes_nothing(reports: list[ReportContent], data: st.DataObject) -> None:
    log = IncidentLog.open(MemoryLocation())
    try:
        assert [record(log, report) for report in reports] == [Outcome.RECORDED] * len(reports)
        before = (log.recorder.max_notification_id(), read_entries(log))
        again = data.draw(st.permutations(reports))
        assert [record(log, report) for report in again] == [Outcome.UNCHANGED] * len(reports)
        assert (log.recorder.max_notification_id(), read_entries(log)) == before
    finally:
        log.close()


def _claims_from_every_entry(entries: Sequence[Entry], viewpoint: Viewpoint) -> Claims:
    """``compare_claims`` as it was before its index: every claim reads every entry."""
    comparisons = []
    counted_claims, uncertain_claims = partition(entries, viewpoint, TotalClaimed)
    for entry in counted_claims:
        claim = entry.action
        assert isinstance(claim, TotalClaimed)
        at_claim = viewpoint.with_as_of(claim.occurred.end)
        counted, uncertain = split_counted(entries, at_claim, _in_scope(claim))
        comparisons.append(
            ClaimComparison(entry, claim, sum_counts(counted), tuple(e for e, _ in counted), tuple(uncertain))
        )
    return Claims(tuple(comparisons), tuple(uncertain_claims))


@st.composite
def logs_and_viewpoints(draw: st.DrawFn) -> tuple[list[Entry], Viewpoint]:
    """A random valid log's entries, and a viewpoint on the occurred and reported clocks."""
    entries = entries_of(draw(report_sets(max_reports=8)))
    return entries, Viewpoint(as_of=draw(viewpoint_days), known_at=draw(viewpoint_days))


@FAST
@given(logged=logs_and_viewpoints())
def test_a_claim_reads_its_scope_from_the_index_as_from_every_entry(
    logged: tuple[list[Entry], Viewpoint],
) -> None:
    entries, viewpoint = logged
    assert compare_claims(entries, viewpoint) == _claims_from_every_entry(entries, viewpoint)


def _replay_sorting_every_step(entries: Sequence[Entry], viewpoint: Viewpoint) -> list[Step]:
    """``replay``'s steps as it made them before it kept its series in order: every total,
    sorted again after each step."""
    running: dict[tuple[Any, str, str | None], Estimate] = {}
    steps = []
    for entry in partition(entries, viewpoint)[0]:
        action = entry.action
        if isinstance(action, CountedAction):
            key = (action.metric, action.side.canonical, action.what)
            running[key] = running.get(key, Estimate.zero()) + action.count
        ordered = sorted(running.items(), key=lambda kv: (METRIC_RANK[kv[0][0]], kv[0][1], kv[0][2] or ""))
        steps.append(Step(entry, tuple((m, s, i, e) for (m, s, i), e in ordered)))
    return steps


@FAST
@given(logged=logs_and_viewpoints())
def test_a_replay_carries_every_running_total_or_each_steps_own(
    logged: tuple[list[Entry], Viewpoint],
) -> None:
    entries, viewpoint = logged
    every, own = replay(entries, viewpoint), replay(entries, viewpoint, running="own")
    assert list(every.steps) == _replay_sorting_every_step(entries, viewpoint)
    assert own.uncertain == every.uncertain
    for all_of_them, its_own in zip(every.steps, own.steps, strict=True):
        assert its_own.entry == all_of_them.entry
        action = its_own.entry.action
        if not isinstance(action, CountedAction):
            assert its_own.running == ()
            continue
        series = (action.metric, action.side.canonical, action.what)
        assert its_own.running == ((*series, all_of_them.running_for(*series)),)
