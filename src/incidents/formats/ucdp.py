"""UCDP GED CSV: one report per UCDP event, one ``killed`` action per death figure.

The UCDP Georeferenced Event Dataset codes each event once, from one or more sources, with
deaths per side (``deaths_a``, ``deaths_b``, ``deaths_civilians``, ``deaths_unknown``) and an
estimate for the whole event (``low``, ``best``, ``high``). An event becomes a
:class:`ReportContent` like a report file does, so importing it and loading a report file record
the same kind of aggregate, with the same idempotency (key ``ucdp-ged-<id>``, digest of content).

The file is read row by row (constant memory apart from the set of ids seen, needed to refuse
duplicates). Every problem of every row is collected with file, CSV line and field; the reader
raises them all when it reaches the end, so a caller validates a whole file by iterating it once
and records it by iterating it again. The mapping, and what it keeps and loses, is documented in
docs/data-format.md ("UCDP GED CSV").
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TypeVar

import attrs
from attrs import frozen

from incidents.domain.actions import Killed
from incidents.domain.limits import LABEL
from incidents.domain.values import DateSpan, Estimate, Name, Place, Point, Precision, SourceRef, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import Fingerprint, TextLines
from incidents.formats.report_file import ReportContent

KEY_PREFIX = "ucdp-ged-"
EVENT_URL = "https://ucdp.uu.se/event/{id}"
OUTLET_WHEN_BLANK = "UCDP GED"
STATEMENT = "deaths"  # the id the parts' SplitOf names: the event's stated deaths (low, best, high)
CIVILIANS = Name("Civilians", "Civilians", known=False)
UNKNOWN = Name("Unknown", "Unknown", known=False)  # deaths_unknown: people of unknown status
NEAR = "near"  # where_prec 2: within about 25 km of the coded point

DEATH_COLUMNS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
ESTIMATE_COLUMNS = ("low", "best", "high")
COLUMNS = (
    "id",
    "type_of_violence",
    "conflict_name",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    *DEATH_COLUMNS,
    *ESTIMATE_COLUMNS,
)

# date_prec (codebook 19.1): 1 exact day, 2 within 2-6 days, 3 the week, 4 the month (or 8-30
# days), 5 the year (or 31-365 days). There is no "week" precision: a week is a range of days.
PRECISIONS = {
    1: Precision.DAY,
    2: Precision.RANGE,
    3: Precision.RANGE,
    4: Precision.MONTH,
    5: Precision.YEAR,
}
WHERE_PRECISIONS = range(1, 8)  # 1 exact ... 6 country, 7 international waters or airspace
ONE_SIDED = 3  # type_of_violence 3: side_a kills civilians (side_b is "Civilians")
VIOLENCE_TYPES = (1, 2, ONE_SIDED)  # 1 state-based, 2 non-state, 3 one-sided
CLARITIES = (1, 2)  # 2: an aggregate of several events that cannot be told apart
AGGREGATE = 2

T = TypeVar("T")

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DEGREES = {"longitude": 180.0, "latitude": 90.0}


class UcdpGedFile:
    """A UCDP GED CSV file, read as a stream of reports (one per event).

    Iterate :meth:`reports` to the end to validate the whole file: valid events are yielded as
    they come, and every problem found is raised at the end as one InvalidInputError.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = str(path)
        self.read_before: Fingerprint | None = None  # the file, as the first whole reading found it

    def reports(self) -> Iterator[tuple[int, ReportContent]]:
        """Each valid event as (CSV line, report); then every problem, if any, raised at once."""
        problems: list[InputProblem] = []
        first_line_of: dict[str, int] = {}
        for line, values in self._rows(problems):
            row = _Row(values, self.file, line)
            report = _event_report(row)
            problems.extend(row.problems)
            if report is None:
                continue
            if report.key in first_line_of:
                problems.append(
                    InputProblem(
                        self.file,
                        line,
                        "id",
                        f"event id {values['id'].strip()} is used twice "
                        f"(first on line {first_line_of[report.key]})",
                    )
                )
                continue
            first_line_of[report.key] = line
            yield line, report
        if problems:
            raise InvalidInputError(problems)

    def _rows(self, problems: list[InputProblem]) -> Iterator[tuple[int, dict[str, str]]]:
        """The data rows with the CSV line each starts on; file-level problems go to ``problems``."""
        line = 1
        lines = TextLines(self.path)
        try:
            reader = csv.reader(lines)
            header = next(reader, None)
            if not header:
                expected = f"expected a header with {', '.join(COLUMNS)}"
                problems.append(InputProblem(self.file, 1, None, expected))
                return
            missing = [column for column in COLUMNS if column not in header]
            problems.extend(
                InputProblem(self.file, 1, column, "missing column: a UCDP GED CSV (codebook 19.1) has it")
                for column in missing
            )
            if missing:
                return
            line = reader.line_num + 1
            for values in reader:
                start, line = line, reader.line_num + 1
                if not values:
                    continue  # a blank line
                if lines.changed() or not self._as_read_before(lines):
                    problems.append(self._changed(start))
                    return
                if len(values) != len(header):
                    message = f"expected {len(header)} fields, as in the header, got {len(values)}"
                    problems.append(InputProblem(self.file, start, None, message))
                    continue
                yield start, dict(zip(header, values, strict=True))
        except InvalidInputError as error:  # not a readable file, not UTF-8, a NUL byte
            problems.extend(error.problems)
        except csv.Error as error:
            problems.append(InputProblem(self.file, line, None, f"not valid CSV: {error}"))
        else:
            read = lines.fingerprint
            if self.read_before is None:
                self.read_before = read
            elif read != self.read_before:  # the same size and time, other bytes
                problems.append(self._changed(None))

    def _as_read_before(self, lines: TextLines) -> bool:
        """Whether the file opened is the one an earlier reading read (as far as its size, time
        of modification and identity tell, before it is read to its end)."""
        return self.read_before is None or (
            lines.fingerprint is not None and lines.fingerprint.same_file(self.read_before)
        )

    def _changed(self, line: int | None) -> InputProblem:
        return InputProblem(
            self.file,
            line,
            None,
            "the file changed while it was read (it is read twice: to check it, then to record "
            "it): nothing read after the change was recorded; import it again once it is complete",
        )


class _Row:
    """One CSV row's fields, read with what is wrong (problems) or worth flagging (notes)."""

    def __init__(self, values: Mapping[str, str], file: str, line: int) -> None:
        self.values = values
        self.file = file
        self.line = line
        self.problems: list[InputProblem] = []
        self.notes: list[str] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(InputProblem(self.file, self.line, field, message))

    def note(self, field: str, message: str) -> None:
        self.notes.append(str(InputProblem(self.file, self.line, field, message)))

    def text(self, column: str) -> str:
        """The column's text, stripped, with HTML entities (``&#8217;``) decoded."""
        return html.unescape(self.values[column].strip())

    def count(self, column: str) -> int | None:
        written = self.values[column].strip()
        number = _whole_number(written)
        if number is None:
            expected = "a whole number of 0 or more"
            got = "a negative number" if written.startswith("-") else _quoted(written)
            self.problem(column, f"expected {expected}, got {got}")
        return number

    def code(self, column: str, allowed: tuple[int, ...] | range) -> int | None:
        written = self.values[column].strip()
        number = _whole_number(written)
        if number is None or number not in allowed:
            self.problem(column, f"expected one of {', '.join(map(str, allowed))}, got {_quoted(written)}")
            return None
        return number

    def made(self, column: str, make: Callable[[], T]) -> T | None:
        """What ``make`` makes of this row, or None with the domain's refusal as the column's
        problem (a value past the domain's bounds: a count, a name's length, a year)."""
        try:
            return make()
        except (ValueError, TypeError) as error:
            self.problem(column, str(error))
            return None

    def day(self, column: str) -> date | None:
        return self._day(column, self.values[column].strip())

    def days(self, column: str) -> list[date] | None:
        """A list of days separated by ';' (source_date lists one per source); blank is none."""
        parts = [part.strip() for part in self.values[column].split(";") if part.strip()]
        days = [self._day(column, part) for part in parts]
        return None if None in days else [day for day in days if day is not None]

    def _day(self, column: str, written: str) -> date | None:
        try:
            if _ISO_DAY.fullmatch(written):
                return date.fromisoformat(written)
        except ValueError:
            pass
        self.problem(column, f"expected a date like 2016-01-31, got {written!r}")
        return None

    def point(self) -> Point | None:
        """UCDP's coordinates; a row with neither has no point, a row with only one is refused."""
        written = {column: self.values[column].strip() for column in _DEGREES}
        if not any(written.values()):
            return None
        degrees = [self._degrees(column, text) for column, text in written.items()]
        longitude, latitude = degrees
        if longitude is None or latitude is None:
            return None
        return self.made("longitude", lambda: Point(longitude, latitude))

    def _degrees(self, column: str, written: str) -> float | None:
        limit = _DEGREES[column]
        try:
            value = float(written)
        except ValueError:
            value = None
        if value is None or not -limit <= value <= limit:
            self.problem(column, f"expected degrees between -{limit} and {limit}, got {written!r}")
            return None
        return value


def _whole_number(written: str) -> int | None:
    """A whole number of 0 or more in ASCII digits (UCDP writes no other), or None."""
    if not (written.isascii() and written.isdigit()) or len(written) > _MAX_DIGITS:
        return None
    return int(written)


_MAX_DIGITS = 30  # far more than any count the domain takes; int() of a longer text is not tried


def _quoted(written: str) -> str:
    """A cell as an error quotes it: in full, or its start and its length when it is long."""
    if len(written) <= _QUOTED:
        return repr(written)
    return f"{written[:_QUOTED]!r}... ({len(written):,} characters)"


_QUOTED = 40


@frozen
class _Deaths:
    """The four death figures of an event, and its stated estimate."""

    a: int
    b: int
    civilians: int
    unknown: int
    low: int
    best: int
    high: int

    @property
    def sum(self) -> int:
        return self.a + self.b + self.civilians + self.unknown


def _event_report(row: _Row) -> ReportContent | None:
    """The report of one event, or None when the row has problems (they are on the row)."""
    event_id = row.values["id"].strip()
    if _whole_number(event_id) is None:
        row.problem("id", f"expected UCDP's event id, a whole number, got {_quoted(event_id)}")
    occurred = _occurred(row)
    deaths = _deaths(row)
    violence = row.code("type_of_violence", VIOLENCE_TYPES)
    clarity = row.code("event_clarity", CLARITIES)
    place = _place(row)
    sides = {column: _name(row, column) for column in ("side_a", "side_b")}
    operation = _name(row, "conflict_name")
    if deaths is not None:
        for column, figure in (("side_a", deaths.a), ("side_b", deaths.b)):
            if figure and not row.text(column):
                row.problem(column, f"required: deaths_{column[-1]} is {figure}, of whose people?")
    published = _published(row, occurred)
    if row.problems or occurred is None or deaths is None or published is None:
        return None
    if clarity == AGGREGATE:
        row.note("event_clarity", "2: an aggregate of several events UCDP could not tell apart")
    quote = row.text("source_headline") or _article_or_row(row, event_id)
    stated = row.made("best", lambda: _stated(row, deaths))
    if stated is None:
        return None
    # The event's stated deaths as one action (of no particular side); its parts are recorded.
    event = row.made(
        "source_headline" if row.text("source_headline") else "source_article",
        lambda: Killed(
            id=STATEMENT,
            occurred=occurred,
            quote=quote,
            operation=operation,
            side=UNKNOWN,
            count=stated,
            place=place,
        ),
    )
    if event is None:
        return None
    one_sided = violence == ONE_SIDED
    killed = row.made(
        "best", lambda: _parts(event, deaths, sides["side_a"], sides["side_b"], one_sided=one_sided)
    )
    outlet = _outlet(row.text("source_office"))
    url = EVENT_URL.format(id=event_id)
    title = _title(row)
    untitled = row.made("source_office", lambda: SourceRef(outlet=outlet, url=url, published=published))
    source = untitled
    if untitled is not None and title is not None:
        source = row.made("source_headline", lambda: attrs.evolve(untitled, title=title))
    if killed is None or source is None or row.problems:
        return None
    return ReportContent(
        key=f"{KEY_PREFIX}{event_id}",
        source=source,
        actions=killed,
        file=row.file,
        notes=tuple(row.notes),
    )


def _occurred(row: _Row) -> DateSpan | None:
    start, end = row.day("date_start"), row.day("date_end")
    precision_code = row.code("date_prec", tuple(PRECISIONS))
    if start is None or end is None or precision_code is None:
        return None
    if end < start:
        row.problem("date_end", f"expected a day on or after date_start ({start}), got {end}")
        return None
    precision = PRECISIONS[precision_code]
    if precision is Precision.DAY and end != start:
        row.note("date_prec", f"1 (an exact day) but the event spans {start}/{end}: kept as a range")
        precision = Precision.RANGE
    if row.made("date_start", lambda: DateSpan.day(start)) is None:
        return None
    return row.made("date_end", lambda: DateSpan(start, end, precision))


def _deaths(row: _Row) -> _Deaths | None:
    figures = [row.count(column) for column in (*DEATH_COLUMNS, *ESTIMATE_COLUMNS)]
    if None in figures:
        return None
    deaths = _Deaths(*(figure for figure in figures if figure is not None))
    if deaths.best != deaths.sum:
        row.problem(
            "best",
            f"expected deaths_a + deaths_b + deaths_civilians + deaths_unknown = {deaths.sum}, "
            f"got {deaths.best}",
        )
        return None
    return deaths


def _stated(row: _Row, deaths: _Deaths) -> Estimate:
    """The event's estimate. Out of order in some UCDP rows: widened to span all three, and flagged."""
    low, best, high = deaths.low, deaths.best, deaths.high
    if low <= best <= high:
        return Estimate(low, best, high)
    widened = Estimate(min(low, best, high), best, max(low, best, high))
    row.note("low", f"low {low}, best {best}, high {high} are out of order: kept as {widened}")
    return widened


def _parts(
    event: Killed, deaths: _Deaths, side_a: Name | None, side_b: Name | None, *, one_sided: bool
) -> tuple[Killed, ...]:
    """One part of ``event`` per non-zero figure, each exact, marked as part of the event's estimate.

    UCDP gives low and high for the whole event only, so the parts keep the per-side best
    figures (summing to ``best``) and carry the event's low/best/high in ``split_of``. An event
    whose figures are all zero keeps one ``deaths-unknown`` part of 0, so that it stays in the
    log with its estimate (e.g. best 0, high 2) instead of vanishing.
    """
    civilians_by = side_a if one_sided else None  # in a clash, UCDP does not say who killed them
    candidates = (
        ("deaths-a", deaths.a, side_a, side_b),
        ("deaths-b", deaths.b, side_b, side_a),
        ("deaths-civilians", deaths.civilians, CIVILIANS, civilians_by),
        ("deaths-unknown", deaths.unknown, UNKNOWN, None),
    )
    chosen = [candidate for candidate in candidates if candidate[1] > 0] or [candidates[-1]]
    split_of = SplitOf(STATEMENT, event.count)
    return tuple(
        attrs.evolve(
            event, id=action_id, side=side, actor=actor, count=Estimate.exactly(figure), split_of=split_of
        )
        for action_id, figure, side, actor in chosen
        if side is not None  # a non-zero figure without its side is a problem already reported
    )


def _name(row: _Row, column: str) -> Name | None:
    """A UCDP name, as UCDP spells it. ``known`` is False: no alias data was consulted."""
    written = row.text(column)
    return row.made(column, lambda: Name(written, written, known=False)) if written else None


def _place(row: _Row) -> Place | None:
    """Where UCDP places the event: its name with the district and governorate UCDP gives."""
    where_prec = row.code("where_prec", WHERE_PRECISIONS)
    point = row.point()
    parts: list[str] = []
    for column in ("where_coordinates", "adm_2", "adm_1"):
        text = row.text(column)
        if text and text.casefold() not in (part.casefold() for part in parts):
            parts.append(text)
    written = ", ".join(parts) or row.text("country")
    if not written:
        return None
    qualifier = NEAR if where_prec == 2 else None
    return row.made("where_coordinates", lambda: Place(written=written, qualifier=qualifier, point=point))


def _published(row: _Row, occurred: DateSpan | None) -> DateSpan | None:
    """The span of the source dates; dates before the event are UCDP placeholders or slips.

    Those are dropped and flagged. With none left (or none given), the report is taken as
    published on ``date_end``: the first day a report of the whole event could have appeared.
    """
    days = row.days("source_date")
    if days is None or occurred is None:
        return None
    kept = [day for day in days if day >= occurred.start]
    dropped = sorted({day.isoformat() for day in days if day < occurred.start})
    if kept:
        if dropped:
            row.note("source_date", f"{', '.join(dropped)} before date_start {occurred.start}: left out")
        return row.made("source_date", lambda: DateSpan(min(kept), max(kept)))
    before = f"only {', '.join(dropped)}, before date_start {occurred.start}" if dropped else "blank"
    row.note("source_date", f"{before}: published taken as date_end {occurred.end}")
    return DateSpan.day(occurred.end)


def _title(row: _Row) -> str | None:
    """The headline as a title: on one line (UCDP's headlines may hold line breaks and tabs),
    and left out, with a note, when longer than a title may be (it stays whole in the quote)."""
    title = " ".join(row.text("source_headline").split())
    if len(title) > LABEL.max_length:
        row.note(
            "source_headline",
            f"{len(title):,} characters, more than a title holds ({LABEL.max_length:,}): kept as the "
            "quote only",
        )
        return None
    return title or None


def _outlet(offices: str) -> str:
    """The distinct offices, in order: "SOHR;SOHR;Airwars" is "SOHR; Airwars"."""
    distinct: list[str] = []
    for office in (part.strip() for part in offices.split(";")):
        if office and office not in distinct:
            distinct.append(office)
    return "; ".join(distinct) or OUTLET_WHEN_BLANK


def _article_or_row(row: _Row, event_id: str) -> str:
    return row.text("source_article") or f"UCDP GED event {event_id}, as coded by UCDP (no headline given)"
