"""``incidents serve``: the JSON API (``incidents.web``) on the store, over HTTP, with uvicorn."""

from __future__ import annotations

from pathlib import Path

import click
import uvicorn

from incidents.cli.group import main
from incidents.cli.options import names_option, pass_service, say
from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import OPENAPI_PATH
from incidents.web.writes import TOKEN_VARIABLE

DEFAULT_HOST = "127.0.0.1"  # loopback: a team that wants the API on a network says so
DEFAULT_PORT = 8000


@main.command(short_help="Serve the queries as a JSON API over HTTP (loopback by default).")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(min=0, max=65535), default=DEFAULT_PORT, show_default=True, help="The port."
)
@click.option(
    "--token",
    envvar=TOKEN_VARIABLE,
    help=f"Take writes (POST /api/reports, /api/amendments/...) from requests bearing this token "
    f"(Authorization: Bearer); default ${TOKEN_VARIABLE}. Without it the server is read-only.",
)
@names_option
@pass_service
def serve(service: Service, host: str, port: int, token: str | None, aliases: Path | None) -> None:
    """Serve the workbench page (GET /) and every query as a JSON API (GET /api/totals,
    /api/areas, ...: docs/web.md), each answering with the query's JSON document, the three
    clocks as query parameters. Writes only with --token."""
    service.log  # noqa: B018  (a store that is not there is the usual error, before binding)
    writes = "writes with the token" if token else "read-only"
    say(
        f"serving {service.describe()} at http://{host}:{port}/ ({writes}; API: /api/, "
        f"OpenAPI: {OPENAPI_PATH}/openapi.json)",
        err=True,
    )
    uvicorn.run(
        create_app(service, token=token or None, aliases=aliases), host=host, port=port, log_level="warning"
    )
