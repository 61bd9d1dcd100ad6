"""Writes over the API: only with the server's token (Authorization: Bearer), never by cookie; the
CLI's checks and messages; nothing written on error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from incidents.service import Service
from incidents.web import create_app
from tests.command import invoke
from tests.conftest import RUDAW, SEEDS

TOKEN = "s3cret-token-for-tests"
BEARER = {"authorization": f"Bearer {TOKEN}"}
TARGET = "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"


@pytest.fixture
def service() -> Iterator[Service]:
    with Service.open("memory:") as opened:
        opened.load([SEEDS / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml"])
        yield opened


@pytest.fixture
def client(service: Service) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(service, token=TOKEN)) as test_client:
        yield test_client


def test_a_report_file_is_loaded_with_the_token(service: Service, client: TestClient[Any]) -> None:
    before = service.position()
    response = client.post(
        "/api/reports", params={"name": RUDAW.name}, content=RUDAW.read_bytes(), headers=BEARER
    )
    assert response.status_code == 200, response.text
    [report] = response.json()["reports"]
    assert report == {
        "report": "rudaw-2019-08-28-will-of-victory-phase-4",
        "file": RUDAW.name,
        "outcome": "recorded",
        "actions": 9,
        "flagged": report["flagged"],
    }
    assert response.json()["position"] == service.position() > before
    totals = client.get("/api/totals").json()
    assert {
        "metric": "killed",
        "side": "ISIS",
        "item": None,
        "best": 5,
        "low": 5,
        "high": 5,
        "events": 3,
        "approximate": 0,
        "unknown": 0,
    } in totals["rows"]
    again = client.post(
        "/api/reports", params={"name": RUDAW.name}, content=RUDAW.read_bytes(), headers=BEARER
    )
    assert again.json()["reports"][0]["outcome"] == "unchanged"


def test_a_bad_report_is_the_clis_message_and_writes_nothing(
    service: Service, client: TestClient[Any], tmp_path: Any
) -> None:
    bad = RUDAW.read_text(encoding="utf-8").replace("count: 7", "count: seven", 1)
    assert "count: seven" in bad
    before = service.position()
    response = client.post(
        "/api/reports", params={"name": "rudaw.yaml"}, content=bad.encode(), headers=BEARER
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    (tmp_path / "rudaw.yaml").write_text(bad, encoding="utf-8")
    cli = invoke(tmp_path / "cli.db", "load", str(tmp_path / "rudaw.yaml"))
    assert cli.exit_code == 1
    problems = response.json()["problems"]
    assert problems
    for said in problems:  # the CLI's messages, naming the file as the upload named it
        assert said.startswith("rudaw.yaml:")
        assert said.replace("rudaw.yaml", str(tmp_path / "rudaw.yaml"), 1) in cli.output
    assert service.position() == before


@pytest.mark.parametrize("name", ["../etc/passwd.yaml", "/tmp/x.yaml", "report.txt", "report.csv"])
def test_an_upload_names_a_report_file_and_no_folder(client: TestClient[Any], name: str) -> None:
    response = client.post("/api/reports", params={"name": name}, content=RUDAW.read_bytes(), headers=BEARER)
    assert response.status_code == 400
    assert response.json()["parameter"] == "name"


def test_an_amendment_is_recorded_as_the_cli_records_it(service: Service, client: TestClient[Any]) -> None:
    client.post("/api/reports", params={"name": RUDAW.name}, content=RUDAW.read_bytes(), headers=BEARER)
    response = client.post(
        "/api/amendments/retract",
        json={"target": TARGET, "reason": "the statement was withdrawn", "by": "tester"},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "recorded"
    totals = client.get("/api/totals").json()
    assert {
        "metric": "killed",
        "side": "ISIS",
        "item": None,
        "best": 4,
        "low": 4,
        "high": 4,
        "events": 2,
        "approximate": 0,
        "unknown": 0,
    } in totals["rows"]
    corrected = client.post(
        "/api/amendments/correct",
        json={"target": f"{RUDAW.stem}/phase-4-first-day-killed.1", "set": ["count=3"], "reason": "recount"},
        headers=BEARER,
    )
    assert corrected.status_code == 200, corrected.text


@pytest.mark.parametrize(
    ("kind", "body", "parameter"),
    [
        ("retract", {"target": "nobody/nothing", "reason": "no"}, None),
        ("retract", {"target": TARGET, "reason": "x", "colour": "red"}, "colour"),
        ("correct", {"target": TARGET, "set": "count=2", "reason": "x"}, "set"),
        ("link", {"same": [TARGET, TARGET]}, "same"),
        ("forget", {"target": TARGET}, "kind"),
        ("retract", {"target": TARGET, "reason": "x", "url": "https://example.org"}, "outlet"),
    ],
)
def test_a_bad_amendment_is_a_problem_and_writes_nothing(
    service: Service, client: TestClient[Any], kind: str, body: dict[str, Any], parameter: str | None
) -> None:
    client.post("/api/reports", params={"name": RUDAW.name}, content=RUDAW.read_bytes(), headers=BEARER)
    before = service.position()
    response = client.post(f"/api/amendments/{kind}", json=body, headers=BEARER)
    assert response.status_code in (400, 404), response.text
    assert response.headers["content-type"] == "application/problem+json"
    if parameter:
        assert response.json().get("parameter") == parameter
    assert service.position() == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"authorization": "Bearer wrong"}, {"authorization": TOKEN}, {"cookie": f"token={TOKEN}"}],
    ids=["none", "wrong", "no-scheme", "cookie"],
)
def test_a_write_without_the_token_is_refused(
    service: Service, client: TestClient[Any], headers: dict[str, str]
) -> None:
    before = service.position()
    response = client.post(
        "/api/reports", params={"name": RUDAW.name}, content=RUDAW.read_bytes(), headers=headers
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert service.position() == before


def test_a_server_without_a_token_takes_no_writes(service: Service) -> None:
    before = service.position()
    with TestClient(create_app(service)) as read_only:
        for path in ("/api/reports?name=r.yaml", "/api/amendments/retract"):
            response = read_only.post(path, content=RUDAW.read_bytes(), headers=BEARER)
            assert response.status_code == 403
            assert "--token" in response.json()["detail"]
    assert service.position() == before
