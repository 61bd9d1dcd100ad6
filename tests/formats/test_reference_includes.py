"""Reference data that composes: an aliases file includes others (the seeds' aliases, say) and
adds to them; each gazetteer is read from the folder of the file that names it; a name under two
canonical names, anywhere in the files, is refused with both lines; so is an include circle."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.domain.values import Name
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.reference import read_name_index
from incidents.gazetteer import NameIndex
from tests.conftest import SEEDS

GAZETTEER_HEADER = "level,pcode,name_en,adm1_en,adm2_en\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(aliases: Path) -> list[InputProblem]:
    with pytest.raises(InvalidInputError) as error:
        read_name_index(aliases)
    return list(error.value.problems)


@pytest.fixture
def beside_the_seeds(tmp_path: Path) -> Path:
    """A copy of the seeds' reference data in ``seeds/``, and a new folder beside it."""
    write(tmp_path / "seeds" / "aliases.yaml", (SEEDS / "aliases.yaml").read_text(encoding="utf-8"))
    gazetteer = SEEDS / "gazetteer" / "iraq-admin-centroids-cod-ab-2019.csv"
    write(tmp_path / "seeds" / "gazetteer" / gazetteer.name, gazetteer.read_text(encoding="utf-8"))
    return tmp_path / "more"


def test_a_folder_beside_the_seeds_reuses_their_names_and_gazetteer(beside_the_seeds: Path) -> None:
    aliases = write(
        beside_the_seeds / "aliases.yaml",
        "include: ../seeds/aliases.yaml\nactors:\n  ISIS: [Tanzim al-Dawla]\n"
        "  Tribal Mobilisation: [Hashd al-Asha'iri]\n",
    )
    names = read_name_index(aliases)
    assert names.actor("Daesh") == Name("ISIS", "Daesh")  # the seeds' alias
    assert names.actor("Tanzim al-Dawla") == Name("ISIS", "Tanzim al-Dawla")  # added here
    assert names.actor("Hashd al-Asha'iri").canonical == "Tribal Mobilisation"
    assert names.operation("Irada al-Nasr").canonical == "Will of Victory"
    karma = names.place("Karma").place  # the seeds' place alias, the seeds' gazetteer
    assert karma.unit is not None
    assert karma.unit.pcode == "IQG01Q01N02"


def test_the_same_file_is_the_same_as_its_include(beside_the_seeds: Path) -> None:
    aliases = write(beside_the_seeds / "aliases.yaml", "include: [../seeds/aliases.yaml]\n")
    assert read_name_index(aliases) == read_name_index(beside_the_seeds.parent / "seeds" / "aliases.yaml")


def test_an_alias_added_under_another_canonical_name_is_refused_with_both_lines(
    beside_the_seeds: Path,
) -> None:
    aliases = write(
        beside_the_seeds / "aliases.yaml",
        "include: ../seeds/aliases.yaml\nactors:\n  PMF: [ISIS militants]\n",
    )
    [problem] = problems_of(aliases)
    seeds = (beside_the_seeds.parent / "seeds" / "aliases.yaml").resolve()
    assert (problem.file, problem.line, problem.field) == (str(aliases), 3, "actors.PMF")
    assert f"'ISIS militants' is listed under PMF ({aliases}:3)" in problem.message
    assert (
        f"under ISIS ({beside_the_seeds}/../seeds/aliases.yaml:8)" in problem.message
        or str(seeds) in problem.message
    )
    assert "a name can mean one of them only" in problem.message


def test_a_place_alias_that_is_an_actor_is_refused_with_both_lines(beside_the_seeds: Path) -> None:
    aliases = write(
        beside_the_seeds / "aliases.yaml",
        "include: ../seeds/aliases.yaml\nplaces:\n  IQG10: [Diyala Province, Baghdad Operations Command]\n",
    )
    [problem] = problems_of(aliases)
    assert (problem.file, problem.line, problem.field) == (str(aliases), 3, "places.IQG10")
    assert "'Baghdad Operations Command' is a place alias of IQG10" in problem.message
    assert "the actor Baghdad Operations Command" in problem.message
    assert (
        f"({(beside_the_seeds.parent / 'seeds' / 'aliases.yaml').resolve()}:25)" in problem.message
    )  # the seeds' line of the actor


def test_an_include_circle_is_refused_at_the_include_that_closes_it(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "aliases.yaml", "include: ../b/aliases.yaml\nactors:\n  ISIS: []\n")
    second = write(tmp_path / "b" / "aliases.yaml", "# b\ninclude: [../a/aliases.yaml]\n")
    [problem] = problems_of(first)
    assert (problem.file, problem.line, problem.field) == (str(second.resolve()), 2, "include")
    assert "include one another in a circle" in problem.message
    assert f"({first.resolve()} -> {second.resolve()} -> {first.resolve()})" in problem.message


def test_a_file_that_includes_itself_is_a_circle(tmp_path: Path) -> None:
    aliases = write(tmp_path / "aliases.yaml", "include: aliases.yaml\n")
    [problem] = problems_of(aliases)
    assert (problem.line, problem.field) == (1, "include")
    assert "circle" in problem.message


def test_a_file_included_twice_by_two_roads_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "common.yaml", "actors:\n  ISIS: [Daesh]\n")
    write(tmp_path / "left.yaml", "include: common.yaml\nactors:\n  PMF: [PMU]\n")
    write(tmp_path / "right.yaml", "include: common.yaml\noperations:\n  Will of Victory: [Irada al-Nasr]\n")
    names = read_name_index(write(tmp_path / "aliases.yaml", "include: [left.yaml, right.yaml]\n"))
    assert (names.actor("Daesh").canonical, names.actor("PMU").canonical) == ("ISIS", "PMF")
    assert names.operation("Irada al-Nasr").canonical == "Will of Victory"


@pytest.mark.parametrize(
    ("include", "expected"),
    [
        ("missing.yaml", "'missing.yaml': "),
        ("{}", "expected the path of an aliases file"),
        ("[ok.yaml, '']", "expected the path of an aliases file"),
        ("sub", "'sub': "),
    ],
)
def test_what_an_include_must_name(tmp_path: Path, include: str, expected: str) -> None:
    write(tmp_path / "ok.yaml", "actors: {}\n")
    (tmp_path / "sub").mkdir()
    aliases = write(tmp_path / "aliases.yaml", f"actors:\n  ISIS: []\ninclude: {include}\n")
    [problem] = problems_of(aliases)
    assert (problem.file, problem.line, problem.field) == (str(aliases), 3, "include")
    assert expected in problem.message


def test_problems_of_an_included_file_are_its_own_and_nothing_is_read(tmp_path: Path) -> None:
    included = write(tmp_path / "shared" / "aliases.yaml", "actors:\n  ISIS: Daesh\n")
    aliases = write(
        tmp_path / "mine" / "aliases.yaml", "include: ../shared/aliases.yaml\nactors:\n  PMF: [Hashd]\n"
    )
    [problem] = problems_of(aliases)
    assert (problem.file, problem.line, problem.field) == (str(included.resolve()), 2, "actors.ISIS")
    assert problem.message == "expected a list of aliases"


def test_each_gazetteer_is_read_from_the_folder_of_the_file_that_names_it(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "g" / "units.csv", GAZETTEER_HEADER + "1,IQG10,Diyala,Diyala,\n")
    write(tmp_path / "shared" / "aliases.yaml", "gazetteer: g/units.csv\n")
    write(tmp_path / "mine" / "local.csv", GAZETTEER_HEADER + "1,IQG01,Al-Anbar,Al-Anbar,\n")
    aliases = write(
        tmp_path / "mine" / "aliases.yaml",
        "include: ../shared/aliases.yaml\ngazetteer: local.csv\nplaces:\n  IQG10: [Diyala Governorate]\n",
    )
    names = read_name_index(aliases)
    assert sorted(names.units) == ["IQG01", "IQG10"]
    assert names.place("Diyala Governorate").place.unit == names.units["IQG10"]


def test_one_p_code_described_differently_by_two_gazetteers_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "units.csv", GAZETTEER_HEADER + "1,IQG10,Diyala,Diyala,\n")
    write(tmp_path / "shared" / "aliases.yaml", "gazetteer: units.csv\n")
    write(tmp_path / "mine" / "units.csv", GAZETTEER_HEADER + "1,IQG10,Diala,Diala,\n")
    aliases = write(
        tmp_path / "mine" / "aliases.yaml", "include: ../shared/aliases.yaml\ngazetteer: units.csv\n"
    )
    [problem] = problems_of(aliases)
    assert (problem.file, problem.line, problem.field) == (str(aliases), 2, "gazetteer")
    assert "IQG10 is Diala in this gazetteer and Diyala in the gazetteer of" in problem.message


# --- Include order does not change what non-conflicting names mean ------------------------------

words = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    groups=st.lists(
        st.tuples(st.sampled_from(["operations", "actors"]), words, st.lists(words, max_size=3)),
        min_size=1,
        max_size=8,
    ),
    split=st.data(),
)
def test_the_include_order_does_not_change_resolution(
    tmp_path_factory: pytest.TempPathFactory, groups: list[tuple[str, str, list[str]]], split: st.DataObject
) -> None:
    # Every name (canonical or alias) appears under one canonical name only: no conflicts.
    seen: dict[str, tuple[str, str]] = {}
    kept: list[tuple[str, str, list[str]]] = []
    for section, canonical, aliases in groups:
        names = [canonical, *aliases]
        if any(kept_canonical == canonical for _s, kept_canonical, _a in kept):
            continue
        if any(name in seen and seen[name] != (section, canonical) for name in names):
            continue
        seen.update(dict.fromkeys(names, (section, canonical)))
        kept.append((section, canonical, aliases))
    files = split.draw(st.lists(st.integers(0, 2), min_size=len(kept), max_size=len(kept)))
    folder = tmp_path_factory.mktemp("order")
    for number in range(3):
        lines = [
            f"{section}:\n  {canonical}: [{', '.join(aliases)}]\n"
            for (section, canonical, aliases), f in zip(kept, files, strict=True)
            if f == number
        ]
        by_section: dict[str, list[str]] = {}
        for line in lines:
            section, _, rest = line.partition(":\n")
            by_section.setdefault(section, []).append(rest)
        write(
            folder / f"part{number}.yaml",
            "".join(f"{s}:\n{''.join(r)}" for s, r in by_section.items()) or "{}\n",
        )
    order = split.draw(st.permutations([0, 1, 2]))
    forward = read_name_index(
        write(folder / "forward.yaml", "include: [part0.yaml, part1.yaml, part2.yaml]\n")
    )
    shuffled = read_name_index(
        write(folder / "shuffled.yaml", f"include: [{', '.join(f'part{n}.yaml' for n in order)}]\n")
    )
    for name, (section, canonical) in seen.items():
        for index in (forward, shuffled):
            found = index.operation(name) if section == "operations" else index.actor(name)
            assert found.canonical == canonical
    assert (forward.operations, forward.actors) == (shuffled.operations, shuffled.actors)


def test_no_reference_data_is_an_empty_index() -> None:
    assert read_name_index(None) == NameIndex()
