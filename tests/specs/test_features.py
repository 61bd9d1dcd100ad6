"""Every feature in features/, run with the step library; and checks that keep the library honest.

The feature files are the project's behaviour specs, written with the steps analysts use
(docs/writing-specs.md). Run them with ``.venv/bin/pytest tests/test_features.py``. The checks:
every step line of features/ has exactly one step; every step's examples match it alone; every
step is used in features/; the catalogue in docs/writing-specs.md is generated from the steps.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from pytest_bdd import scenarios
from pytest_bdd.feature import get_features

from incidents.specs.catalogue import StepDefinition, step_definitions
from incidents.specs.catalogue_doc import COMMAND, catalogue_in, render_catalogue

pytest_plugins = ["incidents.specs.steps"]

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
WRITING_SPECS = ROOT / "docs" / "writing-specs.md"

scenarios(".")  # every .feature under bdd_features_base_dir (features/)

STEPS = step_definitions()
KEYWORDS = {"given", "when", "then"}


def _answering(keyword: str, text: str) -> list[StepDefinition]:
    return [step for step in STEPS if keyword in step.keywords and step.matches(text)]


def _feature_steps() -> list[tuple[str, str, str]]:
    found = []
    for feature in get_features([str(FEATURES)]):
        for template in feature.scenarios.values():
            # A scenario outline's steps are checked as each example renders them.
            contexts = [context for examples in template.examples for context in examples.as_contexts()]
            for context in contexts or [{}]:
                for step in template.render(context).steps:
                    where = f"{Path(feature.filename).name}:{step.line_number}"
                    found.append((where, step.type, step.name))
    return found


FEATURE_STEPS = _feature_steps()


@pytest.mark.parametrize(("where", "keyword", "text"), FEATURE_STEPS)
def test_every_feature_step_has_exactly_one_definition(where: str, keyword: str, text: str) -> None:
    """An ambiguous step would silently run whichever definition pytest-bdd finds last."""
    answering = _answering(keyword, text)
    assert len(answering) == 1, (
        f"{where}: {keyword} {text!r} matches {[s.function.__name__ for s in answering]}"
    )


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.function.__name__)
def test_every_step_has_examples_that_match_it_alone(step: StepDefinition) -> None:
    assert step.examples, f"{step.function.__name__} has no example in its docstring"
    for example in step.examples:
        keyword, _, text = example.partition(" ")
        answering = _answering(keyword.lower(), text)
        assert answering == [step], f"{example!r} is answered by {[s.function.__name__ for s in answering]}"


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.function.__name__)
def test_every_step_is_used_in_features(step: StepDefinition) -> None:
    """A step no scenario uses is a documented promise nothing checks."""
    used = [
        where for where, keyword, text in FEATURE_STEPS if keyword in step.keywords and step.matches(text)
    ]
    assert used, (
        f"no step line in features/ uses {step.function.__name__}; add a scenario, e.g. with {step.examples}"
    )


def test_the_docs_catalogue_is_generated_from_the_steps() -> None:
    """The catalogue in docs/writing-specs.md is what the step library says, word for word."""
    documented = catalogue_in(WRITING_SPECS.read_text(encoding="utf-8"))
    generated = render_catalogue()
    difference = "\n".join(
        difflib.unified_diff(
            documented.splitlines(), generated.splitlines(), "docs/writing-specs.md", "generated", lineterm=""
        )
    )
    assert documented == generated, (
        f"the step catalogue in docs/writing-specs.md is out of date; run: .venv/bin/{COMMAND}\n{difference}"
    )
