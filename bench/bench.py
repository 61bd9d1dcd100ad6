#!/usr/bin/env python3
"""Benchmark: import, read-model rebuild and "as of" queries on a synthetic log, beside a raw baseline.

    .venv/bin/python bench/bench.py --sizes 10000,100000,1000000 [--postgres URL] [--queries 300]
        [--no-fold-above N] [--markdown]

For each backend (SQLite always, PostgreSQL with ``--postgres``) and each size (stored events),
in one run:

- **import**: ``ingest`` of the synthetic stream (``bench/synthetic.py``) into a fresh store, in
  a process of its own (``worker_import``). The input is generated once before the import and
  held, so that the import's own work is timed (by the clock and by CPU), beside the raw insert
  below; its peak RSS is printed with the RSS of the input held, their difference being the
  import's own. (``bench/bulk.py`` also imports the input streamed, generated as it is read.)
- **raw baseline**: the very rows the import stored (the store's own events table, read in
  chunks) inserted into a plain table ``(id, originator_id, version, topic, state)`` with
  ``executemany``, one transaction per ``ingest.BATCH_SIZE`` reports as the import commits them
  (raw ``sqlite3`` into a fresh file, or ``psycopg`` into the same PostgreSQL schema); then
  ``select state`` and ``json.loads`` of every row. Only the inserts and commits are timed, not
  reading the source.
- **rebuild**: ``ReadModel.rebuild()`` (drop, then project the whole log), with its peak RSS.
- **latency**: ``totals`` and ``areas`` as of random dates over the data's ten years
  (``--queries`` each), p50 and p99, in a process that opens the store and only queries (its
  peak RSS is the query memory); a few with ``known_at`` too, reported without a target.
- **clocks**: ``bench/clocks.py``: the same queries as of, known at and recorded at (by position
  and by time), by CPU time, against the issue's targets at 1M.
- **fold**: the pure fold (``read_ledger``, ``resolve``, then ``totals``/``area_states``) as of a few of
  those dates, in a process of its own: the speed-up of the read model over it, and whether
  the read model's answers equal the fold's (skipped above ``--no-fold-above`` events).
- **peer** (SQLite; with polars, the bench extra): the store exported as an action table
  (``incidents export --format csv``), then totals and areas as of (and known at) the clocks'
  days computed by polars on it (``bench/peers.py``): the read model's CPU p50 as a multiple of
  the peer's, the issue's "ahead of polars on the exported CSV".
- **commands** (SQLite): ``totals`` and ``areas`` as whole processes, JSON and table, beside
  ``python -c "import sqlite3"`` and python + sqlite3 on a flat table (``bench/commands.py``).

Each worker is this script run again with ``--worker``; it prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import clocks
import commands
import synthetic

RESULT = "RESULT "
FOLD_DATES = 5
KNOWN_AT_QUERIES = 30
CHUNK = 10_000  # rows read from the store at a time for the baseline

# Targets (the words).
IMPORT_RATIO = 0.25  # of the raw insert rate
IMPORT_1M_SECONDS = 30.0
REBUILD_RATIO = 0.40  # of raw select + JSON decoding
P50_MS, P99_MS = 5.0, 25.0
QUERY_RSS_MB = 500.0


# --- Workers (each in a process of its own) ----------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clocks_now() -> tuple[float, float]:
    """The clock and the process's CPU time, to be given to ``since``."""
    return time.perf_counter(), time.process_time()


def since(started: tuple[float, float]) -> dict[str, float]:
    """The time since ``started`` (``clocks_now``) by the clock and by CPU, in seconds."""
    wall, cpu = clocks_now()
    return {"seconds": wall - started[0], "cpu": cpu - started[1]}


def worker_import(db: str, size: int, seed: int, given: str = "held", project: int = 0) -> dict[str, Any]:
    """``ingest`` of the synthetic stream into a fresh store, as ``incidents import`` runs it.

    ``given`` is how the input reaches the import:

    - ``held``: generated once, before the import is timed, and held in memory (as parsed
      reports), so that what is timed is the import's own work, as when it reads a file that
      costs little to parse. The held reports are moved out of the cycle collector's sight
      (``gc.freeze``): no real input is a million objects held for the import's lifetime, and
      without it each full collection during the import walks all of them (0.5 s of the import's
      2.3 s CPU at 100k). Its peak RSS includes the input; ``rss_input_mb`` is the RSS before
      the import, so the import's own memory is the difference.
    - ``streamed``: generated as the import reads it, twice (its check and record passes), as a
      dataset read from a file twice: its peak RSS is the whole process, streaming. One pass of
      the generator alone is timed after the import (``generate``).

    With ``project``, the read model's catch-up follows, as ``incidents import`` runs it.
    """
    from incidents.application import IncidentLog
    from incidents.ingest import ingest
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    location = parse_location(db)
    log = IncidentLog.open(location)
    if given == "held":
        started = clocks_now()
        held = list(synthetic.reports(size, seed))
        generated = since(started)
        gc.freeze()

        def read() -> Any:
            return held

    elif given == "streamed":

        def read() -> Any:
            return synthetic.reports(size, seed)

    else:
        raise SystemExit(f"the input is given held or streamed, not {given!r}")
    rss_input = peak_rss_mb()
    started = clocks_now()
    imported = ingest(log, read)  # (its batches: ingest.BATCH_SIZE reports per transaction)
    ingested = since(started)
    rss_ingest = peak_rss_mb()
    projected = None
    if project:
        model = ReadModel.open(location, log)
        started = clocks_now()
        if model is not None:
            model.catch_up()
        projected = since(started)
    if given == "streamed":
        started = clocks_now()
        for _ in synthetic.reports(size, seed):
            pass
        generated = since(started)
    return {
        "given": given,
        "ingest": ingested,
        "generate": generated,
        "project": projected,
        "events": log.recorder.max_notification_id() or 0,
        "reports": imported.recorded,
        "rss_input_mb": rss_input,
        "rss_ingest_mb": rss_ingest,
        "rss_mb": peak_rss_mb(),
    }


def _sqlite_rows(db: str, table: str) -> Iterator[list[tuple[Any, ...]]]:
    source = sqlite3.connect(db)
    last = 0
    while rows := source.execute(
        f"SELECT rowid, originator_id, originator_version, topic, state FROM {table} "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?",
        (last, CHUNK),
    ).fetchall():
        yield rows
        last = rows[-1][0]
    source.close()


def _postgres_rows(url: str, schema: str, table: str) -> Iterator[list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(_plain_url(url)) as source:
        last = 0
        while rows := source.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f'FROM "{schema}"."{table}" WHERE notification_id > %s ORDER BY notification_id LIMIT %s',
            (last, CHUNK),
        ).fetchall():
            yield rows
            last = rows[-1][0]


def _report_batches(chunks: Iterator[list[tuple[Any, ...]]]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows in the import's transactions: ``ingest.BATCH_SIZE`` reports (originators) at a time."""
    from incidents.ingest import BATCH_SIZE

    batch: list[tuple[Any, ...]] = []
    reports, previous = 0, None
    for chunk in chunks:
        for row in chunk:
            if row[1] != previous:
                previous = row[1]
                reports += 1
                if reports > BATCH_SIZE:
                    yield batch
                    batch, reports = [], 1
            batch.append(row)
    if batch:
        yield batch


def worker_raw_sqlite(db: str, folder: str) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.storage.location import parse_location

    table = IncidentLog.open(parse_location(db)).recorder.events_table_name
    raw = sqlite3.connect(Path(folder) / "raw.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")  # as the library's SQLite datastore opens its file
    raw.execute(
        "CREATE TABLE raw_events (id INTEGER PRIMARY KEY, originator_id TEXT, version INTEGER, "
        "topic TEXT, state BLOB)"
    )
    insert = insert_cpu = rows = 0.0
    for batch in _report_batches(_sqlite_rows(db, table)):
        started, cpu = time.perf_counter(), time.process_time()
        raw.execute("BEGIN")
        raw.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?, ?)", batch)
        raw.execute("COMMIT")
        insert += time.perf_counter() - started
        insert_cpu += time.process_time() - cpu
        rows += len(batch)
    started, cpu = time.perf_counter(), time.process_time()
    decoded = sum(1 for (state,) in raw.execute("SELECT state FROM raw_events") if json.loads(state))
    select, select_cpu = time.perf_counter() - started, time.process_time() - cpu
    raw.close()
    (Path(folder) / "raw.db").unlink()
    return {
        **{"insert_seconds": insert, "select_seconds": select, "rows": rows, "decoded": decoded},
        **{"insert_cpu": insert_cpu, "select_cpu": select_cpu},
    }


def worker_raw_postgres(url: str, schema: str) -> dict[str, Any]:
    import psycopg

    from incidents.application import IncidentLog
    from incidents.storage.location import parse_location

    table = IncidentLog.open(parse_location(url)).recorder.events_table_name
    insert = insert_cpu = rows = 0.0
    with psycopg.connect(_plain_url(url)) as raw:
        raw.execute(
            f'CREATE TABLE "{schema}".raw_events (id BIGINT PRIMARY KEY, originator_id UUID, '
            "version BIGINT, topic TEXT, state BYTEA)"
        )
        raw.commit()
        for batch in _report_batches(_postgres_rows(url, schema, table)):
            started, cpu = time.perf_counter(), time.process_time()
            with raw.cursor() as cursor:
                cursor.executemany(f'INSERT INTO "{schema}".raw_events VALUES (%s, %s, %s, %s, %s)', batch)
            raw.commit()
            insert += time.perf_counter() - started
            insert_cpu += time.process_time() - cpu
            rows += len(batch)
        started, cpu = time.perf_counter(), time.process_time()
        decoded = 0
        with raw.cursor(name="raw_select") as cursor:
            cursor.itersize = CHUNK
            cursor.execute(f'SELECT state FROM "{schema}".raw_events')
            for (state,) in cursor:
                decoded += bool(json.loads(state))
        raw.commit()
        select, select_cpu = time.perf_counter() - started, time.process_time() - cpu
        raw.execute(f'DROP TABLE "{schema}".raw_events')
        raw.commit()
    return {
        **{"insert_seconds": insert, "select_seconds": select, "rows": rows, "decoded": decoded},
        **{"insert_cpu": insert_cpu, "select_cpu": select_cpu},
    }


def worker_rebuild(db: str) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    location = parse_location(db)
    log = IncidentLog.open(location)
    model = ReadModel.open(location, log)
    assert model is not None, "no read model for this store"
    started = clocks_now()
    caught_up = model.rebuild()
    return {**since(started), "events": caught_up.events, "rss_mb": peak_rss_mb()}


def worker_export(db: str, csv: str) -> dict[str, Any]:
    """``incidents export --format csv`` of the whole store (the peer's input, ``bench/peers.py``)."""
    from incidents.cli import main

    started = clocks_now()
    main.main(["--db", db, "export", "--format", "csv", "--output", csv], standalone_mode=False)
    return {**since(started), "rss_mb": peak_rss_mb()}


def worker_peer(csv: str, queries: int, seed: int) -> dict[str, Any]:
    import peers  # (polars: the bench extra)

    return peers.worker(csv, queries, seed)


def worker_first_query(db: str) -> dict[str, Any]:
    """The first query after an import, in a fresh process (``Service.totals`` as of the last
    day), then the same again: what the first pays beyond the query."""
    from incidents.projections.clocks import Viewpoint
    from incidents.service import Service

    started = clocks_now()
    with Service.open(db) as service:
        opened = since(started)
        started = clocks_now()
        service.totals(viewpoint=Viewpoint(as_of=synthetic.date_range()[1]))
        first = since(started)
        started = clocks_now()
        service.totals(viewpoint=Viewpoint(as_of=synthetic.date_range()[1]))
        second = since(started)
    return {"open": opened, "first": first, "second": second, "rss_mb": peak_rss_mb()}


def query_dates(count: int, seed: int) -> list[date]:
    rng = random.Random(seed)
    first, last = synthetic.date_range()
    return [first + timedelta(days=rng.randrange((last - first).days + 1)) for _ in range(count)]


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "max_ms": 1000 * ordered[-1],
    }


def _timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def worker_queries(db: str, queries: int, seed: int) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.projections.clocks import Viewpoint
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    location = parse_location(db)
    log = IncidentLog.open(location)
    model = ReadModel.open(location, log)
    assert model is not None, "no read model for this store"
    model.catch_up()
    days = query_dates(queries, seed)
    for day in days[:5]:  # warm the connection and the page cache
        model.totals(Viewpoint(as_of=day))
        model.areas(Viewpoint(as_of=day))
    totals = [_timed(lambda d=day: model.totals(Viewpoint(as_of=d))) for day in days]
    areas = [_timed(lambda d=day: model.areas(Viewpoint(as_of=d))) for day in days]
    as_of_rss = peak_rss_mb()  # before the known-at queries, which scan rows (no target)
    rng = random.Random(seed + 1)
    known = [Viewpoint(as_of=day, known_at=day + timedelta(days=rng.randrange(31))) for day in days]
    known = known[:KNOWN_AT_QUERIES]
    known_totals = [_timed(lambda v=viewpoint: model.totals(v)) for viewpoint in known]
    known_areas = [_timed(lambda v=viewpoint: model.areas(v)) for viewpoint in known]
    sample = model.areas(Viewpoint(as_of=days[0]))
    return {
        "totals": _percentiles(totals),
        "areas": _percentiles(areas),
        "known_totals": _percentiles(known_totals),
        "known_areas": _percentiles(known_areas),
        "area_rows": len(sample.states),
        "rss_mb": as_of_rss,
        "known_rss_mb": peak_rss_mb(),
    }


def worker_fold(db: str, queries: int, seed: int) -> dict[str, Any]:
    from incidents.application import IncidentLog
    from incidents.projections.areas import area_states
    from incidents.projections.clocks import Viewpoint
    from incidents.projections.ledger import Ledger, read_ledger
    from incidents.projections.resolution import resolve
    from incidents.projections.totals import totals as fold_totals
    from incidents.readmodel import ReadModel
    from incidents.storage.location import parse_location

    def fold_totals_of(ledger: Ledger, viewpoint: Viewpoint) -> Any:
        return fold_totals(resolve(ledger, viewpoint).entries, viewpoint)

    def fold_areas_of(ledger: Ledger, viewpoint: Viewpoint) -> Any:
        return area_states(resolve(ledger, viewpoint).entries, viewpoint)

    location = parse_location(db)
    log = IncidentLog.open(location)
    model = ReadModel.open(location, log)
    assert model is not None, "no read model for this store"
    started = time.perf_counter()
    ledger = read_ledger(log)
    read_seconds = time.perf_counter() - started
    days = query_dates(queries, seed)[:FOLD_DATES]
    totals, areas, differences = [], [], []
    for day in days:
        viewpoint = Viewpoint(as_of=day)
        started = time.perf_counter()
        folded_totals = fold_totals_of(ledger, viewpoint)
        totals.append(time.perf_counter() - started)
        started = time.perf_counter()
        folded_areas = fold_areas_of(ledger, viewpoint)
        areas.append(time.perf_counter() - started)
        if model.totals(viewpoint) != folded_totals:
            differences.append(f"totals as of {day}")
        if model.areas(viewpoint) != folded_areas:
            differences.append(f"areas as of {day}")
    # One viewpoint with known_at, where the read model resolves clusters again with the fold.
    known = Viewpoint(as_of=days[0], known_at=days[0] + timedelta(days=10))
    if model.totals(known) != fold_totals_of(ledger, known):
        differences.append(f"totals {known}")
    if model.areas(known) != fold_areas_of(ledger, known):
        differences.append(f"areas {known}")
    return {
        "read_ledger_seconds": read_seconds,
        "totals_ms": 1000 * statistics.median(totals),
        "areas_ms": 1000 * statistics.median(areas),
        "compared": 2 * len(days) + 2,
        "differences": differences,
        "rss_mb": peak_rss_mb(),
    }


WORKERS: dict[str, Callable[..., dict[str, Any]]] = {
    "import": worker_import,
    "raw-sqlite": worker_raw_sqlite,
    "raw-postgres": worker_raw_postgres,
    "rebuild": worker_rebuild,
    "first-query": worker_first_query,
    "queries": worker_queries,
    "fold": worker_fold,
    "clocks": clocks.worker,
    "export": worker_export,
    "peer": worker_peer,
}


def run_worker(name: str, *arguments: object) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", name, *map(str, arguments)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker {name} failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1][len(RESULT) :])
    return result


# --- PostgreSQL schemas ------------------------------------------------------------------------


def _plain_url(url: str) -> str:
    return urlunparse(urlparse(url)._replace(query=""))


def _schema_url(url: str, schema: str) -> str:
    return urlunparse(urlparse(url)._replace(query=urlencode({"schema": schema})))


def create_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(_plain_url(url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(_plain_url(url), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextmanager
def fresh_store(
    backend: str, folder: str, size: int, postgres: str | None, prefix: str = "bench"
) -> Iterator[tuple[str, str]]:
    """A fresh store for one size, removed afterwards: a SQLite file in ``folder``, or a
    PostgreSQL schema of its own; its ``--db`` value and its schema's name."""
    schema = f"{prefix}_{os.getpid()}_{size}"
    if backend == "sqlite":
        db = str(Path(folder) / f"{prefix}-{size}.db")
    else:
        assert postgres is not None
        db = _schema_url(postgres, schema)
        create_schema(postgres, schema)
    try:
        yield db, schema
    finally:
        if backend == "sqlite":
            for file in Path(folder).glob(f"{prefix}-{size}.db*"):
                file.unlink()
        elif postgres is not None:
            drop_schema(postgres, schema)


# --- One size on one backend -----------------------------------------------------------------


Figure = tuple[str, str, str, str, str]  # figure, value, target, ratio, met


def _rate_figure(name: str, rate: float, baseline: float, target: float, of: str) -> Figure:
    """A rate beside its baseline, with the share of it that the target asks for."""
    return (
        name,
        f"{rate:,.0f}",
        f">= {target:.0%} of {of}",
        f"{rate / baseline:.1%}",
        _met(rate >= target * baseline),
    )


def _met(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT met")


def _rate(events: float, seconds: float) -> float:
    return events / seconds if seconds else float("inf")


def import_figures(imported: dict[str, Any], raw: dict[str, Any], baseline: bool = True) -> list[Figure]:
    """The import (``worker_import``) beside the raw insert of the very rows it stored, measured
    in the same run: rates by CPU (what it costs, whatever else runs on the machine) and by the
    clock, the time for a million events, and its peak RSS; with ``baseline``, the events
    stored and the raw insert's rates first."""
    events, ingest = imported["events"], imported["ingest"]
    raw_insert = _rate(raw["rows"], raw["insert_seconds"])
    raw_insert_cpu = _rate(raw["rows"], raw["insert_cpu"])
    big = events >= 1_000_000
    per_million = ingest["seconds"] * 1_000_000 / events
    held = imported["given"] == "held"
    given = "input held" if held else "input streamed, generated twice as it is read"
    figures: list[Figure] = []
    if baseline:
        figures += [
            ("events stored (reports)", f"{events:,} ({imported['reports']:,})", "", "", ""),
            (
                "raw insert, events/s (clock / CPU)",
                f"{raw_insert:,.0f} / {raw_insert_cpu:,.0f}",
                "baseline",
                "",
                "",
            ),
        ]
    figures += [
        _rate_figure(
            f"import ({given}), events/s (CPU)",
            _rate(events, ingest["cpu"]),
            raw_insert_cpu,
            IMPORT_RATIO,
            "raw insert",
        ),
        _rate_figure(
            "  by the clock, events/s",
            _rate(events, ingest["seconds"]),
            raw_insert,
            IMPORT_RATIO,
            "raw insert",
        ),
        (
            "  import time, s (clock / CPU)",
            f"{ingest['seconds']:,.1f} / {ingest['cpu']:,.1f}",
            f"1M events < {IMPORT_1M_SECONDS:.0f} s (clock)",
            f"{per_million:,.1f} s per 1M",
            _met(per_million < IMPORT_1M_SECONDS) if big else "",
        ),
    ]
    generate = imported["generate"]["cpu"]
    if held:
        own = imported["rss_ingest_mb"] - imported["rss_input_mb"]
        figures += [
            ("  generating the input (once, before), CPU s", f"{generate:,.1f}", "", "", ""),
            (
                "  peak RSS, MB: the process / the input held / the import's own",
                f"{imported['rss_ingest_mb']:,.0f} / {imported['rss_input_mb']:,.0f} / {own:,.0f}",
                "flat as N grows",
                "",
                "",
            ),
        ]
    else:
        figures += [
            ("  of which generating the input (x2), CPU s", f"{2 * generate:,.1f}", "", "", ""),
            (
                "  peak RSS, MB (the whole process)",
                f"{imported['rss_ingest_mb']:,.0f}",
                "flat as N grows",
                "",
                "",
            ),
        ]
    return figures


def measure(
    backend: str, db: str, size: int, arguments: argparse.Namespace, folder: str, schema: str
) -> list[Figure]:
    seed = arguments.seed

    def say(text: str) -> None:
        print(f"  [{backend} {size:,}] {text}", file=sys.stderr, flush=True)

    say("import")
    imported = run_worker("import", db, size, seed, "held")
    say(f"import: {imported['ingest']['seconds']:.1f} s; raw baseline")
    if backend == "sqlite":
        raw = run_worker("raw-sqlite", db, folder)
    else:
        raw = run_worker("raw-postgres", db, schema)
    say("rebuild")
    rebuilt = run_worker("rebuild", db)
    say(f"rebuild: {rebuilt['seconds']:.1f} s; queries")
    queried = run_worker("queries", db, arguments.queries, seed)
    on_every_clock = run_worker("clocks", db, arguments.queries, seed)
    folded = None
    if size <= arguments.no_fold_above:
        say("fold")
        folded = run_worker("fold", db, arguments.queries, seed)

    raw_select = _rate(raw["rows"], raw["select_seconds"])
    rebuild_rate = _rate(rebuilt["events"], rebuilt["seconds"])
    figures = import_figures(imported, raw)
    figures += [
        ("raw select + json.loads, events/s", f"{raw_select:,.0f}", "baseline", "", ""),
        _rate_figure("read-model rebuild, events/s", rebuild_rate, raw_select, REBUILD_RATIO, "raw select"),
        ("rebuild time, s", f"{rebuilt['seconds']:,.1f}", "", "", ""),
        ("rebuild peak RSS, MB", f"{rebuilt['rss_mb']:,.0f}", "", "", ""),
    ]
    for name, key in (("totals", "totals"), ("areas", "areas")):
        figures += _latency(f"{name} as of, ms", queried[key], folded and folded[f"{name}_ms"])
    figures += [
        (
            "totals as of + known at, p50 / p99 ms",
            f"{queried['known_totals']['p50_ms']:.1f} / {queried['known_totals']['p99_ms']:.1f}",
            "",
            "",
            "",
        ),
        (
            "areas as of + known at, p50 / p99 ms",
            f"{queried['known_areas']['p50_ms']:.1f} / {queried['known_areas']['p99_ms']:.1f}",
            "",
            "",
            "",
        ),
        ("areas per answer", f"{queried['area_rows']:,}", "", "", ""),
        (
            "query process peak RSS (as of), MB",
            f"{queried['rss_mb']:,.0f}",
            f"< {QUERY_RSS_MB:.0f} MB",
            "",
            _met(queried["rss_mb"] < QUERY_RSS_MB),
        ),
        ("  after the known-at queries, MB", f"{queried['known_rss_mb']:,.0f}", "", "", ""),
        *clocks.figures(on_every_clock),
    ]
    figures += peer_figures(db, folder, on_every_clock, arguments, say)
    if folded is None:
        figures.append(("read model == fold", "not run (--no-fold-above)", "", "", ""))
    else:
        same = not folded["differences"]
        figures += [
            ("fold: read_ledger, s", f"{folded['read_ledger_seconds']:,.1f}", "", "", ""),
            ("fold peak RSS, MB", f"{folded['rss_mb']:,.0f}", "", "", ""),
            (
                "read model == fold",
                "yes" if same else f"NO: {len(folded['differences'])} differ ({folded['differences'][0]})",
                f"{folded['compared']} answers",
                "",
                _met(same),
            ),
        ]
    if backend == "sqlite":  # whole processes, beside python + sqlite3 (bench/commands.py)
        say("commands")
        figures += commands.command_figures(db, folder, arguments.command_runs)
    return figures


def peer_figures(
    db: str, folder: str, mine: dict[str, Any], arguments: argparse.Namespace, say: Callable[[str], None]
) -> list[Figure]:
    """The polars peer on the store's exported action table (``bench/peers.py``), on the days of
    ``bench/clocks.py``'s worker (``mine``), if polars is installed."""
    if importlib.util.find_spec("polars") is None:
        return [("polars on the exported CSV", "not run (polars: pip install -e '.[bench]')", "", "", "")]
    import peers

    say("export, and the polars peer")
    csv = os.path.join(folder, "actions.csv")
    exported = run_worker("export", db, csv)
    peer = run_worker("peer", csv, arguments.queries, arguments.seed)
    os.remove(csv)
    export_figure = ("incidents export --format csv, s", f"{exported['seconds']:,.1f}", "", "", "")
    return [export_figure, *peers.figures(mine, peer)]


def _latency(name: str, found: dict[str, float], fold_ms: float | None) -> list[Figure]:
    p50, p99 = found["p50_ms"], found["p99_ms"]
    rows: list[Figure] = [
        (f"{name} p50", f"{p50:.1f}", f"<= {P50_MS:.0f}", "", _met(p50 <= P50_MS)),
        (f"{name} p99", f"{p99:.1f}", f"<= {P99_MS:.0f}", "", _met(p99 <= P99_MS)),
    ]
    if fold_ms is not None:
        speed_up = f"x{fold_ms / p50:,.0f} speed-up"
        rows.append((f"{name} by the fold (median)", f"{fold_ms:,.1f}", "", speed_up, ""))
    return rows


# --- Output -------------------------------------------------------------------------------------

HEADER = ("figure", "value", "target", "ratio", "met")


def print_table(title: str, figures: list[Figure], markdown: bool) -> None:
    if markdown:
        print(f"\n#### {title}\n")
        print("| " + " | ".join(HEADER) + " |")
        print("| " + " | ".join("---" for _ in HEADER) + " |")
        for row in figures:
            print("| " + " | ".join(cell.strip() for cell in row) + " |")
        return
    widths = [max(len(row[i]) for row in [HEADER, *figures]) for i in range(len(HEADER))]
    print(f"\n{title}")
    print("  ".join(cell.ljust(width) for cell, width in zip(HEADER, widths, strict=True)))
    print("  ".join("-" * width for width in widths))
    for row in figures:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored events, comma-separated")
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL (a fresh schema per size)")
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    parser.add_argument("--queries", type=int, default=300, help="as-of queries of each kind")
    parser.add_argument(
        "--no-fold-above", type=int, default=10**12, metavar="N", help="skip the fold above N events"
    )
    parser.add_argument("--command-runs", type=int, default=10, help="processes of each command (SQLite)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--bulk", action="store_true", help="the bulk paths instead (bench/bulk.py)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.bulk:
        import bulk

        sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
        bulk.run(sizes, arguments.seed, arguments.postgres, not arguments.no_sqlite, None, arguments.markdown)
        return
    if arguments.worker:
        name, *rest = arguments.worker
        function = WORKERS[name]
        values = [int(value) if value.isdigit() else value for value in rest]
        print(RESULT + json.dumps(function(*values)), flush=True)
        return

    sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
    backends = ([] if arguments.no_sqlite else ["sqlite"]) + (["postgres"] if arguments.postgres else [])
    folder = tempfile.mkdtemp(prefix="incidents-bench-", dir="/tmp")
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; seed {arguments.seed}")
    try:
        for backend in backends:
            for size in sizes:
                with fresh_store(backend, folder, size, arguments.postgres) as (db, schema):
                    figures = measure(backend, db, size, arguments, folder, schema)
                title = "SQLite" if backend == "sqlite" else "PostgreSQL"
                print_table(f"{title}, {size:,} events", figures, arguments.markdown)
                sys.stdout.flush()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
