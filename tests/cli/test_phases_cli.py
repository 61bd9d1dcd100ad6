"""``incidents phases`` end to end: two outlets announce one launch, ``conflicts`` says how to link
them, and once linked ``phases`` shows one launch with two sources on the more precise date."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.command import invoke
from tests.conftest import SEEDS

ALSHAHID = "alshahid-2019-07-anti-isis-operations-clear-villages/phase-2-launched"
SECOND_OUTLET = """\
format: incidents/report v1
id: ina-2019-07-21-phase-2
source:
  outlet: Iraqi News Agency
  url: https://example.org/ina/phase-2
  published: 2019-07-21
actions:
  - id: phase-2-launched
    type: phase_launched
    occurred: 2019-07-21
    operation: Irada al-Nasr
    phase: 2
    regions: [Anbar]
    supervisor: Joint Operations Command
    quote: The second phase of Will of Victory operations was launched today.
"""


def _json(db: Path, *args: str) -> dict[str, Any]:
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_two_outlets_announcing_one_launch_are_linked_as_conflicts_says_then_phases_shows_one(
    tmp_path: Path,
) -> None:
    db = tmp_path / "phases.db"
    report = tmp_path / "ina.yaml"
    report.write_text(SECOND_OUTLET, encoding="utf-8")
    loaded = invoke(db, "load", "--quiet", "--aliases", str(SEEDS / "aliases.yaml"), str(SEEDS), str(report))
    assert loaded.exit_code == 0, loaded.output

    conflicts = _json(db, "conflicts")["rows"]
    link = f"incidents link ina-2019-07-21-phase-2/phase-2-launched {ALSHAHID}"
    assert [row["rule"] for row in conflicts if row["kind"] == "likely duplicate"] == [
        f"one launch reported twice until linked: {link}"
    ]
    [before] = [row for row in _json(db, "phases")["rows"] if row["phase"] == 2]
    assert before["launched"] == "2019-07-21"
    assert any("not linked" in note for note in before["conflicts"])

    linked = invoke(db, *link.split()[1:], "--reason", "one launch")
    assert linked.exit_code == 0, linked.output
    [after] = [
        row for row in _json(db, "phases", "--operation", "Will to Victory")["rows"] if row["phase"] == 2
    ]
    assert after["launched"] == after["launched_start"] == after["launched_end"] == "2019-07-21"
    assert after["launched_precision"] == "day"
    assert after["sources"] == ["Al-Shahid Witness (2019-07-28/2019-07-31)", "Iraqi News Agency (2019-07-21)"]
    assert after["supervisor"] == "Joint Operations Command"
    assert after["regions"] == ["north of Baghdad", "Diyala", "Salah Al-Din", "Al-Anbar"]
    assert after["conflicts"] == []
    assert _json(db, "conflicts")["rows"] == []

    # As of a day before the launch was known, and in CSV: the same columns, lists joined.
    assert _json(db, "phases", "--known-at", "2019-07-20")["rows"] == []
    table = invoke(db, "phases", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert rows[0]["phase"] == "2"
    assert rows[0]["sources"] == "Al-Shahid Witness (2019-07-28/2019-07-31); Iraqi News Agency (2019-07-21)"


def test_an_unknown_operation_is_an_error_that_names_it(tmp_path: Path) -> None:
    db = tmp_path / "phases.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    result = invoke(db, "phases", "--operation", "Will of Victroy")
    assert result.exit_code != 0
    assert "no operation 'Will of Victroy'" in result.output
    assert "did you mean Will of Victory" in result.output
