"""Report files: an ``occurred`` told from another action of the same report
(``{after: ID, day: N}``, ``{after: ID, weekday: Monday}``), resolved when the file is read."""

from __future__ import annotations

import pytest

from incidents.domain.values import DateSpan, Precision
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import parse_report
from incidents.gazetteer import NameIndex

HEADER = """\
format: incidents/report v1
id: wire-phase-4
source: {outlet: Wire, url: "https://wire.example/p4", published: 2019-08-28}
actions:
"""
LAUNCH = (
    "  - {type: phase_launched, id: phase-4-launched, occurred: on Saturday, "
    "operation: Will of Victory, phase: 4, quote: Phase four was launched on Saturday.}\n"
)


def occurred(*lines: str) -> dict[str, DateSpan]:
    content = parse_report(HEADER + "".join(lines), "r.yaml", NameIndex())
    return {action.id: action.occurred for action in content.actions if hasattr(action, "occurred")}


def problems(*lines: str) -> list[InputProblem]:
    with pytest.raises(InvalidInputError) as error:
        parse_report(HEADER + "".join(lines), "r.yaml", NameIndex())
    return list(error.value.problems)


def killed(action_id: str, when: str) -> str:
    return f"  - {{type: killed, id: {action_id}, occurred: {when}, side: ISIS, count: 2, quote: q}}\n"


def test_the_second_day_of_operations_and_the_monday_after_the_launch() -> None:
    dates = occurred(
        LAUNCH,
        killed("second-day", "{after: phase-4-launched, day: 2}"),
        killed("monday", "{after: phase-4-launched, weekday: Monday}"),
    )
    assert dates["phase-4-launched"] == DateSpan.parse("2019-08-24")
    assert dates["second-day"] == DateSpan.parse("2019-08-25")
    assert dates["monday"] == DateSpan.parse("2019-08-26")


def test_an_action_can_be_dated_from_a_later_entry_and_through_a_chain() -> None:
    dates = occurred(
        killed("friday", "{after: second-day, weekday: Friday}"),
        killed("second-day", "{after: phase-4-launched, day: 2}"),
        LAUNCH,
    )
    assert dates["friday"] == DateSpan.parse("2019-08-30")


def test_a_date_after_an_uncertain_launch_is_a_span() -> None:
    launch = (
        "  - {type: phase_launched, id: launch, occurred: 2019-08-24/2019-08-27, "
        "operation: Will of Victory, phase: 4, quote: q}\n"
    )
    dates = occurred(launch, killed("second-day", "{after: launch, day: 2}"))
    assert dates["second-day"] == DateSpan.parse("2019-08-25/2019-08-28")
    assert dates["second-day"].precision is Precision.RANGE


def test_a_breakdown_part_and_a_correction_are_dated_the_same_way() -> None:
    split = (
        "  - {type: killed, id: k, occurred: {after: phase-4-launched, day: 2}, side: ISIS, count: 2, "
        "quote: q, breakdown: [{count: 1}, {count: 1, occurred: {after: phase-4-launched, day: 3}}]}\n"
    )
    dates = occurred(LAUNCH, split)
    assert dates["k.1"] == DateSpan.parse("2019-08-25")
    assert dates["k.2"] == DateSpan.parse("2019-08-26")


def test_an_unknown_action_is_a_problem_of_its_line_naming_the_ids_there_are() -> None:
    [problem] = problems(LAUNCH, killed("k", "{after: phase-5-launched, day: 2}"))
    assert (problem.line, problem.field) == (6, "actions[1].occurred")
    assert "no action 'phase-5-launched' in this report" in problem.message
    assert "'phase-4-launched'" in problem.message


def test_dates_told_from_one_another_in_a_circle_are_refused_on_each_line() -> None:
    found = problems(
        killed("a", "{after: b, day: 2}"),
        killed("b", "{after: c, weekday: Monday}"),
        killed("c", "{after: a, day: 1}"),
    )
    assert [(p.line, p.field) for p in found] == [
        (5, "actions[0].occurred"),
        (6, "actions[1].occurred"),
        (7, "actions[2].occurred"),
    ]
    assert "in a circle (a -> b -> c -> a)" in found[0].message
    assert "in a circle (b -> c -> a -> b)" in found[1].message


def test_an_action_dated_from_itself_is_a_circle() -> None:
    [problem] = problems(killed("a", "{after: a, day: 2}"))
    assert "in a circle (a -> a)" in problem.message


def test_an_anchor_whose_date_is_wrong_is_told_at_both_lines() -> None:
    found = problems(killed("a", "someday"), killed("b", "{after: a, day: 2}"))
    assert [(p.line, p.field) for p in found] == [(5, "actions[0].occurred"), (6, "actions[1].occurred")]
    assert "cannot date from 'a': its occurred (line 5) is not valid" in found[1].message


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{after: a}", "expected a mapping with after and one of day, weekday"),
        ("{after: a, day: 2, weekday: Monday}", "expected a mapping with after and one of day, weekday"),
        ("{after: a, days: 2}", "expected a mapping with after and one of day, weekday"),
        ("{after: a, day: 0}", "expected a day number"),
        ("{after: a, day: second}", "expected a day number"),
        ("{after: a, weekday: monday}", "expected a weekday (Monday, Tuesday"),
        ("{after: a, weekday: Mon}", "expected a weekday"),
        ("{after: '', day: 2}", "expected text"),
    ],
)
def test_what_a_date_after_an_action_must_be(written: str, expected: str) -> None:
    [problem] = problems(killed("a", "2019-08-24"), killed("b", written))
    assert problem.field == "actions[1].occurred"
    assert expected in problem.message


def test_a_published_date_cannot_be_told_from_an_action() -> None:
    header = HEADER.replace("published: 2019-08-28", "published: {after: a, day: 2}")
    with pytest.raises(InvalidInputError, match=r"source\.published"):
        parse_report(header + killed("a", "2019-08-24"), "r.yaml", NameIndex())
