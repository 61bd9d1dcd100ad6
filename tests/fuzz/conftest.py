"""The fuzzer's settings and its figures (printed at the end of the run).

By default each fuzz test tries a fixed, small number of inputs from a fixed seed (the same
inputs on every run: CI stays reproducible and within about two minutes). The long run:

    INCIDENTS_FUZZ=long .venv/bin/python -m pytest -p no:cacheprovider tests/fuzz

(``INCIDENTS_FUZZ_EXAMPLES=N`` sets the inputs per test; the long run draws a new seed each
time, which Hypothesis prints with any failure, with the failing input.)
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.fuzz.harness import FIGURES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("fuzzer figures")
    by_target: Counter[str] = Counter()
    for (target, _outcome), count in FIGURES.items():
        by_target[target] += count
    for target, total in sorted(by_target.items()):
        outcomes = ", ".join(
            f"{outcome} {count}" for (where, outcome), count in sorted(FIGURES.items()) if where == target
        )
        terminalreporter.write_line(f"{target}: {total} inputs ({outcomes})")
