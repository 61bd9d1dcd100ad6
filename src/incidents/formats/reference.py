"""Reference data files: ``aliases.yaml`` and the gazetteer CSV it points to.

A dataset folder carries its own reference data: ``aliases.yaml`` lists the names of operations,
actors and places, and names a gazetteer CSV (OCHA COD-AB columns) relative to itself.
"""

from __future__ import annotations

import csv
from pathlib import Path

from attrs import frozen

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
from incidents.gazetteer import AliasClash, NameIndex, alias_clashes, name_keys

ALIASES_FILE = "aliases.yaml"
GAZETTEER_COLUMNS = ("level", "pcode", "name_en", "adm1_en", "adm2_en")


def find_aliases_file(path: Path) -> Path | None:
    """The ``aliases.yaml`` of the dataset that ``path`` belongs to: in its folder or above."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        if (candidate / ALIASES_FILE).is_file():
            return candidate / ALIASES_FILE
    return None


SECTIONS = ("operations", "actors", "places")
TOP_KEYS = ("include", "gazetteer", *SECTIONS)
UNKNOWN = "<aliases>"  # where a listing is when its line is not known


@frozen
class _Listed:
    """Where a name is listed: the file and line of the listing."""

    file: str
    line: int | None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@frozen
class _ReferenceFile:
    """One aliases file as read: its groups by section, where each name is listed, its gazetteer."""

    path: Path
    groups: dict[str, dict[str, list[str]]]
    listed: dict[tuple[str, str, str], _Listed]  # (section, canonical, alias) -> where
    gazetteer: Path | None
    gazetteer_line: int | None


def read_name_index(aliases_file: Path | None) -> NameIndex:
    """Read aliases and gazetteer; with no file, every name is kept as written and flagged.

    An aliases file may ``include`` others (paths relative to it): their names come first, then
    its own, which may add aliases to the same canonical names. Every gazetteer is read from the
    folder of the file that names it. Every problem of every file (a name under two canonical
    names, in one file or across them; a name that is an actor and a place alias; an include
    that comes back to itself) is raised together, and nothing is returned."""
    if aliases_file is None:
        return NameIndex()
    problems: list[InputProblem] = []
    files = _read_with_includes(aliases_file, problems)
    groups: dict[str, dict[str, list[str]]] = {section: {} for section in SECTIONS}
    listed: dict[tuple[str, str, str], _Listed] = {}
    for read in files:
        for section, section_groups in read.groups.items():
            for canonical, aliases in section_groups.items():
                merged = groups[section].setdefault(canonical, [])
                merged.extend(alias for alias in aliases if alias not in merged)
        for key, where in read.listed.items():
            listed.setdefault(key, where)
    for section, section_groups in groups.items():
        for clash in alias_clashes(section_groups, canonical_is_a_name=section != "places"):
            problems.append(_clash_problem(section, clash, listed))
    problems.extend(_actors_that_are_places(groups, listed))
    units = _units_of(files, problems)
    problems.extend(_unknown_pcodes(groups["places"], units, listed))
    if problems:
        raise InvalidInputError(problems)
    return NameIndex.build(units=units.values(), **groups)


def _read_with_includes(aliases_file: Path, problems: list[InputProblem]) -> list[_ReferenceFile]:
    """The file and every file it includes, each once, included files first (in their order)."""
    done: set[Path] = set()
    files: list[_ReferenceFile] = []

    def visit(path: Path, chain: tuple[Path, ...]) -> None:
        resolved = path.resolve()
        if resolved in done:
            return
        done.add(resolved)
        try:
            root = parse_document(read_text(path), str(path))
        except InvalidInputError as error:
            problems.extend(error.problems)
            return
        read = _read_one(path, root, problems)
        for include, where in _includes(path, root, problems):
            through = (*chain, resolved)
            if include.resolve() in through:
                circle = [str(p) for p in through[through.index(include.resolve()) :]]
                problems.append(
                    InputProblem(
                        where.file,
                        where.line,
                        "include",
                        "the reference files include one another in a circle "
                        f"({' -> '.join([*circle, str(include.resolve())])})",
                    )
                )
                continue
            visit(include, through)
        files.append(read)

    visit(aliases_file, ())
    return files


def _includes(path: Path, root: Node, problems: list[InputProblem]) -> list[tuple[Path, _Listed]]:
    """The files ``include`` names (one path or a list of paths, relative to this file)."""
    node = root.get("include") if isinstance(root, Mapping) else None
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    items = node.items if isinstance(node, Sequence) else (node,)
    found: list[tuple[Path, _Listed]] = []
    for item in items:
        where = _Listed(str(path), item.line)
        if not isinstance(item, Scalar) or item.is_null or not item.text.strip():
            message = f"expected the path of an aliases file, got {describe(item)}"
            problems.append(InputProblem(str(path), item.line, "include", message))
            continue
        written = item.text.strip()
        if "\x00" in written:
            message = f"{written!r} holds a NUL character: no file has such a name"
            problems.append(InputProblem(str(path), item.line, "include", message))
            continue
        included = (path.parent / written).resolve()  # named in messages as found
        try:
            check_regular_file(included, "aliases file")
        except InvalidInputError as error:
            message = f"{written!r}: {error.problems[0].message}"
            problems.append(InputProblem(str(path), item.line, "include", message))
            continue
        found.append((included, where))
    return found


def _read_one(aliases_file: Path, root: Node, problems: list[InputProblem]) -> _ReferenceFile:
    file = str(aliases_file)
    if not isinstance(root, Mapping):
        problems.append(InputProblem(file, root.line, None, "expected a mapping of sections"))
        return _ReferenceFile(aliases_file, {}, {}, None, None)
    for key, node in root.entries.items():
        if key not in TOP_KEYS:
            message = f"unknown section; expected one of {sorted(TOP_KEYS)}"
            problems.append(InputProblem(file, node.line, key, message))
    lines: dict[tuple[str, str, str], int | None] = {}
    groups = {
        section: _alias_groups(root.get(section), section, file, problems, lines) for section in SECTIONS
    }
    listed = {key: _Listed(file, line) for key, line in lines.items()}
    gazetteer = root.get("gazetteer")
    path: Path | None = None
    if gazetteer is not None:
        if isinstance(gazetteer, Scalar) and not gazetteer.is_null:
            path = _inside_the_dataset(aliases_file, gazetteer, problems)
        else:
            message = f"expected a CSV path, got {describe(gazetteer)}"
            problems.append(InputProblem(file, gazetteer.line, "gazetteer", message))
    return _ReferenceFile(aliases_file, groups, listed, path, gazetteer.line if gazetteer else None)


def _units_of(files: list[_ReferenceFile], problems: list[InputProblem]) -> dict[str, AdminUnit]:
    """Every gazetteer's units by P-code, each gazetteer file read once. A P-code that two
    gazetteers describe differently is a problem: a place would resolve by the include order."""
    units: dict[str, AdminUnit] = {}
    source: dict[str, _Listed] = {}
    read: set[Path] = set()
    for reference in files:
        if reference.gazetteer is None or reference.gazetteer.resolve() in read:
            continue
        read.add(reference.gazetteer.resolve())
        where = _Listed(str(reference.path), reference.gazetteer_line)
        try:
            found = read_gazetteer(reference.gazetteer)
        except InvalidInputError as error:
            problems.extend(error.problems)
            continue
        for unit in found:
            known = units.setdefault(unit.pcode, unit)
            first = source.setdefault(unit.pcode, where)
            if known != unit:
                problems.append(
                    InputProblem(
                        where.file,
                        where.line,
                        "gazetteer",
                        f"{unit.pcode} is {unit} in this gazetteer and {known} in the gazetteer of "
                        f"{first}: a P-code is one unit",
                    )
                )
    return units


def _unknown_pcodes(
    places: dict[str, list[str]], units: dict[str, AdminUnit], listed: dict[tuple[str, str, str], _Listed]
) -> list[InputProblem]:
    problems = []
    for pcode in places:
        if pcode not in units:
            where = listed.get(("places", pcode, pcode), _Listed(UNKNOWN, None))
            hint = "" if units else " (no gazetteer is named: add gazetteer: FILE.csv)"
            problems.append(
                InputProblem(
                    where.file,
                    where.line,
                    f"places.{pcode}",
                    f"place aliases name P-codes the gazetteer lacks: {pcode}{hint}",
                )
            )
    return problems


def _actors_that_are_places(
    groups: dict[str, dict[str, list[str]]], listed: dict[tuple[str, str, str], _Listed]
) -> list[InputProblem]:
    """A name listed as an actor and as a place alias: ``side: Anbar`` would count the people of
    one, and the questions that take any name (``history``) would find the other."""
    actors: dict[str, tuple[str, str]] = {}
    for canonical, aliases in groups["actors"].items():
        for alias in (canonical, *aliases):
            for key in name_keys(alias):
                actors.setdefault(key, (canonical, alias))
    problems = []
    for pcode, aliases in groups["places"].items():
        for alias in aliases:
            clashing = sorted(key for key in name_keys(alias) if key in actors)
            if not clashing:
                continue
            canonical, as_actor = actors[clashing[0]]
            place = listed.get(("places", pcode, alias), _Listed(UNKNOWN, None))
            actor = listed.get(("actors", canonical, as_actor), _Listed(UNKNOWN, None))
            problems.append(
                InputProblem(
                    place.file,
                    place.line,
                    f"places.{pcode}",
                    f"{alias!r} is a place alias of {pcode} ({place}) and, as {as_actor!r}, the actor "
                    f"{canonical} ({actor}): a name can mean one of them only (list the actor under "
                    "its full name, such as 'Anbar Operations Command')",
                )
            )
    return problems


def _clash_problem(
    section: str, clash: AliasClash, listed: dict[tuple[str, str, str], _Listed]
) -> InputProblem:
    def where(canonical: str, alias: str) -> _Listed:
        return listed.get((section, canonical, alias), _Listed(UNKNOWN, None))

    (first, as_first), (second, as_second) = clash.first, clash.second
    at = where(second, as_second)
    return InputProblem(
        at.file,
        at.line,
        f"{section}.{second}",
        f"{as_second!r} is listed under {second} ({at}) and, as {as_first!r}, "
        f"under {first} ({where(first, as_first)}): a name can mean one of them only",
    )


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
