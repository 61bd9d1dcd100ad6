"""Dates as news prose writes them, found in a sentence and read as spans of days.

Relative phrases ("on Saturday", "Tuesday night", "yesterday", "a week ago", "over three weeks
ago", "at the end of June", "last Saturday") are resolved by ``domain.relative_dates`` against
the publication date or span, the rules report files use. Absolute dates ("July 7, 2019", "7
July", "in December 2017", "2019-08-24") are read here. "On the second day of operations" is
told from the latest launch before it (``relative_dates.after_action``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

import attrs

from incidents.domain.relative_dates import MONTHS, resolve_relative
from incidents.domain.values import DateSpan, Precision

_MONTH = "|".join(calendar.month_name[1:])
_WEEKDAY = "|".join(calendar.day_name)
_SMALL = r"\d+|a|an|one|two|three|four|five|six"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
_PATTERN = re.compile(
    rf"(?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)"
    rf"|(?P<mdy>\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?\b)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?\b)"
    rf"|(?P<part>\b(?:(?:at|by)\s+the\s+|in\s+)?(?P<which>early|mid|late|end\s+of|the\s+end\s+of)[\s-]+(?P<m3>{_MONTH})(?:\s+(?P<y3>\d{{4}}))?\b)"
    rf"|(?P<month>\b(?:in|during|since|throughout)\s+(?P<m4>{_MONTH})(?:\s+(?P<y4>\d{{4}}))?\b)"
    rf"|(?P<ago>\b(?:just\s+)?(?:over\s+|more\s+than\s+)?(?:{_SMALL})\s+(?:day|week)s?\s+ago\b)"
    rf"|(?P<weekday>\b(?:(?:on|last|this\s+past)\s+)?(?:{_WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b)"
    rf"|(?P<day>\b(?:yesterday|today)\b)"
    rf"|(?P<nth>\b(?:on\s+|in\s+)?the\s+(?P<ordinal>first|second|third|fourth|fifth|sixth|seventh)\s+day\s+of\b)",
    re.IGNORECASE,
)
_STATEMENT = re.compile(
    r"\b(?:statement|announce[ds]?|announcement|said|says|reported|released|told|stated|added|"
    r"claimed|published|issued|confirmed|according)\b[^.;]{0,40}$",
    re.IGNORECASE,
)


@attrs.frozen
class DatePhrase:
    """A date in a sentence: where, as written, and what it is."""

    start: int
    end: int
    text: str
    phrase: str | None = None  # a relative phrase, resolved against publication
    span: DateSpan | None = None  # an absolute date, resolved already
    day_of: int | None = None  # "the N-th day of" the latest launch
    statement: bool = False  # the date of a statement ("a statement released yesterday")

    def resolved(self, published: DateSpan | None) -> DateSpan | None:
        """The span it means, or None when it needs a publication date that is not known or
        does not resolve."""
        if self.span is not None:
            return self.span
        if self.phrase is None or published is None:
            return None
        try:
            return resolve_relative(self.phrase, published)
        except ValueError:
            return None


def date_phrases(text: str) -> Iterator[DatePhrase]:
    """Every date phrase of ``text``, in order."""
    for match in _PATTERN.finditer(text):
        found = _phrase(match)
        if found is not None:
            before = text[: match.start()]
            yield attrs.evolve(found, statement=_STATEMENT.search(before) is not None)


def _phrase(match: re.Match[str]) -> DatePhrase | None:
    start, end, said = match.start(), match.end(), match.group()

    def make(
        *, phrase: str | None = None, span: DateSpan | None = None, day_of: int | None = None
    ) -> DatePhrase:
        return DatePhrase(start, end, said, phrase=phrase, span=span, day_of=day_of)

    try:
        if match["iso"]:
            return make(span=DateSpan.parse(said))
        if match["mdy"] or match["dmy"]:
            month = MONTHS[(match["m1"] or match["m2"]).lower()]
            day, year = int(match["d1"] or match["d2"]), match["y1"] or match["y2"]
            if year:
                return make(span=DateSpan.day(date(int(year), month, day)))
            return make(phrase=f"{calendar.month_name[month]} {day}")
        if match["part"]:
            which = match["which"].lower().replace("the ", "").split()[0]
            month_name = match["m3"].lower()
            if match["y3"]:
                return make(span=_month_part(int(match["y3"]), MONTHS[month_name], which))
            return make(phrase=f"{'end of' if which == 'end' else which} {month_name}")
        if match["month"]:
            month = MONTHS[match["m4"].lower()]
            if match["y4"]:
                return make(span=DateSpan.month(int(match["y4"]), month))
            return make(phrase=match["m4"])
        if match["nth"]:
            return make(day_of=_ORDINALS[match["ordinal"].lower()])
    except ValueError:
        return None  # a day no calendar has ("February 30, 2019")
    return make(phrase=said)


def _month_part(year: int, month: int, which: str) -> DateSpan:
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end": (21, 31)}[which]
    last = min(last, calendar.monthrange(year, month)[1])
    return DateSpan(date(year, month, first), date(year, month, last), Precision.MONTH_PART)
