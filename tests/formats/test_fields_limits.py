"""The report-file reader says where a value past a limit is (``file:line: field: ...``), what the
limit is, and never raises anything else; the JSON Schema states the same limits."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incidents.domain.limits import ID, MAX_COUNT, MAX_PHASE, MAX_YEAR, MIN_YEAR, NAME, QUOTE
from incidents.formats.errors import InvalidInputError
from incidents.formats.reference import read_name_index
from incidents.formats.report_file import parse_report, parse_report_tree
from incidents.formats.schema import report_schema
from tests.conftest import ALIASES

NAMES = read_name_index(ALIASES)


def _report(**action: Any) -> dict[str, Any]:
    killed = {"type": "killed", "occurred": "2019-08-24", "quote": "q", "side": "ISIS", "count": 4}
    killed.update(action)
    return {
        "source": {"outlet": "Wire", "url": "https://wire.example/1", "published": "2019-08-28"},
        "actions": [killed],
    }


def _problems(document: dict[str, Any]) -> list[str]:
    text = json.dumps(document, indent=1)  # one value a line: the lines say where
    with pytest.raises(InvalidInputError) as error:
        parse_report(text, "r.json", NAMES)
    return [str(problem) for problem in error.value.problems]


def _line_of(document: dict[str, Any], key: str) -> int:
    lines = json.dumps(document, indent=1).splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.strip().startswith(f'"{key}"'))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("count", 9223372036854775808, f"a count is at most {MAX_COUNT:,}"),
        ("count", "9223372036854775808", f"a count is at most {MAX_COUNT:,}"),
        ("count", "1,000,000,000", f"a count is at most {MAX_COUNT:,}"),
        ("count", "5-1000000000", f"a count is at most {MAX_COUNT:,}"),
        ("count", "1" * 5000, f"a count is at most {MAX_COUNT:,}"),
        ("count", "0" * 5000 + "5x", "expected a whole number"),
        ("count", "\u00b2", "expected a count in the digits 0-9"),
        ("count", "\u0663", "in the digits 0-9"),
        ("phase", "7" * 5000, f"a phase number (1, 2, ...) is at most {MAX_PHASE}"),
        ("phase", MAX_PHASE + 1, f"is at most {MAX_PHASE}"),
        ("phase", "\u0663", "in the digits 0-9"),
        ("quote", "killed\u0000 here", "holds U+0000, a control character"),
        ("quote", "q" * (QUOTE.max_length + 1), "a quote is at most 10,000 characters"),
        ("id", "k\n1", "U+000A, a line break or a tab"),
        ("id", "k" * (ID.max_length + 1), "an id is at most 200 characters"),
        ("side", "ISIS\u001b[2J", "U+001B, a control character"),
        ("side", "n" * (NAME.max_length + 1), "a name is at most 200 characters"),
        ("occurred", "3019-08-24", f"the year 3019 is not between {MIN_YEAR} and {MAX_YEAR}"),
        ("occurred", "0999", f"the year 0999 is not between {MIN_YEAR} and {MAX_YEAR}"),
        ("occurred", {"from": "2019-01-01", "to": "3000-01-01"}, "the year 3000 is not between"),
    ],
)
def test_a_value_past_a_limit_is_a_problem_with_its_line_and_field(field: str, value: Any, says: str) -> None:
    document = _report(**{field: value})
    [problem] = _problems(document)
    line = _line_of(document, "to" if isinstance(value, dict) else field)
    assert problem.startswith(f"r.json:{line}: actions[0].{field}: "), problem
    assert says in problem, problem
    assert problem.isprintable(), problem  # escaped
    assert len(problem) < 400, problem  # shortened


def test_a_lone_surrogate_in_a_document_in_memory_is_a_problem_of_its_field() -> None:
    with pytest.raises(InvalidInputError) as error:
        parse_report_tree(_report(quote="killed \ud800"), "api", NAMES)
    [problem] = error.value.problems
    assert problem.field == "actions[0].quote"
    assert "U+D800, a lone surrogate" in problem.message


def test_the_largest_count_is_accepted() -> None:
    text = json.dumps(_report(count=f"{MAX_COUNT:,}"))
    [action] = parse_report(text, "r.json", NAMES).actions
    assert action.count.low == MAX_COUNT  # type: ignore[attr-defined]


def test_a_relative_date_that_resolves_past_the_years_is_refused_with_its_line() -> None:
    document = _report(occurred="a week ago")
    document["source"]["published"] = f"{MIN_YEAR}-01-03"
    [problem] = _problems(document)
    assert "actions[0].occurred: the relative date 'a week ago' does not resolve" in problem
    assert f"not between {MIN_YEAR} and {MAX_YEAR}" in problem


def test_the_source_and_the_key_are_bounded() -> None:
    document = _report()
    document["id"] = "r\x00"
    document["source"]["title"] = "T\x07"
    problems = _problems(document)
    assert any(": id: " in problem and "U+0000" in problem for problem in problems), problems
    assert any(": source.title: " in problem and "U+0007" in problem for problem in problems), problems


def test_a_correction_is_bounded_as_the_field_it_changes() -> None:
    document = _report()
    document["actions"] = [
        {"type": "correction", "target": "other/k", "changes": {"count": 10**12, "quote": "a\x00"}}
    ]
    problems = _problems(document)
    assert any("actions[0].changes: count: a count is at most" in problem for problem in problems), problems


def test_the_schema_states_the_limits() -> None:
    schema = report_schema()
    defs = schema["$defs"]
    assert {"type": "integer", "minimum": 0, "maximum": MAX_COUNT} in defs["count"]["anyOf"]
    assert defs["quote"]["maxLength"] == QUOTE.max_length
    assert defs["id"]["maxLength"] == ID.max_length
    assert "\\x00" in defs["quote"]["pattern"]
    phase = defs["phase"]["anyOf"][0]
    assert phase["maximum"] == MAX_PHASE
    assert f'"maximum": {MAX_YEAR}' in json.dumps(defs["occurred"])


def test_an_action_that_occurred_after_its_report_was_published_is_flagged_not_refused() -> None:
    document = _report(occurred="2019-09-02")
    text = json.dumps(document, indent=1)
    report = parse_report(text, "r.json", NAMES)
    [note] = report.notes
    line = _line_of(document, "occurred")
    assert note == (
        f"r.json:{line}: occurred 2019-09-02 starts after the report was published (2019-08-28): "
        "a wrong date in the source or its encoding? (kept as written)"
    )
    assert len(report.actions) == 1


@pytest.mark.parametrize("occurred", ["2019-08-28", "2019-08-27/2019-09-01", "2019-08", "yesterday"])
def test_an_action_that_may_have_occurred_by_the_publication_is_not_flagged(occurred: str) -> None:
    assert parse_report(json.dumps(_report(occurred=occurred)), "r.json", NAMES).notes == ()
