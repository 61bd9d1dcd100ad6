"""What the read model stores of an entry beyond its flat columns: the action (as amendments
leave it) and its report's ``SourceRef``, in the read model's compact form (``compact``, made
from the classes the application's transcoder registers). From them, and the recording
(position, time, sequence), ``Payloads.entries`` rebuilds the very ``Entry`` the fold would hold.

Only the entries an answer returns are decoded (its uncertain items, the transitions that began
and last reported each area's status, the pending ones), never those a sum only counts; and each
once per process: entries are remembered by ``(position, stamp)``, which names a stored row's
content for good (``rows.entry_row``), and sources by report key (a report's source never
changes). What is remembered is bounded: beyond the bound, the least recently used is forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from eventsourcing.persistence import Mapper

from incidents.domain.actions import ReportedAction
from incidents.domain.values import SourceRef
from incidents.projections.ledger import Entry, ReportRef
from incidents.readmodel.compact import Compact
from incidents.readmodel.database import Transaction
from incidents.readmodel.recent import Recent
from incidents.readmodel.rows import recorded_time
from incidents.storage.transcodings import AttrsAsDict

REMEMBERED = 20_000  # decoded entries (about 2 KB each), and apart answer parts, kept between answers
SHARED = 4 * REMEMBERED  # decoded values shared among them

T = TypeVar("T")
V = TypeVar("V")

# A stored row's identity: its position, and the stamp of the batch that wrote it.
RowKey = tuple[int, int]


class Payloads:
    """Encodes what the read model stores in its compact form, and rebuilds entries from it;
    remembers what it rebuilt (and, for the queries, parts of answers made of those entries:
    ``remembered``/``remember``)."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        registered = getattr(mapper.transcoder, "names", {}).values()
        classes = [transcoding.type for transcoding in registered if isinstance(transcoding, AttrsAsDict)]
        self._compact = Compact(classes, (ReportedAction, SourceRef))
        self._values: dict[Any, Any] = {}  # values shared by the queries: equal ones are one object
        self._entries: Recent[RowKey, Entry] = Recent(REMEMBERED)
        self._reports: Recent[str, ReportRef] = Recent(REMEMBERED)
        self._parts: Recent[Any, Any] = Recent(REMEMBERED)

    def encode(self, value: ReportedAction | SourceRef) -> str:
        return self._compact.encode(value)

    def decode(self, text: str) -> Any:
        return self._compact.decode(text)

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

    def entries(self, tx: Transaction, keys: Iterable[RowKey]) -> dict[int, Entry]:
        """The entries of the stored rows ``keys`` name (as ``tx`` reads them), by position."""
        keys = list(keys)
        remembered = self._entries
        missing = {key[0]: key[1] for key in keys if remembered.get(key) is None}  # (position: stamp)
        if missing:
            remembered.make_room(len(missing), keep=len(keys) - len(missing))
            self._reports.make_room(len(missing))
            if self._compact.remembered() > SHARED or len(self._values) > SHARED:
                self._compact.forget()  # (what live entries hold stays; later decodings share anew)
                self._values.clear()
            self._read(tx, missing)
        return {key[0]: remembered[key] for key in keys}

    def _read(self, tx: Transaction, stamps: dict[int, int]) -> None:
        """Rebuild the entries at the positions ``stamps`` holds, remembered under their stamps
        (those of their rows in ``rm_entry``, read in the same transaction as ``rm_action``)."""
        found = tx.rows_in(
            "SELECT position, report_key, recorded, sequence, action FROM rm_action WHERE position IN ({in})",
            stamps,
        )
        unknown = {report_key for _p, report_key, *_rest in found if report_key not in self._reports}
        sources = tx.rows_in("SELECT report_key, source FROM rm_report WHERE report_key IN ({in})", unknown)
        for report_key, text in sources:
            source = self.decode(text)
            if not isinstance(source, SourceRef):
                raise TypeError(f"the read model's source of {report_key} is a {type(source).__name__}")
            self._reports[report_key] = ReportRef(report_key, source)
        times: dict[str, datetime] = {}  # (a report's actions are recorded at one time: one object)
        for position, report_key, recorded, sequence, text in found:
            action = self.decode(text)
            if not isinstance(action, ReportedAction):
                raise TypeError(f"the read model's action at {position} is a {type(action).__name__}")
            report = self._reports[report_key]
            when = times.get(recorded)
            if when is None:
                when = times[recorded] = recorded_time(recorded)
            self._entries[(int(position), stamps[int(position)])] = Entry(
                action, report, int(position), when, int(sequence)
            )

    def remembered(self, key: Any) -> Any:
        """A part of an answer remembered under ``key`` (a key naming every stored row it was
        made of, by ``RowKey``), or None."""
        return self._parts.get(key)

    def remember(self, key: Any, part: Any) -> None:
        self._parts.make_room(1)
        self._parts[key] = part
