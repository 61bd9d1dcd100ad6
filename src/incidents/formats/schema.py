"""The JSON Schema of report files (v1 and v2), generated from the catalogue and the field table.

Each kind of action (and amendment) becomes one branch of ``actions.items``, with exactly the
fields the reader accepts for it and the same required ones; each field's schema is the one its
kind of value states in the field table (``fields.py``), whose reader is the parser's, so the
schema cannot drift from the parser: ``docs/report-file.schema.json`` is this module's output, a
test keeps them equal, and ``tests/properties/test_schema_agrees_with_parser.py`` checks that
both accept and refuse the same documents. The reader also checks what a schema cannot (see
``fields.py``): that a span does not end before it starts, low <= best <= high, that a relative
date resolves, that a breakdown adds up, that ids are unique.

Regenerate with ``python -m incidents.formats.schema > docs/report-file.schema.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import attrs

from incidents.domain.actions import CountedAction
from incidents.formats.fields import (
    ACTION_FIELDS,
    COUNT_FORMS_SINCE_V2,
    FORMAT_V1,
    KINDS_SINCE_V2,
    METRICS_SINCE_V2,
    REPORT_FIELDS,
    SOURCE_FIELDS,
    Field,
    or_null,
    ref,
    stated,
)
from incidents.formats.report_file import NOT_FROM_FILES, STATEMENT_KINDS, breakdown_keys

SCHEMA_ID = "https://incidents.example/schemas/report-file-v2.json"

# One schema per field name, as the reader has one kind of value per field name.
FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    name: field.schema() for name, field in ACTION_FIELDS.items() if name not in NOT_FROM_FILES
}


def _fields_object(fields: dict[str, Field]) -> dict[str, Any]:
    """A mapping of these fields, inline (the source): required ones need a value."""
    return {
        "type": "object",
        "properties": {
            name: field.schema() if field.required else or_null(field.schema())
            for name, field in fields.items()
        },
        "required": [name for name, field in fields.items() if field.required],
        "additionalProperties": False,
    }


def _statement_schema(kind: str) -> dict[str, Any]:
    cls = STATEMENT_KINDS[kind]
    fields = [f for f in attrs.fields(cls) if f.name not in NOT_FROM_FILES]
    required = [f.name for f in fields if f.default is attrs.NOTHING and f.name != "id"]
    properties: dict[str, Any] = {"type": {"const": kind}}
    properties.update({f.name: ref(f.name) if f.name in required else or_null(ref(f.name)) for f in fields})
    if issubclass(cls, CountedAction):
        part = {
            "type": "object",
            "properties": {
                key: ref(key) if key == "count" else or_null(ref(key)) for key in breakdown_keys(cls)
            },
            "required": ["count"],
            "additionalProperties": False,
        }
        properties["breakdown"] = or_null({"type": "array", "items": part, "minItems": 1})
    return {
        "title": kind,
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "type": "object",
        "properties": properties,
        "required": ["type", *required],
        "additionalProperties": False,
    }


def _version_1() -> dict[str, Any]:
    """What a file that declares v1 may not use: what version 2 added (as the reader's
    ``_check_version_1`` refuses it; null is the key left out, so a null is allowed)."""
    absent = {"type": "null"}
    v2_count = {"type": "object", "anyOf": [stated(form) for form in COUNT_FORMS_SINCE_V2]}
    v2_metric = {"enum": sorted(METRICS_SINCE_V2)}

    def restricted(since: set[str]) -> dict[str, Any]:
        return {
            **dict.fromkeys(sorted(since), absent),
            "count": {"not": v2_count},
            "metric": {"not": v2_metric},
        }

    action_since = {name for name, field in ACTION_FIELDS.items() if field.since > 1}
    action = restricted(action_since)
    part = {"properties": restricted(action_since)}
    return {
        "properties": {
            "source": {
                "properties": {name: absent for name, field in SOURCE_FIELDS.items() if field.since > 1}
            },
            "actions": {
                "items": {
                    "properties": {
                        **action,
                        "type": {"not": {"enum": sorted(KINDS_SINCE_V2)}},
                        "changes": {"properties": restricted(action_since)},
                        "breakdown": {"items": part},
                    }
                }
            },
        }
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one report file."""
    top = {name: or_null(field.schema()) for name, field in REPORT_FIELDS.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "incidents report file, v1 and v2",
        "description": (
            "One source report and the actions it states (docs/data-format.md). A key with no "
            "value (null) is the key left out; text may be written as a number or true/false. "
            "A file that declares format v1 uses nothing version 2 added."
        ),
        "type": "object",
        "properties": {
            "format": top["format"],
            "id": top["id"],
            "source": _fields_object(SOURCE_FIELDS),
            "notes": top["notes"],
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
        "if": {"required": ["format"], "properties": {"format": {"const": FORMAT_V1}}},
        "then": _version_1(),
        "$defs": FIELD_SCHEMAS,
    }


def schema_text() -> str:
    return json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
