"""-k: words, and, or, not and parentheses over a scenario's and its feature's names."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.specs.selection import Selection, SelectionError
from tests.specs.conftest import check, write_feature

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
        ("still threatened", True),  # plain words: every one must match
        ("threatened karma", True),
        ("karma khairat", False),
        ("karma not history", True),  # side by side: joined by and
        ("karma not still", False),
        ("khairat or karma still", True),  # and binds closer than or
        ("(karma) (areas)", True),
    ],
)
def test_an_expression_selects_by_name(expression: str, selected: bool) -> None:
    assert Selection.compile(expression).selects(*NAMES) is selected


@pytest.mark.parametrize("expression", ["", "karma and", "(karma", "karma)", "and karma", "not"])
def test_an_unreadable_expression_is_refused(expression: str) -> None:
    with pytest.raises(SelectionError):
        Selection.compile(expression)


def test_check_takes_plain_words(dataset: Path) -> None:
    write_feature(
        dataset,
        "losses.feature",
        """
        Feature: ISIS losses
          Scenario: Five by the end of August
            Given the seed reports are loaded
          Scenario: Six by the end of August
            Given the seed reports are loaded
        """,
    )
    result = check("features", "-k", "five august")
    assert result.exit_code == 0, result.output
    assert "Five by the end of August" in result.output
    assert "1 scenario: 1 passed, 0 failed" in result.output
