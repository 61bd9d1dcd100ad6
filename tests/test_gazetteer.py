"""Names resolve: aliases of operations and actors, places to administrative units, never guessed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from incidents.domain.values import AdminUnit, Name, Point
from incidents.formats.errors import InvalidInputError
from incidents.formats.reference import find_aliases_file, read_gazetteer, read_name_index
from incidents.gazetteer import NameIndex, name_keys
from tests.command import invoke
from tests.conftest import ALIASES, RUDAW, SEEDS

GAZETTEER = SEEDS / "gazetteer" / "iraq-admin-centroids-cod-ab-2019.csv"


@pytest.fixture(scope="module")
def names() -> NameIndex:
    return read_name_index(ALIASES)


@pytest.fixture(scope="module")
def gazetteer_only() -> NameIndex:
    """The gazetteer without the dataset's place aliases."""
    return NameIndex.build(units=read_gazetteer(GAZETTEER))


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Will of Victory", "Will of Victory"),
        ("Will to Victory", "Will of Victory"),
        ("Irada al-Nasr", "Will of Victory"),
        ("irada al nasr", "Will of Victory"),
    ],
)
def test_operation_aliases(names: NameIndex, written: str, canonical: str) -> None:
    assert names.operation(written) == Name(canonical, written)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("PMF", "PMF"),
        ("PMU", "PMF"),
        ("Hashd al-Shaabi", "PMF"),
        ("al-Hashd al-Shaabi", "PMF"),
        ("Popular Mobilisation Forces", "PMF"),
        ("Daesh", "ISIS"),
        ("ISIL", "ISIS"),
        ("federal police", "Federal Police"),
        ("US-led international coalition", "US-led coalition"),
    ],
)
def test_actor_aliases(names: NameIndex, written: str, canonical: str) -> None:
    name = names.actor(written)
    assert name == Name(canonical, written, known=True)


def test_an_unknown_actor_is_kept_as_written_and_flagged(names: NameIndex) -> None:
    name = names.actor("  Some Tribal Militia ")
    assert name == Name("Some Tribal Militia", "  Some Tribal Militia ", known=False)
    assert str(name) == "Some Tribal Militia"


def test_name_keys_drop_the_arabic_article_and_admin_suffixes() -> None:
    assert "anbar" in name_keys("Al-Anbar")
    assert "salahuddin" in name_keys("Salahuddin Province")
    assert "diyala" in name_keys("Diyala Governorate")
    assert name_keys("Al-Garma") == {"al garma", "garma"}


@pytest.mark.parametrize(
    ("written", "pcode"),
    [
        ("Karma", "IQG01Q01N02"),  # alias
        ("Al-Karma", "IQG01Q01N02"),  # alias
        ("Al-Garma", "IQG01Q01N02"),  # the gazetteer's own name
        ("Garma", "IQG01Q01N02"),  # without the article
        ("Salahuddin", "IQG16"),
        ("Saladin", "IQG16"),
        ("Salah Al-Din", "IQG16"),  # ambiguous in the gazetteer, pinned by the alias
        ("Salahuddin Province", "IQG16"),
        ("Anbar", "IQG01"),
        ("Anbar Province", "IQG01"),
        ("Al Anbar", "IQG01"),
        ("Diyala Province", "IQG10"),
        ("Diyala", "IQG10"),
        ("Samarra", "IQG16Q05"),
    ],
)
def test_places_resolve_to_admin_units(names: NameIndex, written: str, pcode: str) -> None:
    resolution = names.place(written)
    assert resolution.note is None
    assert resolution.place.written == written
    assert resolution.place.unit is not None
    assert resolution.place.unit.pcode == pcode


def test_karma_is_al_garma_in_al_falluja_al_anbar(names: NameIndex) -> None:
    unit = names.place("Karma").place.unit
    centroid = Point(43.8978, 33.53679)  # the gazetteer's centroid_lon, centroid_lat
    assert unit == AdminUnit("IQG01Q01N02", "Al-Garma", 3, "Al-Anbar", "Al-Falluja", centroid)


def test_a_malformed_centroid_names_its_line_and_columns(tmp_path: Path) -> None:
    gazetteer = tmp_path / "gazetteer.csv"
    gazetteer.write_text(
        "level,pcode,name_en,name_ar,adm1_pcode,adm1_en,adm2_pcode,adm2_en,centroid_lon,centroid_lat\n"
        "1,IQG01,Al-Anbar,,IQG01,Al-Anbar,,,41.5,north\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as raised:
        read_gazetteer(gazetteer)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (2, "centroid_lon/centroid_lat")
    assert "'north'" in problem.message


def test_a_qualified_place_keeps_its_qualifier(names: NameIndex) -> None:
    place = names.place("Salahuddin Province", "south of").place
    assert place.qualifier == "south of"
    assert place.unit is not None
    assert place.unit.pcode == "IQG16"


def test_salah_al_din_without_an_alias_is_ambiguous_and_kept_as_written(gazetteer_only: NameIndex) -> None:
    resolution = gazetteer_only.place("Salah Al-Din")
    assert resolution.place.unit is None
    assert resolution.place.written == "Salah Al-Din"
    assert resolution.note is not None
    assert "ambiguous" in resolution.note
    # The note names both candidates, so the analyst can pick one with an alias.
    assert "IQG16" in resolution.note
    assert "IQG11Q06N02" in resolution.note


def test_an_unknown_place_is_kept_as_written_with_a_note(names: NameIndex) -> None:
    resolution = names.place("Umm Najm")
    assert resolution.place.unit is None
    assert resolution.place.written == "Umm Najm"
    assert resolution.note == "place 'Umm Najm' is not in the gazetteer"


@pytest.mark.parametrize(("written", "pcode"), [("Basrah", "IQG02"), ("Kirkuk", "IQG13"), ("Erbil", "IQG11")])
def test_a_province_and_its_namesake_district_resolve_to_the_province(
    gazetteer_only: NameIndex, written: str, pcode: str
) -> None:
    # Both the governorate and its district are called so; the governorate contains the other.
    candidates = gazetteer_only.units_by_name[name_keys(written).pop()]
    assert len(candidates) == 2
    resolution = gazetteer_only.place(written)
    assert resolution.note is None
    assert resolution.place.unit is not None
    assert resolution.place.unit.pcode == pcode


def test_containment_rule_with_built_units() -> None:
    district = AdminUnit("IQG99Q01", "Qaryat", 2, "Somewhere", "Qaryat")
    inside = AdminUnit("IQG99Q01N01", "Qaryat", 3, "Somewhere", "Qaryat")
    elsewhere = AdminUnit("IQG98Q02N01", "Qaryat", 3, "Elsewhere", "Other")
    related = NameIndex.build(units=[inside, district])
    assert related.place("Qaryat").place.unit == district
    unrelated = NameIndex.build(units=[district, inside, elsewhere])
    resolution = unrelated.place("Qaryat")
    assert resolution.place.unit is None
    assert resolution.note is not None
    assert "ambiguous" in resolution.note


def test_place_aliases_must_name_known_pcodes() -> None:
    with pytest.raises(ValueError, match="IQG99"):
        NameIndex.build(places={"IQG99": ["Nowhere"]}, units=[])


def test_an_empty_index_keeps_every_name_as_written() -> None:
    empty = NameIndex()
    assert empty.operation("Will to Victory") == Name("Will to Victory", "Will to Victory", known=False)
    assert empty.place("Karma").place.unit is None


# --- Reference data files ---------------------------------------------------------------------


def test_the_aliases_file_is_found_in_the_folder_or_above(tmp_path: Path) -> None:
    assert find_aliases_file(RUDAW) == ALIASES.resolve()
    assert find_aliases_file(SEEDS) == ALIASES.resolve()
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "aliases.yaml").write_text("operations: {}\n")
    assert find_aliases_file(nested / "report.yaml") == (tmp_path / "aliases.yaml").resolve()


def test_no_aliases_file_means_an_empty_index() -> None:
    assert read_name_index(None) == NameIndex()


def test_gazetteer_rows_become_admin_units() -> None:
    units = {unit.pcode: unit for unit in read_gazetteer(GAZETTEER)}
    assert len(units) == 413
    salah_al_din = AdminUnit("IQG16", "Salah Al-Din", 1, "Salah Al-Din", None, Point(43.62035, 34.5624))
    assert units["IQG16"] == salah_al_din
    assert units["IQG01Q01N02"].district == "Al-Falluja"


def _problems(error: pytest.ExceptionInfo[InvalidInputError]) -> list[tuple[str, int | None, str | None]]:
    return [(Path(p.file).name, p.line, p.field) for p in error.value.problems]


def test_aliases_file_problems_name_line_and_section(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("operations:\n  Will of Victory: not-a-list\nfriends: []\nactors: [a, b]\n")
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    assert sorted(_problems(error), key=str) == sorted(
        [
            ("aliases.yaml", 2, "operations.Will of Victory"),
            ("aliases.yaml", 3, "friends"),
            ("aliases.yaml", 4, "actors"),
        ],
        key=str,
    )


def test_aliases_of_unknown_pcodes_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "g.csv").write_text("level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\n")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("gazetteer: g.csv\nplaces:\n  IQG77: [Nowhere]\n")
    with pytest.raises(InvalidInputError, match="IQG77"):
        read_name_index(aliases)


def test_gazetteer_problems(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    with pytest.raises(InvalidInputError, match="gazetteer file not found"):
        read_gazetteer(missing)
    columns = tmp_path / "columns.csv"
    columns.write_text("level,pcode,name\n1,IQG01,Anbar\n")
    with pytest.raises(InvalidInputError, match="missing columns: name_en, adm1_en, adm2_en"):
        read_gazetteer(columns)
    level = tmp_path / "level.csv"
    level.write_text("level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\nx,IQG02,B,B,\n")
    with pytest.raises(InvalidInputError) as error:
        read_gazetteer(level)
    assert _problems(error) == [("level.csv", 3, "level")]


# --- An alias means one thing; reference data stays inside its dataset ----------------------------


def test_an_alias_under_two_actors_is_refused_naming_both_lines(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("actors:\n  ISIS: [Daesh, IS]\n  PMF:\n    - PMU\n    - daesh\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    (problem,) = error.value.problems
    assert (problem.line, problem.field) == (5, "actors.PMF")
    assert problem.message == (
        f"'daesh' is listed under PMF ({aliases}:5) and, as 'Daesh', under ISIS ({aliases}:2): "
        "a name can mean one of them only"
    )


@pytest.mark.parametrize(
    ("section", "text", "line"),
    [
        ("operations", "operations:\n  Will of Victory: [Irada al-Nasr]\n  Irada al-Nasr: []\n", 3),
        ("actors", "actors:\n  ISIS: []\n  Islamic State:\n    - Al ISIS\n", 4),  # the same name key
        ("places", "gazetteer: g.csv\nplaces:\n  IQG01: [Karma]\n  IQG02: [Al-Karma]\n", 4),
    ],
)
def test_a_name_under_two_canonical_names_is_refused_in_every_section(
    tmp_path: Path, section: str, text: str, line: int
) -> None:
    (tmp_path / "g.csv").write_text(
        "level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\n1,IQG02,Baghdad,Baghdad,\n",
        encoding="utf-8",
    )
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    assert [(p.line, p.field.split(".")[0] if p.field else None) for p in error.value.problems] == [
        (line, section)
    ]
    assert "a name can mean one of them only" in str(error.value)


def test_a_name_listed_twice_under_one_canonical_name_is_no_clash(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("actors:\n  ISIS: [Daesh, daesh, ISIS]\n", encoding="utf-8")
    assert read_name_index(aliases).actor("DAESH") == Name("ISIS", "DAESH")


def test_the_built_index_refuses_a_clash_too() -> None:
    with pytest.raises(ValueError, match="'Daesh' \\(under PMF\\) is also 'Daesh' \\(under ISIS\\)"):
        NameIndex.build(actors={"ISIS": ["Daesh"], "PMF": ["Daesh"]})


def test_a_load_with_a_clashing_alias_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    shutil.copytree(SEEDS, dataset)
    aliases = dataset / "aliases.yaml"
    text = aliases.read_text(encoding="utf-8")
    aliases.write_text(text.replace("    - PMU\n", "    - PMU\n    - ISIS militants\n"), encoding="utf-8")
    result = invoke(tmp_path / "x.db", "load", str(dataset))
    assert result.exit_code == 1, result.output
    assert "'ISIS militants' is listed under PMF" in result.output
    assert "under ISIS (" in result.output


@pytest.mark.parametrize("where", ["../outside.csv", "/etc/passwd", "sub/../../outside.csv", "link.csv"])
def test_the_gazetteer_must_be_inside_the_datasets_folder(tmp_path: Path, where: str) -> None:
    dataset = tmp_path / "dataset"
    (dataset / "sub").mkdir(parents=True)
    outside = tmp_path / "outside.csv"
    outside.write_text("level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\n", encoding="utf-8")
    (dataset / "link.csv").symlink_to(outside)
    aliases = dataset / "aliases.yaml"
    aliases.write_text(f"# reference data\ngazetteer: {where}\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    (problem,) = error.value.problems
    assert (problem.file, problem.line, problem.field) == (str(aliases), 2, "gazetteer")
    assert f"{where!r} is outside the dataset's folder ({dataset.resolve()})" in problem.message


def test_a_gazetteer_path_with_a_nul_character_is_refused_not_a_traceback(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text('gazetteer: "g\\0.csv"\n', encoding="utf-8")  # found by the fuzzer
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    assert (
        str(error.value)
        == f"{aliases}:1: gazetteer: 'g\\x00.csv' holds a NUL character: no file has such a name"
    )


def test_a_gazetteer_in_a_subfolder_is_read(tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / "g.csv").write_text(
        "level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\n", encoding="utf-8"
    )
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("gazetteer: ref/../ref/g.csv\n", encoding="utf-8")
    assert set(read_name_index(aliases).units) == {"IQG01"}


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.mkdir(), "'g.csv': a folder, not a gazetteer file"),
        (lambda path: os.mkfifo(path), "a device, a pipe or a socket, not a regular gazetteer file"),
        (lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "not UTF-8 text: the byte 0x89"),
        (lambda path: path.write_bytes(b"level,pcode\x00,name_en\n"), "a NUL byte"),
    ],
)
def test_a_gazetteer_that_is_no_text_file_is_an_error(
    tmp_path: Path, make: Callable[[Path], object], expected: str
) -> None:
    make(tmp_path / "g.csv")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("gazetteer: g.csv\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    assert expected in str(error.value)
    assert f"{aliases}:1: gazetteer: " in str(error.value) or f"{tmp_path / 'g.csv'}:1:" in str(error.value)


@pytest.mark.parametrize(
    ("row", "field", "expected"),
    [
        ("\u00b2,IQG02,B,B,", "level", "expected 1, 2 or 3"),
        ("9" * 5000 + ",IQG02,B,B,", "level", "expected 1, 2 or 3"),
        ("1,IQG02", None, "expected the 5 columns of the header"),
        ("1,IQG02," + "N" * 500 + ",B,", None, "at most 200 characters"),
    ],
)
def test_a_bad_gazetteer_row_names_its_line_not_a_traceback(
    tmp_path: Path, row: str, field: str | None, expected: str
) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        f"level,pcode,name_en,adm1_en,adm2_en\n1,IQG01,Al-Anbar,Al-Anbar,\n{row}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInputError) as error:
        read_gazetteer(path)
    (problem,) = error.value.problems
    assert (problem.line, problem.field) == (3, field)
    assert expected in problem.message
