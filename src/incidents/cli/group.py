"""The ``incidents`` command group: the store option, and the service every command shares.

Errors the package raises on purpose (``IncidentsError``) end a command with ``error: ...`` on
standard error and exit code 1 (bad input: every problem, one per line, and "nothing was
written"); anything else is a bug, and shows its traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from incidents.cli import rendezvous
from incidents.cli.options import exit_with_problems, say
from incidents.domain.errors import IncidentsError
from incidents.formats.errors import InvalidInputError
from incidents.service import DB_ENVIRONMENT_VARIABLE, DEFAULT_DB, Service, parse_location

# Options a user may give where a command has none, and where they go instead.
MISPLACED = {
    "--db": "--db is an option of incidents itself: write it before the command, "
    "e.g. incidents --db FILE totals (or set $INCIDENTS_DB)",
    "--as-of": "a replay's occurred clock is --until: incidents replay --until DATE",
}


# Where the group keeps the --db text, for ``incidents serve`` (its rendezvous names the store).
DB_META = "incidents.db"


class ListingGroup(click.Group):
    """A click group whose --help lists each command with its whole summary: the command's
    ``short_help``, or else the first sentence of its help, never cut off mid-word (click's own
    listing cuts summaries to the terminal's width, with "...")."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# The module of ``incidents.cli`` that defines each command: a command's module is imported when
# the command is asked for, so that a query pays for its own imports and not for every other
# command's (the web server's, the importers', YAML's). ``--help`` lists (imports) them all.
COMMAND_MODULES = {
    "areas": "queries",
    "changes": "changes",
    "check": "check",
    "claims": "queries",
    "conflicts": "provenance",
    "correct": "amend",
    "diff": "changes",
    "draft": "draft",
    "explain": "provenance",
    "export": "export",
    "follow": "readmodel",
    "history": "provenance",
    "import": "imports",
    "keygen": "keys",
    "lag": "changes",
    "link": "amend",
    "load": "load",
    "overview": "queries",
    "phases": "queries",
    "prefer": "amend",
    "rebuild": "readmodel",
    "replay": "queries",
    "retract": "amend",
    "schema": "validate",
    "serve": "serve",
    "strength": "queries",
    "totals": "queries",
    "validate": "validate",
}


class IncidentsGroup(ListingGroup):
    """A click group whose commands are imported when asked for (``COMMAND_MODULES``), and whose
    commands' own errors become a message and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"incidents.cli.{COMMAND_MODULES[cmd_name]}")  # (it adds itself)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as error:
            if error.option_name in MISPLACED:
                raise click.UsageError(
                    f"no such option {error.option_name}: {MISPLACED[error.option_name]}", error.ctx
                ) from None
            raise
        except InvalidInputError as error:
            exit_with_problems(error.problems)
        except IncidentsError as error:
            say(f"error: {error}", err=True)
            sys.exit(1)


@click.group(
    cls=IncidentsGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    envvar=DB_ENVIRONMENT_VARIABLE,
    default=DEFAULT_DB,
    show_default=True,
    help=(
        "The store: a SQLite file, postgresql://user@host:port/dbname, or memory:. "
        f"Also ${DB_ENVIRONMENT_VARIABLE}."
    ),
)
@click.option(
    "--no-server",
    is_flag=True,
    envvar=rendezvous.NO_SERVER_VARIABLE,
    help="Answer a query here, even where an incidents serve of the store is up (which answers "
    f"it otherwise). Also ${rendezvous.NO_SERVER_VARIABLE}=1.",
)
@click.option(
    "--verbose",
    is_flag=True,
    help="Say on standard error which process answered: a running incidents serve, or this one and why.",
)
@click.version_option(package_name="incidents")
@click.pass_context
def main(context: click.Context, db: str, no_server: bool, verbose: bool) -> None:
    """An event-sourced incident log: load reports, replay them, query totals, areas and claims
    on three clocks (occurred, reported, recorded)."""
    context.meta[DB_META] = db
    if isinstance(context.obj, Service):  # a running incidents serve runs the command on its own
        return
    if verbose:
        say(f"answered here: {rendezvous.declined}", err=True)
    service = Service(parse_location(db))  # the one reading of --db: a bad location ends here
    service.announce = lambda message: say(message, err=True)
    context.obj = service
    context.call_on_close(service.close)
