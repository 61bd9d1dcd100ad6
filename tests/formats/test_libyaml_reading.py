"""Documents are parsed by libyaml where PyYAML has it (``located._FastLoader``): the same located
trees (every value's line, every key's line) and the same problems, worded and placed as
PyYAML's own loader places them, as reading without libyaml gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.formats import located
from incidents.formats.errors import InvalidInputError
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(located._CParser is None, reason="PyYAML without libyaml")


@contextmanager
def without_libyaml() -> Iterator[None]:
    parser = located._CParser
    located._CParser = None
    try:
        yield
    finally:
        located._CParser = parser


def shape(node: located.Node) -> Any:
    """A tree with every line in it (key lines are left out of a Mapping's equality)."""
    if isinstance(node, located.Scalar):
        return ("scalar", node.text, node.line, node.is_null)
    if isinstance(node, located.Sequence):
        return ("list", node.line, [shape(item) for item in node.items])
    return (
        "map",
        node.line,
        dict(node.key_lines),
        {key: shape(value) for key, value in node.entries.items()},
    )


def parsed(text: str) -> Any:
    try:
        return shape(located.parse_document(text, "r.yaml"))
    except InvalidInputError as error:
        return ("problems", [str(problem) for problem in error.problems])


def same_with_and_without_libyaml(text: str) -> Any:
    fast = parsed(text)
    with without_libyaml():
        slow = parsed(text)
    assert fast == slow
    return fast


def test_the_seeds_read_the_same() -> None:
    files = sorted(SEEDS.rglob("*.yaml"))
    assert files
    for file in files:
        assert same_with_and_without_libyaml(file.read_text(encoding="utf-8"))[0] != "problems"


BROKEN = [
    "source: {outlet: a\nactions: []\n",  # an unclosed flow mapping
    "a: b\n  c: d\n",  # a mapping value where none may be
    "- a\nb: c\n",  # a list, then a mapping
    "a: 'unclosed\n",
    "a: &x 1\nb: *y\n",  # an unknown alias
    "a: 1\na: 2\n",  # a key used twice (our check)
    "\t- a\n",  # a tab as indentation
    "a: b\x85c\n",  # a character PyYAML's reader refuses
    "[" * 70 + "]" * 70,  # deeper than MAX_DEPTH
    "",  # empty
    "--- a\n--- b\n",  # two documents
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_broken_document_has_the_same_problems_at_the_same_lines(text: str) -> None:
    assert same_with_and_without_libyaml(text)[0] in {"problems", "scalar", "map", "list"}


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(document=plain, flow=st.booleans(), cut=st.integers(0, 400))
def test_any_document_and_any_cut_of_it_read_the_same(document: Any, flow: bool, cut: int) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    same_with_and_without_libyaml(text)
    same_with_and_without_libyaml(text[:cut] + text[cut + 1 :])  # one character dropped
