"""``incidents serve``: the JSON API (``incidents.web``) on the store, over HTTP, with uvicorn.

While it listens, it also answers the query commands of its store (``incidents.cli.rendezvous``):
what it runs to do so is ``incidents.cli.serving``, imported when the command runs, so that
``incidents --help`` (which lists every command) does not import the web server.
"""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli import rendezvous
from incidents.cli.group import DB_META, main
from incidents.cli.options import names_option, pass_service
from incidents.runtime import TOKEN_VARIABLE
from incidents.service import Service

DEFAULT_HOST = "127.0.0.1"  # loopback: a team that wants the API on a network says so
DEFAULT_PORT = 8000


@main.command(short_help="Serve the queries as a JSON API over HTTP (loopback by default).")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="The port (0: any free one).",
)
@click.option(
    "--token",
    envvar=TOKEN_VARIABLE,
    help=f"Take writes (POST /api/reports, /api/amendments/...) from requests bearing this token "
    f"(Authorization: Bearer); default ${TOKEN_VARIABLE}. Without it the server is read-only.",
)
@names_option
@pass_service
@click.pass_context
def serve(
    context: click.Context, service: Service, host: str, port: int, token: str | None, aliases: Path | None
) -> None:
    """Serve the workbench page (GET /) and every query as a JSON API (GET /api/totals,
    /api/areas, ...: docs/web.md), each answering with the query's JSON document, the three
    clocks as query parameters. Writes only with --token. While it runs, the query commands of
    the same store are answered by it (docs/cli.md, "A running server answers")."""
    service.log  # noqa: B018  (a store that is not there is the usual error, before binding)
    from incidents.cli.serving import serve_store  # (the web server: only when serving)

    key = rendezvous.store_key(str(context.meta.get(DB_META, "")))
    serve_store(service, host=host, port=port, token=token or None, aliases=aliases, key=key)
