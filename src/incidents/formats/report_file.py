"""Report files (formats v1 and v2, YAML or JSON): one source report and the actions it states.

Parsing is driven by the event catalogue and the field table (``fields.py``): an entry of
``type: killed`` may carry exactly the fields of :class:`~incidents.domain.actions.Killed`, each
read by the kind of value the table gives that field name, the same table the JSON Schema
(``schema.py``) and the CSV action table are generated from. Amendments (``type: correction``,
``retraction``, ``duplicate``, ``preference``; see ``domain/amendments.py``) are entries of the
same list, read the same way; whether their targets exist is checked when they are loaded
(``loading.py``). Every problem in a file is collected, each with file, line and field, before
anything is raised; nothing is written from a file with a problem.

A document already in memory (built by a program, or loaded with ``json``) is read by
:func:`parse_report_tree` without being written out as text first: the same rules, the same
problems, with the lines where the tree knows them and the field path always.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping as AbcMapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from incidents.domain.actions import ACTION_KINDS, CountedAction, ReportedAction
from incidents.domain.amendments import AMENDMENT_KINDS, Amendment
from incidents.domain.values import Estimate, SourceRef, SplitOf
from incidents.formats.digest import matches, report_digest
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.fields import (
    ACTION_FIELDS,
    COUNT_FORMS_SINCE_V2,
    FORMAT,
    FORMAT_V1,
    FORMATS,
    KINDS_SINCE_V2,
    METRICS_SINCE_V2,
    NOT_FROM_FILES,
    REPORT_FIELDS,
    SOURCE_FIELDS,
    Context,
    FieldError,
    did_you_mean,
    is_null,
)
from incidents.formats.located import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    describe,
    from_plain,
    parse_document,
    read_text,
)
from incidents.gazetteer import NameIndex

__all__ = [
    "BREAKDOWN_KEYS",
    "FIELD_PARSERS",
    "FORMAT",
    "FORMATS",
    "FORMAT_V1",
    "NOT_FROM_FILES",
    "REPORT_SUFFIXES",
    "SOURCE_KEYS",
    "STATEMENT_KINDS",
    "FieldError",
    "ReportContent",
    "Statement",
    "breakdown_keys",
    "parse_report",
    "parse_report_tree",
    "read_report_file",
]

REPORT_SUFFIXES = (".yaml", ".yml", ".json")
TOP_LEVEL_KEYS = ("format", "id", "source", "actions", "notes")
SOURCE_KEYS = tuple(SOURCE_FIELDS)
# What a part of a breakdown may state for itself (of the fields its type has); the rest it
# takes from the stated total.
BREAKDOWN_KEYS = ("count", "actor", "means", "place", "occurred", "id", "quote", "item")

Statement = ReportedAction | Amendment
STATEMENT_KINDS: dict[str, type[Statement]] = {**ACTION_KINDS, **AMENDMENT_KINDS}


@frozen
class ReportContent:
    """A validated report, ready to record. ``notes`` are flags (unresolved names), not errors."""

    key: str
    source: SourceRef
    actions: tuple[Statement, ...]  # in file order: actions and amendments
    file: str
    notes: tuple[str, ...] = ()
    # Where each statement is written (id -> line, path), for problems found when loading.
    lines: dict[str, tuple[int | None, str]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        return tuple(statement for statement in self.actions if isinstance(statement, Amendment))

    def where(self, statement: Statement, field: str | None = None) -> tuple[int | None, str]:
        """The line and field path of a statement (or one of its fields), for a problem."""
        line, path = self.lines.get(statement.id, (None, f"actions[id={statement.id}]"))
        return line, f"{path}.{field}" if field else path

    @property
    def digest(self) -> str:
        """A fingerprint of what would be recorded (``formats.digest``, version 2)."""
        return report_digest(self.key, self.source, self.actions)

    def matches(self, recorded_digest: str) -> bool:
        """Whether the digest a report was recorded with is this report's (by its version)."""
        return matches(recorded_digest, self.key, self.source, self.actions)


def read_report_file(path: Path, names: NameIndex) -> ReportContent:
    """Read and validate one report file, or raise InvalidInputError with every problem."""
    return parse_report(read_text(path), str(path), names)


def parse_report(text: str, file: str, names: NameIndex) -> ReportContent:
    """Read and validate the text of one report file (YAML or JSON), or raise InvalidInputError
    with every problem."""
    return parse_report_tree(parse_document(text, file), file, names)


def parse_report_tree(
    tree: Node | AbcMapping[str, Any],
    file: str,
    names: NameIndex,
    lines: AbcMapping[str, int] | None = None,
) -> ReportContent:
    """Read and validate one report given as a tree: a located tree (``located.parse_document``,
    or one a reader builds with the lines of its own file), or a document in memory, as
    ``json.load`` gives it or a program builds it (``{"source": {...}, "actions": [...]}``).

    A document in memory has no lines unless ``lines`` gives them by field path
    (``{"actions[0]": 12}``; see ``located.from_plain``): its problems name the file and the field.
    """
    root = tree if isinstance(tree, Scalar | Sequence | Mapping) else from_plain(tree, file, lines)
    context = Context(file, names)
    if not isinstance(root, Mapping):
        raise InvalidInputError(
            [InputProblem(file, root.line, None, "expected a mapping with source and actions")]
        )
    _check_keys(root, TOP_LEVEL_KEYS, "", context)
    top = {name: _field(REPORT_FIELDS[name].kind.read, root, name, name, context) for name in REPORT_FIELDS}
    if top["format"] == FORMAT_V1:
        _check_version_1(root, context)
    source = _parse_source(root.get("source"), root.line, context)
    key: str | None = top["id"] if _has_value(root, "id") else (source.url if source else None)
    context.key = key or ""
    context.occurred_by_id = _occurred_by_id(root.get("actions"))
    actions = _parse_actions(root.get("actions"), root.line, context)
    _check_unique_ids(actions, context)
    if context.problems:
        raise InvalidInputError(context.sorted_problems())
    assert source is not None
    assert key is not None
    return ReportContent(
        key=key,
        source=source,
        actions=tuple(action for action, _line, _path in actions),
        file=file,
        notes=tuple(context.notes),
        lines={action.id: (line, path) for action, line, path in actions},
    )


SINCE_V2 = frozenset(name for name, field in ACTION_FIELDS.items() if field.since > 1)
SOURCE_SINCE_V2 = frozenset(name for name, field in SOURCE_FIELDS.items() if field.since > 1)


def _check_version_1(root: Mapping, context: Context) -> None:
    """A file that declares ``format: incidents/report v1`` uses nothing version 2 added
    (``fields.KINDS_SINCE_V2`` and the rest): each use is a problem at its line."""

    def refuse(node: Node, path: str, what: str) -> None:
        context.problem(node.line, path, f"{what} is new in {FORMAT}: declare format: {FORMAT}")

    def mapping_uses(node: Node, path: str, since: frozenset[str]) -> None:
        if not isinstance(node, Mapping):
            return
        for key, child in node.entries.items():
            if is_null(child):
                continue
            if key in since:
                refuse(child, f"{path}.{key}", f"the field {key!r}")
            elif key == "count" and isinstance(child, Mapping):
                for form in COUNT_FORMS_SINCE_V2:
                    if _has_value(child, form):
                        refuse(child, f"{path}.count", f"a count given as {form!r}")
            elif key == "metric" and isinstance(child, Scalar) and child.text in METRICS_SINCE_V2:
                refuse(child, f"{path}.metric", f"the metric {child.text!r}")
            elif key == "changes":
                mapping_uses(child, f"{path}.changes", since)
            elif key == "breakdown" and isinstance(child, Sequence):
                for number, part in enumerate(child.items):
                    mapping_uses(part, f"{path}.breakdown[{number}]", since)

    source = root.get("source")
    if isinstance(source, Mapping):
        mapping_uses(source, "source", SOURCE_SINCE_V2)
    actions = root.get("actions")
    for index, entry in enumerate(actions.items if isinstance(actions, Sequence) else ()):
        if not isinstance(entry, Mapping):
            continue
        kind = entry.get("type")
        if isinstance(kind, Scalar) and kind.text in KINDS_SINCE_V2:
            refuse(kind, f"actions[{index}].type", f"the type {kind.text!r}")
        mapping_uses(entry, f"actions[{index}]", SINCE_V2)


def _has_value(node: Mapping, key: str) -> bool:
    child = node.get(key)
    return child is not None and not is_null(child)


def _field(read: Callable[[Node, Context], Any], node: Mapping, key: str, path: str, context: Context) -> Any:
    """The value of ``node[key]`` (None if it has none), or None with the problem recorded."""
    child = node.get(key)
    if child is None or is_null(child):
        return None
    try:
        return read(child, context)
    except FieldError as error:
        context.problem(error.line, path, str(error))
        return None


def _check_keys(node: Mapping, allowed: tuple[str, ...], path: str, context: Context) -> None:
    for key, value in node.entries.items():
        if key not in allowed:
            context.problem(
                value.line,
                f"{path}{key}",
                f"unknown field{did_you_mean(key, allowed)}; expected one of: {', '.join(allowed)}",
            )


def _check_unique_ids(actions: list[tuple[Statement, int | None, str]], context: Context) -> None:
    seen: dict[str, int | None] = {}
    for action, line, path in actions:
        if action.id in seen:
            context.problem(
                line,
                f"{path}.id",
                f"action id {action.id!r} is used twice (first on line {seen[action.id]})",
            )
        seen.setdefault(action.id, line)


def _parse_source(node: Node | None, line: int | None, context: Context) -> SourceRef | None:
    if node is None or is_null(node):
        context.problem(
            line if node is None else node.line,
            "source",
            "every report needs a source (outlet, url, published, and title if it has one)",
        )
        return None
    if not isinstance(node, Mapping):
        context.problem(
            node.line,
            "source",
            f"expected a mapping (outlet, title, url, published), got {describe(node)}",
        )
        return None
    _check_keys(node, SOURCE_KEYS, "source.", context)
    values: dict[str, Any] = {}
    for key, field in SOURCE_FIELDS.items():
        if not _has_value(node, key):
            if field.required:
                context.problem(node.line, f"source.{key}", "required")
            continue
        value = _field(field.kind.read, node, key, f"source.{key}", context)
        if value is not None:
            values[key] = value
    context.published = values.get("published")
    if any(p.field and p.field.startswith("source.") for p in context.problems):
        return None
    return SourceRef(**values)


def _parse_actions(
    node: Node | None, line: int | None, context: Context
) -> list[tuple[Statement, int | None, str]]:
    if node is None or is_null(node):
        where = line if node is None else node.line
        context.problem(where, "actions", "required: the list of actions the report states")
        return []
    if not isinstance(node, Sequence):
        context.problem(node.line, "actions", f"expected a list, got {describe(node)}")
        return []
    parsed: list[tuple[Statement, int | None, str]] = []
    ids = _entry_ids(node)
    for index, entry in enumerate(node.items):
        path = f"actions[{index}]"
        if not isinstance(entry, Mapping):
            context.problem(entry.line, path, f"expected a mapping with a type, got {describe(entry)}")
            continue
        type_node = entry.get("type")
        kind = type_node.text if isinstance(type_node, Scalar) else None
        if kind not in STATEMENT_KINDS:
            expected = ", ".join(STATEMENT_KINDS)
            got = "nothing" if type_node is None else describe(type_node)
            context.problem(
                (type_node or entry).line,
                f"{path}.type",
                f"unknown event type {got}{did_you_mean(kind, STATEMENT_KINDS)}; expected one of: {expected}",
            )
            continue
        context.dating = [ids[index]]
        parsed.extend(
            (action, entry.line, path)
            for action in _parse_action(STATEMENT_KINDS[kind], entry, index, path, context)
        )
    context.dating = []
    return parsed


def _occurred_by_id(node: Node | None) -> dict[str, Node]:
    """The ``occurred`` of each entry of ``actions`` by its id (the first entry of an id used
    twice: that is refused anyway)."""
    if not isinstance(node, Sequence):
        return {}
    found: dict[str, Node] = {}
    for entry_id, entry in zip(_entry_ids(node), node.items, strict=True):
        occurred = entry.get("occurred") if isinstance(entry, Mapping) else None
        if occurred is not None and not is_null(occurred):
            found.setdefault(entry_id, occurred)
    return found


def _entry_ids(node: Sequence) -> list[str]:
    """The id of each entry as it will be read (its ``id``, else its position), for the dates
    told from another action (``occurred: {after: ID, ...}``), which may name a later entry."""
    ids: list[str] = []
    for index, entry in enumerate(node.items):
        written = entry.get("id") if isinstance(entry, Mapping) else None
        if isinstance(written, Scalar) and not written.is_null and written.text.strip():
            ids.append(written.text.strip())
        else:
            ids.append(str(index + 1))
    return ids


def _parse_action(
    cls: type[Statement], entry: Mapping, index: int, path: str, context: Context
) -> list[Statement]:
    fields = [f for f in attrs.fields(cls) if f.name not in NOT_FROM_FILES]
    splittable = issubclass(cls, CountedAction)
    allowed = ("type", *(f.name for f in fields), *(("breakdown",) if splittable else ()))
    _check_keys(entry, allowed, f"{path}.", context)
    values: dict[str, Any] = {}
    complete = True
    for spec in fields:
        if not _has_value(entry, spec.name):
            if spec.name == "id":
                values["id"] = str(index + 1)
            elif spec.default is attrs.NOTHING:
                context.problem(entry.line, f"{path}.{spec.name}", f"required for {cls.kind}")
                complete = False
            continue
        problems = len(context.problems)
        value = _field(FIELD_PARSERS[spec.name], entry, spec.name, f"{path}.{spec.name}", context)
        if len(context.problems) > problems:
            complete = False
        else:
            values[spec.name] = value
    if not complete:
        return []
    breakdown = entry.get("breakdown") if splittable else None
    if breakdown is not None and not is_null(breakdown):
        return _split(cls, values, breakdown, f"{path}.breakdown", context)
    action = _construct(cls, values, entry.line, path, context)
    return [action] if action else []


def _construct(
    cls: type[Statement], values: dict[str, Any], line: int | None, path: str, context: Context
) -> Statement | None:
    try:
        return cls(**values)
    except (ValueError, TypeError) as error:
        context.problem(line, path, str(error))
        return None


def breakdown_keys(cls: type[Statement]) -> tuple[str, ...]:
    """What a part of a breakdown of this type may state for itself."""
    own = attrs.fields_dict(cls)
    return tuple(key for key in BREAKDOWN_KEYS if key in own)


def _split(
    cls: type[Statement], stated: dict[str, Any], node: Node, path: str, context: Context
) -> list[Statement]:
    """A split total: the parts become the actions; their sum must match the stated total."""
    if not isinstance(node, Sequence) or not node.items:
        context.problem(node.line, path, f"expected a list of parts, got {describe(node)}")
        return []
    stated_count: Estimate = stated["count"]
    parts: list[Statement] = []
    for number, item in enumerate(node.items, start=1):
        item_path = f"{path}[{number - 1}]"
        if not isinstance(item, Mapping):
            context.problem(item.line, item_path, f"expected a mapping with a count, got {describe(item)}")
            continue
        allowed = breakdown_keys(cls)
        _check_keys(item, allowed, f"{item_path}.", context)
        values = dict(stated, id=f"{stated['id']}.{number}", split_of=SplitOf(stated["id"], stated_count))
        values.pop("count")
        for key in allowed:
            value = _field(FIELD_PARSERS[key], item, key, f"{item_path}.{key}", context)
            if value is not None:
                values[key] = value
        if "count" not in values:
            context.problem(item.line, f"{item_path}.count", "every part of a breakdown needs its count")
            continue
        part = _construct(cls, values, item.line, item_path, context)
        if part is not None:
            parts.append(part)
    if len(parts) == len(node.items):
        total = sum((p.count for p in parts if isinstance(p, CountedAction)), Estimate.zero())
        if not _adds_up(total, stated_count):
            context.problem(
                node.line,
                path,
                f"the parts add up to {total} but the stated total is {stated_count}",
            )
            return []
    return parts


def _adds_up(total: Estimate, stated: Estimate) -> bool:
    if (total.low, total.high) != (stated.low, stated.high):
        return False
    return stated.best is None or total.best == stated.best


# --- Field parsers: one per field name, from the field table ----------------------------------

FIELD_PARSERS: dict[str, Callable[[Node, Context], Any]] = {
    name: field.kind.read for name, field in ACTION_FIELDS.items() if field.in_files
}
AMENDMENT_FIELDS = frozenset(
    {spec.name for cls in AMENDMENT_KINDS.values() for spec in attrs.fields(cls)}
    - {spec.name for cls in ACTION_KINDS.values() for spec in attrs.fields(cls)}
)
