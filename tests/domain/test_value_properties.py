"""Invariants of the value objects: DateSpan text round trip, Estimate arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.values import DateSpan, Estimate, Precision
from tests.strategies import date_spans, estimates

FAST = settings(max_examples=100, deadline=None)

any_day = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def parsed_spans(draw: st.DrawFn) -> DateSpan:
    """Spans as DateSpan.parse makes them: a day, a range, a month, a year, or a range of those."""
    day = draw(any_day)
    form = draw(st.sampled_from(["day", "range", "month", "year", "months"]))
    if form == "day":
        return DateSpan.day(day)
    if form == "month":
        return DateSpan.month(day.year, day.month)
    if form == "year":
        return DateSpan.year(day.year)
    if form == "months":
        later = draw(st.dates(min_value=day, max_value=date(2100, 12, 31)))
        return DateSpan(
            DateSpan.month(day.year, day.month).start, DateSpan.month(later.year, later.month).end
        )
    return DateSpan(day, day + timedelta(days=draw(st.integers(1, 400))))


@FAST
@given(parsed_spans())
def test_date_span_text_round_trips(span: DateSpan) -> None:
    assert DateSpan.parse(str(span)) == span


@FAST
@given(date_spans(max_length=400).filter(lambda span: span.precision is not Precision.YEAR))
def test_date_span_text_keeps_the_days_whatever_the_precision(span: DateSpan) -> None:
    # YEAR is left out: see test_values.test_date_span_str_never_widens_a_year_precision_span (a bug).
    again = DateSpan.parse(str(span))
    assert (again.start, again.end) == (span.start, span.end)


@FAST
@given(span=date_spans(), days=st.integers(-1000, 1000))
def test_shifting_keeps_length_and_precision(span: DateSpan, days: int) -> None:
    shifted = span.shifted(days)
    assert shifted.days == span.days
    assert shifted.precision is span.precision
    assert shifted.shifted(-days) == span


@FAST
@given(estimates(), estimates(), estimates())
def test_estimate_addition_is_associative(a: Estimate, b: Estimate, c: Estimate) -> None:
    assert (a + b) + c == a + (b + c)


@FAST
@given(estimates(), estimates())
def test_estimate_addition_is_commutative_and_adds_each_figure(a: Estimate, b: Estimate) -> None:
    total = a + b
    assert total == b + a
    assert (total.low, total.high) == (a.low + b.low, a.high + b.high)
    if a.best is None or b.best is None:
        assert total.best is None
    else:
        assert total.best == a.best + b.best


@FAST
@given(estimates())
def test_zero_is_the_identity_of_the_figures_and_a_sum_is_never_marked(estimate: Estimate) -> None:
    """Adding zero keeps the figures; a sum is a total, not a count a source gave, so it is
    neither approximate nor unknown (totals count the marked estimates they add apart)."""
    figures = Estimate(estimate.low, estimate.best, estimate.high)
    assert estimate + Estimate.zero() == figures == Estimate.zero() + estimate
    assert not (estimate + estimate).marked


@FAST
@given(best=st.integers(0, 10**6))
def test_approximate_bounds_hold_the_figure_and_a_fifth_either_side(best: int) -> None:
    about = Estimate.about(best)
    assert about.approximate
    assert about.best == best
    assert about.low <= best - best // 5
    assert about.high >= best + best // 5
    assert best - about.low >= min(1, best)
    assert about.high - best >= 1


@FAST
@given(low=st.integers(0, 10**6), extra=st.integers(1, 10**6), thousands=st.booleans())
def test_a_written_range_parses_to_a_range_without_best(low: int, extra: int, thousands: bool) -> None:
    high = low + extra
    text = f"{low:,}-{high:,}" if thousands else f"{low}-{high}"
    assert Estimate.parse(text) == Estimate(low, None, high)
    assert Estimate.parse(str(Estimate.between(low, high))) == Estimate.between(low, high)


@FAST
@given(st.integers(0, 10**9))
def test_a_written_number_parses_to_an_exact_estimate(count: int) -> None:
    assert Estimate.parse(str(count)) == Estimate.exactly(count)
    assert Estimate.parse(f"{count:,}") == Estimate.exactly(count)
