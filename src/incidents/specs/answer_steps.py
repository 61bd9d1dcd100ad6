"""Claims, strength, replay, the overview, and any answer

A claim's remainder is what its itemised incidents (same metric and side, in its operation and
phase, as of the claim's date) leave unaccounted for; negative when they exceed it. The replay's
texts are the summaries ``incidents replay`` prints. The table steps compare the rows the
``incidents`` command prints (``--format json`` shows the column names): only the columns the
table names are compared, as text.
"""

from __future__ import annotations

from pytest_bdd import parsers, then

from incidents.domain.actions import ACTION_KINDS
from incidents.domain.values import Estimate
from incidents.output.describe import summarise
from incidents.output.render import cell_text
from incidents.service import ClaimComparison, Claims, Overview, Replay, Strength, TypeOverview
from incidents.specs.count_steps import canonical, resolved, same_name
from incidents.specs.phrases import (
    COMPARISON,
    COUNT,
    METRIC,
    SCOPE,
    read_comparison,
    read_count,
    read_scope,
)
from incidents.specs.world import Asked, World

# --- Claims -------------------------------------------------------------------------------------


def _claim(world: World, side: str, metric: str, scope: str) -> ClaimComparison:
    """The one claim of this metric and side (in this scope, by this claimant, if named)."""
    question = world.asked(Asked.CLAIMS)
    narrowed = read_scope(scope)
    wanted_side = resolved(world, "side", side)
    operation = resolved(world, "operation", narrowed.operation) if narrowed.operation else None
    claimant = resolved(world, "side", narrowed.actor) if narrowed.actor else None
    answer: Claims = question.answer
    found = [
        c
        for c in answer.comparisons
        if c.claim.metric.value == metric
        and same_name(c.claim.side.canonical, wanted_side)
        and (narrowed.phase is None or c.claim.phase == narrowed.phase)
        and (operation is None or same_name(canonical(c.claim.operation), operation))
        and (claimant is None or same_name(canonical(c.claim.claimant), claimant))
    ]
    if len(found) != 1:
        listed = "\n".join(
            f"  {c.claim.side} {c.claim.metric.value} {c.claim.count} (as of {c.claim.occurred}, "
            f"{c.entry.report.key}): itemised {c.itemised}, remainder {c.remainder}"
            for c in answer.comparisons
        )
        how_many = "no claim" if not found else f"{len(found)} claims"
        raise AssertionError(
            f"{how_many} of {side} {metric} {scope.strip()} {question.clocks.describe()}; "
            f"the claims are:\n{listed or '  (none)'}"
        )
    return found[0]


@then(parsers.re(rf"the claim of (?P<side>.+?) {METRIC}{SCOPE} shows a remainder of (?P<remainder>-?\d+)"))
def claim_remainder(incidents_world: World, side: str, metric: str, scope: str, remainder: str) -> None:
    """What a cumulative claim leaves unaccounted for by the itemised incidents in its scope
    (negative when they exceed it). ``by`` names the claimant.

    Example::

        Then the claim of ISIS killed shows a remainder of 2
        Then the claim of ISIS arrested during Will of Victory shows a remainder of 6
    """
    comparison = _claim(incidents_world, side, metric, scope)
    assert comparison.remainder == int(remainder), (
        f"the claim of {comparison.claim.count} {side} {metric} has {comparison.itemised} itemised: "
        f"a remainder of {comparison.remainder}, expected {remainder}"
    )


@then(
    parsers.re(
        rf"the claim of (?P<side>.+?) {METRIC}{SCOPE}"
        rf" is (?P<claimed>{COUNT}) against (?P<itemised>{COUNT}) itemised"
    )
)
def claim_against(
    incidents_world: World, side: str, metric: str, scope: str, claimed: str, itemised: str
) -> None:
    """A cumulative claim and the itemised incidents in its scope, as of the claim's date.

    Example::

        Then the claim of ISIS killed is 7 against 5 itemised
    """
    comparison = _claim(incidents_world, side, metric, scope)
    actual = (comparison.claim.count, comparison.itemised)
    expected = (read_count(claimed), read_count(itemised))
    assert actual == expected, (
        f"the claim is {actual[0]} against {actual[1]} itemised, expected {expected[0]} against {expected[1]}"
    )


# --- The overview -------------------------------------------------------------------------------


def _overview_of(world: World, kind: str | None) -> TypeOverview | None:
    """The overview's row of one action type (None: of every type), if it has one."""
    answer: Overview = world.asked(Asked.OVERVIEW).answer
    if kind is None:
        return answer.every
    return next((row for row in answer.types if row.type == kind), None)


@then(parsers.re(r"the log holds (?P<actions>\d+) actions? of (?P<reports>\d+) reports?"))
def log_holds(incidents_world: World, actions: str, reports: str) -> None:
    """The overview's actions of every type (counted and uncertain), and the reports stating them.

    Example::

        Then the log holds 23 actions of 2 reports
    """
    every = _overview_of(incidents_world, None)
    actual = (every.actions, every.reports) if every else (0, 0)
    assert actual == (int(actions), int(reports)), f"the log holds {actual[0]} actions of {actual[1]} reports"


@then(
    parsers.re(
        r"the log holds (?P<count>\d+) (?P<kind>[a-z_]+) actions?(?:, (?P<uncertain>\d+) of them uncertain)?"
    )
)
def log_holds_of_type(incidents_world: World, count: str, kind: str, uncertain: str | None) -> None:
    """The overview's actions of one type (the report file's ``type``), and how many of them
    are uncertain (none, unless said).

    Example::

        Then the log holds 4 killed actions, 1 of them uncertain
        Then the log holds 0 phase_ended actions
    """
    if kind not in ACTION_KINDS:
        raise AssertionError(f"no action type {kind!r}; expected one of: {', '.join(ACTION_KINDS)}")
    row = _overview_of(incidents_world, kind)
    actual = (row.actions, row.uncertain) if row else (0, 0)
    expected = (int(count), int(uncertain or 0))
    assert actual == expected, f"the log holds {actual[0]} {kind} actions, {actual[1]} of them uncertain"


# --- Strength -----------------------------------------------------------------------------------


def _latest_strength(world: World, side: str) -> Estimate | None:
    question = world.asked(Asked.STRENGTH)
    wanted = resolved(world, "side", side)
    answer: Strength = question.answer
    found = [
        estimate.count for _entry, estimate in answer.estimates if same_name(estimate.side.canonical, wanted)
    ]
    return found[-1] if found else None


@then(parsers.re(rf"the strength of (?P<side>.+?) is {COMPARISON}"))
def strength_is(incidents_world: World, side: str, comparison: str) -> None:
    """The latest estimate of a side's strength. "14000-18000" is a range with no best figure.

    Example::

        Then the strength of ISIS is 14000-18000
        Then the strength of ISIS is 14000 to 18000
        Then the strength of ISIS is between 10000 and 20000
    """
    actual = _latest_strength(incidents_world, side)
    expected = read_comparison(comparison)
    assert actual is not None, f"there is no strength estimate of {side}"
    assert expected.holds(actual), f"the strength of {side} is {actual}, expected {expected}"


@then(parsers.re(r"there is no strength estimate of (?P<side>.+)"))
def no_strength(incidents_world: World, side: str) -> None:
    """No estimate of the side's strength is counted by the clocks.

    Example::

        Then there is no strength estimate of ISIS
    """
    actual = _latest_strength(incidents_world, side)
    assert actual is None, f"the strength of {side} is {actual}"


# --- Replay -------------------------------------------------------------------------------------


def _summaries(world: World) -> list[str]:
    question = world.asked(Asked.REPLAY)
    answer: Replay = question.answer
    return [summarise(step.entry.action) for step in answer.steps]


def _replay_listing(summaries: list[str]) -> str:
    return "the replay:\n" + ("\n".join(f"  {line}" for line in summaries) or "  (nothing)")


@then(parsers.re(r'the replay shows "(?P<text>[^"]+)"'))
def replay_shows(incidents_world: World, text: str) -> None:
    """A replayed action's summary (as ``incidents replay`` prints it) contains the text.

    Example::

        Then the replay shows "Federal Police killed 1 by ISIS"
    """
    summaries = _summaries(incidents_world)
    assert any(text in line for line in summaries), f"nothing shows {text!r}; {_replay_listing(summaries)}"


@then(parsers.re(r'the replay does not show "(?P<text>[^"]+)"'))
def replay_does_not_show(incidents_world: World, text: str) -> None:
    """No replayed action's summary contains the text.

    Example::

        Then the replay does not show "ISIS killed"
    """
    summaries = _summaries(incidents_world)
    assert not any(text in line for line in summaries), f"{text!r} is shown; {_replay_listing(summaries)}"


@then(parsers.re(r'the replay shows "(?P<first>[^"]+)" before "(?P<second>[^"]+)"'))
def replay_order(incidents_world: World, first: str, second: str) -> None:
    """The first action matching one text comes before the first matching the other.

    Example::

        Then the replay shows "Federal Police killed" before "operation Will of Victory launched"
    """
    summaries = _summaries(incidents_world)
    positions = []
    for text in (first, second):
        matching = [index for index, line in enumerate(summaries) if text in line]
        assert matching, f"nothing shows {text!r}; {_replay_listing(summaries)}"
        positions.append(matching[0])
    assert positions[0] < positions[1], f"{first!r} is not before {second!r}; {_replay_listing(summaries)}"


# --- Any answer, as a table ---------------------------------------------------------------------


def _expected_rows(world: World, datatable: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    question = world.question
    if question is None:
        raise AssertionError("ask a question first (When I ask for the totals as of DATE)")
    if not datatable:
        raise ValueError("expected a table whose header names columns of the answer")
    header = [column.strip() for column in datatable[0]]
    unknown = [column for column in header if column not in question.result.columns]
    if unknown:
        raise AssertionError(
            f"the answer has no column {', '.join(unknown)}; "
            f"its columns are: {', '.join(question.result.columns)}"
        )
    rows = [dict(zip(header, (cell.strip() for cell in row), strict=True)) for row in datatable[1:]]
    return header, rows


def _actual_rows(world: World, header: list[str]) -> list[dict[str, str]]:
    assert world.question is not None
    cells = [row.cells() for row in world.question.result.rows]
    return [{column: cell_text(row.get(column), ", ") for column in header} for row in cells]


def _table(header: list[str], rows: list[dict[str, str]]) -> str:
    lines = [" | ".join(header)] + [" | ".join(row[column] for column in header) for row in rows]
    return "\n".join(f"  | {line} |" for line in lines)


@then("the answer includes these rows:")
def answer_includes(incidents_world: World, datatable: list[list[str]]) -> None:
    """Each row of the table is a row of the last answer (in the columns the table names; an
    empty cell means no value). Column names are the ``--format json`` keys.

    Example::

        Then the answer includes these rows:
    """
    header, expected = _expected_rows(incidents_world, datatable)
    actual = _actual_rows(incidents_world, header)
    missing = [row for row in expected if row not in actual]
    assert not missing, (
        f"missing rows:\n{_table(header, missing)}\nthe answer's rows:\n{_table(header, actual)}"
    )


@then("the answer is exactly these rows:")
def answer_is(incidents_world: World, datatable: list[list[str]]) -> None:
    """The last answer has these rows, in this order (in the columns the table names).

    Example::

        Then the answer is exactly these rows:
    """
    header, expected = _expected_rows(incidents_world, datatable)
    actual = _actual_rows(incidents_world, header)
    assert actual == expected, f"expected:\n{_table(header, expected)}\nthe answer:\n{_table(header, actual)}"


@then(parsers.re(r"the answer has (?P<count>\d+) rows?"))
def answer_count(incidents_world: World, count: str) -> None:
    """How many rows the last answer has.

    Example::

        Then the answer has 2 rows
    """
    question = incidents_world.question
    if question is None:
        raise AssertionError("ask a question first (When I ask for the totals as of DATE)")
    assert len(question.result.rows) == int(count), (
        f"the answer has {len(question.result.rows)} rows, expected {count}"
    )
