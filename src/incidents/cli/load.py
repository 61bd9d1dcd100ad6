"""``incidents load``: validate report files, then record them."""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import aliases_option, pass_service, say
from incidents.output.describe import quantity
from incidents.service import Outcome, Service


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@aliases_option
@click.option(
    "--quiet", "-q", is_flag=True, help="Do not list what is flagged (e.g. names not in the reference data)."
)
@pass_service
def load(service: Service, paths: tuple[Path, ...], aliases: Path | None, quiet: bool) -> None:
    """Validate report files (or folders of them) and record them.

    Nothing is written if any file has a problem. Loading a report again changes nothing.
    """
    loaded = service.load(paths, aliases=aliases)
    for item in loaded:
        say(
            f"{item.outcome.value:9}  {item.report.file}  "
            f"({quantity(len(item.report.actions), 'action')}, report {item.report.key})"
        )
        if not quiet:
            for note in item.report.notes:
                say(f"  flagged: {note}")
    recorded = sum(1 for item in loaded if item.outcome is Outcome.RECORDED)
    say(f"{recorded} report(s) recorded, {len(loaded) - recorded} unchanged, in {service.describe()}.")
