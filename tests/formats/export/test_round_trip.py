"""Export, then load into a fresh store: the projections are the same, on the same clocks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from incidents.application import IncidentLog
from incidents.formats.export.exported import exported_actions
from incidents.ingest import ingest_contents, ingest_files, read_reports
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.storage.location import MemoryLocation, parse_location
from tests.conftest import ALIASES, ROOT, SEEDS
from tests.domain.amendments.conftest import report
from tests.formats.export.conftest import CORRECTED, RUDAW, answer, invoke, succeeded

QUERIES = (
    ("totals", "--by", "side,actor,phase,province,area"),
    ("areas",),
    ("claims",),
)


def export_to(db: Path, export_format: str, target: Path, *clocks: str) -> Path:
    succeeded(db, "export", "--format", export_format, *clocks, "--output", str(target))
    return target


@pytest.mark.parametrize("export_format", ["json", "csv"])
@pytest.mark.parametrize("as_of", ["2019-08-28", "2019-08-24"])
def test_a_fresh_store_loaded_from_an_export_answers_the_same(
    corrected_store: Path, tmp_path: Path, export_format: str, as_of: str
) -> None:
    clocks = ("--as-of", as_of)
    file = export_to(corrected_store, export_format, tmp_path / f"export.{export_format}", *clocks)
    fresh = tmp_path / "fresh.db"
    succeeded(fresh, "load", "--quiet", "--aliases", str(ALIASES), str(file))
    for query in QUERIES:
        assert answer(fresh, *query, *clocks) == answer(corrected_store, *query, *clocks), query


def test_the_round_trip_carries_the_correction(corrected_store: Path, tmp_path: Path) -> None:
    """Without the correction ISIS killed would be 5: the export holds its effect."""
    file = export_to(corrected_store, "csv", tmp_path / "export.csv", "--as-of", "2019-08-28")
    fresh = tmp_path / "fresh.db"
    succeeded(fresh, "load", "--quiet", "--aliases", str(ALIASES), str(file))
    rows = answer(fresh, "totals", "--as-of", "2019-08-28")["rows"]
    killed = next(row for row in rows if (row["metric"], row["side"]) == ("killed", "ISIS"))
    assert killed["best"] == 6


@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_loading_an_export_again_changes_nothing(
    corrected_store: Path, tmp_path: Path, export_format: str
) -> None:
    first = export_to(corrected_store, export_format, tmp_path / f"first.{export_format}")
    fresh = tmp_path / "fresh.db"
    succeeded(fresh, "load", "--quiet", "--aliases", str(ALIASES), str(first))
    again = export_to(fresh, export_format, tmp_path / f"again.{export_format}")
    result = succeeded(fresh, "load", "--quiet", "--aliases", str(ALIASES), str(again))
    assert "0 report(s) recorded, 2 unchanged" in result.stdout


def test_an_export_cannot_overwrite_the_reports_it_came_from(corrected_store: Path, tmp_path: Path) -> None:
    """The export holds canonical names and the corrected count under the same report ids:
    recorded reports are never overwritten, so it loads into a fresh store, not back into its own."""
    file = export_to(corrected_store, "json", tmp_path / "export.json")
    copy = tmp_path / "copy.db"
    copy.write_bytes(corrected_store.read_bytes())
    result = invoke(copy, "load", "--aliases", str(ALIASES), str(file))
    assert result.exit_code == 1
    assert "is already recorded with different content" in result.stderr
    assert "nothing was written" in result.stderr


def test_retracted_actions_are_left_out_and_duplicates_written_once(tmp_path: Path) -> None:
    wire = tmp_path / "wire.yaml"
    wire.write_text(
        report(
            "wire-2019-08-25",
            "2019-08-25",
            "  - {id: pmf-killed, type: killed, occurred: 2019-08-24, side: ISIS, actor: PMF, count: 2,"
            " quote: The PMF killed two}\n"
            "  - {type: duplicate, same: [pmf-killed,"
            f" {RUDAW}/phase-4-first-day-killed.2], reason: one claim}}\n"
            f"  - {{type: retraction, target: {CORRECTED}, reason: withdrawn}}\n",
        ),
        encoding="utf-8",
    )
    log = IncidentLog.open(MemoryLocation())
    try:
        ingest_files(log, [SEEDS, wire], ALIASES)
        exported = exported_actions(read_ledger(log), Viewpoint(as_of=date(2019, 8, 28)))
    finally:
        log.close()
    refs = {str(item.ref) for item in exported}
    assert CORRECTED not in refs
    # One incident, counted once: as the member from the later report (the Rudaw article).
    assert f"{RUDAW}/phase-4-first-day-killed.2" in refs
    assert "wire-2019-08-25/pmf-killed" not in refs


def test_a_ucdp_import_round_trips_with_its_splits_and_points(tmp_path: Path) -> None:
    """UCDP events are split totals whose parts do not add up to the stated low and high, at
    coordinates UCDP states: what a report file cannot say, the export keeps."""
    source = tmp_path / "ucdp.db"
    succeeded(
        source, "import", "ucdp-ged", "--quiet", str(ROOT / "tests/fixtures/ucdp/ucdp-ged-syria-slice.csv")
    )
    for export_format in ("json", "csv"):
        file = export_to(source, export_format, tmp_path / f"ucdp.{export_format}")
        fresh = tmp_path / f"fresh-{export_format}.db"
        succeeded(fresh, "load", "--quiet", str(file))
        assert _actions(fresh) == _actions(source), export_format
    bundle = json.loads((tmp_path / "ucdp.json").read_text(encoding="utf-8"))
    parts = [action for report in bundle["reports"] for action in report["actions"]]
    assert all("split_of" in action for action in parts)
    assert any("point" in action["place"] for action in parts if "place" in action)


def _actions(db: Path) -> list[tuple[str, object]]:
    log = IncidentLog.open(parse_location(str(db)))
    try:
        return [(item.report_key, item.action) for item in exported_actions(read_ledger(log), Viewpoint())]
    finally:
        log.close()


def test_a_report_of_the_seeds_and_its_export_load_together(tmp_path: Path) -> None:
    """A bundle is read wherever a report file is: alone, beside report files, in a folder."""
    folder = tmp_path / "dataset"
    folder.mkdir()
    source = tmp_path / "source.db"
    succeeded(
        source, "load", "--quiet", str(ROOT / "seeds" / "rudaw-2019-08-28-will-of-victory-phase-4.yaml")
    )
    export_to(source, "json", folder / "rudaw-export.json")
    contents = read_reports(
        [folder, ROOT / "seeds" / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml"], ALIASES
    )
    assert sorted(content.key for content in contents) == sorted(
        [RUDAW, "alshahid-2019-07-anti-isis-operations-clear-villages"]
    )
    log = IncidentLog.open(MemoryLocation())
    try:
        assert len(ingest_contents(log, contents)) == 2
    finally:
        log.close()
