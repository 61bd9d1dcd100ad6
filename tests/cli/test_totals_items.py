"""``incidents totals --items``: materiel per item by default, its items summed when asked."""

from __future__ import annotations

import json
from pathlib import Path

from tests.command import invoke, report_folder

REPORT = """\
format: incidents/report v1
id: ina-2019-07-10-materiel
source:
  outlet: Iraqi News Agency
  url: https://example.invalid/ina/materiel
  published: 2019-07-10
  language: en
actions:
  - {id: launchers, type: materiel_destroyed, occurred: 2019-07-09, side: ISIS, item: rocket launchers,
     count: 40, quote: 40 rocket launchers were destroyed}
  - {id: ieds, type: materiel_destroyed, occurred: 2019-07-09, side: ISIS, item: IEDs, count: 8,
     quote: eight IEDs were dismantled}
  - {id: camps, type: materiel_destroyed, occurred: 2019-07-09, side: ISIS, item: camps, count: 14,
     quote: and 14 camps destroyed}
"""


def _loaded(store: str, tmp_path: Path) -> str:
    result = invoke(store, "load", "--quiet", str(report_folder(tmp_path, "materiel", REPORT)))
    assert result.exit_code == 0, result.output
    return store


def _rows(store: str, *args: str) -> list[tuple[str | None, int]]:
    result = invoke(store, "totals", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return [(row["item"], row["best"]) for row in document["rows"] if row["metric"] == "destroyed"]


def test_materiel_is_per_item_unless_asked_together(store: str, tmp_path: Path) -> None:
    _loaded(store, tmp_path)
    assert _rows(store) == [("IEDs", 8), ("camps", 14), ("rocket launchers", 40)]
    assert _rows(store, "--items", "apart") == _rows(store)
    assert _rows(store, "--items", "together") == [(None, 62)]
    together = json.loads(invoke(store, "totals", "--items", "together", "--format", "json").stdout)
    assert together["query"]["items"] == "together"
    assert "items" not in json.loads(invoke(store, "totals", "--format", "json").stdout)["query"]
    table = invoke(store, "totals", "--items", "together")
    assert "62" in table.stdout
    assert "items together" in table.stdout


def test_items_together_grouped_by_item_is_refused(store: str, tmp_path: Path) -> None:
    _loaded(store, tmp_path)
    result = invoke(store, "totals", "--items", "together", "--by", "item")
    assert result.exit_code == 1
    assert "items together cannot also be grouped by item" in result.output
    assert invoke(store, "totals", "--items", "mixed").exit_code == 2  # click's own refusal
