"""Reading the phrases of the step library: clocks, groupings, scopes, counts and names.

Dates and counts are read by the parsers report files use (``DateSpan.parse``,
``Estimate.parse``), so "2019-08" or "14,000-18,000" cannot mean one thing in a report file and
another in a spec. The patterns here are the shared fragments of the step patterns.
"""

from __future__ import annotations

import re
from datetime import date

from attrs import frozen

from incidents.domain.actions import Metric
from incidents.domain.errors import IncidentsError
from incidents.domain.values import DateSpan, Estimate
from incidents.service import GROUPINGS, clock_day


class PhraseError(IncidentsError, ValueError):
    """A step's words could not be read; the message says what was expected."""


# --- Fragments of step patterns -----------------------------------------------------------------

METRICS: dict[str, Metric] = {
    "killed": Metric.KILLED,
    "wounded": Metric.WOUNDED,
    "arrested": Metric.ARRESTED,
    "seized": Metric.SEIZED,
    "destroyed": Metric.DESTROYED,
    "displaced": Metric.DISPLACED,
}
METRIC = rf"(?P<metric>{'|'.join(METRICS)})"
_NUMBER = r"-?[\d,]+"
COUNT = rf"{_NUMBER}(?:\s*(?:-|to)\s*{_NUMBER})?"
COMPARISON = rf"(?P<comparison>(?:at least |at most )?{COUNT}|between {_NUMBER} and {_NUMBER})"
SCOPE = r"(?P<scope>(?: (?:by|during|in phase) .+?)?)"
CLAUSES = r"(?P<clauses>(?: .+)?)"
STATUS = r"(?P<status>threatened|clearing|cleared)"
KIND = r"(?P<kind>actor|operation|place)"


def unquote(name: str) -> str:
    """A name as written in a step, without the double quotes it may be given in."""
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        return name[1:-1].strip()
    return name


def read_span(text: str) -> DateSpan:
    """A date or span as report files write it: 2019-08-24, 2019-08-24/2019-08-27, 2019-08, 2019."""
    try:
        return DateSpan.parse(text)
    except ValueError as error:
        raise PhraseError(str(error)) from None


def read_day(text: str) -> date:
    """The day a clock stops at: "as of 2019-08" means by the end of August 2019 (the one rule
    the command line's --as-of, --known-at and --until follow too: ``service.clock_day``)."""
    try:
        return clock_day(text)
    except ValueError as error:
        raise PhraseError(str(error)) from None


def read_count(text: str) -> Estimate:
    """A count as report files write it (4, 14000-18000, 14,000-18,000); "14000 to 18000" too."""
    try:
        return Estimate.parse(re.sub(r"\s+to\s+", "-", text.strip()))
    except ValueError as error:
        raise PhraseError(str(error)) from None


def read_metric(word: str) -> Metric:
    try:
        return METRICS[word]
    except KeyError:
        raise PhraseError(f"expected one of {', '.join(METRICS)}, got {word!r}") from None


# --- Clocks and groupings -----------------------------------------------------------------------


@frozen
class Clocks:
    """A question's point of view: the three clocks, and the groupings of totals and how they
    sum materiel items (apart, per item, unless asked ``together``)."""

    as_of: date | None = None
    known_at: date | None = None
    recorded_at: int | None = None  # a position in the store
    recorded_before: str | None = None  # a report id: the store just before it was recorded
    by: tuple[str, ...] = ()
    items: str = "apart"

    def describe(self, *, groupings: bool = True) -> str:
        parts = []
        if self.as_of:
            parts.append(f"as of {self.as_of}")
        if self.known_at:
            parts.append(f"known at {self.known_at}")
        if self.recorded_at is not None:
            parts.append(f"recorded at position {self.recorded_at}")
        if self.recorded_before:
            parts.append(f'recorded before "{self.recorded_before}"')
        if self.by and groupings:
            parts.append(f"by {', '.join(self.by)}")
        if self.items != "apart" and groupings:
            parts.append(f"with materiel items {self.items}")
        return " ".join(parts) or "now"


_CLAUSE = re.compile(
    r"\s*(?:"
    r"(?:as of|until) (?P<as_of>\S+)"
    r"|known at (?P<known_at>\S+)"
    r"|recorded at position (?P<position>\d+)"
    r"|recorded before (?:the report )?\"(?P<before>[^\"]+)\""
    r"|by (?P<by>\w+(?:(?:,\s*|\s+and\s+)\w+)*)"
    r"|with materiel items (?P<items>together|apart)"
    r")"
)
CLAUSE_HELP = 'as of DATE (or until DATE), known at DATE, recorded at position N, recorded before "REPORT-ID"'


def read_clocks(text: str, *, groupings: bool = False) -> Clocks:
    """Read " as of 2019-08-28 known at 2019-08-27 by actor and phase", in any order."""
    found: dict[str, str] = {}
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _CLAUSE.match(text, position)
        if match is None or match.end() == position:
            expected = CLAUSE_HELP + (
                ", by GROUPING[, GROUPING and GROUPING], with materiel items together" if groupings else ""
            )
            raise PhraseError(f"cannot read {text[position:].strip()!r}; expected any of: {expected}")
        for name, value in match.groupdict().items():
            if value is None:
                continue
            if name in found:
                raise PhraseError(f"{text.strip()!r} gives {name.replace('_', ' ')} twice")
            found[name] = value
        position = match.end()
    if "items" in found and not groupings:
        raise PhraseError("only totals sum materiel items (with materiel items together)")
    by: tuple[str, ...] = ()
    if "by" in found:
        if not groupings:
            raise PhraseError("only totals are grouped (by actor, phase, ...)")
        by = tuple(name for name in re.split(r",\s*|\s+and\s+", found["by"]) if name)
        unknown = [name for name in by if name not in GROUPINGS]
        if unknown:
            raise PhraseError(
                f"cannot group by {', '.join(unknown)}; expected any of: {', '.join(GROUPINGS)}"
            )
    return Clocks(
        as_of=read_day(found["as_of"]) if "as_of" in found else None,
        known_at=read_day(found["known_at"]) if "known_at" in found else None,
        recorded_at=int(found["position"]) if "position" in found else None,
        recorded_before=found.get("before"),
        by=by,
        items=found.get("items", "apart"),
    )


# --- Scopes: "by PMF during Will of Victory in phase 4" -----------------------------------------


@frozen
class Scope:
    """What narrows a count: who did it, in which operation, in which phase (names as written)."""

    actor: str | None = None
    operation: str | None = None
    phase: int | None = None

    def describe(self) -> str:
        parts = []
        if self.actor:
            parts.append(f"by {self.actor}")
        if self.operation:
            parts.append(f"during {self.operation}")
        if self.phase is not None:
            parts.append(f"in phase {self.phase}")
        return " ".join(parts)


_SCOPE_PART = re.compile(
    r"\s*(?P<word>by|during|in phase)\s+(?P<value>\"[^\"]+\"|.+?)(?=\s+(?:by|during|in phase)\s|\s*$)"
)


def read_scope(text: str) -> Scope:
    values: dict[str, str] = {}
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _SCOPE_PART.match(text, position)
        if match is None:
            raise PhraseError(
                f"cannot read {text[position:].strip()!r}; expected by ACTOR, during OPERATION, in phase N"
            )
        word = match["word"]
        if word in values:
            raise PhraseError(f"{text.strip()!r} says {word!r} twice")
        values[word] = unquote(match["value"])
        position = match.end()
    phase = values.get("in phase")
    if phase is not None and not phase.isdigit():
        raise PhraseError(f"expected a phase number (1, 2, ...), got {phase!r}")
    return Scope(
        actor=values.get("by"),
        operation=values.get("during"),
        phase=int(phase) if phase is not None else None,
    )


# --- Comparisons: "5", "at least 4", "between 3 and 6", "14000-18000" ---------------------------


@frozen
class Comparison:
    """What an expectation says about a count.

    ``exactly`` compares the whole estimate (low, best, high): "14000-18000" is a range with no
    best figure. "At least" holds when even the low figure reaches it, "at most" when even the
    high figure stays under it, "between" when both do.
    """

    relation: str  # exactly, at least, at most, between
    expected: Estimate

    def holds(self, actual: Estimate) -> bool:
        if self.relation == "exactly":
            return actual == self.expected
        if self.relation == "at least":
            return actual.low >= self.expected.low
        if self.relation == "at most":
            return actual.high <= self.expected.high
        return self.expected.low <= actual.low and actual.high <= self.expected.high

    def __str__(self) -> str:
        if self.relation == "exactly":
            return str(self.expected)
        if self.relation == "between":
            return f"between {self.expected.low} and {self.expected.high}"
        return f"{self.relation} {self.expected.low}"


def read_comparison(text: str) -> Comparison:
    text = text.strip()
    if match := re.fullmatch(rf"between ({_NUMBER}) and ({_NUMBER})", text):
        low, high = read_count(match[1]), read_count(match[2])
        if low.low > high.high:
            raise PhraseError(f"{text!r}: the first number must not be greater than the second")
        return Comparison("between", Estimate.between(low.low, high.high))
    for relation in ("at least", "at most"):
        if text.startswith(relation + " "):
            count = read_count(text.removeprefix(relation + " "))
            if not count.is_exact:
                raise PhraseError(f"{text!r}: {relation} takes one number")
            return Comparison(relation, count)
    return Comparison("exactly", read_count(text))
