"""Dates told from another action of the same report: "on the second day of operations", "on
Monday" after a launch (``relative_dates.after_action``)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.relative_dates import after_action
from incidents.domain.values import DateSpan, Precision
from tests.strategies import date_spans

FAST = settings(max_examples=200, deadline=None)
weekdays = st.sampled_from(list(calendar.day_name))
LAUNCH = DateSpan.parse("2019-08-24")  # Saturday: phase 4 of Will of Victory
LATE_AUGUST = DateSpan.parse("2019-08-24/2019-08-27")  # Saturday to Tuesday


@pytest.mark.parametrize(
    ("anchor", "day", "weekday", "expected", "precision"),
    [
        (LAUNCH, 1, None, "2019-08-24", Precision.DAY),  # the first day is the launch's own
        (LAUNCH, 2, None, "2019-08-25", Precision.DAY),
        (LAUNCH, None, "Monday", "2019-08-26", Precision.DAY),
        (LAUNCH, None, "Saturday", "2019-08-31", Precision.DAY),  # after it: never its own day
        (LAUNCH, None, "Sunday", "2019-08-25", Precision.DAY),
        (LATE_AUGUST, 2, None, "2019-08-25/2019-08-28", Precision.RANGE),
        (LATE_AUGUST, None, "Monday", "2019-08-26/2019-09-02", Precision.RANGE),
        (DateSpan.month(2019, 7), 2, None, "2019-07-02/2019-08-01", Precision.RANGE),
    ],
)
def test_dates_after_an_action(
    anchor: DateSpan, day: int | None, weekday: str | None, expected: str, precision: Precision
) -> None:
    span = after_action(anchor, day=day, weekday=weekday)
    assert (f"{span.start}/{span.end}" if span.start != span.end else f"{span.start}", span.precision) == (
        expected,
        precision,
    )


@pytest.mark.parametrize(
    ("day", "weekday", "message"),
    [
        (None, None, "a day number or a weekday"),
        (2, "Monday", "a day number or a weekday"),
        (0, None, "day 1"),
        (None, "Mon", "expected a weekday"),
    ],
)
def test_what_a_date_after_an_action_refuses(day: int | None, weekday: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        after_action(LAUNCH, day=day, weekday=weekday)


def test_a_date_past_the_last_year_is_refused_not_a_traceback() -> None:
    with pytest.raises(ValueError, match="the year 3000 is not between"):
        after_action(DateSpan.day(date(2999, 12, 30)), day=5)


@FAST
@given(anchor=date_spans(max_length=40), day=st.integers(1, 999))
def test_the_nth_day_is_the_anchor_moved_by_n_minus_one_days(anchor: DateSpan, day: int) -> None:
    span = after_action(anchor, day=day)
    assert span.start == anchor.start + timedelta(days=day - 1)
    assert span.days == anchor.days  # exactly as uncertain as the anchor: never more precise
    assert span.start >= anchor.start
    assert span.end >= anchor.end
    assert (span.precision is Precision.DAY) == (span.days == 1)


@FAST
@given(anchor=date_spans(max_length=40), weekday=weekdays)
def test_a_weekday_after_an_action_follows_it_and_covers_every_day_it_can_mean(
    anchor: DateSpan, weekday: str
) -> None:
    span = after_action(anchor, weekday=weekday)
    assert span.start > anchor.start
    assert span.end > anchor.end
    assert span.end - anchor.end <= timedelta(days=7)  # within the week that follows
    assert span.start.strftime("%A") == weekday == span.end.strftime("%A")
    # Whichever day of the anchor's span it was, the weekday after it is inside the result.
    for offset in range(anchor.days):
        possible = anchor.start + timedelta(days=offset)
        meant = after_action(DateSpan.day(possible), weekday=weekday)
        assert span.start <= meant.start
        assert meant.end <= span.end
    assert (span.precision is Precision.DAY) == (span.start == span.end)


@FAST
@given(first=date_spans(max_length=10), later_by=st.integers(0, 400), weekday=weekdays)
def test_a_later_anchor_never_gives_an_earlier_date(first: DateSpan, later_by: int, weekday: str) -> None:
    later = first.shifted(later_by)
    for day, named in ((3, None), (None, weekday)):
        earlier_span, later_span = (
            after_action(first, day=day, weekday=named),
            after_action(later, day=day, weekday=named),
        )
        assert earlier_span.start <= later_span.start
        assert earlier_span.end <= later_span.end
