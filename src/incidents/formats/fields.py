"""The field table of report files (v1 and v2): every field, and for each kind of value what it accepts.

Each kind of field value (text, a date or span, a count, a place, names, a metric, references,
...) is one :class:`Kind` object that holds both how the reader reads it from the located tree
(:meth:`Kind.read`, with the line of every value) and its JSON Schema fragment
(:meth:`Kind.schema`). Where the CSV action table has columns for a field, its :class:`Field`
also holds its :class:`Cells`: how a value becomes cells and how cells are read back (as the
tree a report file would state, which then goes through the same :meth:`Kind.read`).

The reader (``report_file``: its ``FIELD_PARSERS``), the schema (``schema``: its ``$defs``) and
the action table (``export.action_table``: its columns) are all derived from :data:`ACTION_FIELDS`,
:data:`SOURCE_FIELDS` and :data:`REPORT_FIELDS`, so they cannot drift;
``tests/properties/test_schema_agrees_with_parser.py`` checks that the schema and the reader
accept and refuse the same documents.

Grammars (counts, dates, relative dates, references) are each written once, as the regular
expression the schema states as its ``pattern``; the reader matches the text as written with
it exactly as a JSON Schema validator does (``re.search``) before converting anything, so a
text one accepts the other cannot refuse. Two rules hold for every field:

- The reader reads every scalar as the text it is written as (``no`` is ``"no"``, ``010`` is
  ``"010"``), so wherever text is expected a number or true/false is that text, and wherever a
  number is expected it may be quoted (``phase: "2"``). The schema says so (``type`` lists
  them all).
- A key with no value (``title:``, ``null``) is the key left out: an optional field is absent,
  a required one is missing. (In ``changes`` only, ``null`` removes the field.)

What a schema cannot check, the reader does on top: that a span does not end before it starts,
that ``low <= best <= high``, that a relative date resolves against the publication date, that
the parts of a breakdown add up, that ids are unique and that references name different actions.

Adding a kind of field value: subclass :class:`Kind` (``read`` and ``schema``, both over the same
grammar constant) and, if the action table holds it, :class:`Cells`; then give the fields that
use it a :class:`Field` line below. A field added to the catalogue (``domain/actions.py``,
``domain/amendments.py``) needs its line here: the reader refuses to start without one.
"""

from __future__ import annotations

import calendar
import difflib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from enum import Enum
from typing import Any

import attrs
from attrs import frozen

from incidents.domain.actions import ACTION_KINDS, DisplacedUnit, Metric
from incidents.domain.amendments import AMENDMENT_KINDS, NOT_CORRECTABLE, ActionRef, FieldChange
from incidents.domain.counts import UNKNOWN_COUNTS
from incidents.domain.limits import (
    ID,
    KEY,
    LABEL,
    MAX_COUNT,
    MAX_DAY_AFTER,
    MAX_PHASE,
    MAX_YEAR,
    MIN_YEAR,
    NAME,
    NOTES,
    QUOTE,
    URL,
    BoundsError,
    TextLimit,
    shown,
    text_problem,
)
from incidents.domain.relative_dates import (
    MONTHS,
    NUMBERS,
    SUPPORTED,
    WEEKDAYS,
    after_action,
    resolve_relative,
)
from incidents.domain.values import (
    DateSpan,
    Estimate,
    Extent,
    Name,
    Original,
    Place,
    Point,
    Precision,
    SplitOf,
    occurred_after_publication,
)
from incidents.formats.errors import InputProblem
from incidents.formats.located import Mapping, Node, Scalar, Sequence
from incidents.formats.located import describe as describe_in_full
from incidents.gazetteer import NameIndex

FORMAT_V1 = "incidents/report v1"
FORMAT = "incidents/report v2"  # the current version: what exports and amendments write
FORMATS = (FORMAT_V1, FORMAT)
# What version 2 added (docs/data-format.md, "Versions"): these kinds, the fields of the table
# whose ``since`` is 2, the count forms ``{about: ...}`` and ``{unknown: ...}``, and the metric
# ``displaced``. A file that declares v1 may use none of them; a file that declares no version
# is read as the current one.
KINDS_SINCE_V2 = frozenset({"displaced", "declaration"})
METRICS_SINCE_V2 = frozenset({Metric.DISPLACED.value})
COUNT_FORMS_SINCE_V2 = ("about", "unknown")


# --- Parsing: where we are, what went wrong ------------------------------------------------------


class FieldError(ValueError):
    """A field's value is not what was expected; carries the line of the offending node."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class Context:
    """What reading one report needs: where we are, how names resolve, what went wrong."""

    def __init__(self, file: str, names: NameIndex) -> None:
        self.file = file
        self.names = names
        self.published: DateSpan | None = None  # relative dates resolve against it
        self.key = ""  # the report's key, for references to an action of this report
        self.problems: list[InputProblem] = []
        self.notes: list[str] = []
        # Dates told from another action (``occurred: {after: ID, ...}``): the ``occurred`` of
        # each action of the report by its id, and the ids being dated (to refuse a cycle).
        self.occurred_by_id: dict[str, Node] = {}
        self.dating: list[str] = []

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(InputProblem(self.file, line, field, message))

    def sorted_problems(self) -> list[InputProblem]:
        return sorted(self.problems, key=lambda problem: problem.line or 0)

    def note(self, line: int | None, message: str) -> None:
        where = self.file if line is None else f"{self.file}:{line}"
        self.notes.append(f"{where}: {message}")


DESCRIBED = 60  # characters of a value a message quotes


def describe(node: Node) -> str:
    """How a node looks, for messages: a long value shortened (a number of thousands of digits
    is not repeated back)."""
    if isinstance(node, Scalar) and not node.is_null and len(node.text) > DESCRIBED:
        return f"{node.text[:DESCRIBED]!r}... ({len(node.text):,} characters)"
    return describe_in_full(node)


def is_null(node: Node | None) -> bool:
    return isinstance(node, Scalar) and node.is_null


def present(node: Mapping) -> dict[str, Node]:
    """The entries of a mapping that have a value: ``key: null`` is the key left out."""
    return {key: value for key, value in node.entries.items() if not is_null(value)}


def scalar_text(node: Node, limit: TextLimit = LABEL) -> str:
    """The text of a scalar that is not blank, stripped, and within ``limit`` (its length as
    written, its characters once stripped, as the schema's ``maxLength`` and ``pattern`` say);
    FieldError otherwise."""
    if not isinstance(node, Scalar) or node.is_null or not node.text.strip():
        raise FieldError(f"expected text, got {describe(node)}", node.line)
    text = node.text.strip()
    problem = text_problem(limit, node.text if len(node.text) > limit.max_length else text)
    if problem is not None:
        raise FieldError(problem, node.line)
    return text


def text_schema(limit: TextLimit) -> dict[str, Any]:
    """The schema of text within ``limit`` that is not blank; a number or true/false is text."""
    forbidden = limit.forbidden[1:-1]  # the class's members, without its brackets
    first_last = rf"[^\s{forbidden}]"
    return {
        "type": list(SCALAR_TYPES),
        "maxLength": limit.max_length,
        "pattern": rf"^\s*{first_last}(?:[^{forbidden}]*{first_last})?\s*$",
    }


def _matching(node: Node, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The match of a grammar on a scalar's text as written, as a schema ``pattern`` matches."""
    if isinstance(node, Scalar) and not node.is_null:
        return pattern.search(node.text)
    return None


# --- Schema helpers ---------------------------------------------------------------------------

SCALAR_TYPES = ("string", "number", "boolean")  # what a scalar read as text may be in JSON
DEFS = "#/$defs/"


def ref(field: str) -> dict[str, str]:
    """The schema of a field by reference: every field of the table is one of ``$defs``."""
    return {"$ref": f"{DEFS}{field}"}


def or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field: its value, or null (the field left out)."""
    return {"anyOf": [schema, {"type": "null"}]}


def _strict_object(properties: dict[str, dict[str, Any]], required: Iterable[str] = ()) -> dict[str, Any]:
    """A mapping of exactly these keys; the required ones must have a value, the others may be null."""
    needed = list(required)
    return {
        "type": "object",
        "properties": {
            key: schema if key in needed else or_null(schema) for key, schema in properties.items()
        },
        "required": needed,
        "additionalProperties": False,
    }


# --- Grammars: each written once, used by the reader and stated by the schema ----------------------

NOT_BLANK = r"\S"


def _digits_up_to(largest: int) -> int:
    """How many digits the numbers up to ``largest`` have: the grammars below state a limit as
    a number of digits, so it must be all nines (``limits.MAX_COUNT``, ``limits.MAX_PHASE``)."""
    digits = len(str(largest))
    if largest != 10**digits - 1:
        raise RuntimeError(f"the report-file grammar states limits as digits: {largest} must be all nines")
    return digits


_COUNT_DIGITS = _digits_up_to(MAX_COUNT)
_PHASE_DIGITS = _digits_up_to(MAX_PHASE)
_DAY_AFTER_DIGITS = _digits_up_to(MAX_DAY_AFTER)
# 14000 or 14,000 (commas group by threes), at most MAX_COUNT (leading zeros aside).
_NUMBER = rf"(?:[0-9]{{1,3}}(?:,[0-9]{{3}}){{1,{(_COUNT_DIGITS - 1) // 3}}}|0*[0-9]{{1,{_COUNT_DIGITS}}})"
WHOLE_NUMBER = re.compile(rf"^\s*({_NUMBER})\s*$")
NEGATIVE_NUMBER = re.compile(rf"^\s*-\s*({_NUMBER})\s*$")  # only to say what is wrong with it
COUNT_TEXT = re.compile(rf"^\s*({_NUMBER})(?:\s*[-\u2013]\s*({_NUMBER}))?\s*$")  # 4, 14,000-18,000
PHASE_NUMBER = re.compile(rf"^\s*0*[1-9][0-9]{{0,{_PHASE_DIGITS - 1}}}\s*$")
DAY_AFTER_NUMBER = re.compile(rf"^\s*0*[1-9][0-9]{{0,{_DAY_AFTER_DIGITS - 1}}}\s*$")
_ANY_DIGITS = re.compile(r"[0-9][0-9,]*")  # a number of any length, to say that it is too long


def whole(digits: str) -> int:
    """The value of digits a grammar above matched (commas, leading zeros and all): never more
    than a few digits are converted, so Python's limit on long numbers is never reached."""
    return int(digits.replace(",", "").lstrip("0") or "0")


def _number_problem(node: Node, largest: int, what: str) -> str | None:
    """Why a scalar is not a number up to ``largest``, when it is one written in digits that is
    too large, or is written in digits other than 0-9; else None."""
    if not isinstance(node, Scalar) or node.is_null:
        return None
    for run in _ANY_DIGITS.findall(node.text):
        digits = run.replace(",", "").lstrip("0")
        if len(digits) > len(str(largest)) or (digits and int(digits) > largest):
            return f"{what} is at most {largest:,}, got {shown(node.text.strip())}"
    if any(char.isdigit() and not "0" <= char <= "9" for char in node.text):
        return f"expected {what} in the digits 0-9, got {shown(node.text.strip())}"
    return None


def _year_digits(first: int, last: int) -> tuple[str, str]:
    """The grammar of the years from ``first`` to ``last`` (whole centuries), and of their leap
    days: regular expressions over the centuries, so that the schema states the limits."""
    if first % 100 or (last + 1) % 100 or not 1 <= first <= last <= 9999:
        raise RuntimeError(f"the years {first}..{last} must be whole centuries of four-digit years")
    centuries = _digit_classes(range(first // 100, (last + 1) // 100))
    year = rf"{centuries}[0-9]{{2}}"
    leap = rf"{centuries}(?:0[48]|[2468][048]|[13579][26])"
    leap_centuries = [century for century in range(first // 100, (last + 1) // 100) if century % 4 == 0]
    if leap_centuries:
        leap = rf"(?:{leap}|{_digit_classes(leap_centuries)}00)"
    return year, rf"{leap}-02-29"


def _digit_classes(numbers: Iterable[int]) -> str:
    """Two-digit numbers as a regular expression, by their first digit: ``(?:1[0-9]|2[0-9])``."""
    by_first: dict[int, list[int]] = {}
    for number in numbers:
        by_first.setdefault(number // 10, []).append(number % 10)
    parts = [
        f"{first}[0-9]" if seconds == list(range(10)) else f"{first}[{''.join(map(str, seconds))}]"
        for first, seconds in by_first.items()
    ]
    return f"(?:{'|'.join(parts)})"


_YEAR, _LEAP_DAY = _year_digits(MIN_YEAR, MAX_YEAR)
_MONTH = r"(?:0[1-9]|1[0-2])"
_MONTH_DAY = (
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"  # days every month has
    r"|(?:0[13-9]|1[0-2])-(?:29|30)"  # 29 and 30: every month but February
    r"|(?:0[13578]|1[02])-31)"
)
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_DAY}|{_YEAR}-{_MONTH}|{_YEAR})"  # a real day, a month, a year
ONE_DATE = re.compile(rf"^\s*{_DATE}\s*$")
DATE_OR_SPAN = re.compile(rf"^\s*{_DATE}(?:\s*/\s*{_DATE})?\s*$")  # 2019-08-24/2019-08-27, 2019/2020
YEAR_NUMBER: dict[str, Any] = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}  # 2019


def _caseless(word: str) -> str:
    """A regular expression for a lower-case word in any case, without flags (JSON Schema has none)."""
    return "".join(f"[{char}{char.upper()}]" if "a" <= char <= "z" else char for char in word)


def _one_of(words: Iterable[str]) -> str:
    return "(?:" + "|".join(_caseless(word) for word in sorted(words, key=len, reverse=True)) + ")"


# The phrases ``domain.relative_dates`` resolves (docs/data-format.md, "Dates"), from its word
# lists: "yesterday", "on Saturday night", "3 days ago", "over three weeks ago", "in August",
# "July 7", "early July", "at the end of June". A phrase this grammar accepts can still fail to
# resolve ("February 30"): the reader says so; the schema cannot know.
_FILLER = _one_of(["on", "at", "in", "just", "last", "this past", "the"])
_MONTH_NAME = _one_of(MONTHS)
_AGO = (
    rf"(?:{_caseless('just')}\s+)?(?:{_one_of(['over', 'more than'])}\s+)?"
    rf"(?:[0-9]+|{_one_of(NUMBERS)})\s+{_one_of(['day', 'week'])}[sS]?\s+{_caseless('ago')}"
)
_NAMED_DAY = (
    rf"(?:{_FILLER}\s+)*"
    rf"(?:{_one_of(['today', 'yesterday'])}|{_one_of(WEEKDAYS)}|{_MONTH_NAME}"
    rf"|{_one_of(['early', 'mid', 'late', 'end of'])}[\s-]+{_MONTH_NAME}"
    rf"|{_MONTH_NAME}\s+(?:0?[1-9]|[12][0-9]|3[01])(?:{_one_of(['st', 'nd', 'rd', 'th'])})?)"
    rf"(?:\s+{_one_of(['morning', 'afternoon', 'evening', 'night'])})?"
)
RELATIVE_DATE = re.compile(rf"^\s*(?:{_AGO}|{_NAMED_DAY})\.*\s*$")

# report-key/action-id (the key may contain slashes: the id follows the last one), or action-id;
# on one line (``limits.KEY``, ``limits.ID``). The length of each part the reader checks.
_ONE_LINE = KEY.forbidden[1:-1]
REFERENCE = re.compile(rf"^\s*(?=\S)(?!/[^/]*$)[^{_ONE_LINE}]*[^/\s{_ONE_LINE}]\s*$")
REFERENCE_LENGTH = KEY.max_length + 1 + ID.max_length  # as written: the schema's maxLength


def _string(pattern: re.Pattern[str]) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern.pattern}


# --- Kinds of field values -----------------------------------------------------------------------


class Kind(ABC):
    """One kind of field value: how the reader reads it, and the JSON Schema of what it accepts."""

    @abstractmethod
    def read(self, node: Node, context: Context) -> Any:
        """The value of a node that has one (never called with null: that is the field left out);
        FieldError, with the line of the offending node, saying what was expected."""

    @abstractmethod
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of exactly what :meth:`read` accepts, but for what a schema cannot check."""


@frozen
class Text(Kind):
    """Text that is not blank, within its limit (``limits``: an id, a name, a quote, ...); a
    number or true/false is the text it is written as."""

    limit: TextLimit = LABEL

    def read(self, node: Node, context: Context) -> str:
        return scalar_text(node, self.limit)

    def schema(self) -> dict[str, Any]:
        return text_schema(self.limit)


@frozen
class Notes(Kind):
    """Free text the reader keeps nowhere (``notes``): any scalar, even empty, within
    ``limits.NOTES``."""

    def read(self, node: Node, context: Context) -> str:
        if not isinstance(node, Scalar):
            raise FieldError(f"expected text, got {describe(node)}", node.line)
        problem = text_problem(NOTES, node.text)
        if problem is not None:
            raise FieldError(problem, node.line)
        return node.text

    def schema(self) -> dict[str, Any]:
        return {
            "type": [*SCALAR_TYPES, "null"],
            "maxLength": NOTES.max_length,
            "pattern": rf"^[^{NOTES.forbidden[1:-1]}]*$",
        }


@frozen
class Choice(Kind):
    """One of a few words, exactly as listed (``killed``, ``month-part``)."""

    values: tuple[str, ...]
    what: str  # "a metric"
    convert: type[Enum] | None = None

    def read(self, node: Node, context: Context) -> Any:
        if isinstance(node, Scalar) and not node.is_null and node.text in self.values:
            return node.text if self.convert is None else self.convert(node.text)
        listed = ", ".join(self.values)
        expected = repr(listed) if len(self.values) == 1 else f"{self.what} ({listed})"
        raise FieldError(f"expected {expected}, got {describe(node)}", node.line)

    def schema(self) -> dict[str, Any]:
        if len(self.values) == 1:
            return {"const": self.values[0]}
        return {"enum": list(self.values)}


def choice_of(enum: type[Enum], what: str) -> Choice:
    return Choice(tuple(str(member.value) for member in enum), what, enum)


@frozen
class WholeNumber(Kind):
    """A whole number from ``minimum`` to ``maximum``, written as a number or as text (``"2"``);
    ``pattern`` states both."""

    pattern: re.Pattern[str]
    minimum: int
    maximum: int
    what: str

    def read(self, node: Node, context: Context) -> int:
        if _matching(node, self.pattern) and isinstance(node, Scalar):
            return whole(node.text.strip())
        problem = _number_problem(node, self.maximum, self.what)
        raise FieldError(problem or f"expected {self.what}, got {describe(node)}", node.line)

    def schema(self) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "integer", "minimum": self.minimum, "maximum": self.maximum},
                _string(self.pattern),
            ]
        }


COUNT_PARTS = ("low", "best", "high")


def _signed_whole(node: Node) -> int:
    """A whole number of a count; a negative one too, for the count to say why it cannot be."""
    if match := _matching(node, WHOLE_NUMBER):
        return whole(match[1])
    if match := _matching(node, NEGATIVE_NUMBER):
        return -whole(match[1])
    problem = _number_problem(node, MAX_COUNT, "a count")
    raise FieldError(problem or f"expected a whole number, got {describe(node)}", node.line)


@frozen
class Count(Kind):
    """An estimate: ``4``, a range ``14000-18000`` or ``14,000-18,000`` with no best, or a
    mapping ``{low, best, high}``."""

    def read(self, node: Node, context: Context) -> Estimate:
        try:
            if isinstance(node, Mapping):
                entries = present(node)
                if "about" in entries:
                    return self._about(node, entries)
                if "unknown" in entries:
                    return self._unknown(node, entries)
                if set(node.entries) - set(COUNT_PARTS) or not {"low", "high"} <= set(entries):
                    raise FieldError("expected a mapping with low, high and optionally best", node.line)
                numbers = {key: _signed_whole(value) for key, value in entries.items()}
                return Estimate(numbers["low"], numbers.get("best"), numbers["high"])
            if match := _matching(node, COUNT_TEXT):
                low = whole(match[1])
                if match[2] is None:
                    return Estimate.exactly(low)
                return Estimate.between(low, whole(match[2]))
            if match := _matching(node, NEGATIVE_NUMBER):
                return Estimate.exactly(-whole(match[1]))  # says it cannot be negative
        except FieldError:
            raise
        except ValueError as error:  # low > high, best outside them, a negative number
            raise FieldError(str(error), node.line) from error
        raise FieldError(
            _number_problem(node, MAX_COUNT, "a count")
            or f"expected a whole number like 4 or a range like 14000-18000, got {describe(node)}",
            node.line,
        )

    @staticmethod
    def _about(node: Mapping, entries: dict[str, Node]) -> Estimate:
        """``{about: 20}``, or ``{about: 20, low: 15, high: 30}``: approximately, the bounds the
        source states or the rule's (``domain.counts``)."""
        if set(node.entries) - {"about", "low", "high"}:
            raise FieldError("expected a mapping with about, and optionally low and high", node.line)
        numbers = {key: _signed_whole(value) for key, value in entries.items()}
        return Estimate.about(numbers["about"], numbers.get("low"), numbers.get("high"))

    @staticmethod
    def _unknown(node: Mapping, entries: dict[str, Node]) -> Estimate:
        """``{unknown: dozens}``: a count with no figure, counted by the convention for its word."""
        word = entries["unknown"]
        if (
            set(node.entries) != {"unknown"}
            or not isinstance(word, Scalar)
            or word.text not in UNKNOWN_COUNTS
        ):
            raise FieldError(
                f"expected a mapping with only unknown: one of {', '.join(UNKNOWN_COUNTS)}", node.line
            )
        return Estimate.by_convention(word.text)

    def schema(self) -> dict[str, Any]:
        part = WholeNumber(WHOLE_NUMBER, 0, MAX_COUNT, "a whole number").schema()
        return {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
                _string(COUNT_TEXT),
                _strict_object(dict.fromkeys(COUNT_PARTS, part), required=("low", "high")),
                _strict_object(dict.fromkeys(("about", "low", "high"), part), required=("about",)),
                _strict_object({"unknown": {"enum": list(UNKNOWN_COUNTS)}}, required=("unknown",)),
            ]
        }


PRECISION = choice_of(Precision, "a precision")


_WIDE_DATE = re.compile(r"^\s*[0-9]{4}(?:-[0-9]{2}){0,2}(?:\s*/\s*[0-9]{4}(?:-[0-9]{2}){0,2})?\s*$")


def _year_problem(node: Node) -> str | None:
    """Why an ISO date (or span) is refused, when it is for a year outside the limits."""
    if not isinstance(node, Scalar) or node.is_null or not _WIDE_DATE.search(node.text):
        return None
    for year in re.findall(r"(?<![0-9-])[0-9]{4}", node.text):
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            return f"the year {year} is not between {MIN_YEAR} and {MAX_YEAR}, got {shown(node.text.strip())}"
    return None


def _one_date(node: Node) -> DateSpan:
    if _matching(node, ONE_DATE) and isinstance(node, Scalar):
        return DateSpan.parse(node.text)
    raise FieldError(
        _year_problem(node) or f"expected a date like 2019-08-24, 2019-08 or 2019, got {describe(node)}",
        node.line,
    )


@frozen
class Span(Kind):
    """A span of days: ``2019-08-24``, ``2019-08``, ``2019``, two of them joined by ``/``, or
    ``{from, to, precision}``; with ``relative``, also a relative date (``on Saturday``), which
    resolves against ``source.published``."""

    relative: bool

    def read(self, node: Node, context: Context) -> DateSpan:
        span = self._read(node, context)
        if self.relative and context.published is not None:  # when an action occurred
            flag = occurred_after_publication(span, context.published)
            if flag is not None:
                context.note(node.line, f"{flag} (kept as written)")
        return span

    def _read(self, node: Node, context: Context) -> DateSpan:
        try:
            if isinstance(node, Mapping) and self.relative and "after" in node.entries:
                return self._after(node, context)
            if isinstance(node, Mapping):
                return self._mapping(node, context)
            if _matching(node, DATE_OR_SPAN) and isinstance(node, Scalar):
                return DateSpan.parse(node.text)
        except FieldError:
            raise
        except ValueError as error:  # a span that ends before it starts
            raise FieldError(str(error), node.line) from error
        if self.relative and _matching(node, RELATIVE_DATE) and isinstance(node, Scalar):
            return self._resolved(node, context)
        raise FieldError(
            _year_problem(node) or f"expected {self._expected()}, got {describe(node)}", node.line
        )

    def _expected(self) -> str:
        explicit = "an ISO date (2019-08-24, 2019-08-24/2019-08-27, 2019-08, 2019)"
        if not self.relative:
            return f"{explicit} or a mapping with from, to and optionally precision"
        return (
            f"{explicit}, a mapping with from, to and optionally precision, a relative date "
            f"({SUPPORTED}), or a date after another action ({AFTER_FORMS})"
        )

    def _after(self, node: Mapping, context: Context) -> DateSpan:
        """``{after: ID, day: N}`` or ``{after: ID, weekday: Monday}``: told from the span of the
        action ``ID`` of this report (itself read as its entry states it: a date, a relative
        date, or a date after yet another action)."""
        entries = present(node)
        keys = set(node.entries)
        if keys - set(AFTER_KEYS) or "after" not in entries or len(set(entries) & {"day", "weekday"}) != 1:
            raise FieldError(
                f"expected a mapping with after and one of day, weekday ({AFTER_FORMS})", node.line
            )
        anchor_id = scalar_text(entries["after"], ID)
        if "day" in entries:
            day, weekday = DAY_AFTER.read(entries["day"], context), None
        else:
            day, weekday = None, WEEKDAY.read(entries["weekday"], context)
        anchor = context.occurred_by_id.get(anchor_id)
        if anchor is None:
            known = ", ".join(repr(key) for key in context.occurred_by_id if key not in context.dating[-1:])
            raise FieldError(
                f"no action {anchor_id!r} in this report to date from; expected the id of another "
                f"action of this report ({known or 'it has no other'})",
                entries["after"].line,
            )
        if anchor_id in context.dating:
            cycle = " -> ".join([*context.dating[context.dating.index(anchor_id) :], anchor_id])
            raise _CircularDatesError(
                f"the dates refer to one another in a circle ({cycle})", entries["after"].line
            )
        context.dating.append(anchor_id)
        try:
            span = self._read(anchor, context)
        except _CircularDatesError as error:
            raise _CircularDatesError(str(error), entries["after"].line) from None
        except FieldError:
            raise FieldError(
                f"cannot date from {anchor_id!r}: its occurred (line {anchor.line}) is not valid",
                entries["after"].line,
            ) from None
        finally:
            context.dating.pop()
        try:
            return after_action(span, day=day, weekday=weekday)
        except ValueError as error:
            raise FieldError(str(error), node.line) from None

    @staticmethod
    def _mapping(node: Mapping, context: Context) -> DateSpan:
        entries = present(node)
        if set(node.entries) - {"from", "to", "precision"} or not {"from", "to"} <= set(entries):
            raise FieldError("expected a mapping with from, to and optionally precision", node.line)
        start = _one_date(entries["from"]).start
        end = _one_date(entries["to"]).end
        if "precision" not in entries:
            return DateSpan(start, end)
        return DateSpan(start, end, PRECISION.read(entries["precision"], context))

    @staticmethod
    def _resolved(node: Scalar, context: Context) -> DateSpan:
        text = node.text.strip()
        if context.published is None:
            raise FieldError(
                f"{text!r} is a relative date, and relative dates need source.published", node.line
            )
        try:
            return resolve_relative(text, context.published)
        except (ValueError, OverflowError) as error:
            raise FieldError(
                f"the relative date {text!r} does not resolve against the publication date "
                f"{context.published}: {error}",
                node.line,
            ) from None

    def schema(self) -> dict[str, Any]:
        day: dict[str, Any] = {"anyOf": [YEAR_NUMBER, _string(ONE_DATE)]}
        mapping = _strict_object({"from": day, "to": day, "precision": PRECISION.schema()}, ("from", "to"))
        forms = [YEAR_NUMBER, _string(DATE_OR_SPAN), mapping]
        if self.relative:
            forms.insert(2, _string(RELATIVE_DATE))
            after = text_schema(ID)
            left_out = {"type": "null"}
            forms.append(
                _strict_object(
                    {"after": after, "day": DAY_AFTER.schema(), "weekday": left_out}, ("after", "day")
                )
            )
            forms.append(
                _strict_object(
                    {"after": after, "day": left_out, "weekday": WEEKDAY.schema()}, ("after", "weekday")
                )
            )
        return {"anyOf": forms}


class _CircularDatesError(FieldError):
    """Dates told from one another in a circle: told at the line of each entry on it."""


AFTER_KEYS = ("after", "day", "weekday")
AFTER_FORMS = (
    "{after: ACTION-ID, day: N}, the N-th day from that action's, or {after: ACTION-ID, weekday: Monday}"
)
DAY_AFTER = WholeNumber(DAY_AFTER_NUMBER, 1, MAX_DAY_AFTER, "a day number (1 is the other action's day)")
WEEKDAY = Choice(tuple(calendar.day_name), "a weekday")


@frozen
class NameOf(Kind):
    """An actor or operation name, resolved through the aliases (an unknown one is kept, flagged)."""

    index: str  # "actor" or "operation": which names of the aliases

    def read(self, node: Node, context: Context) -> Name:
        written = scalar_text(node, NAME)
        try:
            name = (
                context.names.operation(written)
                if self.index == "operation"
                else context.names.actor(written)
            )
        except BoundsError as error:  # a canonical name of the aliases past the limit of a name
            raise FieldError(str(error), node.line) from None
        if not name.known:
            near = ", ".join(repr(found) for found in context.names.near_names(self.index, written))
            hint = f"; did you mean {near}?" if near else ""
            context.note(
                node.line, f"{self.index} {name.written!r} is not in the alias data{hint} (kept as written)"
            )
        return name

    def schema(self) -> dict[str, Any]:
        return text_schema(NAME)


PLACE_KEYS = ("name", "qualifier", "within", "point")
# A coordinate as the reader reads it: a decimal number (an exponent too, as JSON may write one).
DEGREES = re.compile(r"^\s*-?(?:[0-9]{1,3}(?:\.[0-9]{1,20})?|[0-9](?:\.[0-9]{1,20})?[eE][-+]?[0-9]{1,2})\s*$")


@frozen
class Degrees(Kind):
    """A longitude or a latitude in WGS 84 degrees (``44.27``), from ``-limit`` to ``limit``."""

    limit: float
    what: str  # "a longitude"

    def read(self, node: Node, context: Context) -> float:
        if _matching(node, DEGREES) and isinstance(node, Scalar):
            value = float(node.text)
            if -self.limit <= value <= self.limit:
                return value
            raise FieldError(
                f"{self.what} is between {-self.limit:g} and {self.limit:g}, got {shown(node.text.strip())}",
                node.line,
            )
        raise FieldError(f"expected {self.what} in degrees (44.27), got {describe(node)}", node.line)

    def schema(self) -> dict[str, Any]:
        return {
            "anyOf": [{"type": "number", "minimum": -self.limit, "maximum": self.limit}, _string(DEGREES)]
        }


LONGITUDE = Degrees(180.0, "a longitude")
LATITUDE = Degrees(90.0, "a latitude")


@frozen
class PointOf(Kind):
    """``{lon, lat}``: where the source says it is."""

    def read(self, node: Node, context: Context) -> Point:
        entries = present(node) if isinstance(node, Mapping) else {}
        if not isinstance(node, Mapping) or set(node.entries) != {"lon", "lat"} or len(entries) != 2:
            raise FieldError(f"expected a mapping with lon and lat, got {describe(node)}", node.line)
        return Point(LONGITUDE.read(entries["lon"], context), LATITUDE.read(entries["lat"], context))

    def schema(self) -> dict[str, Any]:
        return _strict_object({"lon": LONGITUDE.schema(), "lat": LATITUDE.schema()}, ("lon", "lat"))


POINT = PointOf()


@frozen
class PlaceOf(Kind):
    """A place as written, or ``{name, qualifier, within, point}``, resolved through the
    gazetteer (or flagged); ``within`` a unit's name, alias or P-code, where the place lies."""

    def read(self, node: Node, context: Context) -> Place:
        qualifier = within = point = None
        if isinstance(node, Mapping):
            entries = present(node)
            if set(node.entries) - set(PLACE_KEYS) or "name" not in entries:
                raise FieldError(
                    "expected a place name, or a mapping with name and optionally qualifier, within, point",
                    node.line,
                )
            written = scalar_text(entries["name"], NAME)
            if "qualifier" in entries:
                qualifier = scalar_text(entries["qualifier"], NAME)
            if "within" in entries:
                within = scalar_text(entries["within"], NAME)
            if "point" in entries:
                point = POINT.read(entries["point"], context)
        else:
            written = scalar_text(node, NAME)
        try:
            resolution = context.names.place(written, qualifier, within)
        except BoundsError as error:  # a unit of the gazetteer past the limits
            raise FieldError(str(error), node.line) from None
        if resolution.note:
            context.note(node.line, f"{resolution.note} (kept as written)")
        return resolution.place if point is None else attrs.evolve(resolution.place, point=point)

    def schema(self) -> dict[str, Any]:
        text = text_schema(NAME)
        mapping = _strict_object(
            {"name": text, "qualifier": text, "within": text, "point": POINT.schema()}, ("name",)
        )
        return {"anyOf": [text, mapping]}


@frozen
class Reference(Kind):
    """``report-key/action-id``, or a bare ``action-id`` of this report."""

    def read(self, node: Node, context: Context) -> ActionRef:
        if _matching(node, REFERENCE) and isinstance(node, Scalar):
            try:
                return ActionRef.parse(node.text, context.key)
            except BoundsError as error:  # the key or the id past its limit
                raise FieldError(error.problem, node.line) from None
        raise FieldError(f"expected report-key/action-id or action-id, got {describe(node)}", node.line)

    def schema(self) -> dict[str, Any]:
        return {"type": list(SCALAR_TYPES), "maxLength": REFERENCE_LENGTH, "pattern": REFERENCE.pattern}


@frozen
class ListOf(Kind):
    """A list of values of one kind; unless ``only_lists``, one value alone is a list of one."""

    item: Kind
    what: str  # "names", for "expected a list of names"
    only_lists: bool = False
    min_items: int = 0
    unique: bool = False  # each value once (the schema's uniqueItems compares them as written)

    def read(self, node: Node, context: Context) -> list[Any]:
        if isinstance(node, Sequence):
            values = [self.item.read(item, context) for item in node.items]
            if self.unique:
                for index, (item, value) in enumerate(zip(node.items, values, strict=True)):
                    if value in values[:index]:
                        raise FieldError(f"{describe(item)} is listed twice", item.line)
            return values
        if self.only_lists:
            raise FieldError(f"expected a list of {self.what}, got {describe(node)}", node.line)
        return [self.item.read(node, context)]

    def schema(self) -> dict[str, Any]:
        array: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            array["minItems"] = self.min_items
        if self.unique:
            array["uniqueItems"] = True
        return array if self.only_lists else {"anyOf": [self.item.schema(), array]}


@frozen
class Changes(Kind):
    """``changes: {count: 2}`` of a correction: each field read exactly as the field of an action
    is; ``null`` removes an optional one."""

    def read(self, node: Node, context: Context) -> list[FieldChange]:
        if not isinstance(node, Mapping) or not node.entries:
            raise FieldError(
                f"expected a mapping of fields to their corrected values, got {describe(node)}", node.line
            )
        correctable = correctable_fields()
        changes = []
        for name, child in node.entries.items():
            if name not in correctable:
                raise FieldError(
                    f"cannot correct {name!r}{did_you_mean(name, correctable)}; "
                    f"correctable fields: {', '.join(correctable)}",
                    child.line,
                )
            if is_null(child):
                changes.append(FieldChange(name, None))
                continue
            try:
                changes.append(FieldChange(name, ACTION_FIELDS[name].kind.read(child, context)))
            except FieldError as error:
                raise FieldError(f"{name}: {error}", error.line) from error
        return changes

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {name: or_null(ref(name)) for name in correctable_fields()},
            "additionalProperties": False,
            "minProperties": 1,
        }


@frozen
class SplitOfKind(Kind):
    """``split_of: {statement, stated}`` (export bundles only): the split total a part belongs to."""

    def read(self, node: Node, context: Context) -> SplitOf:
        keys = {"statement", "stated"}
        entries = present(node) if isinstance(node, Mapping) else {}
        if not isinstance(node, Mapping) or set(node.entries) != keys or set(entries) != keys:
            raise FieldError("expected a mapping with statement and stated", node.line)
        return SplitOf(scalar_text(entries["statement"], ID), Count().read(entries["stated"], context))

    def schema(self) -> dict[str, Any]:
        return _strict_object(
            {"statement": text_schema(ID), "stated": Count().schema()}, ("statement", "stated")
        )


def stated(key: str) -> dict[str, Any]:
    """The schema of a mapping in which ``key`` has a value (null is the key left out)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


AREA_NUMBER = WholeNumber(WHOLE_NUMBER, 0, MAX_COUNT, "a whole number")


@frozen
class ExtentOf(Kind):
    """``extent: {places: 25, of: villages, km2: 1702}``: how large an area is, as the source
    numbers it (either or both of a number of places and an area in whole km2)."""

    def read(self, node: Node, context: Context) -> Extent:
        keys = {"places", "of", "km2"}
        if not isinstance(node, Mapping) or set(node.entries) - keys:
            raise FieldError(
                f"expected a mapping with places and of, km2, or both, got {describe(node)}", node.line
            )
        entries = present(node)
        places = AREA_NUMBER.read(entries["places"], context) if "places" in entries else None
        of = scalar_text(entries["of"]) if "of" in entries else None
        km2 = AREA_NUMBER.read(entries["km2"], context) if "km2" in entries else None
        try:
            return Extent(places=places, of=of, square_km=km2)
        except ValueError as error:
            raise FieldError(str(error), node.line) from None

    def schema(self) -> dict[str, Any]:
        number = AREA_NUMBER.schema()
        return {
            **_strict_object({"places": number, "of": text_schema(LABEL), "km2": number}),
            "anyOf": [stated("places"), stated("km2")],
            "allOf": [
                {"if": stated("places"), "then": stated("of")},
                {"if": stated("of"), "then": stated("places")},
            ],
        }


@frozen
class OriginalOf(Kind):
    """``via: {outlet, url, published}``: the report a republication reprints (outlet required)."""

    def read(self, node: Node, context: Context) -> Original:
        keys = {"outlet", "url", "published"}
        if not isinstance(node, Mapping) or set(node.entries) - keys or "outlet" not in present(node):
            raise FieldError(
                f"expected a mapping with outlet, and optionally url and published, got {describe(node)}",
                node.line,
            )
        entries = present(node)
        return Original(
            outlet=scalar_text(entries["outlet"], NAME),
            url=scalar_text(entries["url"], URL) if "url" in entries else None,
            published=Span(relative=False).read(entries["published"], context)
            if "published" in entries
            else None,
        )

    def schema(self) -> dict[str, Any]:
        properties = {
            "outlet": text_schema(NAME),
            "url": text_schema(URL),
            "published": Span(relative=False).schema(),
        }
        return _strict_object(properties, ("outlet",))


def did_you_mean(written: str | None, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(written or "", list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- CSV cells: how the action table holds a field ------------------------------------------------

LIST_SEPARATOR = "; "
CellValue = str | int | float | None


class CellError(ValueError):
    """Cells of one row that do not fit together (told by the row's line and the column)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@frozen
class Row:
    """One row of an action table, with the line it starts on."""

    cells: dict[str, str]
    line: int

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def scalar(self, column: str) -> Scalar | None:
        text = self.text(column)
        return Scalar(text, self.line) if text else None

    def items(self, column: str) -> list[str]:
        text = self.text(column)
        return [item.strip() for item in text.split(";")] if text else []


def cell_text(value: object) -> str | int | None:
    """A value as one cell: names canonical, a metric its word, a place as written."""
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Name):
        return value.canonical
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Place):
        return value.written
    raise TypeError(f"no cell for a {type(value).__name__}")


class Cells(ABC):
    """The columns of the action table a field is written to and read from."""

    @property
    @abstractmethod
    def columns(self) -> tuple[str, ...]: ...

    @abstractmethod
    def write(self, value: Any) -> dict[str, CellValue]:
        """The cells of a value (None: the field is absent)."""

    @abstractmethod
    def read(self, row: Row) -> Node | None:
        """The cells as the tree a report file would state (None: absent); CellError if they
        do not fit together."""

    def unwritable(self, value: Any) -> list[str]:
        """What of a value these cells could not give back."""
        return []


@frozen
class OneCell(Cells):
    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def write(self, value: Any) -> dict[str, CellValue]:
        return {self.column: cell_text(value)}

    def read(self, row: Row) -> Node | None:
        return row.scalar(self.column)


@frozen
class SpanCells(Cells):
    """``2019-08-24/2019-08-27`` and its precision; without a precision, read as a report file
    reads the date alone (a relative date resolves)."""

    column: str
    precision: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.precision)

    def write(self, value: DateSpan | None) -> dict[str, CellValue]:
        if value is None:
            return {self.column: None, self.precision: None}
        return {self.column: str(value), self.precision: value.precision.value}

    def read(self, row: Row) -> Node | None:
        text = row.text(self.column)
        precision = row.scalar(self.precision)
        if not text or precision is None:
            return row.scalar(self.column)
        start, _, end = text.partition("/")
        return Mapping(
            {"from": Scalar(start, row.line), "to": Scalar(end or start, row.line), "precision": precision},
            row.line,
        )


@frozen
class CountCells(Cells):
    """``count_low``, ``count_best``, ``count_high``; a best figure alone is an exact count;
    ``count_given``: ``approximate``, or the word of an unknown count (``dozens``), if either."""

    prefix: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(f"{self.prefix}_{part}" for part in COUNT_PARTS), f"{self.prefix}_given")

    def write(self, value: Estimate | None) -> dict[str, CellValue]:
        if value is None:
            return dict.fromkeys(self.columns)
        given = value.unknown or ("approximate" if value.approximate else None)
        return dict(zip(self.columns, (value.low, value.best, value.high, given), strict=True))

    def read(self, row: Row) -> Node | None:
        parts = zip(COUNT_PARTS, self.columns, strict=False)
        cells = {part: row.scalar(column) for part, column in parts}
        given = row.scalar(self.columns[-1])
        if given is not None and given.text in UNKNOWN_COUNTS:
            return Mapping({"unknown": given}, row.line)
        if given is not None and given.text == "approximate":
            about = {"about": cells["best"], "low": cells["low"], "high": cells["high"]}
            return Mapping(
                {key: node or Scalar("", row.line, is_null=True) for key, node in about.items()}, row.line
            )
        if given is not None:
            raise CellError(
                self.columns[-1],
                f"expected approximate or one of {', '.join(UNKNOWN_COUNTS)}, got {given.text!r}",
            )
        if cells["low"] is None and cells["high"] is None:
            return cells["best"]
        return Mapping({part: node for part, node in cells.items() if node is not None}, row.line)


def _separated(column: str, values: Iterable[str]) -> list[str]:
    return [
        f"{column}: {value!r} contains ';', which separates the items of a cell"
        for value in values
        if ";" in value
    ]


@frozen
class ListCell(Cells):
    """The items of a list joined with ``; `` (an item containing ``;`` cannot be written)."""

    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def write(self, value: tuple[Any, ...] | None) -> dict[str, CellValue]:
        return {self.column: LIST_SEPARATOR.join(str(cell_text(item)) for item in value or ()) or None}

    def read(self, row: Row) -> Node | None:
        items = row.items(self.column)
        return Sequence(tuple(Scalar(item, row.line) for item in items), row.line) if items else None

    def unwritable(self, value: tuple[Any, ...] | None) -> list[str]:
        return _separated(self.column, (str(cell_text(item)) for item in value or ()))


def _place_node(
    name: Scalar | None, qualifier: Scalar | None, line: int, within: Scalar | None = None
) -> Node | None:
    if name is None or (qualifier is None and within is None):
        return name
    entries: dict[str, Node] = {"name": name}
    if qualifier is not None:
        entries["qualifier"] = qualifier
    if within is not None:
        entries["within"] = within
    return Mapping(entries, line)


@frozen
class PlaceCells(Cells):
    """A place as written, its qualifier, and where it lies as written (one qualifier column and
    one within column serve ``place`` and ``area``: an action has one or the other)."""

    column: str
    qualifier: str = "place_qualifier"
    within: str = "place_within"

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.qualifier, self.within)

    def write(self, value: Place | None) -> dict[str, CellValue]:
        if value is None:
            return {self.column: None, self.qualifier: None, self.within: None}
        within = value.within.written if value.within is not None else None
        return {self.column: value.written, self.qualifier: value.qualifier, self.within: within}

    def read(self, row: Row) -> Node | None:
        return _place_node(
            row.scalar(self.column), row.scalar(self.qualifier), row.line, row.scalar(self.within)
        )


@frozen
class PlacesCells(Cells):
    """Places joined with ``; ``, and their qualifiers (one per place, empty ones included; the
    column is empty when none has one). Stated coordinates have no cell here."""

    column: str
    qualifiers: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.qualifiers)

    def write(self, value: tuple[Place, ...] | None) -> dict[str, CellValue]:
        places = value or ()
        qualified = any(place.qualifier for place in places)
        return {
            self.column: LIST_SEPARATOR.join(place.written for place in places) or None,
            self.qualifiers: LIST_SEPARATOR.join(place.qualifier or "" for place in places)
            if qualified
            else None,
        }

    def read(self, row: Row) -> Node | None:
        names = row.items(self.column)
        qualifiers = row.items(self.qualifiers) or [""] * len(names)
        if len(qualifiers) != len(names):
            raise CellError(
                self.qualifiers,
                f"expected one qualifier (or an empty one) per region: {len(names)}, got {len(qualifiers)}",
            )
        if not names:
            return None
        places = [
            _place_node(Scalar(name, row.line), Scalar(qualifier, row.line) if qualifier else None, row.line)
            for name, qualifier in zip(names, qualifiers, strict=True)
        ]
        return Sequence(tuple(place for place in places if place is not None), row.line)

    def unwritable(self, value: tuple[Place, ...] | None) -> list[str]:
        places = value or ()
        found = _separated(self.column, (place.written for place in places))
        found += _separated(self.qualifiers, (place.qualifier or "" for place in places))
        found += [
            f"{self.column}: {place.written!r} has coordinates stated by the source"
            for place in places
            if place.point is not None
        ]
        found += [
            f"{self.column}: {place.written!r} says where it lies (within {place.within.written!r})"
            for place in places
            if place.within is not None
        ]
        return found


@frozen
class SplitCells(Cells):
    """The split total a part belongs to: its statement's id and its stated count."""

    column: str
    stated: CountCells

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, *self.stated.columns)

    def write(self, value: SplitOf | None) -> dict[str, CellValue]:
        return {
            self.column: value.statement if value else None,
            **self.stated.write(value.stated if value else None),
        }

    def read(self, row: Row) -> Node | None:
        statement = row.scalar(self.column)
        stated = self.stated.read(row)
        if statement is None:
            if stated is not None or any(row.text(column) for column in self.stated.columns):
                raise CellError(self.column, "the stated total of a split needs the id of its statement")
            return None
        entries: dict[str, Node] = {
            "statement": statement,
            "stated": stated or Scalar("", row.line, is_null=True),
        }
        return Mapping(entries, row.line)


@frozen
class ExtentCells(Cells):
    """An area's extent: ``extent_places``, ``extent_of``, ``extent_km2``."""

    @property
    def columns(self) -> tuple[str, ...]:
        return ("extent_places", "extent_of", "extent_km2")

    def write(self, value: Extent | None) -> dict[str, CellValue]:
        if value is None:
            return dict.fromkeys(self.columns)
        return dict(zip(self.columns, (value.places, value.of, value.square_km), strict=True))

    def read(self, row: Row) -> Node | None:
        entries: dict[str, Node] = {
            key: node
            for key, column in zip(("places", "of", "km2"), self.columns, strict=True)
            if (node := row.scalar(column)) is not None
        }
        return Mapping(entries, row.line) if entries else None


@frozen
class ViaCells(Cells):
    """The original a republication reprints: ``via_outlet``, ``via_url``, ``via_published`` and
    its precision."""

    published: SpanCells = SpanCells("via_published", "via_published_precision")

    @property
    def columns(self) -> tuple[str, ...]:
        return ("via_outlet", "via_url", *self.published.columns)

    def write(self, value: Original | None) -> dict[str, CellValue]:
        if value is None:
            return dict.fromkeys(self.columns)
        return {"via_outlet": value.outlet, "via_url": value.url, **self.published.write(value.published)}

    def read(self, row: Row) -> Node | None:
        entries = {
            key: node
            for key, node in (
                ("outlet", row.scalar("via_outlet")),
                ("url", row.scalar("via_url")),
                ("published", self.published.read(row)),
            )
            if node is not None
        }
        return Mapping(entries, row.line) if entries else None


# --- The table ---------------------------------------------------------------------------------


@frozen
class Field:
    """One field: its kind of value, and where the action table holds it (if it does)."""

    name: str
    kind: Kind
    description: str
    cells: Cells | None = None
    in_files: bool = True  # False: export bundles and tables only (split_of)
    required: bool = False  # for source and report fields; an action's come from the catalogue
    since: int = 1  # the report-file version that added it (FORMATS)

    def schema(self) -> dict[str, Any]:
        return {"description": self.description, **self.kind.schema()}


TEXT = Text(LABEL)  # titles, aims, means, items, regions, languages: one line
ID_TEXT = Text(ID)
NAME_TEXT = Text(NAME)
QUOTE_TEXT = Text(QUOTE)
ACTOR = NameOf("actor")
PLACE = PlaceOf()
COUNT = Count()
REFERENCE_KIND = Reference()
SPLIT_OF = SplitOfKind()


def _table(*fields: Field) -> dict[str, Field]:
    return {field.name: field for field in fields}


# Every field of every kind of action and amendment, in the catalogue's order. The action
# table's cells for a field follow its kind; ``column_of`` names them in problems.
ACTION_FIELDS: dict[str, Field] = _table(
    Field(
        "id", ID_TEXT, "identity within the report; default: the position in the list", OneCell("action_id")
    ),
    Field("occurred", Span(relative=True), "when it happened", SpanCells("occurred", "precision")),
    Field("quote", QUOTE_TEXT, "the source's words that state it", OneCell("quote")),
    Field("operation", NameOf("operation"), "the operation it belongs to", OneCell("operation")),
    Field(
        "phase",
        WholeNumber(PHASE_NUMBER, 1, MAX_PHASE, "a phase number (1, 2, ...)"),
        "the phase number within the operation",
        OneCell("phase"),
    ),
    Field(
        "names", ListOf(NAME_TEXT, "names"), "every name the source uses for the operation", ListCell("names")
    ),
    Field("aim", TEXT, "what the operation is for", OneCell("aim")),
    Field("forces", ListOf(ACTOR, "actors"), "the forces taking part", ListCell("forces")),
    Field(
        "regions",
        ListOf(PLACE, "places"),
        "where the phase takes place",
        PlacesCells("regions", "region_qualifiers"),
    ),
    Field("supervisor", TEXT, "who supervises the phase", OneCell("supervisor")),
    Field("side", ACTOR, "whose people or materiel it counts", OneCell("side")),
    Field(
        "count",
        COUNT,
        "how many: 5, a range 14000-18000 (or 14,000-18,000), or low/best/high",
        CountCells("count"),
    ),
    Field("actor", ACTOR, "who did it", OneCell("actor")),
    Field("place", PLACE, "where it happened", PlaceCells("place")),
    Field("means", TEXT, "how (airstrike, raid, ...)", OneCell("means")),
    Field("item", TEXT, "what materiel", OneCell("item")),
    Field("area", PLACE, "the area whose status changes", PlaceCells("area")),
    Field("metric", choice_of(Metric, "a metric"), "what a claimed total counts", OneCell("metric")),
    Field(
        "claimant",
        ACTOR,
        "who the report says states it (a claim of responsibility, a spokesman); of a total: who claims it",
        OneCell("claimant"),
    ),
    Field("region", TEXT, "where a strength estimate applies", OneCell("region")),
    Field("estimator", TEXT, "who made the estimate", OneCell("estimator")),
    Field(
        "split_of",
        SPLIT_OF,
        "the split total a part belongs to (export bundles only)",
        SplitCells("split_of", CountCells("split_stated")),
        in_files=False,
    ),
    Field(
        "actors",
        ListOf(ACTOR, "actors"),
        "the actors of a joint action (with actor, if given: they acted together)",
        ListCell("actors"),
        since=2,
    ),
    Field("unit", choice_of(DisplacedUnit, "a unit"), "what a displacement counts", OneCell("unit"), since=2),
    Field("extent", ExtentOf(), "how large the area is: {places, of, km2}", ExtentCells(), since=2),
    Field("declared", TEXT, "what is declared (victory over ISIS, ...)", OneCell("declared"), since=2),
    # Amendments
    Field("reason", QUOTE_TEXT, "why the amendment is made"),
    Field("target", REFERENCE_KIND, "report-id/action-id, or action-id of this report"),
    Field(
        "same",
        ListOf(REFERENCE_KIND, "report-key/action-id", only_lists=True, min_items=2, unique=True),
        "two or more actions that report one incident",
    ),
    Field("changes", Changes(), "the target's fields as they should read; null removes an optional one"),
)

SOURCE_FIELDS: dict[str, Field] = _table(
    Field("outlet", NAME_TEXT, "who published the report", OneCell("outlet"), required=True),
    Field("title", TEXT, "the report's title; left out when the page has none", OneCell("title")),
    Field("url", Text(URL), "where the report is", OneCell("url"), required=True),
    Field(
        "published",
        Span(relative=False),
        "when it was published: a date, a month, a year or a span",
        SpanCells("published", "published_precision"),
        required=True,
    ),
    Field("language", TEXT, "the report's language", OneCell("language")),
    Field(
        "via",
        OriginalOf(),
        "the original a republication reprints: {outlet, url, published}",
        ViaCells(),
        since=2,
    ),
)

# The scalar fields of the top level (``source`` and ``actions`` are the structure around them).
REPORT_FIELDS: dict[str, Field] = _table(
    Field("format", Choice(FORMATS, "a format"), "if present, one of these; v1 allows no v2 field"),
    Field("id", Text(KEY), "the report's identity in the store; default: source.url", OneCell("report_id")),
    Field("notes", Notes(), "free text on encoding decisions, not interpreted"),
)

NOT_FROM_FILES = frozenset(name for name, field in ACTION_FIELDS.items() if not field.in_files)


def correctable_fields() -> list[str]:
    """The fields a correction may change: every field of an action but its identity and split."""
    names = {spec.name for cls in ACTION_KINDS.values() for spec in attrs.fields(cls)}
    return sorted(names - NOT_CORRECTABLE)


def _check_the_catalogue() -> None:
    """Every field of the catalogue has its line in the table, and the table nothing else."""
    catalogue = {spec.name for cls in ACTION_KINDS.values() for spec in attrs.fields(cls)}
    catalogue |= {spec.name for kind in AMENDMENT_KINDS.values() for spec in attrs.fields(kind)}
    if catalogue != set(ACTION_FIELDS):
        missing, extra = sorted(catalogue - set(ACTION_FIELDS)), sorted(set(ACTION_FIELDS) - catalogue)
        raise RuntimeError(f"the field table does not match the catalogue: missing {missing}, extra {extra}")


_check_the_catalogue()
