"""Reading YAML and JSON documents: no input ends in a traceback, and each limit is named.

Report files, bundles and aliases files are all read by ``formats.located``: what it refuses
here, it refuses for each of them (the CLI tests at the end go through ``incidents validate``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from incidents.formats import located
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import (
    MAX_DEPTH,
    MAX_NODES,
    Mapping,
    Scalar,
    Sequence,
    parse_document,
    read_text,
)
from incidents.formats.report_file import read_report_file
from incidents.gazetteer import NameIndex
from tests.command import invoke
from tests.conftest import RUDAW


def problems_of(text: str) -> list[InputProblem]:
    with pytest.raises(InvalidInputError) as raised:
        parse_document(text, "doc.yaml")
    return list(raised.value.problems)


def only(text: str) -> InputProblem:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    return problems[0]


def billion_laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_expansion_bomb_is_refused_at_once_by_its_expanded_size() -> None:
    text = billion_laughs()
    assert len(text) < 700  # 9**10 values once expanded
    started = time.perf_counter()
    problem = only(text)
    assert time.perf_counter() - started < 2
    assert problem.line == 1
    assert f"more than the limit of {MAX_NODES:,} (MAX_NODES)" in problem.message


def test_aliases_within_the_limit_are_expanded() -> None:
    tree = parse_document("a: &x [1, 2]\nb: *x\n", "doc.yaml")
    assert isinstance(tree, Mapping)
    assert tree.entries["b"] == Sequence((Scalar("1", 1), Scalar("2", 1)), 1)


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a\n  <<: *a\n"])
def test_an_alias_inside_its_own_anchor_is_refused(text: str) -> None:
    problem = only(text)
    assert problem.line == 1
    assert "an alias (*name) inside the value of its own anchor" in problem.message


def test_nesting_deeper_than_the_limit_is_refused_with_line_and_column() -> None:
    problem = only("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert (problem.line, problem.column) == (1, 3 + MAX_DEPTH)  # the top mapping is the first level
    assert f"nested more than {MAX_DEPTH} levels deep (MAX_DEPTH)" in problem.message
    parse_document("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "doc.yaml")


def test_nesting_made_deep_by_aliases_is_refused() -> None:
    lines = ["b0: &b0 [x]", *(f"b{n}: &b{n} [*b{n - 1}]" for n in range(1, 3000))]
    problem = only("\n".join(lines) + "\n")
    assert problem.line == MAX_DEPTH  # the first anchor whose value nests too deep
    assert "levels deep once its aliases are expanded (MAX_DEPTH)" in problem.message


@pytest.mark.parametrize("value", ["5", "[1, 2]", "hello", "[{a: 1}, 2]"])
def test_a_merge_key_with_anything_but_mappings_is_refused(value: str) -> None:
    problem = only(f"base: &b {{x: 1}}\na:\n  <<: {value}\n")
    assert problem.line == 3
    assert "a merge key (<<) takes an alias of a mapping" in problem.message


def test_merge_keys_keep_yamls_rule_written_keys_first_then_the_earlier_mapping() -> None:
    text = "one: &one {x: 1, y: 1}\ntwo: &two {x: 2, z: 2}\nm:\n  <<: [*one, *two]\n  y: 3\n"
    tree = parse_document(text, "doc.yaml")
    assert isinstance(tree, Mapping)
    merged = tree.entries["m"]
    assert isinstance(merged, Mapping)
    assert {key: node.text for key, node in merged.entries.items() if isinstance(node, Scalar)} == {
        "x": "1",
        "z": "2",
        "y": "3",
    }


@pytest.mark.parametrize("quoted", ['"\\ud800"', '"a\\udfffb"', '"\\ude00\\ud83d"'])
def test_a_lone_surrogate_escape_is_refused_with_its_line(quoted: str) -> None:
    problem = only(f"a: 1\nb: {quoted}\n")
    assert (problem.line, problem.column) == (2, 4)
    assert "half of a UTF-16 surrogate pair, not a character" in problem.message


def test_a_surrogate_pair_written_as_two_escapes_is_its_character_as_in_json() -> None:
    tree = parse_document('{"a": "\\ud83d\\ude00", "\\ud83d\\ude01": 1}', "doc.json")
    assert isinstance(tree, Mapping)
    assert tree.entries["a"] == Scalar("\U0001f600", 1)
    assert "\U0001f601" in tree.entries


def test_a_surrogate_in_a_report_passes_neither_validate_nor_load(tmp_path: Path) -> None:
    report = tmp_path / "r.yaml"
    report.write_text(
        RUDAW.read_text(encoding="utf-8").replace("outlet: Rudaw English", 'outlet: "Rudaw \\ud800"'),
        encoding="utf-8",
    )
    for command in ("validate", "load"):
        result = invoke(tmp_path / "x.db", command, str(report))
        assert result.exit_code == 1, result.output
        assert f"{report}:5:11: \\ud800 is half of a UTF-16 surrogate pair" in result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("data", "line", "column", "expected"),
    [
        (b"a: 1\nb: caf\xe9\n", 2, 7, "not UTF-8 text: the byte 0xe9 is not a character in UTF-8"),
        (b"a: 1\nb: \xd9\x85\xd8\n", 2, 5, "the byte 0xd8"),  # a character cut off
        (b"a: 1\n\nc: x\x00y\n", 3, 5, "a NUL byte"),
        ("a: 1\nb: \u0645\u0645\x00\n".encode(), 2, 6, "a NUL byte"),  # columns count characters
    ],
)
def test_a_bad_byte_is_named_by_line_and_column(
    tmp_path: Path, data: bytes, line: int, column: int, expected: str
) -> None:
    path = tmp_path / "bytes.yaml"
    path.write_bytes(data)
    with pytest.raises(InvalidInputError) as raised:
        read_text(path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), line, column)
    assert expected in problem.message
    assert str(problem).startswith(f"{path}:{line}:{column}: ")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("a: 1\nb: \x07bell\n", 2, 4), ("a: 1\nb: x\ufffey\n", 2, 5), ("a: '\x1b[31m'\n", 1, 5)],
)
def test_a_character_yaml_does_not_allow_is_named_by_line_and_column(
    text: str, line: int, column: int
) -> None:
    problem = only(text)
    assert (problem.line, problem.column) == (line, column)
    assert "is not allowed in YAML" in problem.message


def test_a_file_larger_than_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(located, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        read_text(path)
    assert "larger than the limit of 1,000 bytes (MAX_DOCUMENT_BYTES)" in str(raised.value)


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_folder_a_device_or_a_pipe_is_not_read_as_a_report_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    for path, expected in (
        (folder, "a folder, not a file"),
        (Path("/dev/zero"), "a device, a pipe or a socket, not a regular file"),
        (fifo(tmp_path), "a device, a pipe or a socket, not a regular file"),
    ):
        with pytest.raises(InvalidInputError) as raised:
            read_report_file(path, NameIndex())
        assert str(raised.value) == f"{path}: {expected}"


def test_validate_and_load_of_a_device_or_a_pipe_exit_1_naming_it(tmp_path: Path) -> None:
    for path in (Path("/dev/zero"), fifo(tmp_path)):
        for command in ("validate", "load"):
            result = invoke(tmp_path / "x.db", command, str(path))
            assert result.exit_code == 1, result.output
            assert f"{path}: a device, a pipe or a socket, not a file" in result.output
            assert "Traceback" not in result.output
