"""An ``incidents load`` or ``incidents import`` killed (SIGKILL) at random points, then run
again, loses nothing.

Each batch of reports is one transaction (the load's 60 report files are one batch; the import
records ten reports per transaction, so that kills also fall between batches): after every kill
the store holds whole reports only, each event once; after the last, uninterrupted run it holds
exactly what a clean single run does. The kill points are random (a random delay, or a random
number of events already stored); the assertions do not depend on where they fall, or on the
machine's speed.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from tests.formats.ucdp.conftest import SLICE
from tests.storage import raw
from tests.storage.synthetic import (
    expected_actions,
    incidents_command,
    kill_at_random,
    run_incidents,
    store_summary,
    write_reports,
)

REPORTS = 60
KILLS = 4


def stored_event_count(db: str) -> int:
    with raw.connection(db) as plain:
        (count,) = plain.execute(raw.events_statement(db, "SELECT count(*) FROM {events}")).fetchone()
    return int(count)


def table_exists(db: str) -> bool:
    if not raw.is_postgres(db) and not Path(db).exists():
        return False  # (and do not create the file by connecting to it)
    try:
        stored_event_count(db)
    except Exception:
        return False
    return True


def kill_a_load(db: str, folder: Path, chance: random.Random) -> str:
    """Start ``incidents load``; SIGKILL it after a random delay, or once the store holds a random
    number of further events. Says where it was killed (for a failure's message)."""
    return kill_a_run(db, chance, "load", "--quiet", str(folder))


def kill_a_run(db: str, chance: random.Random, *args: str) -> str:
    before = stored_event_count(db) if table_exists(db) else 0
    return kill_at_random(
        incidents_command(db, *args),
        chance,
        delays=(0.1, 0.8),
        targets=(1, 200),
        reached=lambda more: table_exists(db) and stored_event_count(db) >= before + more,
        what="events stored, further:",
    )


def assert_whole_reports(db: str, reports: dict[str, int], where: str) -> None:
    if not table_exists(db):
        return  # killed before the store was created
    events, _, actions = store_summary(db)
    assert set(actions.values()) <= {1}, f"an action stored twice, killed {where}"
    recorded = {key for key, _ in actions}
    for key in recorded:  # never half a report
        assert Counter(k for k, _ in actions if k == key)[key] == reports[key], (
            f"{key} is partial, killed {where}"
        )
    assert events == sum(1 + reports[key] for key in recorded), f"stray events, killed {where}"


def test_a_killed_load_run_again_equals_a_clean_load(store: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    reports = write_reports(folder, REPORTS)
    clean = str(tmp_path / "clean.db")
    assert run_incidents(clean, "load", "--quiet", str(folder)).returncode == 0
    expected = store_summary(clean)
    assert expected[2] == expected_actions(reports)

    chance = random.Random()
    kills = []
    for _ in range(KILLS):
        kills.append(kill_a_load(store, folder, chance))
        assert_whole_reports(store, reports, kills[-1])

    completed = run_incidents(store, "load", "--quiet", str(folder))
    assert completed.returncode == 0, (kills, completed.stderr)
    assert store_summary(store) == expected, kills  # event count, totals, and every action once


IMPORT = ("import", "ucdp-ged", "--quiet", "--batch-size", "10", str(SLICE))


def test_a_killed_import_run_again_equals_a_clean_import(store: str, tmp_path: Path) -> None:
    clean = str(tmp_path / "clean.db")
    assert run_incidents(clean, *IMPORT).returncode == 0
    expected = store_summary(clean)
    reports = Counter(key for key, _ in expected[2])  # each report's number of actions

    chance = random.Random()
    kills = []
    for _ in range(KILLS):
        kills.append(kill_a_run(store, chance, *IMPORT))
        assert_whole_reports(store, reports, kills[-1])

    completed = run_incidents(store, *IMPORT)
    assert completed.returncode == 0, (kills, completed.stderr)
    assert store_summary(store) == expected, kills
