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

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from collections.abc import Mapping as AbcMapping
from collections.abc import Sequence as AbcSequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import yaml
from attrs import field, frozen

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
    # The line of each key (where the tree knows it): an entry's value may start further down.
    key_lines: dict[str, int] = field(factory=dict, eq=False, repr=False)

    def get(self, key: str) -> Node | None:
        return self.entries.get(key)


Node = Scalar | Sequence | Mapping


def describe(node: Node) -> str:
    """How a node looks, for error messages."""
    if isinstance(node, Scalar):
        return "nothing" if node.is_null else repr(node.text)
    return "a list" if isinstance(node, Sequence) else "a mapping"


# Limits on a document, whatever reads it (report files, bundles, aliases files): each refused
# with the file and what was exceeded, before it can take the memory or the time of the machine.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # the size of a YAML or JSON file, in bytes
MAX_DEPTH = 64  # mappings and lists inside each other (a report file needs 6)
MAX_NODES = 4_000_000  # values in the document once its aliases are expanded ("billion laughs")


def read_text(path: Path) -> str:
    """The text of a regular file of at most MAX_DOCUMENT_BYTES, as UTF-8 without NUL bytes, or
    InvalidInputError naming the file (and the line and column of a bad byte)."""
    file = str(path)
    data = _read_bytes(path, MAX_DOCUMENT_BYTES)
    return decode_text(data, file)


def check_regular_file(path: Path, what: str = "file") -> int:
    """The size of ``path`` if it is a regular file, or InvalidInputError saying what it is."""
    file = str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InvalidInputError([InputProblem(file, None, None, f"no such {what}")]) from None
    except OSError as error:
        raise _refused(file, f"cannot read it: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise InvalidInputError([InputProblem(file, None, None, f"a folder, not a {what}")])
    if not stat.S_ISREG(status.st_mode):
        kind = "a device, a pipe or a socket"
        raise InvalidInputError([InputProblem(file, None, None, f"{kind}, not a regular {what}")])
    return status.st_size


def _read_bytes(path: Path, limit: int) -> bytes:
    file = str(path)
    size = check_regular_file(path)
    if size > limit:
        raise InvalidInputError([InputProblem(file, None, None, _too_large(size, limit))])
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)  # more than it said: it grew while read
    except OSError as error:
        raise _refused(file, f"cannot read it: {error.strerror}") from None
    if len(data) > limit:
        raise InvalidInputError([InputProblem(file, None, None, _too_large(len(data), limit))])
    return data


def _refused(file: str, message: str) -> InvalidInputError:
    return InvalidInputError([InputProblem(file, None, None, message)])


def _too_large(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes, larger than the limit of {limit:,} bytes (MAX_DOCUMENT_BYTES)"


def decode_text(data: bytes, file: str, first_line: int = 1) -> str:
    """``data`` as UTF-8 text without NUL bytes, or InvalidInputError with the line and column
    (counted from ``first_line``) of the first byte that is not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start].decode("utf-8", errors="replace"))
        message = f"not UTF-8 text: the byte 0x{data[error.start]:02x} is not a character in UTF-8"
        raise InvalidInputError([InputProblem(file, line + first_line - 1, None, message, column)]) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _position(text[:nul])
        message = "a NUL byte (\\0): text files cannot hold one"
        raise InvalidInputError([InputProblem(file, line + first_line - 1, None, message, column)])
    return text


def _position(before: str) -> tuple[int, int]:
    """The line and column (from 1) of the character after ``before``."""
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


@frozen
class Fingerprint:
    """What a file was when it was read: its identity and size, when it was last modified, and
    (once read to its end) a SHA-256 of its bytes. Two reads of an unchanged file agree."""

    size: int
    modified_ns: int
    inode: int
    sha256: str | None = None  # None until the file has been read to its end

    @classmethod
    def of(cls, status: os.stat_result) -> Fingerprint:
        return cls(status.st_size, status.st_mtime_ns, status.st_ino)

    def same_file(self, other: Fingerprint) -> bool:
        return (self.size, self.modified_ns, self.inode) == (other.size, other.modified_ns, other.inode)


class TextLines:
    """The lines of a regular UTF-8 text file without NUL bytes, one at a time (as ``csv.reader``
    reads them), for files too large to hold: InvalidInputError names the line and column of the
    first byte that is not UTF-8, or of a NUL byte. Nothing is opened until the first line is
    asked for. ``fingerprint`` is what the file was when opened (with the hash of its bytes once
    read to its end); ``changed()`` says whether the file at ``path`` is no longer that file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fingerprint: Fingerprint | None = None
        self._lines = self._read()

    def __iter__(self) -> TextLines:
        return self

    def __next__(self) -> str:
        return next(self._lines)

    def changed(self) -> bool:
        """Whether the file was written, replaced or removed since it was opened."""
        if self.fingerprint is None:
            return False
        try:
            now = Fingerprint.of(self.path.stat())
        except OSError:
            return True
        return not self.fingerprint.same_file(now)

    def _read(self) -> Iterator[str]:
        file = str(self.path)
        check_regular_file(self.path)
        digest = hashlib.sha256()
        try:
            with self.path.open("rb") as stream:
                opened = Fingerprint.of(os.fstat(stream.fileno()))
                self.fingerprint = opened
                for number, data in enumerate(stream, start=1):
                    digest.update(data)
                    text = decode_text(data, file, first_line=number)
                    yield text.removeprefix("\ufeff") if number == 1 else text
        except OSError as error:
            raise _refused(file, f"cannot read it: {error.strerror}") from None
        self.fingerprint = attrs.evolve(opened, sha256=digest.hexdigest())


class _DepthGuard(yaml.composer.Composer):
    """A composer refusing documents nested deeper than MAX_DEPTH as they are read (PyYAML's
    composer is recursive: deeper documents would exhaust Python's stack)."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeepError(self.peek_event().start_mark)  # type: ignore[attr-defined]
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(_DepthGuard, yaml.SafeLoader):
    """PyYAML's safe loader, with the depth guard."""


# libyaml's parser, when PyYAML was built with it (its module imports it then).
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)


class _FastLoader(_DepthGuard, yaml.composer.Composer, yaml.resolver.Resolver, _CParser or object):  # type: ignore[misc]
    """libyaml's scanner and parser (in C) under PyYAML's composer (in Python, with the same
    depth guard as ``_Loader``): the same nodes and marks, several times faster. Used only for
    text PyYAML's reader accepts; any error is found again by ``_Loader``, so that problems are
    worded and placed exactly as they always were."""

    def __init__(self, text: str) -> None:
        _CParser.__init__(self, text)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)


_UNREADABLE = yaml.reader.Reader.NON_PRINTABLE  # what PyYAML's reader refuses


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree: by libyaml where it can read the text and finds no problem,
    else by PyYAML alone (which raises the problem, with its own words and marks)."""
    if _CParser is not None and not _UNREADABLE.search(text):
        fast = _FastLoader(text)
        try:
            root: yaml.Node | None = fast.get_single_node()
            return root
        except (yaml.YAMLError, _TooDeepError):
            pass  # found again, and said, by PyYAML's own loader
        finally:
            fast.dispose()
    loader = _Loader(text)  # (its reader checks every character of the text at once)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _TooDeepError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


def parse_document(text: str, file: str) -> Node:
    """Parse one YAML (or JSON) document into a located tree, or raise InvalidInputError."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InvalidInputError([InputProblem(file, None, None, _too_large(len(text), MAX_DOCUMENT_BYTES))])
    try:
        root = _compose(text)
    except _TooDeepError as error:
        message = f"nested more than {MAX_DEPTH} levels deep (MAX_DEPTH)"
        raise InvalidInputError([_at(file, error.mark, message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or str(error)
        raise InvalidInputError([_at(file, mark, f"not valid YAML/JSON: {problem}")]) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text[: error.position])
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        message = f"not valid YAML/JSON: the character {character} is not allowed in YAML"
        raise InvalidInputError([InputProblem(file, line, None, message, column)]) from None
    except yaml.YAMLError as error:
        raise InvalidInputError([InputProblem(file, None, None, f"not valid YAML/JSON: {error}")]) from None
    if root is None:
        raise InvalidInputError([InputProblem(file, 1, None, "the file is empty")])
    problems: list[InputProblem] = []
    _Expansion(file, problems).check(root)
    if problems:
        raise InvalidInputError(problems)
    tree = _convert(root, file, problems)
    if problems:
        raise InvalidInputError(problems)
    return tree


def _at(file: str, mark: yaml.Mark | None, message: str) -> InputProblem:
    if mark is None:
        return InputProblem(file, None, None, message)
    return InputProblem(file, mark.line + 1, None, message, mark.column + 1)


class _Expansion:
    """What a composed document becomes once its aliases are expanded, found without expanding
    them: the number of values (memoised per node, so that a "billion laughs" costs its own
    size), aliases that contain themselves, and merge keys (``<<``) that merge no mapping."""

    def __init__(self, file: str, problems: list[InputProblem]) -> None:
        self.file = file
        self.problems = problems
        self.sizes: dict[int, tuple[int, int]] = {}
        self.open: set[int] = set()

    def check(self, root: yaml.Node) -> None:
        size, _height = self.measure(root)
        if size > MAX_NODES and not self.problems:
            message = (
                f"the document holds {size:,} values once its aliases (*name) are expanded, more "
                f"than the limit of {MAX_NODES:,} (MAX_NODES)"
            )
            self.problems.append(_at(self.file, root.start_mark, message))

    def measure(self, node: yaml.Node) -> tuple[int, int]:
        """The number of values ``node`` expands to, and how deep they nest (memoised: the
        recursion follows the document as written, whose depth the loader bounded)."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in self.open:
            message = "an alias (*name) inside the value of its own anchor (&name): it would never end"
            self.problems.append(_at(self.file, node.start_mark, message))
            return 1, 1
        self.open.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                children.extend(self.merged(value_node) if _is_merge(key_node) else (key_node, value_node))
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        size, height = 1, 0
        for child in children:
            child_size, child_height = self.measure(child)
            size, height = size + child_size, max(height, child_height)
            if size > MAX_NODES or self.problems:
                break
        height += 1
        if height > MAX_DEPTH and not self.problems:  # through aliases: the text is not as deep
            message = f"nested more than {MAX_DEPTH} levels deep once its aliases are expanded (MAX_DEPTH)"
            self.problems.append(_at(self.file, node.start_mark, message))
        self.open.discard(id(node))
        self.sizes[id(node)] = size, height
        return size, height

    def merged(self, value: yaml.Node) -> list[yaml.Node]:
        """The mappings a merge key merges, or none, with the problem recorded."""
        if isinstance(value, yaml.MappingNode):
            return [value]
        if isinstance(value, yaml.SequenceNode) and all(isinstance(v, yaml.MappingNode) for v in value.value):
            return list(value.value)
        message = "a merge key (<<) takes an alias of a mapping (or a list of them)"
        self.problems.append(_at(self.file, value.start_mark, message))
        return []


def _is_merge(key_node: yaml.Node) -> bool:
    return isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:merge"


def _check_duplicate_keys(node: yaml.MappingNode, file: str, problems: list[InputProblem]) -> None:
    seen: set[str] = set()
    for key_node, _value in node.value:
        key = str(key_node.value)
        if _is_merge(key_node) or not isinstance(key_node, yaml.ScalarNode):
            continue
        if key in seen:
            problems.append(
                InputProblem(file, key_node.start_mark.line + 1, key, "this key appears twice in one mapping")
            )
        seen.add(key)


def _pairs(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """The entries of a mapping with its merge keys applied (YAML's rule: keys written in the
    mapping override merged ones, and an earlier merged mapping overrides a later one). Called
    once ``_Expansion`` found no cycle and no bad merge."""
    own: list[tuple[yaml.Node, yaml.Node]] = []
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if _is_merge(key_node):
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                merged.extend(_pairs(source))
        else:
            own.append((key_node, value_node))
    if not merged:
        return own
    written = {str(key.value) for key, _value in own if isinstance(key, yaml.ScalarNode)}
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in merged:
        name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
        if name is None or name not in written:
            pairs.append((key_node, value_node))
            if name is not None:
                written.add(name)
    return pairs + own


def _convert(node: yaml.Node, file: str, problems: list[InputProblem]) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        _check_duplicate_keys(node, file, problems)
        entries: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in _pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    InputProblem(file, key_node.start_mark.line + 1, None, "keys must be plain names")
                )
                continue
            key = _text(key_node, file, problems)
            entries[key] = _convert(value_node, file, problems)
            key_lines[key] = key_node.start_mark.line + 1
        return Mapping(entries, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Sequence(tuple(_convert(item, file, problems) for item in node.value), line)
    assert isinstance(node, yaml.ScalarNode)
    is_null = (
        node.tag == "tag:yaml.org,2002:null"
        and not node.style  # plain: None from PyYAML, "" from libyaml
        and node.value in ("", "~", "null", "Null", "NULL")
    )
    return Scalar(_text(node, file, problems), line, is_null)


def _text(node: yaml.ScalarNode, file: str, problems: list[InputProblem]) -> str:
    """A scalar's text; escapes of UTF-16 surrogates (``"\\ud83d\\ude00"``, as JSON writes a
    character outside the BMP) joined into their character, a lone one refused."""
    text = str(node.value)
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        lone = _SURROGATE.search(text)
        assert lone is not None
        message = (
            f"\\u{ord(lone[0]):04x} is half of a UTF-16 surrogate pair, not a character: "
            "write the character itself (or both halves of its pair)"
        )
        problems.append(_at(file, node.start_mark, message))
        return text


_SURROGATE = re.compile("[\ud800-\udfff]")


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
