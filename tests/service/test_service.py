"""The service, as every entrypoint uses it: on SQLite and PostgreSQL alike, the same typed
answers from the read model and from the fold, and errors that say what is wrong."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from incidents.domain.actions import Metric
from incidents.formats.errors import InvalidInputError
from incidents.formats.ucdp import UcdpGedFile
from incidents.projections import queries
from incidents.projections.ledger import Ledger
from incidents.projections.resolution import Resolved
from incidents.readmodel import projector
from incidents.service import (
    Attribution,
    NoReadModelError,
    Outcome,
    Service,
    StoreUnavailableError,
    UnknownSubjectError,
    Viewpoint,
)
from tests.conftest import ALIASES, RUDAW, SEEDS

UCDP_SLICE = Path(__file__).resolve().parent.parent / "fixtures" / "ucdp" / "ucdp-ged-syria-slice.csv"

AS_OF = Viewpoint(as_of=date(2019, 8, 28))
VIEWPOINTS = [
    Viewpoint(),
    AS_OF,
    Viewpoint(as_of=date(2019, 8, 24)),
    Viewpoint(as_of=date(2019, 8, 28), known_at=date(2019, 8, 1)),
    Viewpoint(as_of=date(2019, 8, 28), recorded_at=5),
]
PMF_KILLED = "rudaw-2019-08-28-will-of-victory-phase-4/pmf-statement-killed"


@pytest.fixture
def seeded(store: str) -> Iterator[Service]:
    with Service.open(store) as service:
        service.load([SEEDS])
        yield service


def test_a_load_records_then_finds_every_report_unchanged(store: str) -> None:
    with Service.open(store) as service:
        first = service.load([SEEDS])
        again = service.load([SEEDS])
    assert {item.outcome for item in first} == {Outcome.RECORDED}
    assert {item.outcome for item in again} == {Outcome.UNCHANGED}
    assert sorted(item.report.key for item in first) == sorted(item.report.key for item in again)


@pytest.mark.parametrize("viewpoint", VIEWPOINTS, ids=str)
def test_the_read_model_and_the_fold_give_equal_answers(
    seeded: Service, viewpoint: Viewpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seeded.ledger()
    assert seeded.totals(viewpoint=viewpoint, by=["actor"]) == queries.totals_of(ledger, viewpoint, ["actor"])
    assert seeded.areas(viewpoint=viewpoint) == queries.areas_of(ledger, viewpoint)
    monkeypatch.setenv("INCIDENTS_READ_MODEL", "off")
    with Service.open(seeded.location) as folding:
        assert folding.totals(viewpoint=viewpoint) == seeded.totals(viewpoint=viewpoint)
        assert folding.areas(viewpoint=viewpoint) == seeded.areas(viewpoint=viewpoint)


def test_every_query_answers_with_its_typed_answer(seeded: Service) -> None:
    totals = seeded.totals(viewpoint=AS_OF, by=["actor"])
    killed = {(row.side, row.groups): row.estimate.best for row in totals.rows if row.metric is Metric.KILLED}
    assert killed[("ISIS", (("actor", "PMF"),))] == 3
    assert any(state.place.label == "Al-Garma" for state in seeded.areas(viewpoint=AS_OF).states)
    assert seeded.claims(viewpoint=AS_OF).comparisons[0].remainder == 2
    assert seeded.replay(viewpoint=AS_OF).steps
    assert seeded.strength().estimates[0][1].count.best is None
    assert seeded.area_history("Karma").transitions
    explanation = seeded.explain(Metric.KILLED, "ISIS", viewpoint=AS_OF)
    assert explanation.counted()
    assert [happening.ref.action for happening in seeded.history(PMF_KILLED)] == ["pmf-statement-killed"]
    assert isinstance(seeded.conflicts(), tuple)
    assert seeded.export(viewpoint=AS_OF)


def test_an_amendment_is_recorded_and_counted(seeded: Service) -> None:
    before = seeded.totals(viewpoint=AS_OF)
    amended = seeded.amend(
        "correction",
        {"target": PMF_KILLED, "changes": {"count": 2}, "reason": "the statement names two"},
        attribution=Attribution(analyst="tester", made_on=date(2026, 12, 1)),
        aliases=ALIASES,
    )
    assert amended.outcome is Outcome.RECORDED
    assert amended.position == seeded.position()

    def isis_killed(answer: object) -> int | None:
        return next(
            row.estimate.best
            for row in answer.rows  # type: ignore[attr-defined]
            if row.metric is Metric.KILLED and row.side == "ISIS"
        )

    assert isis_killed(seeded.totals(viewpoint=AS_OF)) == isis_killed(before) + 1  # type: ignore[operator]
    recorded_before = Viewpoint(as_of=AS_OF.as_of, recorded_at=amended.position - 1)
    assert isis_killed(seeded.totals(viewpoint=recorded_before)) == isis_killed(before)


def test_validation_writes_nothing_and_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUDAW.read_text(encoding="utf-8").replace("count: 2", "count: two", 1), encoding="utf-8")
    db = tmp_path / "store.db"
    with Service.open(str(db)) as service:
        validation = service.validate([bad])
        assert validation.problems
        assert all(problem.file == str(bad) for problem in validation.problems)
        with pytest.raises(InvalidInputError):
            service.load([bad])
    assert not db.exists()  # bad input creates no store either


def test_an_unknown_grouping_is_bad_input(seeded: Service) -> None:
    with pytest.raises(InvalidInputError, match="unknown grouping colour"):
        seeded.totals(by=["colour"])


def test_a_history_of_nothing_says_so(seeded: Service) -> None:
    with pytest.raises(UnknownSubjectError, match="no recorded action"):
        seeded.history("Atlantis")


def test_a_store_that_cannot_be_opened_says_which_without_the_password() -> None:
    with pytest.raises(StoreUnavailableError, match="cannot open the store") as raised:
        Service.open("postgresql://someone:secret@127.0.0.1:1/nothing")
    assert "secret" not in str(raised.value)


def test_the_in_memory_store_folds_and_keeps_no_read_model() -> None:
    with Service.open("memory:") as service:
        service.load([SEEDS])
        assert service.totals(viewpoint=AS_OF) == queries.totals_of(service.ledger(), AS_OF)
        with pytest.raises(NoReadModelError, match="keeps no read model"):
            service.rebuild()


def test_a_rebuild_answers_as_before(seeded: Service) -> None:
    before = seeded.totals(viewpoint=AS_OF), seeded.areas(viewpoint=AS_OF)
    done = seeded.rebuild()
    assert done.position == seeded.position()
    assert (seeded.totals(viewpoint=AS_OF), seeded.areas(viewpoint=AS_OF)) == before


def test_every_name_the_service_offers_is_there() -> None:
    """Names the service imports on first use (``_ON_FIRST_USE``) resolve like the others."""
    import incidents.service

    assert [name for name in incidents.service.__all__ if not hasattr(incidents.service, name)] == []
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = incidents.service.Nothing  # type: ignore[attr-defined]


def test_an_import_leaves_the_read_model_up_to_date(store: str) -> None:
    """The first query after an import has nothing to project: the import projected it."""
    with Service.open(store) as service:
        imported = service.import_dataset(UcdpGedFile(UCDP_SLICE).reports, batch_size=7)
        assert imported.recorded > 7
        assert service.read_model_position() == service.position() > 0


def test_a_rebuild_settling_its_areas_a_few_at_a_time_answers_as_before(
    seeded: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild's settling reads the areas' transitions in groups (RETIMELINE_ROWS rows at
    most, one range of the area index each, when more than FULL_RETIMELINE areas are marked):
    groups of two rows."""
    before = seeded.totals(viewpoint=AS_OF), seeded.areas(viewpoint=AS_OF)
    monkeypatch.setattr(projector, "FULL_RETIMELINE", 1)
    monkeypatch.setattr(projector, "RETIMELINE_ROWS", 2)
    seeded.rebuild()
    assert (seeded.totals(viewpoint=AS_OF), seeded.areas(viewpoint=AS_OF)) == before
    assert len(before[1].states) > 2


def test_the_queries_that_fold_read_the_log_once_until_it_moves(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import incidents.service as service_module

    reads: list[int] = []
    original = service_module.read_ledger

    def counted(log: object) -> object:
        reads.append(1)
        return original(log)  # type: ignore[arg-type]

    monkeypatch.setattr(service_module, "read_ledger", counted)
    with Service.open(store) as service:
        service.load([SEEDS / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml"])
        before = service.claims(viewpoint=AS_OF), service.strength(viewpoint=AS_OF)
        service.phases(viewpoint=AS_OF)
        assert len(reads) == 1
        service.load([SEEDS / "rudaw-2019-08-28-will-of-victory-phase-4.yaml"])  # (the log moves)
        after = service.claims(viewpoint=AS_OF), service.strength(viewpoint=AS_OF)
        assert len(reads) == 2
    assert after != before  # (Rudaw's report claims a total: the answer is the new log's)
    with Service.open(store) as fresh:
        assert (fresh.claims(viewpoint=AS_OF), fresh.strength(viewpoint=AS_OF)) == after


def test_the_queries_that_fold_resolve_the_log_once_for_its_reported_and_recorded_clocks(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import incidents.projections.resolution as resolution

    resolved: list[Viewpoint] = []
    original = resolution.resolve

    def counted(ledger: Ledger, viewpoint: Viewpoint) -> Resolved:
        resolved.append(viewpoint)
        return original(ledger, viewpoint)

    monkeypatch.setattr(resolution, "resolve", counted)
    later = Viewpoint(as_of=date(2019, 8, 30))
    with Service.open(store) as service:
        service.load([SEEDS / "alshahid-2019-07-anti-isis-operations-clear-villages.yaml", RUDAW])
        first = service.claims(viewpoint=AS_OF), service.conflicts(viewpoint=AS_OF)
        service.strength(viewpoint=later), service.phases(viewpoint=later), service.export(viewpoint=later)
        service.explain(Metric.KILLED, "ISIS", viewpoint=later)
        assert resolved == [Viewpoint()]  # (one resolution: the as-of day does not apply to amendments)
        service.claims(viewpoint=Viewpoint(as_of=AS_OF.as_of, known_at=date(2019, 8, 1)))
        assert resolved == [Viewpoint(), Viewpoint(known_at=date(2019, 8, 1))]
    with Service.open(store) as fresh:
        assert (fresh.claims(viewpoint=AS_OF), fresh.conflicts(viewpoint=AS_OF)) == first
