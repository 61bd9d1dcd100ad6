"""``incidents validate`` (check report files, write nothing) and ``incidents schema``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import aliases_option, exit_with_problems, pass_service, say
from incidents.formats.schema import schema_text
from incidents.service import Service


@main.command(short_help="Check report files as load would (problems and flags); write nothing.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@aliases_option
@click.option(
    "--with-store",
    is_flag=True,
    help="Also check against the store (--db): amendment targets exist, reports do not conflict.",
)
@pass_service
def validate(service: Service, paths: tuple[Path, ...], aliases: Path | None, with_store: bool) -> None:
    """Check report files as `load` would, listing every problem and what load would flag; write nothing.

    Exit 0 when every file is valid (flags too), 1 otherwise."""
    validation = service.validate(paths, aliases=aliases, with_store=with_store)
    if validation.problems:
        exit_with_problems(validation.problems)
    for flag in validation.flags:
        say(f"flagged: {flag}")
    for target in validation.unchecked:
        say(f"not checked: {target} is in a report outside these files (use --with-store)")
    flagged = f", {len(validation.flags)} flagged as load would flag them" if validation.flags else ""
    say(
        f"{validation.reports} report file(s) valid ({validation.actions} actions and amendments{flagged}); "
        "nothing was written."
    )


@main.command(short_help="Print the JSON Schema of report files.")
def schema() -> None:
    """Print the JSON Schema of report files (also docs/report-file.schema.json)."""
    sys.stdout.write(schema_text())
