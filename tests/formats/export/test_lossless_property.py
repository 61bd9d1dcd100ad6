"""Any report, exported as a JSON bundle or a CSV action table, reads back as the same report:
every field of every action type, spans with their precision, ranges without a best, qualified
places, and what a report file cannot say (the split a part belongs to, stated coordinates)."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import CountedAction, ReportedAction
from incidents.domain.values import Place, Point, SplitOf
from incidents.formats.export.action_table import read_action_table, write_action_table
from incidents.formats.export.bundle import read_bundle, write_bundle
from incidents.formats.export.exported import ExportedAction
from incidents.formats.located import parse_document
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex
from tests.strategies import estimates, file_reports

FAST = settings(max_examples=60, deadline=None)
RECORDED = datetime(2026, 1, 1, tzinfo=UTC)

points = st.builds(Point, st.floats(-180, 180), st.floats(-90, 90))


@st.composite
def with_extras(draw: st.DrawFn, action: ReportedAction) -> ReportedAction:
    """The action, perhaps part of a split total, perhaps at coordinates its source states."""
    changes: dict[str, Any] = {}
    if isinstance(action, CountedAction) and draw(st.booleans()):
        changes["split_of"] = SplitOf(draw(st.sampled_from(["total", "deaths"])), draw(estimates(largest=50)))
    for name in ("place", "area"):
        place = getattr(action, name, None)
        if isinstance(place, Place) and draw(st.booleans()):
            changes[name] = attrs.evolve(place, point=draw(points))
    return attrs.evolve(action, **changes)


@st.composite
def exported_reports(draw: st.DrawFn) -> list[ReportContent]:
    reports = draw(st.lists(file_reports(), min_size=1, max_size=3, unique_by=lambda report: report.key))
    return [
        attrs.evolve(report, actions=tuple(draw(with_extras(action)) for action in report.actions))
        for report in reports
    ]


def as_exported(reports: list[ReportContent]) -> list[ExportedAction]:
    return [
        ExportedAction(report.key, report.source, action, RECORDED)
        for report in reports
        for action in report.actions
        if isinstance(action, ReportedAction)
    ]


def same(read: list[ReportContent], written: list[ReportContent]) -> None:
    assert [(r.key, r.source, r.actions) for r in read] == [(w.key, w.source, w.actions) for w in written]


@FAST
@given(reports=exported_reports())
def test_a_bundle_reads_back_as_the_reports(reports: list[ReportContent]) -> None:
    stream = io.StringIO()
    write_bundle(as_exported(reports), {"as_of": None}, stream)
    root = parse_document(stream.getvalue(), "export.json")
    same(read_bundle(root, "export.json", NameIndex()), reports)


@FAST
@given(reports=exported_reports())
def test_an_action_table_reads_back_as_the_reports(reports: list[ReportContent]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_action_table(as_exported(reports), {}, stream)
        same(read_action_table(path, NameIndex()), reports)
