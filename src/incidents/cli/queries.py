"""The queries: replay, totals, areas, claims and strength, on the three clocks."""

from __future__ import annotations

import click

from incidents.cli.group import main
from incidents.cli.options import Session, emit_result, format_option, pass_session, viewpoint_options
from incidents.projections.clocks import Viewpoint
from incidents.projections.totals import GROUPINGS
from incidents.views import (
    area_history_view,
    areas_view,
    claims_view,
    replay_view,
    strength_view,
    totals_view,
)


@main.command()
@viewpoint_options("--until")
@format_option
@pass_session
def replay(
    session: Session,
    viewpoint: Viewpoint,
    output_format: str,
) -> None:
    """The log in occurred order up to a date, with running totals after each action."""
    emit_result(replay_view(session.ledger(), viewpoint), output_format)


def _groupings(_context: click.Context, _param: click.Parameter, value: str | None) -> list[str]:
    if not value:
        return []
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in GROUPINGS]
    if unknown:
        raise click.BadParameter(
            f"unknown grouping {', '.join(unknown)}; expected any of: {', '.join(GROUPINGS)}"
        )
    return names


groupings_option = click.option(
    "--by", callback=_groupings, help=f"Group by, comma-separated: {', '.join(GROUPINGS)}."
)


@main.command()
@viewpoint_options()
@groupings_option
@format_option
@pass_session
def totals(
    session: Session,
    viewpoint: Viewpoint,
    by: list[str],
    output_format: str,
) -> None:
    """Killed, wounded, arrested and materiel, summed by metric and side (and --by)."""
    model = session.read_model()
    result = model.totals(viewpoint, by) if model else totals_view(session.ledger(), viewpoint, by)
    emit_result(result, output_format)


@main.command()
@viewpoint_options()
@click.option(
    "--history",
    "history_of",
    metavar="AREA",
    help="Show every reported status of one area instead.",
)
@format_option
@pass_session
def areas(
    session: Session,
    viewpoint: Viewpoint,
    history_of: str | None,
    output_format: str,
) -> None:
    """Every area's status (threatened, clearing, cleared), since when, and on whose report."""
    if history_of:
        emit_result(area_history_view(session.ledger(), viewpoint, history_of), output_format)
    else:
        model = session.read_model()
        result = model.areas(viewpoint) if model else areas_view(session.ledger(), viewpoint)
        emit_result(result, output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_session
def claims(
    session: Session,
    viewpoint: Viewpoint,
    output_format: str,
) -> None:
    """Cumulative claims beside the itemised incidents in their scope, and the remainder."""
    emit_result(claims_view(session.ledger(), viewpoint), output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_session
def strength(
    session: Session,
    viewpoint: Viewpoint,
    output_format: str,
) -> None:
    """Estimates of a side's strength (usually ranges), latest last."""
    emit_result(strength_view(session.ledger(), viewpoint), output_format)
