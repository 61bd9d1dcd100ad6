"""The JSON API (``incidents.web``): every endpoint answers with the document the CLI's
``--format json`` prints for the same question; bad input is a 400 problem naming the parameter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from incidents.formats.errors import InvalidInputError
from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import OPENAPI_PATH
from tests.command import invoke
from tests.conftest import ALIASES, SEEDS

# (the CLI's arguments, the API's path and query), one per query.
QUERIES: list[tuple[list[str], str, dict[str, Any]]] = [
    (["totals"], "/api/totals", {}),
    (["totals", "--by", "actor,phase"], "/api/totals", {"by": "actor,phase"}),
    (["totals", "--by", "actor", "--by", "month"], "/api/totals", {"by": ["actor", "month"]}),
    (["totals", "--items", "together"], "/api/totals", {"items": "together"}),
    (["totals", "--items", "apart", "--by", "item"], "/api/totals", {"items": "apart", "by": "item"}),
    (["areas"], "/api/areas", {}),
    (["areas", "--history", "Al-Garma"], "/api/areas/Al-Garma/history", {}),
    (["claims"], "/api/claims", {}),
    (["strength"], "/api/strength", {}),
    (["overview"], "/api/overview", {}),
    (["replay"], "/api/replay", {}),
    (["replay", "--running", "own"], "/api/replay", {"running": "own"}),
    (["explain", "killed", "--side", "ISIS"], "/api/explain", {"metric": "killed", "side": "ISIS"}),
    (
        ["history", "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.1"],
        "/api/history",
        {"subject": "rudaw-2019-08-28-will-of-victory-phase-4/phase-4-first-day-killed.1"},
    ),
    (["history", "Al-Garma"], "/api/history", {"subject": "Al-Garma"}),
    (["conflicts"], "/api/conflicts", {}),
    (["phases"], "/api/phases", {}),
    (["phases", "--operation", "Will of Victory"], "/api/phases", {"operation": "Will of Victory"}),
]
# (the CLI's clock options, the API's clock parameters); replay's occurred clock is --until.
VIEWPOINTS: list[tuple[list[str], dict[str, str]]] = [
    ([], {}),
    (["--as-of", "2019-07-19"], {"as_of": "2019-07-19"}),
    (["--as-of", "2019-08"], {"as_of": "2019-08"}),
    (["--known-at", "2019-08-01"], {"known_at": "2019-08-01"}),
    (["--recorded-at", "#20"], {"recorded_at": "#20"}),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store with the seeds loaded (shared by the read-only tests)."""
    db = tmp_path_factory.mktemp("web") / "seeds.db"
    result = invoke(db, "load", "--quiet", str(SEEDS))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client(loaded: Path) -> Iterator[TestClient[Any]]:
    with Service.open(str(loaded)) as service, TestClient(create_app(service)) as test_client:
        yield test_client


def cli_json(db: Path | str, *args: str) -> Any:
    result = invoke(db, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli_args(query: list[str], clocks: list[str]) -> list[str]:
    if query[0] == "replay":
        clocks = ["--until" if arg == "--as-of" else arg for arg in clocks]
    return [*query, *clocks, "--format", "json"]


@pytest.mark.parametrize(("clocks", "parameters"), VIEWPOINTS, ids=lambda v: str(v) or "now")
@pytest.mark.parametrize(("query", "path", "params"), QUERIES, ids=[" ".join(q[0]) for q in QUERIES])
def test_every_endpoint_answers_as_the_cli_does(
    loaded: Path,
    client: TestClient[Any],
    query: list[str],
    path: str,
    params: dict[str, Any],
    clocks: list[str],
    parameters: dict[str, str],
) -> None:
    response = client.get(path, params={**params, **parameters})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == cli_json(loaded, *cli_args(query, clocks))


@pytest.mark.parametrize(("clocks", "parameters"), VIEWPOINTS[:2])
def test_the_export_is_the_cli_json_bundle(
    loaded: Path, client: TestClient[Any], clocks: list[str], parameters: dict[str, str]
) -> None:
    response = client.get("/api/export", params={"format": "json", **parameters})
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(loaded, "export", "--format", "json", *clocks)


def test_the_export_of_some_action_types_is_the_cli_bundle(loaded: Path, client: TestClient[Any]) -> None:
    response = client.get(
        "/api/export", params={"format": "json", "type": ["phase_launched", "operation_launched"]}
    )
    assert response.status_code == 200, response.text
    document = response.json()
    assert document == cli_json(
        loaded, "export", "--format", "json", "--type", "phase_launched,operation_launched"
    )
    kinds = {action["type"] for report in document["reports"] for action in report["actions"]}
    assert kinds == {"phase_launched", "operation_launched"}
    problem = problem_of(client, "/api/export", {"format": "json", "type": "phase"}, 400)
    assert problem["parameter"] == "type"
    assert "unknown action type 'phase'" in problem["detail"]


def test_the_api_answers_as_the_cli_on_every_store(store: str) -> None:
    assert invoke(store, "load", "--quiet", str(SEEDS)).exit_code == 0
    with Service.open(store) as service, TestClient(create_app(service)) as test_client:
        for query, path, params in QUERIES[:5]:
            response = test_client.get(path, params={**params, "known_at": "2019-08-01"})
            assert response.status_code == 200, response.text
            assert response.json() == cli_json(store, *cli_args(query, ["--known-at", "2019-08-01"]))


def problem_of(client: TestClient[Any], path: str, params: dict[str, Any], status: int) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    document: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(document)
    assert document["status"] == status
    return document


@pytest.mark.parametrize(
    ("path", "params", "parameter", "said"),
    [
        ("/api/totals", {"as_of": "2019-13-01"}, "as_of", "2019-13-01"),
        ("/api/areas", {"known_at": "yesterday"}, "known_at", "yesterday"),
        ("/api/claims", {"recorded_at": "soon"}, "recorded_at", "soon"),
        ("/api/replay", {"recorded_at": "#99999"}, "recorded_at", "past the store's last position"),
        ("/api/totals", {"by": "actor,colour"}, "by", "unknown grouping colour"),
        ("/api/totals", {"items": "mixed"}, "items", "unknown items 'mixed'"),
        ("/api/replay", {"running": "some"}, "running", "unknown running 'some'"),
        ("/api/totals", {"items": "together", "by": "item"}, "items", "cannot also be grouped by item"),
        ("/api/explain", {"metric": "killed", "side": "ISIS", "by": "colour"}, "by", "colour"),
        ("/api/explain", {"metric": "eaten", "side": "ISIS"}, "metric", "eaten"),
        ("/api/explain", {"metric": "killed", "side": "ISSI"}, "side", "did you mean ISIS?"),
        ("/api/explain", {"metric": "killed"}, "side", "side"),
        ("/api/areas/Atlantis/history", {}, "area", "no area 'Atlantis'"),
        ("/api/export", {"format": "csv"}, "format", "csv"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_parameter(
    client: TestClient[Any], path: str, params: dict[str, Any], parameter: str, said: str
) -> None:
    document = problem_of(client, path, params, 400)
    assert document["parameter"] == parameter
    assert said in document["detail"]


def test_an_unknown_subject_is_a_404_problem(client: TestClient[Any]) -> None:
    document = problem_of(client, "/api/history", {"subject": "nobody/nothing"}, 404)
    assert document["parameter"] == "subject"
    assert "nobody/nothing" in document["detail"]


@pytest.mark.parametrize("path", ["/api/nothing", "/nothing", "/api/totals/more"])
def test_an_unknown_route_is_a_404_problem(client: TestClient[Any], path: str) -> None:
    problem_of(client, path, {}, 404)


def test_the_openapi_document_lists_every_endpoint(client: TestClient[Any]) -> None:
    response = client.get(f"{OPENAPI_PATH}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    wanted = {path for _query, path, _params in QUERIES} - {"/api/areas/Al-Garma/history"}
    assert wanted | {"/api/areas/{area}/history", "/api/export"} <= set(paths)
    parameters = {parameter["name"] for parameter in paths["/api/totals"]["get"]["parameters"]}
    assert parameters == {"as_of", "known_at", "recorded_at", "by", "items"}


def test_the_app_works_on_a_store_in_memory() -> None:
    with Service.open("memory:") as service:
        service.load([SEEDS])
        with TestClient(create_app(service)) as test_client:
            response = test_client.get("/api/totals")
            assert response.status_code == 200
            assert response.json()["rows"]


def test_the_position_is_the_stores_and_moves_with_a_load() -> None:
    """What the page polls to follow the log."""
    with Service.open("memory:") as service, TestClient(create_app(service)) as test_client:
        service.load([SEEDS / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml"])
        first = test_client.get("/api/position").json()["position"]
        assert first == service.position() > 0
        service.load([SEEDS / "rudaw-2019-08-28-will-of-victory-phase-4.yaml"])
        assert test_client.get("/api/position").json()["position"] == service.position() > first


def test_names_resolve_through_the_servers_reference_data(loaded: Path, tmp_path: Path) -> None:
    """``incidents serve --aliases FILE``: the reference data of every name a request gives (a
    request never names a file)."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    aliases = other / "names.yaml"
    aliases.write_text("actors:\n  ISIS: [Tanzim al-Dawla]\n", encoding="utf-8")
    params = {"metric": "killed", "side": "Tanzim al-Dawla", "as_of": "2019-08-28"}
    with Service.open(str(loaded)) as service:
        with TestClient(create_app(service)) as without:
            assert without.get("/api/explain", params=params).status_code == 400
        with TestClient(create_app(service, aliases=aliases)) as with_names:
            response = with_names.get("/api/explain", params=params)
            aliases.unlink()  # read once, when the app was made: no request reads it again
            again = with_names.get("/api/explain", params=params)
    assert response.status_code == 200, response.text
    assert response.json()["query"]["side"] == "ISIS"
    assert response.json()["query"]["total"]["best"] == 5
    assert again.json() == response.json()


def test_bad_reference_data_stops_the_app_before_it_serves(loaded: Path, tmp_path: Path) -> None:
    """An aliases file that cannot be read is the server's error at start, not each request's."""
    aliases = tmp_path / "names.yaml"
    aliases.write_text("actors: [not, a, mapping]\n", encoding="utf-8")
    with Service.open(str(loaded)) as service, pytest.raises(InvalidInputError, match=r"names\.yaml"):
        create_app(service, aliases=aliases)


def test_the_areas_of_some_provinces_and_statuses_answer_as_the_cli_does(loaded: Path) -> None:
    with Service.open(str(loaded)) as service, TestClient(create_app(service, aliases=ALIASES)) as client:
        for params, options in [
            ({"province": "Anbar"}, ["--province", "Anbar"]),
            (
                {"province": ["Anbar", "Salahuddin"], "status": "threatened"},
                ["--province", "Anbar,Salahuddin", "--status", "threatened"],
            ),
            (
                {"status": ["threatened", "cleared"], "as_of": "2019-07-25"},
                ["--status", "threatened", "--status", "cleared", "--as-of", "2019-07-25"],
            ),
        ]:
            response = client.get("/api/areas", params=params)
            assert response.status_code == 200, response.text
            expected = cli_json(loaded, "areas", *options, "--aliases", str(ALIASES), "--format", "json")
            assert response.json() == expected
            assert expected["query"].keys() >= {"province"} or expected["query"].keys() >= {"status"}
        document = problem_of(client, "/api/areas", {"province": "Anbr"}, 400)
        assert document["parameter"] == "province"
        assert "did you mean Al-Anbar?" in document["detail"]
        document = problem_of(client, "/api/areas", {"status": "gone"}, 400)
        assert document["parameter"] == "status"
        assert "unknown status gone" in document["detail"]
