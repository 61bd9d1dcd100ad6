"""The workbench's phases panel in a real browser: one row per operation and phase from
``/api/phases`` on the page's clocks, a source numbering a launch differently marked on the row
it disputes (never drawn as a second phase), and a phase opening its launch's provenance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.command import invoke
from tests.conftest import SEEDS
from tests.web.browser.conftest import Server
from tests.web.browser.test_page import open_page

RUDAW_PHASE_4 = "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-launched"
# A wire story numbering Rudaw's Saturday launch as the third phase (as in features/phases.feature).
WIRE_REPORT = """\
format: incidents/report v1
id: wire-2019-08-25
source:
  outlet: Wire
  url: https://wire.example/2019/08/25/third-phase
  published: 2019-08-25
  language: en
actions:
  - id: phase-3
    type: phase_launched
    occurred: 2019-08-24
    operation: Will of Victory
    phase: 3
    quote: The third phase began Saturday.
"""


def phase_rows(page: Any) -> Any:
    return page.locator("#phases > li.phase-row")


def test_the_seeds_phases_come_from_the_phases_answer(watched: Any, seeds_server: Server) -> None:
    open_page(watched, seeds_server, "?as_of=2019-08-28")
    rows = phase_rows(watched)
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.phase)") == ["2", "4"]
    second = watched.locator("#phases > li[data-phase='2']")
    text = second.inner_text()
    assert "Will of Victory: phase 2" in text
    assert "launched 21\u201324 Jul 2019" in text  # an en dash between the days
    assert "north of Baghdad, Diyala, Salah Al-Din, Al-Anbar" in text
    assert "Al-Shahid Witness" in text
    assert second.locator(".track .bar.launched").count() == 1  # the launch's four days, as a span
    fourth = watched.locator("#phases > li[data-phase='4']")
    text = fourth.inner_text()
    assert "24 Aug 2019" in text
    assert "Iraqi Prime Minister Adil Abdul-Mahdi" in text
    assert "Rudaw English" in text
    assert (
        fourth.locator("a.source-link").get_attribute("href")
        == "https://rudaw.net/english/middleeast/iraq/280820193"
    )
    assert watched.locator("#phases > li[data-conflict='true']").count() == 0

    watched.locator("#as-of-date").fill("2019-08-23")  # before phase 4 was launched
    watched.locator("#as-of-date").dispatch_event("change")
    watched.wait_for_url("**as_of=2019-08-23**")
    watched.locator("#phases > li[data-phase='4']").wait_for(state="detached")
    assert phase_rows(watched).evaluate_all("rows => rows.map(row => row.dataset.phase)") == ["2"]

    watched.locator("#as-of-date").fill("2019-07-22")  # inside phase 2's launch span: uncertain
    watched.locator("#as-of-date").dispatch_event("change")
    watched.locator("#phases > li.phase-uncertain").wait_for()
    assert phase_rows(watched).count() == 0
    assert "Will of Victory phase 2 launched" in watched.locator("#phases").inner_text()


def test_pressing_a_phase_opens_its_launch(watched: Any, seeds_server: Server) -> None:
    open_page(watched, seeds_server, "?as_of=2019-08-28")
    watched.locator("#phases > li[data-phase='4'] .phase-button").press("Enter")
    panel = watched.locator("#detail")
    panel.locator(".action").first.wait_for()
    assert "Its fourth phase was initiated on Saturday" in panel.inner_text()
    assert RUDAW_PHASE_4 in panel.inner_text()
    assert "open=phase" in watched.url
    watched.keyboard.press("Escape")
    assert panel.is_hidden()


@pytest.fixture(scope="module")
def numbered_twice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The seeds and a wire story calling Rudaw's phase 4 the third phase, linked as one launch."""
    folder = tmp_path_factory.mktemp("numbered-twice")
    wire = folder / "wire-2019-08-25.yaml"
    wire.write_text(WIRE_REPORT, encoding="utf-8")
    db = folder / "numbered-twice.db"
    result = invoke(db, "load", "--quiet", str(SEEDS), str(wire))
    assert result.exit_code == 0, result.output
    result = invoke(
        db, "link", "wire-2019-08-25/phase-3", RUDAW_PHASE_4, "--reason", "one launch", "--by", "test"
    )
    assert result.exit_code == 0, result.output
    server = Server(db)
    try:
        yield server
    finally:
        server.stop()


def test_a_launch_numbered_differently_is_one_row_marked_as_a_conflict(
    watched: Any, numbered_twice: Server
) -> None:
    open_page(watched, numbered_twice, "?as_of=2019-08-28")
    assert phase_rows(watched).evaluate_all("rows => rows.map(row => row.dataset.phase)") == ["2", "4"]
    marked = watched.locator("#phases > li[data-conflict='true']")
    assert marked.count() == 1
    assert marked.get_attribute("data-phase") == "4"
    conflict = marked.locator(".phase-conflict").inner_text()
    assert "Conflict" in conflict
    assert "3 (Wire, 2019-08-25)" in conflict
    assert marked.locator(".phase-sources li").count() == 2
    hrefs = marked.locator("a.source-link").evaluate_all("links => links.map(link => link.href)")
    assert "https://wire.example/2019/08/25/third-phase" in hrefs
    marked.locator(".phase-button").click()
    watched.locator("#detail .action").first.wait_for()
    assert "phase 4" in watched.locator("#detail-title").inner_text()
