"""``-k EXPR``: which scenarios to run, chosen by their names.

The expression is plain words, which must all match (``-k "karma threatened"``), or reads like
pytest's ``-k``: words, ``and``, ``or``, ``not`` and parentheses, e.g. ``-k "khairat or karma"``,
``-k "isis and not uncertain"``; words side by side are joined by ``and`` (``-k "karma not
history"`` is ``karma and not history``). A word matches when it is part of the scenario's name or
of its feature's name, ignoring case. It is not passed on to pytest: there a
word also matches the names of the folders and of the module that bind the feature files, so
``-k check`` or ``-k tmp`` would select every scenario.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NoReturn

from attrs import frozen

from incidents.domain.errors import IncidentsError

Matcher = Callable[[str], bool]  # does this word match?
Test = Callable[[Matcher], bool]

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")
_OPERATORS = {"and", "or", "not"}


class SelectionError(IncidentsError, ValueError):
    """The -k expression cannot be read."""


class _Parser:
    """expr: and ('or' and)*; and: not ('and'? not)*; not: 'not' not | '(' expr ')' | word."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [match[1] for match in _TOKEN.finditer(text)]
        self.position = 0

    def parse(self) -> Test:
        if not self.tokens:
            raise SelectionError("-k needs an expression, e.g. -k khairat")
        test = self._or()
        if self.position < len(self.tokens):
            self._fail(f"unexpected {self.tokens[self.position]!r}")
        return test

    def _fail(self, what: str) -> NoReturn:
        raise SelectionError(f"cannot read -k {self.text!r}: {what}")

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            self._fail("it ends too soon")
        self.position += 1
        return token

    def _or(self) -> Test:
        tests = [self._and()]
        while self._peek() == "or":
            self._take()
            tests.append(self._and())
        return tests[0] if len(tests) == 1 else lambda match: any(test(match) for test in tests)

    def _and(self) -> Test:
        tests = [self._not()]
        while self._peek() not in (None, "or", ")"):
            if self._peek() == "and":
                self._take()
            tests.append(self._not())
        return tests[0] if len(tests) == 1 else lambda match: all(test(match) for test in tests)

    def _not(self) -> Test:
        token = self._take()
        if token == "not":
            negated = self._not()
            return lambda match: not negated(match)
        if token == "(":
            inner = self._or()
            if self._peek() != ")":
                self._fail("a '(' is not closed")
            self._take()
            return inner
        if token == ")" or token in _OPERATORS:
            self._fail(f"expected a word, got {token!r}")
        return lambda match: match(token)


@frozen
class Selection:
    """A compiled -k expression."""

    text: str
    test: Test

    @classmethod
    def compile(cls, text: str) -> Selection:
        return cls(text, _Parser(text).parse())

    def selects(self, *names: str) -> bool:
        """Whether a scenario with these names (its own, its feature's) is selected."""
        folded = [name.casefold() for name in names]
        return self.test(lambda word: any(word.casefold() in name for name in folded))
