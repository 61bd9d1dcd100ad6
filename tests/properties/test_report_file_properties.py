"""A report written out as a report file (YAML or JSON) reads back as the same report."""

from __future__ import annotations

import json
from typing import Any

import attrs
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import ACTION_KINDS, Metric, ReportedAction
from incidents.domain.values import DateSpan, Estimate, Name, Place, SourceRef
from incidents.formats.report_file import FORMAT, ReportContent, parse_report
from incidents.gazetteer import NameIndex
from tests.properties.strategies import date_spans, estimates

FAST = settings(max_examples=60, deadline=None)

# Text as sources write it, including what YAML likes to reinterpret: "no", "2019-08", "010", "#", ": ".
texts = (
    st.one_of(
        st.text(alphabet="abcxyzABC 0123456789-'\u2019\u00e9\u0627,.:#&*!?%@[]{}", min_size=1, max_size=24),
        st.sampled_from(["no", "yes", "null", "~", "2019-08", "010", "1e3", "true", "- a", "? b"]),
    )
    .map(str.strip)
    .filter(bool)
)

# Without reference data every name is kept as written, so the file can say exactly what was built.
names = texts.map(lambda text: Name(text, text, known=False))
places = st.builds(Place, texts, st.none(), st.none() | texts)


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


def _field_values(draw: st.DrawFn, cls: type[ReportedAction], id: str) -> dict[str, Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "occurred": date_spans(max_length=60),
        "quote": texts,
        "operation": st.none() | names,
        "phase": st.none() | st.integers(1, 9),
        "names": st.lists(texts, max_size=3).map(tuple),
        "aim": st.none() | texts,
        "forces": st.lists(names, max_size=3).map(tuple),
        "regions": st.lists(places, max_size=3).map(tuple),
        "supervisor": st.none() | texts,
        "side": names,
        "count": estimates(largest=20000),
        "actor": st.none() | names,
        "place": st.none() | places,
        "means": st.none() | texts,
        "item": texts,
        "area": places,
        "metric": st.sampled_from(Metric),
        "claimant": st.none() | names,
        "region": st.none() | texts,
        "estimator": st.none() | texts,
    }
    values: dict[str, Any] = {"id": id}
    for field in attrs.fields(cls):
        if field.name in ("id", "split_of"):
            continue
        values[field.name] = draw(strategies[field.name])
    return values


@st.composite
def file_reports(draw: st.DrawFn) -> ReportContent:
    kinds = draw(st.lists(st.sampled_from(sorted(ACTION_KINDS)), min_size=1, max_size=6))
    actions = tuple(
        ACTION_KINDS[kind](**_field_values(draw, ACTION_KINDS[kind], f"action-{n}"))
        for n, kind in enumerate(kinds)
    )
    source = SourceRef(
        outlet=draw(texts),
        url=draw(texts),
        published=draw(date_spans(max_length=5)),
        title=draw(st.none() | texts),
        language=draw(st.none() | st.sampled_from(["en", "ar", "ku"])),
    )
    return ReportContent(key=draw(texts), source=source, actions=actions, file="r.yaml")


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
