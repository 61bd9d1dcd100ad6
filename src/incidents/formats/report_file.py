"""Report files (format v1, YAML or JSON): one source report and the actions it states.

Parsing is driven by the event catalogue: an entry of ``type: killed`` may carry exactly the
fields of :class:`~incidents.domain.actions.Killed`, each parsed by the parser registered for that
field name below. Amendments (``type: correction``, ``retraction``, ``duplicate``,
``preference``; see ``domain/amendments.py``) are entries of the same list, read the same way;
whether their targets exist is checked when they are loaded (``loading.py``). Every problem
in a file is collected, each with file, line and field, before anything is raised; nothing is
written from a file with a problem.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from incidents.domain.actions import ACTION_KINDS, CountedAction, Metric, ReportedAction
from incidents.domain.amendments import (
    AMENDMENT_KINDS,
    NOT_CORRECTABLE,
    ActionRef,
    Amendment,
    FieldChange,
)
from incidents.domain.relative_dates import SUPPORTED, resolve_relative
from incidents.domain.values import DateSpan, Estimate, Name, Place, Precision, SourceRef, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import Mapping, Node, Scalar, Sequence, describe, parse_document
from incidents.gazetteer import NameIndex

FORMAT = "incidents/report v1"
REPORT_SUFFIXES = (".yaml", ".yml", ".json")
TOP_LEVEL_KEYS = ("format", "id", "source", "actions", "notes")
SOURCE_KEYS = ("outlet", "title", "url", "published", "language")
BREAKDOWN_KEYS = ("count", "actor", "means", "place", "occurred", "id", "quote", "item")
NOT_FROM_FILES = frozenset({"split_of"})

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
    lines: dict[str, tuple[int, str]] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        return tuple(statement for statement in self.actions if isinstance(statement, Amendment))

    def where(self, statement: Statement, field: str | None = None) -> tuple[int | None, str]:
        """The line and field path of a statement (or one of its fields), for a problem."""
        line, path = self.lines.get(statement.id, (None, f"actions[id={statement.id}]"))
        return line, f"{path}.{field}" if field else path

    @property
    def digest(self) -> str:
        """A fingerprint of what would be recorded: the same report loaded twice matches."""
        canonical = json.dumps(
            [self.key, attrs.asdict(self.source), [_encode_action(a) for a in self.actions]],
            sort_keys=True,
            default=_json_default,
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _encode_action(action: Statement) -> dict[str, Any]:
    return {"type": action.kind, **attrs.asdict(action)}


def _json_default(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


class FieldError(ValueError):
    """A field's value is not what was expected; carries the line of the offending node."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Context:
    """What parsing one file needs: where we are, how names resolve, what went wrong."""

    def __init__(self, file: str, names: NameIndex) -> None:
        self.file = file
        self.names = names
        self.published: DateSpan | None = None
        self.key = ""  # the report's key, for amendments that name an action of this report
        self.problems: list[InputProblem] = []
        self.notes: list[str] = []

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        self.problems.append(InputProblem(self.file, line, field, message))

    def sorted_problems(self) -> list[InputProblem]:
        return sorted(self.problems, key=lambda problem: problem.line or 0)

    def note(self, line: int, message: str) -> None:
        self.notes.append(f"{self.file}:{line}: {message}")


def read_report_file(path: Path, names: NameIndex) -> ReportContent:
    """Read and validate one report file, or raise InvalidInputError with every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInputError([InputProblem(str(path), None, None, f"not UTF-8 text: {error}")]) from error
    return parse_report(text, str(path), names)


def parse_report(text: str, file: str, names: NameIndex) -> ReportContent:
    context = _Context(file, names)
    root = parse_document(text, file)
    if not isinstance(root, Mapping):
        raise InvalidInputError(
            [InputProblem(file, root.line, None, "expected a mapping with source and actions")]
        )
    _check_keys(root, TOP_LEVEL_KEYS, "", context)
    format_node = root.get("format")
    if format_node is not None and (not isinstance(format_node, Scalar) or format_node.text != FORMAT):
        context.problem(format_node.line, "format", f"expected {FORMAT!r}, got {describe(format_node)}")
    source = _parse_source(root.get("source"), root.line, context)
    key_node = root.get("id")
    key = _text(key_node, context, "id") if key_node is not None else (source.url if source else None)
    context.key = key or ""
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


def _did_you_mean(written: str | None, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(written or "", list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(node: Mapping, allowed: tuple[str, ...], path: str, context: _Context) -> None:
    for key, value in node.entries.items():
        if key not in allowed:
            context.problem(
                value.line,
                f"{path}{key}",
                f"unknown field{_did_you_mean(key, allowed)}; expected one of: {', '.join(allowed)}",
            )


def _check_unique_ids(actions: list[tuple[Statement, int, str]], context: _Context) -> None:
    seen: dict[str, int] = {}
    for action, line, path in actions:
        if action.id in seen:
            context.problem(
                line,
                f"{path}.id",
                f"action id {action.id!r} is used twice (first on line {seen[action.id]})",
            )
        seen.setdefault(action.id, line)


def _parse_source(node: Node | None, line: int, context: _Context) -> SourceRef | None:
    if node is None:
        context.problem(
            line,
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
    for key in SOURCE_KEYS:
        child = node.get(key)
        if child is None or (isinstance(child, Scalar) and child.is_null):
            if key in ("outlet", "url", "published"):
                context.problem(node.line, f"source.{key}", "required")
            continue
        try:
            values[key] = _explicit_span(child) if key == "published" else _scalar_text(child)
        except FieldError as error:
            context.problem(error.line, f"source.{key}", str(error))
    context.published = values.get("published")
    if any(p.field and p.field.startswith("source.") for p in context.problems):
        return None
    return SourceRef(**values)


def _parse_actions(node: Node | None, line: int, context: _Context) -> list[tuple[Statement, int, str]]:
    if node is None:
        context.problem(line, "actions", "required: the list of actions the report states")
        return []
    if not isinstance(node, Sequence):
        context.problem(node.line, "actions", f"expected a list, got {describe(node)}")
        return []
    parsed: list[tuple[Statement, int, str]] = []
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
                f"unknown event type {got}{_did_you_mean(kind, STATEMENT_KINDS)}; "
                f"expected one of: {expected}",
            )
            continue
        parsed.extend(
            (action, entry.line, path)
            for action in _parse_action(STATEMENT_KINDS[kind], entry, index, path, context)
        )
    return parsed


def _parse_action(
    cls: type[Statement], entry: Mapping, index: int, path: str, context: _Context
) -> list[Statement]:
    fields = [f for f in attrs.fields(cls) if f.name not in NOT_FROM_FILES]
    splittable = issubclass(cls, CountedAction)
    allowed = ("type", *(f.name for f in fields), *(("breakdown",) if splittable else ()))
    _check_keys(entry, allowed, f"{path}.", context)
    values: dict[str, Any] = {}
    complete = True
    for spec in fields:
        node = entry.get(spec.name)
        if node is None or (isinstance(node, Scalar) and node.is_null):
            if spec.name == "id":
                values["id"] = str(index + 1)
            elif spec.default is attrs.NOTHING:
                context.problem(entry.line, f"{path}.{spec.name}", f"required for {cls.kind}")
                complete = False
            continue
        try:
            values[spec.name] = FIELD_PARSERS[spec.name](node, context)
        except FieldError as error:
            context.problem(error.line, f"{path}.{spec.name}", str(error))
            complete = False
    if not complete:
        return []
    breakdown = entry.get("breakdown") if splittable else None
    if breakdown is not None:
        return _split(cls, values, breakdown, f"{path}.breakdown", context)
    action = _construct(cls, values, entry.line, path, context)
    return [action] if action else []


def _construct(
    cls: type[Statement], values: dict[str, Any], line: int, path: str, context: _Context
) -> Statement | None:
    try:
        return cls(**values)
    except (ValueError, TypeError) as error:
        context.problem(line, path, str(error))
        return None


def _split(
    cls: type[Statement], stated: dict[str, Any], node: Node, path: str, context: _Context
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
        _check_keys(item, BREAKDOWN_KEYS, f"{item_path}.", context)
        values = dict(stated, id=f"{stated['id']}.{number}", split_of=SplitOf(stated["id"], stated_count))
        values.pop("count")
        for key in BREAKDOWN_KEYS:
            child = item.get(key)
            if child is None:
                continue
            try:
                values[key] = FIELD_PARSERS[key](child, context)
            except FieldError as error:
                context.problem(error.line, f"{item_path}.{key}", str(error))
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


# --- Field parsers: one per field name of the catalogue ------------------------------------


def _scalar_text(node: Node) -> str:
    if not isinstance(node, Scalar) or node.is_null or not node.text.strip():
        raise FieldError(f"expected text, got {describe(node)}", node.line)
    return node.text.strip()


def _text(node: Node, context: _Context, field: str) -> str | None:
    try:
        return _scalar_text(node)
    except FieldError as error:
        context.problem(error.line, field, str(error))
        return None


def _text_list(node: Node) -> list[str]:
    if isinstance(node, Scalar):
        return [_scalar_text(node)]
    if not isinstance(node, Sequence):
        raise FieldError(f"expected a list of names, got {describe(node)}", node.line)
    return [_scalar_text(item) for item in node.items]


def _explicit_span(node: Node) -> DateSpan:
    if isinstance(node, Mapping):
        return _span_mapping(node)
    text = _scalar_text(node)
    try:
        return DateSpan.parse(text)
    except ValueError as error:
        raise FieldError(str(error), node.line) from error


def _span_mapping(node: Mapping) -> DateSpan:
    unknown = set(node.entries) - {"from", "to", "precision"}
    if unknown or "from" not in node.entries or "to" not in node.entries:
        raise FieldError("expected a mapping with from, to and optionally precision", node.line)
    try:
        start = DateSpan.parse(_scalar_text(node.entries["from"])).start
        end = DateSpan.parse(_scalar_text(node.entries["to"])).end
        precision_node = node.get("precision")
        if precision_node is None:
            return DateSpan(start, end)
        precision_text = _scalar_text(precision_node)
        try:
            precision = Precision(precision_text)
        except ValueError:
            names = ", ".join(p.value for p in Precision)
            raise FieldError(
                f"expected a precision ({names}), got {precision_text!r}", precision_node.line
            ) from None
        return DateSpan(start, end, precision)
    except FieldError:
        raise
    except ValueError as error:
        raise FieldError(str(error), node.line) from error


def _occurred(node: Node, context: _Context) -> DateSpan:
    if isinstance(node, Mapping):
        return _span_mapping(node)
    text = _scalar_text(node)
    try:
        return DateSpan.parse(text)
    except ValueError:
        pass
    if context.published is None:
        raise FieldError(f"{text!r} is not an ISO date, and relative dates need source.published", node.line)
    try:
        return resolve_relative(text, context.published)
    except ValueError:
        raise FieldError(
            f"expected an ISO date (2019-08-24, 2019-08-24/2019-08-27, 2019-08) or a relative date "
            f"({SUPPORTED}), got {text!r}",
            node.line,
        ) from None


def _estimate(node: Node, _context: _Context) -> Estimate:
    try:
        if isinstance(node, Mapping):
            unknown = set(node.entries) - {"low", "best", "high"}
            if unknown or not {"low", "high"} <= set(node.entries):
                raise FieldError("expected a mapping with low, high and optionally best", node.line)
            numbers = {key: _whole_number(value) for key, value in node.entries.items()}
            return Estimate(numbers["low"], numbers.get("best"), numbers["high"])
        return Estimate.parse(_scalar_text(node))
    except FieldError:
        raise
    except ValueError as error:
        raise FieldError(str(error), node.line) from error


def _whole_number(node: Node) -> int:
    text = _scalar_text(node)
    try:
        return int(text)
    except ValueError:
        raise FieldError(f"expected a whole number, got {text!r}", node.line) from None


def _phase(node: Node, _context: _Context) -> int:
    text = _scalar_text(node)
    if not text.isdigit() or int(text) < 1:
        raise FieldError(f"expected a phase number (1, 2, ...), got {text!r}", node.line)
    return int(text)


def _metric(node: Node, _context: _Context) -> Metric:
    text = _scalar_text(node)
    try:
        return Metric(text)
    except ValueError:
        names = ", ".join(m.value for m in Metric)
        raise FieldError(f"expected a metric ({names}), got {text!r}", node.line) from None


def _actor(node: Node, context: _Context) -> Name:
    name = context.names.actor(_scalar_text(node))
    if not name.known:
        context.note(node.line, f"actor {name.written!r} is not in the alias data (kept as written)")
    return name


def _actors(node: Node, context: _Context) -> list[Name]:
    items = node.items if isinstance(node, Sequence) else (node,)
    return [_actor(item, context) for item in items]


def _operation(node: Node, context: _Context) -> Name:
    name = context.names.operation(_scalar_text(node))
    if not name.known:
        context.note(node.line, f"operation {name.written!r} is not in the alias data (kept as written)")
    return name


def _place(node: Node, context: _Context) -> Place:
    qualifier = None
    if isinstance(node, Mapping):
        unknown = set(node.entries) - {"name", "qualifier"}
        if unknown or "name" not in node.entries:
            raise FieldError("expected a place name, or a mapping with name and qualifier", node.line)
        written = _scalar_text(node.entries["name"])
        if "qualifier" in node.entries:
            qualifier = _scalar_text(node.entries["qualifier"])
    else:
        written = _scalar_text(node)
    resolution = context.names.place(written, qualifier)
    if resolution.note:
        context.note(node.line, f"{resolution.note} (kept as written)")
    return resolution.place


def _places(node: Node, context: _Context) -> list[Place]:
    items = node.items if isinstance(node, Sequence) else (node,)
    return [_place(item, context) for item in items]


def _target(node: Node, context: _Context) -> ActionRef:
    text = _scalar_text(node)
    try:
        return ActionRef.parse(text, context.key)
    except ValueError as error:
        raise FieldError(str(error), node.line) from error


def _targets(node: Node, context: _Context) -> list[ActionRef]:
    if not isinstance(node, Sequence):
        raise FieldError(f"expected a list of report-key/action-id, got {describe(node)}", node.line)
    return [_target(item, context) for item in node.items]


def _changes(node: Node, context: _Context) -> list[FieldChange]:
    """``changes: {count: 2}``: each field parsed exactly as the field of an action is."""
    if not isinstance(node, Mapping) or not node.entries:
        raise FieldError(
            f"expected a mapping of fields to their corrected values, got {describe(node)}", node.line
        )
    correctable = sorted(set(FIELD_PARSERS) - NOT_CORRECTABLE - AMENDMENT_FIELDS)
    changes = []
    for name, child in node.entries.items():
        if name not in correctable:
            raise FieldError(
                f"cannot correct {name!r}{_did_you_mean(name, correctable)}; "
                f"correctable fields: {', '.join(correctable)}",
                child.line,
            )
        if isinstance(child, Scalar) and child.is_null:
            changes.append(FieldChange(name, None))
            continue
        try:
            changes.append(FieldChange(name, FIELD_PARSERS[name](child, context)))
        except FieldError as error:
            raise FieldError(f"{name}: {error}", error.line) from error
    return changes


def _plain_text(node: Node, _context: _Context) -> str:
    return _scalar_text(node)


def _names(node: Node, _context: _Context) -> list[str]:
    return _text_list(node)


FIELD_PARSERS: dict[str, Callable[[Node, _Context], Any]] = {
    "id": _plain_text,
    "quote": _plain_text,
    "means": _plain_text,
    "aim": _plain_text,
    "supervisor": _plain_text,
    "item": _plain_text,
    "region": _plain_text,
    "estimator": _plain_text,
    "names": _names,
    "occurred": _occurred,
    "operation": _operation,
    "phase": _phase,
    "side": _actor,
    "actor": _actor,
    "claimant": _actor,
    "forces": _actors,
    "count": _estimate,
    "place": _place,
    "area": _place,
    "regions": _places,
    "metric": _metric,
    # Amendments
    "reason": _plain_text,
    "target": _target,
    "same": _targets,
    "changes": _changes,
}
AMENDMENT_FIELDS = frozenset({"reason", "target", "same", "changes"})
