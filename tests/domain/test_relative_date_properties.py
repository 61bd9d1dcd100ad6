"""Invariants of relative dates: never after publication, and monotonic in the publication day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.relative_dates import resolve_relative
from incidents.domain.values import DateSpan, Precision
from tests.strategies import date_spans

FAST = settings(max_examples=100, deadline=None)

weekdays = st.sampled_from(list(calendar.day_name))
months = st.sampled_from([name for name in calendar.month_name if name])
phrases = st.one_of(
    st.sampled_from(["today", "yesterday", "a week ago", "just a week ago", "over three weeks ago"]),
    weekdays.map(lambda name: f"on {name}"),
    weekdays.map(lambda name: f"last {name} night"),
    st.integers(0, 60).map(lambda n: f"{n} days ago"),
    st.integers(1, 6).map(lambda n: f"{n} weeks ago"),
    st.integers(1, 6).map(lambda n: f"more than {n} weeks ago"),
    months.map(lambda name: f"in {name}"),
    st.tuples(st.sampled_from(["early", "mid", "late", "at the end of"]), months).map(" ".join),
    st.tuples(months, st.integers(1, 28)).map(lambda pair: f"{pair[0]} {pair[1]}"),
)
any_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@FAST
@given(phrase=phrases, published=date_spans(max_length=10))
def test_a_relative_date_never_ends_after_publication(phrase: str, published: DateSpan) -> None:
    resolved = resolve_relative(phrase, published)
    assert resolved.end <= published.end
    # Not more precise than the source allows: a span of several days is never labelled a day.
    assert resolved.precision is not Precision.DAY or resolved.start == resolved.end


@FAST
@given(phrase=phrases, first=any_day, later_by=st.integers(0, 400))
def test_resolution_is_monotonic_in_the_publication_day(phrase: str, first: date, later_by: int) -> None:
    # What makes resolving both ends of a publication span give the ends of the result.
    earlier = resolve_relative(phrase, DateSpan.day(first))
    later = resolve_relative(phrase, DateSpan.day(first + timedelta(days=later_by)))
    assert earlier.start <= later.start
    assert earlier.end <= later.end


@FAST
@given(phrase=phrases, published=date_spans(max_length=10))
def test_a_span_of_publication_gives_the_hull_of_its_ends(phrase: str, published: DateSpan) -> None:
    resolved = resolve_relative(phrase, published)
    at_start = resolve_relative(phrase, DateSpan.day(published.start))
    at_end = resolve_relative(phrase, DateSpan.day(published.end))
    assert (resolved.start, resolved.end) == (at_start.start, at_end.end)
