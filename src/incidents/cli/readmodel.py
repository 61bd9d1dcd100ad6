"""``incidents rebuild`` and ``incidents follow``: the persistent read model, on demand.

Queries catch the read model up by themselves before they read it; ``follow`` keeps it caught
up as others write (so that their queries need not), and ``rebuild`` starts it again from the log.
"""

from __future__ import annotations

import sys
import time

import click

from incidents.cli.group import main
from incidents.cli.options import batch_size_option, pass_service, say
from incidents.output.render import unreadable_warning
from incidents.output.rows import unreadable_rows
from incidents.service import REBUILD_BATCH_SIZE, NoReadModelError, Service


@main.command()
@batch_size_option(REBUILD_BATCH_SIZE, "Events projected")
@pass_service
def rebuild(service: Service, batch_size: int) -> None:
    """Drop the read model and project the whole log into it again.

    Safe to interrupt: run it (or any query) again and it goes on from the last batch it
    committed.
    """
    started = time.perf_counter()
    try:
        done = service.rebuild(batch_size=batch_size)
    except NoReadModelError as error:
        raise click.ClickException(str(error)) from error
    seconds = time.perf_counter() - started
    rate = done.events / seconds if seconds else 0.0
    say(
        f"rebuilt the read model of {service.describe()}: {done.events:,} events in "
        f"{seconds:.1f} s ({rate:,.0f} events/s), up to position {done.position}"
    )
    if done.unreadable:
        sys.stderr.write(unreadable_warning(unreadable_rows(done.unreadable)))


@main.command()
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between polls of a SQLite store (PostgreSQL notifies instead).",
)
@click.option("--until-position", type=int, default=None, hidden=True)
@pass_service
def follow(service: Service, interval: float, until_position: int | None) -> None:
    """Keep the read model up to date as events are recorded, until interrupted (Ctrl-C).

    On PostgreSQL it subscribes to the log (LISTEN/NOTIFY, through the library); on SQLite it
    polls every --interval seconds.
    """
    try:
        reached = service.follow(interval=interval, until_position=until_position)
    except NoReadModelError as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        reached = service.read_model_position()
    say(f"the read model is at position {reached}", err=True)
