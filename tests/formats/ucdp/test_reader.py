"""The UCDP GED reader on the committed slice: how each column maps, and each edge case of the data."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.domain.actions import Killed
from incidents.domain.values import DateSpan, Estimate, Name, Point, Precision, SplitOf
from incidents.formats.report_file import ReportContent
from incidents.formats.ucdp import UcdpGedFile
from tests.formats.ucdp.conftest import SLICE, csv_rows


@pytest.fixture(scope="module")
def events() -> dict[str, tuple[int, ReportContent]]:
    """Every event of the slice by UCDP id, with its CSV line."""
    return {
        report.key.removeprefix("ucdp-ged-"): (line, report) for line, report in UcdpGedFile(SLICE).reports()
    }


def event(events: dict[str, tuple[int, ReportContent]], ucdp_id: str) -> ReportContent:
    return events[ucdp_id][1]


def killed(report: ReportContent) -> dict[str, Killed]:
    actions = {action.id: action for action in report.actions if isinstance(action, Killed)}
    assert len(actions) == len(report.actions)
    return actions


def ucdp(name: str) -> Name:
    return Name(name, name, known=False)


def test_every_row_is_one_report_keyed_by_its_ucdp_id(events: dict[str, tuple[int, ReportContent]]) -> None:
    rows = csv_rows(SLICE)
    assert list(events) == [row["id"] for row in rows]
    assert [line for line, _report in events.values()] == list(range(2, len(rows) + 2))


def test_an_event_with_deaths_on_both_sides(events: dict[str, tuple[int, ReportContent]]) -> None:
    report = event(events, "214811")  # Government of Syria 6, Syrian insurgents 1: low 7, best 7, high 7
    assert report.key == "ucdp-ged-214811"
    assert report.source.url == "https://ucdp.uu.se/event/214811"
    assert report.source.outlet == "SOHR"
    assert report.source.published == DateSpan.day(date(2016, 1, 1))
    assert report.source.title == report.actions[0].quote
    parts = killed(report)
    assert list(parts) == ["deaths-a", "deaths-b"]
    government, insurgents = parts["deaths-a"], parts["deaths-b"]
    assert (government.side, government.actor) == (ucdp("Government of Syria"), ucdp("Syrian insurgents"))
    assert (insurgents.side, insurgents.actor) == (ucdp("Syrian insurgents"), ucdp("Government of Syria"))
    assert (government.count, insurgents.count) == (Estimate.exactly(6), Estimate.exactly(1))
    assert government.split_of == insurgents.split_of == SplitOf("deaths", Estimate(7, 7, 7))
    assert government.operation == ucdp("Syria: Government")
    assert government.occurred == DateSpan(date(2016, 1, 1), date(2016, 1, 1), Precision.DAY)


def test_the_place_is_ucdps_name_district_and_governorate_with_its_point(
    events: dict[str, tuple[int, ReportContent]],
) -> None:
    place = killed(event(events, "214797"))["deaths-a"].place
    assert place is not None
    assert place.written == "Teir Maaleh village, Ar Rastan district, Homs Governorate"
    assert place.point == Point(36.707602, 34.802462)
    assert (place.unit, place.qualifier) == (None, None)  # never resolved against the Iraq gazetteer


@pytest.mark.parametrize(
    ("ucdp_id", "written", "qualifier"),
    [
        ("214804", "Ein Laroz town, Ariha district, Idlib Governorate", "near"),  # where_prec 2
        ("214831", "Mintaqat Markaz Hamah district, Hamah Governorate", None),  # 3: adm_2 not repeated
        ("216112", "Hamah Governorate", None),  # 4: adm_1 not repeated
        ("216056", "Northern Hamah Governorate, Hamah Governorate", None),  # 5, blank adm_2
        ("214828", "Western Ghouta, Rif Dimashq Governorate", "near"),  # blank adm_2
        ("216201", "Syria", None),  # 6: blank adm_1 and adm_2
    ],
)
def test_where_prec_and_blank_admin_names(
    events: dict[str, tuple[int, ReportContent]], ucdp_id: str, written: str, qualifier: str | None
) -> None:
    place = event(events, ucdp_id).actions[0].place_of_action
    assert place is not None
    assert (place.written, place.qualifier) == (written, qualifier)


def test_civilians_in_a_clash_have_no_actor(events: dict[str, tuple[int, ReportContent]]) -> None:
    parts = killed(event(events, "223555"))  # state-based: insurgents 22, civilians 6
    assert list(parts) == ["deaths-b", "deaths-civilians"]
    civilians = parts["deaths-civilians"]
    assert (civilians.side, civilians.actor, civilians.count) == (
        ucdp("Civilians"),
        None,
        Estimate.exactly(6),
    )


def test_one_sided_violence_names_side_a_as_who_killed_the_civilians(
    events: dict[str, tuple[int, ReportContent]],
) -> None:
    civilians = killed(event(events, "215936"))["deaths-civilians"]  # type 3: IS kills 2 civilians
    assert (civilians.side, civilians.actor, civilians.count) == (
        ucdp("Civilians"),
        ucdp("IS"),
        Estimate.exactly(2),
    )


def test_deaths_of_unknown_status(events: dict[str, tuple[int, ReportContent]]) -> None:
    unknown = killed(event(events, "230054"))["deaths-unknown"]
    assert (unknown.side, unknown.actor, unknown.count) == (ucdp("Unknown"), None, Estimate.exactly(2))


def test_an_event_with_best_zero_keeps_its_estimate_in_one_zero_part(
    events: dict[str, tuple[int, ReportContent]],
) -> None:
    parts = killed(event(events, "218954"))  # every figure 0; low 0, best 0, high 26
    assert list(parts) == ["deaths-unknown"]
    assert parts["deaths-unknown"].count == Estimate.exactly(0)
    assert parts["deaths-unknown"].split_of == SplitOf("deaths", Estimate(0, 0, 26))


def test_a_range_of_the_event_is_kept_on_every_part(events: dict[str, tuple[int, ReportContent]]) -> None:
    parts = killed(event(events, "227950"))  # Government of Israel 1: low 1, best 1, high 2
    assert parts["deaths-a"].count == Estimate.exactly(1)
    assert parts["deaths-a"].split_of == SplitOf("deaths", Estimate(1, 1, 2))


@pytest.mark.parametrize(
    ("ucdp_id", "stated", "flag"),
    [
        ("219459", Estimate(142, 142, 177), "low 177, best 142, high 177 are out of order: kept as 142-177"),
        ("316252", Estimate(20, 40, 40), "low 20, best 40, high 20 are out of order: kept as 20-40"),
        ("313666", Estimate(0, 0, 2), "low 1, best 0, high 2 are out of order: kept as 0-2"),
    ],
)
def test_an_estimate_out_of_order_is_widened_and_flagged(
    events: dict[str, tuple[int, ReportContent]], ucdp_id: str, stated: Estimate, flag: str
) -> None:
    line, report = events[ucdp_id]
    assert {part.split_of for part in killed(report).values()} == {SplitOf("deaths", stated)}
    assert any(note.startswith(f"{SLICE}:{line}: low: {flag}") for note in report.notes)


@pytest.mark.parametrize(
    ("ucdp_id", "start", "end", "precision"),
    [
        ("218702", "2016-01-06", "2016-01-08", Precision.RANGE),  # date_prec 2: within 2-6 days
        ("219468", "2016-01-11", "2016-01-17", Precision.RANGE),  # 3: the week
        ("223796", "2016-01-11", "2016-01-25", Precision.MONTH),  # 4: the month, or 8-30 days
        ("233200", "2016-01-01", "2016-12-31", Precision.YEAR),  # 5: the year
    ],
)
def test_date_prec_maps_to_a_precision(
    events: dict[str, tuple[int, ReportContent]], ucdp_id: str, start: str, end: str, precision: Precision
) -> None:
    expected = DateSpan(date.fromisoformat(start), date.fromisoformat(end), precision)
    assert {action.occurred for action in event(events, ucdp_id).actions} == {expected}


def test_several_sources_make_a_published_span_and_one_outlet_each(
    events: dict[str, tuple[int, ReportContent]],
) -> None:
    source = event(events, "224661").source  # SOHR;Human Rights Watch;SN4HR, three dates
    assert source.published == DateSpan(date(2016, 1, 30), date(2016, 7, 22), Precision.RANGE)
    assert source.outlet == "SOHR; Human Rights Watch; SN4HR"
    assert event(events, "223555").source.outlet == "SOHR"  # SOHR;SOHR


@pytest.mark.parametrize(
    ("ucdp_id", "published", "flag"),
    [
        (
            "214797",
            "2016-01-01",
            "only 2015-01-01, before date_start 2016-01-01: published taken as date_end",
        ),
        (
            "215274",
            "2016-01-02",
            "only 1753-01-01, before date_start 2016-01-02: published taken as date_end",
        ),
        ("216048", "2016-01-04", "2016-01-03 before date_start 2016-01-04: left out"),
    ],
)
def test_source_dates_before_the_event_are_left_out_and_flagged(
    events: dict[str, tuple[int, ReportContent]], ucdp_id: str, published: str, flag: str
) -> None:
    line, report = events[ucdp_id]
    assert report.source.published == DateSpan.day(date.fromisoformat(published))
    assert any(note.startswith(f"{SLICE}:{line}: source_date: {flag}") for note in report.notes)


def test_an_aggregate_event_is_flagged(events: dict[str, tuple[int, ReportContent]]) -> None:
    line, report = events["233200"]
    assert f"{SLICE}:{line}: event_clarity: 2: an aggregate of several events UCDP could not tell apart" in (
        report.notes
    )
    assert event(events, "214811").notes == ()  # a clear, dated, consistent event: nothing to flag


def test_html_entities_in_the_headline_are_decoded(events: dict[str, tuple[int, ReportContent]]) -> None:
    report = event(events, "219459")
    assert report.source.title is not None
    assert "&#" not in report.source.title
    assert "\u201cIslamic State\u201d" in report.source.title
    assert report.actions[0].quote == report.source.title


def test_reading_twice_gives_the_same_digests() -> None:
    first = [report.digest for _line, report in UcdpGedFile(SLICE).reports()]
    assert first == [report.digest for _line, report in UcdpGedFile(SLICE).reports()]
    assert len(set(first)) == len(first)
