"""The queries: replay, totals, areas, claims, strength and phases, on the three clocks."""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import emit_result, format_option, names_option, pass_service, viewpoint_options
from incidents.formats.errors import InvalidInputError
from incidents.output import rows
from incidents.service import (
    GROUPINGS,
    ITEMS,
    AreaStatus,
    Service,
    Viewpoint,
    area_statuses,
    groupings,
    replay_running,
)


def _running(_context: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        return replay_running(value)
    except InvalidInputError as error:
        raise click.BadParameter(error.problems[0].message) from None


@main.command()
@viewpoint_options("--until")
@click.option(
    "--running",
    metavar="every|own",
    default="every",
    show_default=True,
    callback=_running,
    help="The running totals after each step: every one, or only the step's own metric and side "
    "(one series each: what a chart needs, far less JSON on a large log).",
)
@format_option
@pass_service
def replay(service: Service, viewpoint: Viewpoint, running: str, output_format: str) -> None:
    """The log in occurred order up to a date, with running totals after each action."""
    answer = service.replay(viewpoint=viewpoint, running=running)
    emit_result(rows.replay_result(answer, viewpoint), output_format)


def _groupings(_context: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    try:
        return groupings(value)
    except InvalidInputError as error:
        raise click.BadParameter(error.problems[0].message) from None


def _statuses(_context: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    try:
        area_statuses(value)
    except InvalidInputError as error:
        raise click.BadParameter(error.problems[0].message) from None
    return value


groupings_option = click.option(
    "--by",
    multiple=True,
    callback=_groupings,
    help=f"Group by, comma-separated or repeated: {', '.join(GROUPINGS)}.",
)


@main.command()
@viewpoint_options()
@groupings_option
@click.option(
    "--items",
    type=click.Choice(ITEMS),
    default="apart",
    show_default=True,
    help="Materiel (seized, destroyed): each item its own row (apart), or all items summed (together).",
)
@format_option
@pass_service
def totals(service: Service, viewpoint: Viewpoint, by: list[str], items: str, output_format: str) -> None:
    """Killed, wounded, arrested and materiel, summed by metric and side (and --by)."""
    answer = service.totals(viewpoint=viewpoint, by=by, items=items)
    emit_result(rows.totals_result(answer, viewpoint, by, items), output_format)


@main.command()
@viewpoint_options()
@click.option(
    "--history",
    "history_of",
    metavar="AREA",
    help="Show every reported status of one area (any of its names) instead.",
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="NAME",
    help="Only the areas in this province (any of its names), comma-separated or repeated.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    callback=_statuses,
    metavar="STATUS",
    help=f"Only the areas of this status ({', '.join(s.value for s in AreaStatus)}), comma-separated "
    "or repeated.",
)
@names_option
@format_option
@pass_service
def areas(
    service: Service,
    viewpoint: Viewpoint,
    history_of: str | None,
    provinces: tuple[str, ...],
    statuses: tuple[str, ...],
    aliases: Path | None,
    output_format: str,
) -> None:
    """Every area's status (threatened, clearing, cleared), since when, and on whose report."""
    if history_of:
        if provinces or statuses:
            raise click.UsageError("--province and --status choose among the areas, not within a --history")
        history = service.area_history(history_of, viewpoint=viewpoint, aliases=aliases)
        emit_result(rows.area_history_result(history, viewpoint), output_format)
    else:
        answer = service.areas(viewpoint=viewpoint, provinces=provinces, statuses=statuses, aliases=aliases)
        emit_result(rows.areas_result(answer, viewpoint), output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_service
def claims(service: Service, viewpoint: Viewpoint, output_format: str) -> None:
    """Cumulative claims beside the itemised incidents in their scope, and the remainder."""
    emit_result(rows.claims_result(service.claims(viewpoint=viewpoint), viewpoint), output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_service
def strength(service: Service, viewpoint: Viewpoint, output_format: str) -> None:
    """Estimates of each side's strength (usually ranges), latest last."""
    emit_result(rows.strength_result(service.strength(viewpoint=viewpoint), viewpoint), output_format)


@main.command()
@click.option("--operation", metavar="NAME", help="Only this operation's phases (any of its names).")
@viewpoint_options()
@names_option
@format_option
@pass_service
def phases(
    service: Service, operation: str | None, viewpoint: Viewpoint, aliases: Path | None, output_format: str
) -> None:
    """Each operation's phases as a timeline: launched and ended, regions, supervisor, every
    source, and where sources number or date a launch differently."""
    answer = service.phases(operation=operation, viewpoint=viewpoint, aliases=aliases)
    emit_result(rows.phases_result(answer, viewpoint), output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_service
def overview(service: Service, viewpoint: Viewpoint, output_format: str) -> None:
    """What the log holds: per action type, the actions counted and uncertain, their reports,
    and the first and last days they span (occurred, published)."""
    emit_result(rows.overview_result(service.overview(viewpoint=viewpoint), viewpoint), output_format)
