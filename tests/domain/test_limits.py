"""Every value is bounded where it is constructed (``domain.limits``), so that every way into the
log (report files, UCDP, action tables, bundles, amendments, the step library) is."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from incidents.domain.actions import Killed, OperationLaunched
from incidents.domain.amendments import ActionRef, Retraction
from incidents.domain.limits import (
    ID,
    KEY,
    LABEL,
    MAX_COUNT,
    MAX_PHASE,
    MAX_YEAR,
    MIN_YEAR,
    NAME,
    NOTES,
    QUOTE,
    TEXT_LIMITS,
    URL,
    BoundsError,
    shown,
)
from incidents.domain.report import Report
from incidents.domain.values import DateSpan, Estimate, Name, Place, SourceRef
from tests.builders import killed, source, span


def test_a_count_at_the_limit_is_a_count_and_one_past_it_is_refused_by_name() -> None:
    assert killed("2019-08-20", MAX_COUNT).count.high == MAX_COUNT
    with pytest.raises(BoundsError) as error:
        killed("2019-08-20", Estimate(0, None, MAX_COUNT + 1))
    assert error.value.field == "count"
    assert str(error.value) == "count: high: 1,000,000,000 is above 999,999,999, the largest count"
    with pytest.raises(BoundsError, match="a number of about 40 digits is above"):
        killed("2019-08-20", 2**130)


def test_a_total_may_exceed_the_limit_of_one_count() -> None:
    assert Estimate.exactly(MAX_COUNT) + Estimate.exactly(MAX_COUNT) == Estimate.exactly(2 * MAX_COUNT)


def test_phases_are_bounded() -> None:
    assert killed("2019-08-20", 1, phase=MAX_PHASE).phase == MAX_PHASE
    for phase in (0, MAX_PHASE + 1, 10**5000):
        with pytest.raises(BoundsError, match=f"a phase number is from 1 to {MAX_PHASE}"):
            killed("2019-08-20", 1, phase=phase)


@pytest.mark.parametrize("year", [MIN_YEAR - 1, MAX_YEAR + 1, 1, 9999])
def test_years_outside_the_limits_are_refused(year: int) -> None:
    with pytest.raises(BoundsError, match=f"the year {year} is not between {MIN_YEAR} and {MAX_YEAR}"):
        DateSpan.day(date(year, 1, 1))
    with pytest.raises(BoundsError):
        DateSpan(date(2019, 1, 1), date(year, 1, 1)) if year > MAX_YEAR else DateSpan.year(year)


def test_years_at_the_limits_are_accepted() -> None:
    assert DateSpan(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)).days > 0


def test_a_shift_past_the_limits_is_refused_not_an_overflow() -> None:
    with pytest.raises(ValueError, match="not between"):
        DateSpan.day(date(MIN_YEAR, 1, 3)).shifted(-7)


@pytest.mark.parametrize(
    "text", ["\u0662\u0660\u0661\u0669", "\u0662\u0660\u0661\u0669-08-24", "\uff12\uff10\uff11\uff19"]
)
def test_dates_are_read_in_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError, match="expected a date like"):
        DateSpan.parse(text)


@pytest.mark.parametrize("text", ["\u0663", "\u00b2", "1" * 5000, "1-" + "9" * 5000])
def test_estimates_are_read_in_ascii_digits_and_bounded_lengths(text: str) -> None:
    with pytest.raises(ValueError, match="expected a whole number"):
        Estimate.parse(text)


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("quote", "killed\x00", "U+0000, a control character"),
        ("quote", "killed \x1b[31m", "U+001B, a control character"),
        ("quote", "killed \ud800", "U+D800, a lone surrogate"),
        ("quote", "killed\r\nhere", "U+000D, a control character"),
        ("id", "k\n1", "U+000A, a line break or a tab"),
        ("id", "k\t1", "U+0009, a line break or a tab"),
        ("id", "k" * (ID.max_length + 1), "201 characters long; an id is at most 200 characters"),
        ("quote", "q" * (QUOTE.max_length + 1), "10,001 characters long; a quote is at most 10,000"),
        ("means", "air\u2028strike", "U+2028, a line break"),
    ],
)
def test_text_is_bounded_and_free_of_control_characters(field: str, value: str, what: str) -> None:
    with pytest.raises(BoundsError) as error:
        attrs.evolve(killed("2019-08-20", 1), **{field: value})
    message = str(error.value)
    assert message.startswith(f"{field}: "), message
    assert what in message
    assert message.isprintable(), message  # escaped: never a raw control character
    assert len(message) < 300  # the value shortened


def test_free_text_keeps_newlines_and_tabs() -> None:
    kept = attrs.evolve(killed("2019-08-20", 1), quote="line one\n\tline two")
    assert kept.quote == "line one\n\tline two"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Name("ISIS\x00", "ISIS"),
        lambda: Name("ISIS", "x" * (NAME.max_length + 1)),
        lambda: Place("Karma\n"),
        lambda: Place("Karma", qualifier="south\x07 of"),
        lambda: SourceRef(outlet="Wire", url="https://x/" + "u" * URL.max_length, published=span("2019")),
        lambda: SourceRef(outlet="Wire", url="https://x", published=span("2019"), title="T\x00"),
        lambda: OperationLaunched(id="o", occurred=span("2019"), quote="q", names=("Will\x00",)),
        lambda: ActionRef("r" * (KEY.max_length + 1), "a"),
        lambda: ActionRef("r", "a\x00"),
        lambda: Retraction(id="x", target=ActionRef("r", "a"), reason="why\x00"),
        lambda: Report(key="r\x00", source=source(), digest="d"),
    ],
)
def test_every_value_object_is_bounded(make: object) -> None:
    with pytest.raises(BoundsError):
        make()  # type: ignore[operator]


def test_every_limit_is_named_and_documented() -> None:
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert "## Limits" in doc
    for limit in TEXT_LIMITS:
        assert f"{limit.max_length:,}" in doc, limit
    for number in (MAX_COUNT, MAX_PHASE):
        assert f"{number:,}" in doc
    assert f"{MIN_YEAR} to {MAX_YEAR}" in doc
    assert {LABEL, NOTES} <= set(TEXT_LIMITS)


def test_shown_escapes_and_shortens() -> None:
    assert shown("a\x00b") == '"a\\x00b"'
    assert shown("\ud800") == '"\\ud800"'
    assert shown('say "hi"') == '"say \\"hi\\""'
    assert shown("x" * 100) == '"' + "x" * 40 + '..."'


def test_a_killed_action_within_every_limit_is_valid() -> None:
    action = Killed(
        id="i" * ID.max_length,
        occurred=DateSpan(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)),
        quote="q" * QUOTE.max_length,
        side=Name("n" * NAME.max_length, "n" * NAME.max_length),
        count=Estimate(0, MAX_COUNT, MAX_COUNT),
        means="m" * LABEL.max_length,
        phase=MAX_PHASE,
    )
    assert action.count.best == MAX_COUNT
