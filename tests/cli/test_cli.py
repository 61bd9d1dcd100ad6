"""The ``incidents`` command, through click's test runner, on a SQLite file in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incidents.cli import main
from tests.command import entries_in, invoke
from tests.conftest import ALIASES, ALSHAHID, RUDAW, SEEDS


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the seeds loaded (shared by the read-only query tests)."""
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    result = invoke(db, "load", "--quiet", str(SEEDS))
    assert result.exit_code == 0, result.output
    return db


def query(db: Path, *args: str) -> dict[str, Any]:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    assert set(document) == {"query", "rows", "uncertain"}
    return document


def csv_rows(db: Path, *args: str) -> tuple[list[str], list[dict[str, str]]]:
    result = invoke(db, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """A copy of the seed folder that a test may change."""
    folder = tmp_path / "dataset"
    shutil.copytree(SEEDS, folder)
    return folder


# --- load ------------------------------------------------------------------------------------------


def test_load_prints_recorded_then_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    first = invoke(db, "load", str(SEEDS))
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0].startswith("recorded ")
    assert (
        "alshahid-2019-07-anti-isis-operations-clear-villages.yaml  (16 actions, report alshahid" in lines[0]
    )
    assert any(
        line.startswith("  flagged: ") and "'Khairat' is not in the gazetteer" in line for line in lines
    )
    assert any(
        line.startswith("recorded ") and "(9 actions, report rudaw-2019-08-28" in line for line in lines
    )
    assert lines[-1] == f"2 report(s) recorded, 0 unchanged, in {db}."
    again = invoke(db, "load", "--quiet", str(RUDAW), str(ALSHAHID))
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["unchanged", "unchanged"]
    assert "flagged" not in again.stdout
    assert lines[-1] == f"0 report(s) recorded, 2 unchanged, in {db}."
    assert entries_in(db) == 25


def test_a_bad_file_exits_1_names_file_line_and_field_and_writes_nothing(
    tmp_path: Path, dataset: Path
) -> None:
    broken = dataset / "rudaw-2019-08-28-will-of-victory-phase-4.yaml"
    text = broken.read_text()
    assert "    count: 7\n    quote: >-\n      The PMF" in text
    broken.write_text(
        text.replace(
            "    count: 7\n    quote: >-\n      The PMF", "    count: seven\n    quote: >-\n      The PMF"
        )
    )
    line = next(
        number for number, row in enumerate(broken.read_text().splitlines(), 1) if "count: seven" in row
    )
    db = tmp_path / "log.db"
    result = invoke(db, "load", str(dataset))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"error: {broken}:{line}: actions[4].count: " in result.stderr
    assert "'seven'" in result.stderr
    assert result.stderr.rstrip().endswith("1 problem; nothing was written.")
    assert entries_in(db) == 0  # not even the valid Al-Shahid report


def test_several_problems_are_all_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: {outlet: o, published: 2019-08-28}\nactions:\n  - {type: nonsense}\n")
    result = invoke(tmp_path / "log.db", "load", str(bad))
    assert result.exit_code == 1
    assert f"error: {bad}:1: source.url: required" in result.stderr
    assert f"error: {bad}:3: actions[0].type: unknown event type 'nonsense'" in result.stderr
    assert "2 problems; nothing was written." in result.stderr


def test_a_revised_report_under_a_recorded_id_is_refused(tmp_path: Path, dataset: Path) -> None:
    db = tmp_path / "log.db"
    assert invoke(db, "load", str(dataset)).exit_code == 0
    rudaw = dataset / RUDAW.name
    rudaw.write_text(rudaw.read_text().replace("count: 13", "count: 14"))
    result = invoke(db, "load", str(dataset))
    assert result.exit_code == 1
    assert "already recorded with different content" in result.stderr
    assert "nothing was written" in result.stderr
    assert entries_in(db) == 25


def test_load_of_a_missing_path(tmp_path: Path) -> None:
    result = invoke(tmp_path / "log.db", "load", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'nowhere'}: no such file or folder" in result.stderr


def test_a_store_that_cannot_be_opened_is_an_error_without_the_password() -> None:
    result = invoke("postgresql://analyst:hunter2@127.0.0.1:5432", "totals")
    assert result.exit_code == 1
    assert "error: bad store location postgresql://analyst@127.0.0.1:5432: " in result.stderr
    assert "needs a database name" in result.stderr
    assert "hunter2" not in result.output


def test_the_db_comes_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    result = CliRunner().invoke(main, ["load", "-q", str(RUDAW)], env={"INCIDENTS_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert entries_in(db) == 9


# --- JSON and CSV contracts --------------------------------------------------------------------------


def test_totals_json(loaded: Path) -> None:
    document = query(loaded, "totals", "--as-of", "2019-08-28")
    assert document["query"] == {"as_of": "2019-08-28", "known_at": None, "recorded_at": None, "by": []}
    for row in document["rows"]:
        assert set(row) == {
            "metric",
            "side",
            "item",
            "best",
            "low",
            "high",
            "events",
            "approximate",
            "unknown",
        }
    isis = next(row for row in document["rows"] if (row["metric"], row["side"]) == ("killed", "ISIS"))
    assert (isis["best"], isis["low"], isis["high"]) == (5, 5, 5)
    assert document["uncertain"] == []


def test_totals_json_by_actor_and_phase(loaded: Path) -> None:
    document = query(loaded, "totals", "--as-of", "2019-08-28", "--by", "actor, phase")
    assert document["query"]["by"] == ["actor", "phase"]
    killed = {
        (row["actor"], row["phase"]): row["best"]
        for row in document["rows"]
        if (row["metric"], row["side"]) == ("killed", "ISIS")
    }
    assert killed == {("PMF", 4): 3, ("US-led coalition", 4): 2}  # phase: a number (issue 12)
    assert all(
        set(row)
        == {
            "metric",
            "side",
            "item",
            "actor",
            "phase",
            "best",
            "low",
            "high",
            "events",
            "approximate",
            "unknown",
        }
        for row in document["rows"]
    )


def test_totals_by_side_is_plain_totals(loaded: Path) -> None:
    by_side = query(loaded, "totals", "--as-of", "2019-08-28", "--by", "side")
    plain = query(loaded, "totals", "--as-of", "2019-08-28")
    assert by_side["rows"] == plain["rows"]
    assert by_side["query"]["by"] == ["side"]


def test_totals_json_lists_uncertain_entries(loaded: Path) -> None:
    document = query(loaded, "totals", "--as-of", "2019-08-24")
    assert [row["id"] for row in document["uncertain"]] == ["pmf-statement-killed", "pmf-statement-arrested"]
    assert set(document["uncertain"][0]) == {
        "occurred",
        "type",
        "summary",
        "reason",
        "source",
        "report",
        "id",
    }


def test_totals_csv(loaded: Path) -> None:
    columns, rows = csv_rows(loaded, "totals", "--as-of", "2019-08-28", "--by", "actor")
    assert columns == [
        "metric",
        "side",
        "item",
        "actor",
        "best",
        "low",
        "high",
        "events",
        "approximate",
        "unknown",
    ]
    assert {(r["metric"], r["side"], r["actor"], r["best"]) for r in rows} >= {
        ("killed", "ISIS", "PMF", "3"),
        ("killed", "ISIS", "US-led coalition", "2"),
        ("arrested", "ISIS", "PMF", "7"),
    }


def test_claims_json_and_csv(loaded: Path) -> None:
    document = query(loaded, "claims", "--as-of", "2019-08-28")
    rows = document["rows"]
    for row in rows:
        assert {"metric", "side", "claimed", "itemised", "remainder"} <= set(row)
    assert [(r["metric"], r["side"], r["claimed"], r["itemised"], r["remainder"]) for r in rows] == [
        ("killed", "ISIS", 7, 5, 2),
        ("arrested", "ISIS", 13, 7, 6),
    ]
    columns, csv_claims = csv_rows(loaded, "claims", "--as-of", "2019-08-28")
    assert columns[:5] == ["metric", "side", "scope", "as_of", "claimed"]
    assert {"itemised", "remainder"} <= set(columns)
    assert [(r["claimed"], r["itemised"], r["remainder"]) for r in csv_claims] == [
        ("7", "5", "2"),
        ("13", "7", "6"),
    ]


def test_areas_json_and_csv(loaded: Path) -> None:
    rows = query(loaded, "areas", "--as-of", "2019-08-01")["rows"]
    for row in rows:
        assert {"area", "province", "status", "since"} <= set(row)
    assert sum(1 for row in rows if row["status"] == "cleared") == 7
    columns, csv_areas = csv_rows(loaded, "areas", "--as-of", "2019-08-28")
    assert columns[:2] == ["area", "province"]
    assert {"status", "since"} <= set(columns)
    karma = next(row for row in csv_areas if row["area"] == "Al-Garma")
    assert (karma["province"], karma["status"], karma["since"], karma["resolved"]) == (
        "Al-Anbar",
        "threatened",
        "2019-07-28/2019-07-31",
        "yes",
    )
    assert karma["written"] == "Karma"
    assert query(loaded, "areas", "--as-of", "2019-07-19")["rows"] == []


def test_area_history(loaded: Path) -> None:
    document = query(loaded, "areas", "--history", "Karma")
    assert document["query"]["area"] == "Karma"
    assert [(row["area"], row["status"], row["standing"]) for row in document["rows"]] == [
        ("Al-Garma", "threatened", "counted")
    ]


def test_replay_and_strength_json(loaded: Path) -> None:
    replay = query(loaded, "replay", "--until", "2019-08-28")
    assert replay["query"]["until"] == "2019-08-28"
    assert "as_of" not in replay["query"]
    assert len(replay["rows"]) == 25
    assert [*replay["rows"][0]] == [
        "occurred",
        "type",
        "summary",
        "metric",
        "side",
        "running_best",
        "running_low",
        "running_high",
        "source",
        "report",
        "id",
        "conflict",
        "totals",
    ]
    # One running total per metric and side, numbers as numbers (not 1, 3, 2, 4, 5, 7 as text).
    running = [
        (row["metric"], row["side"], row["running_best"])
        for row in replay["rows"]
        if row["metric"] is not None
    ]
    assert running == [
        ("killed", "Federal Police", 1),
        ("wounded", "Federal Police", 3),
        ("killed", "ISIS", 2),
        ("killed", "ISIS", 4),
        ("killed", "ISIS", 5),
        ("arrested", "ISIS", 7),
    ]
    assert all(
        row["metric"] is None and row["running_best"] is None
        for row in replay["rows"]
        if row["type"] not in {"killed", "wounded", "arrested"}
    )
    own = query(loaded, "replay", "--until", "2019-08-28", "--running", "own")
    assert own["query"] == {**replay["query"], "running": "own"}
    for every_row, own_row in zip(replay["rows"], own["rows"], strict=True):
        assert {**every_row, "totals": own_row["totals"]} == own_row  # (the rest is the same)
        mine = [
            t for t in every_row["totals"] if (t["metric"], t["side"]) == (own_row["metric"], own_row["side"])
        ]
        assert own_row["totals"] == (mine if own_row["metric"] is not None else [])
    refused = invoke(loaded, "replay", "--running", "some")
    assert refused.exit_code == 2
    assert "unknown running 'some'; expected one of: every, own" in refused.output
    strength = query(loaded, "strength", "--as-of", "2019-08-28")["rows"]
    assert [(row["side"], row["low"], row["best"], row["high"]) for row in strength] == [
        ("ISIS", 14000, None, 18000)
    ]


def test_known_at_and_recorded_at_options(loaded: Path) -> None:
    assert query(loaded, "totals", "--known-at", "2019-07-27")["rows"] == []
    assert len(query(loaded, "totals", "--known-at", "2019-07-29")["uncertain"]) == 2
    # Position 17 is the last event of the first report loaded (Al-Shahid: 1 + 16 events).
    only_alshahid = query(loaded, "totals", "--recorded-at", "#17")
    assert {row["side"] for row in only_alshahid["rows"]} == {"Federal Police"}
    assert only_alshahid["query"]["recorded_at"] == "17"
    assert query(loaded, "totals", "--recorded-at", "2000-01-01")["rows"] == []
    everything = query(loaded, "totals", "--recorded-at", "2999-01-01T00:00:00+00:00")
    assert len(everything["rows"]) == 4


def test_the_table_shows_rows_and_then_the_uncertain(loaded: Path) -> None:
    result = invoke(loaded, "totals", "--as-of", "2019-08-24")
    assert result.exit_code == 0, result.output
    assert "Totals" in result.stdout
    assert "Uncertain: not counted, not dropped" in result.stdout
    assert "straddles the as-of date 2019-08-24" in result.stdout
    assert result.stdout.index("Totals") < result.stdout.index("Uncertain")
    empty = invoke(loaded, "claims", "--as-of", "2019-01-01")
    assert "(none)" in empty.stdout


# --- Bad options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["totals", "--as-of", "28/08/2019"], "expected a day like 2019-08-28, a month like 2019-08"),
        (["totals", "--as-of", "28/08/2019"], "got '28/08/2019'"),
        (["totals", "--as-of", "2019-02-30"], "'2019-02-30' is not a real date"),
        (["replay", "--until", "yesterday"], "expected a day like 2019-08-28"),
        (["claims", "--known-at", "soon"], "expected a day like 2019-08-28"),
        (["totals", "--by", "actor,colour"], "unknown grouping colour; expected any of: side, actor"),
        (["totals", "--recorded-at", "noon"], "expected a time like"),
        (["totals", "--format", "xml"], "'xml' is not one of 'table', 'json', 'csv'"),
    ],
)
def test_bad_options_give_a_clear_error(loaded: Path, args: list[str], message: str) -> None:
    result = invoke(loaded, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("load", "totals", "areas", "claims", "replay", "strength"):
        assert command in result.stdout


def test_areas_of_a_province_and_a_status_say_so_in_the_query(loaded: Path) -> None:
    every = query(loaded, "areas", "--as-of", "2019-08-01")
    assert set(every["query"]) == {"as_of", "known_at", "recorded_at"}  # (as before: nothing asked)
    anbar = query(loaded, "areas", "--as-of", "2019-08-01", "--province", "anbar", "--aliases", str(ALIASES))
    assert anbar["query"]["province"] == ["Al-Anbar"]
    assert [row["area"] for row in anbar["rows"]] == ["Al-Garma"]
    kept = query(loaded, "areas", "--as-of", "2019-08-01", "--status", "cleared,threatened")
    assert kept["query"]["status"] == ["threatened", "cleared"]  # (in the statuses' own order)
    assert {row["status"] for row in kept["rows"]} == {"threatened", "cleared"}
    assert len(kept["rows"]) == len(every["rows"]) - 1  # (desert areas towards Samarra: clearing)
    table = invoke(loaded, "areas", "--status", "threatened")
    assert table.exit_code == 0, table.output
    assert "status threatened" in table.output  # (the caption says what was asked)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--status", "gone"], "unknown status gone; expected any of: threatened, clearing, cleared"),
        (["--province", "Anbr", "--aliases", str(ALIASES)], "no province 'Anbr'"),
        (["--history", "Karma", "--province", "Anbar"], "not within a --history"),
    ],
)
def test_areas_refuse_a_province_or_status_that_means_nothing(
    loaded: Path, args: list[str], said: str
) -> None:
    result = invoke(loaded, "areas", *args)
    assert result.exit_code != 0
    assert said in result.output
