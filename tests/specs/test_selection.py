"""-k: words, and, or, not and parentheses over a scenario's and its feature's names."""

from __future__ import annotations

import pytest

from incidents.specs.selection import Selection, SelectionError

NAMES = ("Karma is still threatened", "Areas")


@pytest.mark.parametrize(
    ("expression", "selected"),
    [
        ("karma", True),
        ("KARMA", True),
        ("khairat", False),
        ("areas", True),  # the feature's name
        ("karma and threatened", True),
        ("karma and not threatened", False),
        ("khairat or karma", True),
        ("not (khairat or totals)", True),
        ("(khairat or karma) and not still", False),
        ("still-threatened", False),  # a word is matched as written, hyphen included
    ],
)
def test_an_expression_selects_by_name(expression: str, selected: bool) -> None:
    assert Selection.compile(expression).selects(*NAMES) is selected


@pytest.mark.parametrize("expression", ["", "karma and", "(karma", "karma)", "and karma", "not"])
def test_an_unreadable_expression_is_refused(expression: str) -> None:
    with pytest.raises(SelectionError):
        Selection.compile(expression)
