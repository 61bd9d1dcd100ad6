"""What every command shares: the clock and format options, dates, and the service of its store."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from incidents.formats.errors import InputProblem
from incidents.output.render import FORMATS, emit, longest_part, terminal_text
from incidents.output.rows import Result
from incidents.output.width import short
from incidents.service import Service, Viewpoint, clock_day, recorded_clock

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


class ClockDay(click.ParamType):  # type: ignore[type-arg]
    """The day a clock stops at: 2019-08-28, or a month or a year, by its end (``clock_day``)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return clock_day(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


class RecordedAt(click.ParamType):  # type: ignore[type-arg]
    """A store time (ISO date-time, UTC unless it says otherwise) or a store position (#123 or 123)."""

    name = "TIME|POSITION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime | int:
        if isinstance(value, datetime | int):
            return value
        try:
            return recorded_clock(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def viewpoint_options(as_of_name: str = "--as-of") -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The three clocks, on every query, handed to the command as one ``viewpoint``."""
    as_of_help = (
        "Occurred clock: count what had happened by this day"
        if as_of_name == "--as-of"
        else "Occurred clock: replay what had happened by this day"
    ) + " (a month or a year: by its end)."

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
            click.option(as_of_name, "as_of", type=ClockDay(), help=as_of_help),
            click.option(
                "--known-at",
                type=ClockDay(),
                help=(
                    "Reported clock: only what had been published by this day "
                    "(a month or a year: by its end)."
                ),
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


# Where ``--indent`` keeps its value for ``emit_result`` (click's per-invocation context).
INDENT_META = "incidents.indent"


def _keep_indent(context: click.Context, _param: click.Parameter, value: int | None) -> None:
    context.meta[INDENT_META] = value


def indent_option(command: F) -> F:
    """``--indent N``: JSON indented by N spaces (one compact line without it), for ``emit_result``."""
    return click.option(
        "--indent",
        type=click.IntRange(min=0),
        expose_value=False,
        callback=_keep_indent,
        help="Indent JSON by this many spaces (default: one compact line).",
    )(command)


def format_option(command: F) -> F:
    """``--format table|json|csv``, and ``--indent N`` for JSON (``indent_option``)."""
    indented = indent_option(command)
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output: a terminal table (plain text when long or not on a terminal), JSON, or CSV.",
    )(indented)


def service_of(context: click.Context) -> Service:
    """The service every command of this invocation shares (made by the group)."""
    service = context.find_object(Service)
    assert service is not None, "commands run inside the incidents group"
    return service


pass_service = click.make_pass_decorator(Service)


# Set by ``incidents serve`` while it runs a command for a client whose standard output is a
# terminal (``incidents.cli.serving``; the client sends its terminal's width as $COLUMNS): a long
# table is plain text, drawn here as the client would draw it; a short one is drawn with rich
# by the client itself.
FOR_A_TERMINAL: ContextVar[bool] = ContextVar("incidents_for_a_terminal", default=False)


class TableForATerminalError(Exception):
    """A command run by a server for a terminal's client would print a short table, which the
    client draws with rich on its terminal."""


def emit_result(result: Result, output_format: str) -> None:
    """Print a query's result on standard output, as a table, JSON (indented if ``--indent``
    asked) or CSV."""
    if output_format == "table" and FOR_A_TERMINAL.get() and short(longest_part(result)):
        raise TableForATerminalError(output_format)
    context = click.get_current_context(silent=True)
    indent = context.meta.get(INDENT_META) if context is not None else None
    emit(result, output_format, sys.stdout, indent=indent)


def aliases_option(command: F) -> F:
    """``--aliases FILE``: the reference data names resolve with."""
    return click.option(
        "--aliases",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Reference data (aliases.yaml). Default: the aliases.yaml in the files' folder or above.",
    )(command)


def names_option(command: F) -> F:
    """``--aliases FILE`` on a query that names a side or an area: what the names resolve with."""
    return click.option(
        "--aliases",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=(
            "Reference data the names given resolve with, beside the names the store recorded. "
            "Default: aliases.yaml here or above."
        ),
    )(command)


def say(text: str, *, err: bool = False) -> None:
    """Print a line to the user: text from reports (names, quotes, file names) can hold control
    characters and escape sequences, which reach the terminal escaped (``terminal_text``)."""
    click.echo(terminal_text(text), err=err)


def exit_with_problems(problems: Sequence[InputProblem]) -> NoReturn:
    """List every problem (file:line: field: message) on stderr, say nothing was written, exit 1."""
    for problem in problems:
        say(f"error: {problem}", err=True)
    count = len(problems)
    say(f"{count} problem{'s' if count != 1 else ''}; nothing was written.", err=True)
    sys.exit(1)


def batch_size_option(default: int, what: str) -> Callable[[F], F]:
    """``--batch-size N``: how many ``what`` one transaction holds."""
    return click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=default,
        show_default=True,
        help=f"{what} per transaction.",
    )
