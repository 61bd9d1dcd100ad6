"""One row per recorded action: what the read model stores of an entry, flat and indexed by the
three clocks.

A row holds the values the read model's SQL filters, sums and orders by: the clocks (the
recorded position and time, the bounds of the published and occurred spans), the figures and
groupings (the same functions ``totals`` groups by), and for area actions the place's key, the
status and the spelling. Apart from them (``rm_action``, so that scans of the rows stay small)
is the action itself, in the read model's compact form (``compact``), from which
``payloads.Payloads`` rebuilds the ``Entry`` that an answer returns. No column holds text made
for people: the answers are the fold's own objects, and ``incidents.output`` words them.

Rows are made from ``Entry`` objects by ``entry_row`` alone, so the read model sees an action
exactly as the fold does.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import NamedTuple

from incidents.domain.actions import AreaAction, CountedAction
from incidents.domain.limits import figure, shown
from incidents.projections.ledger import Entry, Unreadable
from incidents.projections.totals import GROUPINGS, GroupValue

RECORDED_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"  # UTC, fixed width: compares as text in both databases

# What a row says of its action: counted (killed, wounded, ...), an area status, or neither.
COUNTED_FAMILY = "counted"
AREA_FAMILY = "area"
OTHER_FAMILY = "other"

# Every grouping of ``totals`` is a column of the row of that name; "side" and "outlet" are the
# row's own columns, the others are filled by the grouping's function.
OWN_COLUMNS = ("side", "outlet")
GROUPING_COLUMNS = tuple(name for name in GROUPINGS if name not in OWN_COLUMNS)


def recorded_text(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # (isoformat pads the year to four digits; the format does not)
        return utc.strftime(RECORDED_FORMAT)
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds")  # the same text, faster


def recorded_time(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def span_class(start: date, end: date) -> int:
    """The span's length class: 0 for one day, else the bit length of its length in days.

    A span of class c is shorter than 2**c days, so the spans that straddle a day D all start
    after D - 2**c: one index range per class finds them (see ``queries.straddling``).
    """
    return (end - start).days.bit_length()


def lag(occurred_end: date, published_end: date) -> tuple[date, int]:
    """The days between the ends of a row's occurred and published spans, as a span: its first
    day and its class. A day ``B`` lies in it (from its first day, before its last) exactly when
    the row counts as of ``B`` on one of the two clocks and not on the other: the rows a known-at
    answer corrects the as-of one by (see ``queries``)."""
    first, last = sorted((occurred_end, published_end))
    return first, span_class(first, last)


class Bounds(NamedTuple):
    """A span's first and last days, as a row stores them: what the clocks judge a span by
    (``clocks.Span``). Its standing only: the reasons an answer gives are judged on the
    entry's own ``DateSpan``."""

    start: date
    end: date

    def __str__(self) -> str:  # in the reasons of verdicts that are read for their standing only
        return "(stored span)"


class EntryRow(NamedTuple):
    position: int
    report_key: str
    action_id: str
    ref: str
    sequence: int
    kind: str
    family: str
    recorded: str
    pub_start: str
    pub_end: str
    occ_start: str
    occ_end: str
    occ_class: int
    pub_class: int  # the published span's class (``span_class``)
    lag_start: str  # the earlier of the occurred and published ends: the lag, from it ...
    lag_class: int  # ... to the later, as a span's class (``lag``)
    outlet: str
    metric: str | None
    side: str | None
    low: int | None
    best: int | None
    high: int | None
    approximate: int | None  # 1: the count is approximate
    unknown: int | None  # 1: the count is unknown, counted by convention
    actor: str | None
    operation: str | None
    phase: int | None
    province: str | None
    district: str | None
    area: str | None
    means: str | None
    item: str | None
    year: str | None
    month: str | None
    area_key: str | None
    status: str | None
    place_written: str | None
    cluster: int | None
    set_aside: int
    stamp: int  # the position of the catch-up batch that wrote the row (0: a row not stored)

    @property
    def published(self) -> Bounds:
        return Bounds(date.fromisoformat(self.pub_start), date.fromisoformat(self.pub_end))

    @property
    def occurred(self) -> Bounds:
        return Bounds(date.fromisoformat(self.occ_start), date.fromisoformat(self.occ_end))

    @property
    def recorded_at(self) -> datetime:
        return recorded_time(self.recorded)

    def occurred_order(self) -> tuple[str, str, str, str, int]:
        """``Entry.occurred_order``, on the stored values (ISO dates order as the dates do)."""
        return (self.occ_start, self.occ_end, self.pub_start, self.report_key, self.sequence)


ENTRY_COLUMNS = EntryRow._fields
_FIRST_GROUP = ENTRY_COLUMNS.index(GROUPING_COLUMNS[0])
if ENTRY_COLUMNS[_FIRST_GROUP : _FIRST_GROUP + len(GROUPING_COLUMNS)] != GROUPING_COLUMNS:
    raise RuntimeError("EntryRow's grouping columns must follow totals.GROUPINGS, in its order")


_NO_COUNT = (None, None, None, None, None, None, None)
_NO_GROUPS = (None,) * len(GROUPING_COLUMNS)
_NO_AREA = (None, None, None)
_PROVINCE, _AREA = GROUPING_COLUMNS.index("province"), GROUPING_COLUMNS.index("area")
_GROUPING_FUNCTIONS = tuple(GROUPINGS[name] for name in GROUPING_COLUMNS)


def _area_groups(province: str | None, label: str) -> tuple[GroupValue, ...]:
    """An area action's grouping columns: its place's province and label (what areas are
    ordered by, ``timeline.sort_key``), the others empty."""
    groups: list[GroupValue] = list(_NO_GROUPS)
    groups[_PROVINCE], groups[_AREA] = province, label
    return tuple(groups)


def entry_row(
    entry: Entry, *, cluster: int | None = None, set_aside: bool = False, stamp: int = 0
) -> EntryRow:
    """The row of an entry (as corrected, when it is one an amendment touches), written by the
    batch that reached position ``stamp``.

    A row is rewritten only by a later batch (when an amendment re-resolves its cluster), and
    what a batch writes depends on nothing but the log up to its position: so ``(position,
    stamp)`` names a row's content for good, and decoded entries are remembered by it."""
    action = entry.action
    source = entry.report.source
    published = source.published
    occurred = action.occurred
    family = OTHER_FAMILY
    counted: tuple[object, ...] = _NO_COUNT
    groups: tuple[GroupValue, ...] = _NO_GROUPS
    area: tuple[str | None, ...] = _NO_AREA
    if isinstance(action, CountedAction):
        family = COUNTED_FAMILY
        count = action.count
        counted = (
            action.metric.value,
            action.side.canonical,
            count.low,
            count.best,
            count.high,
            int(bool(count.approximate)),
            int(count.unknown is not None),
        )
        groups = tuple([group(entry, action) for group in _GROUPING_FUNCTIONS])
    elif isinstance(action, AreaAction):
        family = AREA_FAMILY
        place = action.area
        area = (place.key, action.status.value, place.written)
        groups = _area_groups(place.province, place.label)
    occ_start, occ_end = occurred.start, occurred.end
    lag_start, lag_class = lag(occ_end, published.end)
    return EntryRow._make(
        (
            entry.position,
            entry.report.key,
            action.id,
            str(entry.ref),
            entry.sequence,
            action.kind,
            family,
            recorded_text(entry.recorded),
            published.start.isoformat(),
            published.end.isoformat(),
            occ_start.isoformat(),
            occ_end.isoformat(),
            span_class(occ_start, occ_end),
            span_class(published.start, published.end),
            lag_start.isoformat(),
            lag_class,
            source.outlet,
            *counted,
            *groups,
            *area,
            cluster,
            int(set_aside),
            stamp,
        )
    )


# What neither database stores: integers beyond 64 bits, NUL in text (PostgreSQL), text that is
# not Unicode (a lone surrogate cannot be encoded as UTF-8). The domain's limits keep every value
# well inside; this is what the projector checks of a row all the same, so that an event that
# slipped past them (written before them) is set aside rather than failing its batch.
INT64 = range(-(2**63), 2**63)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unprojectable(row: EntryRow) -> str | None:
    """Why a row cannot be stored in either database, or None."""
    for name in ("low", "best", "high"):
        value = getattr(row, name)
        if value is not None and value not in INT64:
            return f"its {name} count {figure(value)} does not fit a 64-bit integer"
    texts = [value for value in row if value.__class__ is str]
    if _UNSTORABLE.search("".join(texts)):
        column, text = next(
            (name, value)
            for name, value in zip(ENTRY_COLUMNS, row, strict=True)
            if value.__class__ is str and _UNSTORABLE.search(value)
        )
        return f"its {column} {shown(text)} holds a character no database stores"
    return None


def unreadable_json(event: Unreadable) -> str:
    """An unreadable event as the read model stores it: ASCII JSON, whatever its texts hold."""
    recorded = None if event.recorded is None else event.recorded.isoformat()
    fields = [event.position, event.report, event.statement, event.why, recorded]
    return json.dumps(fields, ensure_ascii=True)


def unreadable_from_json(text: str) -> Unreadable:
    position, report, statement, why, recorded = json.loads(text)
    when = None if recorded is None else datetime.fromisoformat(recorded)
    return Unreadable(int(position), report, statement, why, when)
