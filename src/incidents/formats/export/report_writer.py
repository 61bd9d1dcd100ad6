"""Actions written as a report file writes them, so that the report-file parser reads them back
as the same actions.

Values take the shortest form a report file allows (``2019-08-24``, ``14000-18000``, ``Karma``)
and a mapping when the short form would lose something (a precision, a best figure). Names are
written as their canonical names: the spelling the source used is in the quote, and canonical
names mean the same with or without the exporting dataset's aliases.

Three things the store holds have no report-file form; the bundle writes them as *export-only
keys* that only the bundle reader accepts:

- ``split_of: {statement: ID, stated: COUNT}`` on a part of a split total (a report file states
  the total with a ``breakdown``, which cannot be rebuilt once a part is corrected or retracted),
- ``pcode`` on a place: the unit the exporting store resolved it to (``null``: unresolved); the
  reader checks that the name resolves to the same unit again,
- ``point: {lon, lat}`` on a place: coordinates the source stated (e.g. UCDP's).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs

from incidents.domain.actions import ReportedAction
from incidents.domain.values import (
    DateSpan,
    Estimate,
    Extent,
    Name,
    Original,
    Place,
    Point,
    SourceRef,
    SplitOf,
)
from incidents.formats.report_file import SOURCE_KEYS

PLACE_FIELDS = ("place", "area", "regions")  # the fields whose values are places


def report_document(key: str, source: SourceRef, actions: list[dict[str, Any]]) -> dict[str, Any]:
    """A report-file mapping (the current version: no ``format`` key): id, source, actions."""
    return {"id": key, "source": source_document(source), "actions": actions}


def source_document(source: SourceRef) -> dict[str, Any]:
    values = {key: getattr(source, key) for key in SOURCE_KEYS}
    return {key: _value(value) for key, value in values.items() if value is not None}


def action_document(action: ReportedAction) -> dict[str, Any]:
    """The action as an entry of a report file's ``actions`` list (with export-only keys)."""
    document: dict[str, Any] = {"type": action.kind}
    for name, value in attrs.asdict(action, recurse=False).items():
        if value is None or value == ():
            continue
        document[name] = _value(value)
    return document


def span_value(span: DateSpan) -> str | dict[str, str]:
    """``2019-08-24``, ``2019-08-24/2019-08-27``, ``2019-08``, or a mapping with the precision."""
    text = str(span)
    if DateSpan.parse(text) == span:
        return text
    return {"from": span.start.isoformat(), "to": span.end.isoformat(), "precision": span.precision.value}


def estimate_value(estimate: Estimate) -> int | str | dict[str, Any]:
    """``4``, ``14000-18000`` (a range without best), ``{low, best, high}``; approximately
    ``{about, low, high}``, an unknown count ``{unknown: word}``."""
    if estimate.unknown is not None:
        return {"unknown": estimate.unknown}
    if estimate.approximate:
        return {"about": estimate.best, "low": estimate.low, "high": estimate.high}
    if estimate.best is not None and estimate.low == estimate.high:
        return estimate.low
    if estimate.best is None:
        return f"{estimate.low}-{estimate.high}"
    return {"low": estimate.low, "best": estimate.best, "high": estimate.high}


def place_value(place: Place) -> dict[str, Any]:
    """A place mapping: the name as written, its qualifier, and the export-only pcode and point."""
    document: dict[str, Any] = {"name": place.written}
    if place.qualifier is not None:
        document["qualifier"] = place.qualifier
    if place.within is not None:
        document["within"] = place.within.written
    document["pcode"] = place.unit.pcode if place.unit is not None else None
    if place.point is not None:
        document["point"] = point_value(place.point)
    return document


def point_value(point: Point) -> dict[str, float]:
    return {"lon": point.lon, "lat": point.lat}


def _value(value: Any) -> Any:
    if isinstance(value, DateSpan):
        return span_value(value)
    if isinstance(value, Estimate):
        return estimate_value(value)
    if isinstance(value, Name):
        return value.canonical
    if isinstance(value, Place):
        return place_value(value)
    if isinstance(value, SplitOf):
        return {"statement": value.statement, "stated": estimate_value(value.stated)}
    if isinstance(value, Extent):
        extent = {"places": value.places, "of": value.of, "km2": value.square_km}
        return {key: part for key, part in extent.items() if part is not None}
    if isinstance(value, Original):
        original = {"outlet": value.outlet, "url": value.url, "published": value.published}
        return {key: _value(part) for key, part in original.items() if part is not None}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    return value
