"""Reference data files: ``aliases.yaml`` and the gazetteer CSV it points to.

A dataset folder carries its own reference data: ``aliases.yaml`` lists the names of operations,
actors and places, and names a gazetteer CSV (OCHA COD-AB columns) relative to itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

from incidents.domain.values import AdminUnit, Point
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    TextLines,
    check_regular_file,
    describe,
    parse_document,
    read_text,
)
from incidents.gazetteer import AliasClash, NameIndex, alias_clashes

ALIASES_FILE = "aliases.yaml"
GAZETTEER_COLUMNS = ("level", "pcode", "name_en", "adm1_en", "adm2_en")


def find_aliases_file(path: Path) -> Path | None:
    """The ``aliases.yaml`` of the dataset that ``path`` belongs to: in its folder or above."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / ALIASES_FILE).is_file():
            return candidate / ALIASES_FILE
    return None


def read_name_index(aliases_file: Path | None) -> NameIndex:
    """Read aliases and gazetteer; with no file, every name is kept as written and flagged."""
    if aliases_file is None:
        return NameIndex()
    file = str(aliases_file)
    root = parse_document(read_text(aliases_file), file)
    problems: list[InputProblem] = []
    if not isinstance(root, Mapping):
        raise InvalidInputError([InputProblem(file, root.line, None, "expected a mapping of sections")])
    allowed = {"gazetteer", "operations", "actors", "places"}
    for key, node in root.entries.items():
        if key not in allowed:
            problems.append(
                InputProblem(file, node.line, key, f"unknown section; expected one of {sorted(allowed)}")
            )
    lines: dict[tuple[str, str, str], int | None] = {}  # (section, canonical, alias) -> line
    groups = {
        section: _alias_groups(root.get(section), section, file, problems, lines)
        for section in ("operations", "actors", "places")
    }
    for section, section_groups in groups.items():
        for clash in alias_clashes(section_groups, canonical_is_a_name=section != "places"):
            problems.append(_clash_problem(file, section, clash, lines))
    units: list[AdminUnit] = []
    gazetteer = root.get("gazetteer")
    if gazetteer is not None:
        if isinstance(gazetteer, Scalar) and not gazetteer.is_null:
            path = _inside_the_dataset(aliases_file, gazetteer, problems)
            if path is not None:
                units = read_gazetteer(path)
        else:
            problems.append(
                InputProblem(
                    file,
                    gazetteer.line,
                    "gazetteer",
                    f"expected a CSV path, got {describe(gazetteer)}",
                )
            )
    if problems:
        raise InvalidInputError(problems)
    try:
        return NameIndex.build(units=units, **groups)
    except ValueError as error:
        raise InvalidInputError([InputProblem(file, root.line, "places", str(error))]) from error


def _inside_the_dataset(aliases_file: Path, gazetteer: Scalar, problems: list[InputProblem]) -> Path | None:
    """The gazetteer's path, if it is inside the dataset's folder (the aliases file's, links
    followed), else None with the problem: reference data never reaches outside its dataset."""
    folder = aliases_file.parent.resolve()
    path = aliases_file.parent / gazetteer.text
    if "\x00" in gazetteer.text:
        message = f"{gazetteer.text!r} holds a NUL character: no file has such a name"
    elif not path.resolve().is_relative_to(folder):
        message = (
            f"{gazetteer.text!r} is outside the dataset's folder ({folder}): name a CSV file in "
            "that folder or below it, relative to this file"
        )
    else:
        try:
            check_regular_file(path, "gazetteer file")
            return path
        except InvalidInputError as error:
            message = f"{gazetteer.text!r}: {error.problems[0].message}"
    problems.append(InputProblem(str(aliases_file), gazetteer.line, "gazetteer", message))
    return None


def _clash_problem(
    file: str, section: str, clash: AliasClash, lines: dict[tuple[str, str, str], int | None]
) -> InputProblem:
    def place(canonical: str, alias: str) -> str:
        line = lines.get((section, canonical, alias))
        return file if line is None else f"{file}:{line}"

    (first, as_first), (second, as_second) = clash.first, clash.second
    return InputProblem(
        file,
        lines.get((section, second, as_second)),
        f"{section}.{second}",
        f"{as_second!r} is listed under {second} ({place(second, as_second)}) and, as {as_first!r}, "
        f"under {first} ({place(first, as_first)}): a name can mean one of them only",
    )


def _alias_groups(
    node: Node | None,
    section: str,
    file: str,
    problems: list[InputProblem],
    lines: dict[tuple[str, str, str], int | None],
) -> dict[str, list[str]]:
    if node is None:
        return {}
    if not isinstance(node, Mapping):
        problems.append(InputProblem(file, node.line, section, "expected a mapping of name: [aliases]"))
        return {}
    groups: dict[str, list[str]] = {}
    for name, aliases in node.entries.items():
        field = f"{section}.{name}"
        lines.setdefault((section, name, name), node.key_lines.get(name, aliases.line))
        if isinstance(aliases, Sequence) and all(isinstance(a, Scalar) for a in aliases.items):
            groups[name] = [a.text for a in aliases.items if isinstance(a, Scalar)]
            for alias in aliases.items:
                if isinstance(alias, Scalar):
                    lines.setdefault((section, name, alias.text), alias.line)
        elif isinstance(aliases, Scalar) and aliases.is_null:
            groups[name] = []
        else:
            problems.append(InputProblem(file, aliases.line, field, "expected a list of aliases"))
    return groups


def read_gazetteer(path: Path) -> list[AdminUnit]:
    """Read administrative units from an OCHA COD-AB style CSV."""
    file = str(path)
    if not path.exists():
        raise InvalidInputError([InputProblem(file, None, None, "gazetteer file not found")])
    units: list[AdminUnit] = []
    problems: list[InputProblem] = []
    reader = csv.DictReader(TextLines(path))
    try:
        missing = [c for c in GAZETTEER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInputError([InputProblem(file, 1, None, f"missing columns: {', '.join(missing)}")])
        for row in reader:
            unit = _unit(row, file, reader.line_num, problems)
            if unit is not None:
                units.append(unit)
    except csv.Error as error:
        raise InvalidInputError(
            [InputProblem(file, reader.line_num, None, f"not valid CSV: {error}")]
        ) from None
    if problems:
        raise InvalidInputError(problems)
    return units


def _unit(row: dict[str, str], file: str, line: int, problems: list[InputProblem]) -> AdminUnit | None:
    """The unit of one gazetteer row, or None with its problem recorded."""
    if None in row.values():
        problems.append(InputProblem(file, line, None, f"expected the {len(row)} columns of the header"))
        return None
    level = row["level"].strip()
    if not (level.isascii() and level.isdigit() and len(level) == 1):
        problems.append(InputProblem(file, line, "level", f"expected 1, 2 or 3, got {level[:40]!r}"))
        return None
    try:
        centroid = _centroid(row)
    except ValueError as error:
        problems.append(InputProblem(file, line, "centroid_lon/centroid_lat", str(error)))
        return None
    try:
        return AdminUnit(
            pcode=row["pcode"],
            name=row["name_en"],
            level=int(level),
            province=row["adm1_en"],
            district=row["adm2_en"] or None,
            centroid=centroid,
        )
    except (ValueError, TypeError) as error:
        problems.append(InputProblem(file, line, None, str(error)))
        return None


def _centroid(row: dict[str, str]) -> Point | None:
    """The unit's centroid, when the gazetteer gives one (its columns are optional)."""
    lon, lat = row.get("centroid_lon") or "", row.get("centroid_lat") or ""
    if not lon and not lat:
        return None
    try:
        return Point(float(lon), float(lat))
    except ValueError as error:
        raise ValueError(
            f"expected a longitude and a latitude in degrees, got {lon[:40]!r}, {lat[:40]!r}"
        ) from error
