"""What each export format says about the seeds: values, sources, quotes, places, clocks."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from incidents.application import IncidentLog
from incidents.domain.actions import ACTION_KINDS, ReportedAction
from incidents.domain.values import Name
from incidents.formats.export.acled import ACLED_COLUMNS
from incidents.formats.export.action_table import COLUMNS, FIELD_COLUMNS
from incidents.formats.export.bundle import EXPORT_FORMAT, read_bundle
from incidents.formats.export.exported import ExportedAction, exported_actions
from incidents.formats.located import parse_document
from incidents.formats.reference import read_name_index
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.storage.location import parse_location
from tests.conftest import ALIASES, ROOT
from tests.formats.export.conftest import ALSHAHID, RUDAW, exported, invoke

AS_OF = ("--as-of", "2019-08-28")
KARMA = [43.8978, 33.53679]  # the gazetteer centroid of Al-Garma (IQG01Q01N02)


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def by_id(rows: list[dict[str, str]], key: str = "action_id") -> dict[str, dict[str, str]]:
    return {row[key]: row for row in rows}


# --- JSON bundle ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(corrected_store: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(exported(corrected_store, "json", *AS_OF))
    return document


def actions_of(bundle: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    [report] = [report for report in bundle["reports"] if report["id"] == key]
    return {action["id"]: action for action in report["actions"]}


def test_the_bundle_names_its_format_and_clocks(bundle: dict[str, Any]) -> None:
    assert bundle["format"] == EXPORT_FORMAT
    assert bundle["query"] == {"as_of": "2019-08-28", "known_at": None, "recorded_at": None}
    assert [report["id"] for report in bundle["reports"]] == [ALSHAHID, RUDAW]
    assert bundle["uncertain"] == []


def test_the_bundle_keeps_each_reports_source(bundle: dict[str, Any]) -> None:
    sources = {report["id"]: report["source"] for report in bundle["reports"]}
    assert sources[ALSHAHID] == {
        "outlet": "Al-Shahid Witness",
        "title": "Anti-ISIS Operations Continue to Clear Out Villages in Iraq",
        "url": "https://alshahidwitness.com/iraq-anti-isis-operations/",
        "published": "2019-07-28/2019-07-31",
        "language": "en",
    }
    assert sources[RUDAW] == {  # no title: the page has none, and none is made up
        "outlet": "Rudaw English",
        "url": "https://rudaw.net/english/middleeast/iraq/280820193",
        "published": "2019-08-28",
        "language": "en",
    }


def test_the_bundle_writes_actions_as_a_report_file_does(bundle: dict[str, Any]) -> None:
    rudaw = actions_of(bundle, RUDAW)
    assert rudaw["pmf-statement-killed"] == {
        "type": "killed",
        "id": "pmf-statement-killed",
        "occurred": "2019-08-24/2019-08-27",
        "quote": (
            "The PMF announced the killing of another ISIS militant in this operation phase and the "
            "arrests of seven others in a statement released yesterday."
        ),
        "operation": "Will of Victory",
        "phase": 4,
        "side": "ISIS",
        "count": 2,  # as corrected
        "actor": "PMF",
    }
    assert rudaw["remaining-militants"]["count"] == "14000-18000"
    assert rudaw["remaining-militants"]["occurred"] == {
        "from": "2019-08-01",
        "to": "2019-08-28",
        "precision": "month",
    }
    assert rudaw["operation-launched"]["forces"] == [
        "Iraqi Army",
        "PMF",
        "Federal Police",
        "US-led coalition",
    ]
    alshahid = actions_of(bundle, ALSHAHID)
    assert alshahid["federal-police-killed"]["occurred"] == {
        "from": "2019-06-21",
        "to": "2019-06-30",
        "precision": "month-part",
    }
    assert alshahid["federal-police-killed"]["place"] == {
        "name": "Salahuddin Province",
        "qualifier": "south of",
        "pcode": "IQG16",
    }
    assert alshahid["threat-karma"]["area"] == {"name": "Karma", "pcode": "IQG01Q01N02"}
    assert alshahid["threat-khairat"]["area"] == {"name": "Khairat", "pcode": None}


def test_the_parts_of_a_split_total_are_actions_that_say_what_they_are_part_of(
    bundle: dict[str, Any],
) -> None:
    rudaw = actions_of(bundle, RUDAW)
    assert "phase-4-first-day-killed" not in rudaw  # the stated total is not an action: its parts are
    first, second = rudaw["phase-4-first-day-killed.1"], rudaw["phase-4-first-day-killed.2"]
    assert (first["count"], first["actor"], first["means"]) == (2, "US-led coalition", "airstrike")
    assert (second["count"], second["actor"]) == (2, "PMF")
    for part in (first, second):
        assert part["split_of"] == {"statement": "phase-4-first-day-killed", "stated": 4}


def _same_names(action: ReportedAction) -> ReportedAction:
    """The action with every name written as its canonical name (what an export writes)."""
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(action)):
        value = getattr(action, field.name)
        if isinstance(value, Name):
            changes[field.name] = Name(value.canonical, value.canonical, value.known)
        elif isinstance(value, tuple) and value and isinstance(value[0], Name):
            changes[field.name] = tuple(Name(name.canonical, name.canonical, name.known) for name in value)
    return attrs.evolve(action, **changes)


def in_store(db: Path, viewpoint: Viewpoint) -> tuple[list[ExportedAction], int]:
    """What an export of the store holds, and the store position of its last amendment."""
    log = IncidentLog.open(parse_location(str(db)))
    try:
        ledger = read_ledger(log)
        return exported_actions(ledger, viewpoint), ledger.amendments[-1].position
    finally:
        log.close()


def test_reading_the_bundle_gives_back_the_exported_actions(corrected_store: Path) -> None:
    text = exported(corrected_store, "json", *AS_OF)
    contents = read_bundle(parse_document(text, "export.json"), "export.json", read_name_index(ALIASES))
    expected, _position = in_store(corrected_store, Viewpoint(as_of=date(2019, 8, 28)))
    read_back = [(content.key, content.source, action) for content in contents for action in content.actions]
    assert read_back == [(item.report_key, item.source, _same_names(item.action)) for item in expected]


def test_uncertain_actions_are_exported_and_listed_with_the_reason(corrected_store: Path) -> None:
    bundle = json.loads(exported(corrected_store, "json", "--as-of", "2019-08-24"))
    uncertain = {(row["report"], row["id"]): row["reason"] for row in bundle["uncertain"]}
    assert uncertain[(RUDAW, "pmf-statement-killed")] == (
        "occurred 2019-08-24/2019-08-27 straddles the as-of date 2019-08-24"
    )
    assert "pmf-statement-killed" in actions_of(bundle, RUDAW)
    assert "operation-total-killed" not in actions_of(bundle, RUDAW)  # occurred 27 August: excluded


def test_the_recorded_clock_goes_back_before_the_correction(corrected_store: Path) -> None:
    _exported, correction = in_store(corrected_store, Viewpoint())
    before = str(correction - 1)
    bundle = json.loads(exported(corrected_store, "json", *AS_OF, "--recorded-at", before))
    assert actions_of(bundle, RUDAW)["pmf-statement-killed"]["count"] == 1


# --- CSV action table -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action_table(corrected_store: Path) -> list[dict[str, str]]:
    text = exported(corrected_store, "csv", *AS_OF)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    return table(text)


def test_every_field_of_the_catalogue_has_a_column() -> None:
    fields = {field.name for kind in ACTION_KINDS.values() for field in attrs.fields(kind)}
    assert fields == set(FIELD_COLUMNS)
    assert {column for columns in FIELD_COLUMNS.values() for column in columns} <= set(COLUMNS)


def test_every_column_is_documented() -> None:
    documented = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = documented.split("## Export formats", 1)[1]
    for column in (*COLUMNS, *ACLED_COLUMNS):
        assert f"`{column}`" in section, column


def test_the_table_has_a_row_per_action_with_its_report_repeated(action_table: list[dict[str, str]]) -> None:
    assert len(action_table) == 25  # 16 + 9 actions: the correction is applied, not exported
    rudaw = [row for row in action_table if row["report_id"] == RUDAW]
    assert {
        (row["outlet"], row["url"], row["published"], row["title"], row["language"]) for row in rudaw
    } == {("Rudaw English", "https://rudaw.net/english/middleeast/iraq/280820193", "2019-08-28", "", "en")}
    assert {row["standing"] for row in action_table} == {"counted"}


def test_a_counted_row_keeps_its_values_quote_and_place(action_table: list[dict[str, str]]) -> None:
    row = by_id(action_table)["federal-police-killed"]
    assert {
        column: row[column] for column in ("type", "occurred", "precision", "side", "actor", "means")
    } == {
        "type": "killed",
        "occurred": "2019-06-21/2019-06-30",
        "precision": "month-part",
        "side": "Federal Police",
        "actor": "ISIS",
        "means": "raid",
    }
    assert (row["count_low"], row["count_best"], row["count_high"]) == ("1", "1", "1")
    assert (row["place"], row["place_qualifier"], row["pcode"], row["province"]) == (
        "Salahuddin Province",
        "south of",
        "IQG16",
        "Salah Al-Din",
    )
    assert row["coordinates_from"] == "gazetteer"
    assert row["quote"].startswith("For instance, at the end of June, a member of the federal police")


def test_an_area_row_has_its_unit_and_centroid(action_table: list[dict[str, str]]) -> None:
    karma = by_id(action_table)["threat-karma"]
    assert (karma["area"], karma["pcode"], karma["province"], karma["district"]) == (
        "Karma",
        "IQG01Q01N02",
        "Al-Anbar",
        "Al-Falluja",
    )
    assert [float(karma["lon"]), float(karma["lat"])] == KARMA
    khairat = by_id(action_table)["threat-khairat"]
    assert (khairat["pcode"], khairat["lon"], khairat["coordinates_from"]) == ("", "", "")


def test_list_and_range_cells(action_table: list[dict[str, str]]) -> None:
    rows = by_id(action_table)
    phase = rows["phase-2-launched"]
    assert phase["regions"] == "Baghdad; Diyala; Salahuddin; Anbar"
    assert phase["region_qualifiers"] == "north of; ; ; "
    assert phase["region_pcodes"] == "IQG08; IQG10; IQG16; IQG01"
    strength = rows["remaining-militants"]
    assert (strength["count_low"], strength["count_best"], strength["count_high"]) == ("14000", "", "18000")
    part = rows["phase-4-first-day-killed.1"]
    assert (part["split_of"], part["split_stated_low"], part["split_stated_high"]) == (
        "phase-4-first-day-killed",
        "4",
        "4",
    )
    assert rows["pmf-statement-killed"]["count_best"] == "2"  # as corrected


# --- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_draws_each_located_action_at_its_point(corrected_store: Path) -> None:
    collection = json.loads(exported(corrected_store, "geojson", *AS_OF))
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    karma = features[f"{ALSHAHID}/threat-karma"]
    assert karma["geometry"] == {"type": "Point", "coordinates": KARMA}
    assert list(karma["properties"]) == list(COLUMNS)
    assert karma["properties"]["quote"] == "Areas that still hold an ISIS threat include Khairat and Karma."
    assert karma["properties"]["outlet"] == "Al-Shahid Witness"
    # Located: Karma, and the federal police killed and wounded south of Salahuddin. The rest
    # (unresolved areas, operations, phases, claims, Rudaw's unplaced actions) cannot be drawn.
    assert set(features) == {
        f"{ALSHAHID}/threat-karma",
        f"{ALSHAHID}/federal-police-killed",
        f"{ALSHAHID}/federal-police-wounded",
    }
    assert collection["unlocated"] == 25 - 3


def test_geojson_says_what_it_left_out(corrected_store: Path) -> None:
    result = invoke(corrected_store, "export", "--format", "geojson", *AS_OF)
    assert "22 action(s) without a location" in result.stderr


# --- ACLED ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def acled(corrected_store: Path) -> dict[str, dict[str, str]]:
    text = exported(corrected_store, "acled-csv", *AS_OF)
    assert text.splitlines()[0] == ",".join(ACLED_COLUMNS)
    return by_id(table(text), "event_id_cnty")


def test_acled_has_a_row_per_counted_or_area_action(acled: dict[str, dict[str, str]]) -> None:
    kinds = {key.rpartition("/")[2] for key in acled}
    assert "operation-total-killed" not in kinds  # a claim is not an event
    assert "remaining-militants" not in kinds
    assert len(acled) == 18  # 25 minus 2 operations, 2 phases, 2 claims and a strength estimate


def test_acled_maps_killed_by_means_with_fatalities(acled: dict[str, dict[str, str]]) -> None:
    airstrike = acled[f"{RUDAW}/phase-4-first-day-killed.1"]
    assert (airstrike["event_type"], airstrike["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert (airstrike["actor1"], airstrike["actor2"], airstrike["fatalities"]) == (
        "US-led coalition",
        "ISIS",
        "2",
    )
    assert (airstrike["event_date"], airstrike["time_precision"]) == ("2019-08-24", "1")
    assert airstrike["source"] == "Rudaw English"
    raid = acled[f"{ALSHAHID}/federal-police-killed"]
    assert (raid["disorder_type"], raid["event_type"], raid["sub_event_type"]) == (
        "Political violence",
        "Battles",
        "Armed clash",
    )
    assert (raid["event_date"], raid["time_precision"]) == ("2019-06-25", "2")  # the middle of 21-30 June
    assert (raid["country"], raid["admin1"], raid["geo_precision"]) == ("Iraq", "Salah Al-Din", "3")
    assert "occurred: 2019-06-21/2019-06-30 (month-part)" in raid["tags"]
    corrected = acled[f"{RUDAW}/pmf-statement-killed"]
    assert corrected["fatalities"] == "2"


def test_acled_maps_arrests_areas_and_counts_that_are_not_fatalities(
    acled: dict[str, dict[str, str]],
) -> None:
    arrests = acled[f"{RUDAW}/pmf-statement-arrested"]
    assert (arrests["event_type"], arrests["sub_event_type"], arrests["fatalities"]) == (
        "Strategic developments",
        "Arrests",
        "0",
    )
    assert "arrested: 7" in arrests["tags"]
    wounded = acled[f"{ALSHAHID}/federal-police-wounded"]
    assert (wounded["fatalities"], "wounded: 3" in wounded["tags"]) == ("0", True)
    cleared = acled[f"{ALSHAHID}/cleared-umm-najm"]
    assert cleared["sub_event_type"] == "Change to group/activity"
    karma = acled[f"{ALSHAHID}/threat-karma"]
    assert (karma["sub_event_type"], karma["location"], karma["admin3"]) == ("Other", "Al-Garma", "Al-Garma")
    assert [float(karma["longitude"]), float(karma["latitude"])] == KARMA
    assert karma["geo_precision"] == "2"  # a sub-district's centroid


def test_acled_says_what_it_left_out(corrected_store: Path) -> None:
    result = invoke(corrected_store, "export", "--format", "acled-csv", *AS_OF)
    assert "2 operation_launched, 2 phase_launched, 1 strength_estimated, 2 total_claimed" in result.stderr


# --- The command ----------------------------------------------------------------------------------


def test_output_goes_to_a_file_when_asked(corrected_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = invoke(corrected_store, "export", "--format", "csv", *AS_OF, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == exported(corrected_store, "csv", *AS_OF)
    assert "exported 25 actions of 2 reports (0 uncertain), 1 amendment applied, as csv to" in result.stderr
    assert "left out: nothing." in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]  # no partial file left behind


def test_the_format_is_required(corrected_store: Path) -> None:
    assert invoke(corrected_store, "export").exit_code == 2
