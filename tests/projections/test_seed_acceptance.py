"""The acceptance figures on the two seed reports, on each of the clocks.

Rudaw (published Wed 2019-08-28): phase 4 of Will of Victory began on Saturday 24 August; four
ISIS killed that day (two by coalition airstrikes, two by the PMF), one more by the PMF and seven
arrested between the 24th and the 27th; the outlet claims seven killed and 13 arrested in all.
Al-Shahid (published 28-31 July): seven areas cleared, Khairat and Karma still threatened, a
Federal Police member killed and three wounded at the end of June.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from incidents.domain.actions import AreaStatus, Killed, Metric
from incidents.domain.values import Estimate
from incidents.projections.areas import area_history, area_states
from incidents.projections.claims import compare_claims
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry
from incidents.projections.replay import replay
from incidents.projections.strength import strength_estimates
from incidents.projections.totals import totals
from tests.views import (
    area_history_view,
    areas_view,
    claims_view,
    replay_view,
    strength_view,
    totals_view,
)

ALSHAHID_KEY = "alshahid-2019-07-anti-isis-operations-clear-villages"
RUDAW_KEY = "rudaw-2019-08-28-will-of-victory-phase-4"
CLEARED = {"Umm Najm", "Al-Awad", "Al-Hamra", "Al-Busaaf", "Niba'a", "Eastern Qusaybah", "Al-Qasarat"}


def as_of(text: str) -> Viewpoint:
    return Viewpoint(as_of=date.fromisoformat(text))


def known_at(text: str) -> Viewpoint:
    return Viewpoint(known_at=date.fromisoformat(text))


def total(entries: list[Entry], viewpoint: Viewpoint, metric: str, side: str, **groups: object) -> Any:
    rows = [
        row
        for row in totals_view(entries, viewpoint, list(groups)).rows
        if row["metric"] == metric and row["side"] == side and all(row[k] == v for k, v in groups.items())
    ]
    assert len(rows) <= 1
    return (rows[0]["low"], rows[0]["best"], rows[0]["high"]) if rows else None


# --- Totals ------------------------------------------------------------------------------------


def test_isis_killed_as_of_28_august(seed_entries: list[Entry]) -> None:
    viewpoint = as_of("2019-08-28")
    assert total(seed_entries, viewpoint, "killed", "ISIS") == (5, 5, 5)
    assert total(seed_entries, viewpoint, "killed", "ISIS", actor="US-led coalition") == (2, 2, 2)
    assert total(seed_entries, viewpoint, "killed", "ISIS", actor="PMF") == (3, 3, 3)
    assert total(seed_entries, viewpoint, "arrested", "ISIS") == (7, 7, 7)
    assert total(seed_entries, viewpoint, "killed", "ISIS", phase=4) == (5, 5, 5)
    assert totals_view(seed_entries, viewpoint).uncertain == ()


def test_the_claim_is_never_added_to_the_totals(seed_entries: list[Entry]) -> None:
    # The outlet claims 7 killed and 13 arrested; the totals only sum itemised incidents.
    rows = totals_view(seed_entries, Viewpoint()).rows
    assert {(row["metric"], row["side"]): row["best"] for row in rows} == {
        ("killed", "ISIS"): 5,
        ("arrested", "ISIS"): 7,
        ("killed", "Federal Police"): 1,
        ("wounded", "Federal Police"): 3,
    }


def test_totals_by_actor_and_means(seed_entries: list[Entry]) -> None:
    rows = totals_view(seed_entries, as_of("2019-08-28"), ["actor", "means"]).rows
    isis_killed = [
        (row["actor"], row["means"], row["best"], row["events"])
        for row in rows
        if (row["metric"], row["side"]) == ("killed", "ISIS")
    ]
    assert isis_killed == [("PMF", None, 3, 2), ("US-led coalition", "airstrike", 2, 1)]


def test_no_isis_killed_in_phase_4_before_it_began(seed_entries: list[Entry]) -> None:
    viewpoint = as_of("2019-08-23")
    assert total(seed_entries, viewpoint, "killed", "ISIS") is None
    assert total(seed_entries, viewpoint, "arrested", "ISIS") is None
    assert totals_view(seed_entries, viewpoint).uncertain == ()


def test_on_24_august_four_are_counted_and_the_pmf_kill_is_uncertain(seed_entries: list[Entry]) -> None:
    viewpoint = as_of("2019-08-24")
    assert total(seed_entries, viewpoint, "killed", "ISIS") == (4, 4, 4)
    uncertain = totals_view(seed_entries, viewpoint).uncertain
    assert [(row["id"], row["type"], row["occurred"]) for row in uncertain] == [
        ("pmf-statement-killed", "killed", "2019-08-24/2019-08-27"),
        ("pmf-statement-arrested", "arrested", "2019-08-24/2019-08-27"),
    ]
    assert all("straddles the as-of date 2019-08-24" in row["reason"] for row in uncertain)
    assert uncertain[0]["source"] == "Rudaw English"
    assert uncertain[0]["report"] == RUDAW_KEY


@pytest.mark.parametrize(("day", "expected"), [("2019-08-26", 4), ("2019-08-27", 5)])
def test_the_pmf_kill_counts_once_its_span_has_ended(
    seed_entries: list[Entry], day: str, expected: int
) -> None:
    best = total(seed_entries, as_of(day), "killed", "ISIS")
    assert best == (expected, expected, expected)


def test_federal_police_at_the_end_of_june(seed_entries: list[Entry]) -> None:
    end_of_june = as_of("2019-06-30")
    assert total(seed_entries, end_of_june, "killed", "Federal Police") == (1, 1, 1)
    assert total(seed_entries, end_of_june, "wounded", "Federal Police") == (3, 3, 3)
    midway = as_of("2019-06-25")
    assert total(seed_entries, midway, "killed", "Federal Police") is None
    assert total(seed_entries, midway, "wounded", "Federal Police") is None
    uncertain = totals_view(seed_entries, midway).uncertain
    assert [(row["id"], row["occurred"]) for row in uncertain] == [
        ("federal-police-killed", "2019-06-21/2019-06-30"),
        ("federal-police-wounded", "2019-06-21/2019-06-30"),
    ]
    assert totals_view(seed_entries, as_of("2019-06-20")).rows == ()
    assert totals_view(seed_entries, as_of("2019-06-20")).uncertain == ()


def test_federal_police_by_province(seed_entries: list[Entry]) -> None:
    rows = totals_view(seed_entries, as_of("2019-06-30"), ["province", "area"]).rows
    assert [(row["metric"], row["province"], row["area"]) for row in rows] == [
        ("killed", "Salah Al-Din", "south of Salah Al-Din"),
        ("wounded", "Salah Al-Din", "south of Salah Al-Din"),
    ]


# --- Areas ---------------------------------------------------------------------------------------


def statuses(entries: list[Entry], viewpoint: Viewpoint) -> dict[str, str]:
    return {row["area"]: row["status"] for row in areas_view(entries, viewpoint).rows}


def test_seven_areas_cleared_by_1_august(seed_entries: list[Entry]) -> None:
    found = statuses(seed_entries, as_of("2019-08-01"))
    assert {area for area, status in found.items() if status == "cleared"} == CLEARED
    assert found["desert areas towards Samarra"] == "clearing"


def test_no_area_cleared_by_19_july(seed_entries: list[Entry]) -> None:
    result = areas_view(seed_entries, as_of("2019-07-19"))
    assert result.rows == ()
    assert result.uncertain == ()


def test_on_25_july_the_clearing_is_uncertain(seed_entries: list[Entry]) -> None:
    result = areas_view(seed_entries, as_of("2019-07-25"))
    assert result.rows == ()
    assert {row["summary"].split(":")[0] for row in result.uncertain} >= CLEARED
    assert len(result.uncertain) == 8  # the seven cleared areas and the desert towards Samarra


def test_khairat_and_karma_are_threatened(seed_entries: list[Entry]) -> None:
    rows = {row["area"]: row for row in areas_view(seed_entries, as_of("2019-08-28")).rows}
    assert rows["Khairat"]["status"] == "threatened"
    assert rows["Khairat"]["resolved"] is False
    karma = rows["Al-Garma"]
    assert karma["status"] == "threatened"
    assert karma["pcode"] == "IQG01Q01N02"
    assert karma["province"] == "Al-Anbar"
    assert karma["district"] == "Al-Falluja"
    assert karma["written"] == ["Karma"]
    assert karma["since"] == "2019-07-28/2019-07-31"
    assert karma["source"] == "Al-Shahid Witness"
    assert len(rows) == 12


def test_resolved_areas_sort_by_province_first(seed_entries: list[Entry]) -> None:
    rows = areas_view(seed_entries, as_of("2019-08-28")).rows
    assert rows[0]["area"] == "Al-Garma"
    labels = [row["area"].casefold() for row in rows[1:]]
    assert labels == sorted(labels)


def test_area_history_finds_an_area_by_any_of_its_names(seed_entries: list[Entry]) -> None:
    for name in ("Karma", "Al-Garma", "al garma", "AL GARMA", "Al_Garma"):
        rows = area_history_view(seed_entries, Viewpoint(), name).rows
        assert [(row["area"], row["written"], row["status"], row["standing"]) for row in rows] == [
            ("Al-Garma", "Karma", "threatened", "counted")
        ], name
    assert area_history_view(seed_entries, Viewpoint(), "Karma Island").rows[0]["written"] == "Karma Island"
    assert area_history_view(seed_entries, Viewpoint(), "Atlantis").rows == ()


def test_area_history_finds_an_area_by_its_pcode(seed_entries: list[Entry]) -> None:
    # Regression: the P-code key was compared with the casefolded name, so it never matched.
    rows = area_history_view(seed_entries, Viewpoint(), "IQG01Q01N02").rows
    assert [(row["area"], row["written"]) for row in rows] == [("Al-Garma", "Karma")]


def test_area_history_lists_uncertain_and_drops_excluded(seed_entries: list[Entry]) -> None:
    history = area_history(seed_entries, as_of("2019-07-29"), "Karma").transitions
    assert [standing for _, standing in history] == [Standing.UNCERTAIN]
    assert area_history(seed_entries, as_of("2019-07-27"), "Karma").transitions == ()


def test_area_states_carry_their_transitions(seed_entries: list[Entry]) -> None:
    states = {state.place.label: state for state in area_states(seed_entries, Viewpoint()).states}
    umm_najm = states["Umm Najm"]
    assert umm_najm.status is AreaStatus.CLEARED
    assert umm_najm.reported_by.entry.report.key == ALSHAHID_KEY
    assert umm_najm.reported_by.action.id == "cleared-umm-najm"
    assert umm_najm.latest == umm_najm.reported_by
    assert umm_najm.pending == ()


# --- Claims --------------------------------------------------------------------------------------


def test_claims_against_itemised_incidents(seed_entries: list[Entry]) -> None:
    rows = claims_view(seed_entries, as_of("2019-08-28")).rows
    assert [
        (
            row["metric"],
            row["side"],
            row["scope"],
            row["as_of"],
            row["claimed"],
            row["itemised"],
            row["remainder"],
        )
        for row in rows
    ] == [
        ("killed", "ISIS", "Will of Victory", "2019-08-27", 7, 5, 2),
        ("arrested", "ISIS", "Will of Victory", "2019-08-27", 13, 7, 6),
    ]
    assert all(row["uncertain"] == 0 for row in rows)


def test_a_claim_is_compared_as_of_its_own_date(seed_entries: list[Entry]) -> None:
    claims = compare_claims(seed_entries, Viewpoint())
    (killed_claim, _arrested), uncertain_claims = claims.comparisons, claims.uncertain
    assert uncertain_claims == ()
    assert killed_claim.claim.metric is Metric.KILLED
    assert killed_claim.itemised == Estimate.exactly(5)
    assert [entry.action.id for entry in killed_claim.itemised_entries] == [
        "phase-4-first-day-killed.1",
        "phase-4-first-day-killed.2",
        "pmf-statement-killed",
    ]
    assert killed_claim.remainder == 2


def test_no_claim_before_it_was_made(seed_entries: list[Entry]) -> None:
    assert claims_view(seed_entries, as_of("2019-08-26")).rows == ()


# --- Strength --------------------------------------------------------------------------------------


def test_strength_is_a_range_without_a_best_figure(seed_entries: list[Entry]) -> None:
    rows = strength_view(seed_entries, as_of("2019-08-28")).rows
    assert [(row["side"], row["low"], row["best"], row["high"]) for row in rows] == [
        ("ISIS", 14000, None, 18000)
    ]
    assert rows[0]["estimator"] == "US Department of Defense"
    assert rows[0]["occurred"] == "2019-08-01/2019-08-28"
    # "In August": not yet certain in mid-August, so not counted, but listed as uncertain.
    mid_august = strength_view(seed_entries, as_of("2019-08-15"))
    assert mid_august.rows == ()
    assert [row["id"] for row in mid_august.uncertain] == ["remaining-militants"]
    assert strength_view(seed_entries, as_of("2019-07-31")).uncertain == ()
    strength = strength_estimates(seed_entries, Viewpoint())
    counted, uncertain = strength.estimates, strength.uncertain
    assert (len(counted), uncertain) == (1, ())


# --- The reported clock ------------------------------------------------------------------------


def test_known_at_27_july_sees_nothing_of_the_alshahid_report(seed_entries: list[Entry]) -> None:
    viewpoint = known_at("2019-07-27")
    for view in (totals_view, areas_view, replay_view):
        result = view(seed_entries, viewpoint)
        assert result.rows == ()
        assert result.uncertain == ()


def test_known_at_29_july_lists_the_alshahid_report_as_uncertain(seed_entries: list[Entry]) -> None:
    viewpoint = known_at("2019-07-29")
    result = totals_view(seed_entries, viewpoint)
    assert result.rows == ()
    assert {row["report"] for row in result.uncertain} == {ALSHAHID_KEY}
    assert all(
        "published 2019-07-28/2019-07-31 straddles the known-at date 2019-07-29" in r["reason"]
        for r in result.uncertain
    )
    areas = areas_view(seed_entries, viewpoint)
    assert areas.rows == ()
    assert len(areas.uncertain) == 12
    assert len(replay_view(seed_entries, viewpoint).uncertain) == 16


def test_known_at_1_august_sees_the_alshahid_report_but_not_rudaw(seed_entries: list[Entry]) -> None:
    viewpoint = known_at("2019-08-01")
    assert total(seed_entries, viewpoint, "killed", "Federal Police") == (1, 1, 1)
    assert total(seed_entries, viewpoint, "killed", "ISIS") is None
    assert claims_view(seed_entries, viewpoint).rows == ()
    assert strength_view(seed_entries, viewpoint).rows == ()


def test_the_clocks_combine(seed_entries: list[Entry]) -> None:
    # Known at 28 August, as of 24 August: Rudaw is known, the PMF kill is still uncertain.
    viewpoint = Viewpoint(as_of=date(2019, 8, 24), known_at=date(2019, 8, 28))
    assert total(seed_entries, viewpoint, "killed", "ISIS") == (4, 4, 4)
    assert len(totals_view(seed_entries, viewpoint).uncertain) == 2


# --- Replay ----------------------------------------------------------------------------------------


def test_replay_in_occurred_order_with_running_totals(seed_entries: list[Entry]) -> None:
    rows = replay_view(seed_entries, Viewpoint(as_of=date(2019, 8, 28))).rows
    assert len(rows) == 25
    occurred = [row["occurred"] for row in rows]
    assert occurred[:2] == ["2019-06-21/2019-06-30", "2019-06-21/2019-06-30"]
    assert occurred[-2:] == ["2019-08-27", "2019-08-27"]
    isis_killed = [
        row["running_best"] for row in rows if row["type"] == "killed" and row["summary"].startswith("ISIS ")
    ]
    assert isis_killed == [2, 4, 5]
    last = rows[-1]["totals"]
    assert {(t["metric"], t["side"]): t["best"] for t in last} == {
        ("killed", "Federal Police"): 1,
        ("killed", "ISIS"): 5,
        ("wounded", "Federal Police"): 3,
        ("arrested", "ISIS"): 7,
    }
    assert [row["running_best"] for row in rows if row["type"] == "total_claimed"] == [None, None]


def test_replay_until_24_august(seed_entries: list[Entry]) -> None:
    result = replay(seed_entries, as_of("2019-08-24"))
    assert [judged.entry.action.id for judged in result.uncertain] == [
        "remaining-militants",  # "in August": 1-28 August
        "pmf-statement-killed",
        "pmf-statement-arrested",
    ]
    last_kill = [step for step in result.steps if isinstance(step.entry.action, Killed)][-1]
    assert last_kill.running_for(Metric.KILLED, "ISIS") == Estimate.exactly(4)
    assert last_kill.running_for(Metric.ARRESTED, "ISIS") is None


def test_totals_fold_equals_the_view(seed_entries: list[Entry]) -> None:
    result = totals(seed_entries, as_of("2019-08-28"), ["actor"])
    view = totals_view(seed_entries, as_of("2019-08-28"), ["actor"])
    assert [(r.metric.value, r.side, dict(r.groups)["actor"], r.estimate.best) for r in result.rows] == [
        (row["metric"], row["side"], row["actor"], row["best"]) for row in view.rows
    ]
