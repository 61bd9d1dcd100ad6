"""Synthetic report files (YAML, docs/data-format.md) and what a store holds after loading them.

The storage-safety tests load many reports from several processes, or kill a load half-way; they
compare what the store holds with what the files say, and with a clean single load.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from incidents.application import IncidentLog
from incidents.projections.clocks import Viewpoint
from incidents.storage.location import parse_location
from tests.builders import read_entries
from tests.views import totals_view

INCIDENTS = Path(sys.executable).parent / "incidents"  # the venv's console script

KINDS = ("killed", "wounded", "arrested")
SIDES = ("ISIS", "Federal Police", "PMF")

ALIASES = """\
actors:
  ISIS: [Daesh]
  Federal Police: [federal police]
  PMF: [Popular Mobilization Forces]
"""


def report_yaml(number: int, actions: int) -> str:
    """Report ``number``, with ``actions`` actions whose counts and dates follow from it."""
    lines = [
        "format: incidents/report v1",
        f"id: synthetic-{number:03d}",
        "source:",
        "  outlet: Synthetic Wire",
        f"  url: https://example.org/synthetic/{number}",
        f"  published: 2019-08-{1 + number % 28:02d}",
        "actions:",
    ]
    for index in range(actions):
        kind = KINDS[(number + index) % len(KINDS)]
        lines += [
            f"  - id: action-{index:02d}",
            f"    type: {kind}",
            f"    occurred: 2019-07-{1 + (number + index) % 28:02d}",
            f"    side: {SIDES[(number // 3 + 2 * index) % len(SIDES)]}",
            f"    count: {1 + (number * 13 + index * 5) % 9}",
            f"    quote: Synthetic report {number}, action {index} ({kind}).",
        ]
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, count: int, *, actions: int = 8, first: int = 0) -> dict[str, int]:
    """Write reports ``first`` .. ``first + count - 1`` (and an aliases.yaml) into ``folder``.

    Returns each report's key and its number of actions (they vary, from 1 to ``actions``)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "aliases.yaml").write_text(ALIASES)
    written: dict[str, int] = {}
    for number in range(first, first + count):
        size = 1 + number % actions
        (folder / f"report-{number:03d}.yaml").write_text(report_yaml(number, size))
        written[f"synthetic-{number:03d}"] = size
    return written


def incidents_command(db: str, *args: str) -> list[str]:
    return [str(INCIDENTS), "--db", db, *args]


def incidents_env() -> dict[str, str]:
    """The environment of an ``incidents`` subprocess: this one's (keys and all), unbuffered."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def run_incidents(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        incidents_command(db, *args),
        capture_output=True,
        text=True,
        env=incidents_env(),
        timeout=300,
        check=False,
    )


def stored_actions(db: str) -> Counter[tuple[str, str]]:
    """How many times each (report key, action id) is in the store: 1 each, if all is well."""
    log = IncidentLog.open(parse_location(db))
    try:
        return Counter((entry.report.key, entry.action.id) for entry in read_entries(log))
    finally:
        log.close()


def expected_actions(reports: dict[str, int]) -> Counter[tuple[str, str]]:
    return Counter((key, f"action-{index:02d}") for key, size in reports.items() for index in range(size))


def store_summary(db: str) -> tuple[int, list[tuple[str, str, object]], Counter[tuple[str, str]]]:
    """The stored event count, the totals as of the reports' dates, and the stored actions."""
    log = IncidentLog.open(parse_location(db))
    try:
        # Counted, not the last position: a PostgreSQL sequence skips the ids of rolled-back inserts.
        events = len(log.recorder.select_notifications(start=1, limit=10**9))
        entries = read_entries(log)
        rows = totals_view(entries, Viewpoint()).rows
        totals = sorted((str(row["metric"]), str(row["side"]), row["best"]) for row in rows)
        return events, totals, Counter((entry.report.key, entry.action.id) for entry in entries)
    finally:
        log.close()


def shuffled(items: list[str], seed: int) -> list[str]:
    result = list(items)
    random.Random(seed).shuffle(result)
    return result


def kill_at_random(
    command: list[str],
    chance: random.Random,
    *,
    delays: tuple[float, float],
    targets: tuple[int, int],
    reached: Callable[[int], bool],
    what: str,
    by_delay: bool | None = None,
) -> str:
    """Start ``command``; SIGKILL it after a random delay, or once ``reached(target)`` holds
    for a random target (``by_delay`` chooses; by chance if None). Says where it was killed (for
    a failure's message)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=incidents_env()
    )
    try:
        if (chance.random() < 0.5) if by_delay is None else by_delay:
            delay = chance.uniform(*delays)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=delay)
            where = f"after {delay:.2f} s"
        else:
            target = chance.randint(*targets)
            while process.poll() is None and not reached(target):
                time.sleep(0.003)
            where = f"at {what} {target}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    return f"{where} (exit {process.returncode})"
