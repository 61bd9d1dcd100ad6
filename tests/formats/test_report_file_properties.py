"""A report written out as a report file (YAML or JSON) reads back as the same report."""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Any

import attrs
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.values import DateSpan, Estimate, Extent, Name, Original, Place
from incidents.formats.digest import DIGESTED_FIELDS, legacy_digest
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
    if estimate.unknown is not None:
        return {"unknown": estimate.unknown}
    if estimate.approximate:
        return {"about": estimate.best, "low": estimate.low, "high": estimate.high}
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
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Extent):
        extent = {"places": value.places, "of": value.of, "km2": value.square_km}
        return {key: part for key, part in extent.items() if part is not None}
    if isinstance(value, Original):
        original = {"outlet": value.outlet, "url": value.url, "published": value.published}
        return {key: _value(part) for key, part in original.items() if part is not None}
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


def _as_then(value: Any) -> Any:
    """``attrs.asdict`` of a value as it was when the digest was frozen: the fields of the frozen
    table only (those added since are left out: the digest leaves them out at their defaults)."""
    if isinstance(value, tuple | list):
        return [_as_then(item) for item in value]
    if not attrs.has(type(value)):
        return value
    frozen = DIGESTED_FIELDS[type(value).__name__]
    return {f.name: _as_then(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.name in frozen}


def _only_frozen_fields(value: Any) -> bool:
    """Whether a value sets no field added since the frozen table (nor holds one that does)."""
    if isinstance(value, tuple):
        return all(_only_frozen_fields(item) for item in value)
    if not attrs.has(type(value)):
        return True
    frozen = DIGESTED_FIELDS.get(type(value).__name__)
    return frozen is not None and all(
        _only_frozen_fields(getattr(value, f.name))
        if f.name in frozen
        else getattr(value, f.name) in (None, ())
        for f in attrs.fields(type(value))
    )


@FAST
@given(report=file_reports())
def test_the_legacy_digest_is_what_it_always_was_for_todays_fields(report: ReportContent) -> None:
    """A report that uses only the fields of the frozen table (every field but those added
    since, at their defaults) has the version 1 digest it always had: the JSON of
    ``attrs.asdict`` (as every report recorded before version 2 was), so it matches them."""
    actions = tuple(action for action in report.actions if _only_frozen_fields(action))
    report = attrs.evolve(report, actions=actions, source=attrs.evolve(report.source, via=None))
    legacy = json.dumps(
        [
            report.key,
            _as_then(report.source),
            [{"type": a.kind, **_as_then(a)} for a in report.actions],
        ],
        sort_keys=True,
        default=lambda v: v.isoformat() if hasattr(v, "isoformat") else v.value,
        ensure_ascii=False,
    )
    digest = hashlib.sha256(legacy.encode("utf-8")).hexdigest()
    assert legacy_digest(report.key, report.source, report.actions) == digest
    assert report.matches(digest)
