"""Places below the gazetteer: ``within`` says where a place lies (its province and district,
and which of several units of one name it is), ``point`` where to draw it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import Killed
from incidents.domain.values import AdminUnit, Place, Point, normalise_name
from incidents.formats.errors import InvalidInputError
from incidents.formats.export.action_table import write_action_table
from incidents.formats.export.bundle import write_bundle
from incidents.formats.export.geojson import write_geojson
from incidents.formats.reference import read_name_index
from incidents.formats.report_file import parse_report
from incidents.gazetteer import NameIndex
from incidents.service import Service, Viewpoint
from tests.conftest import ALIASES

HEADER = """\
format: incidents/report v1
id: wire-diyala
source: {outlet: Wire, url: "https://wire.example/diyala", published: 2019-09-04}
actions:
"""


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return read_name_index(ALIASES)


def place_of(written: str, names: NameIndex) -> tuple[Place, tuple[str, ...]]:
    text = (
        HEADER
        + f"  - {{type: killed, occurred: 2019-09-01, side: ISIS, count: 2, quote: q, place: {written}}}\n"
    )
    content = parse_report(text, "r.yaml", names)
    action = content.actions[0]
    assert isinstance(action, Killed)
    assert action.place is not None
    return action.place, content.notes


def test_a_village_within_a_province_has_that_province_and_no_unit(names: NameIndex) -> None:
    place, notes = place_of("{name: Mukhaisa, within: Diyala}", names)
    assert (place.written, place.unit, place.province, place.district) == ("Mukhaisa", None, "Diyala", None)
    assert place.within is not None
    assert place.within.unit is not None
    assert place.within.unit.pcode == "IQG10"
    assert place.location is None  # not drawn at the governorate's centroid
    assert notes == ()  # said where it lies: nothing to flag
    assert place.key == "mukhaisa"


def test_a_village_within_a_district_given_by_p_code_has_both(names: NameIndex) -> None:
    place, _ = place_of("{name: Mukhaisa, within: IQG10Q03, point: {lon: 45.12, lat: 33.97}}", names)
    assert (place.province, place.district) == ("Diyala", "Baladruz")
    assert place.location == Point(45.12, 33.97)


def test_within_picks_among_units_of_one_name(names: NameIndex) -> None:
    # Salah Al-Din is a governorate and a sub-district of Erbil (the seeds' alias pins the first).
    place, notes = place_of("{name: Salah Al-Din, within: Erbil}", names)
    assert place.unit is not None
    assert (place.unit.pcode, place.province) == ("IQG11Q06N02", "Erbil")
    assert notes == ()


def test_a_name_of_a_unit_elsewhere_is_flagged_and_kept_within(names: NameIndex) -> None:
    place, notes = place_of("{name: Karma, within: Diyala}", names)
    assert (place.unit, place.province) == (None, "Diyala")
    assert notes == (
        "r.yaml:5: place 'Karma' names Al-Garma, Al-Falluja, Al-Anbar (IQG01Q01N02), not within Diyala: "
        "kept as a place within Diyala (kept as written)",
    )


def test_a_misspelt_unit_inside_within_is_suggested(names: NameIndex) -> None:
    _, notes = place_of("{name: Tarmiyah, within: Baghdad}", names)
    assert "did you mean Al-Tarmiya, Al-Kadhmiyah, Baghdad (IQG08Q02N04)?" in notes[0]


def test_an_unknown_within_is_flagged_and_the_name_resolves_alone(names: NameIndex) -> None:
    place, notes = place_of("{name: Karma, within: Diyalla}", names)
    assert place.unit is not None
    assert place.unit.pcode == "IQG01Q01N02"
    assert "the place 'Karma' lies within is unknown: place 'Diyalla' is not in the gazetteer" in notes[0]
    assert "did you mean Diyala (IQG10)?" in notes[0]


def test_an_unresolved_name_gets_near_matches(names: NameIndex) -> None:
    place, notes = place_of("Tarmiyah", names)
    assert place.unit is None
    assert notes == (
        "r.yaml:5: place 'Tarmiyah' is not in the gazetteer; did you mean Al-Tarmiya, Al-Kadhmiyah, "
        "Baghdad (IQG08Q02N04)? (kept as written)",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("{name: X, point: {lon: 200, lat: 33}}", "a longitude is between -180 and 180"),
        ("{name: X, point: {lon: 44, lat: -91}}", "a latitude is between -90 and 90"),
        ("{name: X, point: {lon: 44}}", "expected a mapping with lon and lat"),
        ("{name: X, point: [44, 33]}", "expected a mapping with lon and lat"),
        ("{name: X, point: {lon: east, lat: 33}}", "expected a longitude in degrees"),
        ("{name: X, within: [Diyala]}", "expected text"),
        ("{name: X, inside: Diyala}", "optionally qualifier, within, point"),
    ],
)
def test_what_within_and_point_must_be(names: NameIndex, written: str, expected: str) -> None:
    text = (
        HEADER
        + f"  - {{type: killed, occurred: 2019-09-01, side: ISIS, count: 2, quote: q, place: {written}}}\n"
    )
    with pytest.raises(InvalidInputError) as error:
        parse_report(text, "r.yaml", names)
    [problem] = error.value.problems
    assert (problem.line, problem.field) == (5, "actions[0].place")
    assert expected in problem.message


def test_a_place_within_counts_in_its_province_and_is_drawn_at_its_point(tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    report = folder / "wire.yaml"
    report.write_text(
        HEADER + "  - {type: killed, occurred: 2019-09-01, side: ISIS, count: 2, quote: q,"
        " place: {name: Mukhaisa, within: IQG10Q03, point: {lon: 45.12, lat: 33.97}}}\n"
        "  - {type: area_cleared, occurred: 2019-09-01, quote: q,"
        " area: {name: Mukhaisa, within: IQG10Q03}}\n",
        encoding="utf-8",
    )
    service = Service.open("memory:")
    service.load([report], aliases=ALIASES)
    totals = service.totals(viewpoint=Viewpoint(), by=("province", "district"))
    assert [(row.groups, row.estimate.best) for row in totals.rows] == [
        ((("province", "Diyala"), ("district", "Baladruz")), 2)
    ]
    [state] = service.areas().states
    assert (state.place.province, state.place.district) == ("Diyala", "Baladruz")
    exported = service.export()
    stream = io.StringIO()
    write_geojson(exported, {}, stream)
    collection = json.loads(stream.getvalue())
    [feature] = collection["features"]  # the area has no point: not drawn at a centroid
    assert feature["geometry"] == {"type": "Point", "coordinates": [45.12, 33.97]}
    properties = feature["properties"]
    assert (properties["province"], properties["district"], properties["place_within"]) == (
        "Diyala",
        "Baladruz",
        "IQG10Q03",
    )
    assert (properties["pcode"], properties["coordinates_from"]) == (None, "source")
    assert collection["unlocated"] == 1


def test_within_and_point_survive_an_export_loaded_back(tmp_path: Path) -> None:
    report = tmp_path / "wire.yaml"
    report.write_text(
        HEADER + "  - {type: killed, occurred: 2019-09-01, side: ISIS, count: 2, quote: q,"
        " place: {name: Mukhaisa, within: Diyala, point: {lon: 45.12, lat: 33.97}}}\n",
        encoding="utf-8",
    )
    service = Service.open("memory:")
    service.load([report], aliases=ALIASES)
    for writer, name in ((write_bundle, "export.json"), (write_action_table, "export.csv")):
        stream = io.StringIO()
        writer(service.export(), {"as_of": None, "known_at": None, "recorded_at": None}, stream)
        exported = tmp_path / name
        exported.write_text(stream.getvalue(), encoding="utf-8")
        fresh = Service.open("memory:")
        fresh.load([exported], aliases=ALIASES)
        [entry] = fresh.ledger().entries
        assert isinstance(entry.action, Killed)
        assert entry.action.place == service.ledger().entries[0].action.place  # type: ignore[union-attr]


# --- Invariants over the seeds' gazetteer ---------------------------------------------------------

SEEDS_NAMES = read_name_index(ALIASES)
UNITS = sorted(SEEDS_NAMES.units.values(), key=lambda unit: unit.pcode)
unit_names = st.sampled_from([unit.name for unit in UNITS])
containers = st.sampled_from(UNITS)


@settings(max_examples=150, deadline=None)
@given(written=unit_names | st.text(alphabet="abcdeilmnorstuy -", min_size=3, max_size=12), within=containers)
def test_a_place_within_a_unit_is_always_inside_it(written: str, within: AdminUnit) -> None:
    """Whatever the name, a place said to lie within a unit has that unit's province, and its
    own unit (if any) is that unit or inside it: within never moves a place elsewhere."""
    resolution = SEEDS_NAMES.place(written, None, within.pcode)
    place = resolution.place
    assert place.area_unit is not None
    assert place.area_unit.pcode.startswith(within.pcode)
    assert place.province == within.province
    if place.unit is None:
        assert place.location is None  # no point stated: never drawn at a centroid
        assert place.key == normalise_name(written)  # its identity: its name, as for any unresolved place


@settings(max_examples=150, deadline=None)
@given(written=unit_names)
def test_within_its_own_province_a_unit_resolves_as_alone_unless_ambiguous(written: str) -> None:
    alone = SEEDS_NAMES.place(written)
    if alone.place.unit is None:
        return  # ambiguous alone: within may pick one (tested above)
    within = SEEDS_NAMES.place(written, None, alone.place.unit.pcode[:5]).place
    assert within.unit == alone.place.unit
