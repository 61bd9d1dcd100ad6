"""The CSV action table: one row per exported action, its report's columns repeated on each row.

Meant for spreadsheets and for moving a log between stores: every field of every action type has
a column (empty when the action has no such field), lists are joined with ``; ``, and a few
columns say what the store resolved (``pcode``, ``province``, ``district``, ``lon``, ``lat``) or
how the viewpoint stands (``standing``, ``uncertain_because``).

Read back, each report's rows become the tree a report file parses into and go through the
report-file parser (``reparse``), so a cell means what the same value means in a report file,
and every problem names the file, the row's line and the column. Which columns are read, which
are checked and which are only informative is documented in docs/data-format.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
from attrs import frozen

from incidents.domain.actions import AreaAction, CountedAction, Metric, ReportedAction
from incidents.domain.amendments import AMENDMENT_KINDS
from incidents.domain.values import Estimate, Name, Place, Point, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.export.exported import ExportedAction, ExportError, Written
from incidents.formats.export.reparse import UNRESOLVED, ActionExtras, PlaceExtras, reparse
from incidents.formats.located import Mapping as MappingNode
from incidents.formats.located import Node, Scalar
from incidents.formats.located import Sequence as SequenceNode
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex

LIST_SEPARATOR = "; "

REPORT_COLUMNS = ("report_id", "outlet", "url", "published", "published_precision", "title", "language")
COLUMNS = (
    *REPORT_COLUMNS,
    "action_id",
    "type",
    "occurred",
    "precision",
    "standing",
    "uncertain_because",
    "operation",
    "phase",
    "side",
    "actor",
    "count_low",
    "count_best",
    "count_high",
    "metric",
    "means",
    "item",
    "claimant",
    "place",
    "area",
    "place_qualifier",
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
    "quote",
)
REQUIRED_COLUMNS = ("outlet", "url", "published", "type", "occurred", "quote")

# The columns each field of the catalogue is written to (and problems with the field are told as).
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("action_id",),
    "occurred": ("occurred", "precision"),
    "quote": ("quote",),
    "operation": ("operation",),
    "phase": ("phase",),
    "side": ("side",),
    "actor": ("actor",),
    "count": ("count_low", "count_best", "count_high"),
    "metric": ("metric",),
    "means": ("means",),
    "item": ("item",),
    "claimant": ("claimant",),
    "place": ("place", "place_qualifier"),
    "area": ("area", "place_qualifier"),
    "names": ("names",),
    "aim": ("aim",),
    "forces": ("forces",),
    "supervisor": ("supervisor",),
    "regions": ("regions", "region_qualifiers"),
    "region": ("region",),
    "estimator": ("estimator",),
    "split_of": ("split_of", "split_stated_low", "split_stated_best", "split_stated_high"),
}
SOURCE_COLUMNS = {"published": ("published", "published_precision")}
# The fields written to one cell of their own name, as text (names canonical, metric its value).
ONE_CELL_FIELDS = (
    "operation",
    "phase",
    "side",
    "actor",
    "metric",
    "means",
    "item",
    "claimant",
    "aim",
    "supervisor",
    "region",
    "estimator",
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
            {column: "" if value is None else str(value) for column, value in table_row(item).items()}
        )
    return Written(len(exported))


def table_row(item: ExportedAction) -> dict[str, Any]:
    """The row of one action: text, whole numbers, degrees, or None for an empty cell."""
    action, source = item.action, item.source
    row: dict[str, Any] = {
        "report_id": item.report_key,
        "outlet": source.outlet,
        "url": source.url,
        "published": str(source.published),
        "published_precision": source.published.precision.value,
        "title": source.title,
        "language": source.language,
        "action_id": action.id,
        "type": action.kind,
        "occurred": str(action.occurred),
        "precision": action.occurred.precision.value,
        "standing": "counted" if item.uncertain_because is None else "uncertain",
        "uncertain_because": item.uncertain_because,
        "quote": action.quote,
    }
    fields = attrs.fields_dict(type(action))  # not ``metric`` of a killed: that is its kind's
    for name in ONE_CELL_FIELDS:
        row[name] = _text_of(getattr(action, name)) if name in fields else None
    row.update(_estimate_cells("count", getattr(action, "count", None)))
    row.update(_place_cells(action))
    row.update({column: LIST_SEPARATOR.join(items) or None for column, items in list_cells(action).items()})
    split_of: SplitOf | None = getattr(action, "split_of", None)
    row["split_of"] = split_of.statement if split_of else None
    row.update(_estimate_cells("split_stated", split_of.stated if split_of else None))
    return {column: row[column] for column in COLUMNS}


def list_cells(action: ReportedAction) -> dict[str, list[str]]:
    """The items of each list column (empty lists for the columns the action does not use)."""
    regions: tuple[Place, ...] = getattr(action, "regions", ())
    qualified = any(place.qualifier for place in regions)
    resolved = any(place.unit for place in regions)
    return {
        "names": list(getattr(action, "names", ())),
        "forces": [name.canonical for name in getattr(action, "forces", ())],
        "regions": [place.written for place in regions],
        "region_qualifiers": [place.qualifier or "" for place in regions] if qualified else [],
        "region_pcodes": [place.unit.pcode if place.unit else "" for place in regions] if resolved else [],
    }


def unwritable(item: ExportedAction) -> list[str]:
    """What of an action the table could not give back: a list item containing ``;`` (the
    separator), or coordinates stated for a phase's region (the table has them for the place of
    the action only)."""
    found = [
        f"{item.ref}: {column}: {value!r} contains ';', which separates the items of a cell"
        for column, values in list_cells(item.action).items()
        for value in values
        if ";" in value
    ]
    regions: tuple[Place, ...] = getattr(item.action, "regions", ())
    found.extend(
        f"{item.ref}: regions: {place.written!r} has coordinates stated by the source"
        for place in regions
        if place.point is not None
    )
    return found


def _text_of(value: object) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Name):
        return value.canonical
    if isinstance(value, Metric):
        return value.value
    raise TypeError(f"no cell for a {type(value).__name__}")


def _estimate_cells(prefix: str, estimate: Estimate | None) -> dict[str, int | None]:
    if estimate is None:
        return {f"{prefix}_low": None, f"{prefix}_best": None, f"{prefix}_high": None}
    return {f"{prefix}_low": estimate.low, f"{prefix}_best": estimate.best, f"{prefix}_high": estimate.high}


def _place_cells(action: ReportedAction) -> dict[str, Any]:
    place = action.place_of_action
    unit = place.unit if place else None
    location = place.location if place else None
    coordinates_from = None
    if place is not None and place.point is not None:
        coordinates_from = STATED_BY_SOURCE
    elif location is not None:
        coordinates_from = GAZETTEER
    return {
        "place": place.written if place and isinstance(action, CountedAction) else None,
        "area": place.written if place and isinstance(action, AreaAction) else None,
        "place_qualifier": place.qualifier if place else None,
        "pcode": unit.pcode if unit else None,
        "province": unit.province if unit else None,
        "district": unit.district if unit else None,
        "lon": location.lon if location else None,
        "lat": location.lat if location else None,
        "coordinates_from": coordinates_from,
    }


# --- Reading --------------------------------------------------------------------------------------


@frozen
class _Row:
    """One row of the table, with the line it starts on."""

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
        reports: dict[str, list[_Row]] = {}
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

    def _rows(self, handle: IO[str]) -> Iterator[_Row]:
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
            yield _Row(dict(zip(self.header, cells, strict=True)), line)

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

    def _check_report_columns(self, rows: list[_Row]) -> None:
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

    def _report_tree(self, rows: list[_Row]) -> tuple[MappingNode, dict[str, ActionExtras]]:
        """The report as a report file would state it, and what only the table says."""
        first = rows[0]
        source = {
            "outlet": first.scalar("outlet"),
            "title": first.scalar("title"),
            "url": first.scalar("url"),
            "published": _span(first, "published", "published_precision"),
            "language": first.scalar("language"),
        }
        entries: dict[str, Node] = {}
        if report_id := first.scalar("report_id"):
            entries["id"] = report_id
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

    def _action_tree(self, row: _Row) -> MappingNode:
        if row.text("type") in AMENDMENT_KINDS:
            self.problem(row.line, "type", "an action table holds actions; amendments are not exported")
        entries: dict[str, Node | None] = {
            "type": row.scalar("type"),
            "id": row.scalar("action_id"),
            "occurred": _span(row, "occurred", "precision"),
            "quote": row.scalar("quote"),
            **{name: row.scalar(name) for name in ONE_CELL_FIELDS},
            "count": _estimate(row),
            "names": _list(row, "names"),
            "forces": _list(row, "forces"),
            "regions": self._regions(row),
        }
        qualifier = row.scalar("place_qualifier")
        for column in ("place", "area"):
            entries[column] = _place(row.scalar(column), qualifier, row.line)
        if qualifier and not row.text("place") and not row.text("area"):
            self.problem(row.line, "place_qualifier", "a qualifier needs a place or an area")
        return MappingNode(_present(entries), row.line)

    def _regions(self, row: _Row) -> SequenceNode | None:
        names = row.items("regions")
        qualifiers = row.items("region_qualifiers") or [""] * len(names)
        if len(qualifiers) != len(names):
            self.problem(
                row.line,
                "region_qualifiers",
                f"expected one qualifier (or an empty one) per region: {len(names)}, got {len(qualifiers)}",
            )
            return None
        places = [
            _place(Scalar(name, row.line), Scalar(qualifier, row.line) if qualifier else None, row.line)
            for name, qualifier in zip(names, qualifiers, strict=True)
        ]
        return SequenceNode(tuple(p for p in places if p is not None), row.line) if names else None

    def _extras(self, row: _Row) -> ActionExtras | None:
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

    def _pcode(self, row: _Row) -> str | None:
        return (row.text("pcode") or UNRESOLVED) if "pcode" in self.header else None

    def _point(self, row: _Row) -> Point | None:
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

    def _split_of(self, row: _Row) -> SplitOf | None:
        statement = row.text("split_of")
        cells = [row.text(f"split_stated_{part}") for part in ("low", "best", "high")]
        if not statement:
            if any(cells):
                self.problem(
                    row.line, "split_of", "the stated total of a split needs the id of its statement"
                )
            return None
        low, best, high = cells
        try:
            return SplitOf(statement, Estimate(int(low), int(best) if best else None, int(high)))
        except ValueError as error:
            self.problem(
                row.line,
                "split_stated_low/split_stated_best/split_stated_high",
                f"expected the stated total as whole numbers, low <= best <= high: {error}",
            )
            return None


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


def _span(row: _Row, column: str, precision_column: str) -> Node | None:
    """``2019-08-24/2019-08-27`` with its precision, as the report-file mapping from/to/precision."""
    text = row.text(column)
    precision = row.scalar(precision_column)
    if not text or precision is None:
        return row.scalar(column)  # no precision: read as a report file reads the date alone
    start, _, end = text.partition("/")
    return MappingNode(
        {"from": Scalar(start, row.line), "to": Scalar(end or start, row.line), "precision": precision},
        row.line,
    )


def _estimate(row: _Row) -> Node | None:
    cells = {part: row.scalar(f"count_{part}") for part in ("low", "best", "high")}
    if cells["low"] is None and cells["high"] is None:
        return cells["best"]  # a best figure alone is an exact count
    return MappingNode(_present(cells), row.line)


def _list(row: _Row, column: str) -> SequenceNode | None:
    items = row.items(column)
    return SequenceNode(tuple(Scalar(item, row.line) for item in items), row.line) if items else None


def _place(name: Scalar | None, qualifier: Scalar | None, line: int) -> Node | None:
    if name is None:
        return None
    if qualifier is None:
        return name
    return MappingNode({"name": name, "qualifier": qualifier}, line)
