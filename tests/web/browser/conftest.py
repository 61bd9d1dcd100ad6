"""Browser tests: Playwright for Python driving Debian's Chromium (``apt-get install chromium``;
``.ci/run`` installs it). Playwright's own browser download is not used: the browser is launched
from ``CHROMIUM``. Without it the tests skip on a developer's machine and fail on CI (``CI=true``).

Every test's page fails on any request to a host other than the server, on any error on the
page's console (a Content-Security-Policy violation is one) and on any dialog (``alert``)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.command import invoke
from tests.conftest import ROOT, SEEDS, on_ci
from tests.web.test_serve import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = ROOT / "tests" / "web" / "artefacts"  # screenshots (gitignored)
HOSTILE_REPORT = Path(__file__).with_name("hostile-report.yaml")
STARTUP_SECONDS = 30


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists() or on_ci():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def chromium_on_ci() -> None:
    """On CI a missing Chromium fails every browser test (it is installed by .ci/run)."""
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true: the browser tests need Chromium at {CHROMIUM} (.ci/run installs it)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


class Server:
    """``incidents serve`` on ``db`` in a process of its own; ``options`` are serve's (--token,
    --aliases)."""

    def __init__(self, db: Path, *options: str) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from incidents.cli import run; run()",
                "--db",
                str(db),
                "serve",
                "--port",
                str(self.port),
                *options,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert self.process.poll() is None, self.process.communicate()[1].decode()
            try:
                httpx.get(f"{self.url}/api/position", timeout=5)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"incidents serve did not answer in {STARTUP_SECONDS}s"
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=STARTUP_SECONDS)


def serve(db: Path, *paths: Path, options: tuple[str, ...] = ()) -> Iterator[Server]:
    result = invoke(db, "load", "--quiet", *map(str, paths))
    assert result.exit_code == 0, result.output
    server = Server(db, *options)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from serve(tmp_path_factory.mktemp("browser") / "seeds.db", SEEDS)


class Watch:
    """What a page did that fails its test: requests to another host, errors on its console, dialogs.
    A request the test expects the server to refuse (a load without the token) is allowed by
    its path: Chromium logs every 4xx answer as a console error."""

    def __init__(self) -> None:
        self.strays: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.refused: list[str] = []  # paths whose 4xx answers are expected

    def allow_refusals(self, path: str) -> None:
        self.refused.append(path)

    def console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = urlsplit(message.location.get("url", "")).path
        if message.text.startswith("Failed to load resource") and url in self.refused:
            return
        self.errors.append(message.text)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def watched(page: Any, watch: Watch) -> Iterator[Any]:
    """The page, failing the test on a request to another host, a console error or a dialog."""

    def route(found: Any) -> None:
        if urlsplit(found.request.url).hostname == "127.0.0.1":
            found.continue_()
        else:
            watch.strays.append(found.request.url)
            found.abort()

    page.route("**/*", route)
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))

    def dialog(found: Any) -> None:
        watch.dialogs.append(found.message)
        found.dismiss()

    page.on("dialog", dialog)
    yield page
    assert watch.strays == [], f"the page asked another host: {watch.strays}"
    assert watch.errors == [], f"errors on the page: {watch.errors}"
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
