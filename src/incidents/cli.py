"""The ``incidents`` command: parse arguments, call loading and projections, render."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from incidents.application import IncidentLog
from incidents.domain.errors import IncidentsError
from incidents.formats.errors import InvalidInputError
from incidents.loading import load_reports, read_reports
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import Entry, read_entries
from incidents.projections.totals import GROUPINGS
from incidents.rendering import FORMATS, Result, emit
from incidents.store import DB_ENVIRONMENT_VARIABLE, DEFAULT_DB, describe_db
from incidents.views import (
    area_history_view,
    areas_view,
    claims_view,
    replay_view,
    strength_view,
    totals_view,
)

F = TypeVar("F", bound=Callable[..., Any])


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"expected a date like 2019-08-28, got {value!r}", param, ctx)


class RecordedAt(click.ParamType):  # type: ignore[type-arg]
    """A store time (ISO date-time, UTC unless it says otherwise) or a store position (#123 or 123)."""

    name = "TIME|POSITION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime | int:
        text = str(value).strip().removeprefix("#")
        if text.isdigit():
            return int(text)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"expected a time like 2026-11-21T10:00:00+00:00 or a position like 42, got {value!r}",
                param,
                ctx,
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment


def viewpoint_options(as_of_name: str = "--as-of") -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The three clocks, on every query, handed to the command as one ``viewpoint``."""
    as_of_help = (
        "Occurred clock: count what had happened by this day."
        if as_of_name == "--as-of"
        else "Occurred clock: replay what had happened by this day."
    )

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(command)
        def with_viewpoint(
            *args: Any,
            as_of: date | None,
            known_at: date | None,
            recorded_at: datetime | int | None,
            **kwargs: Any,
        ) -> None:
            command(*args, viewpoint=Viewpoint(as_of, known_at, recorded_at), **kwargs)

        options = [
            click.option(as_of_name, "as_of", type=IsoDate(), help=as_of_help),
            click.option(
                "--known-at",
                type=IsoDate(),
                help="Reported clock: only what had been published by this day.",
            ),
            click.option(
                "--recorded-at",
                type=RecordedAt(),
                help="Recorded clock: only what the store held at this time or position.",
            ),
        ]
        decorated: Callable[..., None] = with_viewpoint
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


def format_option(command: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output: a terminal table, JSON, or CSV.",
    )(command)


class Session:
    """What every command shares: the store it talks to."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._log: IncidentLog | None = None

    @property
    def log(self) -> IncidentLog:
        if self._log is None:
            try:
                self._log = IncidentLog.open(self.db)
            except Exception as error:
                raise click.ClickException(
                    f"cannot open the store {describe_db(self.db)}: {error}"
                ) from error
        return self._log

    def entries(self) -> list[Entry]:
        return read_entries(self.log)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


pass_session = click.make_pass_decorator(Session)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar=DB_ENVIRONMENT_VARIABLE,
    default=DEFAULT_DB,
    show_default=True,
    help=(
        "The store: a SQLite file, postgresql://user@host:port/dbname, or memory:. "
        f"Also ${DB_ENVIRONMENT_VARIABLE}."
    ),
)
@click.version_option(package_name="incidents")
@click.pass_context
def main(context: click.Context, db: str) -> None:
    """An event-sourced incident log: load reports, replay them, query totals, areas and claims
    on three clocks (occurred, reported, recorded)."""
    context.obj = Session(db)
    context.call_on_close(context.obj.close)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Reference data (aliases.yaml). Default: the aliases.yaml in the files' folder or above.",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not list the flagged names.")
@pass_session
def load(session: Session, paths: tuple[Path, ...], aliases: Path | None, quiet: bool) -> None:
    """Validate report files (or folders of them) and record them.

    Nothing is written if any file has a problem. Loading a report again changes nothing.
    """
    try:
        contents = read_reports(paths, aliases)
        loaded = load_reports(session.log, contents)
    except InvalidInputError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        count = len(error.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
        sys.exit(1)
    for item in loaded:
        click.echo(
            f"{item.outcome.value:9}  {item.report.file}  "
            f"({len(item.report.actions)} actions, report {item.report.key})"
        )
        if not quiet:
            for note in item.report.notes:
                click.echo(f"  flagged: {note}")
    recorded = sum(1 for item in loaded if item.outcome.value == "recorded")
    click.echo(
        f"{recorded} report(s) recorded, {len(loaded) - recorded} unchanged, in {describe_db(session.db)}."
    )


def _emit(result: Result, output_format: str) -> None:
    stream = sys.stdout
    emit(result, output_format, stream)


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
    _emit(replay_view(session.entries(), viewpoint), output_format)


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


@main.command()
@viewpoint_options()
@click.option("--by", callback=_groupings, help=f"Group by, comma-separated: {', '.join(GROUPINGS)}.")
@format_option
@pass_session
def totals(
    session: Session,
    viewpoint: Viewpoint,
    by: list[str],
    output_format: str,
) -> None:
    """Killed, wounded, arrested and materiel, summed by metric and side (and --by)."""
    _emit(totals_view(session.entries(), viewpoint, by), output_format)


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
        _emit(area_history_view(session.entries(), viewpoint, history_of), output_format)
    else:
        _emit(areas_view(session.entries(), viewpoint), output_format)


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
    _emit(claims_view(session.entries(), viewpoint), output_format)


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
    _emit(strength_view(session.entries(), viewpoint), output_format)


def run() -> None:
    """Entry point that turns our own errors into messages and exit code 1."""
    try:
        main(standalone_mode=True)
    except IncidentsError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
