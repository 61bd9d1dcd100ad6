"""The summary, the Cucumber JSON and the HTML page, made from the same results."""

from __future__ import annotations

from pathlib import Path

from incidents.specs.cucumber_json import cucumber_document
from incidents.specs.html_report import render_html
from incidents.specs.results import FeatureInfo, RunResults, ScenarioResult, Status, StepResult
from incidents.specs.summary import render_summary

FEATURE = FeatureInfo(
    path=Path("/data/features/areas.feature"),
    shown="features/areas.feature",
    keyword="Feature",
    name="Areas <east>",
    line=1,
    tags=("team",),
)


def _results() -> RunResults:
    passed = ScenarioResult(
        FEATURE,
        "Scenario",
        "Karma & Khairat",
        4,
        [StepResult("Then", "Karma is threatened", 5, Status.PASSED)],
    )
    failed = ScenarioResult(
        FEATURE,
        "Scenario",
        "<script>alert(1)</script>",
        8,
        [
            StepResult("When", "I ask for the areas as of 2019-08-01", 9, Status.PASSED),
            StepResult(
                "Then", "7 areas are cleared", 10, Status.FAILED, "6 areas are cleared, expected 7 <b>"
            ),
            StepResult("And", "Karma is threatened", 11),
        ],
        status=Status.FAILED,
        tags=("slow",),
    )
    failed_outside_steps = ScenarioResult(
        FEATURE,
        "Scenario",
        "No store",
        13,
        [StepResult("Then", "Karma is threatened", 14)],
        status=Status.FAILED,
        message="StoreError: cannot read the store",
    )
    skipped = ScenarioResult(FEATURE, "Scenario", "Later", 16, [StepResult("Then", "x", 17)])
    passed.status = Status.PASSED
    return RunResults([passed, failed, failed_outside_steps, skipped])


def test_the_summary_lists_scenarios_and_failures_and_ends_with_the_totals() -> None:
    text = render_summary(_results())
    assert "  PASS  Karma & Khairat  (features/areas.feature:4)" in text
    assert "  FAIL  <script>alert(1)</script>  (features/areas.feature:8)" in text
    assert "        Then 7 areas are cleared  (features/areas.feature:10)\n" in text
    assert "        6 areas are cleared, expected 7 <b>" in text
    assert "        StoreError: cannot read the store" in text
    assert "  SKIP  Later  (features/areas.feature:16)" in text
    assert text.endswith("4 scenarios: 1 passed, 2 failed, 1 skipped")


def test_cucumber_json_reports_each_step_and_failures_outside_steps_as_hooks() -> None:
    [feature] = cucumber_document(_results())
    assert feature["uri"] == "features/areas.feature"
    assert feature["tags"] == [{"name": "@team", "line": 1}]
    passed, failed, outside, skipped = feature["elements"]
    assert [step["result"]["status"] for step in failed["steps"]] == ["passed", "failed", "skipped"]
    assert failed["steps"][1]["result"]["error_message"] == "6 areas are cleared, expected 7 <b>"
    assert failed["steps"][1]["keyword"] == "Then "
    assert failed["tags"] == [{"name": "@slow", "line": 7}]
    assert outside["before"][0]["result"] == {
        "status": "failed",
        "error_message": "StoreError: cannot read the store",
    }
    assert "before" not in passed
    assert [step["result"]["status"] for step in skipped["steps"]] == ["skipped"]


def test_the_html_page_escapes_every_text() -> None:
    page = render_html(_results())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Areas &lt;east&gt;" in page
    assert "Karma &amp; Khairat" in page
    assert "expected 7 &lt;b&gt;" in page
    assert "StoreError: cannot read the store" in page
    assert '<li class="step skipped">' in page
    assert "4 scenarios: 1 passed, 2 failed, 1 skipped" in page
