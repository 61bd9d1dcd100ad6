"""``incidents load``: validate report files, then record them."""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import Session, aliases_option, exit_with_problems, pass_session
from incidents.formats.errors import InvalidInputError
from incidents.loading import load_reports, read_reports
from incidents.store import describe_db


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@aliases_option
@click.option("--quiet", "-q", is_flag=True, help="Do not list the flagged names.")
@pass_session
def load(session: Session, paths: tuple[Path, ...], aliases: Path | None, quiet: bool) -> None:
    """Validate report files (or folders of them) and record them.

    Nothing is written if any file has a problem. Loading a report again changes nothing.
    """
    try:
        contents = read_reports(paths, aliases)
        loaded = load_reports(session.log, contents)
    except InvalidInputError as error:
        exit_with_problems(error.problems)
    for item in loaded:
        click.echo(
            f"{item.outcome.value:9}  {item.report.file}  "
            f"({len(item.report.actions)} actions, report {item.report.key})"
        )
        if not quiet:
            for note in item.report.notes:
                click.echo(f"  flagged: {note}")
    recorded = sum(1 for item in loaded if item.outcome.value == "recorded")
    click.echo(
        f"{recorded} report(s) recorded, {len(loaded) - recorded} unchanged, in {describe_db(session.db)}."
    )
