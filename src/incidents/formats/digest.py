"""A report's digest: the fingerprint that makes loading idempotent, and so part of the stored
format. Loading a report again finds it "unchanged" only if the digest computed today equals the
one recorded, possibly years ago.

So the digest must not change when the catalogue grows. It is the JSON of the report's key, its
source and its statements, as ``attrs.asdict`` wrote them when these fields were all there were
(``DIGESTED_FIELDS``, frozen: never edit it): every field listed there is always included, as it
always was; a field added since (to any value class, or a class added since) is included only
when it is set (not its default), so a report that does not use it keeps its old digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any

import attrs

# Every field of every value class when the digest was first written (payload layout v1).
DIGESTED_FIELDS: Mapping[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        "ActionRef": ("report", "action"),
        "AdminUnit": ("pcode", "name", "level", "province", "district", "centroid"),
        "AreaCleared": ("id", "occurred", "quote", "operation", "phase", "area", "actor"),
        "Arrested": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "actor", "place", "split_of"),
        ),
        "ClearingStarted": ("id", "occurred", "quote", "operation", "phase", "area", "actor"),
        "Correction": ("id", "reason", "quote", "target", "changes"),
        "DateSpan": ("start", "end", "precision"),
        "DuplicateLink": ("id", "reason", "quote", "same"),
        "Estimate": ("low", "best", "high"),
        "FieldChange": ("field", "value"),
        "Killed": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "actor", "place", "split_of", "means"),
        ),
        "MaterielDestroyed": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "actor", "place", "split_of", "item"),
        ),
        "MaterielSeized": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "actor", "place", "split_of", "item"),
        ),
        "Name": ("canonical", "written", "known"),
        "OperationLaunched": ("id", "occurred", "quote", "operation", "phase", "names", "aim", "forces"),
        "PhaseEnded": ("id", "occurred", "quote", "operation", "phase"),
        "PhaseLaunched": ("id", "occurred", "quote", "operation", "phase", "regions", "supervisor", "forces"),
        "Place": ("written", "unit", "qualifier", "point"),
        "Point": ("lon", "lat"),
        "Preference": ("id", "reason", "quote", "target"),
        "Retraction": ("id", "reason", "quote", "target"),
        "SourceRef": ("outlet", "url", "published", "title", "language"),
        "SplitOf": ("statement", "stated"),
        "StrengthEstimated": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "region", "estimator"),
        ),
        "ThreatReported": ("id", "occurred", "quote", "operation", "phase", "area", "actor"),
        "TotalClaimed": (
            "id",
            "occurred",
            "quote",
            "operation",
            "phase",
            "metric",
            "side",
            "count",
            "claimant",
        ),
        "Wounded": (
            *("id", "occurred", "quote", "operation", "phase"),
            *("side", "count", "actor", "place", "split_of", "means"),
        ),
    }.items()
}


def report_digest(key: str, source: object, statements: Sequence[Any]) -> str:
    """The digest of a report: its key, source and statements (actions and amendments)."""
    canonical = json.dumps(
        [key, fingerprint(source), [{"type": s.kind, **fingerprint(s)} for s in statements]],
        sort_keys=True,
        default=_scalar,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint(value: Any) -> Any:
    """``value`` as ``attrs.asdict`` writes it, less the fields added since that are not set."""
    if attrs.has(type(value)):
        frozen = DIGESTED_FIELDS.get(type(value).__name__, frozenset())
        written: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.name in frozen or not _at_default(field, item):
                written[field.name] = fingerprint(item)
        return written
    if isinstance(value, Mapping):
        return {key: fingerprint(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [fingerprint(item) for item in value]
    return value


def _at_default(field: attrs.Attribute[Any], value: object) -> bool:
    default: Any = field.default
    if default is attrs.NOTHING:
        return False  # a required field is always written
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return bool(value == default.factory())
    return bool(value == default)


def _scalar(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")
