"""A report written out as a report file (YAML or JSON) reads back as the same report."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import Metric
from incidents.domain.values import DateSpan, Estimate, Name, Place
from incidents.formats.report_file import FORMAT, ReportContent, parse_report
from incidents.gazetteer import NameIndex
from tests.strategies import file_reports

FAST = settings(max_examples=60, deadline=None)


def _span(span: DateSpan) -> Any:
    text = str(span)
    if DateSpan.parse(text) == span:
        return text
    return {"from": span.start.isoformat(), "to": span.end.isoformat(), "precision": span.precision.value}


def _estimate(estimate: Estimate) -> Any:
    if estimate.best == estimate.low == estimate.high:
        return str(estimate.low)
    document: dict[str, Any] = {"low": estimate.low, "high": estimate.high}
    if estimate.best is not None:
        document["best"] = estimate.best
    return document


def _place(place: Place) -> Any:
    return place.written if place.qualifier is None else {"name": place.written, "qualifier": place.qualifier}


def _value(value: Any) -> Any:
    if isinstance(value, DateSpan):
        return _span(value)
    if isinstance(value, Estimate):
        return _estimate(value)
    if isinstance(value, Name):
        return value.written
    if isinstance(value, Place):
        return _place(value)
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    if isinstance(value, Metric):
        return value.value
    return value


def as_document(report: ReportContent) -> dict[str, Any]:
    """The report as a report file would write it (the writer the formats module does not have yet)."""
    source = {
        key: _value(value) for key, value in attrs.asdict(report.source, recurse=False).items() if value
    }
    actions = []
    for action in report.actions:
        fields = attrs.asdict(action, recurse=False)
        actions.append({"type": action.kind, **{k: _value(v) for k, v in fields.items() if v is not None}})
    return {"format": FORMAT, "id": report.key, "source": source, "actions": actions}


@FAST
@given(report=file_reports(), as_json=st.booleans())
def test_a_report_file_reads_back_as_the_report(report: ReportContent, as_json: bool) -> None:
    document = as_document(report)
    text = (
        json.dumps(document, ensure_ascii=False, indent=1)
        if as_json
        else yaml.safe_dump(document, allow_unicode=True)
    )
    parsed = parse_report(text, "r.json" if as_json else "r.yaml", NameIndex())
    assert parsed.key == report.key
    assert parsed.source == report.source
    assert parsed.actions == report.actions
    assert parsed.digest == report.digest


@FAST
@given(report=file_reports())
def test_the_digest_is_what_it_always_was_for_todays_fields(report: ReportContent) -> None:
    """Every field of today's catalogue is in the frozen table, so the digest is still the JSON
    of ``attrs.asdict`` (as every recorded report's digest was computed)."""
    legacy = json.dumps(
        [
            report.key,
            attrs.asdict(report.source),
            [{"type": a.kind, **attrs.asdict(a)} for a in report.actions],
        ],
        sort_keys=True,
        default=lambda v: v.isoformat() if hasattr(v, "isoformat") else v.value,
        ensure_ascii=False,
    )
    assert report.digest == hashlib.sha256(legacy.encode("utf-8")).hexdigest()
