"""Inline reports: a Gherkin data table becomes a report file, read by the report-file parser.

Each row is one entry of ``actions:`` and each column one of its fields, named as in report files
(type, occurred, side, actor, count, operation, phase, area, quote, ...). A cell is written as in
a report file; an empty cell leaves the field out; a cell that starts with ``[`` or ``{`` is YAML
(a list or mapping, e.g. a ``breakdown`` or a place with a qualifier). The table goes through
``parse_report`` like any file, so every rule and every error message is the report file's. The
one difference: a problem's line is the table row (1 is the first row under the header).
"""

from __future__ import annotations

import json

from attrs import frozen

from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import FORMAT, ReportContent, parse_report
from incidents.gazetteer import NameIndex

DEFAULT_QUOTE = "(no quote: written for a scenario)"
HEADER_LINES = 4  # format, id, source, "actions:": the rows start on the line after


@frozen
class InlineSource:
    """The source an inline table is stated under."""

    key: str
    outlet: str
    published: str
    url: str
    title: str | None = None


def _scalar(text: str) -> str:
    """A cell as YAML: lists and mappings as written, anything else as a quoted string."""
    return text if text.startswith(("[", "{")) else json.dumps(text, ensure_ascii=False)


def report_text(source: InlineSource, table: list[list[str]]) -> str:
    """The report file a table states: one line per row, so that lines map back to rows."""
    if not table:
        raise ValueError("the table needs a header row naming the fields (type, occurred, ...)")
    header = [column.strip().lower().replace(" ", "_") for column in table[0]]
    fields = {"outlet": source.outlet, "url": source.url, "published": source.published}
    if source.title:
        fields["title"] = source.title
    lines = [
        f"format: {FORMAT}",
        f"id: {json.dumps(source.key, ensure_ascii=False)}",
        "source: {" + ", ".join(f"{key}: {_scalar(value)}" for key, value in fields.items()) + "}",
        "actions:" if len(table) > 1 else "actions: []",
    ]
    for row in table[1:]:
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        if "quote" not in header:
            cells["quote"] = DEFAULT_QUOTE
        entries = [f"{json.dumps(key)}: {_scalar(value)}" for key, value in cells.items() if value]
        lines.append("  - {" + ", ".join(entries) + "}")
    return "\n".join(lines) + "\n"


def parse_table(
    source: InlineSource, table: list[list[str]], names: NameIndex
) -> tuple[ReportContent | InvalidInputError, str]:
    """Parse a table as a report file; problems name the table row as their line."""
    text = report_text(source, table)
    label = f"table of report {source.key}"
    try:
        return parse_report(text, label, names), text
    except InvalidInputError as error:
        return InvalidInputError([_row_problem(problem) for problem in error.problems]), text


def _row_problem(problem: InputProblem) -> InputProblem:
    line = problem.line
    row = line - HEADER_LINES if line is not None and line > HEADER_LINES else None
    return InputProblem(problem.file, row, problem.field, problem.message)
