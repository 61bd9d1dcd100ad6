"""Resolve the relative dates of news prose against a report's publication date.

"On Saturday" in an article published on Wednesday 2019-08-28 is 2019-08-24. When the
publication date is itself a span (an undated page known to be from 28-31 July), every phrase
resolves to a span: the earliest and the latest day it can mean. Nothing is rounded to a day.

Every resolver below is monotonic in the publication day, so resolving both ends of the
publication span gives the ends of the result.

Dates can also be relative to another action of the same report ("on the second day of
operations", "on Monday" after a launch): :func:`after_action` resolves them against that
action's own span, with the same rule: an uncertain anchor gives a span.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, date, timedelta

from incidents.domain.values import DateSpan, Precision

WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end": (21, 31)}

SUPPORTED = (
    "today, yesterday, [on|last] <weekday> [morning|night|...], N days/weeks ago, "
    "over N weeks ago, [in] <month>, <month> <day>, early/mid/late <month>, "
    "at the end of <month>"
)

_FILLER = re.compile(r"^(on|at|in|just|last|this past|the)\s+")
_BEFORE_TODAY = re.compile(r"^(?:(?:on|at|in|just|the)\s+)*(?:last|this past)\s+")  # "last Saturday"
_TIME_OF_DAY = re.compile(r"\s+(morning|afternoon|evening|night)$")


def resolve_relative(phrase: str, published: DateSpan) -> DateSpan:
    """Resolve ``phrase`` against the publication span, or raise ValueError naming what works."""
    text = phrase.strip().lower().rstrip(".")
    try:
        resolver = _resolver_for(text)
        if resolver is None:
            raise ValueError(f"cannot resolve the date {phrase!r}; expected an ISO date or {SUPPORTED}")
        earliest, precision = resolver(published.start)
        latest, _ = resolver(published.end)
    except OverflowError:
        raise ValueError(
            f"{phrase!r}, counted from {published}, falls outside the years {MINYEAR} to {MAXYEAR}"
        ) from None
    return DateSpan(earliest.start, latest.end, precision if earliest == latest else _widen(precision))


Resolver = Callable[[date], tuple[DateSpan, Precision]]


def _widen(precision: Precision) -> Precision:
    return Precision.RANGE if precision is Precision.DAY else precision


def _resolver_for(text: str) -> Resolver | None:
    ago = re.fullmatch(r"(?:just\s+)?(over|more than\s+)?\s*(\w+)\s+(day|week)s?\s+ago", text)
    if ago:
        count = _number(ago[2])
        if count is None:
            return None
        return _ago(
            count * (7 if ago[3] == "week" else 1),
            unit=7 if ago[3] == "week" else 1,
            more_than=ago[1] is not None,
        )
    strictly_before = _BEFORE_TODAY.match(text) is not None
    while (stripped := _FILLER.sub("", text)) != text:
        text = stripped
    text = _TIME_OF_DAY.sub("", text)
    if text == "today":
        return lambda day: (DateSpan.day(day), Precision.DAY)
    if text == "yesterday":
        return lambda day: (DateSpan.day(day - timedelta(days=1)), Precision.DAY)
    if text in WEEKDAYS:
        return _weekday(WEEKDAYS[text], strictly_before=strictly_before)
    if text in MONTHS:
        return _month(MONTHS[text])
    part = re.fullmatch(r"(early|mid|late|end of)[\s-]+(\w+)", text)
    if part and part[2] in MONTHS:
        return _month_part(MONTHS[part[2]], part[1].removesuffix(" of"))
    day_of_month = re.fullmatch(r"(\w+)\s+(\d{1,2})(?:st|nd|rd|th)?", text)
    if day_of_month and day_of_month[1] in MONTHS:
        return _day_of_month(MONTHS[day_of_month[1]], int(day_of_month[2]))
    return None


def _number(word: str) -> int | None:
    """A count of days or weeks: ASCII digits (of a size a date can go back) or a word."""
    if word.isascii() and word.isdigit():
        if len(word) > _MAX_DIGITS:
            raise OverflowError(word)
        return int(word)
    return NUMBERS.get(word)


_MAX_DIGITS = 7  # more days than 1..9999 holds (about 3.65 million): out of range at once


def _year(year: int) -> int:
    """``year``, or OverflowError when a date cannot have it."""
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(year)
    return year


def _ago(days: int, *, unit: int, more_than: bool) -> Resolver:
    if more_than:
        # "over three weeks ago": more than three weeks, less than four.
        return lambda day: (
            DateSpan(day - timedelta(days=days + unit), day - timedelta(days=days + 1)),
            Precision.RANGE,
        )
    return lambda day: (DateSpan.day(day - timedelta(days=days)), Precision.DAY)


def _weekday(weekday: int, *, strictly_before: bool) -> Resolver:
    """The most recent such day up to publication ("on Saturday" published on a Saturday is that
    day); ``strictly_before`` ("last Saturday", "this past Saturday"), before it: a week back."""

    def resolve(day: date) -> tuple[DateSpan, Precision]:
        back = (day.weekday() - weekday) % 7
        if back == 0 and strictly_before:
            back = 7
        return DateSpan.day(day - timedelta(days=back)), Precision.DAY

    return resolve


def _latest_year_with(month: int, day: date) -> int:
    """The year of the most recent ``month`` that has begun by ``day``."""
    return day.year if month <= day.month else _year(day.year - 1)


def _month(month: int) -> Resolver:
    def resolve(day: date) -> tuple[DateSpan, Precision]:
        whole = DateSpan.month(_latest_year_with(month, day), month)
        # "in August" in an article of 28 August cannot mean later than the 28th.
        return DateSpan(whole.start, min(whole.end, day), Precision.MONTH), Precision.MONTH

    return resolve


def _month_part(month: int, part: str) -> Resolver:
    first, last = MONTH_PARTS[part]

    def resolve(day: date) -> tuple[DateSpan, Precision]:
        # The most recent such part that has begun by the publication day, cut off at that day.
        year = day.year if date(day.year, month, first) <= day else _year(day.year - 1)
        last_day = min(last, calendar.monthrange(year, month)[1])
        end = min(date(year, month, last_day), day)
        return DateSpan(date(year, month, first), end, Precision.MONTH_PART), Precision.MONTH_PART

    return resolve


def _day_of_month(month: int, day_number: int) -> Resolver:
    def resolve(day: date) -> tuple[DateSpan, Precision]:
        year = day.year if (month, day_number) <= (day.month, day.day) else _year(day.year - 1)
        if not 1 <= day_number <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{calendar.month_name[month]} {year} has no day {day_number}")
        return DateSpan.day(date(year, month, day_number)), Precision.DAY

    return resolve


def after_action(anchor: DateSpan, *, day: int | None = None, weekday: str | None = None) -> DateSpan:
    """A date told from another action's span ``anchor``: its ``day``-th day, the anchor's own
    day being the first ("on the second day of operations": ``day=2``), or the first ``weekday``
    after it ("on Monday", after a launch; never the anchor's own day).

    Exactly one of ``day`` and ``weekday``. An anchor of one day gives one day (precision
    ``day``); an anchor of several days gives the span of every day the phrase can mean, from
    what its first day gives to what its last day gives (precision ``range``: a span of days,
    whatever the anchor's precision was, since a shifted month is no longer a month)."""
    if (day is None) == (weekday is None):
        raise ValueError("a date after another action takes a day number or a weekday, not both")
    if day is not None:
        if day < 1:
            raise ValueError(f"the first day after an action is day 1, got {day}")
        start, end = _moved(anchor.start, day - 1), _moved(anchor.end, day - 1)
    else:
        assert weekday is not None
        number = WEEKDAYS.get(weekday.strip().lower())
        if number is None:
            raise ValueError(f"expected a weekday ({', '.join(calendar.day_name)}), got {weekday!r}")
        start, end = _next_weekday(anchor.start, number), _next_weekday(anchor.end, number)
    return DateSpan(start, end, Precision.DAY if start == end else Precision.RANGE)


def _next_weekday(day: date, weekday: int) -> date:
    """The first ``weekday`` after ``day`` (a week later when ``day`` is one)."""
    return _moved(day, (weekday - day.weekday() - 1) % 7 + 1)


def _moved(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise ValueError(f"{days} days after {day} falls outside the years {MINYEAR} to {MAXYEAR}") from None
