"""The bulk paths (issue 15, items 2-4): import and rebuild beside their raw baselines, the peak
memory of each step, the first query after an import, and a load of the UCDP action table beside
the UCDP import of the same file.

    .venv/bin/python bench/bulk.py --sizes 20000,100000 [--postgres URL] [--ucdp FILE]
    .venv/bin/python bench/bench.py --bulk --sizes ...       (the same, from the main benchmark)

Each step runs in a process of its own (``bench.py``'s workers) and reports its time by the clock
and by CPU (``time.process_time``: this machine is shared, and CPU time is what a step costs
whatever else runs) and its peak RSS (``ru_maxrss``):

- **import**: ``ingest`` of the synthetic input, generated once before the import and held (the
  import's own work: the figure the target is about), then the read model's catch-up that
  ``incidents import`` runs in the same command; and again into a fresh store with the input
  streamed, generated as the import reads it (twice: check and record passes), whose peak RSS
  is the whole process's (``bench.worker_import``);
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


import bench

UCDP_LOAD_RATIO, REBUILD_RSS_MB = 2.0, 200.0


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


def measure(
    backend: str, db: str, size: int, seed: int, folder: str, schema: str
) -> tuple[list[bench.Figure], dict[str, Any]]:
    """The figures of one size, and the raw baseline (for the streamed import's figures)."""

    def say(text: str) -> None:
        print(f"  [bulk {backend} {size:,}] {text}", file=sys.stderr, flush=True)

    say("import (the input held), then the read model")
    imported = bench.run_worker("import", db, size, seed, "held", 1)
    say("first query")
    first = bench.run_worker("first-query", db)
    say("raw baseline")
    raw = (
        bench.run_worker("raw-sqlite", db, folder)
        if backend == "sqlite"
        else bench.run_worker("raw-postgres", db, schema)
    )
    say("rebuild")
    rebuilt = bench.run_worker("rebuild", db)

    raw_select = bench._rate(raw["rows"], raw["select_seconds"])
    raw_select_cpu = bench._rate(raw["rows"], raw["select_cpu"])
    project = imported["project"]
    return [
        *bench.import_figures(imported, raw),
        (
            "  then the read model (same command), s (clock / CPU)",
            f"{project['seconds']:,.1f} / {project['cpu']:,.1f}",
            "",
            "",
            "",
        ),
        ("  peak RSS with the read model, MB", f"{imported['rss_mb']:,.0f}", "", "", ""),
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
        bench._rate_figure(
            "rebuild, events/s (clock)",
            bench._rate(rebuilt["events"], rebuilt["seconds"]),
            raw_select,
            bench.REBUILD_RATIO,
            "raw select",
        ),
        bench._rate_figure(
            "rebuild, events/s (CPU)",
            bench._rate(rebuilt["events"], rebuilt["cpu"]),
            raw_select_cpu,
            bench.REBUILD_RATIO,
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
    ], raw


def measure_streamed(db: str, size: int, seed: int, raw: dict[str, Any]) -> list[bench.Figure]:
    """The import with its input streamed, into a fresh store, beside the same raw insert."""
    print(f"  [bulk {size:,}] import (the input streamed)", file=sys.stderr, flush=True)
    return bench.import_figures(bench.run_worker("import", db, size, seed, "streamed"), raw, baseline=False)


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
                    figures, raw = measure(backend, db, size, seed, folder, schema)
                with bench.fresh_store(backend, folder, size, postgres, "streamed") as (db, _schema):
                    figures += measure_streamed(db, size, seed, raw)
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
    arguments = parser.parse_args()
    sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
    run(
        sizes, arguments.seed, arguments.postgres, not arguments.no_sqlite, arguments.ucdp, arguments.markdown
    )


if __name__ == "__main__":
    main()
