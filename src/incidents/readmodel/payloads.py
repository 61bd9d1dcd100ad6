"""What the read model stores of an entry beyond its flat columns: the action (as amendments
leave it) and its report's ``SourceRef``, each encoded by the application's own transcoder, the
transcodings the event store itself uses. From them, and the recording (position, time,
sequence), ``Payloads.entry`` rebuilds the very ``Entry`` the fold would hold.

Only the entries an answer returns are decoded (its uncertain items, the transitions that began
and last reported each area's status, the pending ones), never those a sum only counts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from eventsourcing.persistence import Transcoder

from incidents.domain.actions import ReportedAction
from incidents.domain.values import SourceRef
from incidents.projections.ledger import Entry, ReportRef
from incidents.readmodel.rows import recorded_time

# The columns of a stored entry, from ``rm_entry e`` joined with its report's ``rm_report r``.
STORED_ENTRY = "e.position, e.report_key, e.recorded, e.sequence, e.action, r.source"
WITH_SOURCE = "rm_entry e JOIN rm_report r ON r.report_key = e.report_key"

REMEMBERED = 20_000  # decoded entries kept between answers (forgotten all at once beyond it)


class StoredEntry(NamedTuple):
    position: int
    report_key: str
    recorded: str
    sequence: int
    action: str  # the transcoder's JSON of the action
    source: str  # the transcoder's JSON of the report's SourceRef


class Payloads:
    """Encodes what the read model stores with the application's transcoder, and rebuilds
    entries from it.

    Decoded entries are remembered by their position and stored action: a row rewritten (an
    amendment re-resolved its cluster) stores another action, and so is decoded again.
    """

    def __init__(self, transcoder: Transcoder) -> None:
        self._transcoder = transcoder
        self._entries: dict[tuple[int, str], Entry] = {}
        self._reports: dict[tuple[str, str], ReportRef] = {}

    def encode(self, value: object) -> str:
        return self._transcoder.encode(value).decode("utf-8")

    def decode(self, text: str) -> Any:
        return self._transcoder.decode(text.encode("utf-8"))

    def entry(self, stored: StoredEntry | tuple[Any, ...]) -> Entry:
        position, report_key, recorded, sequence, action_text, source_text = stored
        key = (int(position), str(action_text))
        found = self._entries.get(key)
        if found is not None:
            return found
        action = self.decode(action_text)
        if not isinstance(action, ReportedAction):
            raise TypeError(f"the read model's action at position {position} is a {type(action).__name__}")
        entry = Entry(
            action, self._report(report_key, source_text), key[0], recorded_time(recorded), sequence
        )
        if len(self._entries) >= REMEMBERED:
            self._entries.clear()
            self._reports.clear()
        self._entries[key] = entry
        return entry

    def _report(self, key: str, source_text: str) -> ReportRef:
        found = self._reports.get((key, source_text))
        if found is None:
            source = self.decode(source_text)
            if not isinstance(source, SourceRef):
                raise TypeError(f"the read model's source of {key} is a {type(source).__name__}")
            found = self._reports[(key, source_text)] = ReportRef(key, source)
        return found
