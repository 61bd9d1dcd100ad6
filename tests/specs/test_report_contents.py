"""The HTML and Cucumber JSON reports carry each step's doc string and table, as written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.specs.conftest import check, write_feature

FEATURE = '''
    Feature: Arguments
      Scenario: A table and a doc string
        Given a report by "Rudaw English" published 2019-08-28 states:
          | type   | side | count | occurred   | quote                 |
          | killed | ISIS | 2     | 2019-08-24 | Two <b>militants</b>. |
        And a report file "extra.yaml" containing:
          """
          id: <extra> & more
          """
        When I ask for the totals as of 2019-08-28
        Then ISIS killed is 2
'''


def test_the_reports_show_step_tables_and_doc_strings(dataset: Path) -> None:
    write_feature(dataset, "arguments.feature", FEATURE)
    result = check("features", "--html", "report.html", "--cucumber-json", "report.json")
    assert result.exit_code == 0, result.output
    page = (dataset / "report.html").read_text(encoding="utf-8")
    assert "<td>type</td><td>side</td>" in page
    assert "<td>Two &lt;b&gt;militants&lt;/b&gt;.</td>" in page
    assert '<pre class="docstring">id: &lt;extra&gt; &amp; more</pre>' in page
    steps = json.loads((dataset / "report.json").read_text(encoding="utf-8"))[0]["elements"][0]["steps"]
    assert steps[0]["rows"] == [
        {"cells": ["type", "side", "count", "occurred", "quote"]},
        {"cells": ["killed", "ISIS", "2", "2019-08-24", "Two <b>militants</b>."]},
    ]
    assert steps[1]["doc_string"] == {"content_type": "", "value": "id: <extra> & more", "line": 7}
    assert "rows" not in steps[2]
    assert "doc_string" not in steps[2]


def test_the_reports_give_each_step_and_scenario_its_duration(dataset: Path) -> None:
    write_feature(dataset, "arguments.feature", FEATURE)
    result = check("features", "--html", "report.html", "--cucumber-json", "report.json")
    assert result.exit_code == 0, result.output
    page = (dataset / "report.html").read_text(encoding="utf-8")
    assert page.count('<span class="duration">') == 4 + 1  # every step, and the scenario
    steps = json.loads((dataset / "report.json").read_text(encoding="utf-8"))[0]["elements"][0]["steps"]
    durations = [step["result"]["duration"] for step in steps]
    assert all(isinstance(duration, int) and duration > 0 for duration in durations), durations
