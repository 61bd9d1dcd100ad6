"""``incidents serve``: the JSON API (``incidents.web``) on the store, over HTTP, with uvicorn."""

from __future__ import annotations

import click
import uvicorn

from incidents.cli.group import main
from incidents.cli.options import pass_service, say
from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import OPENAPI_PATH

DEFAULT_HOST = "127.0.0.1"  # loopback: a team that wants the API on a network says so
DEFAULT_PORT = 8000


@main.command(short_help="Serve the queries as a JSON API over HTTP (loopback by default).")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(min=0, max=65535), default=DEFAULT_PORT, show_default=True, help="The port."
)
@pass_service
def serve(service: Service, host: str, port: int) -> None:
    """Serve every query as a JSON API (GET /api/totals, /api/areas, ...: docs/cli.md), each
    answering with the query's JSON document, the three clocks as query parameters."""
    service.log  # noqa: B018  (a store that is not there is the usual error, before binding)
    say(
        f"serving {service.describe()} at http://{host}:{port}/api/ (OpenAPI: {OPENAPI_PATH}/openapi.json)",
        err=True,
    )
    uvicorn.run(create_app(service), host=host, port=port, log_level="warning")
