"""One-line, human descriptions of actions, for replays and listings."""

from __future__ import annotations

from incidents.domain.actions import (
    AreaAction,
    CountedAction,
    OperationLaunched,
    PhaseEnded,
    PhaseLaunched,
    ReportedAction,
    StrengthEstimated,
    TotalClaimed,
)


def scope_label(action: ReportedAction) -> str | None:
    if action.operation is None:
        return None
    phase = f" phase {action.phase}" if action.phase is not None else ""
    return f"{action.operation.canonical}{phase}"


def summarise(action: ReportedAction) -> str:
    """What the action says, in a line: "ISIS killed 2 by US-led coalition (airstrike)"."""
    if isinstance(action, CountedAction):
        what = getattr(action, "item", None)
        text = f"{action.side} {action.metric.value} {action.count}"
        if what:
            text = f"{action.side} {what} {action.metric.value}: {action.count}"
        if action.actor:
            text += f" by {action.actor}"
        means = getattr(action, "means", None)
        if means:
            text += f" ({means})"
        if action.place:
            text += f" in {action.place.label}"
        if action.split_of:
            text += f" [part of {action.split_of.stated} stated]"
        return text
    if isinstance(action, AreaAction):
        return f"{action.area.label}: {action.status.value}"
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
