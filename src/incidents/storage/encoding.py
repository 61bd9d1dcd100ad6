"""Stored JSON written in one pass: the payload transcoder, and the events of a report as bytes.

``PayloadTranscoder`` is the library's ``JSONTranscoder`` (the application's transcoder: it
decodes as the library does, and writes **the same bytes**, tested on any value), with one
difference in how it writes: each registered class has a flat transcoding, a function made once
from its transcoding that writes a value's JSON text directly (strings by the C encoder's own
escaping, numbers as it writes them), instead of the library's encoder calling back into Python
for every nested value and wrapping each in a dict (a ``Killed`` holds about ten: its span and
dates, its names, its estimate, its place and unit). The JSON of values shared between payloads
(spans, names, places, estimates) is remembered by identity, and an attrs class's flat
transcoding looks each field's value up there itself (no call for a value already written).
An attrs payload is written by its ``AttrsAsDict``'s rule: its payload version (``"_v"`` only
above 1) and the fields it keeps, so the versioned-payload rule (``storage.transcodings``) holds
for both paths. Any other transcoding is called as the library calls it.

``encode_report`` is how the bulk path of ``IncidentLog.record_reports`` writes a report: the
JSON of its source and of each statement, encoded once, from which both the stored events
(``stored_events``: byte for byte the states the library's mapper writes for the aggregate's
events, tested, but for their timestamps: one per report) and the report's digest are made.
``content_digest`` is the digest of those bytes (``formats.digest`` owns what a digest means and
how a recorded one is compared).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from json.encoder import encode_basestring as _string  # the C encoder's own, as it writes strings
from typing import Any
from uuid import UUID

from attrs import frozen
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from incidents.domain.actions import ACTION_KINDS
from incidents.domain.amendments import AMENDMENT_KINDS
from incidents.domain.values import SourceRef
from incidents.storage.transcodings import VERSION_KEY, AttrsAsDict, DateAsISO, all_transcodings

Flat = Callable[[Any], str]
INFINITY = float("inf")

DIGEST_VERSION = "v2"  # digests of the stored JSON are written as "v2:<sha256 hex>"


class PayloadTranscoder(JSONTranscoder):
    """The library's JSON transcoder, writing the same bytes through one flat transcoding per
    registered class (see the module's docstring). ``shared``: the classes whose values are
    shared between payloads (spans, names, places, estimates: parsers and readers reuse them),
    whose JSON is remembered by the value's identity (a bounded number, held with the value)."""

    def __init__(self, shared: frozenset[type] = frozenset()) -> None:
        super().__init__()
        self.flat: dict[type, Flat] = {}
        self.shared = shared
        self.remembered: dict[int, tuple[object, str]] = {}

    def register(self, transcoding: Transcoding) -> None:
        super().register(transcoding)
        if not issubclass(transcoding.type, str | int | float | list | tuple | dict):
            # (the C encoder writes those itself, without asking the transcoding)
            self.flat[transcoding.type] = self._flat_transcoding(transcoding)

    def field_json(self, value: Any) -> str:
        """``json(value)`` for a field's value that is not a string (the flat transcodings look
        for strings and remembered values themselves): by its class's flat transcoding, first."""
        kind = type(value)
        flat = self.flat.get(kind)
        if flat is not None:
            return flat(value)
        if kind is int:
            return int.__repr__(value)
        return self.json(value)

    def encode(self, obj: Any) -> bytes:
        return self.json(obj).encode("utf8")

    def json(self, value: Any) -> str:
        """``value`` as the text the library's encoder writes of it (``encode``, as text)."""
        kind = type(value)
        if kind is str:
            return _string(value)
        flat = self.flat.get(kind)
        if flat is not None:
            return flat(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, str):
            return _string(value)
        if isinstance(value, list | tuple):
            return f"[{','.join(map(self.json, value))}]"
        if isinstance(value, dict) and all(type(key) is str for key in value):
            return "{" + ",".join(f"{_string(key)}:{self.json(item)}" for key, item in value.items()) + "}"
        return self.encoder.encode(value)  # the library's own way (and its refusals)

    def _flat_transcoding(self, transcoding: Transcoding) -> Flat:
        if type(transcoding) is AttrsAsDict:
            flat = _flat_attrs(transcoding, self.field_json, self.remembered)
        elif type(transcoding) is DateAsISO:
            # (an ISO date is digits and dashes: the C encoder's escaping leaves it as it is)
            date_head = f'{{"_type_":{_string(transcoding.name)},"_data_":"'

            def flat(value: Any) -> str:
                return f'{date_head}{value.isoformat()}"}}'

        else:
            head, encode, to_json = (
                f'{{"_type_":{_string(transcoding.name)},"_data_":',
                transcoding.encode,
                self.json,
            )

            def flat(value: Any) -> str:
                return f"{head}{to_json(encode(value))}}}"

        if transcoding.type not in self.shared:
            return flat
        remembered = self.remembered

        def shared(value: Any) -> str:
            found = remembered.get(id(value))
            if found is not None and found[0] is value:
                return found[1]
            if len(remembered) >= REMEMBERED:
                remembered.clear()
            text = flat(value)
            remembered[id(value)] = (value, text)
            return text

        return shared


REMEMBERED = 20_000  # shared values whose JSON is remembered at most (about 4 MB)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (INFINITY, -INFINITY):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _flat_attrs(
    transcoding: AttrsAsDict, field_json: Flat, remembered: dict[int, tuple[object, str]]
) -> Flat:
    """A function written for one attrs class: its fields, as ``AttrsAsDict.encode`` keeps
    them (a field with a default only when it is neither None nor an empty tuple), each as
    JSON: a string by the C encoder's own escaping, a value whose JSON is remembered by that
    JSON (looked up here: no call for it), anything else by ``field_json``. One f-string joins
    the fields' JSON, with their keys written in it."""
    lines = ["def flat(o):"]
    segments: list[str] = []  # the f-string's parts, each field's with a comma before it
    if transcoding.version > 1:
        segments.append(f",{_string(VERSION_KEY)}:{transcoding.version}")
    for number, (field, has_default) in enumerate(transcoding.fields):
        key, text = f",{_string(field)}:", f"s{number}"
        as_json = [
            f"    if type(v) is str: {text} = string(v)",
            "    else:",
            "        r = recalled(id(v))",
            f"        {text} = r[1] if r is not None and r[0] is v else field_json(v)",
        ]
        lines.append(f"    v = o.{field}")
        if has_default:
            # (``v != ()`` for a value but a tuple: always true, and a call of its __ne__ saved)
            lines.append("    if v is not None and (v != () if isinstance(v, tuple) else True):")
            lines += ["    " + line for line in as_json]
            lines.append(f"        {text} = {key!r} + {text}")
            lines.append(f"    else: {text} = ''")
            segments.append(f"{{{text}}}")
        else:
            lines += as_json
            segments.append(f"{_braces(key)}{{{text}}}")
    head = f'{{"_type_":{_string(transcoding.name)},"_data_":{{'
    body = "".join(segments)
    if segments and segments[0].startswith(","):  # the first part is always written
        lines.append(f"    return f{_braces(head) + body[1:] + '}}}}'!r}")
    else:  # (each part may be left out: the first written loses its comma)
        lines.append(f"    body = f{body!r}")
        lines.append(f"    return {head!r} + body[1:] + '}}}}'")
    namespace: dict[str, Any] = {
        "string": _string,
        "field_json": field_json,
        "recalled": remembered.get,
    }
    exec("\n".join(lines), namespace)
    flat: Flat = namespace["flat"]
    return flat


def _braces(text: str) -> str:
    """``text`` as it is written, literally, in an f-string."""
    return text.replace("{", "{{").replace("}", "}}")


def payload_transcoder() -> PayloadTranscoder:
    """A transcoder with the library's transcodings and every payload's (as the application)."""
    transcoder = PayloadTranscoder(SHARED)
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), *all_transcodings()):
        transcoder.register(transcoding)
    return transcoder


# Every payload class but the statements (each action and amendment is its report's own), the
# source (each report's own) and dates (made anew with each span: found again by identity almost
# never). Remembering those would only push the shared values out.
SHARED = frozenset(
    transcoding.type
    for transcoding in all_transcodings()
    if transcoding.type not in {*ACTION_KINDS.values(), *AMENDMENT_KINDS.values(), SourceRef, date}
)
PAYLOADS = payload_transcoder()  # the stored JSON of payloads, wherever a digest is made


# --- A report, encoded once ---------------------------------------------------------------------


@frozen
class EncodedReport:
    """A report's key, source and statements as their stored JSON, and its digest."""

    key: str
    source: str
    statements: tuple[tuple[bool, str], ...]  # (is an amendment, its JSON), in order
    digest: str


def content_digest(key: str, source: str, statements: Sequence[str]) -> str:
    """The digest of a report's stored JSON: the SHA-256 of ``[key, source, [statements]]`` as
    the payload transcoder writes that list (``PAYLOADS.json([key, source, [...]])``)."""
    text = f"[{PAYLOADS.json(key)},{source},[{','.join(statements)}]]"
    return f"{DIGEST_VERSION}:{hashlib.sha256(text.encode('utf8')).hexdigest()}"


def encode_report(
    key: str, source: Any, statements: Sequence[Any], is_amendment: Callable[[Any], bool]
) -> EncodedReport:
    """The report's JSON, each part encoded once, with the digest made from it."""
    to_json = PAYLOADS.json
    source_json = to_json(source)
    texts = [to_json(statement) for statement in statements]
    digest = content_digest(key, source_json, texts)
    amends = map(is_amendment, statements)
    return EncodedReport(key, source_json, tuple(zip(amends, texts, strict=True)), digest)


@frozen
class EventTopics:
    """The stored topics of a report aggregate's events (from the classes, as the library)."""

    aggregate: str
    registered: str
    action: str
    amendment: str

    @classmethod
    def of(cls, aggregate: type, registered: type, action: type, amendment: type) -> EventTopics:
        return cls(get_topic(aggregate), get_topic(registered), get_topic(action), get_topic(amendment))


def stored_events(
    report: EncodedReport,
    originator_id: UUID,
    topics: EventTopics,
    mapper: Mapper[Any],
    now: Callable[[], datetime],
) -> list[StoredEvent]:
    """The stored events of a report aggregate made from ``report``: ``Registered`` (key, source,
    digest) at version 1, then one ``ActionRecorded`` or ``AmendmentRecorded`` per statement.
    Their states are the bytes the library's mapper writes for the aggregate's events (a
    ``Created`` event's timestamp and originator topic, then the event's fields, in order),
    compressed and encrypted by the mapper's own compressor and cipher. They have one timestamp,
    the report's (``now()``, once): its events are recorded together, in one transaction (the
    aggregate's own path stamps each event as it is triggered, microseconds apart)."""
    head = f'{{"timestamp":{{"_type_":"datetime_iso","_data_":{_string(now().isoformat())}}}'
    compressor, cipher = mapper.compressor, mapper.cipher

    def sealed(data: bytes) -> bytes:
        if compressor:
            data = compressor.compress(data)
        if cipher:
            data = cipher.encrypt(data)
        return data

    registered = (
        f'{head},"originator_topic":{_string(topics.aggregate)},"key":{_string(report.key)},'
        f'"source":{report.source},"digest":{_string(report.digest)}}}'
    )
    events = [StoredEvent(originator_id, 1, topics.registered, sealed(registered.encode("utf8")))]
    action, amendment = (topics.action, f'{head},"action":'), (topics.amendment, f'{head},"amendment":')
    for version, (amends, text) in enumerate(report.statements, start=2):
        topic, start = amendment if amends else action
        events.append(StoredEvent(originator_id, version, topic, sealed(f"{start}{text}}}".encode())))
    return events
