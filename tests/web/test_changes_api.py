"""The change feed, diff and lag through the JSON API: the documents ``--format json`` prints,
and bad parameters as 400 problems naming them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from incidents.service import Service
from incidents.web import create_app
from tests.command import invoke
from tests.conftest import SEEDS

R = "rudaw-2019-08-28-will-of-victory-phase-4"


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web-changes") / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    result = invoke(
        db, "correct", f"{R}/pmf-statement-killed", "--set", "count=2", "--reason", "two", "--by", "ann"
    )
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client(corrected: Path) -> Iterator[TestClient[Any]]:
    with Service.open(str(corrected)) as service, TestClient(create_app(service)) as test_client:
        yield test_client


def cli_json(db: Path, *args: str) -> Any:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


CASES: list[tuple[list[str], str, dict[str, Any]]] = [
    (["changes", "--since", "27"], "/api/changes", {"since": "27"}),
    (["changes", "--since", "5", "--until", "20"], "/api/changes", {"since": "5", "until": "20"}),
    (["changes", "--known-since", "2019-08-27"], "/api/changes", {"known_since": "2019-08-27"}),
    (
        ["diff", "--from", "recorded-at=27", "--to", "recorded-at=now", "--as-of", "2019-08-28"],
        "/api/diff",
        {"from": "recorded-at=27", "to": "recorded-at=now", "as_of": "2019-08-28"},
    ),
    (
        ["diff", "--from", "known-at=2019-08-01", "--from", "recorded-at=27"],
        "/api/diff",
        {"from": ["known-at=2019-08-01", "recorded-at=27"]},
    ),
    (["lag"], "/api/lag", {}),
    (
        ["lag", "--by", "metric", "--known-at", "2019-08-01"],
        "/api/lag",
        {"by": "metric", "known_at": "2019-08-01"},
    ),
]


@pytest.mark.parametrize(("args", "path", "params"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_each_endpoint_answers_as_the_cli_does(
    corrected: Path, client: TestClient[Any], args: list[str], path: str, params: dict[str, Any]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(corrected, *args)


PROBLEMS = [
    ("/api/changes", {}, "since"),
    ("/api/changes", {"since": "soon"}, "since"),
    ("/api/changes", {"since": "999"}, "since"),
    ("/api/changes", {"known_since": "August"}, "known_since"),
    ("/api/diff", {"from": "recorded=27"}, "from"),
    ("/api/diff", {"to": "known-at=x"}, "to"),
    ("/api/lag", {"by": "month"}, "by"),
]


@pytest.mark.parametrize(("path", "params", "parameter"), PROBLEMS)
def test_bad_parameters_are_problems_that_name_them(
    client: TestClient[Any], path: str, params: dict[str, Any], parameter: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter
