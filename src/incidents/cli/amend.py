"""Amending the log: ``correct``, ``retract``, ``link`` and ``prefer``. Nothing is overwritten:
each records an amendment, with its source, that queries apply from then on."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from incidents.amending import Attribution, amendment_report, on_command_line, parse_settings
from incidents.cli.group import main
from incidents.cli.options import IsoDate, Session, exit_with_problems, pass_session
from incidents.formats.errors import InvalidInputError
from incidents.formats.reference import find_aliases_file, read_name_index
from incidents.loading import load_reports
from incidents.store import describe_db


def attribution_options(command: Callable[..., None]) -> Callable[..., None]:
    """Who or what the amendment comes from: a published source, or the analyst (the default)."""
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
            help="Reference data for names in --set values (default: aliases.yaml here or above).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _record(session: Session, kind: str, fields: dict[str, Any], options: dict[str, Any]) -> None:
    attribution = Attribution(
        analyst=options["analyst"] or getpass.getuser(),
        made_on=datetime.now(UTC).date(),
        outlet=options["outlet"],
        url=options["url"],
        published=options["published"],
        title=options["title"],
    )
    if options["outlet"] is None and any(options[name] for name in ("url", "published", "title")):
        raise click.UsageError(
            "--url, --published and --title describe a published source: give --outlet too"
        )
    aliases = options["aliases"] or find_aliases_file(Path.cwd() / "amendment.yaml")
    try:
        content = amendment_report(
            kind, {**fields, "quote": options["quote"]}, attribution, read_name_index(aliases)
        )
        [loaded] = load_reports(session.log, [content])
    except InvalidInputError as error:
        exit_with_problems(on_command_line(error).problems)
    for note in content.notes:
        click.echo(f"  flagged: {note}")
    position = session.log.recorder.max_notification_id()
    click.echo(
        f"{loaded.outcome.value}: {kind} in report {content.key} "
        f"(store position {position}, {describe_db(session.db)})"
    )


@main.command()
@click.argument("target", metavar="REPORT/ACTION")
@click.option(
    "--set", "settings", multiple=True, required=True, metavar="FIELD=VALUE", help="A corrected field."
)
@click.option("--reason", required=True, help="Why the recorded value was wrong.")
@attribution_options
@pass_session
def correct(session: Session, /, target: str, settings: tuple[str, ...], reason: str, **options: Any) -> None:
    """Correct fields of a recorded action, e.g. --set count=2. Queries use the corrected value;
    --recorded-at before the correction still shows the value as first recorded."""
    try:
        changes = parse_settings(settings)
    except InvalidInputError as error:
        exit_with_problems(error.problems)
    _record(session, "correction", {"target": target, "changes": changes, "reason": reason}, options)


@main.command()
@click.argument("target", metavar="REPORT/ACTION")
@click.option("--reason", required=True, help="Why it should never have counted.")
@attribution_options
@pass_session
def retract(session: Session, /, target: str, reason: str, **options: Any) -> None:
    """Retract a recorded action (or a correction, link or preference): it no longer counts."""
    _record(session, "retraction", {"target": target, "reason": reason}, options)


@main.command()
@click.argument("targets", nargs=-1, required=True, metavar="REPORT/ACTION...")
@click.option("--reason", help="Why they are one incident.")
@attribution_options
@pass_session
def link(session: Session, /, targets: tuple[str, ...], reason: str | None, **options: Any) -> None:
    """Link actions of different reports as one incident: it counts once."""
    if len(set(targets)) < 2:
        raise click.UsageError("name at least two different actions to link")
    _record(session, "duplicate", {"same": list(targets), "reason": reason}, options)


@main.command()
@click.argument("target", metavar="REPORT/ACTION")
@click.option("--reason", required=True, help="Why this report's figures are the better ones.")
@attribution_options
@pass_session
def prefer(session: Session, /, target: str, reason: str, **options: Any) -> None:
    """Use this action's figures for its incident, where linked reports disagree."""
    _record(session, "preference", {"target": target, "reason": reason}, options)
