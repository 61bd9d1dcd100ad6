"""The read model's tables, the same in SQLite and PostgreSQL, and the version of the code that
writes them.

- ``rm_state``: how far the read model has read the log (the tracking position, committed in
  the same transaction as the rows it accounts for) and the schema version it was built with.
- ``rm_entry``: one row per recorded action (``rows.EntryRow``), as the amendments leave it
  when all of them are known; ``set_aside`` marks the retracted ones and the duplicates counted
  through another member. Indexed by the occurred clock (end; span class and start), the
  published one (span class and start), the lag between the two ends (class and first day:
  ``rows.lag``), by ref and by cluster.
- ``rm_action``: the action of each row, as the amendments leave it (the read model's compact
  form, ``compact``), with its recording (report key, recorded time, sequence), by position:
  apart, so that the scans of ``rm_entry`` read no payloads, and whole, so that an answer
  rebuilds an entry from one row (``payloads``) rather than one of each table.
- ``rm_report``: each report's ``SourceRef`` (the compact form), by report key.
- ``rm_amendment`` and ``rm_target``: the amendments, and the refs each one names; ``cluster``
  groups the actions and amendments that touch one another (see ``projector``).
- ``rm_sums`` and ``rm_sum_week``: the counted figures by metric, side and item ('' for none),
  summed by day of the occurred end, and added up before each week that has any (``sums``): a
  total "as of" a day reads its week's row and at most seven days' rows.
- ``rm_version`` and ``rm_cluster``: the bitemporal index of the clusters (``versions``): each
  cluster's rows in every state the reported and recorded clocks reach, and when each cluster
  starts to be known of and is fully known.
- ``rm_area`` and ``rm_timeline``: each area's spellings, and its status as of each day on
  which a report of it ends (the positions, and stamps, of the entries that began and last
  reported it), until when that holds, the class of that run and the answer's sort key: the
  statuses "as of" a day are the runs that straddle it, one index range per class.
- ``rm_block``, ``rm_block_sums``, ``rm_block_total`` and ``rm_checkpoint``: checkpoints by
  position (``checkpoints``): each block of positions' recorded times and counted sums by day,
  the running totals by block, and per checkpoint the state of each area that has transitions
  after it: a ``recorded_at`` far back reads them and one block's rows.
- ``rm_unreadable``: the recorded actions and amendments that cannot be read or projected
  (``ledger.Unreadable``, as ASCII JSON, so that any text it quotes can be stored), with the
  ``ref`` a retraction names to clear it (when it has a valid one).
- ``rm_dirty``: days, blocks and areas whose sums and timelines are to be recomputed before the
  catch-up that marked them commits its last batch.

**The schema version is the code's.** ``SCHEMA_VERSION`` is a fingerprint (SHA-256) of the source
of every module whose code decides what these tables hold (``WRITERS``: the tables, the rows,
the timelines, the projector, the payloads; the folds and domain values the rows are computed
with; the transcodings that encode the payloads) and of the library's version. Any change to
that code changes the version; a read model written with another version is dropped and
projected again (``projector``), never read.
"""

from __future__ import annotations

import importlib.util

from incidents import application
from incidents.fingerprint import fingerprint
from incidents.readmodel.database import Transaction
from incidents.readmodel.rows import ENTRY_COLUMNS

STATE_NAME = "incidents"

# The modules whose code decides what the read model stores (with the transcodings' module,
# wherever the application finds it).
WRITERS = (
    "incidents.readmodel.schema",
    "incidents.readmodel.rows",
    "incidents.readmodel.payloads",
    "incidents.readmodel.compact",
    "incidents.readmodel.timeline",
    "incidents.readmodel.sums",
    "incidents.readmodel.versions",
    "incidents.readmodel.checkpoints",
    "incidents.readmodel.projector",
    "incidents.readmodel.fetch",
    "incidents.projections.ledger",
    "incidents.projections.clocks",
    "incidents.projections.resolution",
    "incidents.projections.totals",
    "incidents.projections.areas",
    "incidents.domain.values",
    "incidents.domain.actions",
    "incidents.domain.amendments",
    "incidents.domain.report",
    "incidents.storage.sqlite",  # (the backends' table definitions: ``Dialect.table``)
    "incidents.storage.postgres",
)


def writer_modules() -> tuple[str, ...]:
    """``WRITERS``, and the module of the transcodings the application registers (found through
    the application, wherever it lives)."""
    transcodings = vars(application)["all_transcodings"]
    return (*WRITERS, str(transcodings.__module__))


def module_source(name: str) -> bytes:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "get_source"):
        raise RuntimeError(f"cannot find the module {name} to fingerprint the read model's schema")
    source = spec.loader.get_source(name)
    if source is None:
        raise RuntimeError(f"the module {name} has no source to fingerprint the read model's schema")
    return str(source).encode("utf-8")


# The library's module whose transcoder and mapper decode the log's events: fingerprinted by its
# source, as ours are (its distribution's version would need importlib.metadata, whose import
# costs a one-shot command more than the whole fingerprint).
LIBRARY_ENCODER = "eventsourcing.persistence"


def code_version() -> str:
    """The version of the code that writes the read model: a fingerprint of its modules' source
    and of the library module whose transcoder decodes the log's events."""
    return fingerprint([(name, module_source(name)) for name in (*writer_modules(), LIBRARY_ENCODER)])


SCHEMA_VERSION = code_version()

_INTEGER_COLUMNS = {
    "position": "BIGINT PRIMARY KEY",
    "sequence": "INTEGER NOT NULL",
    "occ_class": "INTEGER NOT NULL",
    "pub_class": "INTEGER NOT NULL",
    "lag_class": "INTEGER NOT NULL",
    "low": "BIGINT",
    "best": "BIGINT",
    "high": "BIGINT",
    "approximate": "INTEGER",
    "unknown": "INTEGER",
    "cluster": "BIGINT",
    "phase": "INTEGER",  # a grouping, as totals groups it: a number
    "set_aside": "INTEGER NOT NULL",
    "stamp": "BIGINT NOT NULL",
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
    "occ_start",
    "occ_end",
    "lag_start",
    "outlet",
}


def _column(name: str) -> str:
    if name in _INTEGER_COLUMNS:
        return f"{name} {_INTEGER_COLUMNS[name]}"
    return f"{name} TEXT NOT NULL" if name in _REQUIRED_TEXT else f"{name} TEXT"


TABLES = {
    "rm_state": "name TEXT PRIMARY KEY, position BIGINT NOT NULL, schema_version TEXT NOT NULL",
    "rm_entry": ", ".join(_column(name) for name in ENTRY_COLUMNS),
    "rm_action": (
        "position BIGINT PRIMARY KEY, report_key TEXT NOT NULL, recorded TEXT NOT NULL, "
        "sequence BIGINT NOT NULL, action TEXT NOT NULL"
    ),
    "rm_report": "report_key TEXT PRIMARY KEY, source TEXT NOT NULL",
    "rm_amendment": (
        "position BIGINT PRIMARY KEY, ref TEXT NOT NULL, targets TEXT NOT NULL, "
        "recorded TEXT NOT NULL, pub_end TEXT NOT NULL, cluster BIGINT"
    ),
    "rm_target": "target TEXT NOT NULL, amendment BIGINT NOT NULL, PRIMARY KEY (target, amendment)",
    "rm_sums": (
        "period TEXT NOT NULL, metric TEXT NOT NULL, side TEXT NOT NULL, "
        "item TEXT NOT NULL, low BIGINT NOT NULL, best BIGINT NOT NULL, best_missing BIGINT NOT NULL, "
        "high BIGINT NOT NULL, events BIGINT NOT NULL, approximate BIGINT NOT NULL, "
        "unknown BIGINT NOT NULL, PRIMARY KEY (period, metric, side, item)"
    ),
    "rm_sum_week": "starts TEXT PRIMARY KEY, sums TEXT NOT NULL",
    "rm_cluster": (
        "cluster BIGINT PRIMARY KEY, first_pub TEXT, last_pub TEXT NOT NULL, first_position BIGINT, "
        "last_position BIGINT NOT NULL, first_recorded TEXT, last_recorded TEXT NOT NULL, "
        "areas_stable INTEGER NOT NULL"
    ),
    "rm_version": (
        "state TEXT NOT NULL, "
        + ", ".join(_column(name).replace(" PRIMARY KEY", " NOT NULL") for name in ENTRY_COLUMNS)
        + ", action TEXT NOT NULL, PRIMARY KEY (cluster, state, position)"
    ),
    "rm_area": "area_key TEXT PRIMARY KEY, written TEXT NOT NULL",
    "rm_timeline": (
        "area_key TEXT NOT NULL, d TEXT NOT NULL, began BIGINT NOT NULL, began_stamp BIGINT NOT NULL, "
        "latest BIGINT NOT NULL, latest_stamp BIGINT NOT NULL, until TEXT NOT NULL, "
        "run_class INTEGER NOT NULL, sort_key TEXT NOT NULL, PRIMARY KEY (area_key, d)"
    ),
    "rm_block": "block BIGINT PRIMARY KEY, first_recorded TEXT NOT NULL, last_recorded TEXT NOT NULL",
    "rm_block_sums": (
        "block BIGINT NOT NULL, period TEXT NOT NULL, metric TEXT NOT NULL, side TEXT NOT NULL, "
        "item TEXT NOT NULL, low BIGINT NOT NULL, best BIGINT NOT NULL, best_missing BIGINT NOT NULL, "
        "high BIGINT NOT NULL, events BIGINT NOT NULL, approximate BIGINT NOT NULL, "
        "unknown BIGINT NOT NULL, PRIMARY KEY (block, period, metric, side, item)"
    ),
    "rm_block_total": (
        "block BIGINT NOT NULL, metric TEXT NOT NULL, side TEXT NOT NULL, item TEXT NOT NULL, "
        "low BIGINT NOT NULL, best BIGINT NOT NULL, best_missing BIGINT NOT NULL, high BIGINT NOT NULL, "
        "events BIGINT NOT NULL, approximate BIGINT NOT NULL, unknown BIGINT NOT NULL, "
        "PRIMARY KEY (block, metric, side, item)"
    ),
    "rm_checkpoint": (
        "checkpoint BIGINT NOT NULL, area_key TEXT NOT NULL, earlier_end TEXT, later_end TEXT NOT NULL, "
        "began BIGINT, began_stamp BIGINT, latest BIGINT, latest_stamp BIGINT, "
        "PRIMARY KEY (checkpoint, area_key)"
    ),
    "rm_dirty": "kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)",
    "rm_unreadable": "position BIGINT PRIMARY KEY, ref TEXT, event TEXT NOT NULL",
}

# The index the projector itself needs (to find the actions an amendment names).
PROJECTOR_INDEXES = ("CREATE INDEX IF NOT EXISTS rm_entry_ref ON rm_entry (ref)",)
# The indexes of the queries: a rebuild creates them once at the end, which is faster than
# keeping them up to date row by row.
QUERY_INDEXES = (
    "CREATE INDEX IF NOT EXISTS rm_entry_occ_end ON rm_entry (occ_end)",
    # (covering for the entries straddling a day, ``queries.straddling``: no row is read)
    "CREATE INDEX IF NOT EXISTS rm_entry_straddle ON rm_entry "
    "(occ_class, occ_start, occ_end, family, set_aside, position, stamp)",
    # (an area's rows in occurred order: its current run is read from the latest back; of the
    # area rows only, which every query of it names, a quarter of the rows; covering for the
    # runs, ``queries._current_runs``: the clocks' columns and what a run reads, no row is read)
    "CREATE INDEX IF NOT EXISTS rm_entry_area ON rm_entry "
    "(area_key, occ_start, occ_end, pub_start, report_key, sequence, set_aside, pub_end, recorded, "
    "status, cluster, position, stamp, family) WHERE family = 'area'",
    "CREATE INDEX IF NOT EXISTS rm_entry_cluster ON rm_entry (cluster)",
    "CREATE INDEX IF NOT EXISTS rm_amendment_ref ON rm_amendment (ref)",
    "CREATE INDEX IF NOT EXISTS rm_amendment_cluster ON rm_amendment (cluster)",
    "CREATE INDEX IF NOT EXISTS rm_entry_published ON rm_entry (pub_class, pub_start)",
    "CREATE INDEX IF NOT EXISTS rm_entry_lag ON rm_entry (lag_class, lag_start)",
    # (covering: the areas as of a day read nothing else of the points)
    "CREATE INDEX IF NOT EXISTS rm_timeline_run ON rm_timeline "
    "(run_class, d, until, sort_key, area_key, began, began_stamp, latest, latest_stamp)",
)


def create(tx: Transaction, *, query_indexes: bool = True) -> None:
    for name, columns in TABLES.items():
        tx.execute(f"CREATE TABLE IF NOT EXISTS {name} ({tx.dialect.table(columns)})")
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
    return tx.table_exists("rm_state")


def version(tx: Transaction) -> str | None:
    value = tx.value("SELECT schema_version FROM rm_state WHERE name = ?", (STATE_NAME,))
    return None if value is None else str(value)


def state(tx: Transaction) -> tuple[int, str | None]:
    """The tracking position and the schema version, in one read."""
    found = tx.rows("SELECT position, schema_version FROM rm_state WHERE name = ?", (STATE_NAME,))
    if not found:
        return 0, None
    position, schema_version = found[0]
    return int(position or 0), str(schema_version)


def position(tx: Transaction) -> int:
    return int(tx.value("SELECT position FROM rm_state WHERE name = ?", (STATE_NAME,)) or 0)


def set_position(tx: Transaction, value: int) -> None:
    tx.execute("UPDATE rm_state SET position = ? WHERE name = ?", (value, STATE_NAME))
