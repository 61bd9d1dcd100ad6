"""The step catalogue: every step of the library, its pattern, and the examples in its docstring.

The catalogue of docs/writing-specs.md is generated from it (``catalogue_doc``), unknown steps are
answered with its closest examples (``unknown_steps``), and the test suite checks that every
example matches its own step and no other, and that every step is used in features/.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable

from attrs import frozen
from pytest_bdd.steps import step_function_context_registry

from incidents.specs.steps import STEP_MODULES

_KEYWORD = re.compile(r"^(Given|When|Then|And|But) ")


@frozen
class StepDefinition:
    """One step function: the keywords it answers, its pattern, what it does, its examples."""

    module: str
    function: Callable[..., object]
    keywords: tuple[str, ...]  # given, when, then
    patterns: tuple[str, ...]
    summary: str
    examples: tuple[str, ...]  # "Then ISIS killed is 5", keyword included

    def matches(self, text: str) -> bool:
        """Whether the step line (without its keyword) is one this step answers."""
        contexts = [c for c in step_function_context_registry.values() if c.step_func is self.function]
        return any(context.parser.is_matching(text) for context in contexts)


def examples_of(function: Callable[..., object]) -> tuple[str, ...]:
    """The example step lines of a docstring: its indented lines that start with a keyword."""
    doc = inspect.getdoc(function) or ""
    return tuple(line.strip() for line in doc.splitlines() if _KEYWORD.match(line.strip()))


def step_definitions() -> list[StepDefinition]:
    """Every step of the library, in the order of its modules and definitions."""
    for module in STEP_MODULES:
        importlib.import_module(module)
    by_function: dict[Callable[..., object], list[tuple[str, str]]] = {}
    for context in list(step_function_context_registry.values()):
        if context.step_func.__module__ in STEP_MODULES:
            pattern = context.parser.name
            by_function.setdefault(context.step_func, []).append((context.type or "step", pattern))
    definitions = []
    for function, registrations in by_function.items():
        doc = inspect.getdoc(function) or ""
        definitions.append(
            StepDefinition(
                module=function.__module__,
                function=function,
                keywords=tuple(sorted({keyword for keyword, _ in registrations})),
                patterns=tuple(dict.fromkeys(pattern for _, pattern in registrations)),
                summary=doc.split("\n\n")[0].replace("\n", " "),
                examples=examples_of(function),
            )
        )

    def order(definition: StepDefinition) -> tuple[int, int]:
        lines = inspect.getsourcelines(definition.function)[1]
        return STEP_MODULES.index(definition.module), lines

    return sorted(definitions, key=order)
