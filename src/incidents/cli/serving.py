"""What ``incidents serve`` runs: uvicorn's server for the JSON API (``incidents.web``), which
writes the rendezvous file once its socket listens and removes it when it stops, and the route
that runs a query command a request brings (``POST /api/command``, with the rendezvous file's
key) as the command line would, the same click command on this process's service, answering
with what it printed and its exit code.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import uvicorn
from click.testing import CliRunner
from litestar import MediaType, Request, Response, post
from litestar.handlers import HTTPRouteHandler

from incidents.cli import rendezvous
from incidents.cli.group import main
from incidents.cli.options import FOR_A_TERMINAL, TableForATerminalError, say
from incidents.runtime import tune_for_serving
from incidents.service import Service
from incidents.web import create_app
from incidents.web.app import OPENAPI_PATH


def serve_store(
    service: Service, *, host: str, port: int, token: str | None, aliases: Path | None, key: str | None
) -> None:
    """Serve the workbench and the API on ``service`` until stopped; with ``key`` (the store's
    rendezvous key), also the query commands of its store."""
    app = create_app(service, token=token, aliases=aliases)
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning"), service, key, token)
    app.register(command_route(service, server))
    server.run()


class _Server(uvicorn.Server):
    """uvicorn's server, which says where it listens and writes the rendezvous file once its
    socket listens, and removes it first thing when it stops."""

    def __init__(self, config: uvicorn.Config, service: Service, key: str | None, token: str | None) -> None:
        super().__init__(config)
        self.service = service
        self.key = key
        self.token = token
        self.published: tuple[str, dict[str, Any]] | None = None
        self.settings = dict(os.environ)  # what the commands' settings are compared with

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.started:
            return
        tune_for_serving()
        host, port = self.config.host, self.config.port
        if self.servers and self.servers[0].sockets:
            port = self.servers[0].sockets[0].getsockname()[1]
        writes = "writes with the token" if self.token else "read-only"
        say(
            f"serving {self.service.describe()} at http://{host}:{port}/ ({writes}; API: /api/, "
            f"OpenAPI: {OPENAPI_PATH}/openapi.json)",
            err=True,
        )
        if self.key is None:
            say("query commands answer themselves: this store has no rendezvous file", err=True)
            return
        try:
            self.published = rendezvous.publish(self.key, host, port)
        except OSError as error:
            say(f"query commands answer themselves: cannot write the rendezvous file: {error}", err=True)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.withdraw()
        await super().shutdown(sockets)

    def withdraw(self) -> None:
        if self.published is not None:
            rendezvous.withdraw(*self.published)
            self.published = None

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            super().run(sockets)
        finally:
            self.withdraw()


def command_route(service: Service, server: _Server) -> HTTPRouteHandler:
    """``POST /api/command``: run a query command for the command line (``rendezvous``), on the
    request of a command that read this server's rendezvous file."""

    @post(rendezvous.ROUTE, sync_to_thread=False, include_in_schema=False, status_code=200)
    def command(request: Request[Any, Any, Any], data: dict[str, Any]) -> Response[bytes]:
        if server.published is None:
            return _left("this server has no rendezvous")
        content = server.published[1]
        refused = rendezvous.refusal(
            data, request.headers.get(rendezvous.KEY_HEADER, ""), content, server.settings
        )
        if refused:
            return _left(refused)
        try:
            code, out, err = run_command(
                service, data["args"], data["prog"], data["columns"], bool(data.get("terminal"))
            )
        except TableForATerminalError:
            return _left("a short table for a terminal is drawn by the command")
        return Response(rendezvous.framed(code, out, err), media_type=MediaType.TEXT)

    return command


def _left(reason: str) -> Response[bytes]:
    return Response(reason.encode(), status_code=409, media_type=MediaType.TEXT)


def run_command(
    service: Service, args: list[str], prog: str, columns: str | None, terminal: bool
) -> tuple[int, bytes, bytes]:
    """Run ``incidents ARGS`` on ``service``, as the command line would where ``$COLUMNS`` is
    ``columns``: its exit code, standard output and standard error. Runs on the server's one
    thread (click's runner swaps the process's standard streams while the command runs)."""
    environment: Mapping[str, str | None] = {"COLUMNS": columns}
    marked = FOR_A_TERMINAL.set(bool(terminal))
    try:
        result = CliRunner().invoke(
            main, args, prog_name=prog, obj=service, env=environment, catch_exceptions=False
        )
    finally:
        FOR_A_TERMINAL.reset(marked)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes
