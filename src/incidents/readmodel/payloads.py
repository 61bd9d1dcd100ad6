"""What the read model stores of an entry beyond its flat columns: the action (as amendments
leave it) and its report's ``SourceRef``, each encoded by the application's own transcoder, the
transcodings the event store itself uses. From them, and the recording (position, time,
sequence), ``Payloads.entries`` rebuilds the very ``Entry`` the fold would hold.

Only the entries an answer returns are decoded (its uncertain items, the transitions that began
and last reported each area's status, the pending ones), never those a sum only counts; and each
once per process: entries are remembered by ``(position, stamp)``, which names a stored row's
content for good (``rows.entry_row``), and sources by report key (a report's source never
changes). What is remembered is bounded, and forgotten all at once beyond the bound.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import Transcoder

from incidents.domain.actions import ReportedAction
from incidents.domain.values import SourceRef
from incidents.projections.ledger import Entry, ReportRef
from incidents.readmodel.database import Transaction
from incidents.readmodel.rows import recorded_time

REMEMBERED = 20_000  # decoded entries (about 2 KB each), and apart answer parts, kept between answers

# A stored row's identity: its position, and the stamp of the batch that wrote it.
RowKey = tuple[int, int]


class Payloads:
    """Encodes what the read model stores with the application's transcoder, and rebuilds
    entries from it; remembers what it rebuilt (and, for the queries, parts of answers made
    of those entries: ``remembered``/``remember``)."""

    def __init__(self, transcoder: Transcoder) -> None:
        self._transcoder = transcoder
        self._entries: dict[RowKey, Entry] = {}
        self._reports: dict[str, ReportRef] = {}
        self._parts: dict[Any, Any] = {}

    def encode(self, value: object) -> str:
        return self._transcoder.encode(value).decode("utf-8")

    def decode(self, text: str) -> Any:
        return self._transcoder.decode(text.encode("utf-8"))

    def entries(self, tx: Transaction, keys: Iterable[RowKey]) -> dict[int, Entry]:
        """The entries of the stored rows ``keys`` name (as ``tx`` reads them), by position."""
        keys = list(keys)
        if len(self._entries) + len(keys) > REMEMBERED:  # (before reading: what is read is kept)
            self._entries.clear()
            self._parts.clear()
        if len(self._reports) + len(keys) > REMEMBERED:
            self._reports.clear()
        missing = {key[0] for key in keys if key not in self._entries}
        if missing:
            self._read(tx, missing)
        return {key[0]: self._entries[key] for key in keys}

    def _read(self, tx: Transaction, positions: Iterable[int]) -> None:
        found = tx.rows_in(
            "SELECT position, stamp, report_key, recorded, sequence, action FROM rm_entry "
            "WHERE position IN ({in})",
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
        return self._parts.get(key)

    def remember(self, key: Any, part: Any) -> None:
        if len(self._parts) >= REMEMBERED:
            self._parts.clear()
        self._parts[key] = part
