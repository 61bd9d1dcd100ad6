"""A bad action table or bundle is refused with file, line and field, and nothing is written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.command import entries_in, invoke
from tests.conftest import ALIASES
from tests.conftest import RUDAW as RUDAW_FILE
from tests.formats.export.conftest import exported

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def table_text(corrected_store: Path) -> str:
    return exported(corrected_store, "csv", "--as-of", "2019-08-28")


@pytest.fixture(scope="module")
def bundle_text(corrected_store: Path) -> str:
    return exported(corrected_store, "json", "--as-of", "2019-08-28")


def refused(tmp_path: Path, *files: Path, aliases: Path | None = ALIASES) -> list[str]:
    """Load the files into a fresh store: the errors printed (the load must be refused whole)."""
    db = tmp_path / "fresh.db"
    options = ("--aliases", str(aliases)) if aliases else ()
    result = invoke(db, "load", *options, *(str(file) for file in files))
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.stderr
    assert entries_in(db) == 0
    return [line.removeprefix("error: ") for line in result.stderr.splitlines() if line.startswith("error: ")]


def write_table(tmp_path: Path, text: str, change: Callable[[Rows], None]) -> Path:
    """The exported table, changed; data rows are on lines 2, 3, ... (row i on line i + 2)."""
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    change(rows)
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def row_of(rows: Rows, action_id: str) -> tuple[int, dict[str, str]]:
    """The row of an action, and its line."""
    index = next(i for i, row in enumerate(rows) if row["action_id"] == action_id)
    return index + 2, rows[index]


# --- The CSV action table -------------------------------------------------------------------------


def test_a_bad_cell_is_told_by_line_and_column(tmp_path: Path, table_text: str) -> None:
    lines: dict[str, int] = {}

    def change(rows: Rows) -> None:
        lines["count"], killed = row_of(rows, "pmf-statement-killed")
        killed["count_low"] = "-3"
        lines["occurred"], arrested = row_of(rows, "pmf-statement-arrested")
        arrested["occurred"], arrested["precision"] = "someday", ""
        lines["side"], wounded = row_of(rows, "federal-police-wounded")
        wounded["side"] = ""

    errors = refused(tmp_path, write_table(tmp_path, table_text, change))
    file = str(tmp_path / "table.csv")
    assert errors[0] == (f"{file}:{lines['side']}: side: required for wounded")
    assert errors[1].startswith(f"{file}:{lines['count']}: count_low/count_best/count_high/count_given: ")
    assert "a count cannot be negative" in errors[1] or "greater than" in errors[1]
    assert errors[2].startswith(f"{file}:{lines['occurred']}: occurred/precision: expected an ISO date")
    assert len(errors) == 3


def test_the_rows_of_a_report_must_agree_on_its_columns(tmp_path: Path, table_text: str) -> None:
    line = 0

    def change(rows: Rows) -> None:
        nonlocal line
        line, row = row_of(rows, "remaining-militants")
        row["outlet"] = "Rudaw"

    errors = refused(tmp_path, write_table(tmp_path, table_text, change))
    assert len(errors) == 1
    assert f":{line}: outlet: 'Rudaw' differs from 'Rudaw English' on line " in errors[0]


@pytest.mark.parametrize(
    ("action_id", "column", "value", "expected"),
    [
        (
            "pmf-statement-killed",
            "type",
            "kiled",
            "type: unknown event type 'kiled' (did you mean 'killed'?)",
        ),
        (
            "pmf-statement-killed",
            "type",
            "correction",
            "type: an action table holds actions; amendments are not exported",
        ),
        ("pmf-statement-killed", "means", "raid", None),  # an optional field of killed
        ("pmf-statement-killed", "item", "rifles", "item: unknown field"),
        (
            "federal-police-killed",
            "coordinates_from",
            "gps",
            "coordinates_from: expected 'source', 'gazetteer' or nothing, got 'gps'",
        ),
        ("federal-police-killed", "coordinates_from", "source", None),  # the centroid, now stated
        ("federal-police-killed", "lon", "east", None),  # informative only, for a centroid
        (
            "pmf-statement-killed",
            "split_stated_low",
            "4",
            "split_of: the stated total of a split needs the id of its statement",
        ),
        ("federal-police-killed", "place_qualifier", "near", None),  # still Salahuddin, IQG16
    ],
)
def test_cells_that_do_not_fit_the_row(
    tmp_path: Path, table_text: str, action_id: str, column: str, value: str, expected: str | None
) -> None:
    line = 0

    def change(rows: Rows) -> None:
        nonlocal line
        line, row = row_of(rows, action_id)
        row[column] = value

    path = write_table(tmp_path, table_text, change)
    if expected is None:
        assert invoke(tmp_path / "ok.db", "load", "--aliases", str(ALIASES), str(path)).exit_code == 0
        return
    errors = refused(tmp_path, path)
    assert any(error.startswith(f"{path}:{line}: {expected}") for error in errors), errors


def test_a_qualified_place_that_no_longer_resolves_as_exported(tmp_path: Path, table_text: str) -> None:
    """A qualifier makes the place a different area: its P-code no longer matches the export's."""
    line = 0

    def change(rows: Rows) -> None:
        nonlocal line
        line, row = row_of(rows, "threat-karma")
        row["pcode"] = "IQG01"

    errors = refused(tmp_path, write_table(tmp_path, table_text, change))
    assert errors == [
        f"{tmp_path / 'table.csv'}:{line}: pcode: the export resolved 'Karma' to IQG01, but the reference "
        "data in use resolves it to IQG01Q01N02 (Al-Garma, Al-Falluja, Al-Anbar): load with the "
        "aliases.yaml of the store it was exported from (--aliases FILE)"
    ]


def test_without_the_reference_data_resolved_places_are_refused(tmp_path: Path, table_text: str) -> None:
    errors = refused(tmp_path, write_table(tmp_path, table_text, lambda rows: None), aliases=None)
    assert any("the export resolved 'Karma' to IQG01Q01N02, but" in error for error in errors)
    assert all(": pcode: " in error or ": region_pcodes: " in error for error in errors)


def test_the_header_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("outlet,url,published,type,occurred,colour,colour\n", encoding="utf-8")
    errors = refused(tmp_path, path)
    assert errors[0] == f"{path}:1: colour: this column appears twice"
    assert errors[1].startswith(f"{path}:1: colour: unknown column; expected any of: report_id, outlet,")
    assert errors[-1] == f"{path}:1: missing columns: quote"


def test_a_row_with_too_few_cells(tmp_path: Path, table_text: str) -> None:
    path = tmp_path / "table.csv"
    header, first, *_rest = table_text.splitlines()
    path.write_text(f"{header}\n{first}\nnot,enough\n", encoding="utf-8")
    errors = refused(tmp_path, path)
    assert errors == [f"{path}:3: expected {len(header.split(','))} cells, as in the header, got 2"]


def test_a_bad_table_beside_a_good_report_file_writes_nothing(tmp_path: Path, table_text: str) -> None:
    def change(rows: Rows) -> None:
        rows[0]["type"] = "kiled"

    refused(tmp_path, RUDAW_FILE, write_table(tmp_path, table_text, change))


# --- The JSON bundle ------------------------------------------------------------------------------


def write_bundle(tmp_path: Path, text: str, change: Callable[[dict[str, Any]], None]) -> Path:
    bundle: dict[str, Any] = json.loads(text)
    change(bundle)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The number of the first line containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def action(bundle: dict[str, Any], action_id: str) -> dict[str, Any]:
    return next(a for report in bundle["reports"] for a in report["actions"] if a["id"] == action_id)


def test_a_bad_value_is_told_by_line_and_path(tmp_path: Path, bundle_text: str) -> None:
    def change(bundle: dict[str, Any]) -> None:
        action(bundle, "pmf-statement-killed")["count"] = "many"
        action(bundle, "threat-karma")["area"]["point"] = {"lon": 200, "lat": 33}

    path = write_bundle(tmp_path, bundle_text, change)
    errors = refused(tmp_path, path)
    count_line = line_of(path, '"count": "many"')
    point_line = line_of(path, '"point"')
    longitude = "a longitude is between -180 and 180, got 200.0"
    assert errors == [
        f"{path}:{point_line}: reports[0].actions[11].area.point: {longitude}",
        f"{path}:{count_line}: reports[1].actions[4].count: expected a whole number like 4 or a range like "
        "14000-18000, got 'many'",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda b: b.update(extra=1),
            "extra: unknown field; expected one of: format, query, reports, uncertain",
        ),
        (lambda b: b.update(reports={}), "reports: expected a list of reports, got a mapping"),
        (lambda b: b["reports"].append("report"), "reports[2]: expected a report, got 'report'"),
        (
            lambda b: b["reports"].append(b["reports"][0]),
            "reports[2].id: report id 'alshahid-2019-07-anti-isis-operations-clear-villages' is used twice",
        ),
        (
            lambda b: action(b, "phase-4-first-day-killed.1").update(split_of={"statement": "x"}),
            "reports[1].actions[2].split_of: expected a mapping with statement and stated",
        ),
        (
            lambda b: action(b, "remaining-militants").update(split_of={"statement": "x", "stated": 4}),
            "reports[1].actions[8].split_of: only a counted action can be part of a split total",
        ),
        (
            lambda b: action(b, "phase-4-first-day-killed.1").update(breakdown=[{"count": 2}]),
            "reports[1].actions[2]: split_of, pcode and point cannot be combined with breakdown",
        ),
        (
            lambda b: action(b, "threat-karma")["area"].update(pcode="IQG99"),
            "reports[0].actions[11].area: the export resolved 'Karma' to IQG99, but the reference data",
        ),
    ],
)
def test_what_a_bundle_cannot_say(
    tmp_path: Path, bundle_text: str, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    path = write_bundle(tmp_path, bundle_text, change)
    errors = refused(tmp_path, path)
    assert any(expected in error for error in errors), errors
    assert all(error.startswith(f"{path}") for error in errors)
