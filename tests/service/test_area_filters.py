"""Areas of some provinces or statuses only: the names a user writes, the answer from the read
model and from the fold alike, and the errors for names and statuses that mean nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from incidents.domain.actions import AreaStatus
from incidents.formats.errors import InvalidInputError
from incidents.gazetteer import NameIndex
from incidents.projections import queries
from incidents.projections.areas import AreaFilter
from incidents.service import Service, UnknownNameError, Viewpoint, area_statuses
from tests.conftest import ALIASES, SEEDS

BY_AUGUST = Viewpoint(as_of=date(2019, 8, 1))
VIEWPOINTS = [
    Viewpoint(),
    BY_AUGUST,
    Viewpoint(as_of=date(2019, 7, 25)),  # (Umm Najm's clearing straddles the day: uncertain)
    Viewpoint(as_of=date(2019, 8, 5), known_at=date(2019, 8, 1)),
    Viewpoint(as_of=date(2019, 8, 28), recorded_at=5),
]


@pytest.fixture
def seeded(store: str) -> Iterator[Service]:
    with Service.open(store) as service:
        service.load([SEEDS])
        yield service


@pytest.fixture
def names(seeded: Service) -> NameIndex:
    return seeded.reference_data(ALIASES)


@pytest.mark.parametrize("written", ["Al-Anbar", "anbar", "Anbar Province", "al anbar", "IQG01"])
def test_a_province_is_named_as_places_are(seeded: Service, names: NameIndex, written: str) -> None:
    assert seeded.province(written, names=names) == "Al-Anbar"


def test_an_unknown_province_is_an_error_with_near_matches(seeded: Service, names: NameIndex) -> None:
    with pytest.raises(UnknownNameError, match=r"no province 'Anbr'.*did you mean Al-Anbar"):
        seeded.areas(provinces=["Anbr"], names=names)
    with pytest.raises(UnknownNameError, match="no province 'Karma'"):  # (a district's town, not a province)
        seeded.province("Karma", names=names)


def test_without_a_gazetteer_no_province_can_be_named(seeded: Service) -> None:
    with pytest.raises(UnknownNameError, match="the reference data has no gazetteer"):
        seeded.areas(provinces=["Anbar"], names=NameIndex())


def test_statuses_are_read_comma_separated_or_repeated_and_checked() -> None:
    assert area_statuses(["threatened,cleared", "Clearing"]) == frozenset(AreaStatus)
    assert area_statuses([]) == frozenset()
    with pytest.raises(InvalidInputError) as raised:
        area_statuses(["threatened", "gone"])
    (problem,) = raised.value.problems
    assert problem.field == "status"
    assert "unknown status gone; expected any of: threatened, clearing, cleared" in problem.message


def test_the_areas_of_a_province_and_of_a_status(seeded: Service, names: NameIndex) -> None:
    anbar = seeded.areas(viewpoint=BY_AUGUST, provinces=["Anbar"], names=names)
    assert [state.place.label for state in anbar.states] == ["Al-Garma"]
    assert anbar.only == AreaFilter(provinces=frozenset({"Al-Anbar"}))
    threatened = seeded.areas(viewpoint=BY_AUGUST, statuses=["threatened"])
    every = seeded.areas(viewpoint=BY_AUGUST)
    assert [state for state in every.states if state.status is AreaStatus.THREATENED] == list(
        threatened.states
    )
    assert len(threatened.states) == 4
    both = seeded.areas(viewpoint=BY_AUGUST, provinces=["Anbar"], statuses=["cleared"], names=names)
    assert both.states == ()


@pytest.mark.parametrize("viewpoint", VIEWPOINTS, ids=str)
@pytest.mark.parametrize(
    ("provinces", "statuses"),
    [(["Anbar"], []), (["Anbar", "Salahuddin"], ["threatened"]), ([], ["cleared"]), ([], ["clearing"])],
    ids=str,
)
def test_the_read_model_and_the_fold_keep_the_same_areas(
    seeded: Service,
    names: NameIndex,
    viewpoint: Viewpoint,
    provinces: list[str],
    statuses: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read = seeded.areas(viewpoint=viewpoint, provinces=provinces, statuses=statuses, names=names)
    assert read == read.only.applied(queries.areas_of(seeded.ledger(), viewpoint))
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    with Service.open(seeded.location) as folding:
        assert folding.areas(viewpoint=viewpoint, provinces=provinces, statuses=statuses, names=names) == read


def test_the_uncertain_transitions_of_areas_without_a_status_are_kept_by_their_own(seeded: Service) -> None:
    """By 25 July Umm Najm's clearing (dated 21-31 July) is uncertain and it has no status: the
    cleared areas list it among the uncertain, the threatened ones do not."""
    day = Viewpoint(as_of=date(2019, 7, 25))
    cleared = seeded.areas(viewpoint=day, statuses=["cleared"])
    threatened = seeded.areas(viewpoint=day, statuses=["threatened"])

    def labels(answer: object) -> set[str]:
        return {judged.entry.action.area.label for judged in answer.uncertain}  # type: ignore[attr-defined]

    assert "Umm Najm" in labels(cleared)
    assert "Umm Najm" not in labels(threatened)


# 25 July, as of it and known later: a clearing dated 20-31 July is pending (below).
PENDING_ON_25_JULY = [
    Viewpoint(as_of=date(2019, 7, 25)),
    Viewpoint(as_of=date(2019, 7, 25), known_at=date(2019, 8, 20)),
]


def loaded(store: str, folder: Path, text: str, aliases: Path | None = None) -> Service:
    """A service of ``store`` with the report file ``text`` loaded (written into ``folder``)."""
    report = folder / "report.yaml"
    report.write_text(text, encoding="utf-8")
    service = Service.open(store)
    service.load([report], aliases=aliases)
    return service


THREATENED_THEN_CLEARING = """\
format: incidents/report v1
id: test-threat-then-clearing
source: {outlet: Test Wire, url: https://example.org/t, published: 2019-08-10}
actions:
  - {id: threat, type: threat_reported, occurred: 2019-07-01, area: Khairat, quote: Khairat is threatened.}
  - {id: clearing, type: clearing_started, occurred: 2019-07-20/2019-07-31, area: Khairat,
     quote: The clearing of Khairat began in the last third of July.}
"""


@pytest.mark.parametrize("viewpoint", PENDING_ON_25_JULY, ids=str)
def test_an_area_left_out_by_its_status_takes_its_pending_transitions_with_it(
    store: str, tmp_path: Path, viewpoint: Viewpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 25 July Khairat is threatened, and its clearing (20-31 July) straddles the day: the
    areas clearing leave Khairat out, its pending clearing too (it is not an area with no
    status); the areas threatened list it, with the clearing pending."""
    with loaded(store, tmp_path, THREATENED_THEN_CLEARING) as service:
        clearing = service.areas(viewpoint=viewpoint, statuses=["clearing"])
        threatened = service.areas(viewpoint=viewpoint, statuses=["threatened"])
    assert (clearing.states, clearing.uncertain) == ((), ())
    (state,) = threatened.states
    assert [judged.entry.action.id for judged in state.pending] == ["clearing"]
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    with Service.open(store) as folding:
        assert folding.areas(viewpoint=viewpoint, statuses=["clearing"]) == clearing
        assert folding.areas(viewpoint=viewpoint, statuses=["threatened"]) == threatened


PLACED_LATER = """\
format: incidents/report v1
id: test-placed-later
source: {outlet: Test Wire, url: https://example.org/p, published: 2019-08-10}
actions:
  - {id: threat, type: threat_reported, occurred: 2019-07-01, area: Khairat, quote: Khairat is threatened.}
  - {id: clearing, type: clearing_started, occurred: 2019-07-20/2019-07-31,
     area: {name: Khairat, within: Diyala}, quote: The clearing of Khairat in Diyala began.}
"""


@pytest.mark.parametrize("viewpoint", PENDING_ON_25_JULY, ids=str)
def test_an_area_left_out_by_its_province_takes_its_pending_transitions_with_it(
    store: str, tmp_path: Path, viewpoint: Viewpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Khairat is threatened (in no province: its report does not place it), and a later report
    places its clearing, pending on 25 July, in Diyala: the state is in no province, so the areas
    of Diyala list neither it nor its pending clearing."""
    with loaded(store, tmp_path, PLACED_LATER, ALIASES) as service:
        names = service.reference_data(ALIASES)
        diyala = service.areas(viewpoint=viewpoint, provinces=["Diyala"], names=names)
    assert (diyala.states, diyala.uncertain) == ((), ())
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    with Service.open(store) as folding:
        assert folding.areas(viewpoint=viewpoint, provinces=["Diyala"], names=names) == diyala


def test_the_reference_data_is_read_once_for_every_province(
    seeded: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reads: list[object] = []
    original = seeded.reference_data

    def counted(aliases: Path | None = None) -> NameIndex:
        reads.append(aliases)
        return original(aliases)

    monkeypatch.setattr(seeded, "reference_data", counted)
    seeded.areas(provinces=["Anbar", "Salahuddin", "Diyala"], aliases=ALIASES)
    assert reads == [ALIASES]
