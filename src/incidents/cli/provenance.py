"""Where the numbers come from: ``explain``, ``history`` and ``conflicts``."""

from __future__ import annotations

from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import emit_result, format_option, names_option, pass_service, viewpoint_options
from incidents.cli.queries import groupings_option
from incidents.domain.actions import Metric
from incidents.output import rows
from incidents.service import Service, UnknownSubjectError, Viewpoint


@main.command(short_help="Every action behind a total (counted, uncertain or excluded), and why.")
@click.argument("metric", type=click.Choice([m.value for m in Metric]))
@click.option(
    "--side", required=True, help="Whose losses or materiel, e.g. ISIS (or Daesh: any of its names)."
)
@viewpoint_options()
@groupings_option
@names_option
@format_option
@pass_service
def explain(
    service: Service,
    metric: str,
    side: str,
    viewpoint: Viewpoint,
    by: list[str],
    aliases: Path | None,
    output_format: str,
) -> None:
    """Every action behind a total: counted, uncertain or excluded, with the reason, source, quote,
    date span and the corrections that changed it."""
    explanation = service.explain(Metric(metric), side, viewpoint=viewpoint, aliases=aliases)
    emit_result(rows.explain_result(explanation, viewpoint, by), output_format)


@main.command(short_help="The story of an action or an area: as stated, then every amendment.")
@click.argument("subject", metavar="REPORT/ACTION|AREA")
@viewpoint_options()
@names_option
@format_option
@pass_service
def history(
    service: Service, subject: str, viewpoint: Viewpoint, aliases: Path | None, output_format: str
) -> None:
    """The full story of an action (REPORT/ACTION) or of an area (any of its names): as first
    stated, then every correction, retraction, link and preference, each with its source and
    standing."""
    try:
        happenings = service.history(subject, viewpoint=viewpoint, aliases=aliases)
    except UnknownSubjectError as error:
        raise click.BadParameter(str(error), param_hint="SUBJECT") from error
    emit_result(rows.history_result(happenings, viewpoint, subject), output_format)


@main.command(short_help="Where sources disagree, which figure counts and why, and likely duplicates.")
@viewpoint_options()
@format_option
@pass_service
def conflicts(service: Service, viewpoint: Viewpoint, output_format: str) -> None:
    """Where sources disagree (linked incidents, phase numbering and dates, claims), which figure
    totals use and why, and unlinked actions that look like one incident reported twice."""
    emit_result(rows.conflicts_result(service.conflicts(viewpoint=viewpoint), viewpoint), output_format)
