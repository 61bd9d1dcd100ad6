"""The counted figures summed by occurred day, and running through the days: what a total "as
of" a day reads, one row per metric, side and item.

``rm_sums`` holds two grains of the same sums (low, best, how many have no best, high, events,
approximate, unknown) of the counted rows that are not set aside:

- ``'d'``: the rows whose occurred span ends on the day ``period``;
- ``'c'``: the running sums, the rows ending on or before ``period``, one row per day that has
  a ``'d'`` row of the same metric, side and item.

``rm_sum_key`` lists every metric, side and item that has had a ``'d'`` row. The sums as of a
day are, for each key, its ``'c'`` row of the latest day on or before it: one index seek per key
(``sums_as_of``), whatever the length of the log (where adding up years, months and days before
the day read about fifty rows per key).

The projector marks the days its batches touch (``rm_dirty``); ``resum`` recomputes their
``'d'`` rows and, for the keys those days hold (before and after), the running sums from the
first of them on: an action dated early in the log rewrites its keys' running rows after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any

from incidents.readmodel.database import Transaction

SUMMED = ("low", "best", "best_missing", "high", "events", "approximate", "unknown")
KEY = ("metric", "side", "item")
FULL_RESUM = 50  # marked days beyond which all the sums are recomputed at once (one scan)
_LAST_DAY = "9999-12-31"  # after every occurred day (ISO dates order as text)

# The figures of the counted rows of one day, per key (``item`` '' for none).
_DAILY = (
    "SELECT 'd', occ_end, metric, side, COALESCE(item, ''), SUM(low), SUM(COALESCE(best, 0)), "
    "SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), COUNT(*), SUM(approximate), "
    "SUM(unknown) FROM rm_entry WHERE family = 'counted' AND set_aside = 0"
)
_COLUMNS = ("grain", "period", *KEY, *SUMMED)

# Each key's running row of the latest day on or before the parameter.
AS_OF = (
    f"SELECT k.metric, k.side, k.item, {', '.join('c.' + name for name in SUMMED)} "
    # (CROSS JOIN: SQLite then reads the keys first, one seek each, with or without statistics)
    "FROM rm_sum_key k CROSS JOIN rm_sums c WHERE c.grain = 'c' AND c.metric = k.metric "
    "AND c.side = k.side AND c.item = k.item AND c.period = (SELECT MAX(p.period) FROM rm_sums p "
    "WHERE p.grain = 'c' AND p.metric = k.metric AND p.side = k.side AND p.item = k.item "
    "AND p.period <= ?)"
)

Key = tuple[str, str, str]
Sums = dict[Key, list[int]]


def sums_as_of(tx: Transaction, as_of: date | None) -> Sums:
    """The sums of the counted rows whose occurred span ends on or before ``as_of`` (None: all
    of them), by metric, side and item; keys with nothing counted by then are absent."""
    found = tx.rows(AS_OF, (_LAST_DAY if as_of is None else as_of.isoformat(),))
    return {(metric, side, item): [int(v) for v in values] for metric, side, item, *values in found}


def resum(tx: Transaction, days: Sequence[str]) -> None:
    """Recompute the sums of the occurred days ``days`` (ISO) from the rows, and the running
    sums they change."""
    if len(days) > FULL_RESUM:
        tx.execute("DELETE FROM rm_sums")
        tx.execute(f"INSERT INTO rm_sums {_DAILY} GROUP BY occ_end, metric, side, item")
        _add_keys(tx, tx.rows("SELECT DISTINCT metric, side, item FROM rm_sums WHERE grain = 'd'"))
        _write_runs(tx, {}, _daily_rows(tx, "", ()))  # (every key, from nothing)
        return
    keys = set(_keys_on(tx, days))
    tx.execute_in("DELETE FROM rm_sums WHERE grain = 'd' AND period IN ({in})", days)
    for day in days:
        tx.execute(
            f"INSERT INTO rm_sums {_DAILY} AND occ_end = ? GROUP BY occ_end, metric, side, item", (day,)
        )
    new = set(_keys_on(tx, days))
    _add_keys(tx, sorted(new - keys))
    _run(tx, sorted(keys | new), min(days))


def _keys_on(tx: Transaction, days: Sequence[str]) -> Iterator[Key]:
    for metric, side, item in tx.rows_in(
        "SELECT DISTINCT metric, side, item FROM rm_sums WHERE grain = 'd' AND period IN ({in})", days
    ):
        yield str(metric), str(side), str(item)


def _add_keys(tx: Transaction, keys: Iterable[Sequence[str]]) -> None:
    tx.insert("rm_sum_key", KEY, [tuple(key) for key in keys], "ON CONFLICT (metric, side, item) DO NOTHING")


def _run(tx: Transaction, keys: Sequence[Key], first: str) -> None:
    """Rewrite the running sums of ``keys`` from the day ``first`` on: the running row before
    it, plus each later day's sums in turn."""
    for key in keys:
        tx.execute(
            "DELETE FROM rm_sums WHERE grain = 'c' AND metric = ? AND side = ? AND item = ? AND period >= ?",
            (*key, first),
        )
        base = tx.rows(
            f"SELECT {', '.join(SUMMED)} FROM rm_sums WHERE grain = 'c' AND metric = ? AND side = ? "
            "AND item = ? AND period < ? ORDER BY period DESC LIMIT 1",
            (*key, first),
        )
        bases = {key: [int(value) for value in base[0]]} if base else {}
        _write_runs(
            tx,
            bases,
            _daily_rows(tx, "AND metric = ? AND side = ? AND item = ? AND period >= ?", (*key, first)),
        )


def _daily_rows(tx: Transaction, where: str, parameters: Sequence[str]) -> list[tuple[Any, ...]]:
    # (read whole: the running rows are written on the same cursor)
    return tx.rows(
        f"SELECT metric, side, item, period, {', '.join(SUMMED)} FROM rm_sums WHERE grain = 'd' {where} "
        "ORDER BY metric, side, item, period",
        parameters,
    )


def _write_runs(tx: Transaction, bases: Sums, daily: Iterable[tuple[Any, ...]]) -> None:
    """Insert the running rows of the daily rows ``daily`` (ordered by key, then day), each key's
    starting from its ``bases`` row (none: zero)."""
    batch: list[tuple[Any, ...]] = []
    for key, rows in groupby(daily, key=lambda row: (str(row[0]), str(row[1]), str(row[2]))):
        running = list(bases.get(key, [0] * len(SUMMED)))
        for row in rows:
            running = [total + int(value) for total, value in zip(running, row[4:], strict=True)]
            batch.append(("c", row[3], *key, *running))
        if len(batch) >= 5000:
            tx.insert("rm_sums", _COLUMNS, batch)
            batch = []
    tx.insert("rm_sums", _COLUMNS, batch)
