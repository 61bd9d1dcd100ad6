"""``incidents import ucdp-ged``: totals equal the CSV's own sums, re-importing changes nothing,
a changed row is refused, bad input exits 1 with every problem. On the slice, and on the full
file when it is present."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incidents.application import IncidentLog
from incidents.cli import main
from incidents.formats.report_file import ReportContent
from incidents.formats.ucdp import UcdpGedFile
from incidents.ingest import ChangedMeanwhileError, Progress, ingest
from incidents.storage.location import parse_location
from tests.command import entries_in
from tests.formats.ucdp.conftest import SLICE, csv_rows, deaths_by_year_and_side, write_csv


def invoke(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", db, *args])


def import_file(db: str, path: Path, *options: str) -> Result:
    return invoke(db, "import", "ucdp-ged", *options, str(path))


def killed_by_year_and_side(db: str) -> dict[tuple[str, str], int]:
    """``incidents totals --by year,side``, as {(year, side): best}, checking what every row shares."""
    result = invoke(db, "totals", "--by", "year,side", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["uncertain"] == []
    rows = document["rows"]
    assert {row["metric"] for row in rows} <= {"killed"}
    assert all(row["low"] == row["best"] == row["high"] for row in rows)  # per-side figures are exact
    return {(row["year"], row["side"]): row["best"] for row in rows if row["best"]}


def expected_actions(path: Path) -> int:
    """One action per non-zero death figure, and one (of 0) for an event with none."""
    figures = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
    return sum(max(1, sum(row[f] != "0" for f in figures)) for row in csv_rows(path))


def test_the_slice_imports_with_totals_equal_to_the_csv_sums(store: str) -> None:
    first = import_file(store, SLICE, "--batch-size", "20")
    assert first.exit_code == 0, first.output
    assert f"65 report(s) recorded ({expected_actions(SLICE)} actions), 0 unchanged" in first.stdout
    assert first.stderr == ""  # no progress bar when standard error is not a terminal
    assert killed_by_year_and_side(store) == deaths_by_year_and_side(SLICE)

    again = import_file(store, SLICE)
    assert again.exit_code == 0, again.output
    assert "0 report(s) recorded (0 actions), 65 unchanged" in again.stdout
    assert killed_by_year_and_side(store) == deaths_by_year_and_side(SLICE)


def test_flags_are_counted_and_listed_on_request(tmp_path: Path) -> None:
    db = str(tmp_path / "flags.db")
    result = import_file(db, SLICE, "--show-flags")
    assert result.exit_code == 0, result.output
    flags = [line for line in result.stdout.splitlines() if line.startswith("flagged: ")]
    assert f"flagged: {SLICE}:2: source_date: only 2015-01-01, before date_start 2016-01-01" in flags[0]
    assert f"{len(flags)} flag(s) on the input" in result.stdout


def test_a_changed_row_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    db = str(tmp_path / "changed.db")
    assert import_file(db, SLICE).exit_code == 0
    rows = csv_rows(SLICE)
    rows[3].update(deaths_a="7", best="8", high="8")  # event 214811 (line 5), revised upwards
    new = dict(rows[0], id="999999999")
    changed = write_csv(tmp_path / "revised.csv", [*rows, new])

    result = import_file(db, changed)

    assert result.exit_code == 1
    assert f"error: {changed}:5: id: report 'ucdp-ged-214811' is already recorded with different content" in (
        result.stderr
    )
    assert result.stderr.rstrip().endswith("1 problem; nothing was written.")
    log = IncidentLog.open(parse_location(db))
    try:
        assert log.recorded_digest("ucdp-ged-999999999") is None
    finally:
        log.close()


def test_bad_input_exits_1_listing_every_problem(tmp_path: Path) -> None:
    rows = csv_rows(SLICE)
    rows[0]["deaths_a"] = "two"
    rows[64]["date_end"] = "2019-11-07"  # before its date_start, 2019-11-08
    bad = write_csv(tmp_path / "bad.csv", rows)
    db = str(tmp_path / "bad.db")
    result = import_file(db, bad)
    assert result.exit_code == 1
    assert f"error: {bad}:2: deaths_a: expected a whole number of 0 or more, got 'two'" in result.stderr
    assert f"error: {bad}:66: date_end: expected a day on or after date_start (2019-11-08)" in result.stderr
    assert result.stderr.rstrip().endswith("2 problems; nothing was written.")
    assert not Path(db).exists() or entries_in(db) == 0  # (a refused import need not create its store)


def test_a_report_recorded_by_another_writer_meanwhile_is_found_unchanged(memory_log: IncidentLog) -> None:
    """The batch holding it is refused as a whole, then recorded report by report."""
    calls: list[int] = []

    def read() -> Iterator[tuple[int, ReportContent]]:
        calls.append(1)
        for line, report in UcdpGedFile(SLICE).reports():
            if len(calls) == 2 and line == 10:  # recording: another writer got there first
                memory_log.record_reports([report])
            yield line, report

    imported = ingest(memory_log, read, batch_size=20, progress=Progress())
    assert (imported.recorded, imported.unchanged) == (64, 1)
    assert all(memory_log.recorded_digest(report.key) for _line, report in UcdpGedFile(SLICE).reports())


def test_new_rows_of_a_grown_file_are_added(tmp_path: Path) -> None:
    db = str(tmp_path / "grown.db")
    rows = csv_rows(SLICE)
    assert import_file(db, write_csv(tmp_path / "first.csv", rows[:40])).exit_code == 0
    result = import_file(db, SLICE)
    assert result.exit_code == 0, result.output
    assert "25 report(s) recorded" in result.stdout
    assert "40 unchanged" in result.stdout
    assert killed_by_year_and_side(db) == deaths_by_year_and_side(SLICE)


def test_the_full_file_imports_with_totals_equal_to_the_csv_sums(full_ucdp: Path, tmp_path: Path) -> None:
    """16,566 events into a SQLite file; then again, unchanged. (About 20 s in all.)"""
    db = str(tmp_path / "ucdp.db")
    first = import_file(db, full_ucdp)
    assert first.exit_code == 0, first.output
    assert f"16566 report(s) recorded ({expected_actions(full_ucdp)} actions), 0 unchanged" in first.stdout
    assert killed_by_year_and_side(db) == deaths_by_year_and_side(full_ucdp)

    copy = tmp_path / full_ucdp.name  # the same content under another path is the same events
    shutil.copyfile(full_ucdp, copy)
    again = import_file(db, copy)
    assert again.exit_code == 0, again.output
    assert "0 report(s) recorded (0 actions), 16566 unchanged" in again.stdout


def test_an_input_that_turns_bad_while_recording_says_what_was_recorded(
    tmp_path: Path, memory_log: IncidentLog
) -> None:
    rows = csv_rows(SLICE)
    good = write_csv(tmp_path / "good.csv", rows)
    rows[50]["best"] = "many"
    bad = write_csv(tmp_path / "bad.csv", rows)
    reads = iter([good, bad])

    def read() -> Iterator[tuple[int, ReportContent]]:
        return UcdpGedFile(next(reads)).reports()

    with pytest.raises(ChangedMeanwhileError) as raised:
        ingest(memory_log, read, batch_size=20)
    # The reader skips the bad row and says so at its end: three whole batches were recorded by then.
    assert raised.value.done == 60
    assert "the input changed while it was imported: its first 60 report(s) were recorded" in str(
        raised.value
    )
    assert f"{bad}:52: best: expected a whole number" in str(raised.value)
