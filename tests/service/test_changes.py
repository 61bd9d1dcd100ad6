"""What changed, through the service: the change feed, diff, export increments and reporting
lag, on the seeds with a correction, a retraction and a duplicate link (SQLite and PostgreSQL,
read model on and off), and the increments property over random logs with amendments."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.domain.actions import Killed, Metric
from incidents.domain.amendments import ActionRef
from incidents.domain.values import Estimate
from incidents.formats.errors import InvalidInputError
from incidents.formats.export.changes import applied
from incidents.formats.report_file import ReportContent
from incidents.projections import queries
from incidents.service import Attribution, Service, Viewpoint, diff_side
from incidents.storage.location import MemoryLocation
from tests.builders import PMF, content, killed, seized
from tests.conftest import SEEDS
from tests.strategies import amended_logs

R = "rudaw-2019-08-28-will-of-victory-phase-4"
PMF_KILLED = ActionRef(R, "pmf-statement-killed")
SEED_EVENTS = 27  # the seeds' last position
ANALYST = Attribution(analyst="tester", made_on=date(2026, 12, 1))


@pytest.fixture(params=["on", "off"])
def corrected(
    store: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Service]:
    """The seeds plus the README's correction (count 1 -> 2), read model on or off."""
    monkeypatch.setenv("INCIDENTS_READ_MODEL", request.param)
    with Service.open(store) as service:
        service.load([SEEDS])
        assert service.position() == SEED_EVENTS
        service.amend(
            "correction",
            {"target": str(PMF_KILLED), "changes": {"count": 2}, "reason": "the PMF's statement names two"},
            attribution=ANALYST,
        )
        yield service


def test_changes_since_the_position_before_the_correction_list_exactly_that_correction(
    corrected: Service,
) -> None:
    changes = corrected.changes(since=SEED_EVENTS)
    [change] = changes.entries
    assert change.kind == "correction"
    [effect] = change.effects
    assert (effect.ref, effect.field, effect.before, effect.after) == (
        PMF_KILLED,
        "count",
        Estimate.exactly(1),
        Estimate.exactly(2),
    )
    assert change.entry.report.source.outlet == "analyst: tester"
    assert change.recorded_by == "tester"
    assert change.entry.amendment.reason == "the PMF's statement names two"  # type: ignore[union-attr]
    assert changes.resume_from == corrected.position()
    assert corrected.changes(since=changes.resume_from).entries == ()


def test_a_feed_read_in_increments_lists_every_statement_once_in_order(corrected: Service) -> None:
    whole = [change.position for change in corrected.changes(since=0).entries]
    pieces: list[int] = []
    since = 0
    for until in (5, 13, 20, 28, corrected.position()):
        part = corrected.changes(since=since, until=until)
        pieces.extend(change.position for change in part.entries)
        since = part.resume_from
    assert pieces == whole
    assert len(whole) == 25 + 1  # the seeds' 25 actions and the correction


def test_the_feed_by_time_and_by_position_agree(corrected: Service) -> None:
    by_position = corrected.changes(since=SEED_EVENTS)
    seeds_recorded = corrected.changes(since=0, until=SEED_EVENTS).entries[-1].entry.recorded
    assert corrected.changes(since=seeds_recorded).entries == by_position.entries


def test_known_since_lists_what_was_published_after_the_day(corrected: Service) -> None:
    listed = corrected.changes(known_since=date(2019, 8, 27)).entries
    outlets = {change.entry.report.source.outlet for change in listed}
    assert outlets == {"Rudaw English", "analyst: tester"}  # Al-Shahid published in July
    assert [c.kind for c in listed][-1] == "correction"  # published last


def test_diff_before_and_after_the_correction_shows_isis_killed_5_to_6(corrected: Service) -> None:
    answer = corrected.diff(
        before=Viewpoint(recorded_at=SEED_EVENTS), after=Viewpoint(), as_of=date(2019, 8, 28)
    )
    [total] = answer.totals
    assert (total.metric, total.side, total.before, total.after) == (
        Metric.KILLED,
        "ISIS",
        Estimate.exactly(5),
        Estimate.exactly(6),
    )
    [cause] = total.causes
    assert cause.kind == "correction"
    assert cause.entry.position == corrected.position()
    assert answer.areas == ()
    [claim] = answer.claims
    assert (claim.before.remainder, claim.after.remainder) == (2, 1)  # type: ignore[union-attr]


def test_areas_differ_by_the_reports_published_between_two_days(corrected: Service) -> None:
    answer = corrected.diff(
        before=Viewpoint(known_at=date(2019, 7, 1)), after=Viewpoint(known_at=date(2019, 8, 31))
    )
    assert answer.areas
    for difference in answer.areas:
        assert difference.before is None  # nothing was published of any area by 1 July
        assert difference.after is not None
        assert difference.causes
        assert all(cause.known_to == "to" and cause.kind == "stated" for cause in difference.causes)


def test_a_diff_of_a_viewpoint_with_itself_is_empty(corrected: Service) -> None:
    same = Viewpoint(known_at=date(2019, 8, 1))
    answer = corrected.diff(before=same, after=same, as_of=date(2019, 8, 28))
    assert (answer.totals, answer.areas, answer.claims) == ((), (), ())


def test_a_retraction_and_a_link_say_what_they_changed(corrected: Service) -> None:
    before = corrected.position()
    corrected.amend(
        "retraction", {"target": f"{R}/pmf-statement-killed", "reason": "misread"}, attribution=ANALYST
    )
    wire = content("wire", "2019-08-25", [killed("2019-08-24", 3, id="pmf-killed", actor=PMF)], outlet="Wire")
    corrected.record([wire])
    corrected.amend(
        "duplicate", {"same": [f"{R}/phase-4-first-day-killed.2", "wire/pmf-killed"]}, attribution=ANALYST
    )
    changes = corrected.changes(since=before).entries
    assert [change.kind for change in changes] == ["retraction", "stated", "duplicate"]
    retraction, _stated, link = changes
    standing = {(e.ref, e.field): (e.before, e.after) for e in retraction.effects}
    assert standing[(PMF_KILLED, "standing")] == ("in effect", "retracted")
    [absorbed] = link.effects
    assert absorbed.ref == ActionRef("wire", "pmf-killed")  # published before Rudaw: counted once as it
    assert absorbed.after == f"counted once as {R}/phase-4-first-day-killed.2"
    answer = corrected.diff(before=Viewpoint(recorded_at=before), after=Viewpoint(), as_of=date(2019, 8, 28))
    [total] = answer.totals
    assert (total.before, total.after) == (Estimate.exactly(6), Estimate.exactly(4))
    assert {cause.kind for cause in total.causes} == {"retraction"}


def test_bad_questions_are_refused_by_name(corrected: Service) -> None:
    with pytest.raises(InvalidInputError, match="give --since"):
        corrected.changes()
    with pytest.raises(InvalidInputError, match="past the store's last position"):
        corrected.changes(since=10_000)
    with pytest.raises(InvalidInputError, match="before --since"):
        corrected.changes(since=10, until=5)
    with pytest.raises(InvalidInputError, match="unknown grouping"):
        corrected.lag(by="month")
    with pytest.raises(InvalidInputError, match="expected as-of=VALUE"):
        diff_side(["recorded=27"], "from")
    with pytest.raises(InvalidInputError, match="known-at: expected a day"):
        diff_side(["known-at=yesterday"], "to")
    assert diff_side(["recorded-at=now", "known-at=2019-08"], "to") == Viewpoint(known_at=date(2019, 8, 31))


def test_export_changes_since_the_correction_change_one_action(corrected: Service) -> None:
    changes = corrected.export_changes(since=SEED_EVENTS)
    assert (changes.added, changes.withdrawn) == ((), ())
    [changed] = changes.changed
    assert changed.ref == PMF_KILLED
    assert isinstance(changed.action, Killed)
    assert changed.action.count == Estimate.exactly(2)


def test_lag_of_the_seeds_is_a_range_where_dates_are_spans(corrected: Service) -> None:
    rudaw = next(group for group in corrected.lag().groups if group.key == "Rudaw English")
    assert rudaw.actions == 9
    assert str(rudaw.median) == "1-4"  # published the 28th: most of phase 4 occurred 24-27 August
    assert rudaw.max.low == rudaw.max.high == 52  # the operation launched on 7 July, told on 28 August
    by_metric = {group.key: group for group in corrected.lag(by="metric").groups}
    assert by_metric["killed"].actions == 4


# --- The increments property ------------------------------------------------------------------


def _consume(log: list[ReportContent], cuts: list[int], viewpoint: Viewpoint) -> None:
    with Service(MemoryLocation()) as service:
        copy: dict[ActionRef, object] = {}
        since = 0
        for number, report in enumerate(log):
            service.record([report])
            if number in cuts or number == len(log) - 1:
                increment = service.export_changes(since=since, viewpoint=viewpoint)
                copy = applied(copy, increment)  # type: ignore[arg-type]
                since = service.position()
        latest = {item.ref: item for item in service.export(viewpoint=viewpoint)}
    assert copy == latest


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    amended_logs(),
    st.lists(st.integers(0, 8), max_size=4),
    st.sampled_from([Viewpoint(), Viewpoint(as_of=date(2019, 8, 1)), Viewpoint(known_at=date(2019, 7, 15))]),
)
def test_applying_every_increment_in_sequence_gives_the_latest_export(
    log: list[ReportContent], cuts: list[int], viewpoint: Viewpoint
) -> None:
    _consume(log, cuts, viewpoint)


def test_an_increment_withdraws_a_retracted_action() -> None:
    with Service(MemoryLocation()) as service:
        service.record([content("r", "2019-08-02", [killed("2019-08-01", 2, id="k")])])
        since = service.position()
        service.amend("retraction", {"target": "r/k"}, attribution=ANALYST)
        changes = service.export_changes(since=since)
    [withdrawn] = changes.withdrawn
    assert withdrawn.ref == ActionRef("r", "k")
    assert withdrawn.withdrawn
    assert changes.items() == (withdrawn,)


# --- The feed read from a position is the fold's -----------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amended_logs(), st.integers(0, 40), st.sampled_from(["on", "off"]))
def test_the_feed_after_a_position_is_the_folds_feed(
    log: list[ReportContent], since: int, read_model: str
) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("INCIDENTS_READ_MODEL", read_model)
        with Service.open(str(Path(folder) / "log.db")) as service:
            for number, report in enumerate(log):
                service.record([report])
                if number == len(log) // 2:
                    service.totals()  # the read model caught up halfway: the feed catches it up
            last = service.position()
            since = min(since, last)
            fed = service.changes(since=since)
            folded = queries.changes_of(
                service.ledger(), since=since, until=None, known_since_day=None, resume_from=last
            )
    assert fed == folded


def test_a_diff_of_materiel_keeps_each_item_apart() -> None:
    """Weapons and vehicles seized are two totals in each viewpoint, so they are two differences
    (never one figure that mixes the items), each explained by the report that states it."""
    service = Service.open(MemoryLocation())
    try:
        first = content("first", "2019-08-02", [seized("2019-08-01", 4, "rifles", id="rifles")])
        service.record([first])
        before = service.position()
        later = content(
            "later",
            "2019-08-06",
            [seized("2019-08-05", 2, "rifles", id="rifles"), seized("2019-08-05", 3, "vehicles", id="cars")],
        )
        service.record([later])
        answer = service.diff(
            before=Viewpoint(recorded_at=before), after=Viewpoint(), as_of=date(2019, 8, 31)
        )
        found = {(d.metric, d.item): (d.before, d.after) for d in answer.totals}
        assert found == {
            (Metric.SEIZED, "rifles"): (Estimate.exactly(4), Estimate.exactly(6)),
            (Metric.SEIZED, "vehicles"): (None, Estimate.exactly(3)),
        }
        assert all({cause.entry.report.key for cause in d.causes} == {"later"} for d in answer.totals)
    finally:
        service.close()
