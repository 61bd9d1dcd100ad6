"""A span's text: the year or month it names when it is exactly one, else its days."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from incidents.domain.values import DateSpan, Precision


def reference_text(span: DateSpan) -> str:
    """The definition: a whole year or month of that precision by its name, else its days."""
    if span.precision is Precision.YEAR and span == DateSpan.year(span.start.year):
        return f"{span.start.year}"
    if span.precision is Precision.MONTH and span == DateSpan.month(span.start.year, span.start.month):
        return f"{span.start:%Y-%m}"
    if span.start == span.end:
        return span.start.isoformat()
    return f"{span.start.isoformat()}/{span.end.isoformat()}"


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
whole = st.one_of(
    st.integers(1900, 2100).map(DateSpan.year),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda ym: DateSpan.month(*ym)),
)


@st.composite
def spans(draw: st.DrawFn) -> DateSpan:
    start = draw(days)
    end = start + timedelta(days=draw(st.sampled_from([0, 1, 27, 28, 29, 30, 364, 365, 366, 400])))
    if end.year > 2100:
        end = start
    return DateSpan(start, end, draw(st.sampled_from(list(Precision))))


@given(st.one_of(whole, spans(), whole.map(lambda s: DateSpan(s.start, s.end, Precision.RANGE))))
def test_a_span_reads_as_its_definition_says(span: DateSpan) -> None:
    assert str(span) == reference_text(span)
    parsed = DateSpan.parse(str(span))
    assert (parsed.start, parsed.end) == (span.start, span.end)
