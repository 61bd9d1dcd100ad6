"""What a run of feature files found: each scenario, each of its steps, passed, failed or not run.

``incidents check`` prints its summary, writes its Cucumber JSON and its HTML report from these
results, so the three always agree. They are recorded by ``recorder.ScenarioRecorder`` while
pytest runs the scenarios.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterator
from pathlib import Path

from attrs import define, field, frozen


class Status(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run: a step after a failed one, or a scenario skipped by a tag


def shown_path(path: Path, root: Path) -> str:
    """A feature file as the analyst wrote it: relative to the folder the run started from when
    it is inside it, else absolute."""
    relative = os.path.relpath(path, root)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


@frozen
class FeatureInfo:
    """A feature file and its title."""

    path: Path  # absolute
    shown: str  # as printed: relative to the run's folder when inside it
    keyword: str
    name: str
    line: int
    description: str = ""
    tags: tuple[str, ...] = ()

    def where(self, line: int) -> str:
        return f"{self.shown}:{line}"


@define
class StepResult:
    keyword: str  # as written: Given, When, Then, And, But
    text: str
    line: int
    status: Status = Status.SKIPPED
    message: str | None = None  # why it failed
    duration: float | None = None  # seconds, when it ran

    @property
    def line_text(self) -> str:
        return f"{self.keyword} {self.text}"


@define
class ScenarioResult:
    """One scenario (or one example row of a scenario outline) and what happened to its steps."""

    feature: FeatureInfo
    keyword: str
    name: str
    line: int
    steps: list[StepResult]
    status: Status = Status.SKIPPED
    # Why it failed when no step did (a fixture could not be set up, say).
    message: str | None = None
    tags: tuple[str, ...] = ()
    duration: float | None = None  # seconds: setting up, running and tearing down its test

    @property
    def where(self) -> str:
        return self.feature.where(self.line)

    def step_at(self, line: int) -> StepResult | None:
        return next((step for step in self.steps if step.line == line), None)

    @property
    def failed_step(self) -> StepResult | None:
        return next((step for step in self.steps if step.status is Status.FAILED), None)

    @property
    def failure(self) -> str | None:
        """The message of what failed: the failed step's, or the scenario's own."""
        step = self.failed_step
        return step.message if step is not None else self.message


@define
class RunResults:
    """Every scenario that ran (or was skipped), in the order pytest ran them."""

    scenarios: list[ScenarioResult] = field(factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for scenario in self.scenarios if scenario.status is status)

    @property
    def passed(self) -> bool:
        return self.count(Status.FAILED) == 0

    def by_feature(self) -> Iterator[tuple[FeatureInfo, list[ScenarioResult]]]:
        """The scenarios grouped by feature file, features in the order they first ran."""
        grouped: dict[Path, list[ScenarioResult]] = {}
        for scenario in self.scenarios:
            grouped.setdefault(scenario.feature.path, []).append(scenario)
        for scenarios in grouped.values():
            yield scenarios[0].feature, scenarios

    def totals(self) -> str:
        """ "3 scenarios: 2 passed, 1 failed" (and how many were skipped, if any)."""
        total = len(self.scenarios)
        text = (
            f"{total} scenario{'s' if total != 1 else ''}: "
            f"{self.count(Status.PASSED)} passed, {self.count(Status.FAILED)} failed"
        )
        skipped = self.count(Status.SKIPPED)
        return text + (f", {skipped} skipped" if skipped else "")
