"""Every feature in features/, run with the step library; and checks that keep the library honest.

The feature files are the project's behaviour specs, written with the steps analysts use
(docs/writing-specs.md). Run them with ``.venv/bin/pytest tests/test_features.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The step modules are imported below, before pytest loads them as plugins: have their asserts
# rewritten (detailed failure messages) all the same.
pytest.register_assert_rewrite("incidents.specs")

from pytest_bdd import scenarios  # noqa: E402
from pytest_bdd.feature import get_features  # noqa: E402

from incidents.specs.catalogue import StepDefinition, step_definitions  # noqa: E402

pytest_plugins = ["incidents.specs.steps"]

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.mark.parametrize(("where", "keyword", "text"), _feature_steps())
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
def test_every_step_is_in_the_catalogue(step: StepDefinition) -> None:
    """docs/writing-specs.md is kept by hand: every example of every step must be in it."""
    catalogue = WRITING_SPECS.read_text(encoding="utf-8")
    missing = [example for example in step.examples if example not in catalogue]
    assert not missing, f"docs/writing-specs.md lacks the examples of {step.function.__name__}: {missing}"
