"""``incidents import FORMAT FILE``: record another dataset's records, one report per record.

A group, so that each dataset format is one subcommand (``ucdp-ged`` today). Progress goes to
standard error, and only to a terminal; the summary goes to standard output.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import TracebackType

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from incidents.cli.group import ListingGroup, main
from incidents.cli.options import batch_size_option, pass_service, say
from incidents.formats.registry import DATASETS
from incidents.output.describe import quantity
from incidents.service import IMPORT_BATCH_SIZE, ImportProgress, Ingested, Service


@main.group(
    "import", cls=ListingGroup, short_help="Import another dataset's file (ucdp-ged): checked, then recorded."
)
def import_group() -> None:
    """Import another dataset's file: every record becomes a report, checked before anything is
    written, and importing the same file again changes nothing."""


@import_group.command("ucdp-ged")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--show-flags", is_flag=True, help="List every flagged event (see docs/data-format.md).")
@batch_size_option(IMPORT_BATCH_SIZE, "Reports recorded")
@pass_service
def ucdp_ged(service: Service, file: Path, quiet: bool, show_flags: bool, batch_size: int) -> None:
    """Import a UCDP GED CSV file: one report per event, one killed action per death figure.

    Every row is checked first; if any has a problem, or an event is already recorded with
    different content, every problem is listed and nothing is written.
    """
    started = time.perf_counter()
    with _ProgressBar(enabled=not quiet) as progress:
        imported = service.import_dataset(
            DATASETS["ucdp-ged"](file).reports, batch_size=batch_size, progress=progress
        )
    if show_flags:
        for note in imported.notes:
            say(f"flagged: {note}")
    say(_summary(imported, file, service.describe(), time.perf_counter() - started))


def _summary(imported: Ingested, file: Path, store: str, seconds: float) -> str:
    total = imported.recorded + imported.unchanged
    lines = [
        f"{imported.recorded} report(s) recorded ({quantity(imported.actions, 'action')}), "
        f"{imported.unchanged} unchanged, from {file} in {store}.",
        f"{total} reports in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f} reports/s).",
    ]
    if imported.notes:
        lines.append(f"{len(imported.notes)} flag(s) on the input, recorded as documented (--show-flags).")
    return "\n".join(lines)


class _ProgressBar(ImportProgress):
    """The import's progress as a rich bar on standard error, when that is a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        console = Console(stderr=True)
        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled or not console.is_terminal,
            transient=True,
        )
        self._checking: TaskID = self._bar.add_task("checking", total=None)
        self._recording: TaskID | None = None

    def __enter__(self) -> _ProgressBar:
        self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._bar.stop()

    def checked(self, reports: int) -> None:
        self._bar.advance(self._checking, reports)

    def recording(self, total: int) -> None:
        self._bar.update(self._checking, total=total, completed=total)
        self._recording = self._bar.add_task("recording", total=total)

    def recorded(self, reports: int) -> None:
        if self._recording is not None:
            self._bar.advance(self._recording, reports)
