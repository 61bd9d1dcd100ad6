"""The read model's tables, the same in SQLite and PostgreSQL.

- ``rm_state``: how far the read model has read the log (the tracking position, committed in
  the same transaction as the rows it accounts for) and the schema version it was built with.
- ``rm_entry``: one row per recorded action (``rows.EntryRow``), as the amendments leave it
  when all of them are known; ``set_aside`` marks the retracted ones and the duplicates counted
  through another member. Indexed by the occurred clock (end; span class and start) and by ref.
- ``rm_amendment`` and ``rm_target``: the amendments, and the refs each one names; ``cluster``
  groups the actions and amendments that touch one another (see ``projector``).
- ``rm_sums``: the counted figures by metric and side, summed by day, month and year of the
  occurred end: a total "as of" a day reads a few dozen rows.
- ``rm_area`` and ``rm_timeline``: each area's spellings, and its status as of each day on
  which a report of it ends; a status "as of" a day is one index seek per area.
- ``rm_dirty``: days and areas whose sums and timelines are to be recomputed before the
  catch-up that marked them commits its last batch.
"""

from __future__ import annotations

from incidents.readmodel.database import Transaction
from incidents.readmodel.rows import ENTRY_COLUMNS

SCHEMA_VERSION = 1
STATE_NAME = "incidents"

_INTEGER_COLUMNS = {
    "position": "BIGINT PRIMARY KEY",
    "sequence": "INTEGER NOT NULL",
    "pub_class": "INTEGER NOT NULL",
    "occ_class": "INTEGER NOT NULL",
    "low": "BIGINT",
    "best": "BIGINT",
    "high": "BIGINT",
    "place_resolved": "INTEGER",
    "cluster": "BIGINT",
    "set_aside": "INTEGER NOT NULL",
}
_REQUIRED_TEXT = {
    "report_key",
    "action_id",
    "ref",
    "kind",
    "family",
    "recorded",
    "pub_start",
    "pub_end",
    "pub_text",
    "occ_start",
    "occ_end",
    "occ_text",
    "outlet",
    "summary",
    "quote",
}


def _column(name: str) -> str:
    if name in _INTEGER_COLUMNS:
        return f"{name} {_INTEGER_COLUMNS[name]}"
    return f"{name} TEXT NOT NULL" if name in _REQUIRED_TEXT else f"{name} TEXT"


TABLES = {
    "rm_state": "name TEXT PRIMARY KEY, position BIGINT NOT NULL, schema_version INTEGER NOT NULL",
    "rm_entry": ", ".join(_column(name) for name in ENTRY_COLUMNS),
    "rm_amendment": (
        "position BIGINT PRIMARY KEY, ref TEXT NOT NULL, targets TEXT NOT NULL, "
        "recorded TEXT NOT NULL, pub_end TEXT NOT NULL, cluster BIGINT"
    ),
    "rm_target": "target TEXT NOT NULL, amendment BIGINT NOT NULL, PRIMARY KEY (target, amendment)",
    "rm_sums": (
        "grain TEXT NOT NULL, period TEXT NOT NULL, metric TEXT NOT NULL, side TEXT NOT NULL, "
        "low BIGINT NOT NULL, best BIGINT NOT NULL, best_missing BIGINT NOT NULL, "
        "high BIGINT NOT NULL, events BIGINT NOT NULL, PRIMARY KEY (grain, period, metric, side)"
    ),
    "rm_area": "area_key TEXT PRIMARY KEY, written TEXT NOT NULL",
    "rm_timeline": (
        "area_key TEXT NOT NULL, d TEXT NOT NULL, status TEXT NOT NULL, since_start TEXT NOT NULL, "
        "since_end TEXT NOT NULL, since_text TEXT NOT NULL, label TEXT NOT NULL, province TEXT, "
        "district TEXT, pcode TEXT, resolved INTEGER NOT NULL, outlet TEXT NOT NULL, "
        "quote TEXT NOT NULL, PRIMARY KEY (area_key, d)"
    ),
    "rm_dirty": "kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)",
}

# The index the projector itself needs (to find the actions an amendment names).
PROJECTOR_INDEXES = ("CREATE INDEX IF NOT EXISTS rm_entry_ref ON rm_entry (ref)",)
# The indexes of the queries: a rebuild creates them once at the end, which is faster than
# keeping them up to date row by row.
QUERY_INDEXES = (
    "CREATE INDEX IF NOT EXISTS rm_entry_occ_end ON rm_entry (occ_end)",
    "CREATE INDEX IF NOT EXISTS rm_entry_straddle ON rm_entry (occ_class, occ_start)",
    "CREATE INDEX IF NOT EXISTS rm_entry_area ON rm_entry (area_key)",
    "CREATE INDEX IF NOT EXISTS rm_entry_cluster ON rm_entry (cluster)",
    "CREATE INDEX IF NOT EXISTS rm_amendment_ref ON rm_amendment (ref)",
)


def create(tx: Transaction, *, query_indexes: bool = True) -> None:
    for name, columns in TABLES.items():
        tx.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
    for index in PROJECTOR_INDEXES + (QUERY_INDEXES if query_indexes else ()):
        tx.execute(index)
    if tx.value("SELECT COUNT(*) FROM rm_state WHERE name = ?", (STATE_NAME,)) == 0:
        tx.execute(
            "INSERT INTO rm_state (name, position, schema_version) VALUES (?, 0, ?)",
            (STATE_NAME, SCHEMA_VERSION),
        )


def drop(tx: Transaction) -> None:
    for name in TABLES:
        tx.execute(f"DROP TABLE IF EXISTS {name}")


def exists(tx: Transaction) -> bool:
    if tx.postgres:
        found = tx.value("SELECT to_regclass('rm_state') IS NOT NULL")
    else:
        found = tx.value("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rm_state'")
    return bool(found)


def version(tx: Transaction) -> int | None:
    value = tx.value("SELECT schema_version FROM rm_state WHERE name = ?", (STATE_NAME,))
    return None if value is None else int(value)


def position(tx: Transaction) -> int:
    return int(tx.value("SELECT position FROM rm_state WHERE name = ?", (STATE_NAME,)) or 0)


def set_position(tx: Transaction, value: int) -> None:
    tx.execute("UPDATE rm_state SET position = ? WHERE name = ?", (value, STATE_NAME))
