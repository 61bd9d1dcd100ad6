"""The ``incidents`` command through click's test runner, and what a store holds afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from incidents.application import IncidentLog
from incidents.cli import main
from incidents.storage.location import parse_location
from tests.builders import read_entries
from tests.conftest import ALIASES, SEEDS


def invoke(db: Path | str, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``incidents --db DB ARGS...`` in this process."""
    return CliRunner().invoke(main, ["--db", str(db), *args], env=env)


def entries_in(db: Path | str) -> int:
    """How many actions the store holds."""
    log = IncidentLog.open(parse_location(str(db)))
    try:
        return len(read_entries(log))
    finally:
        log.close()


def position_of(db: Path | str) -> int:
    """The store's position: the id of the last event it recorded (0 when empty)."""
    log = IncidentLog.open(parse_location(str(db)))
    try:
        return log.recorder.max_notification_id() or 0
    finally:
        log.close()


def report_folder(parent: Path, name: str, text: str) -> Path:
    """A folder ``parent/name`` with one report file (``text``) and the seeds' reference data."""
    folder = parent / name
    folder.mkdir()
    shutil.copy(ALIASES, folder / "aliases.yaml")
    shutil.copytree(SEEDS / "gazetteer", folder / "gazetteer")
    (folder / "report.yaml").write_text(text, encoding="utf-8")
    return folder
