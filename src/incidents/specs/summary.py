"""The summary ``incidents check`` prints: each scenario, passed or failed, and why it failed.

One line per scenario, under its feature, with the file and line to open; a failed scenario
also shows the step that failed and its message (which, for an expectation, includes what the
log says instead). The last line gives the totals.
"""

from __future__ import annotations

import textwrap

from incidents.specs.results import RunResults, ScenarioResult, Status

LABELS = {Status.PASSED: "PASS", Status.FAILED: "FAIL", Status.SKIPPED: "SKIP"}
MESSAGE_INDENT = " " * 8


def _scenario_lines(scenario: ScenarioResult) -> list[str]:
    lines = [f"  {LABELS[scenario.status]}  {scenario.name}  ({scenario.where})"]
    if scenario.status is not Status.FAILED:
        return lines
    step = scenario.failed_step
    if step is not None:
        lines.append(f"{MESSAGE_INDENT}{step.line_text}  ({scenario.feature.where(step.line)})")
    message = scenario.failure or "failed"
    lines.append(textwrap.indent(message, MESSAGE_INDENT))
    return lines


def render_summary(results: RunResults) -> str:
    """The summary as text, ending with "N scenarios: X passed, Y failed"."""
    lines: list[str] = []
    for feature, scenarios in results.by_feature():
        lines.append(f"{feature.keyword}: {feature.name}  ({feature.shown})")
        for scenario in scenarios:
            lines.extend(_scenario_lines(scenario))
        lines.append("")
    lines.append(results.totals())
    return "\n".join(lines)
