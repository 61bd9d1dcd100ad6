"""One-line, human descriptions of actions, for replays and listings."""

from __future__ import annotations

from enum import Enum

from incidents.domain.actions import (
    AreaAction,
    CountedAction,
    Declared,
    Displaced,
    OperationLaunched,
    PhaseEnded,
    PhaseLaunched,
    ReportedAction,
    StrengthEstimated,
    TotalClaimed,
    joint_group,
)
from incidents.domain.amendments import Amendment, Correction, DuplicateLink, Preference, Retraction
from incidents.domain.values import Place


def scope_label(action: ReportedAction) -> str | None:
    if action.operation is None:
        return None
    phase = f" phase {action.phase}" if action.phase is not None else ""
    return f"{action.operation.canonical}{phase}"


def summarise(action: ReportedAction) -> str:
    """What the action says, in a line: "ISIS killed 2 by US-led coalition (airstrike)"; who
    the report says states it, after it: "(says Security Media Cell)"."""
    text = _summary(action)
    if action.claimant is not None and not isinstance(action, TotalClaimed):
        text += f" (says {action.claimant})"
    return text


def _summary(action: ReportedAction) -> str:
    if isinstance(action, Displaced):
        text = f"{action.side} displaced: {action.count} {action.unit.value}"
        by = joint_group(action.actor, action.actors)
        if by:
            text += f" by {by}"
        return text + (f" {place_phrase(action.place)}" if action.place else "")
    if isinstance(action, CountedAction):
        what = action.what
        text = f"{action.side} {action.metric.value} {action.count}"
        if what:
            text = f"{action.side} {what} {action.metric.value}: {action.count}"
        by = joint_group(action.actor, action.actors)
        if by:
            text += f" by {by}"
        means = getattr(action, "means", None)
        if means:
            text += f" ({means})"
        if action.place:
            text += f" {place_phrase(action.place)}"
        if action.split_of:
            text += f" [part of {action.split_of.stated} stated]"
        return text
    if isinstance(action, AreaAction):
        extent = f" ({action.extent})" if action.extent else ""
        by = joint_group(action.actor, action.actors)
        return f"{action.area.label}{extent}: {action.status.value}" + (
            f" by {by}" if by and action.actors else ""
        )
    if isinstance(action, Declared):
        by = f" by {action.actor}" if action.actor else ""
        return f"declared{by}: {action.declared}"
    if isinstance(action, OperationLaunched):
        aim = f" to {action.aim}" if action.aim else ""
        return f"operation {action.operation} launched{aim}"
    if isinstance(action, PhaseLaunched):
        return f"{scope_label(action)} launched"
    if isinstance(action, PhaseEnded):
        return f"{scope_label(action)} ended"
    if isinstance(action, TotalClaimed):
        return f"claim: {action.side} {action.metric.value} total {action.count} in {scope_label(action)}"
    if isinstance(action, StrengthEstimated):
        region = f" in {action.region}" if action.region else ""
        by = f" ({action.estimator})" if action.estimator else ""
        return f"{action.side} strength {action.count}{region}{by}"
    return action.kind


def place_phrase(place: Place) -> str:
    """Where, after a verb: "in Karma"; a place with a qualifier the source states is already a
    relation ("south of Salahuddin", "near Karma"), said without "in"."""
    return place.label if place.qualifier else f"in {place.label}"


def quantity(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun, singular for one: "1 action", "9 actions", "2 reports"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def value_text(value: object) -> str:
    """A field's value in a line: names and places as read, spans and counts as written."""
    if value is None:
        return "(none)"
    if isinstance(value, Place):
        return value.label
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def describe_amendment(amendment: Amendment, with_target: bool = True) -> str:
    """What an amendment does, in a line: "correct ...: count to 2", "one incident: ..."."""
    target = f" {getattr(amendment, 'target', '')}" if with_target else ""
    if isinstance(amendment, Correction):
        changes = ", ".join(f"{c.field} to {value_text(c.value)}" for c in amendment.changes)
        return f"correct{target}: {changes}" if with_target else f"{changes}"
    if isinstance(amendment, Retraction):
        return f"retract{target}"
    if isinstance(amendment, DuplicateLink):
        return "one incident: " + ", ".join(str(ref) for ref in amendment.same)
    if isinstance(amendment, Preference):
        return f"prefer{target}'s figures for its incident" if with_target else "prefer these figures"
    return amendment.kind
