"""Rows: one typed class per query, whose fields are its columns in order."""

from __future__ import annotations

import csv
import io
import json

import attrs
import pytest

from incidents.output import rows
from incidents.output.render import emit

ROW_TYPES = [
    cls
    for cls in vars(rows).values()
    if isinstance(cls, type) and issubclass(cls, rows.Row) and cls is not rows.Row
]


def test_every_query_has_a_row_class() -> None:
    names = {cls.__name__ for cls in ROW_TYPES}
    assert {
        "TotalsRow",
        "AreaRow",
        "AreaHistoryRow",
        "ClaimRow",
        "ReplayRow",
        "StrengthRow",
        "ExplainRow",
        "HistoryRow",
        "ConflictRow",
        "UncertainRow",
    } <= names


@pytest.mark.parametrize("row_type", ROW_TYPES, ids=lambda cls: cls.__name__)
def test_the_columns_are_the_fields_in_order(row_type: type[rows.Row]) -> None:
    fields = [f.name for f in attrs.fields(row_type) if f.name != "groups" and f.metadata.get("csv", True)]
    assert list(row_type.columns()) == fields


def _totals_row() -> rows.TotalsRow:
    return rows.TotalsRow(
        metric="killed",
        side="ISIS",
        item=None,
        groups=(("actor", "PMF"), ("phase", "4")),
        best=3,
        low=3,
        high=3,
        events=2,
        approximate=0,
        unknown=0,
    )


def test_groupings_are_spliced_where_the_row_says() -> None:
    assert list(_totals_row().cells()) == [
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
    ]
    assert rows.TotalsRow.columns(["actor", "phase"]) == (
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
    )


def test_json_keeps_a_json_only_field_and_csv_leaves_it_out() -> None:
    row = rows.ReplayRow(
        occurred="2019-08-24",
        type="killed",
        summary="ISIS killed 2",
        metric="killed",
        side="ISIS",
        running_best=2,
        running_low=2,
        running_high=2,
        source="Rudaw",
        report="r",
        id="a",
        conflict=None,
        totals=[{"metric": "killed", "side": "ISIS", "best": 2, "low": 2, "high": 2}],
    )
    result = rows.Result("Replay", rows.ReplayRow.columns(), (row,), {"until": None})
    as_json = io.StringIO()
    emit(result, "json", as_json)
    assert json.loads(as_json.getvalue())["rows"][0]["totals"][0]["best"] == 2
    as_csv = io.StringIO()
    emit(result, "csv", as_csv)
    header = next(csv.reader(io.StringIO(as_csv.getvalue())))
    assert header == [
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
    ]
