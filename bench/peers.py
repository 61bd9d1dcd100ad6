"""The peer an analyst has: the exported action table in polars (issue 15's "ahead of polars on
the exported CSV, measured in the same run").

``incidents export --format csv`` writes one row per action, amendments applied (docs/cli.md).
An analyst who keeps that file and asks polars instead gets, per day, what this module computes:

- **totals as of a day**: the itemised counts (killed, wounded, arrested, materiel, displaced;
  not claimed totals or strength estimates) whose occurred span ends by the day, summed (low, best, high
  and how many) by type, side and item;
- **areas as of a day**: each area's area actions (threatened, clearing, cleared) whose span
  ends by the day, in occurred order: the last one's status, and since when it has run (the
  start of the trailing run of that status);
- either **known at** a later day too: only the actions whose report was published by then.

The peer knows less than the read model: no span that straddles the day is held uncertain (it is
left out), nothing set aside or clustered after the export is seen, no provenance is kept. It is
the lower bound of what an answer costs on the same rows, not the same answer.

The frame is read and its dates parsed once before anything is timed (the analyst's notebook
does it once); then each query is timed by CPU (``time.process_time``: polars's threads count)
and by the clock.

    .venv/bin/python bench/peers.py CSV [QUERIES] [SEED]

Run by ``bench/bench.py`` beside ``bench/clocks.py``, on the same days (``clocks.draw_days``).
Needs polars (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import clocks
import polars as pl
from attrs import frozen

AREA_TYPES = ("threat_reported", "clearing_started", "area_cleared")
# The actions whose counts add up (a claimed total or a strength estimate is not an event).
ITEMISED = ("killed", "wounded", "arrested", "materiel_seized", "materiel_destroyed", "displaced")
COUNTS = ("count_low", "count_best", "count_high")


def _span(column: str) -> list[pl.Expr]:
    """The start and end dates of a span column: a day, a month (``2019-07``), a year (``2019``)
    or a range (``2019-07-21/2019-07-31``)."""
    text = pl.col(column)
    first = text.str.split("/").list.first()
    last = text.str.split("/").list.last()

    def start_of(part: pl.Expr) -> pl.Expr:
        return (
            pl.when(part.str.len_chars() == 4)
            .then(part + "-01-01")
            .when(part.str.len_chars() == 7)
            .then(part + "-01")
            .otherwise(part)
            .str.to_date("%Y-%m-%d")
        )

    def end_of(part: pl.Expr) -> pl.Expr:
        return (
            pl.when(part.str.len_chars() == 4)
            .then((part + "-12-31").str.to_date("%Y-%m-%d"))
            .when(part.str.len_chars() == 7)
            .then((part + "-01").str.to_date("%Y-%m-%d").dt.month_end())
            .otherwise(part.str.to_date("%Y-%m-%d"))
        )

    return [start_of(first).alias(f"{column}_start"), end_of(last).alias(f"{column}_end")]


@frozen
class Table:
    """The exported action table as the peer keeps it: spans as dates, counts as numbers; the
    itemised counts and the area actions apart, the area actions in each area's occurred order."""

    itemised: pl.DataFrame
    transitions: pl.DataFrame

    @property
    def rows(self) -> int:
        return self.itemised.height + self.transitions.height


def read_table(csv: str | Path) -> Table:
    """The exported action table, read and prepared once."""
    frame = pl.read_csv(csv, infer_schema_length=0).with_columns(  # every column as text, as exported
        *_span("occurred"),
        *_span("published"),
        *(pl.col(name).cast(pl.Int64) for name in COUNTS),
        area_key=pl.col("area").str.to_lowercase(),
        row=pl.int_range(pl.len()),  # the export's order: a report's actions in their order
    )
    itemised = frame.filter(pl.col("type").is_in(ITEMISED))
    transitions = frame.filter(pl.col("type").is_in(AREA_TYPES)).sort(
        "area_key", "occurred_start", "occurred_end", "published_start", "report_id", "row"
    )
    return Table(itemised.rechunk(), transitions.rechunk())


def _known(frame: pl.DataFrame, day: date, known_at: date | None) -> pl.DataFrame:
    """The rows whose span ends by ``day`` (and whose report was published by ``known_at``)."""
    condition = pl.col("occurred_end") <= day
    if known_at is not None:
        condition &= pl.col("published_end") <= known_at
    return frame.filter(condition)


def totals(table: Table, day: date, known_at: date | None = None) -> pl.DataFrame:
    """Itemised counts summed by type, side and item, as of ``day`` (known at ``known_at``)."""
    return (
        _known(table.itemised, day, known_at)
        .group_by("type", "side", "item")
        .agg(*(pl.col(name).sum().alias(name.removeprefix("count_")) for name in COUNTS), events=pl.len())
        .sort("type", "side", "item", nulls_last=True)
    )


def areas(table: Table, day: date, known_at: date | None = None) -> pl.DataFrame:
    """Each area's last status as of ``day`` (known at ``known_at``), and since when it has run."""
    counted = _known(table.transitions, day, known_at)  # (a filter keeps the areas' order)
    changed = (pl.col("type") != pl.col("type").shift()) | (pl.col("area_key") != pl.col("area_key").shift())
    last_run = pl.col("run") == pl.col("run").max()
    return (
        counted.with_columns(run=changed.fill_null(True).cum_sum())
        .group_by("area_key")
        .agg(
            area=pl.col("area").last(),
            province=pl.col("province").last(),
            status=pl.col("type").last(),
            since=pl.col("occurred_start").filter(last_run).first(),
            source=pl.col("outlet").filter(last_run).first(),
        )
        .sort("province", "area_key", nulls_last=True)
    )


def worker(csv: str, queries: int = 30, seed: int = 2014) -> dict[str, Any]:
    """CPU and wall p50/p99 of each query over ``clocks.draw_days``'s days, as ``bench/clocks.py``
    times the read model's (its first ``clocks.WARM`` days run first, untimed)."""
    started = time.perf_counter()
    table = read_table(csv)
    found: dict[str, Any] = {"read_seconds": time.perf_counter() - started, "rows": table.rows}
    days, known = clocks.draw_days(queries, seed)
    for name, known_at in (("", [None] * len(days)), ("known_", known)):
        for query_name, query in (("totals", totals), ("areas", areas)):
            calls = [partial(query, table, day, at) for day, at in zip(days, known_at, strict=True)]
            for call in calls[: clocks.WARM]:
                call()
            found[f"{name}{query_name}"] = clocks.timed(calls[clocks.WARM :])
    found["area_rows"] = areas(table, days[-1]).height
    found["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return found


PEERED = (("totals", "totals as of"), ("areas", "areas as of"))
PEERED += (("known_totals", "totals + known at"), ("known_areas", "areas + known at"))


def figures(mine: dict[str, Any], peer: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """The peer's figures as rows of ``bench.py``'s tables, with the read model's CPU p50 (from
    ``bench/clocks.py``'s worker, the same days) as a multiple of the peer's."""
    rows = [
        (
            "polars on the exported CSV: rows, read + dates parsed (s)",
            f"{peer['rows']:,} ({peer['read_seconds']:.1f})",
            "",
            "",
            "",
        )
    ]
    for key, name in PEERED:
        ratio = mine[key]["cpu_p50_ms"] / peer[key]["cpu_p50_ms"]
        rows.append(
            (
                f"  polars {name}, CPU p50 / p99 ms (wall p50)",
                f"{peer[key]['cpu_p50_ms']:.1f} / {peer[key]['cpu_p99_ms']:.1f} ({peer[key]['p50_ms']:.1f})",
                "the read model ahead",
                f"read model x{ratio:.2f} of it",
                "met" if ratio <= 1 else "NOT met",
            )
        )
    rows.append(("  polars process peak RSS, MB", f"{peer['rss_mb']:.0f}", "", "", ""))
    return rows


if __name__ == "__main__":
    arguments = [int(a) if a.isdigit() else a for a in sys.argv[1:]]
    print("RESULT " + json.dumps(worker(*arguments)), flush=True)  # type: ignore[arg-type]
