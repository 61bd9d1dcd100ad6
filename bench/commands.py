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

With a server up (``--server``, the default; ``bench/bench.py`` too): an ``incidents serve`` of
the same store runs beside them, and each command is timed twice in the same loop, answered
here (``--no-server``) and answered by that server (as a user runs it while one is up). A
command answered by the server pays the server's work in its wall-clock time, not in its own
CPU: the server's CPU per command (from ``/proc``) is printed beside it. Before the timings, the
two answers of each command are compared byte for byte.

Figures: the median wall-clock time and the median CPU time (user + system) of each process,
and each command's ratio to its peer. Targets (issue 15): ``totals --format json`` and ``areas
--format json`` within 3x of the peer at 1M events; ``areas`` as a table under 0.5 s. One more
command, without a target: the areas of one province (``--province Ninewa``, with the seeds'
reference data), the answer a user narrows to rather than reading 3,000 rows.

    .venv/bin/python bench/commands.py --db /tmp/b1m/store.sqlite   # a store already built
(copied into a temporary folder first: the server writes its rendezvous file beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
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

# The commands run with their bytecode cached, as an installed package has it (pip compiles it
# at install), even where the shell says not to write it (``PYTHONDONTWRITEBYTECODE``, set on
# some machines): else every command would compile the package's source again, about a tenth
# of a second that no user pays.
COMMAND_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

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


def timed_process(command: list[str], server: int | None = None) -> tuple[float, float, float]:
    """Wall-clock and CPU seconds (user + system) of one process, its output to a pipe, and the
    CPU seconds the process ``server`` spent meanwhile (0 without one)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    served = process_cpu(server)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, env=COMMAND_ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, process_cpu(server) - served


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) the process ``pid`` has used so far (Linux ``/proc``)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def started_server(db: str) -> subprocess.Popen[bytes]:
    """``incidents --db DB serve --port 0``, once it has written its rendezvous file."""
    rendezvous = Path(os.path.realpath(db) + "-server.json")
    server = subprocess.Popen(
        [sys.executable, "-c", CLI, "--db", db, "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=COMMAND_ENV,
    )
    deadline = time.monotonic() + 600
    while not rendezvous.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"incidents serve did not start: {server.communicate()[1].decode()}")
        time.sleep(0.05)
    if json.loads(rendezvous.read_text())["pid"] != server.pid:
        raise SystemExit(f"{rendezvous} is another server's")
    return server


Figure = tuple[str, str, str, str, str]  # figure, value, target, ratio, met (as bench.py prints)


# The commands timed (after ``incidents --db DB``), by name; the peer each is compared with.
QUERIES = {
    "incidents totals --format json": (["totals", "--format", "json"], "totals"),
    "incidents areas --format json": (["areas", "--format", "json"], "areas"),
    "incidents areas (table)": (["areas"], "areas"),
    "incidents totals (table)": (["totals"], "totals"),
    # One province's areas (the synthetic log's areas are placed by the seeds' gazetteer), beside
    # the peer of every area: no target, the cost of asking for less.
    "incidents areas --province Ninewa (table)": (
        [
            "areas",
            "--province",
            "Ninewa",
            "--aliases",
            str(Path(__file__).resolve().parent.parent / "seeds" / "aliases.yaml"),
        ],
        "areas",
    ),
}
SERVED = " (server up)"
# (a province is named through the reference data found where the command runs: never served)
ANSWERED_HERE = {"incidents areas --province Ninewa (table)"}
SERVED_TRIES = 20  # runs of a served command until the server's CPU time moves (by ticks of 10 ms)


def command_figures(
    db: str, folder: str, runs: int = 10, as_of: str = AS_OF, *, server: bool = True
) -> list[Figure]:
    """The whole-process figures of the commands on the store ``db`` (read model caught up),
    answered here, and (``server``) answered by an ``incidents serve`` of the store."""
    flat = str(Path(folder) / "flat.db")
    Path(flat).unlink(missing_ok=True)
    counted, area_rows = flat_tables(db, flat)
    python = sys.executable
    here = [python, "-c", CLI, "--db", db, "--no-server"]
    there = [python, "-c", CLI, "--db", db]
    commands = {
        "python -c 'import sqlite3'": [python, "-c", "import sqlite3"],
        "peer: totals (python + sqlite3, JSON)": [python, "-c", PEER_TOTALS, flat, as_of],
        "peer: areas (python + sqlite3, JSON)": [python, "-c", PEER_AREAS, flat, as_of],
    }
    peers = {}
    for name, (args, peer) in QUERIES.items():
        commands[name] = [*here, *args, "--as-of", as_of]
        peers[name] = f"peer: {peer} (python + sqlite3, JSON)"
        if server and name not in ANSWERED_HERE:
            commands[name + SERVED] = [*there, *args, "--as-of", as_of]
            peers[name + SERVED] = peers[name]
    serving = started_server(db) if server else None
    try:
        figures: list[Figure] = [
            (
                f"flat table rows (counted, area actions); as of {as_of}",
                f"{counted:,}, {area_rows:,}",
                "",
                "",
                "",
            )
        ]
        if serving is not None:
            figures.append(_same_bytes(commands, serving.pid))
        times = _timed(commands, runs, serving.pid if serving else None)
    finally:
        if serving is not None:
            serving.send_signal(signal.SIGTERM)
            serving.communicate(timeout=60)
    wall = {name: statistics.median(t for t, _cpu, _s in found) for name, found in times.items()}
    cpu = {name: statistics.median(c for _t, c, _s in found) for name, found in times.items()}
    served = {name: statistics.median(s for _t, _c, s in found) for name, found in times.items()}
    for name in commands:
        value = f"{1000 * wall[name]:,.0f} ms wall, {1000 * cpu[name]:,.0f} ms CPU"
        if name.endswith(SERVED):
            value += f" (+ {1000 * served[name]:,.0f} ms server CPU)"
        peer = peers.get(name)
        if peer is None:
            figures.append((name, value, "baseline", "", ""))
            continue
        ratio = f"x{wall[name] / wall[peer]:.1f} wall, x{cpu[name] / cpu[peer]:.1f} CPU of its peer"
        if name.startswith("incidents areas (table)"):
            target, met = f"< {TABLE_SECONDS} s", wall[name] < TABLE_SECONDS
        elif "--format json" in name:
            target, met = f"<= {PEER_RATIO:.0f}x its peer", wall[name] <= PEER_RATIO * wall[peer]
        else:
            figures.append((name, value, "", ratio, ""))
            continue
        figures.append((name, value, target, ratio, "met" if met else "NOT met"))
    return figures


def _timed(
    commands: dict[str, list[str]], runs: int, server: int | None
) -> dict[str, list[tuple[float, float, float]]]:
    """Each command ``runs`` times, interleaved run by run (the load weighs on all alike), after
    one run of each to warm the page cache, the bytecode and the server."""
    for command in commands.values():
        timed_process(command, server)
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed_process(command, server))
    return times


def _same_bytes(commands: dict[str, list[str]], server: int) -> Figure:
    """Whether every command prints the same bytes answered here and by the server (and the
    server did answer: it spent CPU on it)."""
    differ = []
    compared = [name for name in QUERIES if name not in ANSWERED_HERE]
    for name in compared:
        here = subprocess.run(commands[name], capture_output=True, check=True, env=COMMAND_ENV)
        served = process_cpu(server)
        for _ in range(SERVED_TRIES):  # (a small answer may take less than a tick of the server's CPU)
            there = subprocess.run(commands[name + SERVED], capture_output=True, check=True, env=COMMAND_ENV)
            if process_cpu(server) != served:
                break
        if (here.stdout, here.stderr) != (there.stdout, there.stderr) or process_cpu(server) == served:
            differ.append(name)
    return (
        "same bytes here and through the server",
        "yes" if not differ else f"NO: {', '.join(differ)}",
        f"{len(compared)} commands",
        "",
        "met" if not differ else "NOT met",
    )


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
    parser.add_argument("--db", help="time the commands on this store (copied first) instead of building one")
    parser.add_argument(
        "--no-server", dest="server", action="store_false", help="time the commands answered here only"
    )
    arguments = parser.parse_args()
    from bench import print_table  # (bench.py's table, as its figures print)

    print(
        f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; "
        f"python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="incidents-commands-", dir="/tmp") as folder:
        if arguments.db:
            db = str(Path(folder) / Path(arguments.db).name)
            print(f"  copying {arguments.db}", file=sys.stderr, flush=True)
            shutil.copyfile(arguments.db, db)
            figures = command_figures(db, folder, arguments.runs, arguments.as_of, server=arguments.server)
            print_table(f"Commands, whole process, SQLite, {arguments.db}", figures, arguments.markdown)
            return
        for size in (int(text.replace("_", "")) for text in arguments.sizes.split(",")):
            print(f"  [{size:,}] import and read model", file=sys.stderr, flush=True)
            db = prepared_store(size, arguments.seed, folder)
            figures = command_figures(db, folder, arguments.runs, arguments.as_of, server=arguments.server)
            print_table(f"Commands, whole process, SQLite, {size:,} events", figures, arguments.markdown)
            for file in Path(folder).glob("*.db*"):
                file.unlink()


if __name__ == "__main__":
    main()
