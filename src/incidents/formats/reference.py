"""Reference data files: ``aliases.yaml`` and the gazetteer CSV it points to.

A dataset folder carries its own reference data: ``aliases.yaml`` lists the names of operations,
actors and places, and names a gazetteer CSV (OCHA COD-AB columns) relative to itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

from incidents.domain.values import AdminUnit, Point
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import Mapping, Node, Scalar, Sequence, describe, parse_document
from incidents.gazetteer import NameIndex

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
    root = parse_document(aliases_file.read_text(encoding="utf-8"), file)
    problems: list[InputProblem] = []
    if not isinstance(root, Mapping):
        raise InvalidInputError([InputProblem(file, root.line, None, "expected a mapping of sections")])
    allowed = {"gazetteer", "operations", "actors", "places"}
    for key, node in root.entries.items():
        if key not in allowed:
            problems.append(
                InputProblem(file, node.line, key, f"unknown section; expected one of {sorted(allowed)}")
            )
    groups = {
        section: _alias_groups(root.get(section), section, file, problems)
        for section in ("operations", "actors", "places")
    }
    units: list[AdminUnit] = []
    gazetteer = root.get("gazetteer")
    if gazetteer is not None:
        if isinstance(gazetteer, Scalar) and not gazetteer.is_null:
            units = read_gazetteer(aliases_file.parent / gazetteer.text)
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


def _alias_groups(
    node: Node | None, section: str, file: str, problems: list[InputProblem]
) -> dict[str, list[str]]:
    if node is None:
        return {}
    if not isinstance(node, Mapping):
        problems.append(InputProblem(file, node.line, section, "expected a mapping of name: [aliases]"))
        return {}
    groups: dict[str, list[str]] = {}
    for name, aliases in node.entries.items():
        field = f"{section}.{name}"
        if isinstance(aliases, Sequence) and all(isinstance(a, Scalar) for a in aliases.items):
            groups[name] = [a.text for a in aliases.items if isinstance(a, Scalar)]
        elif isinstance(aliases, Scalar) and aliases.is_null:
            groups[name] = []
        else:
            problems.append(InputProblem(file, aliases.line, field, "expected a list of aliases"))
    return groups


def read_gazetteer(path: Path) -> list[AdminUnit]:
    """Read administrative units from an OCHA COD-AB style CSV."""
    file = str(path)
    if not path.is_file():
        raise InvalidInputError([InputProblem(file, None, None, "gazetteer file not found")])
    units: list[AdminUnit] = []
    problems: list[InputProblem] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in GAZETTEER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInputError([InputProblem(file, 1, None, f"missing columns: {', '.join(missing)}")])
        for row in reader:
            line = reader.line_num
            try:
                level = int(row["level"])
            except ValueError:
                problems.append(
                    InputProblem(file, line, "level", f"expected 1, 2 or 3, got {row['level']!r}")
                )
                continue
            try:
                centroid = _centroid(row)
            except ValueError as error:
                problems.append(InputProblem(file, line, "centroid_lon/centroid_lat", str(error)))
                continue
            units.append(
                AdminUnit(
                    pcode=row["pcode"],
                    name=row["name_en"],
                    level=level,
                    province=row["adm1_en"],
                    district=row["adm2_en"] or None,
                    centroid=centroid,
                )
            )
    if problems:
        raise InvalidInputError(problems)
    return units


def _centroid(row: dict[str, str]) -> Point | None:
    """The unit's centroid, when the gazetteer gives one (its columns are optional)."""
    lon, lat = row.get("centroid_lon") or "", row.get("centroid_lat") or ""
    if not lon and not lat:
        return None
    try:
        return Point(float(lon), float(lat))
    except ValueError as error:
        raise ValueError(f"expected a longitude and a latitude in degrees, got {lon!r}, {lat!r}") from error
