"""The Report aggregate: one source report, and the actions it states.

The consistency boundary is the report. A report is what an analyst encodes, checks and later
corrects as a unit, and what "known at" is decided by (its publication date). Operations, areas
and totals span many reports, so they are projections across reports, never aggregates: no
write ever has to lock two reports at once, and reports can be loaded in any order.

What is stored (see docs/architecture.md, "Changing a stored value object"):

- The topics of these classes (``incidents.domain.report:Report.Registered``, ...) are in every
  stored row, and ``incidents.domain.report:Report`` in every ``Registered`` event. Never move
  or rename this module or these classes without registering the old topic
  (``eventsourcing.utils.register_topic``).
- The three events are envelopes, at the library's ``class_version`` 1 (none is stored): their
  own fields have not changed since the first stored event. What changes as the catalogue
  grows is their payload (an action, an amendment, a ``SourceRef``), and each payload is
  versioned where it is encoded, by its transcoding (``incidents.storage.transcodings``): one
  payload version and chain of upcasters per value object, wherever it is nested. The library's
  mechanism is per event class and would have to know every kind an ``ActionRecorded`` can hold.
  Should an envelope's own fields change (a field added to ``Registered``, say), use the
  library's mechanism for that event: ``class_version = 2`` and a static ``upcast_v1_v2(state)``.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import Amendment
from incidents.domain.limits import KEY, check_text
from incidents.domain.values import SourceRef

REPORT_NAMESPACE = uuid5(NAMESPACE_URL, "https://incidents.example/report")


class Report(Aggregate):
    """A source report: its reference, a digest of its encoded content, and its actions."""

    @staticmethod
    def create_id(key: str, **_: Any) -> UUID:
        """Reports are identified by their key, so loading one twice finds the first."""
        return uuid5(REPORT_NAMESPACE, key)

    class Registered(Aggregate.Created):
        """A source report enters the log: its key, its reference and a digest of its content."""

        key: str
        source: SourceRef
        digest: str

    class ActionRecorded(Aggregate.Event):
        """The report states an action (one of the catalogue in ``actions.py``)."""

        action: ReportedAction

    class AmendmentRecorded(Aggregate.Event):
        """The report amends an action of this or another report (see ``amendments.py``)."""

        amendment: Amendment

    @event(Registered)
    def __init__(self, *, key: str, source: SourceRef, digest: str) -> None:
        check_text(KEY, "key", key)
        self.key = key
        self.source = source
        self.digest = digest
        self.actions: list[ReportedAction] = []
        self.amendments: list[Amendment] = []

    @event(ActionRecorded)
    def record(self, action: ReportedAction) -> None:
        self.actions.append(action)

    @event(AmendmentRecorded)
    def amend(self, amendment: Amendment) -> None:
        self.amendments.append(amendment)

    def state(self, statement: ReportedAction | Amendment) -> None:
        """Record what the report states: an action, or an amendment."""
        if isinstance(statement, Amendment):
            self.amend(statement)
        else:
            self.record(statement)

    def statement(self, statement_id: str) -> ReportedAction | Amendment | None:
        """The action or amendment with this id in the report."""
        statements: list[ReportedAction | Amendment] = [*self.actions, *self.amendments]
        return next((found for found in statements if found.id == statement_id), None)
