"""The JSON Schema of report files v1, generated from the catalogue the reader is driven by.

Each kind of action (and amendment) becomes one branch of ``actions.items``, with exactly the
fields the reader accepts for it and the same required ones, so the schema cannot drift from the
parser: ``docs/report-file.schema.json`` is this module's output, and a test keeps them equal.
Editors use it for completion and early errors; the reader stays the authority (it also checks
what a schema cannot: that a breakdown adds up, that a relative date resolves, that names exist).

Regenerate with ``python -m incidents.formats.schema > docs/report-file.schema.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import attrs

from incidents.domain.actions import CountedAction, Metric
from incidents.domain.values import Precision
from incidents.formats.report_file import (
    BREAKDOWN_KEYS,
    FIELD_PARSERS,
    FORMAT,
    NOT_FROM_FILES,
    SOURCE_KEYS,
    STATEMENT_KINDS,
)

SCHEMA_ID = "https://incidents.example/schemas/report-file-v1.json"

TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
DAY: dict[str, Any] = {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?(/\d{4}-\d{2}(-\d{2})?)?$"}
SPAN_MAPPING: dict[str, Any] = {
    "type": "object",
    "properties": {"from": DAY, "to": DAY, "precision": {"enum": [p.value for p in Precision]}},
    "required": ["from", "to"],
    "additionalProperties": False,
}
COUNT: dict[str, Any] = {
    "description": "5, a range 14000-18000 (or 14,000-18,000, 14000 to 18000), or low/best/high",
    "oneOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\d[\d,]*(\s*(-|to)\s*\d[\d,]*)?\s*$"},
        {
            "type": "object",
            "properties": {k: {"type": "integer", "minimum": 0} for k in ("low", "best", "high")},
            "required": ["low", "high"],
            "additionalProperties": False,
        },
    ],
}
PLACE: dict[str, Any] = {
    "oneOf": [
        TEXT,
        {
            "type": "object",
            "properties": {"name": TEXT, "qualifier": TEXT},
            "required": ["name"],
            "additionalProperties": False,
        },
    ]
}


def _one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "items": item}]}


REF: dict[str, Any] = {**TEXT, "description": "report-id/action-id, or action-id of this report"}

# One schema per field name, as the reader has one parser per field name.
FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "id": {"type": ["string", "integer"]},
    "quote": TEXT,
    "means": TEXT,
    "aim": TEXT,
    "supervisor": TEXT,
    "item": TEXT,
    "region": TEXT,
    "estimator": TEXT,
    "names": _one_or_many(TEXT),
    "occurred": {
        "description": "an ISO date or span, a mapping from/to/precision, or a relative date",
        "oneOf": [TEXT, SPAN_MAPPING],
    },
    "operation": TEXT,
    "phase": {"type": "integer", "minimum": 1},
    "side": TEXT,
    "actor": TEXT,
    "claimant": TEXT,
    "forces": _one_or_many(TEXT),
    "count": COUNT,
    "place": PLACE,
    "area": PLACE,
    "regions": _one_or_many(PLACE),
    "metric": {"enum": [m.value for m in Metric]},
    "reason": TEXT,
    "target": REF,
    "same": {"type": "array", "items": REF, "minItems": 2},
    "changes": {"type": "object", "minProperties": 1},
}


def _ref(field: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{field}"}


def _statement_schema(kind: str) -> dict[str, Any]:
    cls = STATEMENT_KINDS[kind]
    fields = [f for f in attrs.fields(cls) if f.name not in NOT_FROM_FILES]
    properties: dict[str, Any] = {"type": {"const": kind}}
    properties.update({f.name: _ref(f.name) for f in fields})
    required = ["type", *(f.name for f in fields if f.default is attrs.NOTHING and f.name != "id")]
    if issubclass(cls, CountedAction):
        part = {
            "type": "object",
            "properties": {key: _ref(key) for key in BREAKDOWN_KEYS},
            "required": ["count"],
            "additionalProperties": False,
        }
        properties["breakdown"] = {"type": "array", "items": part, "minItems": 1}
    return {
        "title": kind,
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one report file."""
    missing = {f.name for cls in STATEMENT_KINDS.values() for f in attrs.fields(cls)} - set(FIELD_SCHEMAS)
    missing -= NOT_FROM_FILES
    if missing or set(FIELD_PARSERS) - set(FIELD_SCHEMAS):
        raise RuntimeError(
            f"fields without a schema: {sorted(missing | (set(FIELD_PARSERS) - set(FIELD_SCHEMAS)))}"
        )
    source: dict[str, Any] = {
        "type": "object",
        "properties": {
            "outlet": TEXT,
            "title": TEXT,
            "url": TEXT,
            "published": {"oneOf": [DAY, SPAN_MAPPING]},
            "language": TEXT,
        },
        "required": ["outlet", "url", "published"],
        "additionalProperties": False,
    }
    assert set(source["properties"]) == set(SOURCE_KEYS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "incidents report file, v1",
        "description": "One source report and the actions it states (docs/data-format.md).",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "id": TEXT,
            "source": source,
            "notes": {"type": "string"},
            "actions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type"],
                    "properties": {"type": {"enum": list(STATEMENT_KINDS)}},
                    "allOf": [
                        {
                            "if": {"properties": {"type": {"const": kind}}},
                            "then": _statement_schema(kind),
                        }
                        for kind in STATEMENT_KINDS
                    ],
                },
            },
        },
        "required": ["source", "actions"],
        "additionalProperties": False,
        "$defs": FIELD_SCHEMAS,
    }


def schema_text() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
