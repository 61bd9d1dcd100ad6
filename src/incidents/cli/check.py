"""``incidents check``: run Gherkin specs (``.feature`` files) against the step library.

The analyst writes feature files only; the check binds them to the steps, runs them with pytest
and prints what passed and what failed (``incidents.specs.checking`` does the work). Exit codes:
0 every scenario passed, 1 some failed, 2 the check could not run them (a malformed feature file,
an unreadable store, a bad option).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import say

REPORT_FILE = click.Path(dir_okay=False, writable=True, path_type=Path)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--store",
    metavar="DB",
    help=(
        "Start every scenario from the events of this existing store (a SQLite file or "
        "postgresql://...), which is only read. Default: an empty log."
    ),
)
@click.option(
    "-k",
    "select",
    metavar="EXPR",
    help=(
        "Only the scenarios whose name (or feature's name) contains every word, e.g. -k 'karma "
        "threatened'; with and, or, not and parentheses: -k 'karma and not history'."
    ),
)
@click.option("--cucumber-json", type=REPORT_FILE, help="Also write the results as Cucumber JSON.")
@click.option("--html", type=REPORT_FILE, help="Also write the results as a self-contained HTML page.")
def check(
    paths: tuple[Path, ...],
    store: str | None,
    select: str | None,
    cucumber_json: Path | None,
    html: Path | None,
) -> None:
    """Run the scenarios of feature files (or of folders of them) against the step library.

    Relative paths in steps are read from the current folder. Each scenario starts from an empty
    log, or with --store from a copy of a store's events: nothing is ever written to a store.
    """
    # Imported here: it brings in pytest, which the other commands need not load.
    from incidents.specs.checking import CheckRequest, run_check

    request = CheckRequest(paths, Path.cwd(), store, select, cucumber_json, html)
    outcome = run_check(request)
    if outcome.summary:
        say(outcome.summary)
    if outcome.details:
        say(outcome.details, err=True)
    for error in outcome.errors:
        say(f"error: {error}", err=True)
    sys.exit(outcome.exit_code)
