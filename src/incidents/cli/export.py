"""``incidents export``: the log as a viewpoint sees it, as a JSON bundle, a CSV action table,
GeoJSON or ACLED's CSV layout (docs/cli.md, docs/data-format.md "Export formats")."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

import click

from incidents.cli.group import main
from incidents.cli.options import RecordedAt, pass_service, say, viewpoint_options
from incidents.formats.errors import InvalidInputError
from incidents.formats.export.exported import ExportError, Written
from incidents.formats.registry import WRITERS
from incidents.service import LEFT_OUT_REASONS, Export, Service, Viewpoint, action_types


def _types(_context: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        action_types(value)
    except InvalidInputError as error:
        raise click.BadParameter(error.problems[0].message) from None
    return value


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
    "--changed-since",
    type=RecordedAt(),
    help="Only what changed since the store was at this position or time: the actions added or "
    "changed, and those withdrawn (marked), to apply to an earlier export.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    callback=_types,
    help="Only the actions of this type (killed, area_cleared, phase_launched, ...), comma-separated "
    "or repeated. Default: every type.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (replaced only once the export is complete). Default: standard output.",
)
@pass_service
def export_command(
    service: Service,
    viewpoint: Viewpoint,
    export_format: str,
    changed_since: datetime | int | None,
    types: tuple[str, ...],
    output: Path | None,
) -> None:
    """Export the actions the clocks count or hold uncertain, amendments applied, each with its
    report's source and quote (or, --changed-since, what changed since then)."""
    if changed_since is not None:
        if types:
            raise click.UsageError("--type chooses among an export's actions, not among its --changed-since")
        _export_changes(service, viewpoint, export_format, changed_since, output)
        return
    exported = service.export(viewpoint=viewpoint, types=types)
    try:
        with _destination(output) as stream:
            written = WRITERS[export_format].write(exported, exported.query(viewpoint), stream)
    except ExportError as error:
        raise click.ClickException(f"{error}\nnothing was written.") from error
    for line in summary(exported, written, export_format, output, viewpoint):
        say(line, err=True)


def _export_changes(
    service: Service, viewpoint: Viewpoint, export_format: str, since: datetime | int, output: Path | None
) -> None:
    """Write what changed in the export since the store was at ``since``: added and changed
    actions as the format writes actions, withdrawn ones marked (docs/data-format.md)."""
    changes = service.export_changes(since=since, viewpoint=viewpoint)
    query = {**viewpoint.describe(), "changed_since": str(since)}
    try:
        with _destination(output) as stream:
            written = WRITERS[export_format].write(changes.items(), query, stream)
    except ExportError as error:
        raise click.ClickException(f"{error}\nnothing was written.") from error
    say(
        f"exported the changes since {since}: {plural(len(changes.added), 'action')} added, "
        f"{len(changes.changed)} changed, {len(changes.withdrawn)} withdrawn, as {export_format} "
        f"to {output or 'standard output'}."
        + (f" left out by the {export_format} format: {written.left_out}." if written.left_out else ""),
        err=True,
    )


def summary(
    exported: Export, written: Written, export_format: str, output: Path | None, viewpoint: Viewpoint
) -> list[str]:
    """What an export wrote (actions, reports, amendments applied, format, file) and what it
    left out and why, told on standard error."""
    lines = [
        f"exported {plural(written.actions, 'action')} of {plural(exported.reports, 'report')} "
        f"({exported.uncertain} uncertain), {plural(exported.amendments_applied, 'amendment')} applied, "
        f"as {export_format} to {output or 'standard output'}."
    ]
    asked = {  # (what each reason was measured against, said after it)
        "as_of": viewpoint.as_of,
        "known_at": viewpoint.known_at,
        "recorded_at": viewpoint.recorded_at,
        "type": f"({', '.join(exported.types)})" if exported.types else None,
    }
    left_out = [
        f"{plural(count, 'action')} {LEFT_OUT_REASONS[reason]}"
        + (f" {asked[reason]}" if asked.get(reason) is not None else "")
        for reason, count in exported.left_out.items()
    ]
    if exported.amendments_not_applied:
        left_out.append(
            f"{plural(exported.amendments_not_applied, 'amendment')} not applied "
            "(recorded or published after the clocks)"
        )
    if written.left_out:
        left_out.append(f"by the {export_format} format: {written.left_out}")
    lines.append(f"left out: {'; '.join(left_out) if left_out else 'nothing'}.")
    return lines


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
