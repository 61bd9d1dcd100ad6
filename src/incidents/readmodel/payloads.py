"""What the read model stores of an entry beyond its flat columns: the action (as amendments
leave it) and its report's ``SourceRef``, each encoded by the application's own transcoder, the
transcodings the event store itself uses. From them, and the recording (position, time,
sequence), ``Payloads.entries`` rebuilds the very ``Entry`` the fold would hold.

An action is stored as recorded unless an amendment changed it, and an event's stored state is
the same transcoder's JSON of the event, whose ``action`` member is the transcoder's JSON of the
action: ``recorded_action`` cuts that member out (a scan of the JSON in C) instead of encoding
the action again, which would cost the projector a fifth of its time. Whatever it cannot be sure
of (a state that is not compact JSON, a member that is not the action's kind) is encoded.

Only the entries an answer returns are decoded (its uncertain items, the transitions that began
and last reported each area's status, the pending ones), never those a sum only counts; and each
once per process: entries are remembered by ``(position, stamp)``, which names a stored row's
content for good (``rows.entry_row``), and sources by report key (a report's source never
changes). What is remembered is bounded: beyond the bound, the least recently used is forgotten.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any, TypeVar

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoder

from incidents.domain.actions import ReportedAction
from incidents.domain.values import SourceRef
from incidents.projections.ledger import Entry, ReportRef
from incidents.readmodel.database import Transaction
from incidents.readmodel.rows import recorded_time
from incidents.storage.transcodings import StoredPayloadError

REMEMBERED = 20_000  # decoded entries (about 2 KB each), and apart answer parts, kept between answers
SHARED = 4 * REMEMBERED  # decoded values shared among them

T = TypeVar("T")
V = TypeVar("V")

# Values unique to their report: never met again by their JSON form.
_UNIQUE = (ReportedAction, SourceRef)

# A stored row's identity: its position, and the stamp of the batch that wrote it.
RowKey = tuple[int, int]


_JSON = json.JSONDecoder()  # plain JSON, to find where a member ends (no transcodings)


def json_member(text: str, name: str) -> str | None:
    """The JSON text of the top-level member ``name`` of the compact JSON object ``text``, or None
    (no such member, or not compact JSON)."""
    if not text.startswith('{"'):
        return None
    at = 1
    try:
        while text[at] == '"':
            key, at = _JSON.raw_decode(text, at)
            if text[at] != ":":
                return None
            start = at + 1
            _value, at = _JSON.raw_decode(text, start)
            if key == name:
                return text[start:at]
            if text[at] != ",":
                return None
            at += 1
    except (ValueError, IndexError):
        return None
    return None


class Payloads:
    """Encodes what the read model stores with the application's transcoder, and rebuilds
    entries from it; remembers what it rebuilt (and, for the queries, parts of answers made
    of those entries: ``remembered``/``remember``)."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        self._transcoder: Transcoder = mapper.transcoder
        if not isinstance(self._transcoder, JSONTranscoder):
            raise TypeError(f"the read model stores the JSONTranscoder's JSON, not {self._transcoder!r}'s")
        self._transcodings = self._transcoder.names
        self._decoder = json.JSONDecoder(object_hook=self._value)
        self._forms: dict[tuple[Any, ...], Any] = {}  # each decoded value by its JSON form
        self._values: dict[Any, Any] = {}  # values shared by the queries: equal ones are one object
        self._entries: dict[RowKey, Entry] = {}
        self._reports: dict[str, ReportRef] = {}
        self._parts: dict[Any, Any] = {}

    def encode(self, value: object) -> str:
        return self._transcoder.encode(value).decode("utf-8")

    def decode(self, text: str) -> Any:
        return self._decoder.decode(text)

    def _value(self, data: dict[str, Any]) -> Any:
        """The value a JSON object of the transcoder's stands for, as its own decoder makes it,
        made once for each JSON form: the same places, names, spans and counts recur across
        thousands of entries, and one object for each halves what the remembered entries weigh
        and what the garbage collector walks, and spares building and checking them again.
        Actions and sources are unique (an action's id and quote, a source's URL, are its report's
        own; a report's source is remembered by its key) and are not kept."""
        if len(data) != 2 or "_type_" not in data or "_data_" not in data:
            return data
        name, inner = data["_type_"], data["_data_"]
        # The JSON form, flat: its name, then its member names, then their (decoded) values.
        form = (name, *inner.keys(), *inner.values()) if type(inner) is dict else (name, inner)
        try:
            found = self._forms.get(form)
            hashable = True
        except TypeError:  # a member that is not hashable (a list, say)
            found, hashable = None, False
        if found is not None:
            return found
        transcoding = self._transcodings.get(name)
        if transcoding is None:
            raise StoredPayloadError(str(name), 1, "no transcoding of that name is registered")
        value = transcoding.decode(inner)
        if hashable and not isinstance(value, _UNIQUE):
            if type(inner) is dict:  # (the member names each decoding spells anew: kept once)
                members = len(form) // 2
                form = (name, *map(sys.intern, form[1 : members + 1]), *form[members + 1 :])
            self._forms[form] = value
        return value

    def shared(self, value: Any) -> Any:
        """The value equal to ``value`` that was shared before, else ``value``."""
        return self._values.setdefault(value, value)

    def shared_as(self, key: Any, make: Callable[[T], V], argument: T) -> V:
        """The value shared before under ``key`` (a key naming the stored rows it is made of),
        else ``make(argument)``, shared from now on."""
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = make(argument)
        return found

    def recorded_action(self, state: bytes, action: ReportedAction) -> str:
        """The JSON of ``action`` as recorded, from the stored state of its event."""
        if self._mapper.cipher is None:
            if self._mapper.compressor is not None:
                state = self._mapper.compressor.decompress(state)
            member = json_member(state.decode("utf-8"), "action")
            if member is not None and member.startswith(f'{{"_type_":"{action.kind}",'):
                return member
        return self.encode(action)

    def entries(self, tx: Transaction, keys: Iterable[RowKey]) -> dict[int, Entry]:
        """The entries of the stored rows ``keys`` name (as ``tx`` reads them), by position."""
        keys = list(keys)
        remembered = self._entries
        missing = {key[0] for key in keys if _refreshed(remembered, key) is None}
        if missing:
            _make_room(remembered, len(missing), keep=len(keys) - len(missing))
            _make_room(self._reports, len(missing))
            if len(self._forms) > SHARED or len(self._values) > SHARED:
                self._forms.clear()  # (what live entries hold stays; later decodings share anew)
                self._values.clear()
            self._read(tx, missing)
        return {key[0]: remembered[key] for key in keys}

    def _read(self, tx: Transaction, positions: Iterable[int]) -> None:
        found = tx.rows_in(
            "SELECT e.position, e.stamp, e.report_key, e.recorded, e.sequence, a.action "
            "FROM rm_entry e JOIN rm_action a ON a.position = e.position WHERE e.position IN ({in})",
            positions,
        )
        unknown = {report_key for _p, _s, report_key, *_rest in found} - self._reports.keys()
        sources = tx.rows_in("SELECT report_key, source FROM rm_report WHERE report_key IN ({in})", unknown)
        for report_key, text in sources:
            source = self.decode(text)
            if not isinstance(source, SourceRef):
                raise TypeError(f"the read model's source of {report_key} is a {type(source).__name__}")
            self._reports[report_key] = ReportRef(report_key, source)
        for position, stamp, report_key, recorded, sequence, text in found:
            action = self.decode(text)
            if not isinstance(action, ReportedAction):
                raise TypeError(f"the read model's action at {position} is a {type(action).__name__}")
            report = self._reports[report_key]
            self._entries[(int(position), int(stamp))] = Entry(
                action, report, int(position), recorded_time(recorded), int(sequence)
            )

    def remembered(self, key: Any) -> Any:
        """A part of an answer remembered under ``key`` (a key naming every stored row it was
        made of, by ``RowKey``), or None."""
        return _refreshed(self._parts, key)

    def remember(self, key: Any, part: Any) -> None:
        _make_room(self._parts, 1)
        self._parts[key] = part


def _refreshed(remembered: dict[Any, Any], key: Any) -> Any:
    """What is remembered under ``key``, now the most recently used, or None."""
    found = remembered.pop(key, None)
    if found is not None:
        remembered[key] = found
    return found


def _make_room(remembered: dict[Any, Any], coming: int, keep: int = 0) -> None:
    """Forget the least recently used, so that ``coming`` more stay within ``REMEMBERED`` (but
    never the ``keep`` most recently used: the ones the answer at hand needs)."""
    excess = min(len(remembered) + coming - REMEMBERED, len(remembered) - keep)
    if excess > 0:
        for key in list(islice(remembered, excess)):
            del remembered[key]
