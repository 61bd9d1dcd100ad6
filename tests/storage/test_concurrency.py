"""Several processes load into one store at once (SQLite file and PostgreSQL schema alike).

Every event is stored exactly once, no report is lost, and a report loaded by several processes at
once is recorded by one of them; the others find it recorded ("unchanged"): the loser of the race
hits the store's uniqueness check, and ``IncidentLog.record_reports`` turns that into "unchanged".
The processes start on a store that does not exist yet, so they also race to create it.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import threading
from collections import Counter
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from incidents.application import IncidentLog, Outcome
from incidents.ingest import ingest_contents, read_reports
from incidents.storage.location import parse_location
from tests.builders import content, killed, record
from tests.conftest import SEEDS
from tests.storage.synthetic import (
    expected_actions,
    incidents_command,
    incidents_env,
    shuffled,
    store_summary,
    write_reports,
)

WORKERS = 6
OWN_REPORTS = 5  # per worker
SHARED_REPORTS = 3  # loaded by every worker


def load_after_barrier(db: str, files: list[str], barrier: Barrier, results: Any) -> None:
    """A worker process: open the store, read its files, wait for the others, then load."""
    try:
        log = IncidentLog.open(parse_location(db))
        try:
            contents = read_reports([Path(file) for file in files])
            barrier.wait(timeout=120)
            loaded = ingest_contents(log, contents)
        finally:
            log.close()
        results.put(("ok", [(item.report.key, item.outcome.value) for item in loaded]))
    except BaseException as error:
        results.put(("error", repr(error)))
        raise


def worker_files(folder: Path, worker: int) -> list[str]:
    own = [worker + WORKERS * n for n in range(OWN_REPORTS)]
    shared = [WORKERS * OWN_REPORTS + n for n in range(SHARED_REPORTS)]
    return shuffled([str(folder / f"report-{n:03d}.yaml") for n in own + shared], seed=worker)


def test_processes_loading_at_once_store_every_event_once(store: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    reports = write_reports(folder, WORKERS * OWN_REPORTS + SHARED_REPORTS)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    workers = [
        context.Process(target=load_after_barrier, args=(store, worker_files(folder, w), barrier, results))
        for w in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [status for status, _ in outcomes] == ["ok"] * WORKERS, outcomes
    assert [worker.exitcode for worker in workers] == [0] * WORKERS

    by_report: dict[str, Counter[str]] = {}
    for _, loaded in outcomes:
        for key, outcome in loaded:
            by_report.setdefault(key, Counter())[outcome] += 1
    assert set(by_report) == set(reports)  # no report lost
    shared = {f"synthetic-{WORKERS * OWN_REPORTS + n:03d}" for n in range(SHARED_REPORTS)}
    for key, counted in by_report.items():
        if key in shared:  # one process recorded it; every other one found it recorded
            assert counted == Counter({"recorded": 1, "unchanged": WORKERS - 1}), key
        else:
            assert counted == Counter({"recorded": 1}), key

    events, _, actions = store_summary(store)
    assert actions == expected_actions(reports)  # every action, each exactly once
    assert events == sum(1 + size for size in reports.values())  # and nothing else


def test_incidents_load_commands_at_once(store: str, tmp_path: Path) -> None:
    """The same, end to end: ``incidents load`` processes, some naming the same report file."""
    folder = tmp_path / "reports"
    reports = write_reports(folder, 12)
    files = sorted(str(path) for path in folder.glob("report-*.yaml"))
    shared = files[-1]
    batches = [[*files[n::4], shared] for n in range(4)]  # the last file is in every batch
    processes = [
        subprocess.Popen(
            incidents_command(store, "load", "--quiet", *batch),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=incidents_env(),
        )
        for batch in batches
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0] * len(batches), outputs

    lines = [line.split() for stdout, _ in outputs for line in stdout.splitlines() if line.endswith(")")]
    outcomes = Counter((words[0], words[1]) for words in lines)
    assert outcomes[("recorded", shared)] == 1
    assert outcomes[("unchanged", shared)] == len(batches) - 1
    assert sum(outcomes[("recorded", file)] for file in files) == len(files)

    events, _, actions = store_summary(store)
    assert actions == expected_actions(reports)
    assert events == sum(1 + size for size in reports.values())


# --- SQLite: writers wait for each other -------------------------------------------------------------


def test_sqlite_writers_wait_for_the_lock_rather_than_fail(tmp_path: Path) -> None:
    """Another process holds SQLite's write lock: a load waits for it, then records."""
    db = str(tmp_path / "incidents.db")
    log = IncidentLog.open(parse_location(db))
    try:
        record(log, content("first", "2019-08-28", [killed("2019-08-24", 1)]))
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the write lock, as a long transaction would hold it
        outcome: list[Outcome | BaseException] = []

        def load() -> None:
            try:
                outcome.append(record(log, content("second", "2019-08-28", [killed("2019-08-25", 2)])))
            except BaseException as error:
                outcome.append(error)

        writer = threading.Thread(target=load)
        writer.start()
        writer.join(timeout=0.5)  # let it reach the lock (if it has not, the test is merely weaker)
        blocker.execute("COMMIT")
        blocker.close()
        writer.join(timeout=120)
        assert outcome == [Outcome.RECORDED]
        assert log.find_report("second") is not None
    finally:
        log.close()


@pytest.mark.parametrize(("setting", "seconds"), [(None, 60), ("7", 7)])
def test_sqlite_waits_up_to_the_lock_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None, seconds: int
) -> None:
    if setting is None:
        monkeypatch.delenv("INCIDENTS_SQLITE_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("INCIDENTS_SQLITE_LOCK_TIMEOUT", setting)
    log = IncidentLog.open(parse_location(str(tmp_path / "incidents.db")))
    try:
        datastore = log.recorder.datastore  # type: ignore[attr-defined]
        with datastore.transaction(commit=False) as cursor:
            cursor.execute("PRAGMA busy_timeout")
            (busy_timeout,) = cursor.fetchone()
            cursor.execute("PRAGMA journal_mode")
            (journal_mode,) = cursor.fetchone()
    finally:
        log.close()
    assert busy_timeout == seconds * 1000
    assert journal_mode == "wal"  # readers never wait for writers


def test_a_bad_lock_timeout_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENTS_SQLITE_LOCK_TIMEOUT", "soon")
    completed = subprocess.run(
        incidents_command(str(tmp_path / "x.db"), "load", str(SEEDS)),
        capture_output=True,
        text=True,
        env=incidents_env(),
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert "INCIDENTS_SQLITE_LOCK_TIMEOUT='soon'" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_new_store_is_put_in_wal_mode_again_when_another_process_holds_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Processes opening a new store together: changing its journal mode can be refused at once
    ("database is locked", which SQLite's wait does not cover); the change is tried again."""
    from incidents.storage import sqlite as backend

    refused: list[str] = []
    connect = sqlite3.connect

    class Busy:
        """A connection whose first journal mode change is refused, as another process's can be."""

        def __init__(self, path: Path, timeout: int) -> None:
            self._connection = connect(path, timeout=timeout)

        def execute(self, sql: str) -> sqlite3.Cursor:
            if sql == "PRAGMA journal_mode=WAL" and not refused:
                refused.append(sql)
                raise sqlite3.OperationalError("database is locked")
            return self._connection.execute(sql)

        def close(self) -> None:
            self._connection.close()

    monkeypatch.setattr(backend.sqlite3, "connect", Busy)
    path = tmp_path / "new.db"
    backend.write_ahead_logged(path, timeout=5)
    monkeypatch.undo()
    assert refused == ["PRAGMA journal_mode=WAL"]
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        check.close()
    log = IncidentLog.open(parse_location(str(path)))  # (the library finds it in WAL mode already)
    try:
        assert record(log, content("r", "2019-08-28", [killed("2019-08-24", 4)])) is Outcome.RECORDED
    finally:
        log.close()
