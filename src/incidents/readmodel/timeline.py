"""An area's status as of every day on which it can change: the days on which one of its reports
ends. Between two such days the set of counted transitions, and so the status, is the same; the
status "as of" any day is the timeline's point on or before it.

A point also says until when it holds (the next point's day; ``OPEN`` for the last), the class
of that run of days (``rows.span_class``: the points that hold on a day are found as the spans
that straddle it, one index range per class), and the key the answer orders areas by
(``areas.area_order`` of the latest report's place), so that the database returns the points
of a day in the answer's order.

A point names the two entries an ``AreaState`` is made of, by their positions: the transition
that began the current status (``began``: its status, and since when) and the latest counted one
(``latest``: the place as last reported). Their stored actions are the rest of the state.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any, NamedTuple, overload

from incidents.domain.actions import AreaStatus
from incidents.projections.areas import current_run
from incidents.readmodel.rows import EntryRow, span_class


class TimelinePoint(NamedTuple):
    area_key: str
    d: str  # the day from which the point holds (ISO)
    began: int  # the position of the transition that began the current status
    began_stamp: int  # and the stamp of its row (``rows.entry_row``)
    latest: int  # the position of the latest counted transition
    latest_stamp: int
    until: str  # the day from which the next point holds (ISO; ``OPEN`` for the last)
    run_class: int  # the class of the span from ``d`` to ``until`` (``rows.span_class``)
    sort_key: str  # ``areas.area_order`` of the latest report's place, as one text (``sort_key``)


OPEN = "9999-12-31"  # the end of the last point's run
_PARTS = "\x01"  # between the parts of a sort key: before any character a stored text holds


TIMELINE_COLUMNS = TimelinePoint._fields


class _Statuses(Sequence[AreaStatus]):
    """The statuses of rows, read as ``current_run`` walks back over them (no copy)."""

    def __init__(self, rows: Sequence[EntryRow]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> AreaStatus: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[AreaStatus]: ...
    def __getitem__(self, index: int | slice) -> AreaStatus | Sequence[AreaStatus]:
        if isinstance(index, slice):
            return [AreaStatus(row.status) for row in self._rows[index]]
        return AreaStatus(self._rows[index].status)


def current_state(counted: Sequence[EntryRow]) -> tuple[EntryRow, EntryRow]:
    """The transition that began the current status, and the latest one (``counted`` in
    occurred order, not empty): as ``areas.area_states`` finds them."""
    return counted[current_run(_Statuses(counted))], counted[-1]


def sort_key(row: EntryRow) -> str:
    """``areas.area_order`` of the row's place, as a text that orders as the tuple does (the
    province, unresolved last; the label, folded; the key)."""
    return _PARTS.join((row.province or "~", str(row.area).casefold(), str(row.area_key)))


def province_condition(column: str, provinces: Collection[str]) -> tuple[str, list[Any]]:
    """SQL that keeps the rows whose sort key ``column`` is of an area in one of ``provinces``
    (``sort_key``: the province comes first, then the separator), with its parameters; with no
    provinces, every row. (The prefix is compared for equality, not as a range: a database
    orders texts by its collation, which need not be Python's, but equal texts are equal.)"""
    if not provinces:
        return "1 = 1", []
    prefixes = [province + _PARTS for province in sorted(provinces)]
    condition = " OR ".join([f"substr({column}, 1, ?) = ?"] * len(prefixes))
    return f"({condition})", [value for prefix in prefixes for value in (len(prefix), prefix)]


def point(area_key: str, day: str, until: str, began: EntryRow, latest: EntryRow) -> TimelinePoint:
    run = span_class(date.fromisoformat(day), date.fromisoformat(until))
    return TimelinePoint(
        area_key,
        day,
        began.position,
        began.stamp,
        latest.position,
        latest.stamp,
        until,
        run,
        sort_key(latest),
    )


def timeline(area_key: str, transitions: Sequence[EntryRow]) -> list[TimelinePoint]:
    """The area's status after each day on which one of its transitions ends."""
    by_end = sorted(transitions, key=lambda row: (row.occ_end, row.occurred_order()))
    counted: list[EntryRow] = []  # the transitions ended by the day, in occurred order
    states: list[tuple[str, EntryRow, EntryRow]] = []
    index = 0
    while index < len(by_end):
        day = by_end[index].occ_end
        while index < len(by_end) and by_end[index].occ_end == day:
            insort(counted, by_end[index], key=EntryRow.occurred_order)
            index += 1
        states.append((day, *current_state(counted)))
    ends = [day for day, _began, _latest in states[1:]] + [OPEN]
    return [
        point(area_key, day, until, began, latest)
        for (day, began, latest), until in zip(states, ends, strict=True)
    ]


def spellings(transitions: Sequence[EntryRow]) -> list[str]:
    """Every spelling of the area, in occurred order, as ``AreaState.written``."""
    ordered = sorted(transitions, key=EntryRow.occurred_order)
    return list(dict.fromkeys(str(row.place_written) for row in ordered))
