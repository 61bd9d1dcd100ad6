"""Amending the log: ``correct``, ``retract``, ``link`` and ``prefer``. Nothing is overwritten:
each records an amendment, with its source, that queries apply from then on."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from incidents.cli.group import main
from incidents.cli.options import IsoDate, pass_service, say
from incidents.service import Attribution, Service, parse_settings


def attribution_options(command: Callable[..., None]) -> Callable[..., None]:
    """Who or what the amendment comes from: a published source, or the analyst (the default);
    and the reference data its names resolve with."""
    names_in = "--set values" if command.__name__ == "correct" else "the amendment"
    options = [
        click.option("--by", "analyst", help="The analyst making it (default: the login name)."),
        click.option("--outlet", help="When a published source makes it: the outlet."),
        click.option("--url", help="The source's URL."),
        click.option("--published", type=IsoDate(), help="The source's publication day (default: today)."),
        click.option("--title", help="The source's title."),
        click.option("--quote", help="The source's words."),
        click.option(
            "--aliases",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"Reference data for names in {names_in} (default: aliases.yaml here or above).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _record(service: Service, kind: str, fields: dict[str, Any], options: dict[str, Any]) -> None:
    if options["outlet"] is None and any(options[name] for name in ("url", "published", "title")):
        raise click.UsageError(
            "--url, --published and --title describe a published source: give --outlet too"
        )
    attribution = Attribution(
        analyst=options["analyst"] or getpass.getuser(),
        made_on=datetime.now(UTC).date(),
        outlet=options["outlet"],
        url=options["url"],
        published=options["published"],
        title=options["title"],
    )
    amended = service.amend(
        kind, {**fields, "quote": options["quote"]}, attribution=attribution, aliases=options["aliases"]
    )
    for note in amended.report.notes:
        say(f"  flagged: {note}")
    say(
        f"{amended.outcome.value}: {kind} in report {amended.report.key} "
        f"(store position {amended.position}, {service.describe()})"
    )


@main.command(
    short_help="Correct fields of a recorded action (--set FIELD=VALUE): queries use the new value."
)
@click.argument("target", metavar="REPORT/ACTION")
@click.option(
    "--set", "settings", multiple=True, required=True, metavar="FIELD=VALUE", help="A corrected field."
)
@click.option("--reason", required=True, help="Why the recorded value was wrong.")
@attribution_options
@pass_service
def correct(service: Service, /, target: str, settings: tuple[str, ...], reason: str, **options: Any) -> None:
    """Correct fields of a recorded action, e.g. --set count=2. Queries use the corrected value;
    a query on the recorded clock before the correction still shows the value as first recorded."""
    changes = parse_settings(settings)
    _record(service, "correction", {"target": target, "changes": changes, "reason": reason}, options)


@main.command()
@click.argument("target", metavar="REPORT/ACTION")
@click.option("--reason", required=True, help="Why it should never have counted.")
@attribution_options
@pass_service
def retract(service: Service, /, target: str, reason: str, **options: Any) -> None:
    """Retract a recorded action (or a correction, link or preference): it no longer counts."""
    _record(service, "retraction", {"target": target, "reason": reason}, options)


@main.command()
@click.argument("targets", nargs=-1, required=True, metavar="REPORT/ACTION...")
@click.option("--reason", help="Why they are one incident.")
@attribution_options
@pass_service
def link(service: Service, /, targets: tuple[str, ...], reason: str | None, **options: Any) -> None:
    """Link actions of different reports as one incident: it counts once."""
    if len(set(targets)) < 2:
        raise click.UsageError("name at least two different actions to link")
    _record(service, "duplicate", {"same": list(targets), "reason": reason}, options)


@main.command()
@click.argument("target", metavar="REPORT/ACTION")
@click.option("--reason", required=True, help="Why this report's figures are the better ones.")
@attribution_options
@pass_service
def prefer(service: Service, /, target: str, reason: str, **options: Any) -> None:
    """Use this action's figures for its incident, where linked reports disagree."""
    _record(service, "preference", {"target": target, "reason": reason}, options)
