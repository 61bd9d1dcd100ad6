"""The three clocks, and how each entry stands from a given point of view.

- ``as_of`` (occurred): counts what had happened by that day,
- ``known_at`` (reported): sees only what had been published by that day,
- ``recorded_at`` (recorded): sees only what the store held at that time or position.

An entry whose occurred or published span straddles the date is *uncertain*: listed with the
reason, never silently counted or dropped.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from attrs import frozen

from incidents.domain.actions import ReportedAction
from incidents.projections.ledger import AmendmentEntry, Entry


class Span(Protocol):
    """A span of days as the clocks read it: a ``DateSpan``, or one the read model stored."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    def __hash__(self) -> int: ...  # (a value: verdicts on it are shared, ``_not_counted``)


class Standing(enum.Enum):
    COUNTED = "counted"
    UNCERTAIN = "uncertain"
    EXCLUDED = "excluded"


@frozen
class Verdict:
    standing: Standing
    reason: str | None = None


COUNTED = Verdict(Standing.COUNTED)


@frozen
class Viewpoint:
    """A point in time on each of the three clocks; None means "now"."""

    as_of: date | None = None
    known_at: date | None = None
    recorded_at: datetime | int | None = None  # a time, or a position in the store

    def sees(self, entry: Entry | AmendmentEntry) -> bool:
        """Whether the store held the entry at ``recorded_at``."""
        return self.sees_recording(entry.position, entry.recorded)

    def knows(self, entry: Entry | AmendmentEntry) -> Verdict:
        """Whether the store held the entry, and its report had been published (recorded and
        reported clocks; the occurred clock does not apply to amendments)."""
        return self.knows_recording(entry.position, entry.recorded, entry.report.source.published)

    def judge(self, entry: Entry) -> Verdict:
        return self.judge_recording(
            entry.position, entry.recorded, entry.report.source.published, entry.action.occurred
        )

    # The same verdicts on the clocks' values alone: the read model judges its stored rows with
    # these, so that it says exactly what the fold says.

    def sees_recording(self, position: int, recorded: datetime) -> bool:
        if self.recorded_at is None:
            return True
        if isinstance(self.recorded_at, int):
            return position <= self.recorded_at
        return recorded <= self.recorded_at

    def knows_recording(self, position: int, recorded: datetime, published: Span) -> Verdict:
        if not self.sees_recording(position, recorded):
            return Verdict(Standing.EXCLUDED, f"recorded after {self.recorded_at}")
        return _against(published, self.known_at, "published", "known-at")

    def judge_recording(self, position: int, recorded: datetime, published: Span, occurred: Span) -> Verdict:
        if self.known_at is None and self.recorded_at is None:  # (the occurred clock alone)
            return _against(occurred, self.as_of, *OCCURRED)
        known = self.knows_recording(position, recorded, published)
        if known.standing is Standing.EXCLUDED:
            return known
        happened = _against(occurred, self.as_of, *OCCURRED)
        if known is COUNTED or happened.standing is Standing.EXCLUDED:
            return happened
        reasons = [v.reason for v in (known, happened) if v.standing is Standing.UNCERTAIN and v.reason]
        if reasons:
            return Verdict(Standing.UNCERTAIN, "; ".join(reasons))
        return COUNTED

    def with_as_of(self, as_of: date) -> Viewpoint:
        return Viewpoint(as_of, self.known_at, self.recorded_at)

    def without_as_of(self) -> Viewpoint:
        """The reported and recorded clocks alone: what applies to amendments."""
        return Viewpoint(None, self.known_at, self.recorded_at)

    def describe(self) -> dict[str, str | None]:
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "known_at": self.known_at.isoformat() if self.known_at else None,
            "recorded_at": None if self.recorded_at is None else str(self.recorded_at),
        }


@frozen
class Judged:
    """An entry that is not counted from a viewpoint, and why."""

    entry: Entry
    verdict: Verdict


def partition(
    entries: Iterable[Entry], viewpoint: Viewpoint, kind: type[ReportedAction] = ReportedAction
) -> tuple[list[Entry], list[Judged]]:
    """The entries of ``kind`` counted from the viewpoint, and the uncertain ones, in occurred order."""
    counted: list[Entry] = []
    uncertain: list[Judged] = []
    for entry in entries:
        if not isinstance(entry.action, kind):
            continue
        verdict = viewpoint.judge(entry)
        if verdict.standing is Standing.COUNTED:
            counted.append(entry)
        elif verdict.standing is Standing.UNCERTAIN:
            uncertain.append(Judged(entry, verdict))
    counted.sort(key=Entry.occurred_order)
    uncertain.sort(key=lambda judged: judged.entry.occurred_order())
    return counted, uncertain


def _against(span: Span, day: date | None, clock: str, option: str) -> Verdict:
    if day is None or span.end <= day:
        return COUNTED
    return _not_counted(span, day, clock, option)


@functools.lru_cache(maxsize=4096)
def _not_counted(span: Span, day: date, clock: str, option: str) -> Verdict:
    """The verdict on a span that ends after ``day``: one object for each span, day and clock
    (an answer judges hundreds of entries dated to the same month or year, and its wording is
    the most of the cost). Spans are values: equal ones say the same."""
    if span.start > day:
        return Verdict(Standing.EXCLUDED, f"{clock} {span}, after the {option} date {day}")
    return Verdict(Standing.UNCERTAIN, straddles(clock, span, option, day))


def straddles(clock: str, span: object, option: str, day: date) -> str:
    """Why an entry is uncertain: its span on ``clock`` straddles the ``option`` date."""
    return f"{clock} {span} straddles the {option} date {day}"


OCCURRED = ("occurred", "as-of")  # the occurred clock, and its option, as reasons name them
