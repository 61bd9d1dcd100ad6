"""Relative dates that would fall outside the years a date can hold are a clear error (never an
OverflowError), in the resolver and in a report file."""

from __future__ import annotations

from datetime import date

import pytest

from incidents.domain.relative_dates import resolve_relative
from incidents.domain.values import DateSpan
from incidents.formats.errors import InvalidInputError
from incidents.formats.report_file import parse_report
from incidents.gazetteer import NameIndex


@pytest.mark.parametrize(
    "phrase", ["9999999 days ago", "99999999999999999999999 weeks ago", "over 9999999 weeks ago"]
)
def test_a_count_of_days_past_year_1_is_a_value_error_saying_so(phrase: str) -> None:
    with pytest.raises(ValueError, match="falls outside the years 1 to 9999"):
        resolve_relative(phrase, DateSpan.day(date(2019, 8, 28)))


@pytest.mark.parametrize("phrase", ["\u00b2 days ago", "\u0663 weeks ago"])
def test_non_ascii_digits_are_no_count(phrase: str) -> None:
    with pytest.raises(ValueError, match="cannot resolve the date"):
        resolve_relative(phrase, DateSpan.day(date(2019, 8, 28)))


def test_a_day_the_month_does_not_have_is_named() -> None:
    with pytest.raises(ValueError, match="February 2019 has no day 30"):
        resolve_relative("February 30", DateSpan.day(date(2019, 3, 1)))


def test_in_a_report_file_it_is_the_fields_problem() -> None:
    text = (
        "source: {outlet: X, url: 'https://x.test/1', published: 2019-08-28}\n"
        "actions:\n  - {type: killed, occurred: 9999999 days ago, side: ISIS, count: 2, quote: q}\n"
    )
    with pytest.raises(InvalidInputError) as raised:
        parse_report(text, "r.yaml", NameIndex())
    (problem,) = raised.value.problems
    assert (problem.line, problem.field) == (3, "actions[0].occurred")
    assert "falls outside the years 1 to 9999" in problem.message
