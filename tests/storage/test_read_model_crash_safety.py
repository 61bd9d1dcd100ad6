"""``incidents rebuild`` killed (SIGKILL) at random points, then resumed, projects each event
exactly once, and the read model then equals the fold.

Each batch of the read model is one transaction with its tracking position. After every kill
the read model holds a row for exactly the actions and amendments up to its committed position
(none lost, none twice); a query then resumes from there, and its answers equal the fold's and
those of a rebuild that ran to the end.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from incidents.application import IncidentLog
from incidents.readmodel import ReadModel
from incidents.storage.location import parse_location
from tests.readmodel.oracle import (
    assert_exactly_once_up_to_the_position,
    committed,
    differences,
    viewpoint_grid,
)
from tests.storage.synthetic import incidents_command, kill_at_random, run_incidents, write_reports

REPORTS = 300
KILLS = 4
BATCH = "3"  # events per transaction: many commits to be killed between


def kill_a_rebuild(db: str, chance: random.Random, by_delay: bool) -> str:
    started = False  # the rebuild has dropped the read model it found

    def reached(target: int) -> bool:
        nonlocal started
        state = committed(db)
        started = started or state is None or state[0] < target
        return started and state is not None and state[0] >= target

    return kill_at_random(
        incidents_command(db, "rebuild", "--batch-size", BATCH),
        chance,
        delays=(0.3, 0.6),  # the command takes about 0.3 s to start, and the rebuild about as long
        targets=(1, 1200),
        reached=reached,
        what="position",
        by_delay=by_delay,
    )


def test_a_killed_rebuild_resumes_to_what_the_fold_says(store: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, REPORTS)
    assert run_incidents(store, "load", "--quiet", str(folder)).returncode == 0
    for args in (
        ("correct", "synthetic-004/action-01", "--set", "count=40", "--reason", "recount"),
        ("link", "synthetic-010/action-00", "synthetic-013/action-00", "--reason", "same"),
        ("retract", "synthetic-020/action-02", "--reason", "misread"),
    ):
        assert run_incidents(store, *args).returncode == 0
    expected = run_incidents(store, "totals", "--as-of", "2019-07-20", "--format", "json").stdout

    chance = random.Random()
    kills = []
    interrupted = 0
    for number in range(KILLS):  # half at a random delay, half at a random position
        kills.append(kill_a_rebuild(store, chance, by_delay=number % 2 == 0))
        interrupted += assert_exactly_once_up_to_the_position(store, kills[-1])
    assert interrupted, f"no kill fell part-way through a rebuild: {kills}"

    resumed = run_incidents(store, "totals", "--as-of", "2019-07-20", "--format", "json")  # catches up
    assert resumed.returncode == 0, (kills, resumed.stderr)
    assert resumed.stdout == expected, kills
    assert_exactly_once_up_to_the_position(store, "after resuming")
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    try:
        days = [None, date(2019, 7, 10), date(2019, 7, 28)]
        viewpoints = viewpoint_grid(days, [None, date(2019, 8, 15)], [None, 300])
        assert differences(model, log, viewpoints, [(), ("side",)]) == [], kills
    finally:
        model.close()
        log.close()
