"""``bench/clocks.py`` measures the queries in a process set up as ``incidents serve`` sets
itself up, for older code too: its copy of the collector's settings is the server's."""

from __future__ import annotations

import gc

from incidents import runtime
from tests.bench.modules import bench_module

clocks = bench_module("clocks")


def test_the_benchmark_sets_older_code_up_as_the_server_sets_itself() -> None:
    assert clocks.SERVING_THRESHOLDS == runtime.SERVING_THRESHOLDS


def test_a_serving_process_freezes_what_it_holds_and_collects_less_often() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        runtime.tune_for_serving()
        assert gc.get_threshold() == runtime.SERVING_THRESHOLDS
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
