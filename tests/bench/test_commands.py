"""``bench/commands.py`` times every command it names, answered here and (but for those answered
here only) through a running server, after checking both print the same bytes."""

from __future__ import annotations

from pathlib import Path

from tests.bench.modules import bench_module

bench = bench_module("bench")
commands = bench_module("commands")


def test_every_command_is_timed_here_and_served_but_those_answered_here(tmp_path: Path) -> None:
    store = str(tmp_path / "incidents.db")
    bench.worker_import(store, 2_000, 2014, "held", 1)  # (its read model caught up)
    figures = {name: rest for name, *rest in commands.command_figures(store, str(tmp_path), runs=1)}
    assert figures["same bytes here and through the server"][0] == "yes"
    for name in commands.QUERIES:
        assert name in figures
        assert (name + commands.SERVED in figures) == (name not in commands.ANSWERED_HERE)
