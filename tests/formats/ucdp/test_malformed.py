"""Bad UCDP GED input: every problem of every row, with file, CSV line and field; nothing written."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidents.application import IncidentLog
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import ReportContent
from incidents.formats.ucdp import UcdpGedFile
from incidents.ingest import ChangedMeanwhileError, ingest
from tests.formats.ucdp.conftest import SLICE, csv_rows, write_csv

GOOD = csv_rows(SLICE)[10]  # event 217045: IS 2, SDF 2 on 2016-01-10; nothing to flag


def problems_in(path: Path) -> list[InputProblem]:
    with pytest.raises(InvalidInputError) as raised:
        list(UcdpGedFile(path).reports())
    return list(raised.value.problems)


def where(problems: list[InputProblem]) -> list[tuple[int | None, str | None]]:
    return [(problem.line, problem.field) for problem in problems]


def one_bad_row(tmp_path: Path, **changes: str) -> list[InputProblem]:
    """The problems of a file whose second data row (line 3) is GOOD with ``changes``."""
    bad = {**GOOD, "id": "1", **changes}
    return problems_in(write_csv(tmp_path / "bad.csv", [GOOD, bad, dict(GOOD, id="2")]))


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"deaths_a": "two"}, "deaths_a", "expected a whole number of 0 or more, got 'two'"),
        ({"deaths_b": "-2"}, "deaths_b", "expected a whole number of 0 or more, got a negative number"),
        ({"deaths_civilians": ""}, "deaths_civilians", "expected a whole number of 0 or more, got ''"),
        ({"high": "4.5"}, "high", "got '4.5'"),
        (
            {"best": "5"},
            "best",
            "expected deaths_a + deaths_b + deaths_civilians + deaths_unknown = 4, got 5",
        ),
        ({"date_start": "2016-13-01"}, "date_start", "expected a date like 2016-01-31, got '2016-13-01'"),
        ({"date_end": "10/01/2016"}, "date_end", "expected a date like 2016-01-31, got '10/01/2016'"),
        (
            {"date_end": "2016-01-09"},
            "date_end",
            "expected a day on or after date_start (2016-01-10), got 2016-01-09",
        ),
        ({"source_date": "2016-01-10;soon"}, "source_date", "expected a date like 2016-01-31, got 'soon'"),
        ({"date_prec": "6"}, "date_prec", "expected one of 1, 2, 3, 4, 5, got '6'"),
        ({"where_prec": "0"}, "where_prec", "expected one of 1, 2, 3, 4, 5, 6, 7, got '0'"),
        ({"type_of_violence": "state"}, "type_of_violence", "expected one of 1, 2, 3, got 'state'"),
        ({"event_clarity": "3"}, "event_clarity", "expected one of 1, 2, got '3'"),
        ({"latitude": "95.1"}, "latitude", "expected degrees between -90.0 and 90.0, got '95.1'"),
        ({"longitude": "east"}, "longitude", "expected degrees between -180.0 and 180.0, got 'east'"),
        ({"latitude": ""}, "latitude", "got ''"),  # a longitude without its latitude
        ({"side_a": ""}, "side_a", "required: deaths_a is 2, of whose people?"),
        ({"id": "E-1"}, "id", "expected UCDP's event id, a whole number, got 'E-1'"),
    ],
)
def test_each_bad_value_is_named_with_line_and_field(
    tmp_path: Path, changes: dict[str, str], field: str, expected: str
) -> None:
    problems = one_bad_row(tmp_path, **changes)
    assert where(problems) == [(3, field)]
    assert problems[0].file == str(tmp_path / "bad.csv")
    assert expected in problems[0].message


def test_a_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "twice.csv", [GOOD, dict(GOOD, id="1"), GOOD])
    problems = problems_in(path)
    assert where(problems) == [(4, "id")]
    assert problems[0].message == f"event id {GOOD['id']} is used twice (first on line 2)"


def test_missing_columns_are_each_named_on_the_header_line(tmp_path: Path) -> None:
    fields = [name for name in GOOD if name not in ("deaths_unknown", "where_prec")]
    problems = problems_in(write_csv(tmp_path / "narrow.csv", [GOOD], fields))
    assert where(problems) == [(1, "where_prec"), (1, "deaths_unknown")]
    assert "missing column" in problems[0].message


@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        (b"", 1, "expected a header with id, type_of_violence"),
        (b"id,\xff\xfeyear\n", 1, "not UTF-8 text: the byte 0xff"),
    ],
)
def test_a_file_that_is_not_a_ucdp_csv(tmp_path: Path, content: bytes, line: int, expected: str) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    problems = problems_in(path)
    assert (problems[0].line, problems[0].field) == (line, None)
    assert expected in problems[0].message


def test_a_row_with_too_many_fields(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wide.csv", [GOOD])
    path.write_text(path.read_text(encoding="utf-8") + ",".join(GOOD.values()) + ",extra\n", encoding="utf-8")
    problems = problems_in(path)
    assert where(problems) == [(3, None)]
    assert "expected 41 fields, as in the header, got 42" in problems[0].message


def test_every_problem_of_every_row_is_listed_with_its_first_physical_line(tmp_path: Path) -> None:
    multiline = dict(GOOD, id="1", source_headline="a headline\nover two lines", deaths_a="x")
    rows = [multiline, dict(GOOD, id="2", date_end="2015-01-01", low="?"), dict(GOOD, id="3")]
    problems = problems_in(write_csv(tmp_path / "bad.csv", rows))
    assert where(problems) == [(2, "deaths_a"), (4, "date_end"), (4, "low")]


def test_nothing_is_written_when_any_row_is_bad(tmp_path: Path, memory_log: IncidentLog) -> None:
    rows = [dict(GOOD, id=str(number)) for number in range(1, 1001)]
    rows[999]["deaths_b"] = "many"  # the last row, after two batches of good ones
    path = write_csv(tmp_path / "late.csv", rows)
    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, UcdpGedFile(path).reports, batch_size=400)
    assert where(list(raised.value.problems)) == [(1001, "deaths_b")]
    assert not memory_log.recorder.max_notification_id()


# --- No traceback for any row: values the reader or the domain refuses are the cell's problem ----


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"deaths_a": "9" * 5000}, "deaths_a", "got '99999"),  # int() of it would raise
        ({"deaths_a": "\u0663"}, "deaths_a", "got '\u0663'"),  # an Arabic-Indic 3
        ({"deaths_a": "\u00b2"}, "deaths_a", "got '\u00b2'"),  # a superscript 2 (isdigit, no int)
        ({"where_prec": "9" * 5000}, "where_prec", "expected one of 1, 2, 3, 4, 5, 6, 7"),
        ({"date_prec": "\u0661"}, "date_prec", "expected one of 1, 2, 3, 4, 5"),
        ({"id": "\u0661\u0662"}, "id", "expected UCDP's event id, a whole number"),
        ({"side_a": "S" * 300}, "side_a", "a name is at most 200 characters"),
        ({"side_b": "SDF\tNorth"}, "side_b", "a name holds no control character"),
        ({"conflict_name": "x" * 300}, "conflict_name", "at most 200 characters"),
        ({"source_office": "O" * 300}, "source_office", "at most 200 characters"),
        ({"where_coordinates": "W" * 300}, "where_coordinates", "at most 200 characters"),
        ({"date_start": "0999-01-10", "date_end": "2016-01-10"}, "date_start", "the year 999"),
        ({"source_headline": "q" * 20_000}, "source_headline", "at most 10,000 characters"),
    ],
)
def test_a_value_past_the_domains_bounds_is_the_cells_problem_not_a_traceback(
    tmp_path: Path, changes: dict[str, str], field: str, expected: str
) -> None:
    problems = one_bad_row(tmp_path, **changes)
    assert where(problems) == [(3, field)]
    assert expected in problems[0].message
    assert len(problems[0].message) < 300  # a long cell is quoted by its start and its length


def test_a_multi_line_or_long_headline_is_a_one_line_title_or_only_the_quote(tmp_path: Path) -> None:
    rows = [
        dict(GOOD, id="1", source_headline="Clashes\nin Raqqa\tcontinue"),
        dict(GOOD, id="2", source_headline="h" * 1500),
    ]
    first, second = (report for _line, report in UcdpGedFile(write_csv(tmp_path / "h.csv", rows)).reports())
    assert first.source.title == "Clashes in Raqqa continue"
    assert first.actions[0].quote == "Clashes\nin Raqqa\tcontinue"  # the quote keeps what UCDP wrote
    assert second.source.title is None
    assert second.actions[0].quote == "h" * 1500
    assert any("1,500 characters, more than a title holds" in note for note in second.notes)


@pytest.mark.parametrize(
    ("content", "line", "column", "expected"),
    [
        (b"id,year\n1,2\xe92\n", 2, 4, "not UTF-8 text: the byte 0xe9"),
        (b"id,year\n1,2016\n2,20\x0016\n", 3, 5, "a NUL byte"),
    ],
)
def test_a_bad_byte_is_named_by_line_and_column(
    tmp_path: Path, content: bytes, line: int, column: int, expected: str
) -> None:
    header = ",".join(GOOD).encode()
    path = tmp_path / "bytes.csv"
    path.write_bytes(header + b"\n" + content.split(b"\n", 1)[1])
    problem = problems_in(path)[-1]
    assert (problem.line, problem.column) == (line, column)
    assert expected in problem.message
    assert str(problem).startswith(f"{path}:{line}:{column}: ")


def test_a_folder_or_a_device_is_not_a_dataset(tmp_path: Path) -> None:
    for path, expected in ((tmp_path, "a folder, not a file"), (Path("/dev/zero"), "a device")):
        problems = problems_in(path)
        assert [(p.file, p.line) for p in problems] == [(str(path), None)]
        assert expected in problems[0].message


# --- A file that changes while it is imported -------------------------------------------------------


def test_a_file_changed_between_the_check_and_the_recording_is_refused_with_nothing_written(
    tmp_path: Path, memory_log: IncidentLog
) -> None:
    path = write_csv(tmp_path / "moving.csv", csv_rows(SLICE))
    dataset = UcdpGedFile(path)
    checked = list(dataset.reports())  # the check's reading
    with path.open("a", encoding="utf-8") as stream:  # appended to meanwhile: still valid CSV
        stream.write(",".join(dict(GOOD, id="999999").values()) + "\n")
    reads = iter([checked, None])

    def read() -> Iterator[tuple[int, ReportContent]]:
        done = next(reads)
        return iter(done) if done is not None else dataset.reports()

    with pytest.raises(ChangedMeanwhileError) as raised:
        ingest(memory_log, read, batch_size=20)
    assert raised.value.done == 0
    assert "nothing was written" in str(raised.value)
    assert f"{path}:2: the file changed while it was read" in str(raised.value)
    assert not memory_log.recorder.max_notification_id()


def test_a_file_rewritten_with_the_same_size_and_time_is_found_by_its_hash(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "same.csv", csv_rows(SLICE))
    dataset = UcdpGedFile(path)
    list(dataset.reports())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Government of Syria", "Government of Syrja", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(InvalidInputError) as raised:
        list(dataset.reports())
    assert "the file changed while it was read" in str(raised.value)


def test_a_file_changed_while_it_is_read_stops_at_the_next_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "growing.csv", csv_rows(SLICE))
    reading = UcdpGedFile(path).reports()
    first_line, _report = next(reading)
    time.sleep(0.01)
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n")
    with pytest.raises(InvalidInputError) as raised:
        list(reading)
    assert [p.line for p in raised.value.problems] == [first_line + 1]
    assert "the file changed while it was read" in raised.value.problems[0].message


def test_an_unchanged_file_is_read_again_without_a_problem(tmp_path: Path, memory_log: IncidentLog) -> None:
    path = write_csv(tmp_path / "still.csv", csv_rows(SLICE))
    done = ingest(memory_log, UcdpGedFile(path).reports, batch_size=20)
    assert done.recorded == len(csv_rows(SLICE))
