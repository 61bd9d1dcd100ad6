"""Exported reports read back through the report-file parser, at the export file's own lines.

Both readers (the JSON bundle, the CSV action table) build, for each report, the located tree a
report file parses into: mappings, lists and scalars that remember their line in the export. The
tree is handed to :func:`~incidents.formats.report_file.parse_report_tree` as it is (never
written out as text and read again), so every value means exactly what it means in a report
file, and the parser's problems, flags and statement lines name the export's own lines; field
paths are renamed to the export's own (``reports[2].actions[0].count``, or a CSV column).

What the report-file format cannot say (the split a part belongs to, the unit a place resolved to,
coordinates a source stated) travels beside the tree as :class:`ActionExtras`, and is applied or
checked once the parser has built the actions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from attrs import field, frozen

from incidents.domain.actions import CountedAction, ReportedAction
from incidents.domain.values import Place, Point, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import Mapping as MappingNode
from incidents.formats.located import Node, Scalar
from incidents.formats.report_file import ReportContent, Statement, parse_report_tree
from incidents.gazetteer import NameIndex

UNRESOLVED = ""  # the P-code an export states for a place that resolved to no unit

# Characters a YAML reader refuses in a document, or counts as line breaks: escaped in strings.
_UNSAFE_FOR_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")

FieldNamer = Callable[[str | None], str | None]


@frozen
class PlaceExtras:
    """What an export says of one place beyond its name and qualifier, and where it says it."""

    line: int | None
    field: str
    pcode: str | None = None  # the unit the export resolved it to (UNRESOLVED: none); None: not stated
    point: Point | None = None


@frozen
class ActionExtras:
    """What an export says of one action that a report file cannot."""

    split_of: SplitOf | None = None
    split_line: int | None = None
    split_field: str = "split_of"
    places: Mapping[str, tuple[PlaceExtras, ...]] = field(factory=dict)  # by field name


def yaml_safe_json(value: Any, **options: Any) -> str:
    """``json.dumps`` whose strings a YAML reader reads back unchanged, on the same lines."""
    # Not ensure_ascii: astral characters would become surrogate pairs, which YAML does not join.
    text = json.dumps(value, ensure_ascii=False, **options)
    return _UNSAFE_FOR_YAML.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def reparse(
    tree: MappingNode,
    extras: Mapping[str, ActionExtras],
    file: str,
    names: NameIndex,
    field_name: FieldNamer,
) -> ReportContent:
    """Parse one exported report as a report file, then apply what only the export can say.

    ``extras`` are keyed by action id; ``field_name`` renames the parser's field paths to the
    export's own (``actions[0].count`` to ``reports[1].actions[0].count``, or ``count_low``).
    Raises InvalidInputError with every problem, at the export's lines.
    """
    try:
        content = parse_report_tree(tree, file, names)
    except InvalidInputError as error:
        raise InvalidInputError(
            [attrs.evolve(problem, field=field_name(problem.field)) for problem in error.problems]
        ) from None
    problems: list[InputProblem] = []
    statements = tuple(
        _with_extras(statement, extras.get(statement.id), file, problems) for statement in content.actions
    )
    if problems:
        raise InvalidInputError(problems)
    return attrs.evolve(
        content,
        actions=statements,
        lines={key: (line, field_name(path) or path) for key, (line, path) in content.lines.items()},
    )


def _with_extras(
    statement: Statement, extras: ActionExtras | None, file: str, problems: list[InputProblem]
) -> Statement:
    if extras is None or not isinstance(statement, ReportedAction):
        return statement
    changes: dict[str, Any] = {}
    if extras.split_of is not None:
        if isinstance(statement, CountedAction):
            changes["split_of"] = extras.split_of
        else:
            problems.append(
                InputProblem(
                    file,
                    extras.split_line,
                    extras.split_field,
                    f"only a counted action can be part of a split total, not a {statement.kind}",
                )
            )
    for name, notes in extras.places.items():
        value = getattr(statement, name, None)
        places = value if isinstance(value, tuple) else (value,)
        if len(places) != len(notes) or not all(isinstance(place, Place) for place in places):
            continue  # the parser has refused this field already, or it is not a place
        kept = tuple(
            _checked_place(place, note, file, problems) for place, note in zip(places, notes, strict=True)
        )
        changes[name] = kept if isinstance(value, tuple) else kept[0]
    return attrs.evolve(statement, **changes) if changes else statement


def _checked_place(place: Place, note: PlaceExtras, file: str, problems: list[InputProblem]) -> Place:
    """The place with its stated point; a problem if it no longer resolves to the exported unit."""
    resolved = place.unit.pcode if place.unit is not None else UNRESOLVED
    if note.pcode is not None and note.pcode != resolved:
        exported = f"to {note.pcode}" if note.pcode else "to no unit"
        now = f"to {resolved} ({place.unit})" if place.unit is not None else "to no unit"
        problems.append(
            InputProblem(
                file,
                note.line,
                note.field,
                f"the export resolved {place.written!r} {exported}, but the reference data in use "
                f"resolves it {now}: load with the aliases.yaml of the store it was exported from "
                "(--aliases FILE)",
            )
        )
    return attrs.evolve(place, point=note.point) if note.point is not None else place


def is_blank(node: Node) -> bool:
    return isinstance(node, Scalar) and (node.is_null or not node.text.strip())
