#!/usr/bin/env python3
"""Benchmark: ``incidents changes --since`` the last events of a large log, beside baselines
measured in the same run.

    .venv/bin/python bench/changes.py --sizes 100000,1000000 [--last 1000] [--repeat 20]

For each size (stored events), on a fresh SQLite store filled with the synthetic log
(``bench/synthetic.py``: about 1.7% of its reports amend earlier ones):

- **changes**: ``Service.changes(since=last - N)``: the last N events read from the
  notification log in batches, each amendment among them with what it changed (its cluster
  found through the read model and read back by position); cold (the first call of a fresh
  service, read model already caught up) and warm (p50 of ``--repeat`` calls);
- **raw read** (baseline): the same N notifications selected and decoded into domain events
  with the store's own mapper, nothing else: the least any answer has to do;
- **fold** (baseline): reading the whole log back (``read_ledger``), what a change feed that
  folded the log would pay before answering anything (and what ``--known-since``, which is not
  the log's order, does pay); skipped above ``--no-fold-above`` events (its memory).

The figures are printed as a table (``--markdown`` for docs/performance.md). The store, the
read model's catch-up and the import are set up first and not timed into the figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

TARGET_SECONDS = 1.0  # "well under a second" at 1M events, for the last 1,000


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = function()
    return time.perf_counter() - started, answer


def measure(
    size: int, last: int, repeat: int, seed: int, folder: Path, fold: bool = True
) -> list[tuple[str, float, str]]:
    from incidents.application import IncidentLog
    from incidents.ingest import ingest
    from incidents.projections.ledger import read_ledger
    from incidents.service import Service
    from incidents.storage.location import parse_location

    db = str(folder / f"changes-{size}.db")
    log = IncidentLog.open(parse_location(db))
    import_seconds, _ = _timed(lambda: ingest(log, lambda: synthetic.reports(size, seed), batch_size=500))
    events = log.recorder.max_notification_id() or 0
    since = max(0, events - last)
    with Service.open(db) as service:
        catch_up_seconds, _ = _timed(lambda: service.totals())  # (a query catches the read model up)
    print(
        f"  {events:,} events: import {import_seconds:.1f} s, read model {catch_up_seconds:.1f} s", flush=True
    )

    with Service.open(db) as service:
        cold, answer = _timed(lambda: service.changes(since=since))
        warm = [_timed(lambda: service.changes(since=since))[0] for _ in range(repeat)]
    amendments = sum(1 for change in answer.entries if change.kind != "stated")
    effects = sum(len(change.effects) for change in answer.entries)

    def raw() -> int:
        decoded = 0
        for notification in log.recorder.select_notifications(start=since + 1, limit=last):
            log.mapper.to_domain_event(notification)
            decoded += 1
        return decoded

    raw_runs = [_timed(raw)[0] for _ in range(repeat)]
    folded = _timed(lambda: read_ledger(log)) if fold else None
    log.close()
    raw_p50 = statistics.median(raw_runs)
    warm_p50 = statistics.median(warm)
    met = "yes" if cold < TARGET_SECONDS and warm_p50 < TARGET_SECONDS else "no"
    what = f"{len(answer.entries)} statements, {amendments} amendments, {effects} effects"
    figures = [
        (f"changes --since last {last:,}: cold", cold, f"{cold / raw_p50:.1f}x raw; under 1 s: {met}"),
        (f"changes --since last {last:,}: warm p50", warm_p50, f"{warm_p50 / raw_p50:.1f}x raw ({what})"),
        (f"raw read of those {last:,} events (baseline)", raw_p50, "select + decode only"),
    ]
    if folded is not None:
        fold_seconds, ledger = folded
        figures.append(
            (
                f"fold: read the whole log (baseline, {len(ledger.entries):,} actions)",
                fold_seconds,
                f"{fold_seconds / warm_p50:.0f}x the change feed",
            )
        )
    return figures


def print_table(title: str, figures: list[tuple[str, float, str]], markdown: bool) -> None:
    if markdown:
        print(f"\n**{title}**\n\n| figure | seconds | against the baseline |\n| --- | ---: | --- |")
        for name, seconds, note in figures:
            print(f"| {name} | {seconds:.4f} | {note} |")
        return
    print(f"\n{title}")
    for name, seconds, note in figures:
        print(f"  {name:<58} {seconds:>9.4f} s   {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="stored events, comma-separated")
    parser.add_argument("--last", type=int, default=1000, help="how many of the last events to ask for")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument(
        "--no-fold-above", type=int, default=200_000, help="skip the fold baseline above this many events"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="incidents-bench-changes-") as folder:
        for size in (int(text) for text in arguments.sizes.split(",")):
            print(f"SQLite, {size:,} events:", flush=True)
            fold = size <= arguments.no_fold_above
            figures = measure(size, arguments.last, arguments.repeat, arguments.seed, Path(folder), fold)
            print_table(f"SQLite, {size:,} events", figures, arguments.markdown)


if __name__ == "__main__":
    main()
