"""Checkpoints by position: what the as-of structures hold for the log before each multiple of
``BLOCK``, so that a ``recorded_at`` far back is answered by index, corrected by the rows of one
block at most.

The log is cut into blocks of ``BLOCK`` positions (block ``position // BLOCK``); checkpoint ``k``
is the log before position ``k * BLOCK`` (blocks ``0 .. k - 1``). A viewpoint that sees every
row before ``k * BLOCK`` and none from ``(k + 1) * BLOCK`` on (``queries``) is the checkpoint plus
the rows of block ``k`` it sees: the *window*, read by position.

- ``rm_block``: each block's first and last recorded times, from which a ``recorded_at`` time
  finds its checkpoint (and whether the log's times are in order around it).
- ``rm_block_sums``: the counted figures of each block by occurred day, per metric, side and
  item (the ``'d'`` grain of ``sums``, cut by block); ``rm_block_total``: the running totals of
  every block up to each, one row per block and key. The sums of checkpoint ``k`` as of a day D
  are either the sums as of D less the later blocks' days up to D (``sums.sums_as_of``), or
  the checkpoint's totals less its blocks' days after D: whichever reads fewer rows. As
  reports are recorded roughly in the order things happen, one of the two is a few rows (the
  late reports of days before D, or the early ones of days after it) and the other most of the
  log.
- ``rm_checkpoint``: per checkpoint and area that has transitions from it on, the latest
  occurred end of its transitions before the checkpoint (``earlier_end``), the earliest of those
  from it on (``later_end``), and its state from those before it, as of every day
  (``began``/``latest``, as ``timeline``'s points name them; NULL: none). An area's state from
  the checkpoint as of D is its timeline's point on D when nothing it holds from the checkpoint
  on ended by D, this state when everything before the checkpoint ended by D; only an area with
  a transition on each side of D (one recorded late of a day before D, and one earlier of a
  day after it) is folded from its rows. An area with no transition from the checkpoint on has
  no row: its timeline is the checkpoint's.

The projector marks the blocks of the rows it writes or rewrites (``rm_dirty``, kind
``'block'``); ``resum`` recomputes their sums and times, and the running totals from the first
of them on; an area's checkpoint rows are recomputed with its timeline (``area_checkpoints``).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Sequence
from typing import Any

from incidents.readmodel.database import Transaction
from incidents.readmodel.rows import EntryRow
from incidents.readmodel.sums import KEY, SUMMED
from incidents.readmodel.timeline import current_state

BLOCK = 5_000  # positions per block: the most rows a window reads
FULL_RESUM = 20  # marked blocks beyond which every block is recomputed at once (one scan)

BLOCK_COLUMNS = ("block", "first_recorded", "last_recorded")
BLOCK_SUM_COLUMNS = ("block", "period", *KEY, *SUMMED)
BLOCK_TOTAL_COLUMNS = ("block", *KEY, *SUMMED)
CHECKPOINT_COLUMNS = (
    "checkpoint",
    "area_key",
    "earlier_end",  # the latest occurred end of its transitions before the checkpoint (NULL: none)
    "later_end",  # the earliest occurred end of those from the checkpoint on
    "began",  # its state from the transitions before it (NULL: none), as of every day
    "began_stamp",
    "latest",
    "latest_stamp",
)

_SUMMED_SQL = (
    "SUM(low), SUM(COALESCE(best, 0)), SUM(CASE WHEN best IS NULL THEN 1 ELSE 0 END), SUM(high), "
    "COUNT(*), SUM(approximate), SUM(unknown)"
)


def block_of(position: int) -> int:
    return position // BLOCK


def _daily(where: str) -> str:
    """The counted rows' figures by block, day and key, of the rows ``where`` picks."""
    return (
        f"SELECT position / {int(BLOCK)}, occ_end, metric, side, COALESCE(item, ''), {_SUMMED_SQL} "
        f"FROM rm_entry WHERE family = 'counted' AND set_aside = 0 AND {where} "
        f"GROUP BY position / {int(BLOCK)}, occ_end, metric, side, COALESCE(item, '')"
    )


def _times(where: str) -> str:
    return (
        f"SELECT position / {int(BLOCK)}, MIN(recorded), MAX(recorded) FROM rm_entry WHERE {where} "
        f"GROUP BY position / {int(BLOCK)}"
    )


def resum(tx: Transaction, blocks: Sequence[int]) -> None:
    """Recompute the blocks' sums and times from the rows, and the running totals from the
    first of them on."""
    if not blocks:
        return
    if len(blocks) > FULL_RESUM:
        tx.execute("DELETE FROM rm_block_sums")
        tx.execute("DELETE FROM rm_block")
        tx.execute(f"INSERT INTO rm_block_sums ({', '.join(BLOCK_SUM_COLUMNS)}) {_daily('1 = 1')}")
        tx.execute(f"INSERT INTO rm_block ({', '.join(BLOCK_COLUMNS)}) {_times('1 = 1')}")
        _run_totals(tx, 0)
        return
    for block in sorted(set(blocks)):
        tx.execute("DELETE FROM rm_block_sums WHERE block = ?", (block,))
        tx.execute("DELETE FROM rm_block WHERE block = ?", (block,))
        where = f"position >= {int(block) * BLOCK} AND position < {(int(block) + 1) * BLOCK}"
        tx.execute(f"INSERT INTO rm_block_sums ({', '.join(BLOCK_SUM_COLUMNS)}) {_daily(where)}")
        tx.execute(f"INSERT INTO rm_block ({', '.join(BLOCK_COLUMNS)}) {_times(where)}")
    _run_totals(tx, min(blocks))


def _run_totals(tx: Transaction, first: int) -> None:
    """Rewrite the running totals from block ``first`` on: every key known by then, one row per
    block up to the last block that holds a row."""
    tx.execute("DELETE FROM rm_block_total WHERE block >= ?", (first,))
    last = tx.value("SELECT MAX(block) FROM rm_block")
    if last is None:
        return
    running: dict[tuple[str, str, str], list[int]] = {
        (str(m), str(s), str(i)): [int(v) for v in values]
        for m, s, i, *values in tx.rows(
            f"SELECT {', '.join(KEY)}, {', '.join(SUMMED)} FROM rm_block_total WHERE block = "
            "(SELECT MAX(block) FROM rm_block_total WHERE block < ?)",  # (blocks without rows have none)
            (first,),
        )
    }
    by_block: dict[int, list[tuple[Any, ...]]] = {}
    for block, *row in tx.rows(
        f"SELECT block, {', '.join(KEY)}, {', '.join('SUM(' + name + ')' for name in SUMMED)} "
        f"FROM rm_block_sums WHERE block >= ? GROUP BY block, {', '.join(KEY)}",
        (first,),
    ):
        by_block.setdefault(int(block), []).append(tuple(row))
    written: list[tuple[Any, ...]] = []
    for block in range(first, int(last) + 1):
        for metric, side, item, *values in by_block.get(block, ()):
            key = (str(metric), str(side), str(item))
            total = running.setdefault(key, [0] * len(SUMMED))
            total[:] = [a + int(b) for a, b in zip(total, values, strict=True)]
        written += [(block, *key, *values) for key, values in sorted(running.items())]
    tx.insert("rm_block_total", BLOCK_TOTAL_COLUMNS, written)


def area_checkpoints(area_key: str, transitions: Sequence[EntryRow]) -> list[tuple[Any, ...]]:
    """The area's rows of ``rm_checkpoint``: one per checkpoint (from 0, before which nothing
    lies) that some of its transitions (not set aside) do not lie before."""
    if not transitions:
        return []
    by_position = sorted(transitions, key=lambda row: row.position)
    later: list[str] = [""] * len(by_position)  # the earliest end from each row on
    earliest = by_position[-1].occ_end
    for index in range(len(by_position) - 1, -1, -1):
        earliest = min(earliest, by_position[index].occ_end)
        later[index] = earliest
    counted: list[EntryRow] = []
    earlier: str | None = None
    index = 0
    found: list[tuple[Any, ...]] = []
    for checkpoint in range(block_of(by_position[-1].position) + 1):
        while by_position[index].position < checkpoint * BLOCK:  # (the last lies after every one)
            row = by_position[index]
            insort(counted, row, key=EntryRow.occurred_order)
            earlier = row.occ_end if earlier is None else max(earlier, row.occ_end)
            index += 1
        if counted:
            began, latest = current_state(counted)
            state: tuple[Any, ...] = (began.position, began.stamp, latest.position, latest.stamp)
        else:
            state = (None, None, None, None)
        found.append((checkpoint, area_key, earlier, later[index], *state))
    return found
