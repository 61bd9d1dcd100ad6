"""YAML and JSON documents as trees that remember the line of every value.

PyYAML's composer gives nodes with marks; we keep scalars as the text that was written, so that
parsing (dates, counts, names) happens in one place with one set of error messages, and YAML 1.1
surprises ("no" meaning false, "2019-08" meaning something else) never reach the domain. JSON
is read by the same composer, so JSON report files get line numbers too.

A document already in memory (what ``json.load`` or ``yaml.safe_load`` give, or what a program
builds) becomes the same tree with :func:`from_plain`, each scalar as JSON would write it; its
lines are unknown (``None``) unless the caller says where its values are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping as AbcMapping
from collections.abc import Sequence as AbcSequence
from datetime import date

import yaml
from attrs import frozen

from incidents.formats.errors import InputProblem, InvalidInputError


@frozen
class Scalar:
    text: str
    line: int | None  # None: not known (a document built in memory)
    is_null: bool = False


@frozen
class Sequence:
    items: tuple[Node, ...]
    line: int | None


@frozen
class Mapping:
    entries: dict[str, Node]
    line: int | None

    def get(self, key: str) -> Node | None:
        return self.entries.get(key)


Node = Scalar | Sequence | Mapping


def describe(node: Node) -> str:
    """How a node looks, for error messages."""
    if isinstance(node, Scalar):
        return "nothing" if node.is_null else repr(node.text)
    return "a list" if isinstance(node, Sequence) else "a mapping"


def parse_document(text: str, file: str) -> Node:
    """Parse one YAML (or JSON) document into a located tree, or raise InvalidInputError."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or str(error)
        raise InvalidInputError(
            [InputProblem(file, line, None, f"not valid YAML/JSON: {problem}")]
        ) from error
    except yaml.YAMLError as error:
        raise InvalidInputError([InputProblem(file, None, None, f"not valid YAML/JSON: {error}")]) from error
    if root is None:
        raise InvalidInputError([InputProblem(file, 1, None, "the file is empty")])
    problems: list[InputProblem] = []
    tree = _convert(root, file, problems)
    if problems:
        raise InvalidInputError(problems)
    return tree


_MERGER = yaml.constructor.SafeConstructor()


def _check_duplicate_keys(node: yaml.MappingNode, file: str, problems: list[InputProblem]) -> None:
    seen: set[str] = set()
    for key_node, _value in node.value:
        key = str(key_node.value)
        if key == "<<" or not isinstance(key_node, yaml.ScalarNode):
            continue
        if key in seen:
            problems.append(
                InputProblem(file, key_node.start_mark.line + 1, key, "this key appears twice in one mapping")
            )
        seen.add(key)


def _convert(node: yaml.Node, file: str, problems: list[InputProblem]) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        _check_duplicate_keys(node, file, problems)
        # Apply YAML merge keys ("<<: *anchor"); keys written in the mapping override merged ones.
        _MERGER.flatten_mapping(node)
        entries: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    InputProblem(file, key_node.start_mark.line + 1, None, "keys must be plain names")
                )
                continue
            entries[str(key_node.value)] = _convert(value_node, file, problems)
        return Mapping(entries, line)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(item, file, problems) for item in node.value), line)
    assert isinstance(node, yaml.ScalarNode)
    is_null = (
        node.tag == "tag:yaml.org,2002:null"
        and node.style is None
        and node.value in ("", "~", "null", "Null", "NULL")
    )
    return Scalar(str(node.value), line, is_null)


def from_plain(value: object, file: str, lines: AbcMapping[str, int] | None = None) -> Node:
    """A document in memory as the tree its JSON text would parse into, or InvalidInputError.

    Scalars become the text JSON writes for them (``5``, ``true``, ``1.5``; a ``date``, as a YAML
    loader gives it, its ISO text) and ``None`` a null. ``lines`` gives the line of a value by its
    path (``actions[0].count``, as problems name fields); a value without one takes the line of
    the nearest enclosing value that has one, else none.
    """
    problems: list[InputProblem] = []
    tree = _from_plain(value, "", None, lines or {}, file, problems)
    if problems:
        raise InvalidInputError(problems)
    return tree


def _from_plain(
    value: object,
    path: str,
    inherited: int | None,
    lines: AbcMapping[str, int],
    file: str,
    problems: list[InputProblem],
) -> Node:
    line = lines.get(path, inherited)
    if isinstance(value, AbcMapping):
        entries: dict[str, Node] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) else _scalar_text(key)
            if name is None:
                problems.append(InputProblem(file, line, path or None, "keys must be plain names"))
                continue
            entries[name] = _from_plain(item, f"{path}.{name}" if path else name, line, lines, file, problems)
        return Mapping(entries, line)
    if isinstance(value, AbcSequence) and not isinstance(value, str | bytes):
        return Sequence(
            tuple(
                _from_plain(item, f"{path}[{index}]", line, lines, file, problems)
                for index, item in enumerate(value)
            ),
            line,
        )
    if value is None:
        return Scalar("null", line, is_null=True)
    text = _scalar_text(value)
    if text is None:
        problems.append(
            InputProblem(
                file,
                line,
                path or None,
                "expected text, a number, true/false, null, a list or a mapping, "
                f"got a {type(value).__name__}",
            )
        )
        return Scalar("null", line, is_null=True)
    return Scalar(text, line)


def _scalar_text(value: object) -> str | None:
    """The text of a scalar as JSON (or, for dates, YAML) writes it; None if it is no scalar."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    return None
