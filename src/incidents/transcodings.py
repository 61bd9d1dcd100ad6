"""How value objects are stored: JSON transcodings for the attrs classes, dates and enums.

The library's JSON transcoder calls these for any object it cannot serialise itself, and
nests them, so a ``Killed`` inside an ``ActionRecorded`` event, its ``DateSpan`` and the dates
inside that, are each encoded by their own transcoding. Fields left at None are not stored.

"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs
from eventsourcing.persistence import Transcoding

from incidents.domain.actions import ACTION_KINDS, AreaStatus, Metric
from incidents.domain.amendments import AMENDMENT_KINDS, ActionRef, FieldChange
from incidents.domain.values import (
    AdminUnit,
    DateSpan,
    Estimate,
    Name,
    Place,
    Point,
    Precision,
    SourceRef,
    SplitOf,
)


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    def __init__(self, enum_type: type[enum.Enum]) -> None:
        self.type = enum_type
        self.name = enum_type.__name__

    def encode(self, obj: enum.Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> enum.Enum:
        decoded: enum.Enum = self.type(data)
        return decoded


class AttrsAsDict(Transcoding):
    """Any frozen attrs class, as a mapping of its fields (optional ones only when set)."""

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name
        self.fields = tuple((f.name, f.default is not attrs.NOTHING) for f in attrs.fields(cls))

    def encode(self, obj: Any) -> dict[str, Any]:
        encoded = {}
        for name, has_default in self.fields:
            value = getattr(obj, name)
            if not has_default or (value is not None and value != ()):
                encoded[name] = value
        return encoded

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


def all_transcodings() -> list[Transcoding]:
    values: list[tuple[type[Any], str]] = [
        (DateSpan, "DateSpan"),
        (Estimate, "Estimate"),
        (SourceRef, "SourceRef"),
        (Point, "Point"),
        (AdminUnit, "AdminUnit"),
        (Place, "Place"),
        (Name, "Name"),
        (SplitOf, "SplitOf"),
    ]
    actions: list[tuple[type[Any], str]] = [(cls, kind) for kind, cls in ACTION_KINDS.items()]
    amendments: list[tuple[type[Any], str]] = [
        (ActionRef, "ActionRef"),
        (FieldChange, "FieldChange"),
        *((cls, kind) for kind, cls in AMENDMENT_KINDS.items()),
    ]
    return [
        DateAsISO(),
        *(EnumAsValue(e) for e in (Precision, Metric, AreaStatus)),
        *(AttrsAsDict(cls, name) for cls, name in values + actions + amendments),
    ]
