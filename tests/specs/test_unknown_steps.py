"""An unknown step fails with the closest steps of the catalogue, under check and plain pytest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from incidents.specs.catalogue import step_definitions
from incidents.specs.unknown_steps import closest_steps, unknown_step_message
from tests.specs.conftest import write_misspelt_feature

EXAMPLES = {example for step in step_definitions() for example in step.examples}


@pytest.mark.parametrize(
    ("keyword", "text", "meant"),
    [
        ("then", "ISIS kiled is 5", "Then ISIS killed is 5"),
        ("then", "Khairat is threatend", "Then Khairat is threatened"),
        ("when", "I ask for the total as of 2019-08-28", "When I ask for the totals as of 2019-08-28"),
        ("given", "the seed report are loaded", "Given the seed reports are loaded"),
    ],
)
def test_the_closest_step_comes_first(keyword: str, text: str, meant: str) -> None:
    assert closest_steps(keyword, text)[0] == meant


@pytest.mark.parametrize("text", ["ISIS kiled is 5", "the moon is made of cheese", "x"])
def test_one_to_three_suggestions_each_an_example_line(text: str) -> None:
    suggestions = closest_steps("then", text)
    assert 1 <= len(suggestions) <= 3
    assert set(suggestions) <= EXAMPLES


def test_a_step_under_the_wrong_keyword_is_told_its_keyword() -> None:
    message = unknown_step_message("given", "I ask for the totals as of 2019-08-28", "f.feature:3")
    assert message.startswith('No Given step reads "I ask for the totals as of 2019-08-28" (f.feature:3).')
    assert 'It is a When step: write "When I ask for the totals as of 2019-08-28".' in message


def test_plain_pytest_with_the_plugin_suggests_too(dataset: Path) -> None:
    """The way docs/writing-specs.md gives developers: a test module binding features/."""
    (dataset / "test_specs.py").write_text(
        textwrap.dedent(
            """
            from pytest_bdd import scenarios

            pytest_plugins = ["incidents.specs.steps"]

            scenarios("features")
            """
        )
    )
    write_misspelt_feature(dataset)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_specs.py"],
        cwd=dataset,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert 'No Then step reads "ISIS kiled is 5" (features/misspelt.feature:5)' in completed.stdout
    assert "Then ISIS killed is 5" in completed.stdout
