"""How value objects are stored: JSON transcodings for the attrs classes, dates and enums, and how
payloads written by older code are read (payload versions and upcasters).

The library's JSON transcoder calls these for any object it cannot serialise itself, and
nests them, so a ``Killed`` inside an ``ActionRecorded`` event, its ``DateSpan`` and the dates
inside that, are each encoded by their own transcoding: ``{"_type_": name, "_data_": ...}``.
The name is part of the stored format (an action's is its ``kind``). Fields left at None (or at
an empty tuple) are not stored.

Every attrs payload has a version, the version of its layout (field names and meanings). The
current version of each is in one table, :data:`PAYLOAD_VERSIONS` (a name not in it is at
version 1). A payload is written with ``"_v": version`` among its fields, only when the version
is above 1 (as the library writes an event's ``class_version``), so every payload written before
versions existed is version 1, and a version 1 payload is still written exactly as then.

A payload of an older version is brought forward, one version at a time, by the upcasters
registered for its name (:func:`upcaster`, kept in :data:`UPCASTERS`) before the class is
constructed. Decoding runs inside out, so an upcaster sees the fields of its own payload as
stored, except that nested value objects have already been decoded (and upcast) by their own
transcodings; tuples arrive as lists. A payload that this code cannot read (a version newer
than the code's, a field the class does not have, a required field missing, a value the class
refuses) raises a :class:`StoredPayloadError` naming the type, the version and the field.

The rule for changing a stored value object is in docs/architecture.md ("Changing a stored
value object"); the stored events of ``tests/storage/golden/`` must decode as they always did.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs
from eventsourcing.persistence import Transcoding

from incidents.domain.actions import ACTION_KINDS, AreaStatus, DisplacedUnit, Metric
from incidents.domain.amendments import AMENDMENT_KINDS, ActionRef, FieldChange
from incidents.domain.errors import IncidentsError
from incidents.domain.values import (
    AdminUnit,
    DateSpan,
    Estimate,
    Extent,
    Name,
    Original,
    Place,
    Point,
    Precision,
    SourceRef,
    SplitOf,
)

VERSION_KEY = "_v"  # the payload's version, among its fields (written only above version 1)

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

# The current payload version of each attrs transcoding, by its stored name (an action's kind,
# an amendment's kind, or the value class's name). Not listed: version 1. Bump a version only
# together with an upcaster from the previous one.
PAYLOAD_VERSIONS: dict[str, int] = {}

# (stored name, version) -> a function that turns a payload of that version into one of the next.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}

# Names the library's own transcodings use (UUIDAsHex, DecimalAsStr, DatetimeAsISO).
LIBRARY_NAMES = frozenset({"uuid_hex", "decimal_str", "datetime_iso"})


def upcaster(name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register the function below as the upcaster of ``name`` payloads from ``from_version`` to
    the next version. It takes the stored fields (a fresh dict it may change) and returns them
    as the next version has them::

        @upcaster("killed", 1)
        def _killed_means_renamed_how(data: dict[str, Any]) -> dict[str, Any]:
            if "means" in data:
                data["how"] = data.pop("means")
            return data
    """

    def register(function: Upcaster) -> Upcaster:
        key = (name, from_version)
        if key in UPCASTERS:
            raise ValueError(f"an upcaster of {name} payloads from version {from_version} is registered")
        UPCASTERS[key] = function
        return function

    return register


class StoredPayloadError(IncidentsError, ValueError):
    """A stored payload this code cannot read. Says which type, which version and which field."""

    def __init__(self, name: str, version: int, problem: str, field: str | None = None) -> None:
        where = f" (field {field!r})" if field else ""
        super().__init__(f"cannot read a stored {name} payload of version {version}{where}: {problem}")
        self.name = name
        self.version = version
        self.field = field


class NewerPayloadError(StoredPayloadError):
    """The payload was written by newer code: its version is above the version this code knows."""


class UnknownFieldError(StoredPayloadError):
    """The payload has a field its class does not have (renamed or removed without an upcaster)."""


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        try:
            return date.fromisoformat(data)
        except (TypeError, ValueError) as error:
            raise StoredPayloadError(self.name, 1, f"{data!r} is not an ISO date") from error


class EnumAsValue(Transcoding):
    """An enum, as its value. Values are stored: add members freely, never change a value."""

    def __init__(self, enum_type: type[enum.Enum]) -> None:
        self.type = enum_type
        self.members = tuple(enum_type)
        self.name = enum_type.__name__
        # The members by their text values: the lookup ``enum_type(value)`` makes first, made
        # here without the enum's call for the values every stored event holds.
        self.by_text = {member.value: member for member in self.members if type(member.value) is str}

    def encode(self, obj: enum.Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> enum.Enum:
        if type(data) is str:
            found = self.by_text.get(data)
            if found is not None:
                return found
        try:
            decoded: enum.Enum = self.type(data)
        except ValueError as error:
            known = ", ".join(repr(member.value) for member in self.members)
            raise StoredPayloadError(self.name, 1, f"{data!r} is not one of {known}") from error
        return decoded


class AttrsAsDict(Transcoding):
    """Any frozen attrs class, as a mapping of its fields (optional ones only when set), and its
    payload version when above 1; older versions are upcast before the class is constructed."""

    def __init__(
        self,
        cls: type[Any],
        name: str,
        versions: Mapping[str, int] | None = None,
        upcasters: Mapping[tuple[str, int], Upcaster] | None = None,
    ) -> None:
        versions = PAYLOAD_VERSIONS if versions is None else versions
        upcasters = UPCASTERS if upcasters is None else upcasters
        self.type = cls
        self.name = name
        self.version = versions.get(name, 1)
        missing = [version for version in range(1, self.version) if (name, version) not in upcasters]
        if self.version < 1 or missing:
            raise ValueError(
                f"{name} payloads are at version {self.version}, but there is no upcaster from "
                f"version {', '.join(map(str, missing))}: register one with @upcaster({name!r}, N)"
            )
        # upcast[v - 1] brings a payload of version v to the current version.
        chain = [upcasters[(name, version)] for version in range(1, self.version)]
        self.upcast = [tuple(chain[start:]) for start in range(self.version)]
        specs = attrs.fields(cls)
        self.fields = tuple((spec.name, spec.default is not attrs.NOTHING) for spec in specs)
        self.accepted = frozenset(spec.alias for spec in specs)
        self.required = tuple(spec.alias for spec in specs if spec.default is attrs.NOTHING)
        if VERSION_KEY in self.accepted:
            raise ValueError(f"{cls.__name__} has a field named {VERSION_KEY!r}, the version key")

    def encode(self, obj: Any) -> dict[str, Any]:
        encoded: dict[str, Any] = {VERSION_KEY: self.version} if self.version > 1 else {}
        for name, has_default in self.fields:
            value = getattr(obj, name)
            if not has_default or (value is not None and value != ()):
                encoded[name] = value
        return encoded

    def decode(self, data: dict[str, Any]) -> Any:
        version = data.pop(VERSION_KEY, 1)
        if type(version) is not int or version < 1:
            raise StoredPayloadError(self.name, 1, f"its version {version!r} is not a whole number from 1")
        if version != self.version:
            if version > self.version:
                raise NewerPayloadError(
                    self.name,
                    version,
                    f"it was written by newer code; this code reads {self.name} payloads up to "
                    f"version {self.version}: upgrade incidents to read this store",
                )
            data = self._upcast(data, version)
        try:
            return self.type(**data)
        except (TypeError, ValueError) as error:
            raise self._problem(data, version, error) from error

    def _upcast(self, data: dict[str, Any], version: int) -> dict[str, Any]:
        for step_from, step in enumerate(self.upcast[version - 1], start=version):
            try:
                data = step(data)
            except Exception as error:
                raise StoredPayloadError(
                    self.name, version, f"its upcaster from version {step_from} failed: {error!r}"
                ) from error
        return data

    def _problem(self, data: dict[str, Any], version: int, error: Exception) -> StoredPayloadError:
        """Why the fields (as upcast to the current version) do not make a ``self.type``."""
        unknown = sorted(set(data) - self.accepted)
        if unknown:
            return UnknownFieldError(
                self.name,
                version,
                f"{self.type.__name__} has no field {unknown[0]!r} (its fields: "
                f"{', '.join(sorted(self.accepted))}); a field renamed or removed needs a new "
                "payload version and an upcaster",
                unknown[0],
            )
        missing = [name for name in self.required if name not in data]
        if missing:
            return StoredPayloadError(
                self.name, version, f"the required field {missing[0]!r} is missing", missing[0]
            )
        return StoredPayloadError(self.name, version, str(error))


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
        (Original, "Original"),
        (Extent, "Extent"),
    ]
    actions: list[tuple[type[Any], str]] = [(cls, kind) for kind, cls in ACTION_KINDS.items()]
    amendments: list[tuple[type[Any], str]] = [
        (ActionRef, "ActionRef"),
        (FieldChange, "FieldChange"),
        *((cls, kind) for kind, cls in AMENDMENT_KINDS.items()),
    ]
    transcodings: list[Transcoding] = [
        DateAsISO(),
        *(EnumAsValue(e) for e in (Precision, Metric, AreaStatus, DisplacedUnit)),
        *(AttrsAsDict(cls, name) for cls, name in values + actions + amendments),
    ]
    _check_names(transcodings)
    return transcodings


def _check_names(transcodings: list[Transcoding]) -> None:
    """Stored names are unique, and every version and upcaster belongs to a stored name."""
    names = [transcoding.name for transcoding in transcodings]
    clashes = sorted({name for name in names if names.count(name) > 1} | (set(names) & LIBRARY_NAMES))
    if clashes:
        raise ValueError(f"two transcodings would store the name {clashes[0]!r}")
    attrs_names = {t.name for t in transcodings if isinstance(t, AttrsAsDict)}
    strays = sorted(set(PAYLOAD_VERSIONS) - attrs_names) + sorted(
        f"{name} v{version}"
        for name, version in UPCASTERS
        if name not in attrs_names or version >= PAYLOAD_VERSIONS.get(name, 1)
    )
    if strays:
        raise ValueError(f"a payload version or upcaster belongs to no current version: {strays[0]}")
