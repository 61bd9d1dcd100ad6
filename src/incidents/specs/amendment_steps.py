"""Corrections, duplicates and provenance

Nothing recorded is ever changed: a correction, a retraction, a link of duplicates or a
preference is recorded as an amendment (as ``incidents correct``, ``retract``, ``link`` and
``prefer`` record it), made by the spec's analyst on the day the spec runs. An action is named
``"REPORT/ACTION"``: the report id, a slash, the action id (``incidents explain`` prints them).
A report file or a table of actions can state amendments too (``type: correction``, see
docs/data-format.md), with the source and date you give it.

The questions here are ``incidents explain`` (where a total comes from), ``incidents conflicts``
and ``incidents history`` of one action; they take the same clauses as every question.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import yaml
from pytest_bdd import parsers, then, when

from incidents.domain.actions import Metric
from incidents.formats.errors import InvalidInputError
from incidents.output.rows import Result, conflicts_result, explain_result, history_result
from incidents.service import Attribution, Viewpoint
from incidents.specs.phrases import CLAUSES, METRIC, read_clocks, unquote
from incidents.specs.world import Asked, Question, World

ANALYST = "spec author"
REF = r'"(?P<ref>[^"]+/[^"]+)"'


def _amend(world: World, kind: str, fields: dict[str, Any]) -> None:
    attribution = Attribution(analyst=ANALYST, made_on=datetime.now(UTC).date())
    try:
        world.service.amend(kind, fields, attribution=attribution, names=world.names)
    except InvalidInputError as error:
        raise AssertionError(
            f"the {kind} is not valid:\n" + "\n".join(f"  {p}" for p in error.problems)
        ) from None


# --- Amending ------------------------------------------------------------------------------------


@when(parsers.re(r"the (?P<field>\w+) of " + REF + r" is corrected to (?P<value>.+)"))
def correct(incidents_world: World, field: str, ref: str, value: str) -> None:
    """Correct one field of a recorded action; the value is written as in a report file.

    Example::

        When the count of "rudaw/pmf-statement-killed" is corrected to 2
    """
    fields = {
        "target": ref,
        "changes": {field: yaml.safe_load(unquote(value))},
        "reason": "stated in the spec",
    }
    _amend(incidents_world, "correction", fields)


@when(parsers.re(REF + r" is retracted"))
def retract(incidents_world: World, ref: str) -> None:
    """Retract a recorded action (or a correction, link or preference): it no longer counts.

    Example::

        When "rudaw/pmf-statement-killed" is retracted
    """
    _amend(incidents_world, "retraction", {"target": ref, "reason": "stated in the spec"})


@when(parsers.re(r'(?P<refs>"[^"]+"(?:, "[^"]+")* and "[^"]+") are linked as one incident'))
def link(incidents_world: World, refs: str) -> None:
    """Link actions of different reports as one incident: it counts once.

    Example::

        When "rudaw/pmf-killed" and "wire/pmf-killed" are linked as one incident
    """
    same = [part.strip().strip('"') for part in refs.replace(" and ", ", ").split(", ")]
    _amend(incidents_world, "duplicate", {"same": same, "reason": "stated in the spec"})


@when(parsers.re(r"the figures of " + REF + r" are preferred"))
def prefer(incidents_world: World, ref: str) -> None:
    """Use this action's figures for its incident, where linked reports disagree.

    Example::

        When the figures of "wire/pmf-killed" are preferred
    """
    _amend(incidents_world, "preference", {"target": ref, "reason": "stated in the spec"})


# --- Questions -----------------------------------------------------------------------------------


def _ask(world: World, asked: Asked, clauses: str, answer: Any, result: Result, viewpoint: Viewpoint) -> None:
    world.question = Question(asked, read_clocks(clauses), viewpoint, answer, result)


@when(parsers.re(r"I ask where (?P<side>.+?) " + METRIC + r" comes from" + CLAUSES))
def ask_explain(incidents_world: World, side: str, metric: str, clauses: str) -> None:
    """Every action behind a total, counted or not, and why (``incidents explain``).

    Example::

        When I ask where ISIS killed comes from as of 2019-08-28
    """
    viewpoint = incidents_world.viewpoint(read_clocks(clauses))
    answer = incidents_world.service.explain(
        Metric(metric), unquote(side), viewpoint=viewpoint, names=incidents_world.names
    )
    result = explain_result(answer, viewpoint)
    _ask(incidents_world, Asked.EXPLAIN, clauses, answer, result, viewpoint)


@when(parsers.re(r"I ask for the conflicts" + CLAUSES))
def ask_conflicts(incidents_world: World, clauses: str) -> None:
    """Where sources disagree, and likely duplicates (``incidents conflicts``).

    Example::

        When I ask for the conflicts
        When I ask for the conflicts known at 2019-08-27
    """
    viewpoint = incidents_world.viewpoint(read_clocks(clauses))
    answer = incidents_world.service.conflicts(viewpoint=viewpoint)
    result = conflicts_result(answer, viewpoint)
    _ask(incidents_world, Asked.CONFLICTS, clauses, answer, result, viewpoint)


@when(parsers.re(r"I ask for the history of the action " + REF + CLAUSES))
def ask_story(incidents_world: World, ref: str, clauses: str) -> None:
    """An action as first stated and every amendment of it, with sources (``incidents history``).

    Example::

        When I ask for the history of the action "rudaw/pmf-statement-killed"
    """
    viewpoint = incidents_world.viewpoint(read_clocks(clauses))
    answer = incidents_world.service.history(ref, viewpoint=viewpoint)
    result = history_result(answer, viewpoint, ref)
    _ask(incidents_world, Asked.STORY, clauses, answer, result, viewpoint)


# --- Expectations --------------------------------------------------------------------------------


def _rows(world: World, asked: Asked) -> list[dict[str, Any]]:
    return [row.cells() for row in world.asked(asked).result.rows]


def _listing(found: list[dict[str, Any]], *columns: str) -> str:
    return (
        "\n".join("  " + " | ".join(str(row.get(column)) for column in columns) for row in found)
        or "  (none)"
    )


@then(
    parsers.re(REF + r" (?P<standing>is counted|is listed as uncertain|is excluded)(?: because (?P<why>.+))?")
)
def standing_of(incidents_world: World, ref: str, standing: str, why: str | None) -> None:
    """How the explanation treats one action; ``because`` checks words of the reason.

    Example::

        Then "wire/pmf-killed" is counted
        Then "wire/pmf-killed" is excluded because retracted
    """
    rows = _rows(incidents_world, Asked.EXPLAIN)
    found = [row for row in rows if f"{row['report']}/{row['id']}" == ref]
    listing = _listing(rows, "report", "id", "standing", "reason")
    assert found, f"{ref} is not among the actions of this total:\n{listing}"
    expected = {"is counted": "counted", "is listed as uncertain": "uncertain", "is excluded": "excluded"}[
        standing
    ]
    row = found[0]
    assert row["standing"] == expected, f"{ref} is {row['standing']} ({row['reason']}):\n{listing}"
    if why is not None:
        assert unquote(why) in str(row["reason"]), f"{ref} is {expected} because {row['reason']}"


@then(parsers.re(r'"(?P<first>[^"]+)" and "(?P<second>[^"]+)" are pointed out as likely duplicates'))
def likely_duplicates(incidents_world: World, first: str, second: str) -> None:
    """The conflicts list two unlinked actions as one incident reported twice.

    Example::

        Then "rudaw/coalition-killed" and "wire/coalition-killed" are pointed out as likely duplicates
    """
    rows = _rows(incidents_world, Asked.CONFLICTS)
    pointed = [
        row for row in rows if row["kind"] == "likely duplicate" and set(row["refs"]) == {first, second}
    ]
    assert pointed, f"they are not pointed out; the conflicts are:\n{_listing(rows, 'kind', 'field', 'refs')}"


@then(
    parsers.re(
        r"sources disagree on the (?P<field>\w+) of "
        + REF
        + r" and (?:totals use|the log uses) \"(?P<used>[^\"]+)\""
    )
)
def disagreement(incidents_world: World, field: str, ref: str, used: str) -> None:
    """A conflict on one field of an action: which member's value counts.

    Example::

        Then sources disagree on the count of "wire/pmf-killed" and totals use "wire/pmf-killed"
        Then sources disagree on the phase of "wire/phase-3" and the log uses "rudaw/phase-4-launched"
    """
    rows = _rows(incidents_world, Asked.CONFLICTS)
    found = [row for row in rows if row["field"] == field and ref in row["refs"]]
    listing = _listing(rows, "kind", "field", "refs", "used")
    assert found, f"no conflict on the {field} of {ref}; the conflicts are:\n{listing}"
    assert found[0]["used"] == used, f"{found[0]['used']} is used ({found[0]['rule']}):\n{listing}"


@then("no conflict is listed")
def no_conflicts(incidents_world: World) -> None:
    """The conflicts question found nothing.

    Example::

        Then no conflict is listed
    """
    rows = _rows(incidents_world, Asked.CONFLICTS)
    assert not rows, f"conflicts are listed:\n{_listing(rows, 'kind', 'field', 'refs')}"


@then(parsers.re(r"the history lists (?P<events>.+)"))
def history_lists(incidents_world: World, events: str) -> None:
    """The events of an action's history, in recorded order, each with its source.

    Example::

        Then the history lists stated by Rudaw English, correction by analyst: spec author
    """
    rows = _rows(incidents_world, Asked.STORY)
    actual = ", ".join(f"{row['event']} by {row['source']}" for row in rows)
    assert actual == events.strip(), f"the history lists {actual}"
