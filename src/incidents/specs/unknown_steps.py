"""An unknown step fails with the closest steps of the library, written as example lines.

pytest-bdd's own message ("Step definition is not found: Then "ISIS kiled is 5"") leaves the
analyst to search the catalogue. Here the step line is compared (difflib) with every example
line and every pattern of the catalogue, and the message shows the examples of the one to three
closest steps, ready to copy: ``Then ISIS killed is 5``. A step written under the wrong keyword
("Given I ask for the totals ...") is told which keyword it takes.

This module is a pytest plugin (registered by ``incidents.specs.steps``): it rewrites the message
of the error pytest-bdd is about to raise, so it works under ``incidents check`` and plain pytest.
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from attrs import frozen
from pytest_bdd.parser import Feature, Step

from incidents.specs.catalogue import StepDefinition, step_definitions
from incidents.specs.results import shown_path

MOST_SUGGESTIONS = 3
CLOSE_ENOUGH = 0.6  # below this, only the single closest step is suggested
SAME_KEYWORD_BONUS = 0.05  # between equally close steps, prefer those the keyword allows
CATALOGUE = "the step catalogue in docs/writing-specs.md"

_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")
_REGEX_SYNTAX = re.compile(r"\(\?[:!=]|\[[^\]]*\]|\\[A-Za-z]|[()?*+|.^$\\{}]")


@functools.cache
def _definitions() -> tuple[StepDefinition, ...]:
    return tuple(step_definitions())


def _pattern_words(pattern: str) -> str:
    """A pattern's literal words, its groups named in capitals: "the reports in FOLDER are loaded"."""
    text = _NAMED_GROUP.sub(lambda match: f" {match[1].upper()} ", pattern)
    return " ".join(_REGEX_SYNTAX.sub(" ", text).split())


def _similarity(first: str, second: str) -> float:
    return SequenceMatcher(None, first.casefold(), second.casefold()).ratio()


def _text_of(example: str) -> str:
    """An example line without its keyword."""
    return example.partition(" ")[2]


@frozen
class Suggestion:
    example: str  # the step's example line closest to what was written
    score: float


def _suggestion(definition: StepDefinition, keyword: str, text: str) -> Suggestion | None:
    if not definition.examples:
        return None
    by_example = {example: _similarity(text, _text_of(example)) for example in definition.examples}
    closest = max(by_example, key=lambda example: by_example[example])
    by_pattern = max((_similarity(text, _pattern_words(p)) for p in definition.patterns), default=0.0)
    score = max(by_example[closest], by_pattern)
    if keyword in definition.keywords:
        score += SAME_KEYWORD_BONUS
    return Suggestion(closest, score)


def closest_steps(keyword: str, text: str) -> list[str]:
    """The example lines of the steps closest to ``keyword text`` (``keyword``: given, when or
    then), best first: always one, at most three."""
    suggestions = [
        suggestion
        for definition in _definitions()
        if (suggestion := _suggestion(definition, keyword, text)) is not None
    ]
    suggestions.sort(key=lambda suggestion: -suggestion.score)
    chosen = suggestions[:1] + [s for s in suggestions[1:MOST_SUGGESTIONS] if s.score >= CLOSE_ENOUGH]
    return [suggestion.example for suggestion in chosen]


def _keywords_answering(text: str) -> list[str]:
    """The keywords under which some step of the library answers this text."""
    found = {keyword for step in _definitions() if step.matches(text) for keyword in step.keywords}
    return [keyword for keyword in ("given", "when", "then") if keyword in found]


def unknown_step_message(keyword: str, text: str, where: str) -> str:
    """Why a step line has no definition, and what to write instead."""
    first = f'No {keyword.capitalize()} step reads "{text}" ({where}).'
    elsewhere = _keywords_answering(text)
    if elsewhere:
        keywords = " or ".join(k.capitalize() for k in elsewhere)
        return f'{first}\nIt is a {keywords} step: write "{elsewhere[0].capitalize()} {text}".'
    lines = "\n".join(f"    {example}" for example in closest_steps(keyword, text))
    return f"{first} The closest steps are:\n{lines}\n{CATALOGUE.capitalize()} lists every step."


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, feature: Feature, step: Step, exception: Exception
) -> None:
    """Give the error pytest-bdd raises next (StepDefinitionNotFoundError) our message."""
    where = f"{shown_path(Path(feature.filename), request.config.rootpath)}:{step.line_number}"
    exception.args = (unknown_step_message(step.type, step.name, where),)
