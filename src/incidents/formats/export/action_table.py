"""The CSV action table: one row per exported action, its report's columns repeated on each row.

Meant for spreadsheets and for moving a log between stores: every field of every action type has
a column (empty when the action has no such field), lists are joined with ``; ``, and a few
columns say what the store resolved (``pcode``, ``province``, ``district``, ``lon``, ``lat``) or
how the viewpoint stands (``standing``, ``uncertain_because``).

Which cells hold a field, how a value is written to them and how they are read back come from
the field table (``formats/fields.py``: each field's ``Cells``), the table the report-file parser
and the JSON Schema are made from. Read back, each report's rows become the tree a report file
parses into and go through the report-file parser (``reparse``), so a cell means what the same
value means in a report file, and every problem names the file, the row's line and the column.
Which columns are read, which are checked and which are only informative is documented in
docs/data-format.md. Cells a spreadsheet would run as a formula are written with a leading ``'``
and read back without it (``spreadsheet.py``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from incidents.domain.actions import ACTION_KINDS, ReportedAction
from incidents.domain.amendments import AMENDMENT_KINDS
from incidents.domain.values import Place, Point, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.export.exported import ExportedAction, ExportError, Written
from incidents.formats.export.reparse import UNRESOLVED, ActionExtras, PlaceExtras, reparse
from incidents.formats.export.spreadsheet import read_spreadsheet_cell, spreadsheet_cell
from incidents.formats.fields import (
    ACTION_FIELDS,
    LIST_SEPARATOR,
    REPORT_FIELDS,
    SOURCE_FIELDS,
    SPLIT_OF,
    CellError,
    Cells,
    CellValue,
    Context,
    Field,
    FieldError,
    Row,
)
from incidents.formats.located import Mapping as MappingNode
from incidents.formats.located import Node
from incidents.formats.located import Sequence as SequenceNode
from incidents.formats.report_file import NOT_FROM_FILES, ReportContent
from incidents.gazetteer import NameIndex

__all__ = ["COLUMNS", "FIELD_COLUMNS", "LIST_SEPARATOR", "read_action_table", "write_action_table"]


def _cells(fields: Mapping[str, Field]) -> dict[str, Cells]:
    return {name: field.cells for name, field in fields.items() if field.cells is not None}


ACTION_CELLS = _cells(ACTION_FIELDS)
SOURCE_CELLS = _cells(SOURCE_FIELDS)
REPORT_ID: Cells = _cells(REPORT_FIELDS)["id"]

# The columns each field of the catalogue is written to (and problems with the field are told as).
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {name: cells.columns for name, cells in ACTION_CELLS.items()}
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {name: cells.columns for name, cells in SOURCE_CELLS.items()}
REPORT_COLUMNS = (*REPORT_ID.columns, *(column for columns in SOURCE_COLUMNS.values() for column in columns))
# What the store resolved and how the viewpoint stands: written, never read as a field.
INFORMATIVE_COLUMNS = (
    "standing",
    "uncertain_because",
    "conflict",
    "pcode",
    "province",
    "district",
    "lon",
    "lat",
    "coordinates_from",
    "region_pcodes",
)

# The layout of a row: every column above, in the order a spreadsheet reads well (checked below).
COLUMNS = (
    *REPORT_COLUMNS,
    "action_id",
    "type",
    "occurred",
    "precision",
    "standing",
    "uncertain_because",
    "conflict",
    "operation",
    "phase",
    "side",
    "actor",
    "actors",
    "count_low",
    "count_best",
    "count_high",
    "count_given",
    "metric",
    "means",
    "item",
    "unit",
    "declared",
    "claimant",
    "place",
    "area",
    "place_qualifier",
    "place_within",
    "extent_places",
    "extent_of",
    "extent_km2",
    "pcode",
    "province",
    "district",
    "lon",
    "lat",
    "coordinates_from",
    "names",
    "aim",
    "forces",
    "supervisor",
    "regions",
    "region_qualifiers",
    "region_pcodes",
    "region",
    "estimator",
    "split_of",
    "split_stated_low",
    "split_stated_best",
    "split_stated_high",
    "split_stated_given",
    "quote",
)


def _check_the_layout() -> None:
    """Every column of the field table is in the layout, and the layout holds nothing else."""
    field_columns = {column for columns in FIELD_COLUMNS.values() for column in columns}
    expected = {*REPORT_COLUMNS, "type", *field_columns, *INFORMATIVE_COLUMNS}
    if set(COLUMNS) != expected or len(COLUMNS) != len(set(COLUMNS)):
        missing, extra = sorted(expected - set(COLUMNS)), sorted(set(COLUMNS) - expected)
        raise RuntimeError(f"the action table's layout is out of date: missing {missing}, extra {extra}")


_check_the_layout()

# Required: the source's required fields, the type, and what every type of action requires.


def _always_required(name: str) -> bool:
    specs = [attrs.fields_dict(cls).get(name) for cls in ACTION_KINDS.values()]
    return name != "id" and all(spec is not None and spec.default is attrs.NOTHING for spec in specs)


REQUIRED_COLUMNS = (
    *(SOURCE_COLUMNS[name][0] for name, field in SOURCE_FIELDS.items() if field.required),
    "type",
    *(cells.columns[0] for name, cells in ACTION_CELLS.items() if _always_required(name)),
)

STATED_BY_SOURCE = "source"  # coordinates_from: the source states the coordinates
GAZETTEER = "gazetteer"  # coordinates_from: the centroid of the unit the place resolved to


# --- Writing --------------------------------------------------------------------------------------


def write_action_table(
    exported: Sequence[ExportedAction], _query: Mapping[str, Any], stream: IO[str]
) -> Written:
    """Write the table row by row; refused before anything is written if a value has no cell
    that would give it back (see ``unwritable``)."""
    problems = [problem for item in exported for problem in unwritable(item)]
    if problems:
        raise ExportError(
            "the CSV action table cannot hold these values (export with --format json instead):\n"
            + "\n".join(problems)
        )
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in exported:
        writer.writerow(
            {
                column: spreadsheet_cell("" if value is None else str(value))
                for column, value in table_row(item).items()
            }
        )
    return Written(len(exported))


WITHDRAWN = "withdrawn"  # the standing of a row an export of changes withdraws


def standing(item: ExportedAction) -> str:
    """How an exported action stands: counted, uncertain, or (in an export of changes) withdrawn."""
    if item.withdrawn:
        return WITHDRAWN
    return "counted" if item.uncertain_because is None else "uncertain"


def table_row(item: ExportedAction) -> dict[str, Any]:
    """The row of one action: text, whole numbers, degrees, or None for an empty cell."""
    action, source = item.action, item.source
    row: dict[str, CellValue] = {"type": action.kind, **REPORT_ID.write(item.report_key)}
    for name, cells in SOURCE_CELLS.items():
        row.update(cells.write(getattr(source, name)))
    fields = attrs.fields_dict(type(action))  # not ``metric`` of a killed: that is its kind's
    for name, cells in ACTION_CELLS.items():
        if name in fields:
            row.update(cells.write(getattr(action, name)))
    for cells in ACTION_CELLS.values():  # the columns of fields it does not have: empty
        for column in cells.columns:
            row.setdefault(column, None)
    row["standing"] = standing(item)
    row["uncertain_because"] = item.uncertain_because
    row["conflict"] = item.conflict
    row.update(_place_cells(action))
    regions: tuple[Place, ...] = getattr(action, "regions", ())
    resolved = any(place.unit for place in regions)
    pcodes = [place.unit.pcode if place.unit else "" for place in regions] if resolved else []
    row["region_pcodes"] = LIST_SEPARATOR.join(pcodes) or None
    return {column: row[column] for column in COLUMNS}


def unwritable(item: ExportedAction) -> list[str]:
    """What of an action the table could not give back: a list item containing ``;`` (the
    separator), or coordinates stated for a phase's region (the table has them for the place of
    the action only)."""
    fields = attrs.fields_dict(type(item.action))
    return [
        f"{item.ref}: {problem}"
        for name, cells in ACTION_CELLS.items()
        if name in fields
        for problem in cells.unwritable(getattr(item.action, name))
    ]


def _place_cells(action: ReportedAction) -> dict[str, Any]:
    """What the store resolved the place of the action to (informative; ``pcode`` is checked)."""
    place = action.place_of_action
    unit = place.unit if place else None
    location = place.location if place else None
    coordinates_from = None
    if place is not None and place.point is not None:
        coordinates_from = STATED_BY_SOURCE
    elif location is not None:
        coordinates_from = GAZETTEER
    return {
        "pcode": unit.pcode if unit else None,
        "province": place.province if place else None,
        "district": place.district if place else None,
        "lon": location.lon if location else None,
        "lat": location.lat if location else None,
        "coordinates_from": coordinates_from,
    }


# --- Reading --------------------------------------------------------------------------------------


class _TableReader:
    """Reads the rows of one CSV file into reports, collecting every problem."""

    def __init__(self, file: str, names: NameIndex) -> None:
        self.file = file
        self.names = names
        self.header: tuple[str, ...] = ()
        self.problems: list[InputProblem] = []

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(InputProblem(self.file, line, column, message))

    def read(self, handle: IO[str]) -> list[ReportContent]:
        reports: dict[str, list[Row]] = {}
        for row in self._rows(handle):
            key = row.text("report_id") or row.text("url")
            reports.setdefault(key, []).append(row)
        contents: list[ReportContent] = []
        for rows in reports.values():
            self._check_report_columns(rows)
            tree, extras = self._report_tree(rows)
            try:
                contents.append(reparse(tree, extras, self.file, self.names, column_of))
            except InvalidInputError as error:
                self.problems.extend(error.problems)
        if self.problems:
            raise InvalidInputError(sorted(self.problems, key=lambda problem: problem.line or 0))
        return contents

    def _rows(self, handle: IO[str]) -> Iterator[Row]:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            self.problem(1, None, "the file is empty: expected a header row with the columns")
            return
        self.header = tuple(column.strip() for column in header)
        if not self._header_is_usable():
            return
        end = reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(self.header):
                self.problem(
                    line, None, f"expected {len(self.header)} cells, as in the header, got {len(cells)}"
                )
                continue
            values = (read_spreadsheet_cell(cell) for cell in cells)  # as written: see spreadsheet.py
            row = Row(dict(zip(self.header, values, strict=True)), line)
            if row.text("standing") == WITHDRAWN:  # an increment (export --changed-since)
                self.problem(
                    line,
                    "standing",
                    "a withdrawn row of an export of changes: apply it to the copy it updates "
                    "(remove that action), it is not an action to load",
                )
                continue
            yield row

    def _header_is_usable(self) -> bool:
        for column in sorted({c for c in self.header if self.header.count(c) > 1}):
            self.problem(1, column, "this column appears twice")
        for column in self.header:
            if column not in COLUMNS:
                self.problem(1, column, f"unknown column; expected any of: {', '.join(COLUMNS)}")
        missing = [column for column in REQUIRED_COLUMNS if column not in self.header]
        if missing:
            self.problem(1, None, f"missing columns: {', '.join(missing)}")
        return not self.problems

    def _check_report_columns(self, rows: list[Row]) -> None:
        first = rows[0]
        for row in rows[1:]:
            for column in REPORT_COLUMNS:
                if row.text(column) != first.text(column):
                    self.problem(
                        row.line,
                        column,
                        f"{row.text(column)!r} differs from {first.text(column)!r} on line {first.line}, "
                        "another row of the same report: every row repeats its report's columns",
                    )

    def _report_tree(self, rows: list[Row]) -> tuple[MappingNode, dict[str, ActionExtras]]:
        """The report as a report file would state it, and what only the table says."""
        first = rows[0]
        entries: dict[str, Node] = {}
        if report_id := REPORT_ID.read(first):
            entries["id"] = report_id
        source = {name: self._read(cells, first) for name, cells in SOURCE_CELLS.items()}
        entries["source"] = MappingNode(_present(source), first.line)
        actions: list[Node] = []
        extras: dict[str, ActionExtras] = {}
        for position, row in enumerate(rows, start=1):
            actions.append(self._action_tree(row))
            found = self._extras(row)
            if found is not None:
                extras[row.text("action_id") or str(position)] = found
        entries["actions"] = SequenceNode(tuple(actions), first.line)
        return MappingNode(entries, first.line), extras

    def _read(self, cells: Cells, row: Row) -> Node | None:
        try:
            return cells.read(row)
        except CellError as error:
            self.problem(row.line, error.column, str(error))
            return None

    def _action_tree(self, row: Row) -> MappingNode:
        if row.text("type") in AMENDMENT_KINDS:
            self.problem(row.line, "type", "an action table holds actions; amendments are not exported")
        entries: dict[str, Node | None] = {"type": row.scalar("type")}
        for name, cells in ACTION_CELLS.items():
            if name not in NOT_FROM_FILES:
                entries[name] = self._read(cells, row)
        if row.text("place_qualifier") and not row.text("place") and not row.text("area"):
            self.problem(row.line, "place_qualifier", "a qualifier needs a place or an area")
        return MappingNode(_present(entries), row.line)

    def _extras(self, row: Row) -> ActionExtras | None:
        """The split a part belongs to, and the checks and points of its places."""
        places: dict[str, tuple[PlaceExtras, ...]] = {}
        for column in ("place", "area"):
            if row.text(column):
                places[column] = (PlaceExtras(row.line, "pcode", self._pcode(row), self._point(row)),)
        regions = row.items("regions")
        if regions and "region_pcodes" in self.header:
            pcodes = row.items("region_pcodes") or [UNRESOLVED] * len(regions)
            if len(pcodes) == len(regions):
                places["regions"] = tuple(PlaceExtras(row.line, "region_pcodes", pcode) for pcode in pcodes)
            else:
                self.problem(
                    row.line,
                    "region_pcodes",
                    f"expected one P-code (or an empty one) per region: {len(regions)}, got {len(pcodes)}",
                )
        split_of = self._split_of(row)
        if split_of is None and not places:
            return None
        return ActionExtras(split_of, row.line, "split_of", places)

    def _pcode(self, row: Row) -> str | None:
        return (row.text("pcode") or UNRESOLVED) if "pcode" in self.header else None

    def _point(self, row: Row) -> Point | None:
        stated = row.text("coordinates_from")
        if stated not in ("", STATED_BY_SOURCE, GAZETTEER):
            expected = f"{STATED_BY_SOURCE!r}, {GAZETTEER!r} or nothing"
            self.problem(row.line, "coordinates_from", f"expected {expected}, got {stated!r}")
        if stated != STATED_BY_SOURCE:
            return None
        try:
            return Point(float(row.text("lon")), float(row.text("lat")))
        except ValueError as error:
            detail = str(error) if "between" in str(error) else "expected degrees"
            self.problem(row.line, "lon/lat", f"{detail}, got {row.text('lon')!r}, {row.text('lat')!r}")
            return None

    def _split_of(self, row: Row) -> SplitOf | None:
        node = self._read(ACTION_CELLS["split_of"], row)
        if node is None:
            return None
        try:
            split_of: SplitOf = SPLIT_OF.read(node, Context(self.file, self.names))
        except FieldError as error:
            self.problem(
                row.line,
                "/".join(FIELD_COLUMNS["split_of"][1:]),
                f"expected the stated total as whole numbers, low <= best <= high: {error}",
            )
            return None
        return split_of


def read_action_table(path: Path, names: NameIndex) -> list[ReportContent]:
    """Every report of a CSV action table, validated like report files; InvalidInputError with
    every problem (file, line of the row, column)."""
    reader = _TableReader(str(path), names)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return reader.read(handle)
    except UnicodeDecodeError as error:
        raise InvalidInputError([InputProblem(str(path), None, None, f"not UTF-8 text: {error}")]) from error
    except csv.Error as error:
        raise InvalidInputError(
            [InputProblem(str(path), None, None, f"not a valid CSV file: {error}")]
        ) from error


_ACTION_FIELD = re.compile(r"^actions\[\d+\](?:\.(\w+))?")


def column_of(field: str | None) -> str | None:
    """The column a report-file field path is read from: ``actions[3].count`` is
    ``count_low/count_best/count_high``."""
    if field is None:
        return None
    if field == "id":
        return "report_id"
    if field.startswith("source."):
        name = field.removeprefix("source.")
        return "/".join(SOURCE_COLUMNS.get(name, (name,)))
    if field == "source":
        return "outlet/url/published"
    match = _ACTION_FIELD.match(field)
    if match is None:
        return field
    if match[1] is None:
        return None  # the whole row: its line says which
    return "/".join(FIELD_COLUMNS.get(match[1], (match[1],)))


def _present(entries: Mapping[str, Node | None]) -> dict[str, Node]:
    return {key: node for key, node in entries.items() if node is not None}
