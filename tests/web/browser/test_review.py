"""The review page (the workbench's "Draft a report" view) in a real browser: the Rudaw seed
article pasted and drafted, its sentences highlighted beside the draft actions, one dropped,
a count edited, the report file saved (it validates) and loaded with the token (the totals
change); refusals and bad edits shown beside the draft with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.command import invoke
from tests.conftest import ALIASES, ALSHAHID
from tests.web.browser.conftest import ARTEFACTS, Server, Watch, serve
from tests.web.test_drafts import RUDAW_ARTICLE, RUDAW_SOURCE

TOKEN = "review-page-token"


@pytest.fixture
def review_server(tmp_path: Path) -> Iterator[Server]:
    """A server that takes writes, on a store with the Al-Shahid seed only (no ISIS losses yet).
    One per test: a test that loads changes the store."""
    yield from serve(tmp_path / "review.db", ALSHAHID, options=("--token", TOKEN, "--aliases", str(ALIASES)))


def position(server: Server) -> int:
    found: int = httpx.get(f"{server.url}/api/position").json()["position"]
    return found


def draft_rudaw(page: Any, server: Server) -> None:
    """Open the review page, paste the Rudaw article, give its source, draft (Enter in a field)."""
    page.goto(f"{server.url}/?view=review")
    page.locator("#article-input").fill(RUDAW_ARTICLE.read_text(encoding="utf-8"))
    page.locator("#meta-outlet").fill(RUDAW_SOURCE["outlet"])
    page.locator("#meta-published").fill(RUDAW_SOURCE["published"])
    page.locator("#meta-url").fill(RUDAW_SOURCE["url"])
    page.locator("#meta-url").press("Enter")
    page.wait_for_selector("body[data-drafted='1']", state="attached")


def card(page: Any, number: int) -> Any:
    return page.locator(f"#draft-actions > li[data-number='{number}']")


def drafted(page: Any) -> list[dict[str, Any]]:
    """Each card's number, kind and quote, and the text of the marks that highlight it."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('#draft-actions > li')].map((card) => ({
            number: Number(card.dataset.number),
            key: card.dataset.key,
            kind: card.querySelector('select').value,
            quote: card.querySelector('blockquote').textContent,
            count: card.querySelector('input[id$="-count"]')?.value ?? null,
            others: card.querySelector('.other-fields')?.textContent ?? '',
            marked: [...document.querySelectorAll('#article-view mark.hl')]
                .filter((mark) => mark.dataset.candidates.split(' ').includes(card.dataset.number))
                .map((mark) => mark.textContent).join(''),
        }))"""
    )
    return found


def isis_killed(report: dict[str, Any]) -> int:
    return sum(
        action["count"]
        for action in report["actions"]
        if action["type"] == "killed"
        and action.get("side") == "ISIS"
        and isinstance(action.get("count"), int)
    )


def test_a_drafted_article_is_reviewed_saved_and_loaded(
    watched: Any, review_server: Server, tmp_path: Path
) -> None:
    # The view is reached from the workbench's navigation and is in the URL.
    watched.goto(review_server.url)
    watched.locator("nav.views a[data-view='review']").click()
    watched.wait_for_url("**view=review**")
    assert watched.locator("#clocks").is_hidden()
    watched.locator("#article-input").wait_for()

    draft_rudaw(watched, review_server)
    cards = drafted(watched)
    assert {"killed", "arrested", "phase_launched", "total_claimed"} <= {found["kind"] for found in cards}
    for found in cards:  # every action's sentence is highlighted in the article, verbatim
        assert found["marked"] == found["quote"], found
    assert watched.locator("#article-view mark.hl").count() >= 5
    assert "Four ISIS militants were killed" in watched.locator("#article-view").inner_text()
    assert "confidence" in card(watched, 0).inner_text()

    # Drop an action whose sentence gives no other (with the keyboard), edit a count.
    quotes = [found["quote"] for found in cards]
    dropped = next(
        found for found in cards if quotes.count(found["quote"]) == 1 and found["kind"] != "killed"
    )
    drop = card(watched, dropped["number"]).locator("button.drop")
    drop.focus()
    watched.keyboard.press("Enter")
    assert drop.get_attribute("aria-pressed") == "true"
    assert "dropped" in (card(watched, dropped["number"]).get_attribute("class") or "")
    marks = watched.locator(f"#article-view mark.hl[data-candidates='{dropped['number']}']")
    assert marks.count() >= 1
    assert all("dropped" in (mark.get_attribute("class") or "") for mark in marks.all())
    # A count without a breakdown (whose parts would no longer add up).
    edited = next(f for f in cards if f["kind"] == "killed" and f["count"] and "breakdown" not in f["others"])
    watched.locator(f"#draft-{edited['number']}-count").fill("6")

    # Save: the report file the server writes from the edited actions; it validates.
    with watched.expect_download() as download:
        watched.locator("#save-report").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "rudaw-english-2019-08-28.yaml"
    result = invoke(tmp_path / "validate.db", "validate", "--aliases", str(ALIASES), str(saved))
    assert result.exit_code == 0, result.output
    report = yaml.safe_load(saved.read_text(encoding="utf-8"))
    keys = [action["id"] for action in report["actions"]]
    assert dropped["key"] not in keys
    assert len(keys) == len(cards) - 1
    assert next(action for action in report["actions"] if action["id"] == edited["key"])["count"] == 6

    # Load with the token: recorded; the log's totals now count ISIS killed as edited.
    before = position(review_server)
    watched.locator("#load-token").fill(TOKEN)
    watched.locator("#load-report").click()
    watched.wait_for_selector("#load-result[data-outcome='recorded']", state="attached")
    assert position(review_server) > before
    assert watched.locator("#load-problems").is_hidden()
    watched.locator("#load-result a[data-view='log']").click()
    watched.wait_for_url(lambda url: "view=review" not in url)
    tile = watched.locator(".tile[data-metric='killed'][data-side='ISIS'] button")
    tile.wait_for()
    assert tile.inner_text() == str(isis_killed(report))
    # Back to the draft: it is as it was left.
    watched.locator("nav.views a[data-view='review']").click()
    assert watched.locator(f"#draft-{edited['number']}-count").input_value() == "6"


def test_a_load_without_the_token_is_shown_beside_the_draft_and_writes_nothing(
    watched: Any, watch: Watch, review_server: Server
) -> None:
    watch.allow_refusals("/api/reports")
    draft_rudaw(watched, review_server)
    before = position(review_server)
    watched.locator("#load-token").fill("not-the-token")
    watched.locator("#load-report").click()
    problems = watched.locator("#load-problems")
    problems.wait_for()
    assert "Not loaded (nothing was written)" in problems.inner_text()
    assert "Authorization: Bearer" in problems.inner_text()
    assert position(review_server) == before


def test_a_bad_edit_is_the_clis_message_on_its_action(
    watched: Any, watch: Watch, review_server: Server
) -> None:
    watch.allow_refusals("/api/reports")
    draft_rudaw(watched, review_server)
    counted = next(found for found in drafted(watched) if found["count"])
    watched.locator(f"#draft-{counted['number']}-count").fill("seven")
    before = position(review_server)
    watched.locator("#load-token").fill(TOKEN)
    watched.locator("#load-report").click()
    watched.locator("#load-problems").wait_for()
    assert "rudaw-english-2019-08-28.yaml:" in watched.locator("#load-problems").inner_text()
    flagged = card(watched, counted["number"])
    assert "has-problem" in (flagged.get_attribute("class") or "")
    assert ".count" in flagged.locator(".action-problems").inner_text()
    assert position(review_server) == before


def test_an_uploaded_html_article_is_shown_as_text(
    watched: Any, review_server: Server, tmp_path: Path
) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Four killed</title><script>alert('head')</script></head><body>"
        "<p>Four <b>ISIS</b> militants were killed on Saturday.</p>"
        "<p><img src=x onerror=alert(1)>Nothing else happened.</p></body></html>",
        encoding="utf-8",
    )
    watched.goto(f"{review_server.url}/?view=review")
    watched.locator("#article-file").set_input_files(str(page))
    watched.wait_for_function("() => document.getElementById('article-input').value.includes('<html>')")
    assert watched.locator("#article-kind").input_value() == "html"
    watched.locator("#meta-published").fill("2019-08-28")
    watched.locator("#draft-button").click()
    watched.wait_for_selector("body[data-drafted='1']", state="attached")
    assert watched.locator("#meta-title").input_value() == "Four killed"  # from the page's <title>
    hint = watched.locator("#metadata-hint")
    assert "Required to load, not found in the article: outlet, url." in hint.inner_text()
    watched.locator("#meta-outlet").fill("Example News")
    watched.locator("#meta-url").fill("https://example.org/four-killed")
    assert hint.is_hidden()
    watched.locator("#meta-published").fill("2019-08-29")
    assert "Draft again" in hint.inner_text()
    assert "title: from the page's metadata" in watched.locator("#draft-notes").inner_text()
    view = watched.locator("#article-view")
    assert "Four ISIS militants were killed on Saturday." in view.inner_text()
    assert "<p>" not in view.inner_text()
    assert watched.locator("#review script, #review img, #review b").count() == 0


def test_markup_in_a_pasted_article_is_text(watched: Any, review_server: Server) -> None:
    watched.goto(f"{review_server.url}/?view=review")
    hostile = (
        "<img src=x onerror=alert(1)> Four ISIS militants were killed <script>alert(2)</script> on Saturday."
    )
    watched.locator("#article-input").fill(hostile)
    watched.locator("#article-kind").select_option("text")
    watched.locator("#meta-published").fill("2019-08-28")
    watched.locator("#draft-button").click()
    watched.wait_for_selector("body[data-drafted='1']", state="attached")
    assert hostile in watched.locator("#article-view").inner_text()
    assert watched.locator("#review script, #review img").count() == 0


@pytest.mark.parametrize("width", [1280, 390])
def test_the_review_page_fits_the_window(watched: Any, review_server: Server, width: int) -> None:
    watched.set_viewport_size({"width": width, "height": 800})
    draft_rudaw(watched, review_server)
    assert watched.evaluate("() => document.documentElement.scrollWidth") <= width
    article = watched.locator(".article-card").bounding_box()
    actions = watched.locator(".draft-card").bounding_box()
    if width == 1280:  # side by side
        assert article["x"] + article["width"] <= actions["x"]
        assert abs(article["y"] - actions["y"]) < 5
    else:  # one above the other
        assert article["y"] + article["height"] <= actions["y"]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    watched.screenshot(path=str(ARTEFACTS / f"review-{width}.png"), full_page=True)
