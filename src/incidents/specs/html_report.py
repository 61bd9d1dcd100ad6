"""The results as one static HTML page, to keep beside a dataset or attach to a review.

The page stands alone: its style is inline, it loads nothing and runs no script, so it opens the
same anywhere, offline, years later. It shows the totals, then each feature with its scenarios;
failed scenarios are open, with every step coloured by its status, the doc string or table it
carries, and the failure message under the step that failed; passed ones fold away. Every text
from a feature file or a message is escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from incidents.specs.feature_files import StepArgument, step_arguments
from incidents.specs.results import FeatureInfo, RunResults, ScenarioResult, Status, StepResult

Arguments = dict[int, StepArgument]  # a feature file's steps' doc strings and tables, by line

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin: 1.6em 0 0.4em; }
.where { color: #666; font: 0.85em ui-monospace, monospace; margin-left: 0.6em; }
.totals { font-weight: 600; padding: 0.5em 0.8em; border-radius: 4px; }
.totals.passed { background: #e3f4e6; } .totals.failed { background: #fbe3e3; }
.description { color: #555; white-space: pre-line; }
details { border-left: 4px solid #bbb; margin: 0.5em 0; padding: 0.2em 0.8em; }
details.passed { border-color: #2e8540; } details.failed { border-color: #c62828; }
details.skipped { border-color: #999; }
summary { cursor: pointer; }
.status { display: inline-block; min-width: 4.5em; font-weight: 600; }
.passed > summary .status, li.passed .status { color: #2e8540; }
.failed > summary .status, li.failed .status { color: #c62828; }
.skipped > summary .status, li.skipped .status { color: #777; }
ol.steps { list-style: none; padding-left: 0.5em; font-family: ui-monospace, monospace; }
li.skipped { color: #888; }
.keyword { font-weight: 600; }
.duration { color: #888; font-size: 0.85em; margin-left: 0.6em; }
pre.message { background: #fff4f4; border: 1px solid #f0c4c4; padding: 0.6em; white-space: pre-wrap; }
pre.docstring { background: #f6f6f6; border-left: 3px solid #ccc; margin: 0.3em 0 0.3em 5em;
  padding: 0.4em 0.6em; white-space: pre-wrap; }
table.datatable { border-collapse: collapse; margin: 0.3em 0 0.3em 5em; font-size: 0.9em; }
table.datatable td { border: 1px solid #ccc; padding: 0.1em 0.5em; }
table.datatable tr:first-child td { font-weight: 600; background: #f6f6f6; }
"""


def _duration(seconds: float | None) -> str:
    return f'<span class="duration">{seconds:.3f} s</span>' if seconds is not None else ""


def _argument(argument: StepArgument | None) -> str:
    """A step's doc string, or its table, as the feature file writes it."""
    if argument is None:
        return ""
    if argument.docstring is not None:
        return f'<pre class="docstring">{escape(argument.docstring)}</pre>'
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in argument.table
    )
    return f'<table class="datatable">{rows}</table>'


def _step(feature: FeatureInfo, step: StepResult, arguments: Arguments) -> str:
    message = f'<pre class="message">{escape(step.message)}</pre>' if step.message else ""
    return (
        f'<li class="step {step.status.value}"><span class="status">{step.status.value}</span> '
        f'<span class="keyword">{escape(step.keyword)}</span> {escape(step.text)}'
        f'<span class="where">{escape(feature.where(step.line))}</span>{_duration(step.duration)}'
        f"{_argument(arguments.get(step.line))}{message}</li>"
    )


def _scenario(scenario: ScenarioResult, arguments: Arguments) -> str:
    status = scenario.status.value
    opened = " open" if scenario.status is Status.FAILED else ""
    steps = "\n".join(_step(scenario.feature, step, arguments) for step in scenario.steps)
    own = ""
    if scenario.status is Status.FAILED and scenario.failed_step is None:
        own = f'<pre class="message">{escape(scenario.failure or "failed")}</pre>'
    return (
        f'<details class="scenario {status}"{opened}>'
        f'<summary><span class="status">{status}</span> {escape(scenario.keyword)}: '
        f'{escape(scenario.name)}<span class="where">{escape(scenario.where)}</span>'
        f"{_duration(scenario.duration)}</summary>\n"
        f'{own}<ol class="steps">\n{steps}\n</ol></details>'
    )


def _feature(feature: FeatureInfo, scenarios: list[ScenarioResult]) -> str:
    description = f'<p class="description">{escape(feature.description)}</p>' if feature.description else ""
    arguments = step_arguments(feature.path)
    body = "\n".join(_scenario(scenario, arguments) for scenario in scenarios)
    return (
        f'<section class="feature"><h2>{escape(feature.keyword)}: {escape(feature.name)}'
        f'<span class="where">{escape(feature.shown)}</span></h2>\n{description}\n{body}\n</section>'
    )


def render_html(results: RunResults) -> str:
    totals = escape(results.totals())
    outcome = "passed" if results.passed else "failed"
    features = "\n".join(_feature(feature, scenarios) for feature, scenarios in results.by_feature())
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>incidents check: {totals}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<h1>incidents check</h1>\n<p class="totals {outcome}">{totals}</p>\n'
        f"{features}\n</body>\n</html>\n"
    )


def write_html(results: RunResults, path: Path) -> None:
    path.write_text(render_html(results), encoding="utf-8")
