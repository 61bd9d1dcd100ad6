"""Loads and queries in several processes at once: each query catches the read model up while
others write and project, and the read model ends with every event projected exactly once,
equal to the fold."""

from __future__ import annotations

import shlex
import subprocess
from datetime import date
from pathlib import Path

from incidents.application import IncidentLog
from incidents.readmodel import ReadModel
from incidents.storage.location import parse_location
from tests.readmodel.oracle import assert_exactly_once_up_to_the_position, differences, viewpoint_grid
from tests.storage.synthetic import incidents_command, incidents_env, run_incidents, write_reports

LOADERS = 4
QUERIERS = 3
QUERIES = 6  # each querier's, one after the other


def test_queries_catching_up_while_others_load_project_each_event_once(store: str, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, 40)
    assert run_incidents(store, "load", "--quiet", str(folder / "report-000.yaml")).returncode == 0
    files = sorted(str(path) for path in folder.glob("report-*.yaml"))[1:]
    loaders = [
        subprocess.Popen(
            incidents_command(store, "load", "--quiet", *files[n::LOADERS]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=incidents_env(),
        )
        for n in range(LOADERS)
    ]
    query = shlex.join(incidents_command(store, "totals", "--by", "side", "--format", "json"))
    script = "; ".join([f"{query} > /dev/null"] * QUERIES)
    queriers = [
        subprocess.Popen(["bash", "-c", script], stderr=subprocess.PIPE, text=True, env=incidents_env())
        for _ in range(QUERIERS)
    ]
    for process in [*loaders, *queriers]:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors

    assert run_incidents(store, "areas").returncode == 0  # the last catch-up
    assert_exactly_once_up_to_the_position(store, "after concurrent loads and queries")
    log = IncidentLog.open(parse_location(store))
    model = ReadModel.open(parse_location(store), log)
    assert model is not None
    try:
        assert model.position() == log.recorder.max_notification_id()
        viewpoints = viewpoint_grid([None, date(2019, 7, 14)], [None, date(2019, 8, 10)], [None])
        assert differences(model, log, viewpoints, [(), ("side",)]) == []
    finally:
        model.close()
        log.close()
