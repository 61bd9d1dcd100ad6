"""Following the log: project what is recorded as it is recorded.

Where the store's recorder can subscribe (the dialect says so: PostgreSQL's ``recorder.subscribe``,
LISTEN/NOTIFY), the subscription says when something new is recorded. It is read on a thread of
its own, as a wake-up only: whenever it has delivered anything, the read model catches up
(``Projector.catch_up``: the notifications after the committed tracking position, a batch per
transaction, under the projector's lock), so that what is projected never depends on what the
subscription pulled, and an event is projected once even if another process projects (or
rebuilds) at the same time. Only the subscription's public iterator and context manager are used.

Elsewhere (SQLite has no notifications) the log is polled every ``interval`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from eventsourcing.persistence import Notification

from incidents.application import IncidentLog
from incidents.readmodel import ReadModel

WAKE_CHECK = 0.5  # seconds between looks at the position (reached by another process?)


def follow(
    model: ReadModel, log: IncidentLog, *, interval: float = 1.0, until_position: int | None = None
) -> None:
    """Keep ``model`` up to date with ``log`` until interrupted (or, for tests, until the read
    model reaches ``until_position``)."""
    model.projector.catch_up()
    if model.database.dialect.subscribes:
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


class _WakeUps:
    """A subscription read on a thread of its own: ``arrived`` is set whenever it delivers a
    notification; ``error`` is what ended it, if anything did before it was stopped."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.ended = threading.Event()
        self.error: BaseException | None = None

    def read(self, subscription: Iterable[Notification]) -> None:
        try:
            for _notification in subscription:
                self.arrived.set()
        except BaseException as error:  # re-raised by ``wait``, on the following thread
            self.error = error
        finally:
            self.ended.set()
            self.arrived.set()

    def wait(self, timeout: float) -> bool:
        """Whether something new was recorded within ``timeout`` seconds (re-raising what ended
        the subscription, if it ended)."""
        if not self.arrived.wait(timeout):
            return False
        self.arrived.clear()
        if self.ended.is_set():
            raise self.error or RuntimeError("the subscription to the log ended")
        return True


def _subscribe(model: ReadModel, log: IncidentLog, until_position: int | None) -> None:
    wake_ups = _WakeUps()
    reader: threading.Thread | None = None
    try:
        with log.recorder.subscribe(gt=model.position()) as subscription:
            reader = threading.Thread(target=wake_ups.read, args=(subscription,), daemon=True)
            reader.start()
            while not _reached(model, until_position):
                if wake_ups.wait(WAKE_CHECK):
                    model.projector.catch_up()
    finally:  # leaving the subscription stopped it, which ends its iteration
        if reader is not None:
            reader.join()
