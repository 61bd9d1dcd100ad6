"""Drafting over the API (``POST /api/draft``, ``POST /api/draft/report-file``): the draft of a
seed article as ``Service.draft`` makes it, its report file rebuilt from a reviewed draft by the
drafting package's writer, bad input as 400 problems naming the field, and loading a reviewed
draft through ``POST /api/reports`` only with the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from litestar.testing import TestClient

from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import MAX_BODY_BYTES, OPENAPI_PATH
from incidents.web.drafts import MAX_ARTICLE_CHARACTERS
from tests.command import invoke
from tests.conftest import ALIASES, ALSHAHID, ROOT

ARTICLES = ROOT / "tests" / "fixtures" / "drafting" / "articles"
RUDAW_ARTICLE = ARTICLES / "rudaw-2019-08-28-will-of-victory-phase-4.txt"
RUDAW_SOURCE = {
    "outlet": "Rudaw English",
    "url": "https://rudaw.net/english/middleeast/iraq/280820193",
    "published": "2019-08-28",
}
TOKEN = "drafting-test-token"
BEARER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def service() -> Iterator[Service]:
    with Service.open("memory:") as opened:
        opened.load([ALSHAHID], aliases=ALIASES)
        yield opened


@pytest.fixture
def client(service: Service) -> Iterator[TestClient[Any]]:
    """A server that takes writes (with the token)."""
    with TestClient(create_app(service, token=TOKEN, aliases=ALIASES)) as test_client:
        yield test_client


@pytest.fixture
def read_only(service: Service) -> Iterator[TestClient[Any]]:
    """A server started without a token."""
    with TestClient(create_app(service, aliases=ALIASES)) as test_client:
        yield test_client


def rudaw_draft(client: TestClient[Any]) -> dict[str, Any]:
    body = {"text": RUDAW_ARTICLE.read_text(encoding="utf-8"), **RUDAW_SOURCE}
    response = client.post("/api/draft", json=body)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def validates(tmp_path: Path, text: str, name: str = "draft.yaml") -> None:
    """``incidents validate`` accepts the report file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke(tmp_path / "validate.db", "validate", "--aliases", str(ALIASES), str(path))
    assert result.exit_code == 0, f"{result.output}\n{text}"


def reviewed(draft: dict[str, Any], candidates: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The draft as the page sends it back for its report file."""
    return {
        "text": draft["text"],
        "metadata": draft["metadata"],
        "candidates": draft["candidates"] if candidates is None else candidates,
        "missed": draft["missed"],
        "notes": draft["notes"],
    }


def problem_of(response: Any, parameter: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    document: dict[str, Any] = response.json()
    assert document["status"] == 400
    assert document["parameter"] == parameter, document
    return document


def test_a_seed_article_is_drafted_with_its_sentences_and_its_report_file(
    read_only: TestClient[Any], service: Service, tmp_path: Path
) -> None:
    """No token needed: drafting writes nothing."""
    before = service.position()
    draft = rudaw_draft(read_only)
    assert service.position() == before
    assert draft["metadata"]["outlet"] == "Rudaw English"
    assert draft["metadata"]["published"] == "2019-08-28"
    kinds = {candidate["kind"] for candidate in draft["candidates"]}
    assert {"killed", "arrested", "phase_launched", "total_claimed"} <= kinds
    for candidate in draft["candidates"]:
        assert candidate["quote"] == draft["text"][candidate["start"] : candidate["end"]]
        assert 0 <= candidate["confidence"] <= 1
        assert candidate["fields"]["type"] == candidate["kind"]
    killed = [candidate for candidate in draft["candidates"] if candidate["kind"] == "killed"]
    assert any(
        candidate["fields"].get("count") == 4 and candidate["quote"].startswith("Four ISIS militants")
        for candidate in killed
    )
    for missed in draft["missed"]:
        assert missed["text"] == draft["text"][missed["start"] : missed["end"]]
    assert "killed" in draft["kinds"]
    assert "area_cleared" in draft["kinds"]
    assert draft["file"] == "rudaw-english-2019-08-28.yaml"
    assert draft["missing"] == []
    validates(tmp_path, draft["report_file"])


def test_a_reviewed_draft_is_written_by_the_drafting_writer(
    read_only: TestClient[Any], tmp_path: Path
) -> None:
    draft = rudaw_draft(read_only)
    response = read_only.post("/api/draft/report-file", json=reviewed(draft))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    assert response.headers["content-disposition"] == 'attachment; filename="rudaw-english-2019-08-28.yaml"'
    assert response.text == draft["report_file"]  # sent back as drafted: the same file

    first_killed = next(  # a count without a breakdown (the parts would not add up)
        c for c in draft["candidates"] if c["kind"] == "killed" and "breakdown" not in c["fields"]
    )
    dropped = next(c for c in draft["candidates"] if c["kind"] == "total_claimed")
    edited = [
        {**c, "fields": {**c["fields"], "count": 2}} if c is first_killed else c
        for c in draft["candidates"]
        if c is not dropped
    ]
    response = read_only.post("/api/draft/report-file", json=reviewed(draft, edited))
    assert response.status_code == 200, response.text
    actions = yaml.safe_load(response.text)["actions"]
    assert dropped["key"] not in [action["id"] for action in actions]
    assert len(actions) == len(draft["candidates"]) - 1
    [again] = [action for action in actions if action["id"] == first_killed["key"]]
    assert again["count"] == 2
    assert again["quote"] == first_killed["quote"]
    validates(tmp_path, response.text)


def test_an_edited_kind_is_the_actions_type_and_the_quote_is_the_texts(read_only: TestClient[Any]) -> None:
    draft = rudaw_draft(read_only)
    first = draft["candidates"][0]
    edited = {**first, "kind": "wounded", "fields": {**first["fields"], "type": "killed"}}
    response = read_only.post("/api/draft/report-file", json=reviewed(draft, [edited]))
    assert response.status_code == 200, response.text
    [action] = yaml.safe_load(response.text)["actions"]
    assert action["type"] == "wounded"
    assert action["quote"] == first["quote"]
    assert action["id"] == first["key"]

    changed = {**first, "quote": "Something the article never said."}
    document = problem_of(
        read_only.post("/api/draft/report-file", json=reviewed(draft, [changed])), "candidates[0].quote"
    )
    assert "not edited" in document["detail"]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "text"),
        ({"text": 42}, "text"),
        ({"text": "Four were killed.", "html": "yes"}, "html"),
        ({"text": "Four were killed.", "outlet": ["Rudaw"]}, "outlet"),
        ({"text": "Four were killed.", "author": "me"}, "author"),
        ([], "body"),
    ],
)
def test_a_bad_draft_request_is_a_problem_naming_its_field(
    read_only: TestClient[Any], body: Any, parameter: str
) -> None:
    problem_of(read_only.post("/api/draft", json=body), parameter)


def test_a_body_that_is_not_json_is_a_problem(read_only: TestClient[Any]) -> None:
    response = read_only.post(
        "/api/draft", content=b"Four ISIS militants were killed", headers={"content-type": "application/json"}
    )
    problem_of(response, "body")


def test_a_publication_date_that_does_not_read_is_a_problem(read_only: TestClient[Any]) -> None:
    response = read_only.post(
        "/api/draft", json={"text": "Four were killed on Saturday.", "published": "2019-13-45"}
    )
    problem_of(response, "published")


def test_any_text_drafts_or_is_a_clear_problem(read_only: TestClient[Any]) -> None:
    for text in ["", "مرحبا بالعالم", "<script>alert(1)</script><p>Nothing happened.</p>", "\x00\ud7ff"]:
        response = read_only.post("/api/draft", json={"text": text})
        assert response.status_code in (200, 400), response.text
        if response.status_code == 200:
            assert response.json()["text"] is not None


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"start": -1}, "candidates[0].start"),
        ({"end": 10**9}, "candidates[0].start"),
        ({"kind": "exploded"}, "candidates[0].kind"),
        ({"confidence": 3.0}, "candidates[0].confidence"),
        ({"start": "zero"}, "candidates[0].start"),
        ({"fields": "count: 4"}, "candidates[0].fields"),
        ({"fields": {"count: 4\n    side": "ISIS"}}, "candidates[0].fields"),
        ({"fields": {"breakdown": [{"Actor": "PMF"}]}}, "candidates[0].fields.breakdown[0]"),
    ],
)
def test_a_bad_reviewed_draft_is_a_problem_naming_its_field(
    read_only: TestClient[Any], change: dict[str, Any], parameter: str
) -> None:
    draft = rudaw_draft(read_only)
    candidate = {**draft["candidates"][0], **change}
    problem_of(read_only.post("/api/draft/report-file", json=reviewed(draft, [candidate])), parameter)


def test_a_draft_over_the_body_limit_is_refused(read_only: TestClient[Any]) -> None:
    response = read_only.post(
        "/api/draft",
        content=b'{"text": "' + b"x" * MAX_BODY_BYTES + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_an_article_over_the_drafting_limit_is_a_problem_naming_text(read_only: TestClient[Any]) -> None:
    """Drafting holds the server's one thread: an article is bounded below the body limit."""
    sentence = "Four ISIS militants were killed on Saturday. "
    text = sentence * (MAX_ARTICLE_CHARACTERS // len(sentence) + 1)
    assert len(text.encode()) < MAX_BODY_BYTES
    document = problem_of(read_only.post("/api/draft", json={"text": text}), "text")
    assert f"at most {MAX_ARTICLE_CHARACTERS:,} characters" in document["detail"]
    prose = "The weather was calm. " * (MAX_ARTICLE_CHARACTERS // 22)
    assert read_only.post("/api/draft", json={"text": prose[:MAX_ARTICLE_CHARACTERS]}).status_code == 200


def test_a_reviewed_draft_loads_only_with_the_token(
    client: TestClient[Any], read_only: TestClient[Any], service: Service
) -> None:
    draft = rudaw_draft(client)
    text = client.post("/api/draft/report-file", json=reviewed(draft)).text
    params = {"name": draft["file"]}
    before = service.position()
    assert (
        read_only.post("/api/reports", params=params, content=text.encode(), headers=BEARER).status_code
        == 403
    )
    assert client.post("/api/reports", params=params, content=text.encode()).status_code == 401
    wrong = {"authorization": "Bearer not-the-token"}
    assert client.post("/api/reports", params=params, content=text.encode(), headers=wrong).status_code == 401
    assert service.position() == before
    killed_before = [row for row in client.get("/api/totals").json()["rows"] if row["side"] == "ISIS"]
    assert killed_before == []

    response = client.post("/api/reports", params=params, content=text.encode(), headers=BEARER)
    assert response.status_code == 200, response.text
    [loaded] = response.json()["reports"]
    assert loaded["outcome"] == "recorded"
    assert loaded["actions"] >= len(draft["candidates"])  # a breakdown's parts are actions too
    assert service.position() > before
    isis = {
        row["metric"]: row["best"]
        for row in client.get("/api/totals").json()["rows"]
        if row["side"] == "ISIS"
    }
    assert isis["killed"] >= 4


def test_a_bad_edit_is_the_clis_message_on_its_action_and_writes_nothing(
    client: TestClient[Any], service: Service
) -> None:
    draft = rudaw_draft(client)
    index = next(i for i, c in enumerate(draft["candidates"]) if "count" in c["fields"])
    candidates = list(draft["candidates"])
    candidates[index] = {**candidates[index], "fields": {**candidates[index]["fields"], "count": "seven"}}
    text = client.post("/api/draft/report-file", json=reviewed(draft, candidates)).text
    before = service.position()
    response = client.post(
        "/api/reports", params={"name": draft["file"]}, content=text.encode(), headers=BEARER
    )
    document = problem_of(response, f"actions[{index}].count")
    assert any(
        line.startswith(f"{draft['file']}:") and f"actions[{index}].count" in line
        for line in document["problems"]
    )
    assert service.position() == before


def test_the_openapi_document_describes_drafting(read_only: TestClient[Any]) -> None:
    document = read_only.get(f"{OPENAPI_PATH}/openapi.json").json()
    draft = document["paths"]["/api/draft"]["post"]
    schemas = document["components"]["schemas"]
    request = draft["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"text", "html", "outlet", "url", "published", "title"} == set(schemas[request]["properties"])
    answer = draft["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"text", "metadata", "candidates", "missed", "report_file"} <= set(schemas[answer]["properties"])
    assert set(draft["responses"]["400"]["content"]) == {"application/problem+json"}
    report_file = document["paths"]["/api/draft/report-file"]["post"]
    assert "requestBody" in report_file
    assert set(report_file["responses"]["200"]["content"]) == {"application/yaml; charset=utf-8"}
