"""What the commands say of recorded events they cannot read (a store written before the limits):
the answer, and beside it every event left out, with where it is, why, and how to set it aside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from incidents.application import IncidentLog
from incidents.storage.location import parse_location
from tests.command import invoke
from tests.conftest import RUDAW, SEEDS
from tests.readmodel.test_unreadable import _record_poisoned_log


def _poisoned(store: str) -> None:
    log = IncidentLog.open(parse_location(store))
    try:
        _record_poisoned_log(log)
    finally:
        log.close()


def test_totals_answers_and_warns_of_each_unreadable_event(store: str) -> None:
    _poisoned(store)
    result = invoke(store, "totals")
    assert result.exit_code == 0, result.output
    assert "warning: 5 recorded events cannot be read and are not counted:" in result.stderr
    assert "huge/h: " in result.stderr
    assert "incidents retract huge/h --reason" in result.stderr
    assert "\x00" not in result.stderr
    assert "Traceback" not in result.output


def test_json_lists_the_unreadable_events(store: str) -> None:
    _poisoned(store)
    document = json.loads(invoke(store, "areas", "--format", "json").stdout)
    listed = {(row["report"], row["id"]) for row in document["unreadable"]}
    assert ("huge", "h") in listed
    assert ("nul-quote", "nul") in listed
    killed = json.loads(invoke(store, "totals", "--format", "json").stdout)["rows"]
    assert [row["best"] for row in killed if row["metric"] == "killed"] == [9]


def test_rebuild_reports_what_it_set_aside(store: str) -> None:
    _poisoned(store)
    result = invoke(store, "rebuild")
    assert result.exit_code == 0, result.output
    assert "cannot be read and are not counted" in result.stderr


def test_an_unreadable_action_can_be_retracted_and_nothing_else(store: str) -> None:
    _poisoned(store)
    corrected = invoke(store, "correct", "huge/h", "--set", "count=2", "--reason", "the count was 2")
    assert corrected.exit_code == 1
    assert "huge/h is recorded but cannot be read" in corrected.stderr
    assert "only a retraction can set it aside" in corrected.stderr
    retracted = invoke(store, "retract", "huge/h", "--reason", "recorded before the limits")
    assert retracted.exit_code == 0, retracted.output
    after = invoke(store, "totals")
    assert "warning: 4 recorded events cannot be read" in after.stderr
    assert "huge/h" not in after.stderr


def test_a_changed_report_whose_recorded_events_cannot_be_read_is_still_refused_plainly(
    store: str, tmp_path: Path
) -> None:
    _poisoned(store)
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(SEEDS / "aliases.yaml", folder)
    shutil.copytree(SEEDS / "gazetteer", folder / "gazetteer")
    text = RUDAW.read_text(encoding="utf-8").replace(f"id: {RUDAW.stem}", "id: huge", 1)
    (folder / "huge.yaml").write_text(text, encoding="utf-8")
    result = invoke(store, "load", str(folder / "huge.yaml"))
    assert result.exit_code == 1
    assert "report 'huge' is already recorded with different content" in result.stderr
    assert "nothing was written" in result.stderr
