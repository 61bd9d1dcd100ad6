"""``incidents validate`` (check report files, write nothing) and ``incidents schema``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import aliases_option, exit_with_problems, pass_service
from incidents.formats.schema import schema_text
from incidents.service import Service


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@aliases_option
@click.option(
    "--with-store",
    is_flag=True,
    help="Also check against the store (--db): amendment targets exist, reports do not conflict.",
)
@pass_service
def validate(service: Service, paths: tuple[Path, ...], aliases: Path | None, with_store: bool) -> None:
    """Check report files as `load` would, listing every problem; write nothing.

    Exit 0 when every file is valid, 1 otherwise."""
    validation = service.validate(paths, aliases=aliases, with_store=with_store)
    if validation.problems:
        exit_with_problems(validation.problems)
    for target in validation.unchecked:
        click.echo(f"not checked: {target} is in a report outside these files (use --with-store)")
    click.echo(
        f"{validation.reports} report file(s) valid ({validation.actions} actions and amendments); "
        "nothing was written."
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of report files (also docs/report-file.schema.json)."""
    sys.stdout.write(schema_text())
