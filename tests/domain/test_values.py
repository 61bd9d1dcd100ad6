"""Value objects: DateSpan, Estimate, Place, Name. They validate themselves on construction."""

from __future__ import annotations

import re
from datetime import date

import pytest

from incidents.domain.values import AdminUnit, DateSpan, Estimate, Place, Precision, normalise_name

# --- DateSpan ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2019-08-24", date(2019, 8, 24), date(2019, 8, 24), Precision.DAY),
        ("2019-08-24/2019-08-27", date(2019, 8, 24), date(2019, 8, 27), Precision.RANGE),
        ("2019-08", date(2019, 8, 1), date(2019, 8, 31), Precision.MONTH),
        ("2019-02", date(2019, 2, 1), date(2019, 2, 28), Precision.MONTH),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), Precision.MONTH),  # leap year
        ("2019", date(2019, 1, 1), date(2019, 12, 31), Precision.YEAR),
        ("  2019-08-24  ", date(2019, 8, 24), date(2019, 8, 24), Precision.DAY),
        # Spans between coarser forms cover both ends entirely.
        ("2019-07/2019-08", date(2019, 7, 1), date(2019, 8, 31), Precision.RANGE),
        ("2019-08-30/2019-09", date(2019, 8, 30), date(2019, 9, 30), Precision.RANGE),
        # A span of one day is a day.
        ("2019-08-24/2019-08-24", date(2019, 8, 24), date(2019, 8, 24), Precision.DAY),
    ],
)
def test_date_span_parses_every_iso_form(text: str, start: date, end: date, precision: Precision) -> None:
    parsed = DateSpan.parse(text)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "24/08/2019",
        "2019-8-24",
        "2019-02-30",  # no such day
        "2019-13",  # no such month
        "2019-00",
        "19",
        "2019-08-27/2019-08-24",  # ends before it starts
        "2019-08-24/",
        "/2019-08-24",
        "2019-08-24T10:00",
    ],
)
def test_date_span_rejects_what_is_not_an_iso_date(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is checked below for the main case
        DateSpan.parse(text)


def test_date_span_error_names_the_accepted_forms() -> None:
    with pytest.raises(ValueError, match=r"2019-08-24/2019-08-27.*2019-08.*got 'sometime'"):
        DateSpan.parse("sometime")


def test_date_span_names_an_impossible_day() -> None:
    with pytest.raises(ValueError, match="2019-02-30"):
        DateSpan.parse("2019-02-30")


def test_date_span_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end"):
        DateSpan(date(2019, 8, 2), date(2019, 8, 1))


def test_date_span_default_precision_is_day_or_range() -> None:
    assert DateSpan(date(2019, 8, 1), date(2019, 8, 1)).precision is Precision.DAY
    assert DateSpan(date(2019, 8, 1), date(2019, 8, 2)).precision is Precision.RANGE


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (DateSpan.day(date(2019, 8, 24)), "2019-08-24"),
        (DateSpan(date(2019, 8, 24), date(2019, 8, 27)), "2019-08-24/2019-08-27"),
        (DateSpan.month(2019, 8), "2019-08"),
        (DateSpan.year(2019), "2019"),
        # A month-part or a clipped month is written out as its days, never as the whole month.
        (DateSpan(date(2019, 6, 21), date(2019, 6, 30), Precision.MONTH_PART), "2019-06-21/2019-06-30"),
        (DateSpan(date(2019, 8, 1), date(2019, 8, 28), Precision.MONTH), "2019-08-01/2019-08-28"),
    ],
)
def test_date_span_str(span: DateSpan, text: str) -> None:
    assert str(span) == text


@pytest.mark.parametrize(
    "text", ["2019-08-24", "2019-08-24/2019-08-27", "2019-08", "2019", "2019-12-31/2020-01"]
)
def test_date_span_str_parse_round_trip(text: str) -> None:
    span = DateSpan.parse(text)
    assert DateSpan.parse(str(span)) == span


def test_date_span_str_never_widens_a_year_precision_span() -> None:
    # Regression. A report file may give {from: 2019-03-01, to: 2019-04-01, precision: year};
    # str() must not claim the whole of 2019 (views print spans with str()).
    partial = DateSpan(date(2019, 3, 1), date(2019, 4, 1), Precision.YEAR)
    again = DateSpan.parse(str(partial))
    assert (again.start, again.end) == (partial.start, partial.end)


def test_date_span_days_and_shift() -> None:
    span = DateSpan(date(2019, 8, 30), date(2019, 9, 2), Precision.RANGE)
    assert span.days == 4
    shifted = span.shifted(-7)
    assert shifted == DateSpan(date(2019, 8, 23), date(2019, 8, 26), Precision.RANGE)


# --- Estimate ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", Estimate(5, 5, 5)),
        ("0", Estimate(0, 0, 0)),
        ("14000-18000", Estimate(14000, None, 18000)),
        ("14,000-18,000", Estimate(14000, None, 18000)),
        ("14 000 - 18 000", Estimate(14000, None, 18000)),
        ("14000\u201318000", Estimate(14000, None, 18000)),  # en dash
        ("1,200", Estimate(1200, 1200, 1200)),
    ],
)
def test_estimate_parse(text: str, expected: Estimate) -> None:
    assert Estimate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-1", "cannot be negative"),
        ("18000-14000", "greater than high"),
        ("about twenty", "expected a whole number"),
        ("4.5", "expected a whole number"),
        ("", "expected a whole number"),
        ("5-", "expected a whole number"),
    ],
)
def test_estimate_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Estimate.parse(text)


@pytest.mark.parametrize(
    ("low", "best", "high", "message"),
    [
        (-1, None, 3, "low = -1"),
        (1, None, -3, "high = -3"),
        (1, -1, 3, "best = -1"),
        (5, None, 3, r"low \(5\) is greater than high \(3\)"),
        (1, 4, 3, r"best \(4\) is not between"),
        (2, 1, 3, r"best \(1\) is not between"),
    ],
)
def test_estimate_validates(low: int, best: int | None, high: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Estimate(low, best, high)


def test_estimate_addition_keeps_best_unknown_when_any_part_lacks_one() -> None:
    assert Estimate.exactly(2) + Estimate.exactly(3) == Estimate(5, 5, 5)
    assert Estimate(1, 2, 3) + Estimate(10, None, 20) == Estimate(11, None, 23)
    assert Estimate(10, None, 20) + Estimate(1, 2, 3) == Estimate(11, None, 23)
    assert Estimate(1, 2, 3) + Estimate(4, 5, 9) == Estimate(5, 7, 12)
    assert Estimate.zero() + Estimate(1, 2, 3) == Estimate(1, 2, 3)


def test_estimate_str_and_exactness() -> None:
    assert str(Estimate.exactly(4)) == "4"
    assert Estimate.exactly(4).is_exact
    assert str(Estimate.between(14000, 18000)) == "14000-18000"
    assert not Estimate.between(14000, 18000).is_exact
    assert str(Estimate(15, 20, 25)) == "15-25 (best 20)"


# --- Places and names ----------------------------------------------------------------------------


def test_place_key_is_the_pcode_when_resolved() -> None:
    garma = AdminUnit("IQG01Q01N02", "Al-Garma", 3, "Al-Anbar", "Al-Falluja")
    assert Place("Karma", garma).key == "IQG01Q01N02"
    assert Place("Al-Garma", garma).key == Place("Karma", garma).key
    assert Place("Karma", garma).resolved
    assert Place("Karma", garma).province == "Al-Anbar"
    assert Place("Karma", garma).label == "Al-Garma"


def test_place_key_is_the_normalised_name_when_unresolved() -> None:
    assert Place("Al-Awad").key == "al awad"
    assert Place("AL  AWAD").key == Place("al_awad").key == "al awad"
    assert Place("Niba'a").key == "niba a"
    assert not Place("Al-Awad").resolved
    assert Place("Al-Awad").province is None


def test_place_key_keeps_the_qualifier() -> None:
    anbar = AdminUnit("IQG01", "Al-Anbar", 1, "Al-Anbar")
    south = Place("Anbar", anbar, "south of")
    # "South of Anbar" is not Anbar: it must not share Anbar's key.
    assert south.key != Place("Anbar", anbar).key
    assert south.key == "south of anbar"
    assert south.label == "south of Al-Anbar"
    assert Place("Baghdad", None, "north of").key == "north of baghdad"


def test_admin_unit_str_names_its_parents() -> None:
    assert str(AdminUnit("IQG01Q01N02", "Al-Garma", 3, "Al-Anbar", "Al-Falluja")) == (
        "Al-Garma, Al-Falluja, Al-Anbar"
    )
    assert str(AdminUnit("IQG16Q05", "Samarra", 2, "Salah Al-Din", "Samarra")) == "Samarra, Salah Al-Din"
    assert str(AdminUnit("IQG16", "Salah Al-Din", 1, "Salah Al-Din")) == "Salah Al-Din"


@pytest.mark.parametrize(
    ("a", "b"), [("Al-Garma", "al garma"), ("AL GARMA", "Al_Garma"), ("Niba\u2019a", "niba'a")]
)
def test_normalise_name_folds_case_and_punctuation(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_normalise_name_keeps_different_names_apart() -> None:
    assert normalise_name("Karma") != normalise_name("Karma Island")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("28/08/2019", "got '28/08/2019'"),
        (
            "2019-02-30/2019-03-01",
            "'2019-02-30' is not a real date: day is out of range for month, in '2019-02-30/2019-03-01'",
        ),
    ],
)
def test_a_span_that_does_not_parse_is_quoted_whole(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        DateSpan.parse(text)
