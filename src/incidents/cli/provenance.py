"""Where the numbers come from: ``explain``, ``history`` and ``conflicts``."""

from __future__ import annotations

import click

from incidents.cli.group import main
from incidents.cli.options import Session, emit_result, format_option, pass_session, viewpoint_options
from incidents.cli.queries import groupings_option
from incidents.domain.actions import Metric
from incidents.domain.amendments import ActionRef
from incidents.projections.areas import area_history
from incidents.projections.clocks import Viewpoint
from incidents.provenance_views import conflicts_view, explain_view, history_view


@main.command()
@click.argument("metric", type=click.Choice([m.value for m in Metric]))
@click.option("--side", required=True, help="Whose losses or materiel, e.g. ISIS (any alias as recorded).")
@viewpoint_options()
@groupings_option
@format_option
@pass_session
def explain(
    session: Session, metric: str, side: str, viewpoint: Viewpoint, by: list[str], output_format: str
) -> None:
    """Every action behind a total: counted, uncertain or excluded, with the reason, source, quote,
    date span and the corrections that changed it."""
    emit_result(explain_view(session.ledger(), viewpoint, Metric(metric), side, by), output_format)


@main.command()
@click.argument("subject", metavar="REPORT/ACTION|AREA")
@viewpoint_options()
@format_option
@pass_session
def history(session: Session, subject: str, viewpoint: Viewpoint, output_format: str) -> None:
    """The full story of an action (REPORT/ACTION) or of an area: as first stated, then every
    correction, retraction, link and preference, each with its source and standing."""
    ledger = session.ledger()
    refs: list[ActionRef] = []
    if "/" in subject:
        ref = ActionRef.parse(subject, "")
        refs = [entry.ref for entry in ledger.entries if entry.ref == ref]
    if not refs:
        refs = [transition.entry.ref for transition, _ in area_history(ledger.entries, Viewpoint(), subject)]
    if not refs:
        raise click.BadParameter(
            f"no recorded action {subject!r} (write report-key/action-id) and no area of that name",
            param_hint="SUBJECT",
        )
    emit_result(history_view(ledger, viewpoint, refs, subject), output_format)


@main.command()
@viewpoint_options()
@format_option
@pass_session
def conflicts(session: Session, viewpoint: Viewpoint, output_format: str) -> None:
    """Where sources disagree (linked incidents, phase numbering and dates, claims), which figure
    totals use and why, and unlinked actions that look like one incident reported twice."""
    emit_result(conflicts_view(session.ledger(), viewpoint), output_format)
