"""What reports say reaches the terminal as text: control characters and escape sequences in a
quote, a name or a title are shown escaped in tables, escaped as JSON escapes them in JSON, and
kept (as data) in CSV; tables fit $COLUMNS; the question under a table reads as words."""

from __future__ import annotations

import csv
import io
import json

import pytest
from attrs import frozen

from incidents.output.render import emit, query_value, terminal_text
from incidents.output.rows import Result, Row
from incidents.output.width import UNATTENDED_WIDTH, table_width

HOSTILE = {
    "\x1b[2J": "\\x1b[2J",  # clear the screen
    "\x1b]0;owned\x07": "\\x1b]0;owned\\x07",  # set the window title
    "\r": "\\x0d",  # overwrite the line
    "\x07": "\\x07",  # bell
    "\x9b31m": "\\x9b31m",  # the one-byte CSI
    "\x7f": "\\x7f",
    "\u202e": "\\u202e",  # right-to-left override
    "\u2066": "\\u2066",  # left-to-right isolate
    "\u2028": "\\u2028",  # line separator
}
RAW = set("".join(HOSTILE)) - set("[]2J0;owned31m")


@frozen(kw_only=True)
class SaidRow(Row):
    quote: str
    source: str


def result(quote: str, source: str = "Rudaw English", **query: object) -> Result:
    row = SaidRow(quote=quote, source=source)
    return Result(f"Said by {source}", ("quote", "source"), (row,), dict(query))


def rendered(value: Result, output_format: str) -> str:
    stream = io.StringIO()
    emit(value, output_format, stream)
    return stream.getvalue()


@pytest.mark.parametrize(("raw", "shown"), HOSTILE.items())
def test_a_table_shows_control_characters_escaped(
    raw: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = rendered(result(f"before {raw} after", source=f"outlet{raw}", side=f"side{raw}"), "table")
    assert not RAW & set(text), "a control character reached the terminal raw"
    assert f"before {shown} after" in text  # the cell
    assert f"Said by outlet{shown}" in text  # the title
    assert f"side side{shown}" in text  # the caption


def test_terminal_text_keeps_letters_newlines_tabs_and_joiners() -> None:
    kept = "Niba'a \u0646\u064a\u0628\u0639\u0629 \u06a9\u0648\u0631\u062f\u200c\u06cc line\nnext\tcolumn"
    assert terminal_text(kept) == kept


def test_json_escapes_them_as_json_does_and_reads_back_the_same() -> None:
    quote = "".join(HOSTILE) + " \u0627\u0644\u0643\u0631\u0645\u0629"
    text = rendered(result(quote, side="\u202eSISI"), "json")
    assert not RAW & set(text)
    assert "\\u001b[2J" in text
    assert "\\u202e" in text
    assert "\\u009b" in text
    assert "\u0627\u0644\u0643\u0631\u0645\u0629" in text  # letters stay readable
    document = json.loads(text)
    assert document["rows"][0]["quote"] == quote
    assert document["query"]["side"] == "\u202eSISI"


def test_csv_keeps_the_data() -> None:
    quote = "a\x1b[2J\u202eb"
    text = rendered(result(quote), "csv")
    assert next(iter(csv.DictReader(io.StringIO(text))))["quote"] == quote


def test_a_table_is_never_wider_than_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    long = "Four ISIS militants were killed in the first day of operations; two by airstrikes " * 3
    lines = rendered(result(long, side="ISIS", by=["actor", "phase"]), "table").splitlines()
    assert max(len(line) for line in lines) <= 40
    assert sum("militants" in line for line in lines) == 3  # wrapped, not cut


def test_the_width_is_columns_else_the_terminal_else_unattended() -> None:
    assert table_width(io.StringIO(), {"COLUMNS": "72"}) == 72
    assert table_width(io.StringIO(), {"COLUMNS": "wide"}) == UNATTENDED_WIDTH
    assert table_width(io.StringIO(), {}) == UNATTENDED_WIDTH


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (["actor", "phase"], "actor and phase"),
        (["actor", "phase", "place"], "actor, phase and place"),
        (["phase"], "phase"),
        ({"best": 6, "low": 6, "high": 6}, "6"),
        ({"best": 5, "low": 4, "high": 6}, "5 (4-6)"),
        ({"best": None, "low": 14000, "high": 18000}, "14000-18000"),
        (None, ""),
        (True, "yes"),
    ],
)
def test_the_question_under_a_table_reads_as_words(value: object, words: str) -> None:
    assert query_value(value) == words


def test_no_python_repr_in_the_caption(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = rendered(result("x" * 40, by=["actor", "phase"], total={"best": 6, "low": 6, "high": 6}), "table")
    assert "by actor and phase, total 6" in text
    assert "[" not in text.splitlines()[-1]
    assert "{" not in text
