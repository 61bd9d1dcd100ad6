"""How wide a table may be, and whether it is drawn boxed: what a table's text depends on besides
the answer. Read both by ``render`` and by a command that asks a running server to draw its table
for the command's terminal (``incidents.cli.rendezvous``), before it imports anything else: this
module imports ``os`` alone."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # (typing is not imported: a command through a server needs none of it)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import IO

# The width of a table written to a file or a pipe, when $COLUMNS does not say.
UNATTENDED_WIDTH = 160
# The most rows a table drawn with rich has: a longer answer is printed as plain text.
BOXED_ROWS = 200


def table_width(stream: IO[str], environ: Mapping[str, str] = os.environ) -> int:
    """How wide a table may be: ``$COLUMNS`` when it is a positive number, else the terminal's
    width, else (a file, a pipe) ``UNATTENDED_WIDTH``."""
    columns = environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return UNATTENDED_WIDTH


def short(rows: int) -> bool:
    """Whether a table of ``rows`` rows (its longest part) is drawn boxed, with rich, on a terminal."""
    return rows <= BOXED_ROWS
