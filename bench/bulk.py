"""The bulk paths (issue 15, items 2-4): import and rebuild beside their raw baselines, the peak
memory of each step, the first query after an import, and a load of the UCDP action table beside
the UCDP import of the same file.

    .venv/bin/python bench/bulk.py --sizes 20000,100000 [--postgres URL] [--ucdp FILE]
    .venv/bin/python bench/bench.py --bulk --sizes ...       (the same, from the main benchmark)

Each step runs in a process of its own (``bench.py``'s workers where they exist) and reports its
time by the clock and by CPU (``time.process_time``: this machine is shared, and CPU time is what
a step costs whatever else runs) and its peak RSS (``ru_maxrss``):

- **import**: ``ingest`` of the synthetic stream (as ``bench.py``), then the read model's
  catch-up that ``incidents import`` now runs in the same command; the input is generated twice
  (check and record passes), and one generation pass is timed apart, so the import's own work
  is shown without it too;
- **raw**: ``bench.py``'s raw insert of the very rows stored, and raw select + ``json.loads``;
- **first query**: ``Service.totals`` as of the last day, in a fresh process after the import:
  what it pays beyond the query (before, the whole catch-up);
- **rebuild**: ``ReadModel.rebuild()``;
- **UCDP** (with ``--ucdp``): ``incidents import ucdp-ged FILE``, ``export --format csv`` of that
  store, and ``incidents load`` of the CSV into a fresh store, each a whole command; the CPU
  time is the child process's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

import bench

IMPORT_RATIO, REBUILD_RATIO, UCDP_LOAD_RATIO = 0.25, 0.40, 2.0
IMPORT_1M_SECONDS, REBUILD_RSS_MB = 30.0, 200.0


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(started: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clocks()
    return {"seconds": wall - started[0], "cpu": cpu - started[1]}


def worker_import(db: str, size: int, seed: int) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.ingest import ingest
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    location = parse_location(db)
    log = IncidentLog.open(location)
    started = _clocks()
    imported = ingest(log, lambda: synthetic.reports(size, seed), batch_size=bench.BATCH_REPORTS)
    ingested = _since(started)
    rss_ingest = bench.peak_rss_mb()
    model = ReadModel.open(location, log)
    started = _clocks()
    if model is not None:
        model.catch_up()
    projected = _since(started)
    started = _clocks()
    for _ in synthetic.reports(size, seed):
        pass
    generated = _since(started)
    return {
        "ingest": ingested,
        "project": projected,
        "generate": generated,
        "events": log.recorder.max_notification_id() or 0,
        "reports": imported.recorded,
        "rss_ingest_mb": rss_ingest,
        "rss_mb": bench.peak_rss_mb(),
    }


def worker_first_query(db: str) -> dict[str, Any]:
    from incidents.projections.clocks import Viewpoint
    from incidents.service import Service

    started = _clocks()
    with Service.open(db) as service:
        opened = _since(started)
        started = _clocks()
        service.totals(viewpoint=Viewpoint(as_of=synthetic.date_range()[1]))
        first = _since(started)
        started = _clocks()
        service.totals(viewpoint=Viewpoint(as_of=synthetic.date_range()[1]))
        second = _since(started)
    return {"open": opened, "first": first, "second": second, "rss_mb": bench.peak_rss_mb()}


def worker_rebuild(db: str) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    location = parse_location(db)
    log = IncidentLog.open(location)
    model = ReadModel.open(location, log)
    assert model is not None, "no read model for this store"
    started = _clocks()
    caught_up = model.rebuild()
    return {**_since(started), "events": caught_up.events, "rss_mb": bench.peak_rss_mb()}


WORKERS = {"import": worker_import, "first-query": worker_first_query, "rebuild": worker_rebuild}


def run_worker(name: str, *arguments: object) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", name, *map(str, arguments)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(bench.RESULT)]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker {name} failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1][len(bench.RESULT) :])
    return result


def command(*arguments: str, stdout: Any = subprocess.DEVNULL) -> dict[str, float]:
    """An ``incidents`` command, whole: its time by the clock, its CPU time, its peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    code = "import sys; from incidents.cli import run; sys.argv[0] = 'incidents'; run()"
    subprocess.run(
        [sys.executable, "-c", code, *arguments], check=True, stdout=stdout, stderr=subprocess.DEVNULL
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": time.perf_counter() - started, "cpu": cpu, "rss_mb": after.ru_maxrss / 1024}


# --- Figures ----------------------------------------------------------------------------------


def _ratio_row(name: str, rate: float, baseline: float, target: float, of: str) -> bench.Figure:
    return (
        name,
        f"{rate:,.0f}",
        f">= {target:.0%} of {of}",
        f"{rate / baseline:.1%}",
        bench._met(rate >= target * baseline),
    )


def measure(backend: str, db: str, size: int, seed: int, folder: str, schema: str) -> list[bench.Figure]:
    def say(text: str) -> None:
        print(f"  [bulk {backend} {size:,}] {text}", file=sys.stderr, flush=True)

    say("import")
    imported = run_worker("import", db, size, seed)
    say("first query")
    first = run_worker("first-query", db)
    say("raw baseline")
    raw = (
        bench.run_worker("raw-sqlite", db, folder)
        if backend == "sqlite"
        else bench.run_worker("raw-postgres", db, schema)
    )
    say("rebuild")
    rebuilt = run_worker("rebuild", db)

    events = imported["events"]
    raw_insert = bench._rate(raw["rows"], raw["insert_seconds"])
    raw_select = bench._rate(raw["rows"], raw["select_seconds"])
    raw_insert_cpu = bench._rate(raw["rows"], raw["insert_cpu"])
    raw_select_cpu = bench._rate(raw["rows"], raw["select_cpu"])
    ingest, project, generate = imported["ingest"], imported["project"], imported["generate"]
    own_cpu = max(ingest["cpu"] - 2 * generate["cpu"], 1e-9)
    per_million = ingest["seconds"] * 1_000_000 / events
    return [
        ("events stored (reports)", f"{events:,} ({imported['reports']:,})", "", "", ""),
        (
            "raw insert, events/s (clock / CPU)",
            f"{raw_insert:,.0f} / {raw_insert_cpu:,.0f}",
            "baseline",
            "",
            "",
        ),
        _ratio_row(
            "import, events/s (clock)",
            bench._rate(events, ingest["seconds"]),
            raw_insert,
            IMPORT_RATIO,
            "raw insert",
        ),
        _ratio_row(
            "import, events/s (CPU)",
            bench._rate(events, ingest["cpu"]),
            raw_insert_cpu,
            IMPORT_RATIO,
            "raw insert",
        ),
        _ratio_row(
            "  without generating the input (CPU)",
            bench._rate(events, own_cpu),
            raw_insert_cpu,
            IMPORT_RATIO,
            "raw insert",
        ),
        (
            "import time, s (clock / CPU)",
            f"{ingest['seconds']:,.1f} / {ingest['cpu']:,.1f}",
            f"1M < {IMPORT_1M_SECONDS:.0f} s",
            f"{per_million:,.1f} s per 1M",
            bench._met(per_million < IMPORT_1M_SECONDS),
        ),
        ("  generating the input (x2), CPU s", f"{2 * generate['cpu']:,.1f}", "", "", ""),
        (
            "  then the read model (same command), s (clock / CPU)",
            f"{project['seconds']:,.1f} / {project['cpu']:,.1f}",
            "",
            "",
            "",
        ),
        (
            "import peak RSS, MB (ingest / with the read model)",
            f"{imported['rss_ingest_mb']:,.0f} / {imported['rss_mb']:,.0f}",
            "flat as N grows",
            "",
            "",
        ),
        (
            "first query after the import, ms (clock / CPU)",
            f"{1000 * first['first']['seconds']:,.1f} / {1000 * first['first']['cpu']:,.1f}",
            "instant",
            f"before: the catch-up, {project['seconds']:,.1f} s",
            "",
        ),
        ("  the same query again, ms", f"{1000 * first['second']['seconds']:,.1f}", "", "", ""),
        (
            "raw select + json.loads, events/s (clock / CPU)",
            f"{raw_select:,.0f} / {raw_select_cpu:,.0f}",
            "baseline",
            "",
            "",
        ),
        _ratio_row(
            "rebuild, events/s (clock)",
            bench._rate(rebuilt["events"], rebuilt["seconds"]),
            raw_select,
            REBUILD_RATIO,
            "raw select",
        ),
        _ratio_row(
            "rebuild, events/s (CPU)",
            bench._rate(rebuilt["events"], rebuilt["cpu"]),
            raw_select_cpu,
            REBUILD_RATIO,
            "raw select",
        ),
        ("rebuild time, s (clock / CPU)", f"{rebuilt['seconds']:,.1f} / {rebuilt['cpu']:,.1f}", "", "", ""),
        (
            "rebuild peak RSS, MB",
            f"{rebuilt['rss_mb']:,.0f}",
            f"< {REBUILD_RSS_MB:.0f} MB at 1M",
            "",
            bench._met(rebuilt["rss_mb"] < REBUILD_RSS_MB) if size >= 1_000_000 else "",
        ),
    ]


def measure_ucdp(ucdp: Path, folder: str) -> list[bench.Figure]:
    imported_db, loaded_db = Path(folder) / "ucdp-import.db", Path(folder) / "ucdp-load.db"
    table = Path(folder) / "ucdp.csv"
    print("  [bulk ucdp] import, export, load", file=sys.stderr, flush=True)
    imported = command("--db", str(imported_db), "import", "ucdp-ged", str(ucdp))
    with table.open("w", encoding="utf-8") as out:
        command("--db", str(imported_db), "export", "--format", "csv", stdout=out)
    loaded = command("--db", str(loaded_db), "load", str(table))
    return [
        (
            "incidents import ucdp-ged, s (clock / CPU), MB",
            f"{imported['seconds']:,.1f} / {imported['cpu']:,.1f}, {imported['rss_mb']:,.0f}",
            "baseline",
            "",
            "",
        ),
        (
            "incidents load of its action table, s (clock / CPU), MB",
            f"{loaded['seconds']:,.1f} / {loaded['cpu']:,.1f}, {loaded['rss_mb']:,.0f}",
            f"within {UCDP_LOAD_RATIO:.0f}x of the import",
            f"{loaded['cpu'] / imported['cpu']:.2f}x CPU, "
            f"{loaded['seconds'] / imported['seconds']:.2f}x clock",
            bench._met(loaded["cpu"] <= UCDP_LOAD_RATIO * imported["cpu"]),
        ),
    ]


def run(
    sizes: list[int], seed: int, postgres: str | None, sqlite: bool, ucdp: Path | None, markdown: bool
) -> None:
    folder = tempfile.mkdtemp(prefix="incidents-bulk-", dir="/tmp")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {date.today()}; seed {seed}"
    )
    try:
        for backend in (["sqlite"] if sqlite else []) + (["postgres"] if postgres else []):
            for size in sizes:
                with bench.fresh_store(backend, folder, size, postgres, "bulk") as (db, schema):
                    figures = measure(backend, db, size, seed, folder, schema)
                title = "SQLite" if backend == "sqlite" else "PostgreSQL"
                bench.print_table(f"Bulk paths, {title}, {size:,} events", figures, markdown)
        if ucdp is not None:
            bench.print_table(
                "UCDP GED: load of the action table beside the import", measure_ucdp(ucdp, folder), markdown
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--ucdp", type=Path, metavar="FILE", help="a UCDP GED CSV (e.g. /work/shared/data/...)"
    )
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        name, *rest = arguments.worker
        values = [int(value) if value.isdigit() else value for value in rest]
        print(bench.RESULT + json.dumps(WORKERS[name](*values)), flush=True)
        return
    sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
    run(
        sizes, arguments.seed, arguments.postgres, not arguments.no_sqlite, arguments.ucdp, arguments.markdown
    )


if __name__ == "__main__":
    main()
