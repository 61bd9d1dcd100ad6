"""``incidents changes``, ``diff``, ``lag`` and ``export --changed-since`` on the seeds with the
README's correction: what a user sees, the feed a downstream dataset consumes, and the marked
withdrawals of every export format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.command import invoke
from tests.conftest import SEEDS

R = "rudaw-2019-08-28-will-of-victory-phase-4"
PMF_KILLED = f"{R}/pmf-statement-killed"


@pytest.fixture
def corrected(tmp_path: Path) -> Path:
    db = tmp_path / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    correction = ("correct", PMF_KILLED, "--set", "count=2", "--reason", "the PMF's statement names two")
    assert invoke(db, *correction, "--by", "ann").exit_code == 0
    return db


def test_the_table_lists_the_correction_with_its_source_reason_and_analyst(corrected: Path) -> None:
    result = invoke(corrected, "changes", "--since", "27", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "correction" in line)
    for shown in ("count 1 -> 2", "the PMF's statement names two", "analyst: ann", "ann"):
        assert shown in line
    assert "resume from position 29" in result.stdout


def test_the_feed_is_json_lines_ending_with_the_position_to_resume_from(corrected: Path) -> None:
    result = invoke(corrected, "changes", "--since", "20", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    *changes, last = lines
    assert [change["position"] for change in changes] == [21, 22, 23, 24, 25, 26, 27, 29]
    assert changes[-1]["effects"] == [{"ref": PMF_KILLED, "field": "count", "before": "1", "after": "2"}]
    assert last == {"since": "20", "until": None, "known_since": None, "resume_from": 29}
    again = invoke(corrected, "changes", "--since", str(last["resume_from"]), "--format", "jsonl")
    assert again.stdout.splitlines() == [json.dumps({**last, "since": "29"}, separators=(",", ":"))]


def test_the_csv_has_one_row_per_statement(corrected: Path) -> None:
    result = invoke(corrected, "changes", "--since", "27", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["kind"], row["changes"], row["recorded_by"]) == ("correction", "count 1 -> 2", "ann")
    assert "effects" not in row


def test_diff_shows_isis_killed_5_to_6_explained_by_the_correction(corrected: Path) -> None:
    args = ("diff", "--from", "recorded-at=27", "--to", "recorded-at=now", "--as-of", "2019-08-28")
    result = invoke(corrected, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    [total] = [row for row in json.loads(result.stdout)["rows"] if row["section"] == "totals"]
    assert (total["subject"], total["before"], total["after"]) == ("ISIS killed", "5", "6")
    [event] = total["events"]
    assert (event["kind"], event["position"], event["source"]) == ("correction", 29, "analyst: ann")
    assert event["reason"] == "the PMF's statement names two"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("changes",), "give --since"),
        (("changes", "--since", "soon"), "expected a time like"),
        (("diff", "--from", "recorded=27"), "expected as-of=VALUE"),
        (("lag", "--by", "month"), "'month' is not one of"),
    ],
)
def test_bad_questions_say_what_is_expected(corrected: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(corrected, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_lag_by_outlet_as_ranges(corrected: Path) -> None:
    result = invoke(corrected, "lag", "--format", "json")
    rudaw = next(row for row in json.loads(result.stdout)["rows"] if row["group"] == "Rudaw English")
    assert (rudaw["median"], rudaw["median_low"], rudaw["median_high"], rudaw["max"]) == ("1-4", 1, 4, "52")


@pytest.fixture
def retracted(corrected: Path) -> Path:
    assert invoke(corrected, "retract", f"{R}/phase-4-launched", "--reason", "test").exit_code == 0
    return corrected


def test_export_changed_since_marks_what_it_withdraws_in_every_format(retracted: Path) -> None:
    table = invoke(retracted, "export", "--format", "csv", "--changed-since", "27")
    assert table.exit_code == 0, table.output
    standings = {row["action_id"]: row["standing"] for row in csv.DictReader(io.StringIO(table.stdout))}
    assert standings == {"pmf-statement-killed": "counted", "phase-4-launched": "withdrawn"}
    assert "1 changed, 1 withdrawn" in table.stderr
    acled = invoke(retracted, "export", "--format", "acled-csv", "--changed-since", "27")
    tags = {row["event_id_cnty"]: row["tags"] for row in csv.DictReader(io.StringIO(acled.stdout))}
    assert tags[PMF_KILLED] is not None
    assert not tags[PMF_KILLED].startswith("withdrawn")  # (phase launches are not ACLED events)
    bundle = json.loads(invoke(retracted, "export", "--format", "json", "--changed-since", "27").stdout)
    assert bundle["withdrawn"] == [{"report": R, "id": "phase-4-launched"}]
    assert [action["id"] for report in bundle["reports"] for action in report["actions"]] == [
        "pmf-statement-killed"
    ]


def test_an_acled_row_withdrawn_is_tagged_first(corrected: Path) -> None:
    assert invoke(corrected, "retract", PMF_KILLED, "--reason", "test").exit_code == 0
    acled = invoke(corrected, "export", "--format", "acled-csv", "--changed-since", "29")
    [row] = list(csv.DictReader(io.StringIO(acled.stdout)))
    assert row["event_id_cnty"] == PMF_KILLED
    assert row["tags"].split("; ")[0] == "withdrawn"


def test_an_increment_with_withdrawals_is_not_loaded(retracted: Path, tmp_path: Path) -> None:
    for export_format, name in (("csv", "since.csv"), ("json", "since.json")):
        written = tmp_path / name
        args = ("export", "--format", export_format, "--changed-since", "27", "-o", str(written))
        assert invoke(retracted, *args).exit_code == 0
        result = invoke(tmp_path / "copy.db", "load", "--aliases", str(SEEDS / "aliases.yaml"), str(written))
        assert result.exit_code == 1
        assert "withdrawn" in result.output
        assert "nothing was written" in result.output
