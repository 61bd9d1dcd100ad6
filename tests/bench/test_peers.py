"""``bench/peers.py``, the polars peer on the exported action table, asks the questions the read
model answers: on a synthetic log, its areas and totals as of a day are the read model's (the
export holds exactly the actions the clocks count, and the peer counts those whose span ended)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from incidents.projections.clocks import Viewpoint
from incidents.service import Service
from tests.bench.modules import bench_module
from tests.command import invoke

bench = bench_module("bench")
peers = bench_module("peers")

DAYS = [date(2015, 3, 1), date(2018, 11, 20), date(2024, 12, 31)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("peers")
    store = str(folder / "incidents.db")
    bench.worker_import(store, 4_000, 2014)
    table = folder / "actions.csv"
    done = invoke(store, "export", "--format", "csv", "--output", str(table))
    assert done.exit_code == 0, done.output
    return store, table


@pytest.mark.parametrize("day", DAYS)
def test_the_peers_areas_are_the_read_models_counted_states(exported: tuple[str, Path], day: date) -> None:
    store, table = exported
    answer = Service.open(store).areas(viewpoint=Viewpoint(as_of=day))
    mine = {
        state.place.label.casefold(): (state.status.value, state.since.start)
        for state in answer.states
        if not state.pending  # (a pending transition: the peer knows nothing of it)
    }
    status = {"threat_reported": "threatened", "clearing_started": "clearing", "area_cleared": "cleared"}
    peer = {
        row["area_key"]: (status[row["status"]], row["since"])
        for row in peers.areas(peers.read_table(table), day).iter_rows(named=True)
    }
    assert mine, "no area has a settled status that day"
    assert {key: peer.get(key) for key in mine} == mine


@pytest.mark.parametrize("day", DAYS)
def test_the_peers_totals_are_the_read_models_counted_sums(exported: tuple[str, Path], day: date) -> None:
    store, table = exported
    answer = Service.open(store).totals(viewpoint=Viewpoint(as_of=day))
    killed = {
        row.side: (row.estimate.low, row.estimate.high, row.events)
        for row in answer.rows
        if row.metric.value == "killed"
    }
    found = peers.totals(peers.read_table(table), day).filter(type="killed").iter_rows(named=True)
    assert killed
    assert {row["side"]: (row["low"], row["high"], row["events"]) for row in found} == killed


def test_a_known_at_day_leaves_out_what_was_published_later(exported: tuple[str, Path]) -> None:
    _store, table = exported
    read = peers.read_table(table)
    day = date(2018, 11, 20)
    assert peers.totals(read, day, known_at=day)["events"].sum() < peers.totals(read, day)["events"].sum()
