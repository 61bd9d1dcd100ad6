"""Keeping the read model up to date from the log's notifications, exactly once.

Each batch is one transaction of the read model's database, under the projector's lock:

1. read the tracking position (the last notification projected) and the schema version,
   inside the transaction; a read model of another version (other code wrote it) is dropped
   here and projected again from the start;
2. read the next notifications after it from the event store, and decode them;
3. write a row per action (with the action and its report's source, in the read model's
   compact form) and a row per amendment, mark the days, areas and blocks they touch;
4. re-resolve the *clusters* the new amendments touch (below);
5. on the last batch of a catch-up, recompute the sums of the marked days, the checkpoints of
   the marked blocks (``checkpoints``) and the timelines (and checkpoint rows) of the marked
   areas;
6. set the tracking position to the last notification of the batch, and commit.

An event that cannot be read (``EventReader.decode`` gives an ``ledger.Unreadable``), or whose
row cannot be made or stored (``rows.unprojectable``), is set aside in ``rm_unreadable`` instead
of failing its batch: the rest of the log is projected, and the answers list it
(``queries.unreadable``) until a retraction names it.

A crash anywhere loses the whole transaction and nothing else: the next catch-up starts again
from the committed position. Two projectors (two processes) take turns on the lock, and the
second reads the position the first committed, so no notification is projected twice.

**Clusters.** Most actions are never amended: their row is the action as recorded. Actions and
amendments that name one another (a correction and its action, actions linked as duplicates, a
retraction of a correction) form a cluster; the rows of a cluster's actions are what the fold's
own ``resolve`` makes of them with every amendment known. A query whose viewpoint does not know
all of a cluster (``--known-at`` or ``--recorded-at`` before one of its amendments) resolves that
cluster again with the fold, from the events (see ``queries``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from attrs import field, frozen
from eventsourcing.persistence import Notification

from incidents.application import IncidentLog
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, Unreadable
from incidents.projections.resolution import resolve
from incidents.readmodel import checkpoints, schema, sums, versions
from incidents.readmodel.database import ReadModelDatabase, Transaction
from incidents.readmodel.fetch import EventReader
from incidents.readmodel.payloads import Payloads
from incidents.readmodel.rows import (
    AREA_FAMILY,
    COUNTED_FAMILY,
    ENTRY_COLUMNS,
    EntryRow,
    entry_row,
    recorded_text,
    unprojectable,
    unreadable_json,
)
from incidents.readmodel.timeline import TIMELINE_COLUMNS, spellings, timeline

BATCH_SIZE = 5_000
FULL_RETIMELINE = 500  # marked areas beyond which all area transitions are read in one scan
RETIMELINE_ROWS = 20_000  # area transitions held at once when many areas are settled (a range each)
# The queries' index of the area transitions, which settling many areas reads by ranges.
AREA_INDEX = next(index for index in schema.QUERY_INDEXES if " rm_entry_area " in index)


_ACTION_COLUMNS = ("position", "report_key", "recorded", "sequence", "action")


def _action_row(row: EntryRow, action: str) -> tuple[Any, ...]:
    """The ``rm_action`` row of an entry's row and its action's compact JSON."""
    return (row.position, row.report_key, row.recorded, row.sequence, action)


_AMENDMENT_COLUMNS = ("position", "ref", "targets", "recorded", "pub_end")


@frozen
class CaughtUp:
    """What a catch-up did."""

    events: int  # notifications read
    batches: int
    position: int  # the tracking position now
    unreadable: tuple[Unreadable, ...] = field(default=(), kw_only=True)  # set aside (of a rebuild)


Progress = Callable[[int, int], None]  # (position reached, last position of the log)


class Projector:
    """Projects the log into the read model."""

    def __init__(self, log: IncidentLog, database: ReadModelDatabase, batch_size: int = BATCH_SIZE) -> None:
        self.log = log
        self.database = database
        self.batch_size = batch_size
        self.events = EventReader(log)
        self.payloads = Payloads(log.mapper)

    # --- The tables ---------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the tables (or what is missing of them: the queries' indexes after an
        interrupted rebuild). Tables another version of the code wrote are left to the next
        catch-up, which projects the log again from the start (``_restart_if_stale``)."""
        with self.database.write() as tx:
            if not schema.exists(tx) or schema.version(tx) == schema.SCHEMA_VERSION:
                schema.create(tx)

    def _restart_if_stale(self, tx: Transaction) -> bool:
        """Drop and create the tables if another version of the code wrote them; whether it did."""
        if schema.version(tx) == schema.SCHEMA_VERSION:
            return False
        schema.drop(tx)
        schema.create(tx, query_indexes=False)
        return True

    def rebuild(self, progress: Progress | None = None) -> CaughtUp:
        """Drop the read model and project the whole log again."""
        with self.database.write() as tx:
            schema.drop(tx)
            schema.create(tx, query_indexes=False)
        done = self.catch_up(progress)
        self._index()  # (also made on open, should this not run)
        return done

    # --- Catching up ------------------------------------------------------------------------

    def position(self) -> int:
        with self.database.read() as tx:
            return schema.position(tx)

    def behind(self) -> bool:
        """Whether the log holds notifications the read model has not projected (or a
        catch-up stopped before its last batch)."""
        with self.database.read() as tx:
            return not self.caught_up(tx)

    def caught_up(self, tx: Transaction) -> bool:
        """Whether the snapshot ``tx`` reads was written by this code, has projected the whole
        log, and settled it."""
        position, version = schema.state(tx)
        if version != schema.SCHEMA_VERSION or tx.value("SELECT COUNT(*) FROM rm_dirty"):
            return False
        return position >= (self.log.recorder.max_notification_id() or 0)

    def catch_up(self, progress: Progress | None = None) -> CaughtUp:
        """Project every notification after the tracking position, a batch per transaction
        (from the start, if another version of the code wrote the read model)."""
        events = batches = 0
        restarted = False
        last = self.log.recorder.max_notification_id() or 0
        started = self.position()
        while True:
            with self.database.write() as tx:
                if batches == 0:
                    restarted = self._restart_if_stale(tx)
                position = schema.position(tx)
                notifications = self.log.recorder.select_notifications(
                    start=position + 1, limit=self.batch_size
                )
                if notifications:
                    self._project(tx, notifications)
                    position = notifications[-1].id
                    schema.set_position(tx, position)
                done = len(notifications) < self.batch_size
                if done:
                    self._settle(tx)
            events += len(notifications)
            batches += 1
            if progress is not None:
                progress(position, max(last, position))
            if done:
                if restarted or events > started:  # (the tables at least doubled: new statistics)
                    self._index()
                return CaughtUp(events, batches, position)

    def _index(self) -> None:
        """The queries' indexes, and the planner's statistics for their plans."""
        with self.database.write() as tx:
            schema.create(tx)
            for table in schema.TABLES:  # its own tables: a PostgreSQL database may hold others
                tx.execute(f"ANALYZE {table}")

    # --- One batch ----------------------------------------------------------------------------

    def _project(self, tx: Transaction, notifications: Sequence[Notification]) -> None:
        decoded = self.events.decode_batch(notifications)
        unreadable = [item for item in decoded if isinstance(item, Unreadable)]
        stamp = notifications[-1].id
        entries: list[Entry] = []
        rows: list[EntryRow] = []
        actions: list[tuple[Any, ...]] = []
        encode = self.payloads.encode
        for entry in decoded:
            if not isinstance(entry, Entry):
                continue
            try:
                row = entry_row(entry, stamp=stamp)
                why = unprojectable(row)
            except PROJECTION_ERRORS as error:
                why = f"its row cannot be made: {error}"
            if why is None:
                entries.append(entry)
                rows.append(row)
                actions.append(_action_row(row, encode(entry.action)))
            else:
                unreadable.append(_set_aside(entry, why))
        amendments: list[AmendmentEntry] = []
        for item in decoded:
            if isinstance(item, AmendmentEntry):
                why = _unprojectable_amendment(item)
                if why is None:
                    amendments.append(item)
                else:
                    unreadable.append(_set_aside(item, why))
        self.events.keep([*entries, *amendments])
        if unreadable:
            tx.insert(
                "rm_unreadable",
                ("position", "ref", "event"),
                [(event.position, _ref_text(event), unreadable_json(event)) for event in unreadable],
            )
        tx.copy("rm_entry", ENTRY_COLUMNS, rows)
        tx.copy("rm_action", _ACTION_COLUMNS, actions)
        reports = {entry.report.key: entry.report.source for entry in entries}
        tx.insert(
            "rm_report",
            ("report_key", "source"),
            [(key, encode(source)) for key, source in reports.items()],
            "ON CONFLICT (report_key) DO NOTHING",
        )
        _mark(tx, rows)
        if amendments:
            tx.insert(
                "rm_amendment",
                _AMENDMENT_COLUMNS,
                [
                    (
                        a.position,
                        str(a.ref),
                        json.dumps([str(target) for target in a.amendment.targets]),
                        recorded_text(a.recorded),
                        a.report.source.published.end.isoformat(),
                    )
                    for a in amendments
                ],
            )
            tx.insert(
                "rm_target",
                ("target", "amendment"),
                [(str(target), a.position) for a in amendments for target in a.amendment.targets],
                "ON CONFLICT DO NOTHING",
            )
        seeds = {str(a.ref) for a in amendments}
        if tx.value("SELECT COUNT(*) FROM rm_target") and rows:
            targeted = tx.rows_in(
                "SELECT DISTINCT target FROM rm_target WHERE target IN ({in})", [r.ref for r in rows]
            )
            seeds.update(ref for (ref,) in targeted)
        if seeds:
            self._recluster(tx, seeds, stamp)

    def _recluster(self, tx: Transaction, seeds: Iterable[str], stamp: int) -> None:
        """Resolve again, with the fold, every cluster the seeds belong to (rows stamped by the
        batch that reached ``stamp``)."""
        refs, amendments = closure(tx, seeds)
        parent: dict[str, str] = {}

        def root(ref: str) -> str:
            while parent.setdefault(ref, ref) != ref:
                ref = parent[ref]
            return ref

        for ref, targets in amendments.values():
            for target in targets:
                parent[root(target)] = root(ref)
        found = tx.rows_in(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM rm_entry WHERE ref IN ({{in}})", refs)
        old = [EntryRow(*row) for row in found]
        members: dict[str, list[int]] = {}
        for row in old:
            members.setdefault(root(row.ref), []).append(row.position)
        for position, (ref, _targets) in amendments.items():
            members.setdefault(root(ref), []).append(position)
        _mark(tx, old)
        clusters = [min(p for p in positions if p in amendments) for positions in members.values()]
        tx.execute_in("DELETE FROM rm_version WHERE cluster IN ({in})", clusters)
        tx.execute_in("DELETE FROM rm_cluster WHERE cluster IN ({in})", clusters)
        new: list[EntryRow] = []
        actions: list[tuple[Any, ...]] = []  # (``_ACTION_COLUMNS``: the action as resolved)
        for cluster, positions in zip(clusters, members.values(), strict=True):
            ledger = self.events.ledger(positions)
            rows = self._versions(tx, ledger, cluster, stamp)
            new += [row for row, _action in rows]
            actions += [_action_row(row, action) for row, action in rows]
            tx.execute_in(
                f"UPDATE rm_amendment SET cluster = {int(cluster)} WHERE position IN ({{in}})",
                [p for p in positions if p in amendments],
            )
        tx.execute_in("DELETE FROM rm_entry WHERE position IN ({in})", [row.position for row in old])
        tx.execute_in("DELETE FROM rm_action WHERE position IN ({in})", [row.position for row in old])
        tx.copy("rm_entry", ENTRY_COLUMNS, new)
        tx.copy("rm_action", _ACTION_COLUMNS, actions)
        _mark(tx, new)

    def _versions(
        self, tx: Transaction, ledger: Ledger, cluster: int, stamp: int
    ) -> list[tuple[EntryRow, str]]:
        """Store the cluster's versions (``versions``: its rows from every viewpoint along each
        clock) and its bounds; its rows with every amendment known (``rm_entry``'s)."""
        events = [versions.recording(e, amendment=False) for e in ledger.entries]
        events += [versions.recording(a, amendment=True) for a in ledger.amendments]
        made: dict[str, list[tuple[EntryRow, str]]] = {}
        for viewpoint in versions.viewpoints(events):
            made.setdefault(
                versions.state(viewpoint, events), self._resolved(ledger, viewpoint, cluster, stamp)
            )
        current = made[versions.state(Viewpoint(), events)]
        stable = len({versions.area_rows(rows) for rows in made.values()}) == 1
        tx.copy(
            "rm_version",
            versions.VERSION_COLUMNS,
            [(key, *row, action) for key, rows in made.items() for row, action in rows],
        )
        members = [row for row, _action in current]
        tx.insert("rm_cluster", versions.CLUSTER_COLUMNS, [versions.bounds(cluster, members, events, stable)])
        return current

    def _resolved(
        self, ledger: Ledger, viewpoint: Viewpoint, cluster: int, stamp: int
    ) -> list[tuple[EntryRow, str]]:
        """The rows of the ledger's actions as ``resolve`` leaves them from the viewpoint, with
        each action's JSON (rows of actions it sets aside are marked so)."""
        effective = {entry.position: entry for entry in resolve(ledger, viewpoint).entries}
        rows = []
        for entry in ledger.entries:
            kept = effective.get(entry.position)
            row = entry_row(kept or entry, cluster=cluster, set_aside=kept is None, stamp=stamp)
            rows.append((row, self.payloads.encode((kept or entry).action)))
        return rows

    # --- Settling: sums and timelines of what the batches marked ---------------------------

    def _settle(self, tx: Transaction) -> None:
        days = [key for (key,) in tx.rows("SELECT key FROM rm_dirty WHERE kind = 'day'")]
        areas = [key for (key,) in tx.rows("SELECT key FROM rm_dirty WHERE kind = 'area'")]
        blocks = [int(key) for (key,) in tx.rows("SELECT key FROM rm_dirty WHERE kind = 'block'")]
        if days:
            sums.resum(tx, days)
        if blocks:
            checkpoints.resum(tx, blocks)
        if areas:
            _retimeline(tx, areas)
        if days or areas or blocks:
            tx.execute("DELETE FROM rm_dirty")


# What making or checking one event's row can raise: that event is set aside, the batch goes on.
PROJECTION_ERRORS = (ValueError, TypeError, AttributeError, KeyError, OverflowError)


def _set_aside(entry: Entry | AmendmentEntry, why: str) -> Unreadable:
    statement = entry.action if isinstance(entry, Entry) else entry.amendment
    return Unreadable(entry.position, entry.report.key, statement.id, why, entry.recorded)


def _ref_text(event: Unreadable) -> str | None:
    ref = event.ref
    return None if ref is None else str(ref)


def _unprojectable_amendment(amendment: AmendmentEntry) -> str | None:
    """Why an amendment's rows cannot be stored, or None (its texts are those of refs)."""
    try:
        texts = [str(amendment.ref), *(str(target) for target in amendment.amendment.targets)]
    except PROJECTION_ERRORS as error:
        return f"its references cannot be made: {error}"
    if any("\x00" in text for text in texts):
        return "a reference holds NUL, which no database stores"
    return None


def _mark(tx: Transaction, rows: Iterable[EntryRow]) -> None:
    marks: set[tuple[str, str]] = set()
    for row in rows:
        marks.add(("block", str(checkpoints.block_of(row.position))))
        if row.family == COUNTED_FAMILY:
            marks.add(("day", row.occ_end))
        elif row.family == AREA_FAMILY and row.area_key is not None:
            marks.add(("area", row.area_key))
    tx.insert("rm_dirty", ("kind", "key"), sorted(marks), "ON CONFLICT (kind, key) DO NOTHING")


def closure(tx: Transaction, seeds: Iterable[str]) -> tuple[set[str], dict[int, tuple[str, list[str]]]]:
    """Every ref and amendment connected to the seeds (an amendment to what it names, and to
    the amendments that name it)."""
    refs = set(seeds)
    amendments: dict[int, tuple[str, list[str]]] = {}
    frontier = set(refs)
    while frontier:
        found = tx.rows_in(
            "SELECT a.position, a.ref, a.targets FROM rm_target t JOIN rm_amendment a "
            "ON a.position = t.amendment WHERE t.target IN ({in})",
            frontier,
        )
        found += tx.rows_in("SELECT position, ref, targets FROM rm_amendment WHERE ref IN ({in})", frontier)
        frontier = set()
        for position, ref, targets in found:
            if position in amendments:
                continue
            named = json.loads(targets)
            amendments[int(position)] = (ref, named)
            for each in (ref, *named):
                if each not in refs:
                    refs.add(each)
                    frontier.add(each)
    return refs, amendments


def _retimeline(tx: Transaction, areas: Sequence[str]) -> None:
    tx.execute_in("DELETE FROM rm_timeline WHERE area_key IN ({in})", areas)
    tx.execute_in("DELETE FROM rm_area WHERE area_key IN ({in})", areas)
    tx.execute_in("DELETE FROM rm_checkpoint WHERE area_key IN ({in})", areas)
    for by_area in _area_groups(tx, areas):
        tx.copy(
            "rm_area",
            ("area_key", "written"),
            [(key, json.dumps(spellings(rows))) for key, rows in by_area.items()],
        )
        tx.copy(
            "rm_timeline", TIMELINE_COLUMNS, [p for key, rows in by_area.items() for p in timeline(key, rows)]
        )
        tx.copy(
            "rm_checkpoint",
            checkpoints.CHECKPOINT_COLUMNS,
            [c for key, rows in by_area.items() for c in checkpoints.area_checkpoints(key, rows)],
        )


def _area_groups(tx: Transaction, areas: Sequence[str]) -> Iterator[dict[str, list[EntryRow]]]:
    """The transitions of the areas, by area, a group of areas at a time: at most about
    RETIMELINE_ROWS rows in memory (a rebuild's settling marks every area). When the areas are
    many, a group is a run of area keys in their order, read as one range of the area index
    (made now if a rebuild has not made it yet: the queries' own, which it would make after),
    rather than a lookup per area or a scan of every transition per group."""
    transitions = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM rm_entry WHERE family = 'area' AND set_aside = 0"
    if len(areas) <= FULL_RETIMELINE:
        yield _by_area(tx.rows_in(f"{transitions} AND area_key IN ({{in}})", areas))
        return
    tx.execute(AREA_INDEX)
    wanted = set(areas)
    counts = tx.rows(
        "SELECT area_key, COUNT(*) FROM rm_entry WHERE family = 'area' AND set_aside = 0 "
        "GROUP BY area_key ORDER BY area_key"
    )
    groups: list[list[str]] = [[]]
    size = 0
    for key, count in counts:
        if key not in wanted:
            continue
        if size and size + count > RETIMELINE_ROWS:
            groups.append([])
            size = 0
        groups[-1].append(key)
        size += count
    at = ENTRY_COLUMNS.index("area_key")
    for group in groups:
        if group:
            keys = set(group)
            found = tx.rows(f"{transitions} AND area_key >= ? AND area_key <= ?", (group[0], group[-1]))
            yield _by_area(row for row in found if row[at] in keys)


def _by_area(found: Iterable[tuple[Any, ...]]) -> dict[str, list[EntryRow]]:
    by_area: dict[str, list[EntryRow]] = {}
    for row in found:
        entry = EntryRow._make(row)
        by_area.setdefault(str(entry.area_key), []).append(entry)
    return by_area
