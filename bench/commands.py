#!/usr/bin/env python3
"""Benchmark: whole-process latency of ``incidents totals`` and ``incidents areas`` (JSON and
table), beside the peer a user has, measured in the same run.

    .venv/bin/python bench/commands.py --sizes 100000 [--runs 10] [--as-of 2019-06-30] [--markdown]

Also run by ``bench/bench.py`` on each SQLite store it builds (``command_figures``).

Each command is a fresh process, as a user runs it (``incidents --db DB totals --format json``
with its output to a pipe), on a store whose read model has caught up. Beside them, in the same
run and interleaved with them run by run (so that a loaded machine weighs on all alike):

- ``python -c "import sqlite3"``: the floor of any Python command;
- **the peer**: a Python script that opens an indexed flat table of the same rows with
  ``sqlite3`` (one row per counted action: metric, side, item, occurred, counts; one per area
  action: area, occurred, status, outlet, quote), asks the same question (sums as of the day;
  each area's latest status as of the day) and prints the rows as JSON.

Figures: the median wall-clock time and the median CPU time (user + system) of each process,
and each command's ratio to its peer. Targets (issue 15): ``totals --format json`` and ``areas
--format json`` within 3x of the peer at 1M events; ``areas`` as a table under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PEER_RATIO = 3.0  # commands within 3x of the peer
TABLE_SECONDS = 0.5  # areas as a table
AS_OF = "2019-06-30"

CLI = "from incidents.cli import run; run()"

# The peer: python + sqlite3 on the flat table, answer as JSON (argv: flat db, day).
PEER_TOTALS = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
columns = ("metric", "side", "item", "low", "best", "high", "events")
rows = db.execute(
    "SELECT metric, side, item, SUM(low), SUM(best), SUM(high), COUNT(*) FROM counted "
    "WHERE occurred <= ? GROUP BY metric, side, item ORDER BY metric, side, item", (sys.argv[2],)
).fetchall()
print(json.dumps({"rows": [dict(zip(columns, row)) for row in rows]}, ensure_ascii=False))
"""
PEER_AREAS = """
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
columns = ("area", "status", "since", "source", "quote")
rows = db.execute(
    "SELECT area, status, MAX(occurred), outlet, quote FROM area_status "
    "WHERE occurred <= ? GROUP BY area ORDER BY area", (sys.argv[2],)
).fetchall()
print(json.dumps({"rows": [dict(zip(columns, row)) for row in rows]}, ensure_ascii=False))
"""


def flat_tables(db: str, flat: str) -> tuple[int, int]:
    """The peer's flat tables, from the store's actions (its export): counted actions and area
    actions, indexed by their date; how many rows each has."""
    from incidents.domain.actions import AreaAction, CountedAction
    from incidents.service import Service

    counted, areas = [], []
    with Service.open(db) as service:
        for exported in service.export():
            action = exported.action
            day = action.occurred.end.isoformat()
            if isinstance(action, CountedAction):
                count = action.count
                counted.append((action.metric.value, action.side.canonical, action.what, day, count.low,
                                count.best, count.high))  # fmt: skip
            elif isinstance(action, AreaAction):
                areas.append(
                    (action.area.label, day, action.status.value, exported.source.outlet, action.quote)
                )
    connection = sqlite3.connect(flat)
    with connection:
        connection.execute("CREATE TABLE counted (metric, side, item, occurred, low, best, high)")
        connection.execute("CREATE TABLE area_status (area, occurred, status, outlet, quote)")
        connection.executemany("INSERT INTO counted VALUES (?, ?, ?, ?, ?, ?, ?)", counted)
        connection.executemany("INSERT INTO area_status VALUES (?, ?, ?, ?, ?)", areas)
        connection.execute("CREATE INDEX counted_occurred ON counted (occurred, metric, side, item)")
        connection.execute("CREATE INDEX area_occurred ON area_status (area, occurred)")
    connection.close()
    return len(counted), len(areas)


def timed_process(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process, its output to a pipe."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


Figure = tuple[str, str, str, str, str]  # figure, value, target, ratio, met (as bench.py prints)


def command_figures(db: str, folder: str, runs: int = 10, as_of: str = AS_OF) -> list[Figure]:
    """The whole-process figures of the commands on the store ``db`` (read model caught up)."""
    flat = str(Path(folder) / "flat.db")
    Path(flat).unlink(missing_ok=True)
    counted, area_rows = flat_tables(db, flat)
    python = sys.executable
    incidents = [python, "-c", CLI, "--db", db]
    commands = {
        "python -c 'import sqlite3'": [python, "-c", "import sqlite3"],
        "peer: totals (python + sqlite3, JSON)": [python, "-c", PEER_TOTALS, flat, as_of],
        "peer: areas (python + sqlite3, JSON)": [python, "-c", PEER_AREAS, flat, as_of],
        "incidents totals --format json": [*incidents, "totals", "--as-of", as_of, "--format", "json"],
        "incidents areas --format json": [*incidents, "areas", "--as-of", as_of, "--format", "json"],
        "incidents areas (table)": [*incidents, "areas", "--as-of", as_of],
        "incidents totals (table)": [*incidents, "totals", "--as-of", as_of],
    }
    for command in commands.values():  # warm the page cache and the bytecode
        timed_process(command)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():  # interleaved: the load weighs on all alike
            times[name].append(timed_process(command))
    wall = {name: statistics.median(t for t, _cpu in found) for name, found in times.items()}
    cpu = {name: statistics.median(c for _t, c in found) for name, found in times.items()}
    peers = {
        "incidents totals --format json": "peer: totals (python + sqlite3, JSON)",
        "incidents areas --format json": "peer: areas (python + sqlite3, JSON)",
        "incidents areas (table)": "peer: areas (python + sqlite3, JSON)",
        "incidents totals (table)": "peer: totals (python + sqlite3, JSON)",
    }
    figures: list[Figure] = [
        (f"flat table rows (counted, area actions); as of {as_of}", f"{counted:,}, {area_rows:,}", "", "", "")
    ]
    for name in commands:
        value = f"{1000 * wall[name]:,.0f} ms wall, {1000 * cpu[name]:,.0f} ms CPU"
        peer = peers.get(name)
        if peer is None:
            figures.append((name, value, "baseline", "", ""))
            continue
        ratio = f"x{wall[name] / wall[peer]:.1f} wall, x{cpu[name] / cpu[peer]:.1f} CPU of its peer"
        if name == "incidents areas (table)":
            target, met = f"< {TABLE_SECONDS} s", wall[name] < TABLE_SECONDS
        elif name.endswith("--format json"):
            target, met = f"<= {PEER_RATIO:.0f}x its peer", wall[name] <= PEER_RATIO * wall[peer]
        else:
            figures.append((name, value, "", ratio, ""))
            continue
        figures.append((name, value, target, ratio, "met" if met else "NOT met"))
    return figures


def prepared_store(size: int, seed: int, folder: str) -> str:
    """A fresh SQLite store with the synthetic log, its read model caught up."""
    import synthetic

    from incidents.application import IncidentLog
    from incidents.ingest import ingest
    from incidents.service import Service
    from incidents.storage.location import parse_location

    db = str(Path(folder) / f"commands-{size}.db")
    log = IncidentLog.open(parse_location(db))
    try:
        ingest(log, lambda: synthetic.reports(size, seed), batch_size=500)
    finally:
        log.close()
    with Service.open(db) as service:
        service.totals()  # the read model catches up
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="stored events, comma-separated")
    parser.add_argument("--runs", type=int, default=10, help="processes of each command")
    parser.add_argument("--as-of", default=AS_OF, type=lambda text: date.fromisoformat(text).isoformat())
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--markdown", action="store_true")
    arguments = parser.parse_args()
    from bench import print_table  # (bench.py's table, as its figures print)

    print(
        f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; "
        f"python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="incidents-commands-", dir="/tmp") as folder:
        for size in (int(text.replace("_", "")) for text in arguments.sizes.split(",")):
            print(f"  [{size:,}] import and read model", file=sys.stderr, flush=True)
            db = prepared_store(size, arguments.seed, folder)
            figures = command_figures(db, folder, arguments.runs, arguments.as_of)
            print_table(f"Commands, whole process, SQLite, {size:,} events", figures, arguments.markdown)
            for file in Path(folder).glob("*.db*"):
                file.unlink()


if __name__ == "__main__":
    main()
