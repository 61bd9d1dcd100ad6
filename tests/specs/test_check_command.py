"""``incidents check`` end to end: feature files in, a summary, reports and an exit code out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidents.application import IncidentLog
from incidents.cli import main
from incidents.storage.location import parse_location
from tests.conftest import ALSHAHID, ROOT, RUDAW
from tests.specs.conftest import check, write_feature, write_misspelt_feature

WRITING_SPECS = ROOT / "docs" / "writing-specs.md"

ISIS_LOSSES = """
    Feature: ISIS losses

      Background:
        Given the reports in "seeds" are loaded

      Scenario: Five by the end of August
        When I ask for the totals as of 2019-08-28
        Then ISIS killed is 5

      Scenario: Six by the end of August
        When I ask for the totals as of 2019-08-28
        Then ISIS killed is 6
        And nothing is listed as uncertain
"""


def _first_spec() -> str:
    """The feature docs/writing-specs.md asks the reader to save as features/phase-4.feature."""
    page = WRITING_SPECS.read_text(encoding="utf-8")
    match = re.search(r"```gherkin\n(Feature:.*?)```", page, re.DOTALL)
    assert match, "docs/writing-specs.md has no feature in a ```gherkin block"
    return match[1]


def test_a_feature_written_from_the_docs_runs_green_against_the_seeds(dataset: Path) -> None:
    write_feature(dataset, "phase-4.feature", _first_spec())
    result = check("features/phase-4.feature")
    assert result.exit_code == 0, result.output
    assert "PASS  ISIS losses by the end of August  (features/phase-4.feature:6)" in result.output
    assert result.output.rstrip().endswith("2 scenarios: 2 passed, 0 failed")


def test_a_folder_is_searched_for_feature_files(dataset: Path) -> None:
    write_feature(dataset, "phase-4.feature", _first_spec())
    (dataset / "features" / "more").mkdir()
    write_feature(dataset, "more/losses.feature", ISIS_LOSSES)
    result = check("features")
    assert "4 scenarios: 3 passed, 1 failed" in result.output


def test_a_failing_scenario_exits_1_with_its_step_and_what_the_log_says(dataset: Path) -> None:
    write_feature(dataset, "losses.feature", ISIS_LOSSES)
    result = check("features/losses.feature")
    assert result.exit_code == 1
    assert "PASS  Five by the end of August  (features/losses.feature:6)" in result.output
    assert "FAIL  Six by the end of August  (features/losses.feature:10)" in result.output
    assert "Then ISIS killed is 6  (features/losses.feature:12)" in result.output
    assert "ISIS killed is 5, expected 6." in result.output
    assert "ISIS arrested: 7" in result.output  # the whole answer, to see what the log says
    assert result.output.rstrip().endswith("2 scenarios: 1 passed, 1 failed")


def test_a_misspelt_step_suggests_the_step_it_meant(dataset: Path) -> None:
    write_misspelt_feature(dataset)
    result = check("features/misspelt.feature")
    assert result.exit_code == 1
    assert 'No Then step reads "ISIS kiled is 5" (features/misspelt.feature:5)' in result.output
    assert "    Then ISIS killed is 5\n" in result.output


def test_a_malformed_feature_is_named_with_its_file_and_line_and_nothing_runs(dataset: Path) -> None:
    write_feature(dataset, "good.feature", _first_spec())
    write_feature(
        dataset,
        "bad.feature",
        """
        Feature: Broken
          Scenario: A table with a missing cell
            Given a report by "Wire" published 2019-08-28 states:
              | type   | occurred   | side |
              | killed | 2019-08-24 |
        """,
    )
    result = check("features")
    assert result.exit_code == 2
    assert "error: features/bad.feature:5: inconsistent cell count within the table" in result.stderr
    assert "Traceback" not in result.output
    assert "scenarios:" not in result.stdout


def test_k_selects_scenarios_by_name(dataset: Path) -> None:
    write_feature(dataset, "losses.feature", ISIS_LOSSES)
    result = check("features", "-k", "five or seven")
    assert result.exit_code == 0, result.output
    assert "Five by the end of August" in result.output
    assert "Six by the end of August" not in result.output
    assert "1 scenario: 1 passed, 0 failed" in result.output


def test_k_that_selects_nothing_or_cannot_be_read_exits_2(dataset: Path) -> None:
    write_feature(dataset, "losses.feature", ISIS_LOSSES)
    nothing = check("features", "-k", "khairat")
    assert nothing.exit_code == 2
    assert "no scenario matches -k 'khairat'" in nothing.stderr
    unreadable = check("features", "-k", "five and")
    assert unreadable.exit_code == 2
    assert "cannot read -k 'five and'" in unreadable.stderr


def test_cucumber_json_is_written_as_cucumber_reads_it(dataset: Path) -> None:
    write_feature(dataset, "losses.feature", ISIS_LOSSES)
    report = dataset / "cucumber.json"
    assert check("features", "--cucumber-json", str(report)).exit_code == 1
    document = json.loads(report.read_text(encoding="utf-8"))
    assert isinstance(document, list)
    [feature] = document
    assert feature["uri"] == "features/losses.feature"
    assert feature["name"] == "ISIS losses"
    assert feature["keyword"] == "Feature"
    assert [element["name"] for element in feature["elements"]] == [
        "Five by the end of August",
        "Six by the end of August",
    ]
    for element in feature["elements"]:
        assert element["type"] == "scenario"
        assert isinstance(element["line"], int)
        for step in element["steps"]:
            assert {"keyword", "name", "line", "match", "result"} <= set(step)
            assert step["result"]["status"] in {"passed", "failed", "skipped"}
    statuses = [[step["result"]["status"] for step in element["steps"]] for element in feature["elements"]]
    assert statuses == [["passed", "passed", "passed"], ["passed", "passed", "failed", "skipped"]]
    failed = feature["elements"][1]["steps"][2]
    assert failed["name"] == "ISIS killed is 6"
    assert "ISIS killed is 5, expected 6." in failed["result"]["error_message"]


def test_html_report_shows_every_scenario_with_its_status(dataset: Path) -> None:
    write_feature(dataset, "losses.feature", ISIS_LOSSES)
    report = dataset / "report.html"
    assert check("features", "--html", str(report)).exit_code == 1
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Five by the end of August" in page
    assert "Six by the end of August" in page
    assert '<details class="scenario passed">' in page
    assert '<details class="scenario failed" open>' in page
    assert "ISIS killed is 5, expected 6." in page
    assert "2 scenarios: 1 passed, 1 failed" in page
    assert not re.search(r"<script|<link|\bsrc=|url\(", page), "the page must load nothing"


def test_a_report_that_cannot_be_written_exits_2_after_the_summary(dataset: Path) -> None:
    write_feature(dataset, "phase-4.feature", _first_spec())
    result = check("features", "--html", "no-such-folder/report.html")
    assert result.exit_code == 2
    assert "2 scenarios: 2 passed, 0 failed" in result.stdout
    assert "cannot write the report no-such-folder/report.html" in result.stderr


def _load_rudaw(store: str) -> None:
    loaded = CliRunner().invoke(main, ["--db", store, "load", "-q", str(RUDAW)])
    assert loaded.exit_code == 0, loaded.output


def _position(store: str) -> int:
    log = IncidentLog.open(parse_location(store))
    try:
        return log.recorder.max_notification_id() or 0
    finally:
        log.close()


def test_a_store_is_the_starting_point_and_is_never_written(dataset: Path, store: str) -> None:
    """``store`` is a SQLite file, then a PostgreSQL schema (see tests/conftest.py)."""
    _load_rudaw(store)
    position = _position(store)
    sqlite_file = None if store.startswith("postgresql") else Path(store)
    content = sqlite_file.read_bytes() if sqlite_file else None
    write_feature(
        dataset,
        "store.feature",
        f"""
        Feature: The team's store

          Scenario: The store holds Rudaw's report
            When I ask for the totals as of 2019-08-28
            Then ISIS killed is 5
            And Federal Police killed is 0

          Scenario: A report loaded by a scenario goes to its copy of the log
            Given the report file "seeds/{ALSHAHID.name}" is loaded
            When I ask for the totals as of 2019-08-28
            Then Federal Police killed is 1
            And ISIS killed is 5
        """,
    )
    result = check("features", "--store", store)
    assert result.exit_code == 0, result.output
    assert "2 scenarios: 2 passed, 0 failed" in result.output
    if sqlite_file is not None:
        assert sqlite_file.read_bytes() == content
    assert _position(store) == position


def test_without_a_store_scenarios_start_from_an_empty_log(dataset: Path) -> None:
    _load_rudaw(str(dataset / "incidents.db"))  # the default --db, which check does not use
    write_feature(
        dataset,
        "empty.feature",
        """
        Feature: Nothing loaded
          Scenario: An empty log
            Given names resolve with the reference data in "seeds/aliases.yaml"
            When I ask for the totals as of 2019-08-28
            Then ISIS killed is 0
        """,
    )
    assert check("features").exit_code == 0


@pytest.mark.parametrize(
    ("store", "message"), [("missing.db", "the file does not exist"), ("memory:", "empty")]
)
def test_a_store_that_cannot_be_read_exits_2_and_is_not_created(
    dataset: Path, store: str, message: str
) -> None:
    write_feature(dataset, "phase-4.feature", _first_spec())
    result = check("features", "--store", store)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (dataset / "missing.db").exists()


def test_the_folders_pytest_configuration_is_left_out(dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An analyst's folder may hold a project's pytest setup; the check must not run it."""
    (dataset / "conftest.py").write_text("raise RuntimeError('the conftest was loaded')\n")
    (dataset / "features" / "conftest.py").write_text("raise RuntimeError('the conftest was loaded')\n")
    (dataset / "pytest.ini").write_text("[pytest]\naddopts = --no-such-option\n")
    monkeypatch.setenv("PYTEST_ADDOPTS", "--no-such-option-either")
    write_feature(dataset, "phase-4.feature", _first_spec())
    result = check("features")
    assert result.exit_code == 0, result.output
    assert "2 scenarios: 2 passed, 0 failed" in result.output


def test_the_projects_own_features_run_green_from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same scenarios tests/test_features.py runs with pytest, run the analysts' way."""
    monkeypatch.chdir(ROOT)
    result = check("features")
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output.splitlines()[-1]
