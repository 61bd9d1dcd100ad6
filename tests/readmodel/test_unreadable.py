"""An event the code cannot read never wedges the read model or the fold (issue 11, item 1).

Poisoned events are written as a store written before the limits holds them: through the
application and its recorder, with the validation of the value objects bypassed
(``object.__setattr__`` on frozen values). A count of 2**63 (past SQLite's and PostgreSQL's
64-bit integers), two counts of 2**62 (whose sum overflows them), a quote with NUL (which
PostgreSQL's text refuses) and a report whose source holds NUL: each is set aside and reported
with its report key, action id, position and why; the rest of the log answers, on SQLite and
PostgreSQL, the read model equal to the fold; a retraction (which names the action, and needs
nothing of it) clears it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest

from incidents.application import IncidentLog
from incidents.domain.actions import Killed
from incidents.domain.amendments import ActionRef, Retraction
from incidents.domain.limits import MAX_COUNT
from incidents.domain.values import Estimate
from incidents.formats.report_file import ReportContent
from incidents.projections.areas import area_states
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.projections.resolution import resolve
from incidents.projections.totals import Totals, totals
from incidents.readmodel import ReadModel
from incidents.storage.location import parse_location
from tests.builders import content, killed, record, source

NOW = Viewpoint()


def _poisoned_count(action_id: str, figure: int) -> Killed:
    action = killed("2019-08-20", 1, id=action_id)
    for part in ("low", "best", "high"):
        object.__setattr__(action.count, part, figure)
    return action


def _with_nul_quote() -> Killed:
    action = killed("2019-08-21", 2, id="nul")
    object.__setattr__(action, "quote", "ISIS\x00 fighters killed")
    return action


def _report_with_nul_title() -> ReportContent:
    report = content("nul-source", "2019-08-27", [killed("2019-08-22", 3, id="k")])
    object.__setattr__(report.source, "title", "a title\x00")
    return report


POISON = {
    ("huge", "h"): "count",
    ("overflowing", "a"): "count",
    ("overflowing", "b"): "count",
    ("nul-quote", "nul"): "quote",
    ("nul-source", "k"): "registration",
}


def _record_poisoned_log(log: IncidentLog) -> None:
    """A valid report first and last (the store's opening check decodes those two), the poison
    between them."""
    record(log, content("first", "2019-08-25", [killed("2019-08-19", 4, id="k")]))
    record(log, content("huge", "2019-08-26", [_poisoned_count("h", 2**63)]))
    record(
        log,
        content("overflowing", "2019-08-26", [_poisoned_count("a", 2**62), _poisoned_count("b", 2**62)]),
    )
    record(log, content("nul-quote", "2019-08-26", [_with_nul_quote()]))
    record(log, _report_with_nul_title())
    record(log, content("last", "2019-08-28", [killed("2019-08-23", 5, id="k")]))


def _retract_all(log: IncidentLog, published: str = "2019-09-10") -> None:
    retractions = [
        Retraction(id=f"r{n}", target=ActionRef(key, action), reason="recorded before the limits")
        for n, (key, action) in enumerate(POISON)
    ]
    record(
        log,
        ReportContent(
            key="desk", source=source(published, outlet="Desk"), actions=tuple(retractions), file="desk"
        ),
    )


@pytest.fixture
def poisoned(store: str) -> Iterator[tuple[IncidentLog, ReadModel]]:
    log = IncidentLog.open(parse_location(store))
    _record_poisoned_log(log)
    log.close()
    log = IncidentLog.open(parse_location(store))  # as a later process opens it
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    yield log, model
    model.close()
    log.close()


def _fold_totals(log: IncidentLog, viewpoint: Viewpoint) -> Totals:
    resolved = resolve(read_ledger(log), viewpoint)
    return totals(resolved.entries, viewpoint, unreadable=resolved.unreadable)


def _killed(answer: Totals) -> dict[str, int | None]:
    return {row.side: row.estimate.best for row in answer.rows}


def test_poisoned_events_are_set_aside_reported_and_the_rest_answers(
    poisoned: tuple[IncidentLog, ReadModel],
) -> None:
    log, model = poisoned
    answer = model.totals(NOW)
    assert _killed(answer) == {"ISIS": 9}  # 4 + 5: the readable actions
    found = {(event.report, event.statement): event for event in answer.unreadable}
    assert set(found) == set(POISON)
    for (key, action), field in POISON.items():
        event = found[(key, action)]
        assert field in event.why, event.why
        assert event.ref == ActionRef(key, action)
        assert "\x00" not in event.why  # quoted escaped, never raw
    assert "999,999,999" in found[("huge", "h")].why
    assert found[("huge", "h")].position < found[("overflowing", "a")].position
    assert answer == _fold_totals(log, NOW)
    assert model.totals(NOW, by=("actor", "year")).unreadable == answer.unreadable
    assert model.areas(NOW).unreadable == answer.unreadable
    assert area_states((), NOW, answer.unreadable).unreadable == answer.unreadable


def test_rebuild_reports_what_it_set_aside(poisoned: tuple[IncidentLog, ReadModel]) -> None:
    _log, model = poisoned
    done = model.rebuild()
    assert {(event.report, event.statement) for event in done.unreadable} == set(POISON)
    assert _killed(model.totals(NOW)) == {"ISIS": 9}


def test_retracting_the_poisoned_actions_clears_them(poisoned: tuple[IncidentLog, ReadModel]) -> None:
    log, model = poisoned
    _retract_all(log)
    answer = model.totals(NOW)
    assert answer.unreadable == ()
    assert _killed(answer) == {"ISIS": 9}
    assert answer == _fold_totals(log, NOW)
    assert model.areas(NOW).unreadable == ()
    assert model.rebuild().unreadable == ()
    # Known at a day before the retractions were published, they are not cleared yet.
    before = Viewpoint(known_at=date(2019, 9, 1))
    assert {(e.report, e.statement) for e in model.totals(before).unreadable} == set(POISON)
    assert model.totals(before) == _fold_totals(log, before)
    # Nor at a position before the retractions were recorded.
    earlier = Viewpoint(recorded_at=log.recorder.max_notification_id() - len(POISON) - 1)
    assert {(e.report, e.statement) for e in model.totals(earlier).unreadable} == set(POISON)
    assert model.totals(earlier) == _fold_totals(log, earlier)


def test_sums_at_the_bound_do_not_overflow(store: str) -> None:
    """Counts at MAX_COUNT sum exactly in both databases' sums (and as the fold sums them); a
    billion of them stay inside a signed 64-bit integer."""
    assert 10**9 * MAX_COUNT * 3 < 2**63  # low, best and high of a billion actions, each summed
    log = IncidentLog.open(parse_location(store))
    try:
        for n in range(12):
            biggest = Estimate.exactly(MAX_COUNT)
            record(log, content(f"big-{n}", "2019-08-28", [killed("2019-08-20", biggest, id="k")]))
        model = ReadModel.open(parse_location(store), log)
        assert model is not None
        try:
            answer = model.totals(NOW)
            assert answer.rows[0].estimate == Estimate.exactly(12 * MAX_COUNT)
            assert answer == _fold_totals(log, NOW)
            by_year = model.totals(NOW, by=("year",))
            assert by_year.rows[0].estimate == Estimate.exactly(12 * MAX_COUNT)
            assert attrs.evolve(by_year, rows=()) == attrs.evolve(answer, rows=())
        finally:
            model.close()
    finally:
        log.close()


def test_a_count_past_the_limit_cannot_be_recorded_any_more(store: str) -> None:
    with pytest.raises(ValueError, match="count: low: 1,000,000,000 is above 999,999,999"):
        killed("2019-08-20", MAX_COUNT + 1)
