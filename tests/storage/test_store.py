"""One storage suite, run against every backend (SQLite file, PostgreSQL schema) via ``store``.

What goes in comes back equal; loading is idempotent and all-or-nothing; a conflicting report is
refused without writing; a reopened store sees everything; the recorded clock replays the store.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from incidents.application import IncidentLog, Outcome
from incidents.domain.actions import (
    ACTION_KINDS,
    AreaCleared,
    Arrested,
    ClearingStarted,
    Declared,
    Displaced,
    DisplacedUnit,
    Killed,
    MaterielDestroyed,
    MaterielSeized,
    Metric,
    OperationLaunched,
    PhaseEnded,
    PhaseLaunched,
    ReportedAction,
    StrengthEstimated,
    ThreatReported,
    TotalClaimed,
    Wounded,
)
from incidents.domain.errors import ReportConflictError
from incidents.domain.report import Report
from incidents.domain.values import (
    AdminUnit,
    DateSpan,
    Estimate,
    Extent,
    Name,
    Place,
    Precision,
    SourceRef,
    SplitOf,
)
from incidents.formats.errors import InvalidInputError
from incidents.formats.report_file import ReportContent
from incidents.ingest import ingest_contents, ingest_files
from incidents.projections.clocks import Viewpoint
from incidents.storage.location import parse_location
from tests.builders import ANBAR, GARMA, ISIS, OPERATION, PMF, content, killed, read_entries, record, wounded
from tests.conftest import ALSHAHID, POSTGRES_URL, RUDAW, SEEDS, LogOpener, schema_of
from tests.views import totals_view

POSTGRES_EVENTS_TABLE = "incidents_events"  # per application on PostgreSQL
SQLITE_EVENTS_TABLE = "stored_events"  # one file, one application


def every_kind_of_action() -> tuple[ReportedAction, ...]:
    """One action of every kind, using every awkward value: what must survive the transcodings."""
    month_part = DateSpan(date(2019, 6, 21), date(2019, 6, 30), Precision.MONTH_PART)
    unknown = Name("Some Militia", " Some Militia", known=False)
    south_of = Place("Salahuddin Province", AdminUnit("IQG16", "Salah Al-Din", 1, "Salah Al-Din"), "south of")
    karma = Place("Karma", GARMA)
    unresolved = Place("Umm Najm")
    phase = {"operation": OPERATION, "phase": 4}
    actions: tuple[ReportedAction, ...] = (
        OperationLaunched(
            id="op",
            occurred=DateSpan.parse("2019-07-07"),
            quote="launched",
            operation=OPERATION,
            names=("Will of Victory", "Irada al-Nasr"),
            aim="eradicate",
            forces=(PMF, unknown),
        ),
        PhaseLaunched(
            id="phase",
            occurred=DateSpan.parse("2019-07-21/2019-07-24"),
            quote="phase",
            regions=(Place("Baghdad", None, "north of"), Place("Anbar", ANBAR), karma),
            supervisor="the Prime Minister",
            **phase,
        ),
        PhaseEnded(id="ended", occurred=DateSpan.month(2019, 9), quote="ended", **phase),
        Killed(
            id="k.1",
            occurred=month_part,
            quote="killed",
            side=Name("Federal Police", "federal police"),
            count=Estimate.exactly(1),
            actor=ISIS,
            place=south_of,
            means="raid",
            split_of=SplitOf("k", Estimate(2, None, 4)),
        ),
        Wounded(id="w", occurred=month_part, quote="wounded", side=unknown, count=Estimate(1, None, 3)),
        Arrested(id="a", occurred=DateSpan.year(2019), quote="arrested", side=ISIS, count=Estimate(5, 7, 9)),
        MaterielSeized(
            id="s", occurred=month_part, quote="seized", side=ISIS, count=Estimate.zero(), item="rifles"
        ),
        MaterielDestroyed(
            id="d",
            occurred=month_part,
            quote="destroyed",
            side=ISIS,
            count=Estimate.exactly(3),
            item="tunnels",
        ),
        ThreatReported(id="t", occurred=month_part, quote="threat", area=karma, actor=ISIS),
        ClearingStarted(id="cs", occurred=month_part, quote="clearing", area=unresolved),
        AreaCleared(
            id="ac",
            occurred=month_part,
            quote="cleared",
            area=south_of,
            actors=(PMF, unknown),
            extent=Extent(places=25, of="villages", square_km=1702),
            **phase,
        ),
        Displaced(
            id="dp",
            occurred=month_part,
            quote="some 90 families",
            side=unknown,
            count=Estimate.about(90, high=120),
            unit=DisplacedUnit.FAMILIES,
            actors=(ISIS,),
            claimant=PMF,
        ),
        Killed(
            id="kd", occurred=month_part, quote="dozens", side=ISIS, count=Estimate.by_convention("dozens")
        ),
        Declared(
            id="dc",
            occurred=DateSpan.month(2017, 12),
            quote="victory",
            declared="victory over ISIS",
            actor=unknown,
        ),
        TotalClaimed(
            id="tc",
            occurred=DateSpan.parse("2019-08-27"),
            quote="brings the total",
            metric=Metric.ARRESTED,
            side=ISIS,
            count=Estimate.exactly(13),
            claimant=unknown,
            **phase,
        ),
        StrengthEstimated(
            id="se",
            occurred=DateSpan(date(2019, 8, 1), date(2019, 8, 28), Precision.MONTH),
            quote="14-18,000",
            side=ISIS,
            count=Estimate.between(14000, 18000),
            region="Iraq and Syria",
            estimator="US Department of Defense",
        ),
    )
    assert {action.kind for action in actions} == set(ACTION_KINDS)
    return actions


def awkward_report() -> ReportContent:
    source = SourceRef(
        outlet="Al-Shahid Witness",
        url="https://example.org/awkward?q=1&r=\u0627",
        published=DateSpan.parse("2019-07-28/2019-07-31"),
        title=None,
        language="en",
    )
    return ReportContent(key="awkward", source=source, actions=every_kind_of_action(), file="awkward.yaml")


def event_count(log: IncidentLog) -> int:
    return log.recorder.max_notification_id() or 0


# --- Where the data lives -----------------------------------------------------------------------


def test_the_store_creates_its_table_where_the_db_string_says(store: str, open_log: LogOpener) -> None:
    log = open_log()
    record(log, content("r", "2019-08-28", [killed("2019-08-24", 1)]))
    if store.startswith("postgresql://"):
        schema = schema_of(store)
        assert schema is not None
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            tables = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
            ).fetchall()
            assert (POSTGRES_EVENTS_TABLE,) in tables
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(POSTGRES_EVENTS_TABLE)
            )
            assert connection.execute(query).fetchone() == (2,)
    else:
        assert Path(store).is_file()
        with sqlite3.connect(store) as connection:
            (count,) = connection.execute(f"SELECT count(*) FROM {SQLITE_EVENTS_TABLE}").fetchone()
        assert count == 2


@pytest.mark.postgres
def test_each_postgres_schema_is_a_store_of_its_own(postgres_store: str) -> None:
    other_schema = f"{postgres_store}_other"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema_of(other_schema) or "")))
    opened: list[IncidentLog] = []
    try:  # (opening inside the try: a failed open must not leave the other schema behind)
        opened.append(IncidentLog.open(parse_location(postgres_store)))
        opened.append(IncidentLog.open(parse_location(other_schema)))
        first, second = opened
        record(first, content("only-in-first", "2019-08-28", [killed("2019-08-24", 1)]))
        assert len(read_entries(first)) == 1
        assert read_entries(second) == []
        assert second.find_report("only-in-first") is None
    finally:
        for log in opened:
            log.close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema_of(other_schema) or ""))
            )


# --- Recording and reading back ------------------------------------------------------------------


def test_a_new_store_is_empty(open_log: LogOpener) -> None:
    log = open_log()
    assert read_entries(log) == []
    assert log.find_report("anything") is None


def test_seed_reports_read_back_equal(open_log: LogOpener, seed_contents: list[ReportContent]) -> None:
    log = open_log()
    outcomes = [loaded.outcome for loaded in ingest_contents(log, seed_contents)]
    assert outcomes == [Outcome.RECORDED, Outcome.RECORDED]
    entries = read_entries(log)
    assert [entry.action for entry in entries] == [a for c in seed_contents for a in c.actions]
    assert [entry.report.key for entry in entries] == [c.key for c in seed_contents for _ in c.actions]
    assert all(entry.report.source == seed_contents[0].source for entry in entries[:16])
    for report_content in seed_contents:
        report = log.find_report(report_content.key)
        assert report is not None
        assert report.key == report_content.key
        assert report.source == report_content.source
        assert report.digest == report_content.digest
        assert tuple(report.actions) == report_content.actions
        assert report.version == 1 + len(report_content.actions)


def test_every_value_object_round_trips(open_log: LogOpener) -> None:
    report_content = awkward_report()
    log = open_log()
    assert record(log, report_content) is Outcome.RECORDED
    entries = read_entries(log)
    assert tuple(entry.action for entry in entries) == report_content.actions
    assert entries[0].report.source == report_content.source
    # Tuples come back as tuples (JSON gives lists; the attrs converters must turn them back).
    launched, phase = entries[0].action, entries[1].action
    assert isinstance(launched, OperationLaunched)
    assert isinstance(launched.names, tuple)
    assert isinstance(launched.forces, tuple)
    assert isinstance(phase, PhaseLaunched)
    assert isinstance(phase.regions, tuple)
    # The details a plain equality check could hide behind a custom __eq__.
    wounded_action = entries[4].action
    assert isinstance(wounded_action, Wounded)
    assert wounded_action.count.best is None
    assert wounded_action.side.known is False
    assert wounded_action.side.written == " Some Militia"
    assert wounded_action.occurred.precision is Precision.MONTH_PART
    first_killed = entries[3].action
    assert isinstance(first_killed, Killed)
    assert first_killed.place is not None
    assert first_killed.place.unit == AdminUnit("IQG16", "Salah Al-Din", 1, "Salah Al-Din")
    assert first_killed.split_of == SplitOf("k", Estimate(2, None, 4))
    assert entries[5].action.occurred.precision is Precision.YEAR
    assert type(entries[11].action.metric) is Metric  # type: ignore[attr-defined]


def test_entries_know_their_report_position_time_and_sequence(open_log: LogOpener) -> None:
    log = open_log()
    record(
        log,
        content("first", "2019-08-28", [killed("2019-08-24", 1, id="a"), killed("2019-08-24", 2, id="b")]),
    )
    record(log, content("second", "2019-08-29", [wounded("2019-08-25", 3)]))
    entries = read_entries(log)
    positions = [entry.position for entry in entries]
    assert positions == sorted(positions)
    assert len(set(positions)) == 3
    assert [entry.sequence for entry in entries] == [2, 3, 2]  # version 1 is the report's registration
    assert all(entry.recorded.tzinfo is not None for entry in entries)
    assert entries[0].recorded <= entries[1].recorded <= entries[2].recorded
    assert event_count(log) == max(positions)


def test_reading_back_in_batches_gives_every_event_once_in_order(
    open_log: LogOpener, seed_contents: list[ReportContent]
) -> None:
    log = open_log()
    ingest_contents(log, seed_contents)
    everything = [n.id for n in log.recorder.select_notifications(start=1, limit=10_000)]
    for size in (1, 2, 26, 27, 28):  # one, a few, and the edges around the number of events
        assert [n.id for n in log.notifications(batch_size=size)] == everything
    assert [n.id for n in log.notifications(start=everything[5], batch_size=2)] == everything[5:]


# --- Idempotence and conflicts -------------------------------------------------------------------


def test_recording_a_report_twice_changes_nothing(open_log: LogOpener) -> None:
    log = open_log()
    report_content = awkward_report()
    assert record(log, report_content) is Outcome.RECORDED
    before = (event_count(log), read_entries(log))
    assert record(log, report_content) is Outcome.UNCHANGED
    assert (event_count(log), read_entries(log)) == before


def test_loading_the_same_files_twice_changes_nothing(open_log: LogOpener) -> None:
    log = open_log()
    assert [x.outcome for x in ingest_files(log, [SEEDS])] == [Outcome.RECORDED] * 2
    before = (event_count(log), read_entries(log))
    # Read the files again: a fresh parse must give the same digests.
    assert [x.outcome for x in ingest_files(log, [RUDAW, ALSHAHID])] == [Outcome.UNCHANGED] * 2
    assert (event_count(log), read_entries(log)) == before


def test_a_conflicting_report_is_refused_and_writes_nothing(open_log: LogOpener) -> None:
    log = open_log()
    original = content("same-key", "2019-08-28", [killed("2019-08-24", 4)])
    revised = content("same-key", "2019-08-28", [killed("2019-08-24", 5)])
    assert original.digest != revised.digest
    record(log, original)
    before = (event_count(log), read_entries(log))
    with pytest.raises(
        ReportConflictError, match="'same-key' is already recorded with different content"
    ) as error:
        record(log, revised)
    assert error.value.key == "same-key"
    assert (event_count(log), read_entries(log)) == before
    report = log.find_report("same-key")
    assert report is not None
    assert report.digest == original.digest


def test_a_conflict_anywhere_in_a_load_writes_nothing_at_all(open_log: LogOpener) -> None:
    log = open_log()
    record(log, content("recorded", "2019-08-28", [killed("2019-08-24", 4)]))
    before = (event_count(log), read_entries(log))
    batch = [
        content("new", "2019-08-28", [wounded("2019-08-24", 1)]),
        content("recorded", "2019-08-28", [killed("2019-08-24", 40)]),
    ]
    with pytest.raises(InvalidInputError) as error:
        ingest_contents(log, batch)
    (problem,) = error.value.problems
    assert (problem.file, problem.field) == ("recorded.yaml", "id")
    assert "already recorded with different content" in problem.message
    assert (event_count(log), read_entries(log)) == before
    assert log.find_report("new") is None


def test_a_load_with_one_invalid_file_writes_nothing_at_all(open_log: LogOpener, tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    for seed in (RUDAW, ALSHAHID, SEEDS / "aliases.yaml"):
        (dataset / seed.name).write_text(seed.read_text())
    shutil.copytree(SEEDS / "gazetteer", dataset / "gazetteer")  # a gazetteer must lie inside the folder
    (dataset / "zz-broken.yaml").write_text(
        RUDAW.read_text().replace("id: rudaw", "id: broken").replace("count: 7", "count: -7", 1)
    )
    log = open_log()

    def load() -> None:  # what `incidents load` does
        ingest_files(log, [dataset])

    with pytest.raises(InvalidInputError) as error:
        load()
    assert [(Path(p.file).name, p.field) for p in error.value.problems] == [
        ("zz-broken.yaml", "actions[4].count")
    ]
    assert event_count(log) == 0
    assert read_entries(log) == []
    (dataset / "zz-broken.yaml").unlink()
    load()
    assert len(read_entries(log)) == 25


def test_a_lost_race_is_idempotent_or_a_conflict(
    open_log: LogOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers record the same report at once: the loser hits the store's integrity check."""
    winner, loser = open_log(), open_log()
    report_content = content("raced", "2019-08-28", [killed("2019-08-24", 4)])
    record(winner, report_content)
    real_find = loser.find_report
    calls: list[str] = []

    def find_report_after_the_winner(key: str) -> Report | None:
        calls.append(key)
        return None if len(calls) == 1 else real_find(key)  # the loser looked before the winner saved

    monkeypatch.setattr(loser, "find_report", find_report_after_the_winner)
    assert record(loser, report_content) is Outcome.UNCHANGED
    calls.clear()
    with pytest.raises(ReportConflictError):
        record(loser, content("raced", "2019-08-28", [killed("2019-08-24", 5)]))
    assert len(read_entries(winner)) == 1


# --- Reopening -------------------------------------------------------------------------------------


def test_a_reopened_store_sees_everything(open_log: LogOpener, seed_contents: list[ReportContent]) -> None:
    first = open_log()
    ingest_contents(first, seed_contents)
    record(first, awkward_report())
    written = read_entries(first)
    first.close()
    reopened = open_log()
    assert read_entries(reopened) == written
    assert [x.outcome for x in ingest_contents(reopened, seed_contents)] == [Outcome.UNCHANGED] * 2
    assert record(reopened, awkward_report()) is Outcome.UNCHANGED
    assert record(reopened, content("later", "2019-09-01", [killed("2019-08-30", 1)])) is Outcome.RECORDED
    assert read_entries(reopened)[: len(written)] == written
    assert len(read_entries(reopened)) == len(written) + 1


def test_seed_totals_are_the_same_on_every_backend(
    open_log: LogOpener, seed_contents: list[ReportContent]
) -> None:
    log = open_log()
    ingest_contents(log, seed_contents)
    rows = totals_view(read_entries(log), Viewpoint(as_of=date(2019, 8, 28))).rows
    assert [(r["metric"], r["side"], r["best"]) for r in rows] == [
        ("killed", "Federal Police", 1),
        ("killed", "ISIS", 5),
        ("wounded", "Federal Police", 3),
        ("arrested", "ISIS", 7),
    ]


# --- The recorded clock ------------------------------------------------------------------------------


def test_recorded_at_replays_the_store_by_position_and_by_time(open_log: LogOpener) -> None:
    log = open_log()
    record(
        log,
        content("first", "2019-08-28", [killed("2019-08-24", 2, id="a"), killed("2019-08-25", 3, id="b")]),
    )
    record(log, content("second", "2019-08-28", [killed("2019-08-26", 10)]))
    entries = read_entries(log)
    first_entries = [entry for entry in entries if entry.report.key == "first"]
    last_of_first = first_entries[-1]

    def killed_isis(viewpoint: Viewpoint) -> int | None:
        rows = totals_view(entries, viewpoint).rows
        return next((row["best"] for row in rows if row["side"] == ISIS.canonical), None)

    assert killed_isis(Viewpoint()) == 15
    assert killed_isis(Viewpoint(recorded_at=last_of_first.position)) == 5
    assert killed_isis(Viewpoint(recorded_at=last_of_first.position - 1)) == 2
    assert killed_isis(Viewpoint(recorded_at=0)) is None
    assert killed_isis(Viewpoint(recorded_at=last_of_first.recorded)) == 5
    assert killed_isis(Viewpoint(recorded_at=entries[-1].recorded)) == 15
    assert killed_isis(Viewpoint(recorded_at=first_entries[0].recorded.replace(year=2000))) is None
