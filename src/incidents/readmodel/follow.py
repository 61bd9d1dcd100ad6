"""Following the log: project what is recorded as it is recorded.

PostgreSQL: the library's subscription (``recorder.subscribe``, LISTEN/NOTIFY) delivers the
notifications after the tracking position; each chunk it pulls is projected in one transaction.
SQLite has no notifications: the log is polled every ``interval`` seconds.
"""

from __future__ import annotations

import time

from incidents.application import IncidentLog
from incidents.readmodel import ReadModel


def follow(
    model: ReadModel, log: IncidentLog, *, interval: float = 1.0, until_position: int | None = None
) -> None:
    """Keep ``model`` up to date with ``log`` until interrupted (or, for tests, until the read
    model reaches ``until_position``)."""
    model.projector.catch_up()
    if model.database.postgres:
        _subscribe(model, log, until_position)
    else:
        _poll(model, interval, until_position)


def _reached(model: ReadModel, until_position: int | None) -> bool:
    return until_position is not None and model.position() >= until_position


def _poll(model: ReadModel, interval: float, until_position: int | None) -> None:
    while not _reached(model, until_position):
        model.projector.catch_up()
        if not _reached(model, until_position):
            time.sleep(interval)


def _subscribe(model: ReadModel, log: IncidentLog, until_position: int | None) -> None:
    if _reached(model, until_position):
        return
    with log.recorder.subscribe(gt=model.position()) as subscription:
        pending = []
        for notification in subscription:
            pending.append(notification)
            # Project when the subscription has handed over all it pulled so far.
            if getattr(subscription, "_notifications_index", 0) >= len(
                getattr(subscription, "_notifications", ())
            ):
                model.projector.project(pending)
                pending = []
                if _reached(model, until_position):
                    return
