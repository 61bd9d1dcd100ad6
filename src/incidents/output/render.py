"""Output: every query renders as a readable table, JSON, or CSV.

JSON is an object ``{"query": ..., "rows": [...], "uncertain": [...]}``; CSV is the rows alone;
the table shows the rows, then what is uncertain and why.

What reports say reaches the terminal only as text: in a table every control character and
every character that reorders a line (see ``terminal_text``) is shown escaped, as ``\x1b`` or
``\u202e``; in JSON they are escaped as JSON escapes them (``\u001b``, ``\u202e``), which reads
back as the same string; CSV is a file, and keeps them (its cells are neutralised for
spreadsheets instead: ``formats.export.spreadsheet``). A table is as wide as the terminal, or as
``$COLUMNS`` when it is set (``table_width``): long cells are wrapped, never a line wider.

Two table renderers, and ``emit`` alone picks one (``boxed``): a short answer on a terminal is
drawn with rich (boxes and rules); a long one (more than ``width.BOXED_ROWS`` rows: ``areas`` gives
thousands) or one written to a file or a pipe is plain aligned text (``plain_table``), which
prints thousands of rows in the time rich takes for a few hundred. Both show the same cells,
escaped the same way, with the title above and the question under the table. JSON is one
compact line unless an indent is asked for (``--indent N``); rich is imported only to draw.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from incidents.output.rows import UNCERTAIN_TABLE, Result, UnreadableRow
from incidents.output.width import short, table_width

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv")
Cells = dict[str, Any]  # a row as it is printed: column -> value
# Columns whose values are numbers: right-aligned in a table.
NUMERIC_COLUMNS = frozenset(
    {"best", "low", "high", "claimed", "itemised", "remainder", "events", "approximate", "unknown"}
)

# What a terminal would act on rather than show: C0 and C1 controls and DEL (escape sequences,
# carriage returns, bells), and the characters that reorder or break a line (bidirectional
# embeddings, overrides, isolates and marks; the line and paragraph separators). Newline and tab
# are kept in a table cell, as the domain keeps them in text.
UNSAFE_FOR_TERMINALS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
# In JSON: the same, bar what JSON escapes anyway (json.dumps writes every C0 control escaped).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Text as a terminal may show it: ``UNSAFE_FOR_TERMINALS`` escaped visibly (``\x1b``,
    ``\u202e``), everything else as it is."""
    return UNSAFE_FOR_TERMINALS.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def json_text(document: Any, indent: int | None = None) -> str:
    """A document as JSON, one compact line (or indented by ``indent`` spaces), non-ASCII letters
    as they are, and every character a terminal would act on escaped (``\u001b``, ``\u202e``):
    the same string to any JSON reader."""
    if indent is None:
        text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
    else:
        text = json.dumps(document, indent=indent, ensure_ascii=False, default=str)
    return _UNSAFE_IN_JSON.sub(_json_escaped, text)  # only ever inside strings: they are not ASCII


def json_document(result: Result) -> dict[str, Any]:
    """A result as its JSON document (``--format json``, the API): ``query``, ``rows``,
    ``uncertain``, and ``unreadable`` only when some recorded events could not be counted."""
    document: dict[str, Any] = {
        "query": result.query,
        "rows": [row.cells() for row in result.rows],
        "uncertain": [row.cells() for row in result.uncertain],
    }
    if result.unreadable:
        document["unreadable"] = [row.cells() for row in result.unreadable]
    return document


def longest_part(result: Result) -> int:
    """The rows of the result's longest table (its rows, or its uncertain items): what decides
    whether it is drawn boxed (``boxed``)."""
    return max(len(result.rows), len(result.uncertain))


def emit(
    result: Result,
    output_format: str,
    stream: IO[str],
    warnings: IO[str] | None = None,
    *,
    indent: int | None = None,
) -> None:
    """Write the result on ``stream``; recorded events it could not count (``Result.unreadable``)
    go into the JSON document (an ``unreadable`` list, only when there are some), and for a
    table or CSV as warnings on ``warnings`` (standard error), so that no answer hides them.
    JSON is indented by ``indent`` spaces when it is given."""
    if output_format != "json" and result.unreadable:
        (warnings or sys.stderr).write(unreadable_warning(result.unreadable))
    if output_format == "json":
        stream.write(json_text(json_document(result), indent) + "\n")
        return
    rows = [row.cells() for row in result.rows]
    if output_format == "csv":
        from incidents.formats.export.spreadsheet import spreadsheet_cell  # (CSV only)

        writer = csv.DictWriter(
            stream, fieldnames=list(result.columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({key: spreadsheet_cell(cell_text(value)) for key, value in row.items()})
        return
    uncertain = [row.cells() for row in result.uncertain]
    width = table_width(stream)
    tables: list[tuple[str, Sequence[str], list[Cells], str | None]] = [
        (result.title, result.table_columns or result.columns, rows, _caption(result.query))
    ]
    if uncertain:
        tables.append(("Uncertain: not counted, not dropped", UNCERTAIN_TABLE, uncertain, None))
    if boxed(stream, longest_part(result)):
        from rich.console import Console  # (drawing only)

        console = Console(file=stream, width=width, highlight=False, soft_wrap=False)
        for title, columns, cells, caption in tables:
            _table(console, title, columns, cells, caption)
    else:
        for title, columns, cells, caption in tables:
            stream.write(plain_table(title, columns, cells, caption, width))


def boxed(stream: IO[str], rows: int) -> bool:
    """Whether a table of ``rows`` rows is drawn with rich: on a terminal, and short."""
    if not short(rows):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def plain_table(
    title: str, columns: Sequence[str], rows: Sequence[Cells], caption: str | None, width: int
) -> str:
    """A table as aligned plain text, no wider than ``width``: the title, the column names, a
    rule, a line per row (a cell too wide for its column wrapped onto more lines), the caption.
    Numbers are right-aligned; every cell is ``terminal_text``."""
    headers = [column.replace("_", " ") for column in columns]
    table = [
        [terminal_text(cell_text(row.get(column))).replace("\t", " ") for column in columns] for row in rows
    ]
    if not table:
        table = [["(none)"] + [""] * (len(columns) - 1)]
    natural = [
        max(_text_width(header), _column_width(column))
        for header, column in zip(headers, zip(*table, strict=True), strict=True)
    ]
    widths = _fitted(natural, width - 2 * (len(columns) - 1))
    right = [column in NUMERIC_COLUMNS for column in columns]
    lines = [_wrapped_line(terminal_text(title), width)]
    lines.extend(_row_lines(headers, widths, right))
    lines.append("  ".join("-" * w for w in widths).rstrip())
    for cells in table:
        lines.extend(_row_lines(cells, widths, right))
    if caption:
        lines.append(_wrapped_line(terminal_text(caption), width))
    return "\n".join(lines) + "\n\n"


# (A table is thousands of rows of short ASCII cells: a column of them is measured, and a row of
# them that fits is found, by ``len`` in C; a cell with other letters or more lines by
# ``_text_width``, and a cell that fits is its own line without ``textwrap``.)


def _plain(text: str) -> bool:
    """Whether every character of ``text`` takes one terminal cell and it is one line."""
    return text.isascii() and "\n" not in text


def _column_width(cells: Sequence[str]) -> int:
    """The width of a column's widest line."""
    if _plain("\x00".join(cells)):  # (no cell holds a control character: ``terminal_text``)
        return max(map(len, cells))
    return max(_text_width(line) for cell in cells for line in cell.split("\n"))


def _text_width(text: str) -> int:
    """How many terminal cells a line of text takes: wide East Asian letters two, combining
    marks and zero-width characters none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _fitted(natural: Sequence[int], room: int) -> list[int]:
    """Column widths that fit ``room``: the natural ones if they do, else the widest cut down to
    one common cap (at least 1 each), so that narrow columns keep their width."""
    if sum(natural) <= room:
        return list(natural)
    cap = max(natural)
    while cap > 1 and sum(min(w, cap) for w in natural) > room:
        cap -= 1
    return [min(w, cap) for w in natural]


def _row_lines(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> list[str]:
    """One row as lines: each cell wrapped to its column's width, aligned, side by side."""
    if _plain("\x00".join(cells)) and all(map(int.__le__, map(len, cells), widths)):
        return [_joined(cells, widths, right)]  # (else each cell as its lines: one, if it fits)
    wrapped = [_wrapped(cell, w) for cell, w in zip(cells, widths, strict=True)]
    height = max(len(parts) for parts in wrapped)
    return [
        _joined([parts[i] if i < len(parts) else "" for parts in wrapped], widths, right)
        for i in range(height)
    ]


def _joined(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    padded = []
    for cell, w, numeric in zip(cells, widths, right, strict=True):
        gap = " " * max(0, w - _text_width(cell))
        padded.append(gap + cell if numeric else cell + gap)
    return "  ".join(padded).rstrip()


def _wrapped(cell: str, width: int) -> list[str]:
    """A cell's lines, each no wider than ``width`` (long words cut)."""
    if "\n" not in cell and _text_width(cell) <= width:
        return [cell]
    lines: list[str] = []
    for paragraph in cell.split("\n"):
        if _text_width(paragraph) <= width:
            lines.append(paragraph)
            continue
        parts = textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""]
        for part in parts:  # (textwrap counts characters: cut what is wider on a terminal)
            while _text_width(part) > width:
                cut = max(1, width // 2)
                lines.append(part[:cut])
                part = part[cut:]
            lines.append(part)
    return lines or [""]


def _wrapped_line(text: str, width: int) -> str:
    """A title or caption, wrapped to the table's width."""
    return "\n".join(_wrapped(text, max(1, width)))


def unreadable_warning(events: Sequence[UnreadableRow]) -> str:
    """The warning lines that say which recorded events an answer could not count, and how to
    set one aside for good."""
    count = len(events)
    lines = [
        f"warning: {count} recorded event{'s' if count != 1 else ''} cannot be read and "
        f"{'are' if count != 1 else 'is'} not counted:"
    ]
    for event in events:
        where = f"{event.report}/{event.id}" if event.report and event.id else event.report or "?"
        hint = f" (retract it: incidents retract {where} --reason ...)" if event.report and event.id else ""
        lines.append(f"  position {event.position}: {where}: {event.why}{hint}")
    return "".join(terminal_text(line) + "\n" for line in lines)


def _caption(query: dict[str, Any]) -> str:
    """The question under a table, as options read: "metric killed, side ISIS, by actor and phase,
    total 5"."""
    parts = [
        f"{key.replace('_', '-')} {query_value(value)}"
        for key, value in query.items()
        if value not in (None, [], "", {})
    ]
    return ", ".join(parts) if parts else "everything recorded"


def query_value(value: Any) -> str:
    """A value of the query in words: a list joined ("actor and phase"), an estimate as counts
    read ("5", "4-6", "5 (4-6)"), anything else as text."""
    if isinstance(value, list | tuple):
        items = [query_value(item) for item in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    if isinstance(value, Mapping) and set(value) <= {"best", "low", "high"}:
        best, low, high = value.get("best"), value.get("low"), value.get("high")
        span = f"{low}-{high}" if low != high else f"{low}"
        if best is None:
            return span
        return f"{best}" if low == high == best else f"{best} ({span})"
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {query_value(item)}" for key, item in value.items())
    return cell_text(value)


def _table(
    console: Console, title: str, columns: Sequence[str], rows: Sequence[Cells], caption: str | None
) -> None:
    """A table drawn with rich (``boxed``)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(terminal_text(title)),
        caption=Text(terminal_text(caption)) if caption else None,
        title_justify="left",
        caption_justify="left",
    )
    for column in columns:
        numeric = column in NUMERIC_COLUMNS
        table.add_column(column.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        # Text, not markup: a quote like "[part of 4]" must print as written.
        table.add_row(*(Text(terminal_text(cell_text(row.get(column)))) for column in columns))
    if not rows:
        table.add_row(*(["(none)"] + [""] * (len(columns) - 1)))
    console.print(table)


def cell_text(value: Any, separator: str = "; ") -> str:
    """A value as one cell of a table or CSV: empty for null, yes/no, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return separator.join(cell_text(item, separator) for item in value)
    return str(value)


def feed_lines(result: Result) -> list[str]:
    """A result as a feed of JSON lines (``incidents changes --format jsonl``): one compact
    object per row, then ``{"resume_from": N, ...}``, the query with the position the next
    increment asks ``--since``. Text is escaped as ``json_text`` escapes it."""
    lines = [_json_line(row.cells()) for row in result.rows]
    if result.unreadable:
        lines.extend(_json_line({"unreadable": row.cells()}) for row in result.unreadable)
    lines.append(_json_line(dict(result.query)))
    return lines


def _json_line(document: Any) -> str:
    text = json.dumps(document, ensure_ascii=False, default=str, separators=(",", ":"))
    return _UNSAFE_IN_JSON.sub(_json_escaped, text)
