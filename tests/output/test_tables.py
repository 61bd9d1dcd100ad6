"""Which table a result is printed as (``render.boxed``), and the plain table itself: aligned,
numbers on the right, no line wider than the width, long cells wrapped, CJK counted wide."""

from __future__ import annotations

import io

import pytest
from attrs import frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.output.render import _text_width, cell_text, emit, plain_table
from incidents.output.rows import Result, Row
from incidents.output.width import BOXED_ROWS


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@frozen(kw_only=True)
class CountRow(Row):
    side: str
    best: int


def result(rows: int) -> Result:
    found = tuple(CountRow(side=f"side {i}", best=i) for i in range(rows))
    return Result("Totals", ("side", "best"), found, {"as_of": "2019-08-28"})


def printed(value: Result, stream: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "80")
    emit(value, "table", stream)
    return stream.getvalue()


def test_a_short_table_on_a_terminal_is_drawn_with_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = printed(result(3), Terminal(), monkeypatch)
    assert "┃" in text or "│" in text
    assert "side 2" in text


def test_a_long_table_or_one_not_on_a_terminal_is_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in (
        printed(result(BOXED_ROWS + 1), Terminal(), monkeypatch),
        printed(result(3), io.StringIO(), monkeypatch),
    ):
        assert "│" not in text
        assert "┃" not in text
        lines = text.splitlines()
        assert lines[0] == "Totals"
        assert lines[1].split() == ["side", "best"]
        assert set(lines[2].replace(" ", "")) == {"-"}
        assert lines[3].split() == ["side", "0", "0"]
        assert "as-of 2019-08-28" in text


def test_the_plain_table_aligns_and_puts_numbers_on_the_right() -> None:
    text = plain_table(
        "T", ("side", "best"), [{"side": "ISIS", "best": 5}, {"side": "PMF", "best": 12}], None, 80
    )
    assert text.splitlines()[1:] == ["side  best", "----  ----", "ISIS     5", "PMF     12", ""]


def test_the_plain_table_wraps_long_cells_within_the_width() -> None:
    quote = "Four militants were killed in the first day of operations, two by airstrikes " * 4
    wide = "\u6230" * 60  # CJK: two cells a letter
    rows = [{"quote": quote, "source": "Rudaw English", "best": 4}, {"quote": wide, "source": "x", "best": 1}]
    lines = plain_table("Said", ("quote", "source", "best"), rows, "a question " * 20, 50).splitlines()
    assert all(sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in line) <= 50 for line in lines)
    assert sum("militants" in line for line in lines) == 4  # wrapped, nothing cut off
    assert sum(line.count("\u6230") for line in lines) == len(wide)


def test_an_empty_plain_table_says_none() -> None:
    assert "(none)" in plain_table("T", ("side", "best"), [], None, 80)


# Cells as reports give them: short ASCII words (the fast path), and text with wide letters,
# combining and zero-width marks, newlines and tabs (measured letter by letter).
_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(alphabet=st.sampled_from(list("ab c-\n\t\u6230\u0301\u200b\u00e9")), max_size=40),
    st.lists(st.text(alphabet="xyz ", max_size=5), max_size=3),
)
_COLUMNS = ("quote", "best", "source", "written")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries(dict.fromkeys(_COLUMNS, _CELL)), max_size=6), st.integers(16, 120))
def test_no_plain_table_line_is_wider_than_the_width_and_no_letter_is_lost(
    rows: list[dict[str, object]], width: int
) -> None:
    text = plain_table("T", _COLUMNS, rows, None, width)
    assert all(_text_width(line) <= width for line in text.splitlines())
    shown = "".join(text.split())
    for row in rows:  # (every letter of every cell is on the page, in its order)
        for column in _COLUMNS:
            letters = "".join(cell_text(row[column]).split())
            assert letters in shown or _in_order(letters, shown)


def _in_order(letters: str, shown: str) -> bool:
    found = iter(shown)
    return all(letter in found for letter in letters)
