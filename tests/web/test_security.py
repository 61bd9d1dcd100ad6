"""The server's own defences: a strict Content-Security-Policy and the usual headers on every
response, a request body size limit, and no file served from outside the page's folder. (Escaping
and inert links are the page's, tested in a browser: tests/web/browser.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import MAX_BODY_BYTES
from incidents.web.page import SECURITY_HEADERS, STATIC
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    with Service.open("memory:") as service:
        service.load([SEEDS])
        with TestClient(create_app(service, token="t")) as test_client:
            yield test_client


@pytest.mark.parametrize(
    "path",
    ["/", "/static/workbench.js", "/api/totals", "/api/totals?as_of=nonsense", "/nothing", "/static/none.js"],
)
def test_every_response_carries_the_security_headers(client: TestClient[Any], path: str) -> None:
    response = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_the_policy_allows_only_the_server_itself() -> None:
    policy = dict(part.split(" ", 1) for part in SECURITY_HEADERS["content-security-policy"].split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval, no other host
    assert policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert not any("unsafe" in value or "*" in value or "http" in value for value in policy.values())


def test_the_page_has_no_inline_script_or_style(client: TestClient[Any]) -> None:
    html = client.get("/").text
    assert "<script>" not in html
    assert all(re.search(r'src="/static/', tag) for tag in re.findall(r"<script[^>]*>", html))
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_the_page_names_no_other_host() -> None:
    """Every asset the page loads is in the package: no http(s) url outside comments and data."""
    for path in [STATIC / "index.html", *STATIC.glob("*.js"), *STATIC.glob("*.css")]:
        text = path.read_text(encoding="utf-8")
        hosts = re.findall(r"(?:src|href)=[\"']https?://", text) + re.findall(r"fetch\([\"'`]https?://", text)
        assert hosts == [], path


def test_every_vendored_package_has_its_licence() -> None:
    vendored = [folder for folder in (STATIC / "vendor").iterdir() if folder.is_dir()]
    assert {folder.name for folder in vendored} == {"vega", "vega-lite", "vega-interpreter", "leaflet"}
    for folder in vendored:
        assert (folder / "LICENSE").is_file(), folder
    assert (STATIC / "map" / "ATTRIBUTION.md").is_file()


def test_a_body_over_the_limit_is_refused(client: TestClient[Any]) -> None:
    response = client.post(
        "/api/reports",
        params={"name": "big.yaml"},
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"authorization": "Bearer t"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/vendor/../../app.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
    ],
)
def test_no_file_is_served_from_outside_the_page_folder(client: TestClient[Any], path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "import" not in response.text
    assert "root:" not in response.text


def test_a_symlink_out_of_the_page_folder_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("the hidden words", encoding="utf-8")
    link = STATIC / "test-symlink-secret.txt"
    link.symlink_to(outside)
    try:
        with Service.open("memory:") as service, TestClient(create_app(service)) as test_client:
            response = test_client.get("/static/test-symlink-secret.txt")
        assert "the hidden words" not in response.text
        assert response.status_code in (400, 404)
    finally:
        link.unlink()


def test_the_page_is_served_with_its_static_files(client: TestClient[Any]) -> None:
    html = client.get("/").text
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset


def test_the_openapi_path_serves_the_document_only(client: TestClient[Any]) -> None:
    """Litestar's viewer pages load scripts from CDNs: the server serves the JSON document only."""
    for path in ("/api/docs", "/api/docs/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json()["openapi"].startswith("3.")
    for viewer in ("/api/docs/swagger", "/api/docs/redoc", "/api/docs/elements", "/api/docs/rapidoc"):
        assert client.get(viewer).status_code == 404
