"""A real ``incidents serve`` in a subprocess (uvicorn, a free port), and commands run as the
console script runs them, for the tests of commands answered through a server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

STARTUP_SECONDS = 60  # how long the server may take to write its rendezvous file


def environment(**extra: str) -> dict[str, str]:
    """The environment of the server and the commands: the same settings, this source first."""
    settings = {name: value for name, value in os.environ.items() if name != "INCIDENTS_NO_SERVER"}
    return settings | {"PYTHONPATH": str(ROOT / "src")} | extra


def console(*args: str) -> list[str]:
    """``incidents ARGS`` as the console script runs it (``run``: a server is asked first)."""
    return [sys.executable, "-c", "from incidents.cli import run; run()", *args]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """``incidents ARGS`` in a fresh process, its output to pipes."""
    return subprocess.run(console(*args), capture_output=True, env=env or environment(), check=False)


def rendezvous_file(db: Path) -> Path:
    return db.with_name(db.name + "-server.json")


@contextmanager
def serving(
    db: Path | str, *extra: str, env: dict[str, str] | None = None, written: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``incidents --db DB serve --port 0`` running until the block ends (terminated then), once
    it has written its rendezvous file (beside a SQLite ``db``, else ``written``)."""
    server = subprocess.Popen(
        console("--db", str(db), "serve", "--port", "0", *extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env or environment(),
    )
    written = written or rendezvous_file(Path(db))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not written.exists():
            assert server.poll() is None, (server.stderr.read() if server.stderr else b"").decode()
            assert time.monotonic() < deadline, f"incidents serve wrote no rendezvous in {STARTUP_SECONDS}s"
            time.sleep(0.05)
        yield server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        server.communicate(timeout=STARTUP_SECONDS)


def rendezvous_of(db: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(rendezvous_file(db).read_text())
    return found
