"""The results as Cucumber JSON, for the tools that read it (CI dashboards, report viewers).

The document is a list of features, each with its ``uri``, ``name`` and ``elements`` (the
scenarios), each with its ``steps``: each step's ``doc_string`` or table (``rows`` of ``cells``)
as the feature file writes it, and its ``result.status``: ``passed``, ``failed`` (with an
``error_message``), or ``skipped`` (not run after a failure). A failure outside any
step is reported, as Cucumber does for hooks, in a ``before`` entry of the scenario.

It is made from the same results as the printed summary; pytest-bdd's own ``--cucumberjson``
is not used because it reports a scenario with an unknown step as passed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from incidents.specs.feature_files import StepArgument, step_arguments
from incidents.specs.results import FeatureInfo, RunResults, ScenarioResult, Status, StepResult

JSONObject = dict[str, Any]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tags(tags: tuple[str, ...], line: int) -> list[JSONObject]:
    return [{"name": f"@{tag}", "line": max(line - 1, 1)} for tag in tags]


def _result(status: Status, message: str | None, duration: float | None = None) -> JSONObject:
    result: JSONObject = {"status": status.value}
    if duration is not None:
        result["duration"] = round(duration * 1e9)  # Cucumber's unit: nanoseconds
    if status is Status.FAILED:
        result["error_message"] = message or "failed"
    return result


def _step(feature: FeatureInfo, step: StepResult, argument: StepArgument | None) -> JSONObject:
    document: JSONObject = {
        "keyword": f"{step.keyword} ",
        "name": step.text,
        "line": step.line,
        "match": {"location": feature.where(step.line)},
        "result": _result(step.status, step.message, step.duration),
    }
    if argument is not None and argument.docstring is not None:
        document["doc_string"] = {"content_type": "", "value": argument.docstring, "line": step.line + 1}
    elif argument is not None:
        document["rows"] = [{"cells": list(row)} for row in argument.table]
    return document


def _element(feature_id: str, scenario: ScenarioResult, arguments: dict[int, StepArgument]) -> JSONObject:
    element: JSONObject = {
        "id": f"{feature_id};{_slug(scenario.name)}",
        "keyword": scenario.keyword,
        "name": scenario.name,
        "line": scenario.line,
        "description": "",
        "type": "scenario",
        "tags": _tags(scenario.tags, scenario.line),
        "steps": [_step(scenario.feature, step, arguments.get(step.line)) for step in scenario.steps],
    }
    if scenario.status is Status.FAILED and scenario.failed_step is None:
        location = {"location": scenario.where}
        element["before"] = [{"match": location, "result": _result(Status.FAILED, scenario.message)}]
    return element


def cucumber_document(results: RunResults) -> list[JSONObject]:
    document = []
    for feature, scenarios in results.by_feature():
        feature_id = _slug(feature.name) or _slug(feature.shown)
        arguments = step_arguments(feature.path)
        document.append(
            {
                "uri": feature.shown,
                "id": feature_id,
                "keyword": feature.keyword,
                "name": feature.name,
                "line": feature.line,
                "description": feature.description,
                "tags": _tags(feature.tags, feature.line),
                "elements": [_element(feature_id, scenario, arguments) for scenario in scenarios],
            }
        )
    return document


def write_cucumber_json(results: RunResults, path: Path) -> None:
    path.write_text(json.dumps(cucumber_document(results), indent=2) + "\n", encoding="utf-8")
