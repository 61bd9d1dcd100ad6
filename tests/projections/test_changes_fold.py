"""The folds behind ``changes``, ``diff`` and ``lag``: what an amendment changed in its cluster,
a cluster found in a ledger, and lag ranges by nearest rank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import given, settings

from incidents.domain.amendments import (
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    FieldChange,
    Preference,
    Retraction,
)
from incidents.domain.values import DateSpan, Estimate
from incidents.projections.changes import LedgerClusters, change_entries, effects_of
from incidents.projections.lag import Days, distribution, lag_of, nearest_rank
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, ReportRef
from tests.builders import killed, source
from tests.strategies import date_spans

START = datetime(2026, 1, 1, tzinfo=UTC)
ONE = ReportRef("one", source("2019-08-28", outlet="One"))
TWO = ReportRef("two", source("2019-08-30", outlet="Two"))
FIXES = ReportRef("fixes", source("2019-09-01", outlet="analyst: ann"))


def _entry(report: ReportRef, id: str, count: int, position: int, occurred: str = "2019-08-24") -> Entry:
    return Entry(
        killed(occurred, count, id=id), report, position, START + timedelta(seconds=position), position
    )


def _amendment(amendment: Amendment, position: int) -> AmendmentEntry:
    return AmendmentEntry(amendment, FIXES, position, START + timedelta(seconds=position), position)


A = ActionRef("one", "a")
B = ActionRef("two", "b")


def _log(*amendments: Amendment) -> Ledger:
    entries = (_entry(ONE, "a", 1, 2), _entry(TWO, "b", 3, 4))
    return Ledger(entries, tuple(_amendment(amendment, 10 + n) for n, amendment in enumerate(amendments)))


def test_a_correction_changes_its_field_from_the_value_before_it() -> None:
    first = Correction(id="c1", target=A, changes=(FieldChange("count", Estimate.exactly(2)),))
    second = Correction(id="c2", target=A, changes=(FieldChange("count", Estimate.exactly(5)),))
    log = _log(first, second)
    [effect] = effects_of(log.amendments[1], log)
    assert (effect.field, effect.before, effect.after) == ("count", Estimate.exactly(2), Estimate.exactly(5))


def test_retracting_a_correction_restores_the_figure_and_says_the_correction_is_retracted() -> None:
    correction = Correction(id="c1", target=A, changes=(FieldChange("count", Estimate.exactly(2)),))
    log = _log(correction, Retraction(id="r1", target=ActionRef("fixes", "c1")))
    effects = {(e.ref, e.field): (e.before, e.after) for e in effects_of(log.amendments[1], log)}
    assert effects == {
        (A, "count"): (Estimate.exactly(2), Estimate.exactly(1)),
        (ActionRef("fixes", "c1"), "standing"): ("in effect", "retracted"),
    }


def test_a_link_and_a_preference_say_which_member_counts() -> None:
    log = _log(DuplicateLink(id="d1", same=(A, B)), Preference(id="p1", target=A))
    [linked] = effects_of(log.amendments[0], log)
    assert (linked.ref, linked.after) == (A, "counted once as two/b")  # two is published later
    preferred = {(e.ref, e.field): (e.before, e.after) for e in effects_of(log.amendments[1], log)}
    assert preferred == {
        (A, "standing"): ("counted once as two/b", "in effect"),
        (B, "standing"): ("in effect", "counted once as one/a"),
    }


def test_a_cluster_holds_what_names_the_refs_and_nothing_else() -> None:
    log = Ledger(
        (_entry(ONE, "a", 1, 2), _entry(TWO, "b", 3, 4), _entry(TWO, "c", 3, 5)),
        (_amendment(Retraction(id="r1", target=A), 10),),
    )
    cluster = LedgerClusters(log).cluster([A])
    assert [entry.ref for entry in cluster.entries] == [A]
    assert [amendment.ref for amendment in cluster.amendments] == [ActionRef("fixes", "r1")]
    entries = change_entries([*log.entries, *log.amendments], LedgerClusters(log))
    assert [change.kind for change in entries] == ["stated", "stated", "stated", "retraction"]
    assert entries[-1].recorded_by == "ann"
    assert entries[0].recorded_by is None


def test_lag_is_a_range_where_either_date_is_a_span() -> None:
    assert lag_of(_entry(ONE, "a", 1, 2, "2019-08-24")) == Days(4, 4)
    assert lag_of(_entry(ONE, "a", 1, 2, "2019-08-20/2019-08-26")) == Days(2, 8)
    assert lag_of(_entry(ONE, "a", 1, 2, "2019-08-27/2019-08-30")) == Days(0, 1)  # never below zero


def test_quantiles_are_lags_some_action_has() -> None:
    assert [nearest_rank([1, 2, 3, 4], q) for q in (0.25, 0.5, 0.75, 1.0)] == [1, 2, 3, 4]
    group = distribution("x", [Days(1, 1), Days(2, 6), Days(10, 12)])
    assert (group.median, group.max, group.exact) == (Days(2, 6), Days(10, 12), 1)
    assert str(group.median) == "2-6"
    assert str(Days(3, 3)) == "3"


@settings(max_examples=200, deadline=None)
@given(date_spans(), date_spans(max_length=4))
def test_a_lag_range_holds_every_choice_of_days(occurred: DateSpan, published: DateSpan) -> None:
    action = attrs.evolve(killed("2019-08-01", 1, id="k"), occurred=occurred)
    report = ReportRef("r", attrs.evolve(ONE.source, published=published))
    lag = lag_of(Entry(action, report, 2, START, 2))
    for happened in (occurred.start, occurred.end):
        for told in (published.start, published.end):
            assert lag.low <= max(0, (told - happened).days) <= lag.high
