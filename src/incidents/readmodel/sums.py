"""The counted figures summed by occurred day, and added up week by week: what a total "as of"
a day reads, one row per metric, side and item.

- ``rm_sums``: the sums (low, best, how many have no best, high, events, approximate, unknown)
  of the counted rows that are not set aside, by the day ``period`` their occurred span ends on,
  metric, side and item ('' for none);
- ``rm_sum_week``: for each week (Monday to Sunday) that has ``rm_sums`` rows, the sums of every
  row before its first day ``starts``, all keys in one JSON text (``[[metric, side, item,
  *sums], ...]``).

The sums as of a day (``sums_as_of``) are the latest week's on or before it plus its days up to
the day: one index seek and a range of at most seven days' rows, whatever the length of the log
(where one seek per key, 136 at 100,000 events, took a millisecond; the week's text is decoded in
a tenth of that).

The projector marks the days its batches touch (``rm_dirty``); ``resum`` recomputes their rows
and the weeks after the first of them: an action dated early in the log rewrites every later week.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from incidents.readmodel.database import Transaction

SUMMED = ("low", "best", "best_missing", "high", "events", "approximate", "unknown")
KEY = ("metric", "side", "item")
FULL_RESUM = 50  # marked days beyond which all the sums are recomputed at once (one scan)
_LAST_DAY = "9999-12-31"  # the last occurred day there can be (ISO dates order as text)
_AFTER_EVERY_DAY = "9999-12-32"  # (no ISO day orders after it)

# The figures of the counted rows of one day, per key (``item`` '' for none).
_DAILY = (
    "SELECT occ_end, metric, side, COALESCE(item, ''), SUM(low), SUM(COALESCE(best, 0)), "
    "SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), COUNT(*), SUM(approximate), "
    "SUM(unknown) FROM rm_entry WHERE family = 'counted' AND set_aside = 0"
)
_SELECTED = ", ".join((*KEY, *SUMMED))

# What a total as of a day reads: the latest week on or before it, then the days from that
# week's first to the day (both index ranges, with or without the planner's statistics).
WEEK_BEFORE = "SELECT starts, sums FROM rm_sum_week WHERE starts <= ? ORDER BY starts DESC LIMIT 1"
DAYS_BETWEEN = f"SELECT {_SELECTED} FROM rm_sums WHERE period >= ? AND period <= ?"

Key = tuple[str, str, str]
Sums = dict[Key, list[int]]


def sums_as_of(tx: Transaction, as_of: date | None) -> Sums:
    """The sums of the counted rows whose occurred span ends on or before ``as_of`` (None: all
    of them), by metric, side and item; keys with nothing counted by then are absent."""
    day = _LAST_DAY if as_of is None else as_of.isoformat()
    starts, found = _week_before(tx, day)
    days = tx.rows(DAYS_BETWEEN, (starts, day))
    for metric, side, item, *values in days:
        _add(found, (metric, side, item), values)
    return found


def resum(tx: Transaction, days: Sequence[str]) -> None:
    """Recompute the sums of the occurred days ``days`` (ISO) from the rows, and the weeks they
    change."""
    if len(days) > FULL_RESUM:
        tx.execute("DELETE FROM rm_sums")
        tx.execute(f"INSERT INTO rm_sums {_DAILY} GROUP BY occ_end, metric, side, item")
        _rewrite_weeks(tx, None)
        return
    tx.execute_in("DELETE FROM rm_sums WHERE period IN ({in})", days)
    for day in days:
        tx.execute(
            f"INSERT INTO rm_sums {_DAILY} AND occ_end = ? GROUP BY occ_end, metric, side, item", (day,)
        )
    _rewrite_weeks(tx, min(days))


def _week_start(day: str) -> str:
    """The Monday of the week of the ISO day ``day``."""
    parsed = date.fromisoformat(day)
    return (parsed - timedelta(days=parsed.weekday())).isoformat()


def _rewrite_weeks(tx: Transaction, first: str | None) -> None:
    """Rewrite the weeks from the one holding the day ``first`` on (None: every week): from the
    latest week before that one, add up the daily rows and write each later week that has any,
    with the sums before it."""
    start = "" if first is None else _week_start(first)
    tx.execute("DELETE FROM rm_sum_week WHERE starts >= ?", (start,))
    since, running = _week_before(tx, _LAST_DAY)  # (the latest left)
    daily = tx.rows(f"SELECT period, {_SELECTED} FROM rm_sums WHERE period >= ? ORDER BY period", (since,))
    weeks: list[tuple[str, str]] = []
    following = _following(since)
    for period, metric, side, item, *values in daily:
        if period >= following:  # (the first row of a later week: the sums before it)
            starts = _week_start(period)
            weeks.append((starts, _encoded(running)))
            following = _following(starts)
        _add(running, (metric, side, item), values)
    tx.insert("rm_sum_week", ("starts", "sums"), weeks)


def _week_before(tx: Transaction, day: str) -> tuple[str, Sums]:
    """The first day of the latest week starting on or before ``day`` and the sums before it
    ('' and none if there is no such week)."""
    found = tx.rows(WEEK_BEFORE, (day,))
    return (str(found[0][0]), _decoded(found[0][1])) if found else ("", {})


def _following(starts: str) -> str:
    """The first day of the week after the one starting ``starts`` ('' for before every day)."""
    if not starts:
        return ""
    try:
        return (date.fromisoformat(starts) + timedelta(days=7)).isoformat()
    except OverflowError:  # (the week of date.max: no day follows it)
        return _AFTER_EVERY_DAY


def _add(sums: Sums, key: Key, values: Iterable[Any]) -> None:
    total = sums.get(key)
    if total is None:
        sums[key] = [int(value) for value in values]
    else:
        total[:] = [a + int(b) for a, b in zip(total, values, strict=True)]


def _encoded(sums: Sums) -> str:
    return json.dumps([[*key, *values] for key, values in sorted(sums.items())], separators=(",", ":"))


def _decoded(text: str) -> Sums:
    return {(metric, side, item): values for metric, side, item, *values in json.loads(text)}
