#!/usr/bin/env python3
"""The two commands a fresh clone needs; only Python 3.11+ is required.

    python3 tasks.py demo    load seeds/ into the default store, replay, show totals and areas
    python3 tasks.py test    the whole test suite (unit, Gherkin, properties, storage, ruff, mypy)

Both create ``.venv`` and install the project into it on first use (and again whenever
pyproject.toml changes). Arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tasks-stamp"
DEMO_DATE = "2019-08-28"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (run by any python3, to say which is needed)
        sys.exit(f"incidents needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing incidents and its development tools into .venv ...", flush=True)
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev,bench]"])
    STAMP.write_text(wanted)


def run(command: list[str]) -> None:
    completed = subprocess.run(command, cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def demo() -> None:
    incidents = str(BIN / "incidents")
    steps = [
        ["load", "--quiet", "seeds"],
        ["replay", "--until", DEMO_DATE],
        ["totals", "--as-of", DEMO_DATE, "--by", "actor,phase"],
        ["areas", "--as-of", DEMO_DATE],
        ["claims", "--as-of", DEMO_DATE],
        ["strength", "--as-of", DEMO_DATE],
    ]
    for step in steps:
        print(f"\n$ incidents {' '.join(step)}", flush=True)
        run([incidents, *step])


def test(arguments: list[str]) -> None:
    run([str(BIN / "python"), "-m", "pytest", *arguments])


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        sys.exit(__doc__)
    ensure_environment()
    if sys.argv[1] == "demo":
        demo()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
