"""Finding the feature files a check names, and reading them before anything runs.

Every file is parsed up front with pytest-bdd's own parser, so that a malformed file is
reported as ``file:line: what is wrong`` (and the check stops) instead of surfacing as a
traceback from inside pytest's collection.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.parser import Feature, FeatureParser

from incidents.domain.errors import IncidentsError

SUFFIX = ".feature"

# The Gherkin parser's own wording, around the part worth showing.
_PARSER_NOISE = re.compile(r"^(?:Unknown parsing error: )?(?:Parser errors:)?\s*(?:\(\d+:\d+\): )?")


@frozen
class FeatureProblem:
    """Why a path cannot be checked: where, and what is wrong."""

    where: str  # file, or file:line
    message: str
    line_text: str | None = None  # the offending line, as written

    def __str__(self) -> str:
        shown = f"{self.where}: {self.message}"
        return shown + (f"\n  | {self.line_text.strip()}" if self.line_text else "")


class FeatureFilesError(IncidentsError):
    """One or more feature files cannot be checked."""

    def __init__(self, problems: Sequence[FeatureProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def find_feature_files(paths: Sequence[Path]) -> list[Path]:
    """The ``.feature`` files named, or found (recursively) in the folders named, each once."""
    found: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            files = sorted(path.rglob(f"*{SUFFIX}"))
            if not files:
                problems.append(FeatureProblem(str(path), f"no {SUFFIX} files in this folder"))
            found.extend(files)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(FeatureProblem(str(path), "no such file or folder"))
    if problems:
        raise FeatureFilesError(problems)
    return list(dict.fromkeys(file.resolve() for file in found))


def read_feature(path: Path, shown: str) -> Feature:
    """Parse one feature file as pytest-bdd will; ``shown`` is how problems name it."""
    try:
        feature = FeatureParser(str(path.parent), path.name).parse()
    except GherkinParseError as error:
        problem = FeatureProblem(f"{shown}:{error.line}", _readable(error.message), error.line_content)
        raise FeatureFilesError([problem]) from None
    except KeyError:  # the parser found no "Feature:" line at all
        raise FeatureFilesError([FeatureProblem(shown, "has no 'Feature:' line")]) from None
    except UnicodeDecodeError as error:
        raise FeatureFilesError([FeatureProblem(shown, f"is not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise FeatureFilesError([FeatureProblem(shown, f"cannot be read: {error.strerror}")]) from None
    if not feature.scenarios:
        raise FeatureFilesError([FeatureProblem(shown, "has no scenarios (is a 'Scenario:' line misspelt?)")])
    return feature


@frozen
class StepArgument:
    """What a step line carries under it, as the feature file writes it: a doc string (the text
    between the ``\"\"\"`` lines) or a table (its rows of cells)."""

    docstring: str | None = None
    table: tuple[tuple[str, ...], ...] = ()


def step_arguments(path: Path) -> dict[int, StepArgument]:
    """The doc string or table of every step of a feature file that has one, by the step's line
    (the reports show them); empty if the file can no longer be read."""
    try:
        feature = read_feature(path, str(path))
    except FeatureFilesError:
        return {}
    found: dict[int, StepArgument] = {}
    for template in feature.scenarios.values():
        for step in template.steps:  # with the background's
            table = (
                tuple(tuple(str(cell) for cell in row) for row in step.datatable.raw())
                if step.datatable
                else ()
            )
            if step.docstring is not None or table:
                found[step.line_number] = StepArgument(step.docstring, table)
    return found


def _readable(message: str) -> str:
    """The parser's message on one line, without its "(line:column):" prefixes."""
    parts = [_PARSER_NOISE.sub("", line).strip() for line in message.splitlines()]
    return " ".join(part for part in parts if part)
