"""Output: every query renders as a readable table, JSON, or CSV.

JSON is an object ``{"query": ..., "rows": [...], "uncertain": [...]}``; CSV is the rows alone;
the table shows the rows, then what is uncertain and why.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from incidents.output.rows import UNCERTAIN_TABLE, Result

FORMATS = ("table", "json", "csv")
Cells = dict[str, Any]  # a row as it is printed: column -> value


def emit(result: Result, output_format: str, stream: IO[str]) -> None:
    rows = [row.cells() for row in result.rows]
    uncertain = [row.cells() for row in result.uncertain]
    if output_format == "json":
        document = {"query": result.query, "rows": rows, "uncertain": uncertain}
        json.dump(document, stream, indent=2, ensure_ascii=False, default=str)
        stream.write("\n")
    elif output_format == "csv":
        writer = csv.DictWriter(
            stream, fieldnames=list(result.columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({key: cell_text(value) for key, value in row.items()})
    else:
        console = Console(file=stream, width=160, highlight=False, soft_wrap=False)
        _table(
            console,
            result.title,
            result.table_columns or result.columns,
            rows,
            _caption(result.query),
        )
        if uncertain:
            _table(
                console,
                "Uncertain: not counted, not dropped",
                UNCERTAIN_TABLE,
                uncertain,
                None,
            )


def _caption(query: dict[str, Any]) -> str:
    parts = [
        f"{key.replace('_', '-')} {value}" for key, value in query.items() if value not in (None, [], "")
    ]
    return ", ".join(parts) if parts else "everything recorded"


def _table(
    console: Console, title: str, columns: Sequence[str], rows: Sequence[Cells], caption: str | None
) -> None:
    table = Table(
        title=Text(title),
        caption=Text(caption) if caption else None,
        title_justify="left",
        caption_justify="left",
    )
    for column in columns:
        numeric = column in {"best", "low", "high", "claimed", "itemised", "remainder", "events"}
        table.add_column(column.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        # Text, not markup: a quote like "[part of 4]" must print as written.
        table.add_row(*(Text(cell_text(row.get(column))) for column in columns))
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
