"""The one ingest pipeline: a load of report files, an import of a dataset and an amendment made
on the command line are all one check of the whole input, then the recording of it in batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from eventsourcing.persistence import StoredEvent

from incidents import ingest as ingest_module
from incidents.application import IncidentLog, Outcome
from incidents.domain.actions import ReportedAction
from incidents.domain.amendments import ActionRef, Amendment, Correction, FieldChange, Retraction
from incidents.domain.report import Report
from incidents.domain.values import Estimate
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import ReportContent
from incidents.ingest import (
    ChangedMeanwhileError,
    Loaded,
    Located,
    ReadInput,
    ReportFiles,
    in_memory,
    ingest,
    ingest_contents,
    ingest_files,
)
from incidents.service import Service
from tests.builders import content, killed, record, source
from tests.conftest import ALIASES

AMENDMENT_FILE = """\
format: incidents/report v1
id: {key}
source: {{outlet: Analyst, url: "https://example.org/{key}", published: 2019-09-01}}
actions:
  - type: retraction
    target: {target}
    reason: the source withdrew it
"""

REPORT_FILE = """\
format: incidents/report v1
id: {key}
source: {{outlet: Wire, url: "https://example.org/{key}", published: 2019-08-28}}
actions:
  - {{id: k, type: killed, occurred: 2019-08-24, side: ISIS, count: {count}, quote: q}}
"""


class Reads:
    """A dataset's stream of (line, report), counting how often it is read from the start."""

    def __init__(self, located: list[Located]) -> None:
        self.located = located
        self.count = 0
        self.yielded = 0

    def __call__(self) -> Iterator[Located]:
        self.count += 1
        for item in self.located:
            self.yielded += 1
            yield item


def dataset(*reports: ReportContent, file: str = "data.csv") -> list[Located]:
    """Reports as a dataset's file holds them: one a line, from line 2 (after a header)."""
    return [(line, attrs.evolve(report, file=file)) for line, report in enumerate(reports, start=2)]


def stating(key: str, *statements: ReportedAction | Amendment) -> ReportContent:
    return ReportContent(key=key, source=source("2019-09-01"), actions=statements, file=f"{key}.yaml")


def retraction(target: str) -> Retraction:
    return Retraction(id="r", target=ActionRef.parse(target, ""), reason="withdrawn")


TARGET = content("target", "2019-08-28", [killed("2019-08-24", 2, id="k")])
AMENDING = stating("amending", retraction("target/k"))
OTHER = content("other", "2019-08-28", [killed("2019-08-24", 1)])


# --- Keys used twice ---------------------------------------------------------------------------


def test_a_key_used_twice_in_one_import_is_refused_with_both_lines(memory_log: IncidentLog) -> None:
    first = content("ged-1", "2019-08-28", [killed("2019-08-24", 1)])
    again = content("ged-1", "2019-08-28", [killed("2019-08-24", 2)])
    other = content("ged-2", "2019-08-28", [killed("2019-08-24", 3)])
    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, Reads(dataset(first, other, again)))
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == ("data.csv", 4, "id")
    assert problem.message == "report id 'ged-1' is used twice (first on line 2)"
    assert not memory_log.recorder.max_notification_id()


def test_a_key_used_in_two_files_of_one_input_names_the_other_place(memory_log: IncidentLog) -> None:
    report = content("same", "2019-08-28", [killed("2019-08-24", 1)])
    located = [*dataset(report, file="a.csv"), *dataset(report, report, file="b.csv")]
    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, Reads(located))
    assert [(p.file, p.line, p.message) for p in raised.value.problems] == [
        ("b.csv", 2, "report id 'same' is also used by a.csv:2"),
        ("b.csv", 3, "report id 'same' is also used by a.csv:2"),
    ]


def test_report_files_of_one_load_with_one_key_are_refused(memory_log: IncidentLog, tmp_path: Path) -> None:
    for name, count in (("a.yaml", 1), ("b.yaml", 2)):
        (tmp_path / name).write_text(REPORT_FILE.format(key="same", count=count), encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        ingest_files(memory_log, [tmp_path], ALIASES)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == (str(tmp_path / "b.yaml"), None, "id")
    assert problem.message == f"report id 'same' is also used by {tmp_path / 'a.yaml'}"
    assert not memory_log.recorder.max_notification_id()


# --- Amendment targets ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["earlier in the input", "later in the input", "in the store"])
def test_an_amendment_may_name_an_action_recorded_or_in_the_same_input(
    memory_log: IncidentLog, where: str
) -> None:
    if where == "in the store":
        record(memory_log, TARGET)
    reports = {
        "earlier in the input": [TARGET, AMENDING],
        "later in the input": [AMENDING, TARGET],
        "in the store": [AMENDING],
    }[where]
    ingested = ingest(memory_log, Reads(dataset(*reports)))
    assert ingested.recorded == len(reports)
    amending = memory_log.find_report("amending")
    assert amending is not None
    assert amending.amendments == [retraction("target/k")]


def test_an_amendment_of_its_own_report_is_checked_with_it(memory_log: IncidentLog) -> None:
    both = stating("both", killed("2019-08-24", 2, id="k"), retraction("both/k"))
    assert ingest(memory_log, Reads(dataset(both))).recorded == 1
    with pytest.raises(InvalidInputError, match="no such action: alone/nothing"):
        ingest(
            memory_log, Reads(dataset(stating("alone", killed("2019-08-24", 1), retraction("alone/nothing"))))
        )


def test_an_amendment_in_a_loaded_file_may_name_a_report_of_the_same_load_or_of_the_store(
    memory_log: IncidentLog, tmp_path: Path
) -> None:
    (tmp_path / "1-amends-later.yaml").write_text(
        AMENDMENT_FILE.format(key="amends-later", target="wire-b/k"), encoding="utf-8"
    )
    (tmp_path / "2-wire-a.yaml").write_text(REPORT_FILE.format(key="wire-a", count=1), encoding="utf-8")
    (tmp_path / "3-wire-b.yaml").write_text(REPORT_FILE.format(key="wire-b", count=2), encoding="utf-8")
    (tmp_path / "4-amends-earlier.yaml").write_text(
        AMENDMENT_FILE.format(key="amends-earlier", target="wire-a/k"), encoding="utf-8"
    )
    loaded = ingest_files(memory_log, [tmp_path], ALIASES)
    assert [item.outcome for item in loaded] == [Outcome.RECORDED] * 4

    later = tmp_path / "later"
    later.mkdir()
    (later / "amends-the-store.yaml").write_text(
        AMENDMENT_FILE.format(key="amends-the-store", target="wire-b/k"), encoding="utf-8"
    )
    [item] = ingest_files(memory_log, [later], ALIASES)
    assert item.outcome is Outcome.RECORDED


def test_an_amendment_of_no_action_is_refused_in_an_import_with_its_line_and_field(
    memory_log: IncidentLog,
) -> None:
    reports = dataset(
        TARGET, stating("amending", retraction("target/nothing")), stating("x", retraction("x/y"))
    )
    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, Reads(reports))
    assert [(p.file, p.line, p.field) for p in raised.value.problems] == [
        ("data.csv", 3, "actions[id=r].target"),
        ("data.csv", 4, "actions[id=r].target"),
    ]
    assert raised.value.problems[0].message.startswith("no such action: target/nothing (neither recorded")
    assert not memory_log.recorder.max_notification_id()


WRONG = Correction(
    id="c", target=ActionRef("target", "k"), changes=(FieldChange("item", "rifles"),), reason="r"
)
RIGHT = attrs.evolve(WRONG, changes=(FieldChange("count", Estimate.exactly(3)),))
EARLIER_KILLED = content("earlier", "2019-08-27", [killed("2019-08-20", 9, id="first")])


@pytest.mark.parametrize(
    "before",
    [
        [],  # the target, after the correction: kept as it goes by
        [TARGET],  # before it, and the first killed action: settled from the index, by itself
        [EARLIER_KILLED, TARGET],  # ... by another killed action standing in for it
    ],
)
def test_a_correction_is_checked_against_its_target_in_the_input(
    memory_log: IncidentLog, before: list[ReportContent]
) -> None:
    after = [] if before else [TARGET]
    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, Reads(dataset(*before, stating("correcting", WRONG), *after)))
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (2 + len(before), "actions[id=c].changes")
    assert problem.message.startswith("a killed has no correctable field 'item'")
    ingested = ingest(memory_log, Reads(dataset(*before, stating("correcting", RIGHT), *after)))
    assert ingested.recorded == len(before) + 1 + len(after)


def changing(first: list[Located], then: list[Located]) -> ReadInput:
    """An input that reads as ``first`` once, then as ``then``: it changed after the check."""
    reads = 0

    def read() -> Iterator[Located]:
        nonlocal reads
        reads += 1
        return iter(first if reads == 1 else then)

    return read


def test_a_target_changed_after_the_check_stops_the_recording_before_its_amendment(
    memory_log: IncidentLog,
) -> None:
    """The check took the target from the index: the recording confirms it before recording it."""
    changed = content("target", "2019-08-28", [killed("2019-08-24", 2, id="x")])
    first, then = dataset(OTHER, TARGET, AMENDING), dataset(OTHER, changed, AMENDING)
    with pytest.raises(ChangedMeanwhileError) as raised:
        ingest(memory_log, changing(first, then), batch_size=1)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == ("data.csv", 4, "actions[id=r].target")
    assert problem.message.startswith("no such action: target/k")
    assert raised.value.done == 1
    assert [memory_log.recorded_digest(key) is not None for key in ("other", "target", "amending")] == [
        True,
        False,
        False,
    ]


def test_an_amendment_whose_earlier_target_is_gone_after_the_check_is_not_recorded(
    memory_log: IncidentLog,
) -> None:
    first, then = dataset(TARGET, AMENDING), dataset(AMENDING)
    with pytest.raises(ChangedMeanwhileError) as raised:
        ingest(memory_log, changing(first, then))
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (2, "id")
    assert problem.message == "it amends target, which is no longer before it in the input"
    assert not memory_log.recorder.max_notification_id()


def test_keys_that_share_a_hash_are_still_two_keys(
    memory_log: IncidentLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys are kept as hashes: two keys of one hash are told apart by reading the input again."""
    monkeypatch.setattr(
        ingest_module, "hash", lambda value: 7 if isinstance(value, str) else hash(value), raising=False
    )
    reports = [content(f"r{n}", "2019-08-28", [killed("2019-08-24", 1)]) for n in range(3)]
    read = Reads(dataset(*reports))
    assert ingest(memory_log, read).recorded == 3
    assert read.count == 3  # check, the places of the keys of one hash, record
    with pytest.raises(InvalidInputError, match="report id 'r1' is used twice"):
        ingest(memory_log, Reads(dataset(reports[1], reports[1])))


# --- One check for every input ------------------------------------------------------------------


def test_a_load_and_an_import_go_through_the_same_check(tmp_path: Path) -> None:
    """The same report files, loaded (`incidents load`) and imported as a dataset's stream, are
    refused with the same problems: a conflict with the store, a key used twice, an amendment
    of nothing, and a file's own problem."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.yaml").write_text(REPORT_FILE.format(key="recorded", count=5), encoding="utf-8")
    (folder / "b.yaml").write_text(REPORT_FILE.format(key="new", count=1), encoding="utf-8")
    (folder / "c.yaml").write_text(REPORT_FILE.format(key="new", count=2), encoding="utf-8")
    (folder / "d.yaml").write_text(AMENDMENT_FILE.format(key="d", target="new/nothing"), encoding="utf-8")
    (folder / "e.yaml").write_text(REPORT_FILE.format(key="bad", count=-1), encoding="utf-8")

    def problems(attempt: str) -> list[InputProblem]:
        with Service.open("memory:") as service:
            service.record([content("recorded", "2019-08-28", [killed("2019-08-24", 4)])])
            before = service.position()

            def attempt_it() -> None:
                if attempt == "load":
                    service.load([folder], aliases=ALIASES)
                else:
                    service.import_dataset(ReportFiles([folder], ALIASES).reports)

            with pytest.raises(InvalidInputError) as raised:
                attempt_it()
            assert service.position() == before
        return list(raised.value.problems)

    loaded, imported = problems("load"), problems("import")
    assert loaded == imported
    assert [(Path(p.file).name, p.field) for p in loaded] == [
        ("e.yaml", "actions[0].count"),
        ("a.yaml", "id"),
        ("c.yaml", "id"),
    ]
    assert "already recorded with different content" in loaded[1].message
    assert loaded[2].message == f"report id 'new' is also used by {folder / 'b.yaml'}"
    # d.yaml's target may be in e.yaml, which could not be read: it is not called missing.


@pytest.mark.parametrize(
    "reports",
    [
        [TARGET, OTHER],
        [AMENDING, TARGET],  # the target comes after the amendment: kept as it goes by
        [TARGET, OTHER, AMENDING],  # it came before: settled from the index
    ],
)
def test_the_input_is_read_twice_however_it_refers_to_itself(
    memory_log: IncidentLog, reports: list[ReportContent]
) -> None:
    read = Reads(dataset(*reports))
    assert ingest(memory_log, read).recorded == len(reports)
    assert (read.count, read.yielded) == (2, 2 * len(reports))


def test_an_input_with_problems_is_read_once_and_writes_nothing(memory_log: IncidentLog) -> None:
    count = 0

    def read() -> Iterator[Located]:
        nonlocal count
        count += 1
        yield 2, attrs.evolve(TARGET, file="data.csv")
        raise InvalidInputError([InputProblem("data.csv", 3, "best", "expected a whole number")])

    with pytest.raises(InvalidInputError) as raised:
        ingest(memory_log, read)
    assert [str(problem) for problem in raised.value.problems] == [
        "data.csv:3: best: expected a whole number"
    ]
    assert count == 1
    assert not memory_log.recorder.max_notification_id()


# --- Recording ----------------------------------------------------------------------------------


def test_each_report_is_told_its_outcome_in_input_order(memory_log: IncidentLog) -> None:
    a, b, c = (content(key, "2019-08-28", [killed("2019-08-24", 1)]) for key in "abc")
    ingest_contents(memory_log, [b])
    told: list[Loaded] = []
    ingested = ingest(memory_log, in_memory([a, b, c]), batch_size=2, each=told.append)
    assert [(item.report.key, item.outcome) for item in told] == [
        ("a", Outcome.RECORDED),
        ("b", Outcome.UNCHANGED),
        ("c", Outcome.RECORDED),
    ]
    assert (ingested.recorded, ingested.unchanged, ingested.actions) == (2, 1, 2)
    again = ingest(memory_log, in_memory([a, b, c]))
    assert (again.recorded, again.unchanged, again.actions) == (0, 3, 0)


def test_each_batch_is_one_transaction(memory_log: IncidentLog, monkeypatch: pytest.MonkeyPatch) -> None:
    inserted: list[int] = []
    insert = memory_log.recorder.insert_events

    def counting_insert(events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        inserted.append(len({event.originator_id for event in events}))
        return insert(events, **kwargs)

    monkeypatch.setattr(memory_log.recorder, "insert_events", counting_insert)
    reports = [content(f"r{n:02d}", "2019-08-28", [killed("2019-08-24", n)]) for n in range(45)]
    assert ingest(memory_log, in_memory(reports), batch_size=20).recorded == 45
    assert inserted == [20, 20, 5]


def test_a_report_recorded_meanwhile_with_other_content_stops_the_recording_and_says_where(
    memory_log: IncidentLog,
) -> None:
    reports = dataset(*(content(f"r{n}", "2019-08-28", [killed("2019-08-24", 1)]) for n in range(5)))
    reads = 0

    def read() -> Iterator[Located]:
        nonlocal reads
        reads += 1
        for line, report in reports:
            if reads == 2 and report.key == "r3":  # another writer, between the check and now
                record(memory_log, content("r3", "2019-08-28", [killed("2019-08-24", 9)]))
            yield line, report

    with pytest.raises(ChangedMeanwhileError) as raised:
        ingest(memory_log, read, batch_size=2)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == ("data.csv", 5, "id")
    assert "'r3' is already recorded with different content" in problem.message
    assert raised.value.done == 3  # r0, r1 in the first batch; r2 recorded alone before r3
    assert [memory_log.recorded_digest(f"r{n}") is not None for n in range(5)] == [True] * 4 + [False]


def test_a_report_recorded_with_another_digest_of_the_same_content_is_unchanged(
    memory_log: IncidentLog,
) -> None:
    """A payload whose stored JSON changed since (a payload version) changes the version 2 digest
    of the same report: the recorded report is then compared by what it states."""
    report = content("r1", "2019-08-28", [killed("2019-08-24", 3)])
    recorded = Report(key=report.key, source=report.source, digest="v2:" + "0" * 64)
    for action in report.actions:
        recorded.state(action)
    memory_log.save(recorded)
    [loaded] = ingest_contents(memory_log, [report])
    assert loaded.outcome is Outcome.UNCHANGED
    changed = content("r1", "2019-08-28", [killed("2019-08-24", 4)])
    with pytest.raises(InvalidInputError, match="already recorded with different content"):
        ingest_contents(memory_log, [changed])
