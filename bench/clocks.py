"""Query latency on every clock, by CPU time and by the clock on the wall: ``totals`` and
``areas`` as of random days, and from viewpoints on the reported clock (``known_at`` a few weeks
after the day) and on the recorded clock (``recorded_at`` a random position, and a random time
between the first and the last recorded), in a process that only queries.

Run by ``bench/bench.py`` as its ``clocks`` worker, or alone against any store (it also runs on
older code whose ``ReadModel.open`` takes the ``--db`` text, to compare the same store before
and after a change):

    .venv/bin/python bench/clocks.py DB [QUERIES] [SEED]

CPU time (``time.process_time``) is the figure to compare on a shared machine: it does not count
the time the process waits for a core.
"""

from __future__ import annotations

import gc
import json
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

FIRST, LAST = date(2014, 1, 1), date(2024, 12, 31)  # the synthetic log's ten years
WARM = 5  # queries of each kind run first, not timed (the connection, the page cache)
KNOWN_AT_LATER = 31  # known_at is the day plus up to this many days
P50 = {"totals": 2.0, "areas": 10.0, "known_totals": 50.0, "known_areas": 100.0}  # issue 15, at 1M
P50["recorded_totals"], P50["recorded_areas"] = P50["known_totals"], P50["known_areas"]


def _open(db: str) -> Any:
    from incidents.application import IncidentLog
    from incidents.readmodel import ReadModel

    try:
        from incidents.storage.location import parse_location
    except ImportError:  # older code: the store is named by its text
        log = IncidentLog.open(db)  # type: ignore[arg-type]
        return log, ReadModel.open(db, log)  # type: ignore[arg-type]
    location = parse_location(db)
    log = IncidentLog.open(location)
    return log, ReadModel.open(location, log)


# The collector's thresholds ``incidents.runtime`` gives a serving process, for older code that
# has no such module (the same settings, so that both are measured alike; a test compares them).
SERVING_THRESHOLDS = (50_000, 20, 10)


def _tune_for_serving() -> None:
    try:
        from incidents.runtime import tune_for_serving
    except ImportError:  # older code
        gc.freeze()
        gc.set_threshold(*SERVING_THRESHOLDS)
    else:
        tune_for_serving()


def _figures(cpu: list[float], wall: list[float]) -> dict[str, float]:
    def p99(values: list[float]) -> float:
        ordered = sorted(values)
        return 1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    return {
        "cpu_p50_ms": 1000 * statistics.median(cpu),
        "cpu_p99_ms": p99(cpu),
        "p50_ms": 1000 * statistics.median(wall),
        "p99_ms": p99(wall),
    }


def timed(queries: list[Callable[[], object]]) -> dict[str, float]:
    cpu: list[float] = []
    wall: list[float] = []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        query()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return _figures(cpu, wall)


def _days(rng: random.Random, queries: int) -> tuple[list[date], list[date]]:
    """``WARM + queries`` random days of the synthetic log, and for each a day a few weeks later."""
    days = [FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1)) for _ in range(queries + WARM)]
    return days, [day + timedelta(days=rng.randrange(KNOWN_AT_LATER)) for day in days]


def draw_days(queries: int, seed: int) -> tuple[list[date], list[date]]:
    """The days ``draw_viewpoints`` draws for ``as_of`` and ``known_at`` (for a peer's queries)."""
    return _days(random.Random(seed), queries)


def draw_viewpoints(log: Any, queries: int, seed: int) -> dict[str, list[Any]]:
    """``WARM + queries`` random viewpoints on each clock, by its option's name: as of random
    days of the synthetic log; known at a few weeks after the day; recorded at (half by position,
    half by time, each anywhere in the log)."""
    from incidents.projections.clocks import Viewpoint

    rng = random.Random(seed)
    days, known_at = _days(rng, queries)
    last_position = log.recorder.max_notification_id() or 1
    first_time, last_time = _recorded(log, 1), _recorded(log, last_position)
    known = [Viewpoint(as_of=d, known_at=k) for d, k in zip(days, known_at, strict=True)]
    recorded = [
        Viewpoint(as_of=d, recorded_at=rng.randrange(1, last_position + 1))
        if index % 2
        else Viewpoint(as_of=d, recorded_at=first_time + rng.random() * (last_time - first_time))
        for index, d in enumerate(days)
    ]
    return {"as-of": [Viewpoint(as_of=d) for d in days], "known-at": known, "recorded-at": recorded}


def worker(db: str, queries: int = 30, seed: int = 2014) -> dict[str, Any]:
    log, model = _open(db)
    assert model is not None, "no read model for this store"
    model.catch_up()
    _tune_for_serving()  # (as ``incidents serve`` does once it listens: the process a server is)
    drawn = draw_viewpoints(log, queries, seed)
    found: dict[str, Any] = {}
    for name, viewpoints in (
        ("", drawn["as-of"]),
        ("known_", drawn["known-at"]),
        ("recorded_", drawn["recorded-at"]),
    ):
        for query in ("totals", "areas"):
            method = getattr(model, query)
            for viewpoint in viewpoints[:WARM]:
                method(viewpoint)
            found[f"{name}{query}"] = timed([partial(method, v) for v in viewpoints[WARM:]])
        if name == "":
            found["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            found["anon_mb"] = anonymous_mb()
    found["known_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found["known_anon_mb"] = anonymous_mb()
    found["events"] = log.recorder.max_notification_id() or 1
    return found


def anonymous_mb() -> float | None:
    """The process's own resident memory now (Linux's ``RssAnon``), MB: its peak RSS also counts
    the pages of the store's file it has mapped, which are the system's shared page cache."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _recorded(log: Any, position: int) -> datetime:
    """When the store recorded the event at ``position``."""
    notification = log.recorder.select_notifications(start=position, limit=1)[0]
    return log.mapper.to_domain_event(notification).timestamp.astimezone(UTC)  # type: ignore[no-any-return]


def figures(
    found: dict[str, Any], baseline: dict[str, Any] | None = None
) -> list[tuple[str, str, str, str, str]]:
    """The worker's figures as rows of ``bench.py``'s tables (against a baseline run, if given)."""
    rows = []
    for key, name in (
        ("totals", "totals as of"),
        ("areas", "areas as of"),
        ("known_totals", "totals + known at"),
        ("known_areas", "areas + known at"),
        ("recorded_totals", "totals + recorded at"),
        ("recorded_areas", "areas + recorded at"),
    ):
        mine = found[key]
        ratio = ""
        if baseline is not None:
            ratio = f"{mine['cpu_p50_ms'] / baseline[key]['cpu_p50_ms']:.2f} of the baseline's CPU p50"
        target = f"<= {P50[key]:g} at 1M" if found["events"] >= 1_000_000 else ""
        met = "" if not target else ("met" if mine["cpu_p50_ms"] <= P50[key] else "NOT met")
        rows.append(
            (
                f"{name}, CPU p50 / p99 ms (wall p50)",
                f"{mine['cpu_p50_ms']:.1f} / {mine['cpu_p99_ms']:.1f} ({mine['p50_ms']:.1f})",
                target,
                ratio,
                met,
            )
        )
    rows.append(
        (
            "query process peak RSS (as of / all), MB",
            f"{found['rss_mb']:.0f} / {found['known_rss_mb']:.0f}",
            "",
            "",
            "",
        )
    )
    if found.get("anon_mb") is not None:
        rows.append(
            (
                "query process's own memory after them (RssAnon: not the mapped file), MB",
                f"{found['anon_mb']:.0f} / {found['known_anon_mb']:.0f}",
                "",
                "",
                "",
            )
        )
    return rows


if __name__ == "__main__":
    arguments = [int(a) if a.isdigit() else a for a in sys.argv[1:]]
    print("RESULT " + json.dumps(worker(*arguments)), flush=True)  # type: ignore[arg-type]
