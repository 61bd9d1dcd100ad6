"""The ``incidents`` command group: the store option and the session every command shares."""

from __future__ import annotations

import click

from incidents.cli.options import Session
from incidents.store import DB_ENVIRONMENT_VARIABLE, DEFAULT_DB


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@click.version_option(package_name="incidents")
@click.pass_context
def main(context: click.Context, db: str) -> None:
    """An event-sourced incident log: load reports, replay them, query totals, areas and claims
    on three clocks (occurred, reported, recorded)."""
    context.obj = Session(db)
    context.call_on_close(context.obj.close)
