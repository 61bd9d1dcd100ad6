"""The pure folds on small, hand-built logs: clocks, totals, areas, claims, replay, descriptions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from incidents.domain.actions import (
    AreaCleared,
    AreaStatus,
    ClearingStarted,
    Metric,
    OperationLaunched,
    PhaseEnded,
    PhaseLaunched,
    StrengthEstimated,
    ThreatReported,
)
from incidents.domain.values import AdminUnit, Estimate, Name, Place
from incidents.output.describe import scope_label, summarise
from incidents.projections.areas import area_states
from incidents.projections.claims import Claims, compare_claims
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry
from incidents.projections.replay import replay
from incidents.projections.totals import GROUPINGS, totals
from tests.builders import (
    ANBAR,
    GARMA,
    ISIS,
    OPERATION,
    PMF,
    area,
    arrested,
    claim,
    content,
    day,
    entries_of,
    killed,
    seized,
    span,
    wounded,
)

# --- Clocks -------------------------------------------------------------------------------------


def one_entry(occurred: str = "2019-08-24/2019-08-27", published: str = "2019-08-28/2019-08-30") -> Entry:
    (entry,) = entries_of([content("r", published, [killed(occurred, 1)])])
    return entry


@pytest.mark.parametrize(
    ("as_of", "standing"),
    [
        (None, Standing.COUNTED),
        ("2019-08-23", Standing.EXCLUDED),
        ("2019-08-24", Standing.UNCERTAIN),
        ("2019-08-26", Standing.UNCERTAIN),
        ("2019-08-27", Standing.COUNTED),
        ("2019-12-31", Standing.COUNTED),
    ],
)
def test_as_of_judges_the_occurred_span(as_of: str | None, standing: Standing) -> None:
    viewpoint = Viewpoint(as_of=day(as_of) if as_of else None)
    assert viewpoint.judge(one_entry()).standing is standing


@pytest.mark.parametrize(
    ("known_at", "standing"),
    [("2019-08-27", Standing.EXCLUDED), ("2019-08-28", Standing.UNCERTAIN), ("2019-08-30", Standing.COUNTED)],
)
def test_known_at_judges_the_publication_span(known_at: str, standing: Standing) -> None:
    assert Viewpoint(known_at=day(known_at)).judge(one_entry()).standing is standing


def test_reasons_say_which_clock_and_why() -> None:
    entry = one_entry()
    verdict = Viewpoint(as_of=day("2019-08-25"), known_at=day("2019-08-29")).judge(entry)
    assert verdict.standing is Standing.UNCERTAIN
    assert verdict.reason == (
        "published 2019-08-28/2019-08-30 straddles the known-at date 2019-08-29; "
        "occurred 2019-08-24/2019-08-27 straddles the as-of date 2019-08-25"
    )
    excluded = Viewpoint(as_of=day("2019-08-01")).judge(entry)
    assert excluded.reason == "occurred 2019-08-24/2019-08-27, after the as-of date 2019-08-01"
    # Not yet published wins over not yet happened: what was not known is excluded, whatever its date.
    unknown = Viewpoint(as_of=day("2019-08-25"), known_at=day("2019-08-01")).judge(entry)
    assert unknown.standing is Standing.EXCLUDED
    assert unknown.reason is not None
    assert unknown.reason.startswith("published")


def test_recorded_at_by_position_and_by_time() -> None:
    entry = one_entry()  # position 2, recorded 2026-01-01T00:00:02Z
    assert Viewpoint(recorded_at=2).sees(entry)
    assert not Viewpoint(recorded_at=1).sees(entry)
    assert Viewpoint(recorded_at=datetime(2026, 1, 1, 0, 0, 2, tzinfo=UTC)).sees(entry)
    assert not Viewpoint(recorded_at=datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)).sees(entry)
    verdict = Viewpoint(as_of=day("2019-08-27"), recorded_at=1).judge(entry)
    assert (verdict.standing, verdict.reason) == (Standing.EXCLUDED, "recorded after 1")


def test_viewpoint_describes_itself() -> None:
    viewpoint = Viewpoint(as_of=day("2019-08-28"), recorded_at=42)
    assert viewpoint.describe() == {"as_of": "2019-08-28", "known_at": None, "recorded_at": "42"}
    assert viewpoint.with_as_of(day("2019-08-01")) == Viewpoint(as_of=day("2019-08-01"), recorded_at=42)


# --- Totals --------------------------------------------------------------------------------------


def test_totals_sum_estimates_and_lose_best_when_a_part_has_none() -> None:
    entries = entries_of(
        [
            content("a", "2019-08-28", [killed("2019-08-24", Estimate(1, 2, 3), id="1")]),
            content("b", "2019-08-28", [killed("2019-08-25", Estimate.between(10, 20), id="1")]),
            content("c", "2019-08-28", [killed("2019-08-25", 4, side=PMF, id="1")]),
        ]
    )
    rows = totals(entries, Viewpoint()).rows
    assert [(row.side, row.estimate, row.events) for row in rows] == [
        ("ISIS", Estimate(11, None, 23), 2),
        ("PMF", Estimate.exactly(4), 1),
    ]


def test_totals_rows_follow_the_metric_order_then_side() -> None:
    report = content(
        "r",
        "2019-08-28",
        [
            arrested("2019-08-24", 1, id="1"),
            wounded("2019-08-24", 1, id="2", side=PMF),
            killed("2019-08-24", 1, id="3", side=PMF),
            killed("2019-08-24", 1, id="4"),
            seized("2019-08-24", 9, "rifles", id="5"),
        ],
    )
    rows = totals(entries_of([report]), Viewpoint()).rows
    assert [(row.metric, row.side) for row in rows] == [
        (Metric.KILLED, "ISIS"),
        (Metric.KILLED, "PMF"),
        (Metric.WOUNDED, "PMF"),
        (Metric.ARRESTED, "ISIS"),
        (Metric.SEIZED, "ISIS"),
    ]


def test_every_grouping() -> None:
    report = content(
        "r",
        "2019-08-28",
        [
            killed(
                "2019-07-30/2019-08-02",
                2,
                id="1",
                actor=PMF,
                operation=OPERATION,
                phase=4,
                place=Place("Karma", GARMA),
                means="raid",
            ),
            seized("2019-08-24", 9, "rifles", id="2"),
        ],
        outlet="Rudaw English",
    )
    (row, seized_row) = totals(entries_of([report]), Viewpoint(), list(GROUPINGS)).rows
    assert dict(row.groups) == {
        "actor": "PMF",
        "operation": "Will of Victory",
        "phase": 4,  # a number, as in every answer (issue 12)
        "province": "Al-Anbar",
        "district": "Al-Falluja",
        "area": "Al-Garma",
        "means": "raid",
        "year": "2019",
        "month": "2019-08",  # grouped by when the span ends
        "outlet": "Rudaw English",
    }
    assert "side" not in dict(row.groups)
    assert "item" not in dict(row.groups)  # the row's own column, as side
    assert (row.item, seized_row.item) == (None, "rifles")
    assert dict(seized_row.groups)["province"] is None


def test_places_without_a_unit_have_no_province() -> None:
    report = content("r", "2019-08-28", [killed("2019-08-24", 1, place=Place("Umm Najm"))])
    (row,) = totals(entries_of([report]), Viewpoint(), ["province", "area"]).rows
    assert dict(row.groups) == {"province": None, "area": "Umm Najm"}


def test_unknown_grouping() -> None:
    with pytest.raises(ValueError, match="cannot group by colour; expected any of: side, actor"):
        totals([], Viewpoint(), ["colour"])


# --- Areas ---------------------------------------------------------------------------------------


KARMA = Place("Karma", GARMA)
AL_GARMA = Place("Al-Garma", GARMA)


def karma_history() -> list[Entry]:
    return entries_of(
        [
            content("a", "2019-07-31", [area(ThreatReported, "2019-07-20", KARMA, "t1")]),
            content("b", "2019-08-05", [area(ClearingStarted, "2019-08-01", AL_GARMA, "c1")]),
            content("c", "2019-08-10", [area(AreaCleared, "2019-08-08", KARMA, "x1")]),
            content("d", "2019-08-12", [area(AreaCleared, "2019-08-11", KARMA, "x2")]),
            content("e", "2019-08-30", [area(ThreatReported, "2019-08-20/2019-08-29", KARMA, "t2")]),
        ]
    )


@pytest.mark.parametrize(
    ("as_of", "status", "since", "pending"),
    [
        ("2019-07-25", AreaStatus.THREATENED, "2019-07-20", 0),
        ("2019-08-01", AreaStatus.CLEARING, "2019-08-01", 0),
        ("2019-08-09", AreaStatus.CLEARED, "2019-08-08", 0),
        ("2019-08-15", AreaStatus.CLEARED, "2019-08-08", 0),  # a second report of the same status
        ("2019-08-25", AreaStatus.CLEARED, "2019-08-08", 1),  # the new threat straddles the day
        ("2019-08-29", AreaStatus.THREATENED, "2019-08-20/2019-08-29", 0),
    ],
)
def test_area_status_is_a_state_machine(as_of: str, status: AreaStatus, since: str, pending: int) -> None:
    (state,) = area_states(karma_history(), Viewpoint(as_of=day(as_of))).states
    assert state.status is status
    assert str(state.since) == since
    assert len(state.pending) == pending
    assert state.place.key == "IQG01Q01N02"


def test_an_area_is_one_area_whatever_the_spelling() -> None:
    (state,) = area_states(karma_history(), Viewpoint()).states
    assert state.written == ("Karma", "Al-Garma")
    assert state.reported_by.action.id == "t2"
    assert state.latest.entry.report.key == "e"


def test_an_area_with_only_uncertain_reports_is_listed_apart() -> None:
    result = area_states(karma_history(), Viewpoint(as_of=day("2019-07-19")))
    assert result.states == ()
    assert result.uncertain == ()
    entries = entries_of(
        [content("a", "2019-07-31", [area(ThreatReported, "2019-07-20/2019-07-25", KARMA, "t")])]
    )
    result = area_states(entries, Viewpoint(as_of=day("2019-07-22")))
    assert result.states == ()
    assert [judged.entry.action.id for judged in result.uncertain] == ["t"]


def test_area_order_does_not_depend_on_the_order_of_entries() -> None:
    shuffled = list(reversed(karma_history()))
    assert area_states(shuffled, Viewpoint(as_of=day("2019-08-25"))) == area_states(
        karma_history(), Viewpoint(as_of=day("2019-08-25"))
    )


def test_areas_alike_in_name_and_province_are_ordered_whatever_the_load_order() -> None:
    # Regression: areas sorted by (province, label) alone kept their load order here.
    district = Place("Qaryat", AdminUnit("IQG01Q09", "Qaryat", 2, "Al-Anbar", "Qaryat"))
    elsewhere = Place("Qaryat", AdminUnit("IQG01Q08N07", "Qaryat", 3, "Al-Anbar", "Heet"))
    a = content("a", "2019-08-28", [area(ThreatReported, "2019-08-01", district, "1")])
    b = content("b", "2019-08-28", [area(ThreatReported, "2019-08-01", elsewhere, "1")])
    in_order = area_states(entries_of([a, b]), Viewpoint()).states
    reversed_order = area_states(entries_of([b, a]), Viewpoint()).states
    assert [s.place.key for s in in_order] == [s.place.key for s in reversed_order]


def test_a_qualified_place_is_not_the_place_itself() -> None:
    south_of_anbar = Place("Anbar", ANBAR, "south of")
    entries = entries_of(
        [
            content(
                "a",
                "2019-08-28",
                [
                    area(ThreatReported, "2019-08-01", Place("Anbar", ANBAR), "1"),
                    area(AreaCleared, "2019-08-02", south_of_anbar, "2"),
                ],
            )
        ]
    )
    states = area_states(entries, Viewpoint()).states
    assert sorted((state.place.label, state.status.value) for state in states) == [
        ("Al-Anbar", "threatened"),
        ("south of Al-Anbar", "cleared"),
    ]


# --- Claims --------------------------------------------------------------------------------------


def claims_log() -> list[Entry]:
    scoped = {"operation": OPERATION}
    return entries_of(
        [
            content(
                "r",
                "2019-08-28",
                [
                    killed("2019-08-01", 3, id="p3", phase=3, **scoped),
                    killed("2019-08-24", 2, id="p4", phase=4, **scoped),
                    killed("2019-08-24/2019-08-28", 1, id="straddling", phase=4, **scoped),
                    killed("2019-08-24", 50, id="other-operation", operation=Name("Other", "Other")),
                    killed("2019-08-24", 60, id="no-operation"),
                    killed("2019-08-24", 70, id="other-side", side=PMF, **scoped),
                    wounded("2019-08-24", 80, id="other-metric", **scoped),
                    killed("2019-08-28", 90, id="after-the-claim", phase=4, **scoped),
                    claim("2019-08-27", Metric.KILLED, 4, id="phase-claim", phase=4, **scoped),
                    claim("2019-08-27", Metric.KILLED, 4, id="operation-claim", **scoped),
                    claim("2019-08-27", Metric.KILLED, 100, id="any-claim"),
                ],
            )
        ]
    )


def test_claims_compare_with_the_counted_actions_in_their_scope() -> None:
    answer = compare_claims(claims_log(), Viewpoint())
    found, uncertain_claims = answer.comparisons, answer.uncertain
    assert uncertain_claims == ()
    comparisons = {c.claim.id: c for c in found}
    phase = comparisons["phase-claim"]
    assert [e.action.id for e in phase.itemised_entries] == ["p4"]
    assert phase.itemised == Estimate.exactly(2)
    assert phase.remainder == 2
    assert [judged.entry.action.id for judged in phase.uncertain] == ["straddling"]
    operation = comparisons["operation-claim"]
    assert [e.action.id for e in operation.itemised_entries] == ["p3", "p4"]
    assert operation.remainder == -1  # the itemised incidents exceed the claim
    anywhere = comparisons["any-claim"]
    assert [e.action.id for e in anywhere.itemised_entries] == ["p3", "p4", "other-operation", "no-operation"]
    assert anywhere.remainder == 100 - 115


def test_claims_follow_the_viewpoint() -> None:
    assert compare_claims(claims_log(), Viewpoint(as_of=day("2019-08-26"))) == Claims((), ())
    assert len(compare_claims(claims_log(), Viewpoint(as_of=day("2019-08-27"))).comparisons) == 3
    # The claim's own date decides what is itemised, not the viewpoint's as-of date.
    late = {
        c.claim.id: c for c in compare_claims(claims_log(), Viewpoint(as_of=day("2019-12-31"))).comparisons
    }
    assert late["phase-claim"].itemised == Estimate.exactly(2)


def test_a_claim_whose_date_straddles_the_viewpoint_is_uncertain() -> None:
    entries = entries_of(
        [
            content(
                "r", "2019-08-30", [killed("2019-08-24", 2), claim("2019-08-25/2019-08-28", Metric.KILLED, 7)]
            )
        ]
    )
    answer = compare_claims(entries, Viewpoint(as_of=day("2019-08-26")))
    comparisons, uncertain = answer.comparisons, answer.uncertain
    assert comparisons == ()
    assert [judged.entry.action.id for judged in uncertain] == ["c"]
    assert uncertain[0].verdict.standing is Standing.UNCERTAIN
    answer = compare_claims(entries, Viewpoint(as_of=day("2019-08-28")))
    (comparison,), uncertain = answer.comparisons, answer.uncertain
    assert (comparison.itemised, comparison.remainder, uncertain) == (Estimate.exactly(2), 5, ())


def test_a_claim_or_itemised_sum_without_best_has_no_remainder() -> None:
    entries = entries_of(
        [
            content(
                "r",
                "2019-08-28",
                [
                    killed("2019-08-24", Estimate.between(1, 3), id="k"),
                    claim("2019-08-27", Metric.KILLED, 7, id="c"),
                ],
            )
        ]
    )
    (comparison,) = compare_claims(entries, Viewpoint()).comparisons
    assert comparison.itemised == Estimate(1, None, 3)
    assert comparison.remainder is None


# --- Replay and descriptions ---------------------------------------------------------------------


def test_replay_orders_by_occurred_then_publication_then_report() -> None:
    entries = entries_of(
        [
            content("z", "2019-08-28", [killed("2019-08-24", 1, id="1")]),
            content("a", "2019-08-28", [killed("2019-08-24", 1, id="1")]),
            content("m", "2019-08-26", [killed("2019-08-24", 1, id="1")]),
            content("b", "2019-08-28", [killed("2019-08-20/2019-08-24", 1, id="1")]),
        ]
    )
    steps = replay(entries, Viewpoint()).steps
    assert [step.entry.report.key for step in steps] == ["b", "m", "a", "z"]
    assert [step.running_for(Metric.KILLED, "ISIS") for step in steps] == [
        Estimate.exactly(n) for n in (1, 2, 3, 4)
    ]


def test_summaries() -> None:
    phase = {"operation": OPERATION, "phase": 4}
    cases = [
        (
            killed("2019-08-24", 2, actor=PMF, means="airstrike", place=KARMA),
            "ISIS killed 2 by PMF (airstrike) in Al-Garma",
        ),
        (
            seized("2019-08-24", 3, "rifles", id="s"),
            "ISIS rifles seized: 3",
        ),
        (area(AreaCleared, "2019-08-24", Place("Umm Najm"), "a"), "Umm Najm: cleared"),
        (
            OperationLaunched(id="o", occurred=span("2019-07-07"), quote="q", operation=OPERATION, aim="win"),
            "operation Will of Victory launched to win",
        ),
        (
            PhaseLaunched(id="p", occurred=span("2019-08-24"), quote="q", **phase),
            "Will of Victory phase 4 launched",
        ),
        (
            PhaseEnded(id="e", occurred=span("2019-08-30"), quote="q", **phase),
            "Will of Victory phase 4 ended",
        ),
        (
            claim("2019-08-27", Metric.KILLED, 7, operation=OPERATION),
            "claim: ISIS killed total 7 in Will of Victory",
        ),
        (
            StrengthEstimated(
                id="x",
                occurred=span("2019-08"),
                quote="q",
                side=ISIS,
                count=Estimate.between(14000, 18000),
                region="Iraq",
            ),
            "ISIS strength 14000-18000 in Iraq",
        ),
    ]
    for action, text in cases:
        assert summarise(action) == text
    assert scope_label(killed("2019-08-24", 1)) is None
