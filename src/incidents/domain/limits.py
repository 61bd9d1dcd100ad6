"""The limits of every value the log keeps: each one here, named, once (docs/data-format.md,
"Limits", says why each is what it is).

Every value object and action validates itself against these on construction
(``values.py``, ``actions.py``, ``amendments.py``), so every way into the log is bounded by
them: report files, UCDP imports, action tables and bundles, amendments made on the command
line, the step library, and any later entrypoint, since all of them construct these values. The
report-file reader (``formats.fields``) reads the same constants, so that it says the line of a
value past a limit and the JSON Schema states the limit (``maximum``, ``maxLength``,
``pattern``).

A value past a limit raises :class:`BoundsError` (a ``ValueError``, and an ``IncidentsError``),
which names the field, shows the value shortened and escaped (never a raw control character),
and states the limit.

Events recorded before a limit existed can hold values past it: such an event no longer
decodes, and the folds and the read model set it aside and report it rather than fail
(``projections.ledger``: ``Unreadable``).
"""

from __future__ import annotations

import re
from typing import Any

from attrs import frozen

from incidents.domain.errors import IncidentsError

# --- Numbers -----------------------------------------------------------------------------------

# The largest count (each of low, best and high of a stated figure). Conflict data never comes
# near it (UCDP's largest single event is in the hundreds of thousands); and the sum of every
# count of a log of a billion actions stays below 10**18, inside a signed 64-bit integer
# (9.2 * 10**18), so no sum of SQLite or PostgreSQL can overflow. All nine-digit numbers: the
# JSON Schema states it as a pattern of at most nine digits.
MAX_COUNT = 999_999_999

# The largest phase number of an operation (operations have a handful).
MAX_PHASE = 999

# The largest day number of a date told from another action ("on the 999th day of operations").
MAX_DAY_AFTER = 999

# The deepest administrative level of a gazetteer unit (OCHA's P-codes go to 4 or 5).
MAX_ADMIN_LEVEL = 9

# The years a date may fall in: whole centuries, so that the JSON Schema can state them as a
# pattern. From 1000, for historical series; to 2999, so that a mistyped year (3019, 9019) is
# refused rather than recorded. Relative dates ("3 days ago") resolve inside them or are refused.
MIN_YEAR = 1000
MAX_YEAR = 2999


# --- Texts -------------------------------------------------------------------------------------


@frozen
class TextLimit:
    """What a kind of text may hold: at most ``max_length`` characters, and no control character
    but, in free text (``lines``), newline and tab; never a lone surrogate."""

    what: str  # "a quote", for messages
    max_length: int
    lines: bool  # free text: newlines and tabs allowed

    @property
    def forbidden(self) -> str:
        """The characters this kind of text may not hold, as a regular-expression class (the
        reader and the JSON Schema use the same one)."""
        return FREE_TEXT_FORBIDDEN if self.lines else ONE_LINE_FORBIDDEN


# Control characters (Unicode's Cc: C0, DEL, C1) and lone surrogates (text from a broken
# encoding: no character at all, and no database stores one).
_CONTROLS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_SURROGATES = r"\ud800-\udfff"
FREE_TEXT_FORBIDDEN = f"[{_CONTROLS}{_SURROGATES}]"
# Names and ids are one line: no newline or tab either, nor Unicode's line and paragraph
# separators.
ONE_LINE_FORBIDDEN = rf"[\t\n{_CONTROLS}\u2028\u2029{_SURROGATES}]"

ID = TextLimit("an id", 200, lines=False)  # of an action or amendment, in its report
KEY = TextLimit("a report key", 2048, lines=False)  # a report's id, by default its URL
URL = TextLimit("a URL", 2048, lines=False)  # what browsers and sitemaps accept
NAME = TextLimit("a name", 200, lines=False)  # actors, operations, places, qualifiers, outlets, units
LABEL = TextLimit("a short text", 1000, lines=False)  # titles, aims, means, items, regions, languages
QUOTE = TextLimit("a quote", 10_000, lines=True)  # a source's words, an amendment's reason
NOTES = TextLimit("notes", 100_000, lines=True)  # a report file's notes (kept nowhere)

TEXT_LIMITS = (ID, KEY, URL, NAME, LABEL, QUOTE, NOTES)

_PATTERNS = {True: re.compile(FREE_TEXT_FORBIDDEN), False: re.compile(ONE_LINE_FORBIDDEN)}


class BoundsError(IncidentsError, ValueError):
    """A value past a limit: which field, the value (shortened, escaped) and the limit."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem  # the message without the field's name


def shown(value: object, width: int = 40) -> str:
    """A value for a message: quoted, at most ``width`` characters of it, and every character
    that is not printable escaped (``\\x00``, ``\\u2028``, ``\\ud800``)."""
    text = str(value)
    cut = len(text) > width
    escaped = "".join(
        char if char.isprintable() and char not in '"\\' else _escape(char) for char in text[:width]
    )
    return f'"{escaped}{"..." if cut else ""}"'


def _escape(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def text_problem(limit: TextLimit, value: str) -> str | None:
    """What is wrong with ``value`` as ``limit``'s kind of text, or None."""
    if len(value) > limit.max_length:
        return (
            f"{shown(value)} is {len(value):,} characters long; "
            f"{limit.what} is at most {limit.max_length:,} characters"
        )
    found = _PATTERNS[limit.lines].search(value)
    if found is None:
        return None
    char = found[0]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        what = "a lone surrogate (no character: text from a broken encoding)"
    elif char in "\t\n\u2028\u2029":
        what = "a line break or a tab"
    else:
        what = "a control character"
    allowed = "newlines and tabs but no other control character" if limit.lines else "no control character"
    one_line = "" if limit.lines else ", on one line"
    return f"{shown(value)} holds U+{code:04X}, {what}; {limit.what} holds {allowed}{one_line}"


def check_text(limit: TextLimit, field: str, value: str) -> None:
    """BoundsError if ``value`` is not ``limit``'s kind of text."""
    problem = text_problem(limit, value)
    if problem is not None:
        raise BoundsError(field, problem)


def bounded_text(limit: TextLimit) -> Any:
    """An attrs validator: the field (None allowed, for an optional one) is ``limit``'s kind of text."""

    longest, search = limit.max_length, _PATTERNS[limit.lines].search

    def validate(_instance: object, attribute: Any, value: str | None) -> None:
        # (inline: every decoded event runs this for each of its texts)
        if value is not None and (len(value) > longest or search(value) is not None):
            check_text(limit, attribute.name, value)

    return validate


def bounded_texts(limit: TextLimit) -> Any:
    """An attrs validator: every item of the field (a tuple) is ``limit``'s kind of text."""

    def validate(_instance: object, attribute: Any, values: tuple[str, ...]) -> None:
        for value in values:
            check_text(limit, attribute.name, value)

    return validate


def count_problem(value: int) -> str | None:
    """Why ``value`` cannot be one figure of a count (low, best or high), or None."""
    if value > MAX_COUNT:
        return f"{figure(value)} is above {MAX_COUNT:,}, the largest count"
    return None


def figure(value: int) -> str:
    """A whole number for a message: with thousands separators, or how long it is when it is
    too long to show (or to convert: Python refuses to print numbers of over 4,300 digits)."""
    if abs(value) < 10**30:
        return f"{value:,}"
    return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"


def check_year(field: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BoundsError(field, f"the year {year} is not between {MIN_YEAR} and {MAX_YEAR}")


def bounded_count(_instance: object, attribute: Any, value: Any) -> None:
    """An attrs validator: a stated count (an ``Estimate``, or None) has no figure past
    ``MAX_COUNT``. (An ``Estimate`` itself is not bounded: it is also what totals sum to.)"""
    if value is None or value.high <= MAX_COUNT:  # (low and best are at most high)
        return
    for part in ("low", "best", "high"):
        figure = getattr(value, part)
        problem = None if figure is None else count_problem(figure)
        if problem is not None:
            raise BoundsError(attribute.name, f"{part}: {problem}")


def bounded_phase(_instance: object, attribute: Any, value: int | None) -> None:
    """An attrs validator: a phase number from 1 to ``MAX_PHASE`` (or None)."""
    if value is not None and not 1 <= value <= MAX_PHASE:
        raise BoundsError(attribute.name, f"a phase number is from 1 to {MAX_PHASE}, got {figure(value)}")


def bounded_level(_instance: object, attribute: Any, value: int) -> None:
    """An attrs validator: an administrative level from 0 to ``MAX_ADMIN_LEVEL``."""
    if not 0 <= value <= MAX_ADMIN_LEVEL:
        raise BoundsError(
            attribute.name, f"an administrative level is from 0 to {MAX_ADMIN_LEVEL}, got {figure(value)}"
        )
