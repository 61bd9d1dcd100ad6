"""Counts (after the totals, or a replay)

A count is named as ``SIDE METRIC [by ACTOR] [during OPERATION] [in phase N]``: "ISIS killed",
"ISIS killed by PMF in phase 4", "Federal Police wounded". Names resolve as the ``incidents``
command resolves them: through the reference data, so "ISIS killed by Hashd al-Shaabi" is the
PMF's count, and through the names the store recorded. A name that matches neither fails the
step ("Then Martians killed is 0" is an unknown side, not a count of nothing). A count is compared as "is 5",
"is 14000-18000", "is at least 4", "is at most 6" or "is between 3 and 6".
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen
from pytest_bdd import parsers, then

from incidents.domain.actions import CountedAction, Metric
from incidents.domain.values import Estimate, Name, normalise_name
from incidents.service import Judged, NameKind, Replay, TotalRow, Totals
from incidents.specs.phrases import (
    COMPARISON,
    COUNT,
    METRIC,
    SCOPE,
    Scope,
    read_comparison,
    read_count,
    read_metric,
    read_scope,
    unquote,
)
from incidents.specs.world import Asked, World

# A side never starts with "the": "the claim of ISIS killed is 7" is not a count of "the claim of ISIS".
QUANTITY = rf"(?P<side>(?!the ).+?) {METRIC}{SCOPE}"


def resolved(world: World, kind: NameKind, written: str) -> str:
    """A name a step writes, as the service resolves it (``Service.resolve``, with the
    scenario's reference data): UnknownNameError, with near matches, if it names nothing."""
    return world.service.resolve(kind, unquote(written), names=world.names)


def canonical(name: Name | None) -> str | None:
    return name.canonical if name is not None else None


def same_name(first: str | None, second: str | None) -> bool:
    """Names meet as the name index folds them: case, spacing and punctuation aside."""
    if first is None or second is None:
        return first is second
    return normalise_name(first) == normalise_name(second)


@frozen
class Wanted:
    """Which counted actions a step names, with names resolved to their canonical form."""

    metric: Metric
    side: str
    actor: str | None = None
    operation: str | None = None
    phase: int | None = None

    @classmethod
    def read(cls, world: World, side: str, metric: str, scope: str = "") -> Wanted:
        narrowed = read_scope(scope)
        return cls(
            metric=read_metric(metric),
            side=resolved(world, "side", side),
            actor=resolved(world, "side", narrowed.actor) if narrowed.actor else None,
            operation=resolved(world, "operation", narrowed.operation) if narrowed.operation else None,
            phase=narrowed.phase,
        )

    @property
    def groupings(self) -> tuple[str, ...]:
        wanted = (("actor", self.actor), ("operation", self.operation), ("phase", self.phase))
        return tuple(name for name, value in wanted if value is not None)

    def _group_values(self) -> dict[str, str]:
        values = {"actor": self.actor, "operation": self.operation}
        values["phase"] = None if self.phase is None else str(self.phase)
        return {name: value for name, value in values.items() if value is not None}

    def accepts_row(self, row: TotalRow) -> bool:
        if row.metric is not self.metric or not same_name(row.side, self.side):
            return False
        groups = dict(row.groups)
        return all(
            same_name(None if (found := groups.get(name)) is None else str(found), value)
            for name, value in self._group_values().items()
        )

    def accepts(self, action: CountedAction) -> bool:
        if action.metric is not self.metric or not same_name(action.side.canonical, self.side):
            return False
        if self.actor is not None and not same_name(canonical(action.actor), self.actor):
            return False
        if self.operation is not None and not same_name(canonical(action.operation), self.operation):
            return False
        return self.phase is None or action.phase == self.phase

    def describe(self) -> str:
        scope = Scope(self.actor, self.operation, self.phase).describe()
        return " ".join(word for word in (self.side, self.metric.value, scope) if word)


def _row_text(row: TotalRow) -> str:
    groups = "".join(f", {name} {value}" for name, value in row.groups)
    return f"{row.side} {row.metric.value}{groups}: {row.estimate}"


def _listing(lines: Iterable[str]) -> str:
    shown = [f"  {line}" for line in lines]
    return "\n".join(shown) if shown else "  (nothing)"


@then(parsers.re(rf"{QUANTITY} is {COMPARISON}"))
def count_is(incidents_world: World, side: str, metric: str, scope: str, comparison: str) -> None:
    """A total, as the totals answer it (narrowed by actor, operation or phase if named).

    Example::

        Then ISIS killed is 5
        Then ISIS killed by PMF in phase 4 is 3
        Then ISIS killed during Will to Victory is at least 4
        Then Federal Police wounded is between 1 and 3
    """
    question = incidents_world.asked(Asked.TOTALS)
    wanted = Wanted.read(incidents_world, side, metric, scope)
    expected = read_comparison(comparison)
    result = incidents_world.service.totals(viewpoint=question.viewpoint, by=wanted.groupings)
    rows = [row for row in result.rows if wanted.accepts_row(row)]
    actual = sum((row.estimate for row in rows), Estimate.zero())
    if not expected.holds(actual):
        grouped = f" by {', '.join(wanted.groupings)}" if wanted.groupings else ""
        raise AssertionError(
            f"{wanted.describe()} is {actual}, expected {expected}.\n"
            f"The totals {question.clocks.describe(groupings=False)}{grouped}:\n"
            + _listing(_row_text(row) for row in result.rows)
        )


def _uncertain(world: World) -> tuple[Judged, ...]:
    answer: Totals | Replay = world.asked(Asked.TOTALS, Asked.REPLAY).answer
    return answer.uncertain


def _judged_text(judged: Judged) -> str:
    action = judged.entry.action
    return f"{action.kind} {action.id} ({judged.entry.report.key}): {judged.verdict.reason}"


@then(parsers.re(rf"(?P<count>{COUNT}) {QUANTITY} (?:is|are) listed as uncertain"))
def count_uncertain(incidents_world: World, count: str, side: str, metric: str, scope: str) -> None:
    """How many of these were neither counted nor dropped: their date straddles the clock's.

    Example::

        Then 1 ISIS killed by PMF is listed as uncertain
        Then 0 ISIS arrested are listed as uncertain
    """
    wanted = Wanted.read(incidents_world, side, metric, scope)
    uncertain = _uncertain(incidents_world)
    found = [
        judged.entry.action
        for judged in uncertain
        if isinstance(judged.entry.action, CountedAction) and wanted.accepts(judged.entry.action)
    ]
    actual = sum((action.count for action in found), Estimate.zero())
    expected = read_count(count)
    assert actual == expected, (
        f"{actual} {wanted.describe()} listed as uncertain, expected {expected}. Listed as uncertain:\n"
        + _listing(_judged_text(judged) for judged in uncertain)
    )


@then("nothing is listed as uncertain")
def nothing_uncertain(incidents_world: World) -> None:
    """The last answer lists nothing as uncertain: every date is clearly before or after the clock.

    Example::

        Then nothing is listed as uncertain
    """
    question = incidents_world.question
    if question is None:
        raise AssertionError("ask a question first (When I ask for the totals as of DATE)")
    uncertain = [row.cells() for row in question.result.uncertain]
    assert not uncertain, "listed as uncertain:\n" + _listing(
        f"{row['summary']} ({row['reason']})" for row in uncertain
    )


@then(parsers.re(rf"the running total of (?P<side>.+?) {METRIC} ends at {COMPARISON}"))
def running_total(incidents_world: World, side: str, metric: str, comparison: str) -> None:
    """The running total at the end of a replay.

    Example::

        Then the running total of ISIS killed ends at 5
    """
    question = incidents_world.asked(Asked.REPLAY)
    wanted = Wanted.read(incidents_world, side, metric)
    answer: Replay = question.answer
    steps = answer.steps
    actual = Estimate.zero()
    items: set[str | None] = set()
    for step in steps:
        for step_metric, step_side, item, estimate in step.running:
            if step_metric is wanted.metric and same_name(step_side, wanted.side):
                actual = estimate
                items.add(item)
    assert len(items) <= 1, (
        f"{wanted.describe()} counts unlike things ({', '.join(sorted(map(str, items)))}): "
        "their running totals are apart, never one figure"
    )
    expected = read_comparison(comparison)
    assert expected.holds(actual), (
        f"the running total of {wanted.describe()} ends at {actual}, expected {expected}"
    )
