"""The log as the projections read it: each recorded action (and amendment) with its report and
its recording; and the events that cannot be read, set aside (``Unreadable``).

An event this code cannot decode (one written before the limits of ``domain.limits``, with a
count past ``MAX_COUNT`` or a NUL in a quote; or a payload no transcoding reads) must never stop
the log from answering: it is set aside, with the report key and statement id read from its
plain JSON where they can be, its position and why, and every answer lists it
(``Totals.unreadable``, ``Areas.unreadable``, ``rebuild``) until a retraction of that
``report-key/action-id`` is recorded (``resolution``). A store whose settings do not read it
(a wrong key) is not that: it is refused as a whole (``storage.mapper``); nor is a payload
written by newer code (``NewerPayloadError``): this code is too old to answer, and says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from attrs import frozen
from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent
from eventsourcing.utils import get_topic

from incidents.application import IncidentLog
from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import ActionRef, Amendment
from incidents.domain.limits import KEY, text_problem
from incidents.domain.report import Report
from incidents.domain.values import SourceRef
from incidents.storage.transcodings import NewerPayloadError, StoredPayloadError

# What decoding one event raises when the event itself, not the store's settings, is the matter.
UNREADABLE_ERRORS = (StoredPayloadError, MapperDeserialisationError)
REGISTERED_TOPIC = get_topic(Report.Registered)
STATEMENT_MEMBERS = {
    get_topic(Report.ActionRecorded): "action",
    get_topic(Report.AmendmentRecorded): "amendment",
}


@frozen
class ReportRef:
    key: str
    source: SourceRef


@frozen
class Entry:
    """One recorded action, with the report that states it and when the store recorded it."""

    action: ReportedAction
    report: ReportRef
    position: int  # the store's notification id: the "recorded" clock, as an order
    recorded: datetime  # the store's timestamp: the "recorded" clock, as a time
    sequence: int  # the action's place in its report's stream

    @property
    def published(self) -> date:
        return self.report.source.published.start

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.report.key, self.action.id)

    def occurred_order(self) -> tuple[date, date, date, str, int]:
        """Occurred order, with ties broken by what does not depend on import order."""
        occurred = self.action.occurred
        return (occurred.start, occurred.end, self.published, self.report.key, self.sequence)


@frozen
class Unreadable:
    """A recorded action or amendment this code cannot read: never counted, always reported.

    ``report`` and ``statement`` (the action's or amendment's id) are read from the event's
    plain JSON where they can be (None where they cannot); ``recorded`` likewise."""

    position: int
    report: str | None
    statement: str | None
    why: str
    recorded: datetime | None = None

    @property
    def ref(self) -> ActionRef | None:
        """What a retraction names to set it aside for good (None if its key or id is unknown)."""
        if self.report is None or self.statement is None:
            return None
        try:
            return ActionRef(self.report, self.statement)
        except ValueError:  # a key or id past the limits: no retraction can name it
            return None


@frozen
class Peeked:
    """What an event's plain JSON says, read without any transcoding: its report key (of a
    ``Registered``), its statement's id (of an action or amendment), its timestamp."""

    registration: bool
    key: str | None
    statement: str | None
    recorded: datetime | None


def peek(mapper: Mapper[Any], notification: StoredEvent) -> Peeked:
    """The little that can be read of an event that does not decode."""
    registration = notification.topic == REGISTERED_TOPIC
    state: Any = None
    try:
        data = notification.state
        if mapper.cipher is not None:
            data = mapper.cipher.decrypt(data)
        if mapper.compressor is not None:
            data = mapper.compressor.decompress(data)
        state = json.loads(data)
    except Exception:  # whatever it is, there is nothing more to read
        state = None
    if not isinstance(state, dict):
        return Peeked(registration, None, None, None)
    key = state.get("key") if registration else None
    statement = None
    member = state.get(STATEMENT_MEMBERS.get(notification.topic, ""))
    if isinstance(member, dict) and isinstance(member.get("_data_"), dict):
        statement = member["_data_"].get("id")
    return Peeked(
        registration,
        key if isinstance(key, str) else None,
        statement if isinstance(statement, str) else None,
        _timestamp(state.get("timestamp")),
    )


def _timestamp(value: object) -> datetime | None:
    text = value.get("_data_") if isinstance(value, dict) else value
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def why_unreadable(error: BaseException) -> str:
    """An event's decoding error, said once (the library's wrapper repeats its cause)."""
    cause = error.__cause__ if isinstance(error, MapperDeserialisationError) and error.__cause__ else error
    return str(cause) or type(cause).__name__


@frozen
class Undecoded:
    """A notification that does not decode, as ``ledger_from`` takes it."""

    originator_id: UUID | str
    peeked: Peeked
    why: str


def report_unreadable(
    position: int, key: str | None, statement: str | None, why: str, recorded: datetime | None
) -> Unreadable:
    """An action or amendment set aside because its report's registration cannot be read."""
    return Unreadable(position, key, statement, f"its report's registration cannot be read: {why}", recorded)


@frozen
class AmendmentEntry:
    """One recorded amendment, with the report that makes it and when the store recorded it."""

    amendment: Amendment
    report: ReportRef
    position: int
    recorded: datetime
    sequence: int

    @property
    def ref(self) -> ActionRef:
        return ActionRef(self.report.key, self.amendment.id)


def naming(amendments: Iterable[AmendmentEntry]) -> dict[ActionRef, list[AmendmentEntry]]:
    """The amendments that name each action (or amendment) as a target, in recorded order."""
    found: dict[ActionRef, list[AmendmentEntry]] = {}
    for amendment in amendments:
        for target in amendment.amendment.targets:
            found.setdefault(target, []).append(amendment)
    return found


def reachable(
    starts: Iterable[ActionRef], neighbours: Callable[[ActionRef], Iterable[ActionRef]]
) -> set[ActionRef]:
    """Every ref reached from ``starts`` (included) by following ``neighbours``, each once."""
    seen: set[ActionRef] = set()
    frontier = list(starts)
    while frontier:
        ref = frontier.pop()
        if ref not in seen:
            seen.add(ref)
            frontier.extend(neighbours(ref))
    return seen


def latest_reported(entries: Iterable[Entry]) -> Entry:
    """The "latest report" rule, the one place it is written: of several reports of one thing, the
    one published last (by the end of its publication span, then its start), and of reports
    published alike the one recorded last."""
    return max(
        entries, key=lambda e: (e.report.source.published.end, e.report.source.published.start, e.position)
    )


@frozen
class Ledger:
    """The whole log, in recorded order: the actions, and the amendments made to them."""

    entries: tuple[Entry, ...]
    amendments: tuple[AmendmentEntry, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()  # set aside: events this code cannot read


def read_ledger(log: IncidentLog) -> Ledger:
    """Every recorded action and amendment, in recorded order (and those that cannot be read)."""
    return ledger_from(_notifications(log))


def decoded(mapper: Mapper[Any], notification: StoredEvent) -> object:
    """A notification's domain event, or ``Undecoded`` if the event cannot be read (a report's
    registration whose key is past ``limits.KEY`` included: every reference to its actions
    would be)."""
    try:
        event = mapper.to_domain_event(notification)
    except NewerPayloadError:
        raise  # not a poisoned event: this code is older than the store, and must not answer
    except UNREADABLE_ERRORS as error:
        return Undecoded(notification.originator_id, peek(mapper, notification), why_unreadable(error))
    if isinstance(event, Report.Registered):
        problem = text_problem(KEY, event.key) if isinstance(event.key, str) else "it is not text"
        if problem is not None:
            peeked = Peeked(True, event.key if isinstance(event.key, str) else None, None, event.timestamp)
            return Undecoded(notification.originator_id, peeked, f"key: {problem}")
    return event


def _notifications(log: IncidentLog) -> Iterator[tuple[int, object]]:
    for notification in log.notifications():
        yield notification.id, decoded(log.mapper, notification)


def ledger_from(events: Iterable[tuple[int, object]]) -> Ledger:
    """Fold notifications (position, domain event or ``Undecoded``) into the ledger; reports
    precede their actions."""
    reports: dict[UUID | str, ReportRef] = {}
    broken: dict[UUID | str, Undecoded] = {}  # reports whose registration does not decode
    entries: list[Entry] = []
    amendments: list[AmendmentEntry] = []
    unreadable: list[Unreadable] = []
    for position, event in events:
        if isinstance(event, Undecoded):
            peeked = event.peeked
            if peeked.registration:
                broken[event.originator_id] = event
                continue
            registration = broken.get(event.originator_id)
            key = registration.peeked.key if registration else _key_of(reports.get(event.originator_id))
            unreadable.append(Unreadable(position, key, peeked.statement, event.why, peeked.recorded))
            continue
        if isinstance(event, Report.Registered):
            reports[event.originator_id] = ReportRef(event.key, event.source)
            continue
        if not isinstance(event, Report.ActionRecorded | Report.AmendmentRecorded):
            continue
        report = reports.get(event.originator_id)
        statement = event.action if isinstance(event, Report.ActionRecorded) else event.amendment
        if report is None:
            registration = broken.get(event.originator_id)
            why = registration.why if registration else "no registration of its report is recorded before it"
            key = registration.peeked.key if registration else None
            unreadable.append(report_unreadable(position, key, statement.id, why, event.timestamp))
            continue
        # Where and when the store recorded it: the same for actions and amendments.
        recording = (report, position, event.timestamp, event.originator_version)
        if isinstance(event, Report.ActionRecorded):
            entries.append(Entry(event.action, *recording))
        else:
            amendments.append(AmendmentEntry(event.amendment, *recording))
    return Ledger(tuple(entries), tuple(amendments), tuple(unreadable))


def _key_of(report: ReportRef | None) -> str | None:
    return None if report is None else report.key
