"""The oracle: the read model's answers compared with the fold's, over many viewpoints.

Totals are compared with materiel per item and with its items summed together (``ITEMS``).
The answers are the folds' own objects, compared with ``==`` (attrs equality: every row, in
order, and every entry inside an uncertain item or a transition, its action, report, source and
recording): the fold's ``totals``/``area_states`` of the log as ``resolve`` leaves it for the
viewpoint, against ``ReadModel.totals``/``ReadModel.areas``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from incidents.application import IncidentLog
from incidents.domain.actions import AreaAction
from incidents.projections.areas import AreaFilter, Areas, area_states
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import Ledger, read_ledger
from incidents.projections.resolution import resolve
from incidents.projections.totals import ITEMS, Items, Totals, totals
from incidents.readmodel import ReadModel, schema
from incidents.readmodel.database import ReadModelDatabase
from incidents.storage.location import parse_location

GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("side",), ("province",), ("actor", "phase"), ("area", "month"))


def folded_totals(
    ledger: Ledger, viewpoint: Viewpoint, by: Sequence[str] = (), items: Items = "apart"
) -> Totals:
    return totals(resolve(ledger, viewpoint).entries, viewpoint, by, items=items)


def folded_areas(ledger: Ledger, viewpoint: Viewpoint) -> Areas:
    return area_states(resolve(ledger, viewpoint).entries, viewpoint)


def differences(
    model: ReadModel,
    log: IncidentLog,
    viewpoints: Iterable[Viewpoint],
    groupings: Sequence[tuple[str, ...]] = GROUPINGS,
) -> list[str]:
    """Every query whose read-model answer differs from the fold's, with where they differ."""
    ledger = read_ledger(log)
    found: list[str] = []
    for viewpoint in viewpoints:
        for by in groupings:
            for items in ITEMS:
                folded = folded_totals(ledger, viewpoint, by, items)
                read = model.totals(viewpoint, by, items)
                if read != folded:
                    found.append(
                        f"totals {viewpoint} by {by}, items {items}: "
                        + _where(folded, read, ("rows", "uncertain"))
                    )
        folded_state = folded_areas(ledger, viewpoint)
        read_state = model.areas(viewpoint)
        if read_state != folded_state:
            found.append(f"areas {viewpoint}: " + _where(folded_state, read_state, ("states", "uncertain")))
        for only in area_filters(folded_state):
            folded_kept, read_kept = only.applied(folded_state), model.areas(viewpoint, only)
            if read_kept != folded_kept:
                where = _where(folded_kept, read_kept, ("states", "uncertain"))
                found.append(f"areas {viewpoint}, only {only}: {where}")
    return found


def area_filters(answer: Areas) -> list[AreaFilter]:
    """A few filters of the areas the answer holds: each of (at most) two of its provinces, one
    province that none of its areas is in, the status of its first area, and both at once."""
    provinces = sorted({state.place.province for state in answer.states if state.place.province})
    provinces += sorted(
        {
            judged.entry.action.area.province
            for judged in answer.uncertain
            if isinstance(judged.entry.action, AreaAction) and judged.entry.action.area.province
        }
        - set(provinces)
    )
    filters = [AreaFilter(provinces=frozenset({province})) for province in provinces[:2]]
    filters.append(AreaFilter(provinces=frozenset({"Nowhere"})))
    if answer.states:
        status = frozenset({answer.states[0].status})
        filters.append(AreaFilter(statuses=status))
        filters.append(AreaFilter(provinces=frozenset(provinces[:1]), statuses=status))
    return filters


def _where(folded: Totals | Areas, read: Totals | Areas, parts: Sequence[str]) -> str:
    """The first item of each part (rows, states, uncertain) on which the answers differ."""
    said: list[str] = []
    for part in parts:
        mine, theirs = getattr(folded, part), getattr(read, part)
        if mine == theirs:
            continue
        if len(mine) != len(theirs):
            said.append(f"{part}: {len(mine)} folded, {len(theirs)} read\n  fold: {mine}\n  read: {theirs}")
            continue
        index = next(i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b)
        said.append(f"{part}[{index}]:\n  fold: {mine[index]}\n  read: {theirs[index]}")
    return "\n".join(said)


def viewpoint_grid(
    days: Sequence[date | None], known: Sequence[date | None], recorded: Sequence[datetime | int | None]
) -> list[Viewpoint]:
    return [Viewpoint(d, k, r) for d in days for k in known for r in recorded]


# --- Exactly once: what a read model committed, against the log ----------------------------------


def committed(db: str) -> tuple[int, list[int], list[int]] | None:
    """The read model's position, and the positions of its action and amendment rows."""
    database = ReadModelDatabase.open(parse_location(db))
    assert database is not None
    try:
        with database.read() as tx:
            if not schema.exists(tx):
                return None
            position = schema.position(tx)
            entries = [int(p) for (p,) in tx.rows("SELECT position FROM rm_entry ORDER BY position")]
            amendments = [int(p) for (p,) in tx.rows("SELECT position FROM rm_amendment ORDER BY position")]
        return position, entries, amendments
    finally:
        database.close()


def assert_exactly_once_up_to_the_position(db: str, where: str) -> bool:
    """Assert it; and say whether the read model was left part-way (behind the log)."""
    state = committed(db)
    if state is None:
        return True
    position, entries, amendments = state
    log = IncidentLog.open(parse_location(db))
    try:
        ledger = read_ledger(log)
    finally:
        log.close()
    assert entries == [e.position for e in ledger.entries if e.position <= position], f"killed {where}"
    assert amendments == [a.position for a in ledger.amendments if a.position <= position], f"killed {where}"
    return position < max(e.position for e in (*ledger.entries, *ledger.amendments))


def running_sums_add_up(model: ReadModel) -> dict[str, dict[tuple[str, str, str], list[int]]]:
    """Assert that the read model's weeks (``rm_sum_week``) are, for each week (from Monday)
    that has daily sums (``rm_sums``), the daily sums of every earlier day added up, per metric,
    side and item; the weeks' sums, by their first day."""
    with model.database.read() as tx:
        daily = tx.rows("SELECT * FROM rm_sums ORDER BY period, metric, side, item")
        weeks = tx.rows("SELECT starts, sums FROM rm_sum_week ORDER BY starts")
    written = {str(starts): {(m, s, i): v for m, s, i, *v in json.loads(text)} for starts, text in weeks}
    running: dict[tuple[str, str, str], list[int]] = {}
    expected = {}
    for period, *key_and_values in daily:
        day = date.fromisoformat(str(period))
        monday = (day - timedelta(days=day.weekday())).isoformat()
        if monday not in expected:
            expected[monday] = {key: list(values) for key, values in running.items()}
        key = (str(key_and_values[0]), str(key_and_values[1]), str(key_and_values[2]))
        values = [int(v) for v in key_and_values[3:]]
        total = running.setdefault(key, [0] * len(values))
        total[:] = [a + b for a, b in zip(total, values, strict=True)]
    assert written == expected
    return written
