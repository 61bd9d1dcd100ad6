"""What changed: ``incidents changes`` (the change feed), ``incidents diff`` (two viewpoints) and
``incidents lag`` (how late sources report)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime

import click

from incidents.cli.group import main
from incidents.cli.options import (
    ClockDay,
    RecordedAt,
    emit_result,
    format_option,
    indent_option,
    pass_service,
    viewpoint_options,
)
from incidents.formats.errors import InvalidInputError
from incidents.output import rows
from incidents.output.render import FORMATS, feed_lines
from incidents.service import LAG_GROUPINGS, Service, Viewpoint, diff_side

FEED = "jsonl"


@main.command()
@click.option(
    "--since",
    type=RecordedAt(),
    help="Recorded clock: what the store recorded after this position or time (a feed resumes "
    "from the position the last one gave).",
)
@click.option("--until", type=RecordedAt(), help="Recorded clock: up to this position or time.")
@click.option(
    "--known-since",
    type=ClockDay(),
    help="Reported clock: what was published after this day (a month or a year: by its end).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice((*FORMATS, FEED)),
    default="table",
    show_default=True,
    help="Output: a terminal table, JSON, CSV, or jsonl: the feed, one JSON object per line, "
    "then the position to resume from.",
)
@indent_option
@pass_service
def changes(
    service: Service,
    since: datetime | int | None,
    until: datetime | int | None,
    known_since: date | None,
    output_format: str,
) -> None:
    """Every action stated and every correction, retraction, link and preference recorded
    since a point, in order, each with its source and what it changed (old -> new)."""
    answer = service.changes(since=since, until=until, known_since=known_since)
    result = rows.changes_result(answer)
    if output_format == FEED:
        for line in feed_lines(result):
            sys.stdout.write(line + "\n")
        return
    emit_result(result, output_format)


def _side(option: str) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], Viewpoint]:
    """The callback that reads one side of a diff (``CLOCK=VALUE``, repeated)."""

    def read(_context: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> Viewpoint:
        try:
            return diff_side(value, option)
        except InvalidInputError as error:
            raise click.BadParameter("; ".join(problem.message for problem in error.problems)) from None

    return read


@main.command()
@click.option(
    "--from",
    "before",
    multiple=True,
    metavar="CLOCK=VALUE",
    callback=_side("from"),
    help="The earlier viewpoint: known-at=DAY, recorded-at=POSITION|TIME (or now), as-of=DAY; "
    "repeat for several clocks.",
)
@click.option(
    "--to",
    "after",
    multiple=True,
    metavar="CLOCK=VALUE",
    callback=_side("to"),
    help="The later viewpoint, as --from (default: now on every clock).",
)
@click.option("--as-of", type=ClockDay(), help="Occurred clock of both sides, where a side names none.")
@format_option
@pass_service
def diff(
    service: Service, before: Viewpoint, after: Viewpoint, as_of: date | None, output_format: str
) -> None:
    """Totals, areas and claims that differ between two viewpoints, each difference explained
    by the events that make it (new reports, corrections, retractions, links), with sources."""
    answer = service.diff(before=before, after=after, as_of=as_of)
    emit_result(rows.diff_result(answer), output_format)


@main.command()
@viewpoint_options()
@click.option(
    "--by",
    type=click.Choice(list(LAG_GROUPINGS)),
    default="outlet",
    show_default=True,
    help="Group the actions by their outlet, metric (or kind) or operation.",
)
@format_option
@pass_service
def lag(service: Service, viewpoint: Viewpoint, by: str, output_format: str) -> None:
    """How many days after an action occurred its source published it: quartiles, median and
    max per group, as ranges (low-high) where dates are spans."""
    emit_result(rows.lag_result(service.lag(viewpoint=viewpoint, by=by), viewpoint), output_format)
