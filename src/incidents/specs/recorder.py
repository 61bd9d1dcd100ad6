"""A pytest plugin that records what each scenario's steps did, for ``incidents check``.

At collection it notes every scenario with all its steps not run yet (and deselects those a
``-k`` expression leaves out); pytest-bdd's hooks then mark each step passed or failed, with the
message of what failed; pytest's report of each test settles the scenario's status, including
failures outside any step (a fixture that could not be set up).

pytest-bdd's own ``--cucumberjson`` is not used: it reports a scenario whose step is unknown as
passed, and leaves that step out.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.exceptions import StepDefinitionNotFoundError
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from incidents.domain.errors import IncidentsError
from incidents.specs.phrases import PhraseError
from incidents.specs.results import (
    FeatureInfo,
    RunResults,
    ScenarioResult,
    Status,
    StepResult,
    shown_path,
)
from incidents.specs.selection import Selection

EXAMPLE_PARAMETER = "_pytest_bdd_example"  # how pytest-bdd parametrizes a scenario outline


def failure_message(exception: BaseException) -> str:
    """What a failed step says: an expectation's, a phrase's or the tool's own error message as it
    is; other errors (a missing file, a bad table) with their kind."""
    if isinstance(exception, AssertionError | PhraseError | StepDefinitionNotFoundError | IncidentsError):
        return str(exception) or type(exception).__name__
    return f"{type(exception).__name__}: {exception}"


class ScenarioRecorder:
    """Collects a ``RunResults`` while pytest runs the scenarios of a check."""

    def __init__(self, root: Path, selection: Selection | None = None) -> None:
        self.root = root
        self.selection = selection
        self.results = RunResults()
        self._by_test: dict[str, ScenarioResult] = {}
        self._features: dict[str, FeatureInfo] = {}
        self._started: dict[tuple[str, int], float] = {}  # (test, step line) -> when it started

    # --- Collection -----------------------------------------------------------------------------

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        selected, deselected = [], []
        for item in items:
            scenario = self._scenario_of(item)
            if scenario is None:
                selected.append(item)  # not a scenario: leave it to pytest
            elif self.selection is None or self.selection.selects(scenario.name, scenario.feature.name):
                self._by_test[item.nodeid] = scenario
                selected.append(item)
            else:
                deselected.append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = selected

    def _scenario_of(self, item: pytest.Item) -> ScenarioResult | None:
        if not isinstance(item, pytest.Function):
            return None
        template: ScenarioTemplate | None = scenario_wrapper_template_registry.get(item.obj)
        if template is None:
            return None
        callspec = getattr(item, "callspec", None)
        example: dict[str, Any] = callspec.params.get(EXAMPLE_PARAMETER, {}) if callspec else {}
        scenario = template.render(example)
        name = scenario.name
        if example and name == template.name:
            name = f"{name} ({', '.join(str(value) for value in example.values())})"
        return ScenarioResult(
            feature=self._feature_info(template.feature),
            keyword=scenario.keyword,
            name=name,
            line=scenario.line_number,
            steps=[StepResult(step.keyword.strip(), step.name, step.line_number) for step in scenario.steps],
            tags=tuple(sorted(scenario.tags)),
        )

    def _feature_info(self, feature: Feature) -> FeatureInfo:
        if feature.filename not in self._features:
            path = Path(feature.filename)
            self._features[feature.filename] = FeatureInfo(
                path=path,
                shown=shown_path(path, self.root),
                keyword=feature.keyword,
                name=feature.name or path.stem,
                line=feature.line_number,
                description=feature.description,
                tags=tuple(sorted(feature.tags)),
            )
        return self._features[feature.filename]

    # --- Steps (pytest-bdd's hooks) -------------------------------------------------------------

    def _step(self, request: pytest.FixtureRequest, step: Step) -> StepResult | None:
        scenario = self._by_test.get(request.node.nodeid)
        return scenario.step_at(step.line_number) if scenario is not None else None

    def _timed(self, request: pytest.FixtureRequest, step: Step) -> StepResult | None:
        found = self._step(request, step)
        started = self._started.pop((request.node.nodeid, step.line_number), None)
        if found is not None and started is not None:
            found.duration = time.perf_counter() - started
        return found

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        self._started[(request.node.nodeid, step.line_number)] = time.perf_counter()

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest, step: Step) -> None:
        found = self._timed(request, step)
        if found is not None:
            found.status = Status.PASSED

    def pytest_bdd_step_error(self, request: pytest.FixtureRequest, step: Step, exception: Exception) -> None:
        found = self._timed(request, step)
        if found is not None:
            found.status, found.message = Status.FAILED, failure_message(exception)

    @pytest.hookimpl(trylast=True)  # after unknown_steps has written its message
    def pytest_bdd_step_func_lookup_error(
        self, request: pytest.FixtureRequest, step: Step, exception: Exception
    ) -> None:
        self.pytest_bdd_step_error(request, step, exception)

    # --- Scenarios (pytest's reports) -----------------------------------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        scenario = self._by_test.get(report.nodeid)
        if scenario is None:
            return
        if report.when == "setup":
            self.results.scenarios.append(scenario)
        scenario.duration = (scenario.duration or 0.0) + report.duration
        if report.skipped and scenario.status is not Status.FAILED:
            scenario.status = Status.SKIPPED
        elif report.failed:
            scenario.status = Status.FAILED
            if scenario.failed_step is None and scenario.message is None:
                scenario.message = _crash_message(report)
        elif report.when == "call":
            scenario.status = Status.PASSED


def _crash_message(report: pytest.TestReport) -> str:
    """The gist of a failure outside the steps: pytest's one-line crash message."""
    crash = getattr(report.longrepr, "reprcrash", None)
    message = getattr(crash, "message", None)
    return str(message) if message else str(report.longrepr)
