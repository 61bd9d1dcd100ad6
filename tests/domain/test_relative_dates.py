"""Relative dates of news prose, resolved against the publication date (a day or a span)."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.domain.relative_dates import resolve_relative
from incidents.domain.values import DateSpan, Precision

WEDNESDAY = DateSpan.parse("2019-08-28")  # Rudaw's article
LATE_JULY = DateSpan.parse("2019-07-28/2019-07-31")  # the undated Al-Shahid page


def resolved(phrase: str, published: DateSpan) -> tuple[str, Precision]:
    """The span as "start/end" (or the day), and its precision."""
    span = resolve_relative(phrase, published)
    days = span.start.isoformat() if span.start == span.end else f"{span.start}/{span.end}"
    return days, span.precision


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("today", "2019-08-28", Precision.DAY),
        ("yesterday", "2019-08-27", Precision.DAY),
        ("Yesterday.", "2019-08-27", Precision.DAY),
        ("on Saturday", "2019-08-24", Precision.DAY),
        ("Saturday", "2019-08-24", Precision.DAY),
        ("last Saturday", "2019-08-24", Precision.DAY),  # published on a Wednesday
        ("on Saturday morning", "2019-08-24", Precision.DAY),
        ("Saturday night", "2019-08-24", Precision.DAY),
        ("on Monday", "2019-08-26", Precision.DAY),
        ("on Thursday", "2019-08-22", Precision.DAY),
        ("on Wednesday", "2019-08-28", Precision.DAY),  # the publication day itself
        ("two days ago", "2019-08-26", Precision.DAY),
        ("3 days ago", "2019-08-25", Precision.DAY),
        ("a day ago", "2019-08-27", Precision.DAY),
        ("a week ago", "2019-08-21", Precision.DAY),
        ("just a week ago", "2019-08-21", Precision.DAY),
        ("two weeks ago", "2019-08-14", Precision.DAY),
        ("over three weeks ago", "2019-07-31/2019-08-06", Precision.RANGE),
        ("more than two weeks ago", "2019-08-07/2019-08-13", Precision.RANGE),
        ("in August", "2019-08-01/2019-08-28", Precision.MONTH),  # not after publication
        ("in July", "2019-07-01/2019-07-31", Precision.MONTH),
        ("in September", "2018-09-01/2018-09-30", Precision.MONTH),  # September 2019 had not begun
        ("July 7", "2019-07-07", Precision.DAY),
        ("on July 7th", "2019-07-07", Precision.DAY),
        ("August 28", "2019-08-28", Precision.DAY),
        ("August 29", "2018-08-29", Precision.DAY),  # the most recent 29 August
        ("early July", "2019-07-01/2019-07-10", Precision.MONTH_PART),
        ("mid-July", "2019-07-11/2019-07-20", Precision.MONTH_PART),
        ("late July", "2019-07-21/2019-07-31", Precision.MONTH_PART),
        ("at the end of June", "2019-06-21/2019-06-30", Precision.MONTH_PART),
        ("late February", "2019-02-21/2019-02-28", Precision.MONTH_PART),  # no 29-31 February
    ],
)
def test_phrases_against_a_publication_day(phrase: str, expected: str, precision: Precision) -> None:
    assert resolved(phrase, WEDNESDAY) == (expected, precision)


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        # The acceptance examples: every phrase becomes a span when the publication is a span.
        ("a week ago", "2019-07-21/2019-07-24", Precision.RANGE),
        ("just a week ago", "2019-07-21/2019-07-24", Precision.RANGE),
        ("over three weeks ago", "2019-06-30/2019-07-09", Precision.RANGE),
        ("at the end of June", "2019-06-21/2019-06-30", Precision.MONTH_PART),
        ("yesterday", "2019-07-27/2019-07-30", Precision.RANGE),
        ("today", "2019-07-28/2019-07-31", Precision.RANGE),
        ("on Saturday", "2019-07-27", Precision.DAY),  # 28 Jul is a Sunday, 31 Jul a Wednesday
        ("on Monday", "2019-07-22/2019-07-29", Precision.RANGE),
        ("in July", "2019-07-01/2019-07-31", Precision.MONTH),
    ],
)
def test_phrases_against_a_publication_span(phrase: str, expected: str, precision: Precision) -> None:
    assert resolved(phrase, LATE_JULY) == (expected, precision)


def test_a_phrase_across_new_year_resolves_to_the_hull_of_both_readings() -> None:
    published = DateSpan.parse("2019-12-30/2020-01-02")
    span = resolve_relative("in January", published)
    # Published on 30 Dec it means January 2019; on 2 Jan, January 2020 (up to the 2nd).
    assert (span.start, span.end) == (date(2019, 1, 1), date(2020, 1, 2))


@pytest.mark.parametrize(
    "phrase",
    ["sometime", "next week", "a fortnight ago", "eleven days ago", "in Augustember", "early", "July 7 2019"],
)
def test_unknown_phrases_are_an_error_naming_what_works(phrase: str) -> None:
    with pytest.raises(
        ValueError, match=r"cannot resolve the date .*; expected an ISO date or today, yesterday"
    ):
        resolve_relative(phrase, WEDNESDAY)


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        ("late August", "2019-08-10", "2018-08-21/2018-08-31"),  # late August 2019 had not begun
        ("mid August", "2019-08-10", "2018-08-11/2018-08-20"),
        ("at the end of June", "2019-06-25", "2019-06-21/2019-06-25"),  # cut off at publication
        ("early July", "2019-07-05", "2019-07-01/2019-07-05"),
        ("early July", "2019-07-01", "2019-07-01"),
        ("late July", "2019-07-28/2019-07-31", "2019-07-21/2019-07-31"),
    ],
)
def test_month_parts_near_publication(phrase: str, published: str, expected: str) -> None:
    assert resolved(phrase, DateSpan.parse(published)) == (expected, Precision.MONTH_PART)


@pytest.mark.parametrize(
    ("phrase", "published"),
    [
        ("late August", "2019-08-10"),  # late August 2019 had not begun on 10 August
        ("mid August", "2019-08-10"),
        ("at the end of June", "2019-06-25"),  # cannot mean 26-30 June
        ("early July", "2019-07-05"),
    ],
)
def test_a_month_part_never_ends_after_publication(phrase: str, published: str) -> None:
    # Regression. "in August" in an article of 28 August is clipped to the 28th, and "August 29"
    # means 2018; a month part follows the same rule: news prose reports what has happened.
    publication = DateSpan.parse(published)
    assert resolve_relative(phrase, publication).end <= publication.end


SATURDAY = DateSpan.parse("2019-08-24")  # the first day of phase 4


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("last Saturday", "2019-08-17"),  # the week before, never the publication day itself
        ("this past Saturday", "2019-08-17"),
        ("on last Saturday", "2019-08-17"),
        ("last Saturday night", "2019-08-17"),
        ("on Saturday", "2019-08-24"),  # "on Saturday" in Saturday's paper is that day
        ("Saturday", "2019-08-24"),
        ("last Friday", "2019-08-23"),
        ("last Sunday", "2019-08-18"),
    ],
)
def test_last_weekday_in_a_report_of_that_weekday_is_the_week_before(phrase: str, expected: str) -> None:
    assert resolved(phrase, SATURDAY) == (expected, Precision.DAY)


def test_last_weekday_from_an_uncertain_publication_is_a_span() -> None:
    # Published some day of Friday 23 to Sunday 25 August: "last Saturday" is the 17th or the 24th.
    assert resolved("last Saturday", DateSpan.parse("2019-08-23/2019-08-25")) == (
        "2019-08-17/2019-08-24",
        Precision.RANGE,
    )
