"""The persistent read model, on SQLite and PostgreSQL alike: its answers equal the fold's on
every clock, it is projected exactly once, rebuilt on demand, followed as others write, and
kept off where it must be."""

from __future__ import annotations

import os
import threading
from base64 import b64encode
from collections.abc import Iterator
from datetime import date

import pytest

from incidents.application import IncidentLog
from incidents.projections.clocks import Viewpoint
from incidents.readmodel import ReadModel, schema
from incidents.readmodel.follow import follow
from tests.command import invoke, position_of
from tests.conftest import ALIASES, ALSHAHID, RUDAW
from tests.readmodel.oracle import differences, viewpoint_grid

R = "rudaw-2019-08-28-will-of-victory-phase-4"
A = "alshahid-2019-07-anti-isis-operations-clear-villages"
DAYS = [None, date(2019, 6, 30), date(2019, 7, 15), date(2019, 7, 31), date(2019, 8, 27), date(2019, 8, 28)]
KNOWN = [None, date(2019, 7, 20), date(2019, 8, 28), date(2019, 8, 29), date(2019, 9, 2)]


@pytest.fixture
def opened(store: str) -> Iterator[tuple[IncidentLog, ReadModel]]:
    log = IncidentLog.open(store)
    model = ReadModel.open(store, log)
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
    from incidents.projections.ledger import read_ledger

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
    assert '"side": "ISIS"' in after.output


def test_follow_projects_what_another_writer_records(
    store: str, opened: tuple[IncidentLog, ReadModel]
) -> None:
    """On PostgreSQL through the library's subscription; on SQLite by polling."""
    _log, model = opened
    load(store, RUDAW)
    model.catch_up()
    follower_log = IncidentLog.open(store)
    follower = ReadModel.open(store, follower_log)
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
    log = IncidentLog.open(store)
    model = ReadModel.open(store, log)
    assert model is not None
    with model.database.write() as tx:
        tx.execute("UPDATE rm_state SET schema_version = 0")
        tx.execute("DELETE FROM rm_timeline")  # what an older version lacked
    model.close()
    log.close()
    assert invoke(store, "areas", "--format", "json").output == expected


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
    log = IncidentLog.open(store)
    try:
        assert ReadModel.open(store, log) is None
    finally:
        log.close()
    monkeypatch.delenv("INCIDENTS_CIPHER_KEY")
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    from incidents.readmodel.database import ReadModelDatabase

    database = ReadModelDatabase.open(store)
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
