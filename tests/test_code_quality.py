"""ruff (lint and format) and mypy --strict, as part of the suite: a failure shows their output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

CHECKS = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests"],
    "ruff format": [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "src", "tests"],
    "mypy": [sys.executable, "-m", "mypy"],  # strict, files = src: see pyproject.toml
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_code_quality(name: str) -> None:
    completed = subprocess.run(
        CHECKS[name], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    output = f"{completed.stdout}\n{completed.stderr}".strip()
    assert completed.returncode == 0, f"{name} failed (exit {completed.returncode}):\n{output}"
