"""``incidents serve``: it answers on the port it is given, and a missing store stops it before it
binds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.command import invoke
from tests.conftest import SEEDS

STARTUP_SECONDS = 30  # how long the server may take to answer before the test fails


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def incidents(*args: str) -> list[str]:
    return [sys.executable, "-c", "from incidents.cli import run; run()", *args]


def test_serve_answers_on_the_port_it_is_given(tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    port = free_port()
    server = subprocess.Popen(
        incidents("--db", str(db), "serve", "--port", str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert server.poll() is None, server.communicate()[1].decode()
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/api/totals", params={"as_of": "2019-08"}, timeout=5
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"incidents serve did not answer in {STARTUP_SECONDS}s"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["query"]["as_of"] == "2019-08-31"
        assert response.json()["rows"]
    finally:
        server.terminate()
        _output, told = server.communicate(timeout=STARTUP_SECONDS)
    assert f"at http://127.0.0.1:{port}/ (read-only" in told.decode()


def test_serve_without_a_store_is_the_usual_error(tmp_path: Path) -> None:
    result = invoke(tmp_path / "none.db", "serve", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "error: no store at" in result.output
    assert not (tmp_path / "none.db").exists()
