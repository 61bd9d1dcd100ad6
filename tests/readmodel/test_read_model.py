"""The persistent read model, on SQLite and PostgreSQL alike: its answers equal the fold's on
every clock, it is projected exactly once, rebuilt on demand, followed as others write, and
kept off where it must be."""

from __future__ import annotations

import json
import os
import threading
from base64 import b64encode
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from incidents.application import IncidentLog
from incidents.domain.actions import AreaCleared, ClearingStarted, ThreatReported
from incidents.domain.amendments import ActionRef, Amendment, Correction, FieldChange, Retraction
from incidents.domain.values import Place
from incidents.formats.report_file import ReportContent
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.projections.resolution import resolve
from incidents.readmodel import ReadModel, checkpoints, queries, schema, sums
from incidents.readmodel import payloads as payloads_module
from incidents.readmodel.database import Transaction
from incidents.readmodel.follow import follow
from incidents.readmodel.payloads import Payloads
from incidents.readmodel.recent import Recent
from incidents.storage.location import parse_location
from tests.builders import area, content, killed, record, source, span
from tests.command import invoke, position_of
from tests.conftest import ALIASES, ALSHAHID, RUDAW
from tests.readmodel.oracle import differences, folded_totals, running_sums_add_up, viewpoint_grid

R = "rudaw-2019-08-28-will-of-victory-phase-4"
A = "alshahid-2019-07-anti-isis-operations-clear-villages"
DAYS = [None, date(2019, 6, 30), date(2019, 7, 15), date(2019, 7, 31), date(2019, 8, 27), date(2019, 8, 28)]
KNOWN = [None, date(2019, 7, 20), date(2019, 8, 28), date(2019, 8, 29), date(2019, 9, 2)]


@pytest.fixture
def opened(store: str) -> Iterator[tuple[IncidentLog, ReadModel]]:
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    yield log, model
    model.close()
    log.close()


def load(store: str, *paths: object) -> None:
    result = invoke(store, "load", "--aliases", str(ALIASES), *map(str, paths))
    assert result.exit_code == 0, result.output


def amend(store: str) -> None:
    """A correction, a duplicate link, a preference and a retraction, published on three days,
    and a retraction of the correction: every kind of cluster."""
    published = ("--outlet", "Corrections Desk", "--published")
    for args in (
        (
            "correct",
            f"{R}/pmf-statement-killed",
            "--set",
            "count=2",
            "--reason",
            "recount",
            *published,
            "2019-08-29",
        ),
        ("link", f"{R}/phase-4-first-day-killed.2", f"{R}/pmf-statement-killed", "--reason", "same raid"),
        ("prefer", f"{R}/phase-4-first-day-killed.2", "--reason", "itemised", *published, "2019-09-01"),
        ("retract", f"{A}/threat-khairat", "--reason", "misread", *published, "2019-07-25"),
        (
            "correct",
            f"{A}/cleared-nibaa",
            "--set",
            "occurred=2019-08-30",
            "--reason",
            "later",
            *published,
            "2019-08-31",
        ),
    ):
        result = invoke(store, *args)
        assert result.exit_code == 0, result.output


def test_seeds_and_every_kind_of_amendment_read_as_the_fold_on_every_clock(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    load(store, RUDAW, ALSHAHID)
    amend(store)
    log, model = opened
    last = position_of(store)
    viewpoints = viewpoint_grid(DAYS, KNOWN, [None, 5, 30, last - 2])
    assert differences(model, log, viewpoints) == []


def test_a_read_model_caught_up_step_by_step_equals_one_rebuilt(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    log, model = opened
    load(store, RUDAW)
    model.totals(Viewpoint())  # projects Rudaw's report
    load(store, ALSHAHID)
    model.areas(Viewpoint())
    amend(store)
    viewpoints = viewpoint_grid(DAYS, [None, date(2019, 8, 30)], [None, 40])
    step_by_step = [(model.totals(v, ("side",)), model.areas(v)) for v in viewpoints]
    model.rebuild()
    assert [(model.totals(v, ("side",)), model.areas(v)) for v in viewpoints] == step_by_step
    assert differences(model, log, viewpoints) == []


def test_each_action_row_holds_its_entry_rows_recording(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    """``rm_action`` holds one row per ``rm_entry`` row, with the same report key, recorded
    time and sequence, through the amendments' rewrites of their clusters: an entry is rebuilt
    from it alone."""
    _log, model = opened
    load(store, RUDAW, ALSHAHID)
    model.totals(Viewpoint())
    amend(store)  # (each amendment rewrites its cluster's rows)
    model.areas(Viewpoint())
    with model.database.read() as tx:
        entries = tx.rows("SELECT position, report_key, recorded, sequence FROM rm_entry ORDER BY position")
        actions = tx.rows("SELECT position, report_key, recorded, sequence FROM rm_action ORDER BY position")
    assert entries
    assert actions == entries


def test_each_event_is_projected_once_and_the_position_is_the_logs(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    log, model = opened
    load(store, RUDAW, ALSHAHID)
    amend(store)
    model.totals(Viewpoint())
    assert model.position() == position_of(store)
    assert model.catch_up() is None  # nothing new: nothing done
    with model.database.read() as tx:
        rows = tx.value("SELECT COUNT(*) FROM rm_entry")
        distinct = tx.value("SELECT COUNT(DISTINCT ref) FROM rm_entry")
        amendments = tx.value("SELECT COUNT(*) FROM rm_amendment")
        dirty = tx.value("SELECT COUNT(*) FROM rm_dirty")
    ledger = read_ledger(log)
    assert rows == distinct == len(ledger.entries)
    assert amendments == len(ledger.amendments) == 5
    assert dirty == 0


def test_incidents_rebuild_projects_the_whole_log_again(store: str) -> None:
    load(store, RUDAW, ALSHAHID)
    before = invoke(store, "totals", "--as-of", "2019-08-28", "--format", "json")
    result = invoke(store, "rebuild")
    assert result.exit_code == 0, result.output
    assert f"up to position {position_of(store)}" in result.output
    assert "events in" in result.output
    after = invoke(store, "totals", "--as-of", "2019-08-28", "--format", "json")
    assert after.output == before.output
    assert any(row["side"] == "ISIS" for row in json.loads(after.output)["rows"])


def test_follow_projects_what_another_writer_records(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    """On PostgreSQL through the library's subscription; on SQLite by polling."""
    _log, model = opened
    load(store, RUDAW)
    model.catch_up()
    follower_log = IncidentLog.open(parse_location(store))
    follower = ReadModel.open(parse_location(store), follower_log)
    assert follower is not None
    target: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            while not target:
                threading.Event().wait(0.01)
            follow(follower, follower_log, interval=0.05, until_position=target[0])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    load(store, ALSHAHID)
    target.append(position_of(store))
    thread.join(timeout=60)
    follower.close()
    follower_log.close()
    assert not thread.is_alive()
    assert not errors
    with model.database.read() as tx:
        assert schema.position(tx) == target[0]
    assert model.catch_up() is None  # the follower did it all


def test_the_follow_command_stops_at_a_position_for_scripts(store: str) -> None:
    load(store, RUDAW, ALSHAHID)
    result = invoke(store, "follow", "--until-position", str(position_of(store)), "--interval", "0.05")
    assert result.exit_code == 0, result.output
    assert f"position {position_of(store)}" in result.output


def test_a_read_model_of_another_version_is_rebuilt_when_opened(store: str) -> None:
    load(store, RUDAW, ALSHAHID)
    expected = invoke(store, "areas", "--format", "json").output
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    with model.database.write() as tx:
        tx.execute("UPDATE rm_state SET schema_version = '1'")  # the first layout's version
        tx.execute("DELETE FROM rm_timeline")  # what an older version lacked
    model.close()
    log.close()
    assert invoke(store, "areas", "--format", "json").output == expected


def test_a_change_of_the_code_that_writes_the_read_model_rebuilds_it_at_the_next_query(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another version of the code (another fingerprint) finds rows it did not write: the next
    query drops them and projects the log again, once, before it answers."""
    log, model = opened
    load(store, RUDAW, ALSHAHID)
    amend(store)
    viewpoints = viewpoint_grid(DAYS[:3], [None, date(2019, 8, 30)], [None])
    assert differences(model, log, viewpoints, [(), ("side",)]) == []
    with model.database.write() as tx:  # rows the new code would not write so
        tx.execute("UPDATE rm_sums SET low = low + 1000, best = best + 1000, high = high + 1000")
        tx.execute("DELETE FROM rm_timeline")
    monkeypatch.setattr(schema, "SCHEMA_VERSION", "0" * 64)  # as if rows.py had changed

    with model.database.read() as tx:
        assert not model.projector.caught_up(tx)
    assert model.totals(Viewpoint(date(2019, 8, 28))) == folded_totals(
        read_ledger(log), Viewpoint(date(2019, 8, 28))
    )
    with model.database.read() as tx:
        assert schema.version(tx) == "0" * 64
        assert schema.position(tx) == position_of(store)
        assert tx.value("SELECT COUNT(*) FROM rm_entry") == len(read_ledger(log).entries)
        indexes = _indexes(tx)
    assert {"rm_entry_occ_end", "rm_entry_straddle", "rm_entry_area"} <= indexes
    assert differences(model, log, viewpoints) == []
    assert model.catch_up() is None  # once: the same version now


def _indexes(tx: Transaction) -> set[str]:
    return {str(name) for (name,) in tx.rows(*tx.dialect.indexes("rm_entry"))}


def test_the_schema_version_is_a_fingerprint_of_the_code_that_writes_the_tables() -> None:
    modules = schema.writer_modules()
    for writer in ("schema", "rows", "payloads", "timeline", "projector"):
        assert f"incidents.readmodel.{writer}" in modules
    assert any(name.endswith(".transcodings") for name in modules)
    assert "incidents.readmodel.queries" not in modules  # reads, does not write
    assert schema.code_version() == schema.SCHEMA_VERSION
    sources = [(name, schema.module_source(name)) for name in modules]
    assert schema.fingerprint(sources) != schema.SCHEMA_VERSION  # the library's version is in it too
    changed = [
        (name, source + b"\n# a changed line") if name.endswith(".rows") else (name, source)
        for name, source in sources
    ]
    assert schema.fingerprint(changed) != schema.fingerprint(sources)
    assert schema.fingerprint(sources) == schema.fingerprint(list(sources))
    assert len(schema.SCHEMA_VERSION) == 64


def test_the_read_model_stores_data_not_wording(store: str, opened: tuple[IncidentLog, ReadModel]) -> None:
    """No column holds text made for people; the stored actions and sources decode, in the read
    model's compact form (``readmodel.compact``), to the very values of the log."""
    log, model = opened
    load(store, RUDAW, ALSHAHID)
    amend(store)
    model.catch_up()
    ledger = read_ledger(log)
    resolved = {entry.position: entry for entry in resolve(ledger, Viewpoint()).entries}
    with model.database.read() as tx:
        columns = set().union(*(_columns(tx, table) for table in schema.TABLES))
        stored = tx.rows(
            "SELECT e.position, a.action FROM rm_entry e JOIN rm_action a ON a.position = e.position "
            "WHERE e.set_aside = 0"
        )
        sources = dict(tx.rows("SELECT report_key, source FROM rm_report"))
    for wording in ("summary", "occ_text", "pub_text", "since_text", "quote", "label", "outlet_text"):
        assert wording not in columns
    payloads = Payloads(log.mapper)
    assert {p: payloads.decode(a) for p, a in stored} == {p: e.action for p, e in resolved.items()}
    assert {k: payloads.decode(s) for k, s in sources.items()} == {
        e.report.key: e.report.source for e in ledger.entries
    }


def _columns(tx: Transaction, table: str) -> set[str]:
    return {str(name) for (name,) in tx.rows(*tx.dialect.columns(table))}


def test_an_encrypted_store_keeps_no_plaintext_read_model(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("INCIDENTS_CIPHER_KEY", key)
    load(store, RUDAW)
    totals = invoke(store, "totals", "--format", "json")
    assert totals.exit_code == 0
    assert '"ISIS"' in totals.output
    rebuild = invoke(store, "rebuild")
    assert rebuild.exit_code == 1
    assert "keeps no read model: the store is encrypted (INCIDENTS_CIPHER_KEY is set)" in rebuild.output
    log = IncidentLog.open(parse_location(store))
    try:
        assert ReadModel.open(parse_location(store), log) is None
    finally:
        log.close()
    monkeypatch.delenv("INCIDENTS_CIPHER_KEY")
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    from incidents.readmodel.database import ReadModelDatabase

    database = ReadModelDatabase.open(parse_location(store))
    assert database is not None
    with database.read() as tx:
        assert not schema.exists(tx)
    database.close()


def test_the_read_model_can_be_turned_off(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    load(store, RUDAW)
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    assert '"ISIS"' in invoke(store, "totals", "--format", "json").output
    result = invoke(store, "rebuild")
    assert result.exit_code == 1
    assert "INCIDENTS_READ_MODEL is off" in result.output


def test_what_is_remembered_forgets_the_least_recently_used_first() -> None:
    remembered: Recent[str, str] = Recent(6)
    for key in "abcd":
        remembered[key] = key.upper()
    assert remembered.get("a") == "A"  # now the most recent
    assert remembered.get("z") is None
    remembered.make_room(4)  # room for that many more: two must go
    assert [key for key in "abcd" if key in remembered] == ["a", "d"]
    assert remembered.get("d") == "D"  # now the most recent
    remembered.make_room(6, keep=1)  # the answer at hand needs the newest
    assert len(remembered) == 1
    assert "d" in remembered
    remembered.make_room(0)  # within the bound: nothing goes
    assert len(remembered) == 1


@pytest.mark.parametrize("bound", [1, 3, 7])
def test_answers_stay_the_folds_when_the_remembered_entries_overflow(
    store: str, bound: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(store, RUDAW, ALSHAHID)
    monkeypatch.setattr(payloads_module, "REMEMBERED", bound)  # far below one answer's entries
    monkeypatch.setattr(payloads_module, "SHARED", bound)
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    try:
        grid = viewpoint_grid(DAYS, [None, date(2019, 8, 1)], [None])
        assert differences(model, log, grid) == []
        assert differences(model, log, grid) == []  # again, from what was kept
    finally:
        model.close()
        log.close()


def test_a_recorded_at_far_back_scans_and_still_reads_as_the_fold(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When most of the log lies after ``recorded_at`` the answer scans what the viewpoint sees
    instead of correcting the as-of answer (``queries.UNSEEN_SCAN``): the same answer."""
    load(store, RUDAW, ALSHAHID)
    amend(store)
    log, model = opened
    last = position_of(store)
    monkeypatch.setattr(queries, "UNSEEN_SCAN", 1)  # every recorded_at scans ...
    monkeypatch.setattr(queries, "_checkpoint", lambda _tx, _viewpoint: None)  # ... with no checkpoint
    viewpoints = viewpoint_grid(DAYS, [None, date(2019, 8, 30)], [5, 30, last - 2])
    assert differences(model, log, viewpoints, [()]) == []


def _no_scan(*_arguments: object) -> None:
    raise AssertionError("scanned")


@pytest.mark.parametrize("block", [1, 3, 7, 20_000])
def test_a_recorded_at_far_back_reads_its_checkpoint_and_one_block_as_the_fold(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """A recorded_at (a position or a time) with most of the log after it reads the checkpoint
    before it and the rows of one block (``checkpoints``), never scanning: the fold's answer,
    whatever the size of the blocks, with amendments recorded after some of their actions."""
    monkeypatch.setattr(checkpoints, "BLOCK", block)  # (before the read model is written)
    log, model = opened
    load(store, RUDAW)
    model.totals(Viewpoint())
    load(store, ALSHAHID)
    amend(store)
    model.totals(Viewpoint())
    monkeypatch.setattr(queries, "UNSEEN_SCAN", 1)
    monkeypatch.setattr(queries, "_scan_totals", _no_scan)
    monkeypatch.setattr(queries, "_scan_areas", _no_scan)
    times = sorted(entry.recorded for entry in read_ledger(log).entries)
    positions = list(range(0, position_of(store), 3))
    moments = [times[0], times[len(times) // 2], times[-2]]
    viewpoints = viewpoint_grid(DAYS, [None], [*positions, *moments])
    assert differences(model, log, viewpoints, [()]) == []


# An area's transitions recorded out of occurred order: (occurred day of July 2019, status,
# place), one report each, recorded in this order.
_LATE_AND_EARLY = [
    (10, ThreatReported, "Garma"),
    (20, ClearingStarted, "Garma"),
    (5, AreaCleared, "Garma"),
    (25, ThreatReported, "Garma"),
    (26, ThreatReported, "Saqlawiya"),
    (15, ThreatReported, "Garma"),
    (30, ClearingStarted, "Garma"),
    (28, ClearingStarted, "Garma"),
    (12, AreaCleared, "Saqlawiya"),
    (31, ClearingStarted, "Garma"),
    (29, ThreatReported, "Saqlawiya"),
]


@pytest.mark.parametrize("block", [1, 2, 3, 5])
def test_a_checkpoint_adds_its_window_to_an_area_only_in_occurred_order(
    store: str, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The transitions of the window come after the checkpoint's state (its status goes on, or
    a new one begins), or one of them lies among the earlier ones and the area is folded: at
    every position, as of every day, the fold's areas."""
    monkeypatch.setattr(checkpoints, "BLOCK", block)
    monkeypatch.setattr(queries, "UNSEEN_SCAN", 1)
    monkeypatch.setattr(queries, "_scan_areas", _no_scan)
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    try:
        for number, (occurred, kind, name) in enumerate(_LATE_AND_EARLY):
            action = area(kind, f"2019-07-{occurred:02d}", Place(name), f"t{number}")
            record(log, content(f"r{number}", f"2019-08-{number + 1:02d}", [action]))
            if number % 3 == 0:
                model.catch_up()
        days = [None, *(date(2019, 7, d) for d in (4, 11, 16, 21, 25, 27, 29, 30))]
        viewpoints = viewpoint_grid(days, [None], list(range(position_of(store) + 1)))
        assert differences(model, log, viewpoints, [()]) == []
    finally:
        model.close()
        log.close()


# Areas' transitions (status, occurred, published), each its own report: as of 2019-07-20 known
# at 2019-07-25, the one published on 2019-08-20 is taken out of its area's state as of
# 2019-07-20; as of 2019-07-30 known at 2019-07-20, the one occurred on 07-25 is added.
_PUBLISHED_LATE = {
    "Kept": [
        (ThreatReported, "07-01", "07-02"),
        (ClearingStarted, "07-10", "07-11"),
        (ClearingStarted, "07-12", "08-20"),  # (inside the current run)
        (ClearingStarted, "07-14", "07-15"),
    ],
    "Latest late": [
        (ThreatReported, "07-01", "07-02"),
        (ClearingStarted, "07-10", "07-11"),
        (AreaCleared, "07-14", "08-20"),  # (the latest)
    ],
    "Before the run": [
        (ThreatReported, "07-01", "07-02"),
        (ClearingStarted, "07-05", "08-20"),  # (before the run, another status: the run reaches back)
        (ThreatReported, "07-10", "07-11"),
    ],
    "Added": [
        (ThreatReported, "07-01", "07-02"),
        (ClearingStarted, "07-25", "07-19"),  # (after the latest of 07-20)
    ],
}


@pytest.mark.parametrize("tail", [1, 2, 8])
def test_a_known_at_answer_reads_an_area_from_its_latest_counted_transitions_back(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch, tail: int
) -> None:
    """From a viewpoint with ``known_at``, an area some of whose transitions one of the two days
    counts and the other does not (inside its current run, its latest, before the run, after
    it) is read from the latest transition the viewpoint counts back until the run ends, a few
    rows at a time (``_TAIL``): the fold's areas."""
    monkeypatch.setattr(queries, "_TAIL", tail)
    log, model = opened
    for name, transitions in _PUBLISHED_LATE.items():
        for number, (kind, occurred, published) in enumerate(transitions):
            action = area(kind, f"2019-{occurred}", Place(name), f"t{number}")
            record(log, content(f"{name.lower().replace(' ', '-')}-{number}", f"2019-{published}", [action]))
    read: list[str] = []
    original = queries._current_runs

    def current_runs(tx: Transaction, viewpoint: Viewpoint, areas: list[str], *rest: Any) -> object:
        read.extend(areas)
        return original(tx, viewpoint, areas, *rest)

    monkeypatch.setattr(queries, "_current_runs", current_runs)
    model.areas(Viewpoint(date(2019, 7, 20), date(2019, 7, 25)))
    assert sorted(read) == sorted(Place(name).key for name in ("Kept", "Latest late", "Before the run"))
    days = [None, date(2019, 7, 20), date(2019, 7, 30)]
    known = [date(2019, 7, 20), date(2019, 7, 25), date(2019, 8, 25)]
    assert differences(model, log, viewpoint_grid(days, known, [None]), [()]) == []


# Areas whose clusters a viewpoint sees otherwise than as stored: a transition whose occurred
# day a late correction moves (from inside the run to after the latest), one a late retraction
# takes out, and an area spelled two ways, one of them only by a transition later retracted.
_AMENDED_AREAS = {
    "Moved": [
        (ThreatReported, "07-01", "07-02", "Moved"),
        (ClearingStarted, "07-10", "07-11", "Moved"),
        (ClearingStarted, "07-12", "07-13", "Moved"),
        (AreaCleared, "07-14", "07-15", "Moved"),
    ],
    "Spelled": [
        (ThreatReported, "07-01", "07-02", "Spelled"),
        (ClearingStarted, "07-08", "07-09", "SPELLED"),
        (AreaCleared, "07-12", "07-13", "Spelled"),
    ],
}
_AMENDMENTS = [  # (key, published, target report and action, what it does)
    ("moved-later", "2019-08-20", ("moved-2", "t2"), ("occurred", "2019-07-16")),
    ("out-cleared", "2019-08-22", ("moved-3", "t3"), None),
    ("out-spelled", "2019-08-21", ("spelled-1", "t1"), None),
]


@pytest.mark.parametrize("tail", [1, 2, 8])
def test_areas_the_replaced_clusters_touch_read_from_their_latest_rows_as_the_fold(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch, tail: int
) -> None:
    """From a viewpoint that does not know some amendments (known at, recorded at), the areas
    whose amended clusters it sees otherwise than as stored are read from their latest counted
    rows back, the clusters' rows as the viewpoint sees them in place of the stored ones, with
    their spellings as the fold lists them (``_touched_states``): the fold's areas."""
    monkeypatch.setattr(queries, "_TAIL", tail)
    log, model = opened
    for name, transitions in _AMENDED_AREAS.items():
        for number, (kind, occurred, published, written) in enumerate(transitions):
            action = area(kind, f"2019-{occurred}", Place(written), f"t{number}")
            record(log, content(f"{name.lower()}-{number}", f"2019-{published}", [action]))
    for key, published, (report, action_id), change in _AMENDMENTS:
        target = ActionRef(report, action_id)
        amendment: Amendment = (
            Retraction(id="a", target=target)
            if change is None
            else Correction(id="a", target=target, changes=(FieldChange(change[0], span(change[1])),))
        )
        record(
            log, ReportContent(key=key, source=source(published), actions=(amendment,), file=f"{key}.yaml")
        )
    model.catch_up()
    touched: list[str] = []
    original = queries._touched_states

    def touched_states(*arguments: Any) -> Any:
        found = original(*arguments)
        touched.extend(key for key, _part in found)
        return found

    monkeypatch.setattr(queries, "_touched_states", touched_states)
    days = [None, date(2019, 7, 13), date(2019, 7, 15), date(2019, 7, 20)]
    known = [None, date(2019, 7, 20), date(2019, 8, 20), date(2019, 8, 21), date(2019, 8, 25)]
    last = log.recorder.max_notification_id() or 0
    grid = viewpoint_grid(days, known, [None]) + viewpoint_grid(days, [None], list(range(last - 3, last)))
    assert differences(model, log, grid, [()]) == []
    assert {Place("Moved").key, Place("Spelled").key} <= set(touched)


def _checkpoint_rows(model: ReadModel) -> dict[str, list[tuple[object, ...]]]:
    with model.database.read() as tx:
        return {
            table: tx.rows(f"SELECT * FROM {table} ORDER BY 1, 2, 3")
            for table in ("rm_block", "rm_block_sums", "rm_block_total", "rm_checkpoint")
        }


def fill_step_by_step(store: str, model: ReadModel) -> None:
    """The seeds and every kind of amendment, the read model caught up after each of the three."""
    load(store, RUDAW)
    model.totals(Viewpoint())
    load(store, ALSHAHID)
    model.totals(Viewpoint())
    amend(store)
    model.totals(Viewpoint())


def test_the_checkpoints_caught_up_step_by_step_are_those_recomputed_at_once(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each catch-up rewrites the blocks and areas its rows (and the rows its amendments
    rewrite) lie in; a rebuild that recomputes every block at once writes the same rows, and
    each block's running totals add up the blocks' sums to it."""
    monkeypatch.setattr(checkpoints, "BLOCK", 4)
    _log, model = opened
    fill_step_by_step(store, model)
    step_by_step = _checkpoint_rows(model)
    monkeypatch.setattr(checkpoints, "FULL_RESUM", 0)
    model.rebuild()
    rebuilt = _checkpoint_rows(model)
    assert rebuilt == step_by_step
    assert len(rebuilt["rm_block"]) >= 5
    assert rebuilt["rm_checkpoint"]
    running: dict[tuple[object, ...], list[int]] = {}
    expected = set()
    blocks = {int(row[0]) for row in rebuilt["rm_block"]}
    by_block: dict[int, list[tuple[object, ...]]] = {}
    for row in rebuilt["rm_block_sums"]:
        by_block.setdefault(int(str(row[0])), []).append(row)
    for block in range(max(blocks) + 1):
        for row in by_block.get(block, []):
            total = running.setdefault(tuple(row[2:5]), [0] * 7)
            total[:] = [a + int(str(b)) for a, b in zip(total, row[5:], strict=True)]
        expected |= {(block, *key, *values) for key, values in running.items()}
    assert set(rebuilt["rm_block_total"]) == expected


def _sum_rows(model: ReadModel) -> list[tuple[object, ...]]:
    with model.database.read() as tx:
        daily = tx.rows("SELECT * FROM rm_sums ORDER BY period, metric, side, item")
        return daily + tx.rows("SELECT * FROM rm_sum_week ORDER BY starts")


def test_the_sums_caught_up_step_by_step_are_those_recomputed_at_once(
    store: str, opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each report's days rewrite their sums and every week after the first of them; a rebuild
    that recomputes every day at once writes the same rows, and each week adds up the days
    before it (``running_sums_add_up``); the sums as of a day add that week's days up to it."""
    _log, model = opened
    fill_step_by_step(store, model)
    step_by_step = _sum_rows(model)
    monkeypatch.setattr(sums, "FULL_RESUM", 0)
    model.rebuild()
    assert _sum_rows(model) == step_by_step
    weeks = running_sums_add_up(model)
    assert list(weeks) == ["2019-06-24", "2019-08-19", "2019-08-26"]  # (the Mondays of the days')
    with model.database.read() as tx:
        daily = tx.rows("SELECT * FROM rm_sums")
        assert {str(row[0]) for row in daily} == {"2019-06-30", "2019-08-24", "2019-08-27"}
        for day in (date(2019, 6, 20) + timedelta(days=n) for n in range(80)):  # (each week's days)
            expected: dict[tuple[str, str, str], list[int]] = {}
            for period, metric, side, item, *values in daily:
                if str(period) <= day.isoformat():
                    total = expected.setdefault((metric, side, item), [0] * len(values))
                    total[:] = [a + int(b) for a, b in zip(total, values, strict=True)]
            assert sums.sums_as_of(tx, day) == expected, day


def _analysed(model: ReadModel) -> bool:
    """Whether the planner holds statistics of ``rm_entry`` (SQLite's ``sqlite_stat1``,
    PostgreSQL's ``pg_stats`` of the table in this schema, which ANALYZE writes)."""
    with model.database.read() as tx:
        if model.database.dialect.name == "sqlite":
            if not tx.rows("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"):
                return False
            return bool(tx.rows("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'rm_entry'"))
        return bool(
            tx.rows("SELECT 1 FROM pg_stats WHERE tablename = 'rm_entry' AND schemaname = current_schema()")
        )


def test_a_catch_up_that_doubles_the_tables_gives_the_planner_new_statistics(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    """A store fed by ``load`` or ``import`` and then queried is projected by catching up, not
    by a rebuild: without statistics SQLite planned the running sums as a scan of every running
    row (130 ms a totals at 100,000 events, against 3 ms)."""
    _log, model = opened
    model.catch_up()
    assert not _analysed(model)  # (an empty log: nothing to plan for)
    load(store, RUDAW, ALSHAHID)
    model.totals(Viewpoint())
    assert _analysed(model)


def test_the_weeks_of_the_first_and_the_last_day_there_can_be(opened: tuple[IncidentLog, ReadModel]) -> None:
    """Days at both ends of the calendar have weeks (no day follows the last one's)."""
    _log, model = opened
    key = ("killed", "ISIS", "")
    first, last = [1, 1, 0, 1, 1, 0, 0], [2, 2, 0, 2, 1, 0, 0]
    with model.database.write() as tx:
        tx.insert("rm_sums", ("period", *sums.KEY, *sums.SUMMED), [("0001-01-01", *key, *first)])
        tx.insert("rm_sums", ("period", *sums.KEY, *sums.SUMMED), [("9999-12-31", *key, *last)])
        sums._rewrite_weeks(tx, None)
        assert tx.rows("SELECT starts FROM rm_sum_week ORDER BY starts") == [("0001-01-01",), ("9999-12-27",)]
        assert sums.sums_as_of(tx, date.min) == {key: first}
        assert sums.sums_as_of(tx, date(9999, 12, 30)) == {key: first}
        assert sums.sums_as_of(tx, date.max) == {key: [a + b for a, b in zip(first, last, strict=True)]}
        assert sums.sums_as_of(tx, None) == sums.sums_as_of(tx, date.max)


def test_the_sums_as_of_a_day_are_index_searches_without_statistics(tmp_path: Path) -> None:
    """The latest week on or before the day, then its days up to the day: two index searches
    even where the planner has no statistics (no scan of the sums)."""
    store = str(tmp_path / "incidents.db")
    load(store, RUDAW)
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    model.totals(Viewpoint())
    with model.database.write() as tx:
        tx.execute("DROP TABLE IF EXISTS sqlite_stat1")
    model.close()  # (a connection keeps the statistics it read: a new one plans without them)
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    with model.database.read() as tx:
        week = [str(row[-1]) for row in tx.rows("EXPLAIN QUERY PLAN " + sums.WEEK_BEFORE, ("2019-07-15",))]
        days = [
            str(row[-1])
            for row in tx.rows("EXPLAIN QUERY PLAN " + sums.DAYS_BETWEEN, ("2019-07-15", "2019-07-17"))
        ]
    model.close()
    log.close()
    assert [step.split()[0] for step in week + days] == ["SEARCH", "SEARCH"], (week, days)


@pytest.mark.parametrize(
    "viewpoint",
    [
        Viewpoint(as_of=date(2019, 8, 1), known_at=date(2019, 8, 20)),
        Viewpoint(as_of=date(2019, 8, 1), recorded_at=5),
        Viewpoint(
            as_of=date(2019, 8, 1), known_at=date(2019, 8, 20), recorded_at=datetime(2030, 1, 1, tzinfo=UTC)
        ),
    ],
    ids=["known-at", "recorded-at-position", "both-clocks-time"],
)
def test_an_areas_current_run_is_read_from_the_covering_area_index(
    tmp_path: Path, viewpoint: Viewpoint
) -> None:
    """The latest rows of an area a viewpoint counts are read from the area index alone: every
    column they are judged and read by is in it (SQLite takes a partial index as covering only
    when it also holds the column of the index's own condition)."""
    store = str(tmp_path / "incidents.db")
    load(store, ALSHAHID)
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    tail, parameters = queries._run_tail(viewpoint)
    with model.database.read() as tx:
        plan = [
            str(row[-1])
            for row in tx.rows("EXPLAIN QUERY PLAN " + tail, ("Karma", "2019-08-01", *parameters, 8))
        ]
    model.close()
    log.close()
    assert any("COVERING INDEX rm_entry_area" in step for step in plan), plan


def test_running_block_totals_carry_over_a_block_without_rows(
    opened: tuple[IncidentLog, ReadModel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catch-up that starts after a block holding no rows (here a report's registration, with
    blocks of one position) carries the running totals of the block before that, not nothing."""
    monkeypatch.setattr(checkpoints, "BLOCK", 1)
    log, model = opened
    record(log, content("first", "2019-06-01", [killed("2019-06-01", 3)]))
    model.catch_up()
    record(log, content("second", "2019-06-02", [killed("2019-06-02", 2)]))  # (registered: a block)
    model.catch_up()
    record(log, content("third", "2019-06-03", [killed("2019-06-03", 1)]))  # (read from the second's)
    model.catch_up()
    last = log.recorder.max_notification_id() or 0
    for recorded_at in range(1, last + 1):
        assert differences(model, log, [Viewpoint(recorded_at=recorded_at)], [()]) == [], recorded_at
