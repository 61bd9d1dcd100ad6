"""Mutations of the fuzzer's inputs: seed report files, an aliases file, a UCDP GED slice.

Structure-aware: a document is parsed, changed as a tree (keys dropped, duplicated, retyped,
values swapped between fields, nested deep, replaced by huge numbers, odd unicode, control
characters), written back as YAML or JSON, and then possibly changed as text (anchors and
aliases, merge keys) and as bytes (truncation, byte flips, other encodings, NUL). A CSV is
changed cell by cell, then as bytes. Every strategy draws from Hypothesis, so that a failing
input shrinks and replays from its seed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import yaml
from hypothesis import strategies as st

# Values that have broken readers before, or that sit on a limit.
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "\x1b[31mred\x1b[0m",
    "\u202eevil",
    "line\nbreak",
    "tab\there",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "²",
    "\u0663",
    "١٢",
    "x" * 5000,
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "null",
    "~",
    "no",
    "2019-02-30",
    "0000-01-01",
    "9999-12-31",
    "10000-01-01",
    "July 7",
    "99999999 days ago",
    "February 29",
    "*alias",
    "&anchor",
    "<<",
    "Daesh",
    "ISIS",
    "PMF",
]
ODD_NUMBERS = [
    0,
    -1,
    1,
    2**31,
    2**63 - 1,
    2**63,
    2**64,
    -(2**63) - 1,
    10**30,
    int("9" * 100),
    1.5,
    float("inf"),
    float("nan"),
    1e308,
]

scalars: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_NUMBERS),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.text(max_size=12),
    st.integers(),
)


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a tree of dicts and lists (keys and indexes), the root's included."""
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _drop(tree: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return tree
    parent = _get(tree, path[:-1])
    del parent[path[-1]]
    return tree


@st.composite
def mutated_tree(draw: st.DrawFn, tree: Any) -> Any:
    """``tree`` (a copy) with one to four structural changes."""
    tree = json.loads(json.dumps(tree, default=str))  # a deep copy, dates as their ISO text
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(tree)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["drop", "retype", "swap", "nest", "duplicate", "rename", "wrap"]))
        if kind == "drop" and path:
            tree = _drop(tree, path)
        elif kind == "retype":
            replacement = draw(
                st.one_of(
                    scalars,
                    st.lists(scalars, max_size=3),
                    st.dictionaries(st.text(max_size=5), scalars, max_size=2),
                )
            )
            tree = _set(tree, path, replacement)
        elif kind == "swap":
            other = draw(st.sampled_from(paths))
            if path and other and path[: len(other)] != other and other[: len(path)] != path:
                first, second = _get(tree, path), _get(tree, other)
                tree = _set(tree, path, second)
                tree = _set(tree, other, first)
        elif kind == "nest":
            value: Any = _get(tree, path)
            for _ in range(draw(st.sampled_from([2, 10, 70, 200]))):
                value = [value]
            tree = _set(tree, path, value)
        elif kind == "duplicate" and path and isinstance(_get(tree, path[:-1]), list):
            parent = _get(tree, path[:-1])
            parent.insert(path[-1], json.loads(json.dumps(parent[path[-1]])))
        elif kind == "rename" and path and isinstance(path[-1], str):
            parent = _get(tree, path[:-1])
            parent[draw(st.sampled_from([*ODD_TEXT[:12], path[-1].upper(), "typo"]))] = parent.pop(path[-1])
        elif kind == "wrap":
            tree = _set(tree, path, {"value": _get(tree, path)})
    return tree


def dump(tree: Any, as_json: bool) -> str:
    if as_json:
        return json.dumps(tree, ensure_ascii=False, allow_nan=True, default=str)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10_000)


TEXT_MUTATIONS = [
    "none",
    "anchor",
    "recursive-alias",
    "laughs",
    "merge-scalar",
    "merge",
    "duplicate-key",
    "surrogate-escape",
    "tabs",
]


def mutate_text(text: str, kind: str, at: int) -> str:
    """A change of the YAML text itself (what a tree cannot hold: anchors, aliases, merges)."""
    lines = text.splitlines(keepends=True) or [""]
    index = at % len(lines)
    if kind == "anchor":
        return "base: &base {type: killed, count: 3}\n" + text.replace("actions:", "actions:\n  - *base\n", 1)
    if kind == "recursive-alias":
        return (
            text.replace("actions:", "actions: &loop\n  - *loop\n", 1)
            if "actions:" in text
            else "a: &a [*a]\n"
        )
    if kind == "laughs":
        bomb = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        bomb += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
        return "\n".join(bomb) + "\n" + text
    if kind == "merge-scalar":
        return text.replace("source:\n", "source:\n  <<: 5\n", 1)
    if kind == "merge":
        return "extra: &extra {outlet: Merged}\n" + text.replace("source:\n", "source:\n  <<: *extra\n", 1)
    if kind == "duplicate-key":
        return text + lines[index] if lines[index].strip() else text
    if kind == "surrogate-escape":
        return text.replace("outlet: ", 'outlet: "\\ud800" #', 1)
    if kind == "tabs":
        return "".join(line.replace("  ", "\t", 1) if n == index else line for n, line in enumerate(lines))
    return text


BYTE_MUTATIONS = ["none", "truncate", "flip", "insert-nul", "latin-1", "utf-16", "bom", "garbage"]


@st.composite
def mutate_bytes(draw: st.DrawFn, text: str) -> bytes:
    """The text's bytes, possibly truncated, flipped, re-encoded or with NUL bytes."""
    kind = draw(st.sampled_from(["none"] * 4 + BYTE_MUTATIONS))  # half of them left as text
    data = text.encode("utf-8", "surrogatepass")
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        flipped = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            position = draw(st.integers(0, max(len(flipped) - 1, 0)))
            if flipped:
                flipped[position] ^= 1 << draw(st.integers(0, 7))
        return bytes(flipped)
    if kind == "insert-nul":
        return data[:at] + b"\x00" + data[at:]
    if kind == "latin-1":
        return text.encode("latin-1", "replace")
    if kind == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "garbage":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data


@st.composite
def report_file(draw: st.DrawFn, seed: str) -> tuple[str, bytes]:
    """A mutated seed report file: (suffix, bytes)."""
    tree = yaml.safe_load(seed)
    if draw(st.booleans()):
        tree = draw(mutated_tree(tree))
    as_json = draw(st.booleans())
    text = dump(tree, as_json)
    if not as_json:
        text = mutate_text(text, draw(st.sampled_from(TEXT_MUTATIONS)), draw(st.integers(0, 500)))
    return (".json" if as_json else ".yaml"), draw(mutate_bytes(text))


ALIAS_MUTATIONS = [
    "none",
    "clash",
    "clash-canonical",
    "gazetteer-outside",
    "gazetteer-absolute",
    "gazetteer-device",
    "gazetteer-folder",
    "gazetteer-missing",
    "tree",
]


@st.composite
def aliases_file(draw: st.DrawFn, seed: str) -> bytes:
    """A mutated aliases file (its gazetteer path kept unless the mutation is about it)."""
    kind = draw(st.sampled_from(ALIAS_MUTATIONS))
    tree = yaml.safe_load(seed)
    if kind == "clash":
        tree["actors"]["PMF"].append(draw(st.sampled_from(tree["actors"]["ISIS"])))
    elif kind == "clash-canonical":
        tree["actors"]["Iraqi Army"].append("ISIS")
    elif kind.startswith("gazetteer-"):
        tree["gazetteer"] = {
            "gazetteer-outside": "../outside.csv",
            "gazetteer-absolute": "/etc/hostname",
            "gazetteer-device": "/dev/zero",
            "gazetteer-folder": ".",
            "gazetteer-missing": "nowhere.csv",
        }[kind]
    elif kind == "tree":
        tree = draw(mutated_tree(tree))
    text = dump(tree, as_json=False)
    return draw(mutate_bytes(text)) if kind in ("none", "tree") else text.encode()


CELL_VALUES = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.sampled_from([str(n) for n in ODD_NUMBERS]),
    st.sampled_from(["-1", "1.5", "1e3", " 2", "0x10", "2016-02-30", "2016-01-01;2015-12-31", "7", "3"]),
    st.text(max_size=10),
)


@st.composite
def csv_file(draw: st.DrawFn, seed: str, rows: int = 8) -> bytes:
    """The first ``rows`` rows of a CSV seed (a UCDP slice, an action table) with cells, columns
    and rows changed, then its bytes."""
    reader = csv.reader(io.StringIO(seed, newline=""))
    header, *body = list(reader)
    body = body[:rows]
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3, 5]))):
        kind = draw(
            st.sampled_from(["cell", "cell", "cell", "swap", "drop-column", "short-row", "duplicate-row"])
        )
        row = draw(st.integers(0, len(body) - 1))
        column = draw(st.integers(0, len(header) - 1))
        if column >= len(body[row]):  # a row cut short before
            continue
        if kind == "cell":
            body[row][column] = draw(CELL_VALUES)
        elif kind == "swap":
            other = draw(st.integers(0, len(body[row]) - 1))
            body[row][column], body[row][other] = body[row][other], body[row][column]
        elif kind == "drop-column":
            header = header[:column] + header[column + 1 :]
            body = [values[:column] + values[column + 1 :] for values in body]
        elif kind == "short-row":
            body[row] = body[row][:column]
        elif kind == "duplicate-row":
            body.append(list(body[row]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return draw(mutate_bytes(out.getvalue()))
