"""The JSON bundle ``incidents/export v1``: several reports in one file, each as a report file
writes it, with the viewpoint it was exported from.

```json
{
  "format": "incidents/export v1",
  "query": {"as_of": "2019-08-28", "known_at": null, "recorded_at": null},
  "reports": [{"id": "...", "source": {...}, "actions": [...]}, ...],
  "uncertain": [{"report": "...", "id": "...", "reason": "..."}],
  "conflicts": [{"report": "...", "id": "...", "conflict": "..."}]
}
```

``conflicts`` (written only when there are some, read and ignored) marks the launches another
source numbers or dates differently, as ``incidents phases`` marks them.

Written report by report (never the whole file in memory), and read by parsing each report with
the report-file parser (``reparse``), so that ``incidents load`` accepts a bundle wherever it
accepts a report file. An export of changes (``incidents export --changed-since``) holds the
actions added or changed since then, and lists those it withdraws in ``"withdrawn"`` (report
and id); it is an increment to apply, not a log to load (``incidents load`` refuses that key).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Mapping, Sequence
from typing import IO, Any, TypeGuard

import attrs

from incidents.domain.values import Point, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.export.exported import ExportedAction, Written, by_report
from incidents.formats.export.reparse import (
    UNRESOLVED,
    ActionExtras,
    PlaceExtras,
    is_blank,
    reparse,
    yaml_safe_json,
)
from incidents.formats.export.report_writer import PLACE_FIELDS, action_document, report_document
from incidents.formats.fields import SPLIT_OF, Context, FieldError
from incidents.formats.located import Mapping as MappingNode
from incidents.formats.located import Node, Scalar, describe
from incidents.formats.located import Sequence as SequenceNode
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex

EXPORT_FORMAT = "incidents/export v1"
BUNDLE_KEYS = ("format", "query", "reports", "uncertain", "conflicts")
EXPORT_ONLY_PLACE_KEYS = ("pcode", "point")


# --- Writing --------------------------------------------------------------------------------------


def write_bundle(exported: Sequence[ExportedAction], query: Mapping[str, Any], stream: IO[str]) -> Written:
    """Write the bundle, one report at a time."""
    stream.write("{\n")
    stream.write(f'  "format": {yaml_safe_json(EXPORT_FORMAT)},\n')
    stream.write(f'  "query": {yaml_safe_json(dict(query))},\n')
    stream.write('  "reports": [')
    uncertain: list[dict[str, str]] = []
    conflicts: list[dict[str, str]] = []
    withdrawn = [{"report": item.report_key, "id": item.action.id} for item in exported if item.withdrawn]
    for number, report in enumerate(by_report(item for item in exported if not item.withdrawn)):
        actions = [action_document(item.action) for item in report.actions]
        text = yaml_safe_json(report_document(report.key, report.source, actions), indent=2)
        stream.write(("," if number else "") + "\n" + textwrap.indent(text, "    "))
        uncertain.extend(
            {"report": item.report_key, "id": item.action.id, "reason": item.uncertain_because}
            for item in report.actions
            if item.uncertain_because is not None
        )
        conflicts.extend(
            {"report": item.report_key, "id": item.action.id, "conflict": item.conflict}
            for item in report.actions
            if item.conflict is not None
        )
    stream.write("\n  ],\n")
    stream.write('  "uncertain": [')
    stream.write(",".join(f"\n    {yaml_safe_json(row)}" for row in uncertain))
    stream.write("\n  ]" if uncertain else "]")
    # Written only when there are some: the launches another source numbers or dates differently
    # (as phases marks them), and what an export of changes (``export --changed-since``) no
    # longer holds.
    for key, rows in (("conflicts", conflicts), ("withdrawn", withdrawn)):
        if rows:
            stream.write(f',\n  "{key}": [')
            stream.write(",".join(f"\n    {yaml_safe_json(row)}" for row in rows))
            stream.write("\n  ]")
    stream.write("\n}\n")
    return Written(len(exported))


# --- Reading --------------------------------------------------------------------------------------


def is_bundle(root: Node) -> TypeGuard[MappingNode]:
    """Whether a parsed document is a bundle (its top level says ``format: incidents/export v1``)."""
    if not isinstance(root, MappingNode):
        return False
    format_node = root.get("format")
    return isinstance(format_node, Scalar) and format_node.text == EXPORT_FORMAT


def read_bundle(root: Node, file: str, names: NameIndex) -> list[ReportContent]:
    """Every report of a parsed bundle, validated like report files; InvalidInputError with every
    problem."""
    if not is_bundle(root):
        raise InvalidInputError([InputProblem(file, root.line, "format", f"expected {EXPORT_FORMAT!r}")])
    problems: list[InputProblem] = [
        InputProblem(file, node.line, key, f"unknown field; expected one of: {', '.join(BUNDLE_KEYS)}")
        for key, node in root.entries.items()
        if key not in BUNDLE_KEYS
    ]
    reports = root.get("reports")
    if not isinstance(reports, SequenceNode):
        got = "nothing" if reports is None else describe(reports)
        problems.append(InputProblem(file, root.line, "reports", f"expected a list of reports, got {got}"))
        raise InvalidInputError(problems)
    contents: list[ReportContent] = []
    first_line: dict[str, int | None] = {}
    for index, node in enumerate(reports.items):
        path = f"reports[{index}]"
        if not isinstance(node, MappingNode):
            problems.append(InputProblem(file, node.line, path, f"expected a report, got {describe(node)}"))
            continue
        tree, extras = _without_extras(node, path, file, problems)
        try:
            content = reparse(tree, extras, file, names, functools.partial(_prefixed, path))
        except InvalidInputError as error:
            problems.extend(error.problems)
            continue
        if content.key in first_line:
            problems.append(
                InputProblem(
                    file,
                    node.line,
                    f"{path}.id",
                    f"report id {content.key!r} is used twice (first on line {first_line[content.key]})",
                )
            )
        first_line.setdefault(content.key, node.line)
        contents.append(content)
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda problem: problem.line or 0))
    return contents


def _prefixed(path: str, field: str | None) -> str:
    return f"{path}.{field}" if field else path


def _without_extras(
    report: MappingNode, path: str, file: str, problems: list[InputProblem]
) -> tuple[MappingNode, dict[str, ActionExtras]]:
    """The report as a report file would say it, and the export-only keys of its actions by id."""
    actions = report.get("actions")
    if not isinstance(actions, SequenceNode):
        return report, {}
    entries: list[Node] = []
    extras: dict[str, ActionExtras] = {}
    for index, entry in enumerate(actions.items):
        if not isinstance(entry, MappingNode):
            entries.append(entry)
            continue
        entry_path = f"{path}.actions[{index}]"
        kept, found = _entry_without_extras(entry, entry_path, file, problems)
        entries.append(kept)
        if found is None:
            continue
        if entry.get("breakdown") is not None:
            problems.append(
                InputProblem(
                    file,
                    entry.line,
                    entry_path,
                    "split_of, pcode and point cannot be combined with breakdown",
                )
            )
        id_node = entry.get("id")
        action_id = id_node.text.strip() if isinstance(id_node, Scalar) else str(index + 1)
        extras[action_id] = found
    kept_report = dict(report.entries, actions=SequenceNode(tuple(entries), actions.line))
    return MappingNode(kept_report, report.line), extras


def _entry_without_extras(
    entry: MappingNode, path: str, file: str, problems: list[InputProblem]
) -> tuple[MappingNode, ActionExtras | None]:
    kept: dict[str, Node] = {}
    extras = ActionExtras()
    for key, node in entry.entries.items():
        if key == "split_of":
            split_of = _split_of(node, f"{path}.split_of", file, problems)
            extras = attrs.evolve(
                extras, split_of=split_of, split_line=node.line, split_field=f"{path}.split_of"
            )
            continue
        if key in PLACE_FIELDS:
            node, notes = _places_without_extras(node, f"{path}.{key}", file, problems)
            if notes:
                extras = attrs.evolve(extras, places={**extras.places, key: notes})
        kept[key] = node
    found = extras if extras.split_of is not None or extras.places else None
    return MappingNode(kept, entry.line), found


def _places_without_extras(
    node: Node, path: str, file: str, problems: list[InputProblem]
) -> tuple[Node, tuple[PlaceExtras, ...]]:
    """A place (or a list of them) without pcode and point, and what those said (none: empty)."""
    if isinstance(node, SequenceNode):
        paths = [f"{path}[{index}]" for index in range(len(node.items))]
        items = node.items
    else:
        paths, items = [path], (node,)
    stripped = [
        _place_without_extras(item, item_path, file, problems)
        for item, item_path in zip(items, paths, strict=True)
    ]
    bare = tuple(item for item, _note in stripped)
    notes = tuple(
        note or PlaceExtras(item.line, item_path)
        for (item, note), item_path in zip(stripped, paths, strict=True)
    )
    kept = SequenceNode(bare, node.line) if isinstance(node, SequenceNode) else bare[0]
    return kept, notes if any(note for _item, note in stripped) else ()


def _place_without_extras(
    node: Node, path: str, file: str, problems: list[InputProblem]
) -> tuple[Node, PlaceExtras | None]:
    if not isinstance(node, MappingNode) or not set(EXPORT_ONLY_PLACE_KEYS) & set(node.entries):
        return node, None
    pcode_node, point_node = node.get("pcode"), node.get("point")
    pcode = None
    if pcode_node is not None:
        pcode = UNRESOLVED if is_blank(pcode_node) else _text(pcode_node, f"{path}.pcode", file, problems)
    point = _point(point_node, f"{path}.point", file, problems) if point_node is not None else None
    bare = {key: value for key, value in node.entries.items() if key not in EXPORT_ONLY_PLACE_KEYS}
    return MappingNode(bare, node.line), PlaceExtras(node.line, path, pcode, point)


def _text(node: Node, path: str, file: str, problems: list[InputProblem]) -> str | None:
    if isinstance(node, Scalar) and not node.is_null and node.text.strip():
        return node.text.strip()
    problems.append(InputProblem(file, node.line, path, f"expected text, got {describe(node)}"))
    return None


def _number(node: Node, path: str, file: str, problems: list[InputProblem]) -> float | None:
    if isinstance(node, Scalar):
        try:
            return float(node.text)
        except ValueError:
            pass
    problems.append(InputProblem(file, node.line, path, f"expected degrees, got {describe(node)}"))
    return None


def _point(node: Node, path: str, file: str, problems: list[InputProblem]) -> Point | None:
    if not isinstance(node, MappingNode) or set(node.entries) != {"lon", "lat"}:
        problems.append(InputProblem(file, node.line, path, "expected a mapping with lon and lat"))
        return None
    lon = _number(node.entries["lon"], f"{path}.lon", file, problems)
    lat = _number(node.entries["lat"], f"{path}.lat", file, problems)
    if lon is None or lat is None:
        return None
    try:
        return Point(lon, lat)
    except ValueError as error:
        problems.append(InputProblem(file, node.line, path, str(error)))
        return None


def _split_of(node: Node, path: str, file: str, problems: list[InputProblem]) -> SplitOf | None:
    """``{statement: ID, stated: COUNT}``, read by the field table (the count as a report file's)."""
    try:
        split_of: SplitOf = SPLIT_OF.read(node, Context(file, NameIndex()))
    except FieldError as error:
        problems.append(InputProblem(file, error.line, path, str(error)))
        return None
    return split_of
