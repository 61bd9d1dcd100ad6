"""The event catalogue: every kind of action a report can state. Read this module first.

Each class is one kind of reported action. A report file names it by its ``kind`` (the
``type:`` of an entry); the event store keeps it inside a ``Report.ActionRecorded`` event of the
report that states it (see ``report.py``). Every action carries:

- ``id``: its identity within the report (corrections will point at it),
- ``occurred``: when it happened, a :class:`DateSpan` with a precision (never an invented day),
- ``quote``: the words of the source that state it (the source itself is the report's),
- ``operation`` and ``phase``: the scope it belongs to, when the source places it in one.

Counted actions (killed, wounded, arrested, materiel) add up into totals. A claim
(:class:`TotalClaimed`) never does: it is compared with the counted actions in its scope.

These classes are stored, field by field, in an append-only log. Adding an optional field needs
no new payload version; renaming, removing or changing the meaning of one needs a new one and an
upcaster (``incidents.storage.transcodings``; the rule is in docs/architecture.md, "Changing a
stored value object"). A ``kind`` is stored too: never change one.
"""

from __future__ import annotations

import enum
from typing import ClassVar

from attrs import field, frozen

from incidents.domain.limits import (
    ID,
    LABEL,
    NAME,
    QUOTE,
    bounded_count,
    bounded_phase,
    bounded_text,
    bounded_texts,
)
from incidents.domain.values import DateSpan, Estimate, Extent, Name, Place, SplitOf


class Metric(enum.Enum):
    """What a counted action counts."""

    KILLED = "killed"
    WOUNDED = "wounded"
    ARRESTED = "arrested"
    SEIZED = "seized"  # materiel seized
    DESTROYED = "destroyed"  # materiel destroyed
    DISPLACED = "displaced"  # people or families displaced


class DisplacedUnit(enum.Enum):
    """What a displacement counts: people, or families (never summed together)."""

    PEOPLE = "people"
    FAMILIES = "families"


METRIC_RANK = {metric: rank for rank, metric in enumerate(Metric)}  # the order answers list metrics in


class AreaStatus(enum.Enum):
    """The states of an area. Any reported transition is accepted: the log keeps what sources say."""

    THREATENED = "threatened"
    CLEARING = "clearing"
    CLEARED = "cleared"


def _not_blank(_instance: object, attribute: object, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{getattr(attribute, 'name', 'value')} must not be blank")


@frozen(kw_only=True)
class ReportedAction:
    """What every reported action has. Not recorded on its own: use one of the kinds below."""

    kind: ClassVar[str] = ""

    id: str = field(validator=[_not_blank, bounded_text(ID)])
    occurred: DateSpan
    quote: str = field(validator=[_not_blank, bounded_text(QUOTE)])
    operation: Name | None = None
    phase: int | None = field(default=None, validator=bounded_phase)
    # Who the report says states it: "the Security Media Cell said", "claimed by ISIS" (a claim
    # of responsibility is the actor claiming it). For a claimed total: who claims the total.
    claimant: Name | None = None

    @property
    def place_of_action(self) -> Place | None:
        """Where it happened, for grouping by province or area."""
        return None


JOINT = " + "  # between the actors of a joint group, as totals --by actor name it


def joint_group(actor: Name | None, actors: tuple[Name, ...]) -> str | None:
    """Who did it, as one grouping value: the actor, or the joint group of ``actor`` and
    ``actors``, their canonical names once each, in alphabetical order ("Iraqi Army + PMF")."""
    canonical = {name.canonical for name in ((actor,) if actor else ()) + actors}
    return JOINT.join(sorted(canonical)) if canonical else None


def performers(actor: Name | None, actors: tuple[Name, ...]) -> tuple[Name, ...]:
    """Every actor that did it, each once (by canonical name), ``actor`` first."""
    found: dict[str, Name] = {}
    for name in ((actor,) if actor else ()) + actors:
        found.setdefault(name.canonical, name)
    return tuple(found.values())


# --- Operations and phases -------------------------------------------------------------------


@frozen(kw_only=True)
class OperationLaunched(ReportedAction):
    """An operation begins. ``names`` keeps every name this source uses for it."""

    kind: ClassVar[str] = "operation_launched"

    names: tuple[str, ...] = field(converter=tuple, factory=tuple, validator=bounded_texts(NAME))
    aim: str | None = field(default=None, validator=bounded_text(LABEL))
    forces: tuple[Name, ...] = field(converter=tuple, factory=tuple)


@frozen(kw_only=True)
class PhaseLaunched(ReportedAction):
    """A numbered phase of an operation begins."""

    kind: ClassVar[str] = "phase_launched"

    regions: tuple[Place, ...] = field(converter=tuple, factory=tuple)
    supervisor: str | None = field(default=None, validator=bounded_text(LABEL))
    forces: tuple[Name, ...] = field(converter=tuple, factory=tuple)


@frozen(kw_only=True)
class PhaseEnded(ReportedAction):
    """A numbered phase of an operation ends."""

    kind: ClassVar[str] = "phase_ended"


# --- Counted actions ----------------------------------------------------------------------------


@frozen(kw_only=True)
class CountedAction(ReportedAction):
    """An action whose count adds into totals. ``side`` is whose people or materiel it counts."""

    metric: ClassVar[Metric]

    side: Name
    count: Estimate = field(validator=bounded_count)
    actor: Name | None = None  # who did it
    place: Place | None = None
    split_of: SplitOf | None = None  # set when it is one part of a split total
    # A joint action: the actors who did it together (with ``actor``, if it is given too).
    actors: tuple[Name, ...] = field(converter=tuple, factory=tuple)

    @property
    def place_of_action(self) -> Place | None:
        return self.place

    @property
    def what(self) -> str | None:
        """What kind of thing it counts, when one metric counts unlike things (materiel items,
        people or families displaced): totals never add different ones into one figure."""
        return None


@frozen(kw_only=True)
class Killed(CountedAction):
    """People of ``side`` killed, by ``actor``, by ``means`` (airstrike, raid, ...)."""

    kind: ClassVar[str] = "killed"
    metric: ClassVar[Metric] = Metric.KILLED

    means: str | None = field(default=None, validator=bounded_text(LABEL))


@frozen(kw_only=True)
class Wounded(CountedAction):
    """People of ``side`` wounded."""

    kind: ClassVar[str] = "wounded"
    metric: ClassVar[Metric] = Metric.WOUNDED

    means: str | None = field(default=None, validator=bounded_text(LABEL))


@frozen(kw_only=True)
class Arrested(CountedAction):
    """People of ``side`` arrested or detained, by ``actor``."""

    kind: ClassVar[str] = "arrested"
    metric: ClassVar[Metric] = Metric.ARRESTED


@frozen(kw_only=True)
class MaterielSeized(CountedAction):
    """Materiel of ``side`` seized: ``item`` says what (weapons, explosive devices, ...)."""

    kind: ClassVar[str] = "materiel_seized"
    metric: ClassVar[Metric] = Metric.SEIZED

    item: str = field(validator=[_not_blank, bounded_text(LABEL)])

    @property
    def what(self) -> str | None:
        return self.item


@frozen(kw_only=True)
class MaterielDestroyed(CountedAction):
    """Materiel of ``side`` destroyed: hideouts, tunnels, explosive devices, ..."""

    kind: ClassVar[str] = "materiel_destroyed"
    metric: ClassVar[Metric] = Metric.DESTROYED

    item: str = field(validator=[_not_blank, bounded_text(LABEL)])

    @property
    def what(self) -> str | None:
        return self.item


@frozen(kw_only=True)
class Displaced(CountedAction):
    """People of ``side`` (civilians, a town's residents) displaced: ``unit`` says whether the
    count is of people or of families."""

    kind: ClassVar[str] = "displaced"
    metric: ClassVar[Metric] = Metric.DISPLACED

    unit: DisplacedUnit = DisplacedUnit.PEOPLE

    @property
    def what(self) -> str | None:
        return self.unit.value


# --- Areas --------------------------------------------------------------------------------------


@frozen(kw_only=True)
class AreaAction(ReportedAction):
    """A reported change of an area's status."""

    status: ClassVar[AreaStatus]

    area: Place
    actor: Name | None = None
    actors: tuple[Name, ...] = field(converter=tuple, factory=tuple)  # joint, as a counted action's
    extent: Extent | None = None  # "25 villages, 1,702 km2"

    @property
    def place_of_action(self) -> Place | None:
        return self.area


@frozen(kw_only=True)
class ThreatReported(AreaAction):
    """An area is reported under threat (again)."""

    kind: ClassVar[str] = "threat_reported"
    status: ClassVar[AreaStatus] = AreaStatus.THREATENED


@frozen(kw_only=True)
class ClearingStarted(AreaAction):
    """An operation to clear or secure an area is under way."""

    kind: ClassVar[str] = "clearing_started"
    status: ClassVar[AreaStatus] = AreaStatus.CLEARING


@frozen(kw_only=True)
class AreaCleared(AreaAction):
    """An area is reported cleared."""

    kind: ClassVar[str] = "area_cleared"
    status: ClassVar[AreaStatus] = AreaStatus.CLEARED


# --- Claims and estimates -----------------------------------------------------------------------


@frozen(kw_only=True)
class TotalClaimed(ReportedAction):
    """A cumulative figure for a scope (``operation``, optionally ``phase``) as of ``occurred``.

    "This brings the total killed to seven." Never added to totals: compared with the counted
    actions of the same metric and side in the scope.
    """

    kind: ClassVar[str] = "total_claimed"

    metric: Metric
    side: Name
    count: Estimate = field(validator=bounded_count)


@frozen(kw_only=True)
class StrengthEstimated(ReportedAction):
    """An estimate of a side's strength ("14-18,000 remaining militants"), usually a range."""

    kind: ClassVar[str] = "strength_estimated"

    side: Name
    count: Estimate = field(validator=bounded_count)
    region: str | None = field(default=None, validator=bounded_text(LABEL))
    estimator: str | None = field(default=None, validator=bounded_text(LABEL))


# --- Statements without numbers ---------------------------------------------------------------


@frozen(kw_only=True)
class Declared(ReportedAction):
    """Something declared ("victory over ISIS was declared"): dated like any action, so two
    sources that date one declaration differently are a conflict. ``actor`` declared it."""

    kind: ClassVar[str] = "declaration"

    declared: str = field(validator=[_not_blank, bounded_text(LABEL)])  # what: "victory over ISIS"
    actor: Name | None = None


ACTION_KINDS: dict[str, type[ReportedAction]] = {
    cls.kind: cls
    for cls in (
        OperationLaunched,
        PhaseLaunched,
        PhaseEnded,
        Killed,
        Wounded,
        Arrested,
        MaterielSeized,
        MaterielDestroyed,
        Displaced,
        ThreatReported,
        ClearingStarted,
        AreaCleared,
        TotalClaimed,
        StrengthEstimated,
        Declared,
    )
}
