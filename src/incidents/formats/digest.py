"""A report's digest: the fingerprint that makes loading idempotent, and so part of the stored
format. Loading a report again finds it "unchanged" only if it matches the digest recorded,
possibly years ago. Digests are versioned, and every recorded one keeps being compared by the
definition it was written with (``matches``, the one place a recorded digest is compared):

- **version 2** (written since December 2026, ``v2:<sha256 hex>``; ``report_digest``): the
  SHA-256 of the report's stored JSON, ``[key, source, [statements]]`` as the payload
  transcoder writes it (``storage.encoding.content_digest``): the very bytes recorded, so a
  bulk import computes it from what it writes, at the cost of a hash. A field added since and
  left unset is not written (``storage.transcodings``), so it leaves the digest as it was; a
  payload whose version changes writes other JSON: a report recorded before is then compared
  by content (its recorded statements decoded, and upcast), not by digest;
- **version 1** (64 hex digits, every report recorded before; ``legacy_digest``): the JSON of
  the report's key, its source and its statements, as ``attrs.asdict`` wrote them when these
  fields were all there were (``DIGESTED_FIELDS``, frozen: never edit it): every field listed
  there is always included, as it always was; a field added since (to any value class, or a
  class added since) is included only when it is set (not its default), so a report that does
  not use it keeps its old digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any

import attrs

from incidents.domain import actions, amendments, values
from incidents.domain.amendments import Amendment
from incidents.storage.encoding import DIGEST_VERSION, encode_report

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
    """The digest of a report (version 2): of its stored JSON, key, source and statements."""
    return encode_report(key, source, statements, is_amendment).digest


def is_amendment(statement: object) -> bool:
    return isinstance(statement, Amendment)


def matches(recorded: str, key: str, source: object, statements: Sequence[Any]) -> bool:
    """Whether a recorded digest is the digest of this report, by the definition (version) it
    was recorded with."""
    if recorded.startswith(f"{DIGEST_VERSION}:"):
        return recorded == report_digest(key, source, statements)
    return recorded == legacy_digest(key, source, statements)


def legacy_digest(key: str, source: object, statements: Sequence[Any]) -> str:
    """The digest of version 1 (recorded before version 2): its key, source and statements."""
    canonical = json.dumps(
        [key, fingerprint(source), [{"type": s.kind, **fingerprint(s)} for s in statements]],
        sort_keys=True,
        default=_scalar,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint(value: Any) -> Any:
    """``value`` as ``attrs.asdict`` writes it, less the fields added since that are not set."""
    return attrs.asdict(value, filter=None if type(value) in _PLAIN else _digested)


def _value_classes() -> Iterator[type[Any]]:
    """Every attrs class a report can hold: the kinds of action and amendment, and the values
    inside them (abstract bases such as ``CountedAction`` are never stored)."""
    yield from actions.ACTION_KINDS.values()
    yield from amendments.AMENDMENT_KINDS.values()
    yield amendments.ActionRef
    yield amendments.FieldChange
    yield from (found for found in vars(values).values() if isinstance(found, type) and attrs.has(found))


# The attributes (attrs' own objects, shared by subclasses that inherit them) always written.
_ALWAYS: frozenset[int] = frozenset(
    id(attribute)
    for cls in _value_classes()
    for attribute in attrs.fields(cls)
    if attribute.name in DIGESTED_FIELDS.get(cls.__name__, frozenset())
)


def _at_default(field: attrs.Attribute[Any], value: object) -> bool:
    default: Any = field.default
    if default is attrs.NOTHING:
        return False  # a required field is always written
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return bool(value == default.factory())
    return bool(value == default)


def _digested(attribute: attrs.Attribute[Any], value: object) -> bool:
    return id(attribute) in _ALWAYS or not _at_default(attribute, value)


def _scalar(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def _all_frozen(cls: type[Any]) -> bool:
    return all(a.name in DIGESTED_FIELDS.get(cls.__name__, frozenset()) for a in attrs.fields(cls))


# The classes whose digest is plain ``attrs.asdict`` (no filter to call for every field): those
# with no field added since the table, while no value class inside them has one either (today,
# all). A field added since engages the filter for what holds it.
_VALUES_FROZEN = all(
    _all_frozen(found) for found in vars(values).values() if isinstance(found, type) and attrs.has(found)
)
_PLAIN: frozenset[type[Any]] = frozenset(
    cls for cls in _value_classes() if _VALUES_FROZEN and _all_frozen(cls)
)
