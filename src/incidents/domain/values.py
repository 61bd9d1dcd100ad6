"""Value objects: the small, immutable facts every reported action is made of.

They validate themselves on construction, so an invalid one cannot exist anywhere in the
system: not in a parsed report file, not in the event store, not in a projection.
"""

from __future__ import annotations

import calendar
import enum
import re
from datetime import date, timedelta
from typing import Any

from attrs import field, frozen
from attrs.validators import optional

from incidents.domain.counts import approximate_bounds, unknown_count
from incidents.domain.limits import (
    ID,
    LABEL,
    MAX_YEAR,
    MIN_YEAR,
    NAME,
    URL,
    BoundsError,
    bounded_count,
    bounded_level,
    bounded_text,
    check_year,
    count_problem,
    figure,
)

_PARSED_DIGITS = 18  # a number Estimate.parse reads fits a signed 64-bit integer


class Precision(enum.Enum):
    """How exactly a report pins a date down. Never used to invent a day."""

    DAY = "day"
    RANGE = "range"  # somewhere between two days, e.g. "a week ago" from an undated article
    MONTH_PART = "month-part"  # "at the end of June", "early July"
    MONTH = "month"
    YEAR = "year"


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits only ("\d" takes any script's)
_ISO_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_ISO_YEAR = re.compile(r"^([0-9]{4})$")
_ISO_SHAPE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")  # a day, a month or a year
_EXPECTED_SPAN = (
    "expected a date like 2019-08-24, a span like 2019-08-24/2019-08-27, "
    "a month like 2019-08 or a year like 2019"
)


def _year_within_limits(_instance: object, attribute: Any, day: date) -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        check_year(attribute.name, day.year)


def _end_not_before_start(instance: DateSpan, attribute: Any, end: date) -> None:
    if not MIN_YEAR <= end.year <= MAX_YEAR:
        check_year(attribute.name, end.year)
    if end < instance.start:
        raise ValueError(f"a date span cannot end ({end}) before it starts ({instance.start})")


@frozen
class DateSpan:
    """A closed span of days [start, end] and how precisely the source gave it.

    "As of D" counts something whose span ends on or before D, ignores what starts after D,
    and reports the rest (spans that straddle D) as uncertain.
    """

    start: date = field(validator=_year_within_limits)
    end: date = field(validator=_end_not_before_start)
    precision: Precision = field()

    @precision.default
    def _default_precision(self) -> Precision:
        return Precision.DAY if self.start == self.end else Precision.RANGE

    @classmethod
    def day(cls, day: date) -> DateSpan:
        return cls(day, day, Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> DateSpan:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), Precision.MONTH)

    @classmethod
    def year(cls, year: int) -> DateSpan:
        return cls(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        """Parse the ISO forms: ``2019-08-24``, ``2019-08-24/2019-08-27``, ``2019-08``, ``2019``."""
        text = text.strip()
        if "/" in text:
            first, _, last = text.partition("/")
            if not all(_ISO_SHAPE.match(part.strip()) for part in (first, last)):
                raise ValueError(_EXPECTED_SPAN + f", got {text!r}")
            try:
                start, end = cls.parse(first), cls.parse(last)
            except ValueError as error:
                raise ValueError(f"{error}, in {text!r}") from None
            return cls(start.start, end.end)
        if _ISO_DAY.match(text):
            try:
                return cls.day(date.fromisoformat(text))
            except ValueError as error:
                raise ValueError(f"{text!r} is not a real date: {error}") from None
        if match := _ISO_MONTH.match(text):
            return cls.month(int(match[1]), int(match[2]))
        if match := _ISO_YEAR.match(text):
            return cls.year(int(match[1]))
        raise ValueError(_EXPECTED_SPAN + f", got {text!r}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, days: int) -> DateSpan:
        return DateSpan(self.start + timedelta(days=days), self.end + timedelta(days=days), self.precision)

    def __str__(self) -> str:
        start, end = self.start, self.end
        if start == end:
            return start.isoformat()
        # (compared by their days, not by building the whole year or month: this runs for every
        # uncertain entry of an answer)
        whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
        if (
            whole_months
            and self.precision is Precision.YEAR
            and (start.year, 1, 12) == (end.year, start.month, end.month)
        ):
            return f"{start.year}"
        if (
            whole_months
            and self.precision is Precision.MONTH
            and (start.year, start.month) == (end.year, end.month)
        ):
            return f"{start:%Y-%m}"
        return f"{start.isoformat()}/{end.isoformat()}"


def _not_negative(_instance: object, attribute: Any, value: int) -> None:
    if value < 0:
        raise ValueError(f"a count cannot be negative ({attribute.name} = {figure(value)})")


def _marker(value: object) -> bool | None:
    """A marker is True or absent (None): never stored as False."""
    return True if value else None


@frozen
class Estimate:
    """A count as sources give it: low <= best <= high (UCDP's model).

    ``best`` is None when a source gives only a range ("14-18,000"): a best figure is never
    made up. An estimate is also what totals sum to, so it has no upper bound itself; a count
    stated by a source is bounded where it is stated (``limits.bounded_count``).

    Two markers say how a source gave a count that is not a plain figure (``domain.counts``):
    ``approximate`` ("around twenty": the bounds are the source's or the stated rule's), and
    ``unknown``, the word of a count with no figure ("dozens"), counted by the convention for
    that word. A sum is never marked: totals count the marked estimates they add apart.
    """

    low: int = field(validator=_not_negative)
    best: int | None = field(validator=optional(_not_negative))
    high: int = field(validator=_not_negative)
    approximate: bool | None = field(default=None, converter=_marker)
    unknown: str | None = field(default=None, validator=bounded_text(LABEL))

    def __attrs_post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        if self.best is not None and not self.low <= self.best <= self.high:
            raise ValueError(f"best ({self.best}) is not between low ({self.low}) and high ({self.high})")
        if self.unknown is not None:
            counted = unknown_count(self.unknown)
            if self.approximate or (self.low, self.best, self.high) != (counted, counted, counted):
                raise ValueError(
                    f"an unknown count ({self.unknown!r}) is counted as {counted} (low, best and high), "
                    "and is not also approximate"
                )
        if self.approximate and self.best is None:
            raise ValueError("an approximate count needs its best figure (the one the source gives)")

    @classmethod
    def exactly(cls, count: int) -> Estimate:
        return cls(count, count, count)

    @classmethod
    def between(cls, low: int, high: int) -> Estimate:
        return cls(low, None, high)

    @classmethod
    def zero(cls) -> Estimate:
        return cls.exactly(0)

    @classmethod
    def about(cls, best: int, low: int | None = None, high: int | None = None) -> Estimate:
        """An approximate figure ("around twenty"): the bounds the source states, else the rule's
        (``counts.approximate_bounds``)."""
        rule_low, rule_high = approximate_bounds(best)
        return cls(rule_low if low is None else low, best, rule_high if high is None else high, True)

    @classmethod
    def by_convention(cls, word: str) -> Estimate:
        """A count with no figure ("dozens"), counted by the convention for its word."""
        counted = unknown_count(word)
        return cls(counted, counted, counted, unknown=word)

    @property
    def marked(self) -> bool:
        """Whether a convention stands behind the figures (approximate, or unknown)."""
        return bool(self.approximate) or self.unknown is not None

    @classmethod
    def parse(cls, text: str) -> Estimate:
        """Parse ``5``, ``14000-18000`` or ``14,000-18,000`` (a range with no best): ASCII
        digits, at most ``_PARSED_DIGITS`` of them to a number."""
        cleaned = text.replace(",", "").replace(" ", "")
        if re.fullmatch(rf"-?0*[0-9]{{1,{_PARSED_DIGITS}}}", cleaned):
            return cls.exactly(int(cleaned))
        if match := re.fullmatch(
            rf"0*([0-9]{{1,{_PARSED_DIGITS}}})[-\u2013]0*([0-9]{{1,{_PARSED_DIGITS}}})", cleaned
        ):
            return cls.between(int(match[1]), int(match[2]))
        raise ValueError(f"expected a whole number like 4 or a range like 14000-18000, got {text!r}")

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def __add__(self, other: Estimate) -> Estimate:
        best = None if self.best is None or other.best is None else self.best + other.best
        return Estimate(self.low + other.low, best, self.high + other.high)

    def __str__(self) -> str:
        if self.unknown is not None:
            return f"{self.unknown} (counted as at least {self.low})"
        if self.approximate:
            return f"about {self.best} ({self.low}-{self.high})"
        if self.is_exact and self.best is not None:
            return str(self.low)
        middle = "" if self.best is None else f" (best {self.best})"
        return f"{self.low}-{self.high}{middle}"


def occurred_after_publication(occurred: DateSpan, published: DateSpan) -> str | None:
    """The flag of an action said to have happened after its report was published (it starts
    after the publication span ends), or None. Not refused: a source or an encoding sometimes
    carries a wrong date, and the log keeps what was stated; the flag asks for a look."""
    if occurred.start <= published.end:
        return None
    return (
        f"occurred {occurred} starts after the report was published ({published}): "
        "a wrong date in the source or its encoding?"
    )


@frozen(kw_only=True)
class Original:
    """The report a republication reprints (``SourceRef.via``): its own outlet and url, and its
    publication date when known. The reprint's own date stays the "reported" clock."""

    outlet: str = field(validator=bounded_text(NAME))
    url: str | None = field(default=None, validator=bounded_text(URL))
    published: DateSpan | None = None

    def __str__(self) -> str:
        return self.outlet


@frozen
class SourceRef:
    """Where a report comes from. Its publication date is the "reported" clock. ``via`` is the
    original of a report another outlet reprints ("INA, via Shafaq News")."""

    outlet: str = field(validator=bounded_text(NAME))
    url: str = field(validator=bounded_text(URL))
    published: DateSpan
    title: str | None = field(default=None, validator=bounded_text(LABEL))  # never made up
    language: str | None = field(default=None, validator=bounded_text(LABEL))
    via: Original | None = field(default=None, kw_only=True)

    @property
    def credit(self) -> str:
        """The outlet as a reader credits it: the reprint's, and the original it reprints."""
        return self.outlet if self.via is None else f"{self.outlet} (via {self.via.outlet})"


def _longitude(_instance: object, _attribute: object, value: float) -> None:
    if not -180.0 <= value <= 180.0:
        raise ValueError(f"a longitude is between -180 and 180, got {value}")


def _latitude(_instance: object, _attribute: object, value: float) -> None:
    if not -90.0 <= value <= 90.0:
        raise ValueError(f"a latitude is between -90 and 90, got {value}")


@frozen
class Point:
    """A position in WGS 84 degrees, longitude first (as GeoJSON writes it)."""

    lon: float = field(validator=_longitude)
    lat: float = field(validator=_latitude)


@frozen
class AdminUnit:
    """An administrative unit of the gazetteer (OCHA COD-AB P-codes), with its centroid if known."""

    pcode: str = field(validator=bounded_text(NAME))
    name: str = field(validator=bounded_text(NAME))
    level: int = field(validator=bounded_level)  # 1 governorate (province), 2 district, 3 sub-district
    province: str = field(validator=bounded_text(NAME))
    district: str | None = field(default=None, validator=bounded_text(NAME))
    centroid: Point | None = None

    def __str__(self) -> str:
        parts = [self.name]
        if self.level == 3 and self.district:
            parts.append(self.district)
        if self.level > 1:
            parts.append(self.province)
        return ", ".join(parts)


def _one_level(_instance: object, _attribute: object, within: Place | None) -> None:
    if within is not None and (within.within is not None or within.point is not None or within.qualifier):
        raise ValueError("the place a place lies within is a name (or P-code) alone")


@frozen
class Place:
    """A place as the report writes it, and the administrative unit it resolves to, if any.

    An unresolvable name is kept as written with ``unit`` None: flagged, never guessed.
    ``qualifier`` keeps a relation the source states ("south of"). ``within`` is where the
    report (or its encoder) says it lies ("within: Diyala"): it picks among units of the same
    name, and gives a place below the gazetteer (a village) its province and district.
    """

    written: str = field(validator=bounded_text(NAME))
    unit: AdminUnit | None = None
    qualifier: str | None = field(default=None, validator=bounded_text(NAME))
    point: Point | None = None  # coordinates the source states (e.g. UCDP's), if any
    within: Place | None = field(default=None, validator=_one_level)  # as written, and its unit

    @property
    def resolved(self) -> bool:
        return self.unit is not None

    @property
    def key(self) -> str:
        """Identity of the place across reports: the P-code, else the normalised written name."""
        if self.unit is not None and self.qualifier is None:
            return self.unit.pcode
        written = normalise_name(self.written)
        return f"{self.qualifier} {written}" if self.qualifier else written

    @property
    def area_unit(self) -> AdminUnit | None:
        """The unit whose province and district the place has: its own, else the one it lies
        within (a place below the gazetteer)."""
        if self.unit is not None:
            return self.unit
        return self.within.unit if self.within is not None else None

    @property
    def province(self) -> str | None:
        unit = self.area_unit
        return unit.province if unit else None

    @property
    def district(self) -> str | None:
        unit = self.area_unit
        return unit.district if unit and unit.level >= 2 else None

    @property
    def location(self) -> Point | None:
        """Where to draw it: the stated coordinates, else the unit's centroid."""
        if self.point is not None:
            return self.point
        return self.unit.centroid if self.unit else None

    @property
    def label(self) -> str:
        name = self.unit.name if self.unit else self.written
        return f"{self.qualifier} {name}" if self.qualifier else name


@frozen
class Name:
    """A named actor or operation: the canonical name, and what this source wrote.

    ``known`` is False when the name matched nothing in the alias data; it is then kept as
    written and flagged.
    """

    canonical: str = field(validator=bounded_text(NAME))
    written: str = field(validator=bounded_text(NAME))
    known: bool = True

    def __str__(self) -> str:
        return self.canonical


@frozen(kw_only=True)
class Extent:
    """How large an area is, as the source numbers it: "25 villages, 1,702 km2" is
    ``places=25, of="villages", square_km=1702``. Data, never summed with counts."""

    places: int | None = field(default=None, validator=optional(_not_negative))
    of: str | None = field(default=None, validator=bounded_text(LABEL))  # villages, districts, ...
    square_km: int | None = field(default=None, validator=optional(_not_negative))  # whole km2

    def __attrs_post_init__(self) -> None:
        if self.places is None and self.square_km is None:
            raise ValueError("an extent states a number of places, an area in km2, or both")
        if (self.places is None) != (self.of is None):
            raise ValueError("a number of places says what they are (of: villages), and only with one")
        for name, number in (("places", self.places), ("square_km", self.square_km)):
            problem = None if number is None else count_problem(number)
            if problem is not None:
                raise BoundsError(name, problem)

    def __str__(self) -> str:
        parts = [] if self.places is None else [f"{self.places:,} {self.of}"]
        if self.square_km is not None:
            parts.append(f"{self.square_km:,} km2")
        return ", ".join(parts)


@frozen
class SplitOf:
    """Marks one part of a split total: "four killed; two by airstrikes, two by the PMF"."""

    statement: str = field(validator=bounded_text(ID))  # id of the stated total in its report
    stated: Estimate = field(validator=bounded_count)


_NAME_NOISE = re.compile(r"[\s\-_'\u2019\u2018`.]+")


def normalise_name(name: str) -> str:
    """Fold case, punctuation and spacing so that "Al-Garma", "al garma" and "AL GARMA" meet."""
    return _NAME_NOISE.sub(" ", name.casefold()).strip()
