#!/usr/bin/env python3
"""Benchmark: loading and querying a synthetic log, against a raw-sqlite3 baseline in the same run.

    .venv/bin/python bench/bench.py [--events 10000] [--per-report 10]

Prints a table of figures and ratios. The baseline inserts the same actions as JSON rows with
sqlite3 (one transaction per report, as the log does) and reads them back with json.loads; the
ratios say what the event store, transcoding and domain objects cost on top of that.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import attrs

from incidents.application import IncidentLog
from incidents.domain.actions import AreaCleared, Killed, ReportedAction, ThreatReported, Wounded
from incidents.domain.values import DateSpan, Estimate, Name, Place, SourceRef
from incidents.projections.areas import area_states
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_entries
from incidents.projections.totals import totals

SIDES = ["ISIS", "PMF", "Iraqi Army", "Federal Police", "civilians"]
AREAS = [f"Village {n}" for n in range(200)]
START = date(2019, 1, 1)


def synthetic_reports(events: int, per_report: int, seed: int = 7) -> list[tuple[str, SourceRef, list[ReportedAction]]]:
    rng = random.Random(seed)
    reports = []
    for number in range(events // per_report):
        published = START + timedelta(days=rng.randrange(365))
        source = SourceRef(outlet=f"Outlet {number % 40}", url=f"https://example.org/{number}", published=DateSpan.day(published))
        actions: list[ReportedAction] = []
        for index in range(per_report):
            end = published - timedelta(days=rng.randrange(7))
            occurred = DateSpan(end - timedelta(days=rng.choice([0, 0, 0, 2, 9])), end)
            common = {"id": str(index), "occurred": occurred, "quote": "synthetic"}
            kind = rng.random()
            if kind < 0.5:
                low = rng.randrange(10)
                actions.append(Killed(**common, side=Name(rng.choice(SIDES), "x"), count=Estimate(low, low + 1, low + 3)))
            elif kind < 0.7:
                actions.append(Wounded(**common, side=Name(rng.choice(SIDES), "x"), count=Estimate.exactly(rng.randrange(5))))
            elif kind < 0.85:
                actions.append(AreaCleared(**common, area=Place(rng.choice(AREAS))))
            else:
                actions.append(ThreatReported(**common, area=Place(rng.choice(AREAS))))
        reports.append((f"report-{number}", source, actions))
    return reports


def timed(function):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def baseline(reports, folder: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(folder / "raw.db")
    connection.execute("create table events (id integer primary key, report text, state blob)")

    def insert() -> None:
        for key, _source, actions in reports:
            with connection:
                connection.executemany(
                    "insert into events (report, state) values (?, ?)",
                    [(key, json.dumps(attrs.asdict(a), default=str).encode()) for a in actions],
                )

    def select() -> int:
        return sum(1 for (state,) in connection.execute("select state from events") if json.loads(state))

    _, insert_seconds = timed(insert)
    _, select_seconds = timed(select)
    return insert_seconds, select_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--per-report", type=int, default=10)
    parser.add_argument("--queries", type=int, default=20)
    arguments = parser.parse_args()
    reports = synthetic_reports(arguments.events, arguments.per_report)
    count = sum(len(actions) for _, _, actions in reports)
    with tempfile.TemporaryDirectory() as folder:
        raw_insert, raw_select = baseline(reports, Path(folder))
        log = IncidentLog.open(str(Path(folder) / "incidents.db"))
        _, load_seconds = timed(lambda: [log.record_report(key=k, source=s, actions=a, digest=k) for k, s, a in reports])
        entries, read_seconds = timed(lambda: read_entries(log))
        rng = random.Random(1)
        latencies = []
        for _ in range(arguments.queries):
            viewpoint = Viewpoint(as_of=START + timedelta(days=rng.randrange(365)))
            _, seconds = timed(lambda: (totals(entries, viewpoint, ["actor"]), area_states(entries, viewpoint)))
            latencies.append(seconds)
    rows = [
        ("events", f"{count}", ""),
        ("raw sqlite3 insert, events/s", f"{count / raw_insert:,.0f}", "baseline"),
        ("incidents load, events/s", f"{count / load_seconds:,.0f}", f"{raw_insert / load_seconds:.0%} of raw insert"),
        ("raw select + json.loads, events/s", f"{count / raw_select:,.0f}", "baseline"),
        ("incidents read log, events/s", f"{count / read_seconds:,.0f}", f"{raw_select / read_seconds:.0%} of raw select"),
        ("totals+areas fold as of a random date, median ms", f"{statistics.median(latencies) * 1000:.1f}", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {value:>12}  {ratio}")


if __name__ == "__main__":
    main()
