"""Report files (YAML or JSON): valid files become ReportContent; bad ones give precise problems.

Every problem names its file, line and field; every problem of a file is collected.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from incidents.domain.actions import (
    AreaCleared,
    Killed,
    Metric,
    OperationLaunched,
    PhaseLaunched,
    StrengthEstimated,
    ThreatReported,
    TotalClaimed,
)
from incidents.domain.values import DateSpan, Estimate, Name, Precision, SplitOf
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import parse_document
from incidents.formats.reference import read_name_index
from incidents.formats.report_file import FORMAT, parse_report, parse_report_tree, read_report_file
from incidents.gazetteer import NameIndex
from tests.conftest import ALIASES, ALSHAHID, RUDAW


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return read_name_index(ALIASES)


HEADER = """\
format: incidents/report v1
id: test-report
source:
  outlet: Test Outlet
  url: https://example.org/report
  published: 2019-08-28
actions:
"""


def report(actions: str, header: str = HEADER) -> str:
    return header + textwrap.indent(textwrap.dedent(actions), "  ")


def problems_of(text: str, names: NameIndex, file: str = "r.yaml") -> list[InputProblem]:
    with pytest.raises(InvalidInputError) as error:
        parse_report(text, file, names)
    assert str(error.value) == "\n".join(str(problem) for problem in error.value.problems)
    return list(error.value.problems)


def where(problems: list[InputProblem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.line, p.field) for p in problems]


# --- The seeds --------------------------------------------------------------------------------


def test_the_rudaw_seed(names: NameIndex) -> None:
    content = read_report_file(RUDAW, names)
    assert content.key == "rudaw-2019-08-28-will-of-victory-phase-4"
    assert content.source.title is None  # never made up
    assert content.source.published == DateSpan.day(DateSpan.parse("2019-08-28").start)
    kinds = [action.kind for action in content.actions]
    assert kinds == [
        "operation_launched",
        "phase_launched",
        "killed",
        "killed",
        "killed",
        "arrested",
        "total_claimed",
        "total_claimed",
        "strength_estimated",
    ]
    launched = content.actions[0]
    assert isinstance(launched, OperationLaunched)
    assert str(launched.occurred) == "2019-07-07"
    assert [f.canonical for f in launched.forces] == [
        "Iraqi Army",
        "PMF",
        "Federal Police",
        "US-led coalition",
    ]
    by_id = {action.id: action for action in content.actions}
    coalition, pmf = by_id["phase-4-first-day-killed.1"], by_id["phase-4-first-day-killed.2"]
    assert isinstance(coalition, Killed)
    assert isinstance(pmf, Killed)
    assert coalition.count == Estimate.exactly(2)
    assert coalition.actor == Name("US-led coalition", "US-led coalition")
    assert coalition.means == "airstrike"
    assert pmf.actor == Name("PMF", "PMF")
    assert coalition.split_of == pmf.split_of == SplitOf("phase-4-first-day-killed", Estimate.exactly(4))
    assert str(coalition.occurred) == "2019-08-24"
    assert coalition.phase == 4
    assert coalition.operation == Name("Will of Victory", "Will of Victory")
    claim = by_id["operation-total-killed"]
    assert isinstance(claim, TotalClaimed)
    assert claim.metric is Metric.KILLED
    assert str(claim.occurred) == "2019-08-27"
    strength = by_id["remaining-militants"]
    assert isinstance(strength, StrengthEstimated)
    assert strength.count == Estimate(14000, None, 18000)
    assert str(strength.occurred) == "2019-08-01/2019-08-28"
    assert content.notes == ()


def test_the_alshahid_seed(names: NameIndex) -> None:
    content = read_report_file(ALSHAHID, names)
    assert str(content.source.published) == "2019-07-28/2019-07-31"
    by_id = {action.id: action for action in content.actions}
    assert len(by_id) == len(content.actions) == 16
    assert str(by_id["operation-launched"].occurred) == "2019-06-30/2019-07-09"
    assert str(by_id["phase-2-launched"].occurred) == "2019-07-21/2019-07-24"
    police = by_id["federal-police-killed"]
    assert isinstance(police, Killed)
    assert str(police.occurred) == "2019-06-21/2019-06-30"
    assert police.occurred.precision is Precision.MONTH_PART
    assert police.side.canonical == "Federal Police"
    assert police.place is not None
    assert police.place.qualifier == "south of"
    assert police.place.unit is not None
    assert police.place.unit.pcode == "IQG16"
    phase = by_id["phase-2-launched"]
    assert isinstance(phase, PhaseLaunched)
    assert [region.key for region in phase.regions] == ["north of baghdad", "IQG10", "IQG16", "IQG01"]
    karma = by_id["threat-karma"]
    assert isinstance(karma, ThreatReported)
    assert karma.area.key == "IQG01Q01N02"
    # YAML merge keys: the merged entries take the anchor's fields, overriding id and area.
    awad = by_id["cleared-al-awad"]
    assert isinstance(awad, AreaCleared)
    assert awad.area.written == "Al-Awad"
    assert awad.operation == Name("Will of Victory", "Will to Victory")
    assert by_id["securing-desert-towards-samarra"].kind == "clearing_started"
    # Unresolvable places are kept and flagged, with their line.
    assert any(
        note.endswith(":76: place 'Khairat' is not in the gazetteer (kept as written)")
        for note in content.notes
    )


def test_the_key_defaults_to_the_url(names: NameIndex) -> None:
    text = report(
        "- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n",
        HEADER.replace("id: test-report\n", ""),
    )
    assert parse_report(text, "r.yaml", names).key == "https://example.org/report"


def test_action_ids_default_to_their_position(names: NameIndex) -> None:
    text = report(
        """\
        - {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {type: killed, occurred: 2019-08-24, side: ISIS, count: 2, quote: q}
        """
    )
    assert [action.id for action in parse_report(text, "r.yaml", names).actions] == ["1", "2"]


def test_counts_spans_and_places_in_their_long_forms(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: {from: 2019-06-21, to: 2019-06-30, precision: month-part}
          side: ISIS
          count: {low: 15, best: 20, high: 25}
          place: {name: Karma, qualifier: near}
          quote: around twenty
        - type: wounded
          occurred: {from: 2019-08, to: 2019-09}
          side: ISIS
          count: {low: 1, high: 3}
          quote: a few
        """
    )
    first, second = parse_report(text, "r.yaml", names).actions
    assert isinstance(first, Killed)
    assert first.occurred == DateSpan(
        DateSpan.parse("2019-06-21").start, DateSpan.parse("2019-06-30").end, Precision.MONTH_PART
    )
    assert first.count == Estimate(15, 20, 25)
    assert first.place is not None
    assert first.place.qualifier == "near"
    assert first.place.key == "near karma"
    assert str(second.occurred) == "2019-08-01/2019-09-30"
    assert second.occurred.precision is Precision.RANGE


def test_a_split_total_with_ranges_adds_up_on_low_and_high(names: NameIndex) -> None:
    text = report(
        """\
        - id: split
          type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 10-20
          quote: q
          breakdown:
            - {count: 5-10, actor: PMF}
            - {count: 5-10, actor: Iraqi Army, id: army}
        """
    )
    parts = parse_report(text, "r.yaml", names).actions
    assert [part.id for part in parts] == ["split.1", "army"]
    assert all(
        isinstance(p, Killed) and p.split_of == SplitOf("split", Estimate(10, None, 20)) for p in parts
    )


def test_a_json_report_file_works_like_yaml(tmp_path: Path, names: NameIndex) -> None:
    document = {
        "format": FORMAT,
        "id": "json-report",
        "source": {"outlet": "Test Outlet", "url": "https://example.org/j", "published": "2019-08-28"},
        "actions": [
            {"type": "killed", "occurred": "on Saturday", "side": "Daesh", "count": 3, "quote": "q"},
            {"type": "arrested", "occurred": "yesterday", "side": "ISIS", "count": "7", "quote": "q"},
        ],
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, indent=2))
    content = read_report_file(path, names)
    killed, arrested = content.actions
    assert str(killed.occurred) == "2019-08-24"
    assert isinstance(killed, Killed)
    assert killed.side == Name("ISIS", "Daesh")
    assert killed.count == Estimate.exactly(3)
    assert str(arrested.occurred) == "2019-08-27"


def test_a_json_report_file_gets_line_numbers(tmp_path: Path, names: NameIndex) -> None:
    document = {
        "source": {"outlet": "Test Outlet", "url": "https://example.org/j", "published": "2019-08-28"},
        "actions": [{"type": "killed", "occurred": "2019-08-24", "side": "ISIS", "count": -3, "quote": "q"}],
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, indent=2))
    lines = path.read_text().splitlines()
    count_line = next(number for number, line in enumerate(lines, start=1) if '"count"' in line)
    with pytest.raises(InvalidInputError) as error:
        read_report_file(path, names)
    assert where(list(error.value.problems)) == [(str(path), count_line, "actions[0].count")]


def test_the_digest_ignores_the_file_and_notes_but_not_the_content(names: NameIndex) -> None:
    text = report("- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n")
    a = parse_report(text, "a.yaml", names)
    b = parse_report(text + "notes: something\n", "b/other.yaml", names)
    c = parse_report(text.replace("count: 1", "count: 2"), "a.yaml", names)
    assert a.digest == b.digest
    assert a.digest != c.digest
    assert a.digest.startswith("v2:")
    assert len(a.digest) == len("v2:") + 64


def test_the_digest_depends_on_name_resolution(names: NameIndex) -> None:
    # Resolved names are part of what is recorded, so different reference data is a different report.
    text = report("- {type: killed, occurred: 2019-08-24, side: Daesh, count: 1, quote: q}\n")
    assert parse_report(text, "a.yaml", names).digest != parse_report(text, "a.yaml", NameIndex()).digest


# --- Problems: one class of malformed input at a time ------------------------------------------


def test_missing_source(names: NameIndex) -> None:
    text = (
        "format: incidents/report v1\nid: x\nactions:\n"
        "  - {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n"
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 1, "source")]
    assert "every report needs a source" in problems[0].message


def test_missing_source_url(names: NameIndex) -> None:
    text = report(
        "- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n",
        HEADER.replace("  url: https://example.org/report\n", ""),
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 4, "source.url")]
    assert problems[0].message == "required"
    assert str(problems[0]) == "r.yaml:4: source.url: required"


def test_unknown_source_field_and_bad_publication_date(names: NameIndex) -> None:
    header = HEADER.replace("published: 2019-08-28", "published: last summer\n  author: someone")
    problems = problems_of(
        report("- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n", header), names
    )
    assert sorted(where(problems), key=str) == [
        ("r.yaml", 6, "source.published"),
        ("r.yaml", 7, "source.author"),
    ]


def test_negative_count(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: -2
          quote: q
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 11, "actions[0].count")]
    assert "cannot be negative" in problems[0].message


def test_best_outside_low_and_high(names: NameIndex) -> None:
    text = report(
        "- {type: killed, occurred: 2019-08-24, side: ISIS, count: {low: 1, best: 9, high: 3}, quote: q}\n"
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, "actions[0].count")]
    assert "not between" in problems[0].message


def test_unknown_event_type(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 1
          quote: q
        - type: beheaded
          occurred: 2019-08-24
          quote: q
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 13, "actions[1].type")]
    assert "unknown event type 'beheaded'" in problems[0].message
    assert "killed, wounded, arrested" in problems[0].message


def test_a_misspelt_type_or_field_gets_a_suggestion(names: NameIndex) -> None:
    text = report(
        """\
        - {type: kiled, occurred: 2019-08-24, quote: q}
        - {type: killed, sidee: ISIS, occurred: 2019-08-24, count: 1, quote: q}
        """
    )
    problems = {p.field: p.message for p in problems_of(text, names)}
    assert "did you mean 'killed'?" in problems["actions[0].type"]
    assert "did you mean 'side'?" in problems["actions[1].sidee"]


def test_relative_dates_resolve_when_another_source_field_is_missing(names: NameIndex) -> None:
    header = HEADER.replace("  url: https://example.org/report\n", "")
    text = report("- {type: killed, occurred: yesterday, side: ISIS, count: 1, quote: q}\n", header)
    assert where(problems_of(text, names)) == [("r.yaml", 4, "source.url")]


def test_missing_event_type(names: NameIndex) -> None:
    problems = problems_of(report("- {occurred: 2019-08-24, quote: q}\n"), names)
    assert where(problems) == [("r.yaml", 8, "actions[0].type")]
    assert "unknown event type nothing" in problems[0].message


def test_unparseable_date(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: sometime last spring
          side: ISIS
          count: 1
          quote: q
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 9, "actions[0].occurred")]
    assert "got 'sometime last spring'" in problems[0].message
    assert "2019-08-24/2019-08-27" in problems[0].message


def test_bad_span_mapping_and_precision(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: {from: 2019-08-24}
          side: ISIS
          count: 1
          quote: q
        - type: killed
          occurred:
            from: 2019-08-24
            to: 2019-08-25
            precision: fortnight
          side: ISIS
          count: 1
          quote: q
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 9, "actions[0].occurred"), ("r.yaml", 17, "actions[1].occurred")]
    assert "from, to" in problems[0].message
    assert "got 'fortnight'" in problems[1].message


def test_split_total_not_adding_up(names: NameIndex) -> None:
    text = report(
        """\
        - id: four
          type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 4
          quote: q
          breakdown:
            - {count: 2, actor: US-led coalition}
            - {count: 1, actor: PMF}
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 15, "actions[0].breakdown")]
    assert problems[0].message == "the parts add up to 3 but the stated total is 4"


def test_split_total_best_must_match(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: {low: 2, best: 3, high: 4}
          quote: q
          breakdown:
            - {count: 1-2}
            - {count: {low: 1, best: 1, high: 2}}
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 14, "actions[0].breakdown")]


def test_breakdown_problems(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 4
          quote: q
          breakdown:
            - {actor: PMF}
            - {count: 4, colour: red}
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 4
          quote: q
          breakdown: []
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [
        ("r.yaml", 14, "actions[0].breakdown[0].count"),
        ("r.yaml", 15, "actions[0].breakdown[1].colour"),
        ("r.yaml", 21, "actions[1].breakdown"),
    ]


def test_breakdown_only_on_counted_actions(names: NameIndex) -> None:
    text = report("- {type: area_cleared, occurred: 2019-08-24, area: Karma, quote: q, breakdown: []}\n")
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, "actions[0].breakdown")]
    assert "unknown field" in problems[0].message


@pytest.mark.parametrize("kind", ["area_cleared", "threat_reported", "phase_ended"])
def test_breakdown_with_parts_on_an_action_without_count_is_a_problem(names: NameIndex, kind: str) -> None:
    text = report(
        f"- {{type: {kind}, occurred: 2019-08-24, area: Karma, phase: 2, quote: q,"
        " breakdown: [{count: 1}]}\n"
    )
    problems = problems_of(text, names)
    assert ("r.yaml", 8, "actions[0].breakdown") in where(problems)


def test_unknown_field(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 1
          quote: q
          weapon: rifle
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 13, "actions[0].weapon")]
    assert "unknown field" in problems[0].message
    assert "means" in problems[0].message  # it says what is allowed


def test_split_of_is_not_written_in_files(names: NameIndex) -> None:
    text = report("- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q, split_of: x}\n")
    assert where(problems_of(text, names)) == [("r.yaml", 8, "actions[0].split_of")]


def test_unknown_top_level_field(names: NameIndex) -> None:
    text = report("- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n") + "author: me\n"
    assert where(problems_of(text, names)) == [("r.yaml", 9, "author")]


def test_missing_required_fields(names: NameIndex) -> None:
    text = report("- {type: killed, occurred: 2019-08-24}\n")
    problems = problems_of(text, names)
    assert sorted(where(problems)) == [
        ("r.yaml", 8, "actions[0].count"),
        ("r.yaml", 8, "actions[0].quote"),
        ("r.yaml", 8, "actions[0].side"),
    ]
    assert all(p.message == "required for killed" for p in problems)


def test_blank_quote_and_bad_phase_and_metric(names: NameIndex) -> None:
    text = report(
        """\
        - type: total_claimed
          occurred: 2019-08-27
          side: ISIS
          metric: beheaded
          count: 7
          phase: 0
          quote: "  "
        """
    )
    assert sorted(where(problems_of(text, names))) == [
        ("r.yaml", 11, "actions[0].metric"),
        ("r.yaml", 13, "actions[0].phase"),
        ("r.yaml", 14, "actions[0].quote"),
    ]


def test_duplicate_key(names: NameIndex) -> None:
    text = report(
        """\
        - type: killed
          occurred: 2019-08-24
          side: ISIS
          count: 1
          count: 2
          quote: q
        """
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 12, "count")]
    assert "appears twice" in problems[0].message


def test_duplicate_action_id(names: NameIndex) -> None:
    text = report(
        """\
        - {id: same, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {id: other, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {id: same, type: wounded, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        """
    )
    problems = problems_of(text, names)
    assert [(p.file, p.line) for p in problems] == [("r.yaml", 10)]
    assert problems[0].message == "action id 'same' is used twice (first on line 8)"


def test_duplicate_action_id_names_the_action(names: NameIndex) -> None:
    text = report(
        """\
        - {id: same, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {id: same, type: wounded, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        """
    )
    assert where(problems_of(text, names)) == [("r.yaml", 9, "actions[1].id")]


def test_a_split_part_id_can_clash_with_an_action_id(names: NameIndex) -> None:
    text = report(
        """\
        - {id: k, type: killed, occurred: 2019-08-24, side: ISIS, count: 2, quote: q,
           breakdown: [{count: 1}, {count: 1}]}
        - {id: k.2, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        """
    )
    assert [(p.line, p.message) for p in problems_of(text, names)] == [
        (10, "action id 'k.2' is used twice (first on line 8)")
    ]


def test_yaml_syntax_error(names: NameIndex) -> None:
    text = report("- type: killed\n  occurred: [2019-08-24\n  side: ISIS\n")
    problems = problems_of(text, names)
    assert len(problems) == 1
    assert problems[0].file == "r.yaml"
    assert problems[0].line is not None
    assert 9 <= problems[0].line <= 10
    assert problems[0].message.startswith("not valid YAML/JSON")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(names: NameIndex, text: str) -> None:
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 1, None)]
    assert problems[0].message == "the file is empty"


@pytest.mark.parametrize(("text", "line"), [("- a\n- b\n", 1), ("just text\n", 1)])
def test_not_a_mapping(names: NameIndex, text: str, line: int) -> None:
    assert where(problems_of(text, names)) == [("r.yaml", line, None)]


@pytest.mark.parametrize("value", ["incidents/report v3", "report", "[incidents/report v1]"])
def test_wrong_format_string(names: NameIndex, value: str) -> None:
    text = report(
        "- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}\n",
        HEADER.replace("format: incidents/report v1", f"format: {value}"),
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 1, "format")]
    assert "expected a format (incidents/report v1, incidents/report v2)" in problems[0].message


V2_ACTIONS = (
    "- {type: killed, occurred: 2019-08-24, side: ISIS, count: {about: 20}, quote: q}\n"
    "- {type: arrested, occurred: 2019-08-24, side: ISIS, count: {unknown: some}, quote: q}\n"
    "- {type: killed, occurred: 2019-08-24, side: ISIS, count: 2, actors: [PMF, Iraqi Army], quote: q}\n"
    "- {type: displaced, occurred: 2019-08-24, side: civilians, count: 40, unit: families, quote: q}\n"
    "- {type: declaration, occurred: 2017-12, declared: victory over ISIS, quote: q}\n"
)


@pytest.mark.parametrize("declared", ["format: incidents/report v2", None])
def test_version_2_fields_load_in_a_v2_file_or_one_that_declares_no_version(
    names: NameIndex, declared: str | None
) -> None:
    header = (
        HEADER.replace("format: incidents/report v1", declared)
        if declared
        else HEADER.replace("format: incidents/report v1\n", "")
    )
    content = parse_report(report(V2_ACTIONS, header), "r.yaml", names)
    counts = [getattr(action, "count", None) for action in content.actions]
    assert counts[0] == Estimate.about(20)
    assert counts[1] == Estimate.by_convention("some")


def test_a_v1_file_may_use_nothing_version_2_added(names: NameIndex) -> None:
    problems = problems_of(report(V2_ACTIONS), names)
    assert [problem.field for problem in problems] == [
        "actions[0].count",
        "actions[1].count",
        "actions[2].actors",
        "actions[3].type",
        "actions[3].unit",
        "actions[4].type",
        "actions[4].declared",
    ]
    assert all("declare format: incidents/report v2" in problem.message for problem in problems[:3])


def test_missing_or_malformed_actions(names: NameIndex) -> None:
    assert where(problems_of(HEADER.replace("actions:\n", ""), names)) == [("r.yaml", 1, "actions")]
    assert where(problems_of(HEADER, names)) == [("r.yaml", 7, "actions")]  # actions: (nothing)
    assert where(problems_of(HEADER.replace("actions:", "actions: just-text"), names)) == [
        ("r.yaml", 7, "actions")
    ]
    assert where(problems_of(report("- just-text\n"), names)) == [("r.yaml", 8, "actions[0]")]


def test_relative_dates_need_a_publication_date(names: NameIndex) -> None:
    header = HEADER.replace("  published: 2019-08-28\n", "")
    problems = problems_of(
        report("- {type: killed, occurred: yesterday, side: ISIS, count: 1, quote: q}\n", header), names
    )
    assert where(problems) == [("r.yaml", 4, "source.published"), ("r.yaml", 7, "actions[0].occurred")]
    assert "relative dates need source.published" in problems[1].message


def test_several_problems_in_one_file_are_all_collected(names: NameIndex) -> None:
    text = """\
format: incidents/report v9
source:
  outlet: Test Outlet
  published: 2019-08-28
actions:
  - type: killed
    occurred: whenever
    side: ISIS
    count: -1
    quote: q
  - type: teleported
    quote: q
  - type: wounded
    occurred: 2019-08-24
    side: ISIS
    count: 1
    quote: q
    colour: red
"""
    problems = problems_of(text, names)
    assert sorted(where(problems), key=lambda p: (p[1] or 0, p[2] or "")) == [
        ("r.yaml", 1, "format"),
        ("r.yaml", 3, "source.url"),
        ("r.yaml", 7, "actions[0].occurred"),
        ("r.yaml", 9, "actions[0].count"),
        ("r.yaml", 11, "actions[1].type"),
        ("r.yaml", 18, "actions[2].colour"),
    ]


def test_duplicate_ids_are_collected_with_other_problems(names: NameIndex) -> None:
    text = report(
        """\
        - {id: same, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {id: same, type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: q}
        - {id: bad, type: killed, occurred: 2019-08-24, side: ISIS, count: -1, quote: q}
        """
    )
    assert sorted((p.line, p.message) for p in problems_of(text, names)) == [
        (9, "action id 'same' is used twice (first on line 8)"),
        (10, "a count cannot be negative (low = -1)"),
    ]


def test_a_file_that_is_not_utf8(tmp_path: Path, names: NameIndex) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(
        report("- {type: killed, occurred: 2019-08-24, side: ISIS, count: 1, quote: caf\xe9}\n").encode(
            "latin-1"
        )
    )
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        read_report_file(path, names)


def test_yaml_11_surprises_never_reach_the_domain(names: NameIndex) -> None:
    # "no" is not false, 2019-08 is not a number, 010 is not octal: everything is read as written.
    text = report("- {id: 010, type: killed, occurred: 2019-08, side: no, count: 1, quote: yes}\n")
    (action,) = parse_report(text, "r.yaml", names).actions
    assert isinstance(action, Killed)
    assert action.id == "010"
    assert action.side == Name("no", "no", known=False)
    assert action.quote == "yes"
    assert action.occurred == DateSpan.month(2019, 8)


# --- The grammars, once for the reader and the schema (fields.py) ------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("4", Estimate.exactly(4)),
        ("14000-18000", Estimate.between(14000, 18000)),
        ('"14,000-18,000"', Estimate.between(14000, 18000)),
        ('"14,000 - 18,000"', Estimate.between(14000, 18000)),
        ("14000\u201318000", Estimate.between(14000, 18000)),  # an en dash, as pasted from an article
        ('"1,200"', Estimate.exactly(1200)),
        ("{low: '1,000', high: 2000}", Estimate.between(1000, 2000)),
    ],
)
def test_counts_as_the_format_writes_them(names: NameIndex, written: str, expected: Estimate) -> None:
    text = report(f"- {{type: killed, occurred: 2019-08-24, side: ISIS, count: {written}, quote: q}}\n")
    (action,) = parse_report(text, "r.yaml", names).actions
    assert isinstance(action, Killed)
    assert action.count == expected


@pytest.mark.parametrize("written", ["14000 to 18000", '"1,2,3"', '"14 000"', "5-", "4.5", "lots", "'+5'"])
def test_counts_outside_the_grammar_are_refused(names: NameIndex, written: str) -> None:
    text = report(f"- {{type: killed, occurred: 2019-08-24, side: ISIS, count: {written}, quote: q}}\n")
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, "actions[0].count")]
    assert "expected a whole number like 4 or a range like 14000-18000" in problems[0].message


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2019", DateSpan.year(2019)),
        ("2019-08", DateSpan.month(2019, 8)),
        ("2019/2020", DateSpan(DateSpan.year(2019).start, DateSpan.year(2020).end)),
        ("{from: 2019, to: 2019-03}", DateSpan(DateSpan.year(2019).start, DateSpan.month(2019, 3).end)),
    ],
)
def test_a_publication_date_takes_every_explicit_form(
    names: NameIndex, published: str, expected: DateSpan
) -> None:
    header = HEADER.replace("published: 2019-08-28", f"published: {published}")
    text = report("- {type: killed, occurred: 2019-01-01, side: ISIS, count: 1, quote: q}\n", header)
    assert parse_report(text, "r.yaml", names).source.published == expected


@pytest.mark.parametrize(
    "occurred",
    [
        "2019-02-29",
        "2019-13",
        "2019/2020/2021",
        "{from: 2019-08-01/2019-08-03, to: 2019-08-05}",
        "over3 weeks ago",
    ],
)
def test_dates_outside_the_grammar_are_refused(names: NameIndex, occurred: str) -> None:
    text = report(f"- {{type: killed, occurred: {occurred}, side: ISIS, count: 1, quote: q}}\n")
    assert where(problems_of(text, names)) == [("r.yaml", 8, "actions[0].occurred")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phase", "'\u00b2'", "expected a phase number"),  # was an uncaught ValueError
        (
            "occurred",
            "99999999 days ago",
            "does not resolve against the publication date",
        ),  # was an OverflowError
        ("occurred", "February 30", "does not resolve against the publication date"),
    ],
)
def test_values_that_once_crashed_the_reader_are_problems(
    names: NameIndex, field: str, value: str, message: str
) -> None:
    entry = {
        "type": "killed",
        "occurred": "2019-08-24",
        "side": "ISIS",
        "count": 1,
        "quote": "q",
        field: value,
    }
    text = report("- {" + ", ".join(f"{key}: {item}" for key, item in entry.items()) + "}\n")
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, f"actions[0].{field}")]
    assert message in problems[0].message


def test_a_key_with_no_value_is_the_key_left_out(names: NameIndex) -> None:
    text = """\
format:
id:
source: {outlet: Wire, url: "https://wire.example/1", published: 2019-08-28, title: null}
notes:
actions:
  - {type: killed, occurred: 2019-08-24, side: ISIS, count: {low: 1, best: null, high: 3}, quote: q,
     actor: null, place: {name: Karma, qualifier: null}, breakdown: null}
  - {type: killed, occurred: 2019-08-24, side: null, count: 1, quote: q}
"""
    problems = problems_of(text, names)
    assert [(p.line, p.field, p.message) for p in problems] == [(8, "actions[1].side", "required for killed")]
    content = parse_report(text.replace("side: null", "side: ISIS"), "r.yaml", names)
    assert content.key == "https://wire.example/1"
    first = content.actions[0]
    assert isinstance(first, Killed)
    assert (first.count, first.actor) == (Estimate(1, None, 3), None)
    assert first.place is not None
    assert first.place.qualifier is None


def test_a_breakdown_part_states_only_fields_of_its_type(names: NameIndex) -> None:
    text = report(
        "- {type: arrested, occurred: 2019-08-24, side: ISIS, count: 2, quote: q,"
        " breakdown: [{count: 2, means: raid}]}\n"
    )
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, "actions[0].breakdown[0].means")]
    assert problems[0].message.startswith("unknown field; expected one of: count, actor, place")


def test_a_duplicate_link_names_each_action_once(names: NameIndex) -> None:
    text = report("- {type: duplicate, same: [a/1, a/2, a/1]}\n")
    problems = problems_of(text, names)
    assert where(problems) == [("r.yaml", 8, "actions[0].same")]
    assert problems[0].message == "'a/1' is listed twice"


# --- A document already in memory -------------------------------------------------------------


def document() -> dict[str, object]:
    return {
        "id": "in-memory",
        "source": {"outlet": "Wire", "url": "https://wire.example/1", "published": "2019-08-28"},
        "actions": [
            {
                "type": "killed",
                "occurred": "on Saturday",
                "side": "Daesh",
                "count": 3,
                "quote": "q",
                "phase": 2,
            },
            {"type": "arrested", "occurred": date(2019, 8, 27), "side": "ISIS", "count": "7", "quote": True},
        ],
    }


def test_a_document_in_memory_reads_as_its_text_does(names: NameIndex) -> None:
    tree = parse_report_tree(document(), "<memory>", names)
    text = parse_report(json.dumps(document(), default=str), "<memory>", names)
    assert tree.actions == text.actions
    assert tree.digest == text.digest
    assert tree.actions[1].quote == "true"  # a scalar is the text JSON writes for it
    assert tree.lines == {"1": (None, "actions[0]"), "2": (None, "actions[1]")}


def test_problems_of_a_document_in_memory_name_the_field(names: NameIndex) -> None:
    doc = document()
    doc["actions"][0]["count"] = -3  # type: ignore[index]
    doc["actions"][1]["colour"] = object()  # type: ignore[index]
    with pytest.raises(InvalidInputError) as error:
        parse_report_tree(doc, "<memory>", names)
    assert [(p.line, p.field) for p in error.value.problems] == [(None, "actions[1].colour")]
    assert "expected text, a number, true/false, null, a list or a mapping, got a object" in str(error.value)
    del doc["actions"][1]["colour"]  # type: ignore[attr-defined]
    with pytest.raises(InvalidInputError) as error:
        parse_report_tree(doc, "<memory>", names, lines={"actions[0]": 40, "actions[0].count": 44})
    assert [str(problem) for problem in error.value.problems] == [
        "<memory>:44: actions[0].count: a count cannot be negative (low = -3)"
    ]


def test_a_located_tree_keeps_its_lines(names: NameIndex) -> None:
    text = report("- {type: killed, occurred: 2019-08-24, side: Nobody, count: 1, quote: q}\n")
    content = parse_report_tree(parse_document(text, "r.yaml"), "r.yaml", names)
    assert content.notes == ("r.yaml:8: actor 'Nobody' is not in the alias data (kept as written)",)
    assert content.lines == {"1": (8, "actions[0]")}
