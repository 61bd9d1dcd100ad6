"""A log with the seeds loaded, and a way to add report files written in a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from incidents.application import IncidentLog
from incidents.ingest import Loaded, ingest_files
from incidents.storage.location import MemoryLocation
from tests.conftest import ALIASES, SEEDS

RUDAW = "rudaw-2019-08-28-will-of-victory-phase-4"
PMF_KILL = f"{RUDAW}/pmf-statement-killed"

AddReport = Callable[[str], list[Loaded]]


@pytest.fixture
def seeded() -> Iterator[IncidentLog]:
    log = IncidentLog.open(MemoryLocation())
    ingest_files(log, [SEEDS])
    yield log
    log.close()


@pytest.fixture
def add_report(seeded: IncidentLog, tmp_path: Path) -> AddReport:
    """Write a report file (YAML) and load it into the seeded log, as ``incidents load`` does."""
    count = 0

    def add(text: str) -> list[Loaded]:
        nonlocal count
        count += 1
        path = tmp_path / f"report-{count}.yaml"
        path.write_text(text, encoding="utf-8")
        return ingest_files(seeded, [path], ALIASES)

    return add


def report(key: str, published: str, actions: str, outlet: str = "Wire") -> str:
    """A report file's text: its source, and the actions given as YAML list items."""
    return (
        "format: incidents/report v1\n"
        f"id: {key}\n"
        f'source: {{outlet: {outlet}, url: "https://wire.example/{key}", published: {published}}}\n'
        "actions:\n" + actions
    )


# A second report of the first day of phase 4: the PMF's kills (a different count), and the
# coalition's (the same facts as Rudaw's: a likely duplicate).
WIRE = report(
    "wire-2019-08-25",
    "2019-08-25",
    """  - id: pmf-killed
    type: killed
    occurred: 2019-08-24
    side: ISIS
    actor: PMF
    count: 3
    quote: The PMF said its fighters killed three militants on Saturday.
  - id: coalition-killed
    type: killed
    occurred: 2019-08-24
    side: ISIS
    actor: US-led coalition
    count: 2
    quote: Two militants died in coalition airstrikes.
""",
)
