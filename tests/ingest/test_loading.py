"""Loading: finding report files, validating all of them first, cross-file checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.application import IncidentLog, Outcome
from incidents.formats.errors import InvalidInputError
from incidents.ingest import ingest_contents, read_reports, report_files
from tests.builders import read_entries
from tests.conftest import ALIASES, ALSHAHID, ROOT, RUDAW, SEEDS

VALID = """\
source: {outlet: Test Outlet, url: "https://example.org/%s", published: 2019-08-28}
actions:
  - {type: killed, occurred: on Saturday, side: Daesh, count: 2, quote: q}
"""


def test_folders_are_searched_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.yaml", "a.yml", "c.json", "aliases.yaml", "notes.txt", "b/1.yaml"):
        (tmp_path / name).write_text("x")
    found = [path.relative_to(tmp_path).as_posix() for path in report_files([tmp_path])]
    assert found == ["a.yml", "b/1.yaml", "b/2.yaml", "c.json"]


def test_the_seed_folder_holds_two_reports() -> None:
    assert report_files([SEEDS]) == [ALSHAHID, RUDAW]


def test_missing_paths_are_problems(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as error:
        report_files([tmp_path / "nope.yaml", RUDAW, tmp_path / "nowhere"])
    assert [(Path(p.file).name, p.message) for p in error.value.problems] == [
        ("nope.yaml", "no such file or folder"),
        ("nowhere", "no such file or folder"),
    ]


def test_problems_of_every_file_are_collected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID.replace("count: 2", "count: -2") % "a")
    (tmp_path / "b.yaml").write_text(VALID.replace("on Saturday", "one fine day") % "b")
    (tmp_path / "c.yaml").write_text(VALID % "c")
    with pytest.raises(InvalidInputError) as error:
        read_reports([tmp_path])
    assert [(Path(p.file).name, p.line, p.field) for p in error.value.problems] == [
        ("a.yaml", 3, "actions[0].count"),
        ("b.yaml", 3, "actions[0].occurred"),
    ]


def test_two_files_with_one_report_id_are_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID % "same")
    (tmp_path / "b.yaml").write_text(VALID.replace("count: 2", "count: 3") % "same")
    with pytest.raises(InvalidInputError) as error:
        read_reports([tmp_path])
    (problem,) = error.value.problems
    assert Path(problem.file).name == "b.yaml"
    assert problem.field == "id"
    assert "is also used by" in problem.message
    assert problem.message.endswith("a.yaml")


def test_one_file_named_twice_is_one_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    contents = read_reports([Path("seeds"), Path("seeds") / RUDAW.name])
    assert [content.key for content in contents].count("rudaw-2019-08-28-will-of-victory-phase-4") == 1


def test_one_file_named_two_ways_is_one_report(monkeypatch: pytest.MonkeyPatch) -> None:
    # `incidents load seeds /abs/path/seeds/rudaw.yaml`: the same file, found in the folder and named.
    monkeypatch.chdir(ROOT)
    contents = read_reports([Path("seeds"), RUDAW.resolve()])
    assert {content.key for content in contents} == {
        "alshahid-2019-07-anti-isis-operations-clear-villages",
        "rudaw-2019-08-28-will-of-victory-phase-4",
    }


def test_reference_data_is_found_beside_the_files_or_given(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(VALID % "r")
    (without,) = read_reports([tmp_path / "r.yaml"])
    assert without.actions[0].side.known is False  # type: ignore[attr-defined]
    (given,) = read_reports([tmp_path / "r.yaml"], aliases=ALIASES)
    assert given.actions[0].side.canonical == "ISIS"  # type: ignore[attr-defined]
    assert given.digest != without.digest
    (tmp_path / "aliases.yaml").write_text("actors:\n  ISIS: [Daesh]\n")
    (beside,) = read_reports([tmp_path / "r.yaml"])
    assert beside.actions[0].side.canonical == "ISIS"  # type: ignore[attr-defined]


def test_a_broken_aliases_file_is_a_problem_of_the_load(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(VALID % "r")
    (tmp_path / "aliases.yaml").write_text("actors: [not, a, mapping]\n")
    with pytest.raises(InvalidInputError) as error:
        read_reports([tmp_path])
    assert [(Path(p.file).name, p.field) for p in error.value.problems] == [("aliases.yaml", "actors")]


def test_load_reports_records_then_finds_unchanged(memory_log: IncidentLog) -> None:
    contents = read_reports([SEEDS])
    assert [x.outcome for x in ingest_contents(memory_log, contents)] == [Outcome.RECORDED] * 2
    assert [x.outcome for x in ingest_contents(memory_log, contents)] == [Outcome.UNCHANGED] * 2
    assert len(read_entries(memory_log)) == 25
