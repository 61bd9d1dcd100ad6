"""The amendment commands and the provenance queries, end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from incidents.cli import main
from tests.command import position_of
from tests.conftest import SEEDS
from tests.domain.amendments.conftest import PMF_KILL, RUDAW, WIRE


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], env={"USER": "tester"})


def as_json(db: Path, *args: str) -> dict[str, Any]:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def isis_killed(db: Path, *clocks: str) -> int:
    rows = as_json(db, "totals", "--as-of", "2019-08-28", *clocks)["rows"]
    best: int = next(r["best"] for r in rows if r["metric"] == "killed" and r["side"] == "ISIS")
    return best


@pytest.fixture
def db(tmp_path: Path) -> Path:
    store = tmp_path / "incidents.db"
    assert invoke(store, "load", "-q", str(SEEDS)).exit_code == 0
    return store


def test_the_acceptance_correction(db: Path) -> None:
    """Seeds, then a correction making the PMF's additional kill 2: 6 killed, 5 recorded before it,
    and the history shows both with their sources."""
    before = position_of(db)
    result = invoke(db, "correct", PMF_KILL, "--set", "count=2", "--reason", "the PMF's statement says two")
    assert result.exit_code == 0, result.output
    assert "recorded: correction" in result.output
    assert isis_killed(db) == 6
    assert isis_killed(db, "--recorded-at", str(before)) == 5
    story = as_json(db, "history", PMF_KILL)["rows"]
    assert [(row["event"], row["source"]) for row in story] == [
        ("stated", "Rudaw English"),
        ("correction", "analyst: tester"),
    ]
    assert story[0]["quote"].startswith("The PMF announced the killing of another ISIS militant")
    assert story[1]["what"] == "count to 2"
    assert story[1]["why"] == "the PMF's statement says two"
    earlier = as_json(db, "history", PMF_KILL, "--recorded-at", str(before))["rows"]
    assert [row["standing"] for row in earlier] == ["in effect", "not in view"]


def test_the_same_correction_twice_the_same_day_is_recorded_once(db: Path) -> None:
    args = ("correct", PMF_KILL, "--set", "count=2", "--reason", "two")
    assert "recorded:" in invoke(db, *args).output
    assert "unchanged:" in invoke(db, *args).output
    assert isis_killed(db) == 6


def test_a_correction_from_a_published_source_is_known_from_its_publication(db: Path) -> None:
    args = ["correct", PMF_KILL, "--set", "count=2", "--reason", "update"]
    source = ["--outlet", "PMF media", "--url", "https://pmf.example/1", "--published", "2019-08-30"]
    assert invoke(db, *args, *source, "--quote", "Two were killed.").exit_code == 0
    assert isis_killed(db, "--known-at", "2019-08-29") == 5
    assert isis_killed(db, "--known-at", "2019-08-30") == 6
    [_, correction] = as_json(db, "history", PMF_KILL)["rows"]
    assert (correction["source"], correction["url"], correction["quote"]) == (
        "PMF media",
        "https://pmf.example/1",
        "Two were killed.",
    )


def test_retract_link_and_prefer(db: Path, tmp_path: Path) -> None:
    wire = tmp_path / "wire.yaml"
    wire.write_text(WIRE, encoding="utf-8")
    assert invoke(db, "load", "-q", "--aliases", str(SEEDS / "aliases.yaml"), str(wire)).exit_code == 0
    assert isis_killed(db) == 10
    rudaw_pmf = f"{RUDAW}/phase-4-first-day-killed.2"
    assert (
        invoke(db, "link", rudaw_pmf, "wire-2019-08-25/pmf-killed", "--reason", "same claim").exit_code == 0
    )
    assert isis_killed(db) == 7
    conflicts = as_json(db, "conflicts")["rows"]
    [incident] = [row for row in conflicts if row["kind"] == "incident"]
    assert (incident["field"], incident["used"], incident["rule"]) == (
        "count",
        rudaw_pmf,
        "the most recently published report",
    )
    assert invoke(db, "prefer", "wire-2019-08-25/pmf-killed", "--reason", "hospital figures").exit_code == 0
    assert isis_killed(db) == 8
    assert invoke(db, "retract", "wire-2019-08-25/pmf-killed", "--reason", "misattributed").exit_code == 0
    # The preferred member is retracted: the incident counts as the Rudaw member again.
    assert isis_killed(db) == 7
    explained = as_json(db, "explain", "killed", "--side", "ISIS", "--as-of", "2019-08-28")
    assert explained["query"]["total"]["best"] == 7
    [retracted] = [row for row in explained["rows"] if row["id"] == "pmf-killed"]
    assert retracted["standing"] == "excluded"
    assert "retracted by" in retracted["reason"]


def test_conflicts_point_out_likely_duplicates(db: Path, tmp_path: Path) -> None:
    wire = tmp_path / "wire.yaml"
    wire.write_text(WIRE, encoding="utf-8")
    assert invoke(db, "load", "-q", "--aliases", str(SEEDS / "aliases.yaml"), str(wire)).exit_code == 0
    rows = as_json(db, "conflicts")["rows"]
    assert [row["kind"] for row in rows] == ["likely duplicate"]
    assert rows[0]["refs"] == [f"{RUDAW}/phase-4-first-day-killed.1", "wire-2019-08-25/coalition-killed"]


def test_explain_groups_and_lists_every_source(db: Path) -> None:
    explained = as_json(db, "explain", "killed", "--side", "ISIS", "--as-of", "2019-08-24", "--by", "actor")
    assert explained["query"]["total"]["best"] == 4
    standings = [(row["actor"], row["standing"]) for row in explained["rows"]]
    assert standings == [("US-led coalition", "counted"), ("PMF", "counted"), ("PMF", "uncertain")]
    assert all(row["url"].startswith("https://rudaw.net") for row in explained["rows"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["correct", "nobody/nothing", "--set", "count=2", "--reason", "x"],
            "no such action: nobody/nothing",
        ),
        (["correct", "pmf-statement-killed", "--set", "count=2", "--reason", "x"], "report-key/action-id"),
        (["correct", PMF_KILL, "--set", "count", "--reason", "x"], "expected FIELD=VALUE"),
        (["correct", PMF_KILL, "--set", "count=-1", "--reason", "x"], "changes"),
        (["correct", PMF_KILL, "--set", "count=2"], "Missing option '--reason'"),
        (["link", PMF_KILL], "at least two different actions"),
        (["retract", PMF_KILL, "--reason", "x", "--url", "https://x.example"], "give --outlet too"),
        (["history", "Atlantis"], "no recorded action (write report-key/action-id) and no area 'Atlantis'"),
    ],
)
def test_bad_amendments_write_nothing_and_say_why(db: Path, args: list[str], message: str) -> None:
    before = position_of(db)
    result = invoke(db, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert position_of(db) == before
