"""``incidents export``: the log as a viewpoint sees it, as a JSON bundle, a CSV action table,
GeoJSON or ACLED's CSV layout (docs/cli.md, docs/data-format.md "Export formats")."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from incidents.cli.group import main
from incidents.cli.options import pass_service, viewpoint_options
from incidents.formats.export.exported import ExportError
from incidents.formats.registry import WRITERS
from incidents.service import Service, Viewpoint


@main.command("export")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(list(WRITERS)),
    required=True,
    help="json (a bundle of reports) and csv (an action table) load back; geojson and acled-csv do not.",
)
@viewpoint_options()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (replaced only once the export is complete). Default: standard output.",
)
@pass_service
def export_command(service: Service, viewpoint: Viewpoint, export_format: str, output: Path | None) -> None:
    """Export the actions the clocks count or hold uncertain, amendments applied, each with its
    report's source and quote."""
    exported = service.export(viewpoint=viewpoint)
    try:
        with _destination(output) as stream:
            written = WRITERS[export_format].write(exported, viewpoint.describe(), stream)
    except ExportError as error:
        raise click.ClickException(f"{error}\nnothing was written.") from error
    reports = len({item.report_key for item in exported})
    uncertain = sum(1 for item in exported if item.uncertain_because is not None)
    click.echo(
        f"exported {written.actions} action(s) of {reports} report(s) ({uncertain} uncertain) "
        f"as {export_format} to {output or 'standard output'}.",
        err=True,
    )
    if written.left_out:
        click.echo(f"note: {written.left_out}.", err=True)


@contextmanager
def _destination(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a temporary file beside FILE that replaces it only when complete."""
    if output is None:
        yield sys.stdout
        return
    try:
        descriptor, partial = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}; nothing was written.") from None
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(partial, 0o666 & ~_umask())  # as a file opened for writing would be
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
