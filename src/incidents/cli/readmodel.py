"""``incidents rebuild`` and ``incidents follow``: the persistent read model, on demand.

Queries catch the read model up by themselves before they read it; ``follow`` keeps it caught
up as others write (so that their queries need not), and ``rebuild`` starts it again from the log.
"""

from __future__ import annotations

import time

import click

from incidents.cli.group import main
from incidents.cli.options import Session, batch_size_option, pass_session
from incidents.readmodel import ReadModel, disabled_because
from incidents.readmodel.follow import follow as follow_log
from incidents.readmodel.projector import BATCH_SIZE
from incidents.store import describe_db


def _model(session: Session) -> ReadModel:
    model = ReadModel.open(session.db, session.log)
    if model is None:
        why = disabled_because() or f"{describe_db(session.db)} is an in-memory store"
        raise click.ClickException(f"this store keeps no read model: {why}; queries fold the log instead")
    return model


@main.command()
@batch_size_option(BATCH_SIZE, "Events projected")
@pass_session
def rebuild(session: Session, batch_size: int) -> None:
    """Drop the read model and project the whole log into it again.

    Safe to interrupt: run it (or any query) again and it goes on from the last batch it
    committed.
    """
    model = _model(session)
    model.projector.batch_size = batch_size
    started = time.perf_counter()
    try:
        done = model.rebuild()
    finally:
        model.close()
    seconds = time.perf_counter() - started
    rate = done.events / seconds if seconds else 0.0
    click.echo(
        f"rebuilt the read model of {describe_db(session.db)}: {done.events:,} events in "
        f"{seconds:.1f} s ({rate:,.0f} events/s), up to position {done.position}"
    )


@main.command()
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between polls of a SQLite store (PostgreSQL notifies instead).",
)
@click.option("--until-position", type=int, default=None, hidden=True)
@pass_session
def follow(session: Session, interval: float, until_position: int | None) -> None:
    """Keep the read model up to date as events are recorded, until interrupted (Ctrl-C).

    On PostgreSQL it subscribes to the log (LISTEN/NOTIFY, through the library); on SQLite it
    polls every --interval seconds.
    """
    model = _model(session)
    try:
        follow_log(model, session.log, interval=interval, until_position=until_position)
    except KeyboardInterrupt:
        pass
    finally:
        click.echo(f"the read model is at position {model.position()}", err=True)
        model.close()
