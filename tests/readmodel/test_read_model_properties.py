"""The read model always equals the fold: random logs of every kind of action, with uncertain
dates, corrections, retractions (of actions and of amendments), duplicate links and
preferences, recorded in random order and caught up at random points, queried from random
viewpoints on the three clocks; its answers ``==`` the fold's, on SQLite and PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.application import IncidentLog
from incidents.domain.actions import CountedAction, ReportedAction
from incidents.domain.amendments import (
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    FieldChange,
    Preference,
    Retraction,
)
from incidents.domain.values import Estimate, SourceRef
from incidents.formats.report_file import ReportContent
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import Ledger, read_ledger
from incidents.readmodel import ReadModel, checkpoints, queries
from incidents.readmodel.queries import _estimate
from incidents.storage.location import parse_location
from tests.builders import record
from tests.conftest import _postgres_store
from tests.readmodel.oracle import differences, running_sums_add_up
from tests.strategies import (
    FIRST_DAY,
    PLACES,
    WINDOW,
    area_actions,
    date_spans,
    days,
    estimates,
    report_sets,
    viewpoint_days,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def fresh_store(backend: str) -> Iterator[str]:
    """A new, empty store for one example: a SQLite file, or a PostgreSQL schema of its own."""
    if backend == "postgres":
        yield from _postgres_store()
        return
    with tempfile.TemporaryDirectory() as folder:
        yield str(Path(folder) / "incidents.db")


@contextmanager
def recorded_store(
    backend: str, reports: list[ReportContent], stops: Iterable[int] = ()
) -> Iterator[tuple[IncidentLog, ReadModel]]:
    """A fresh store with ``reports`` recorded and its read model caught up after each report
    numbered in ``stops`` (counting from 1), and so partly behind the log; both closed afterwards."""
    with fresh_store(backend) as db:
        events = IncidentLog.open(parse_location(db))
        model = ReadModel.open(parse_location(db), events)
        assert model is not None
        try:
            for number, report in enumerate(reports, start=1):
                record(events, report)
                if number in stops:
                    model.catch_up()
            yield events, model
        finally:
            model.close()
            events.close()


@st.composite
def amendment_reports(draw: st.DrawFn, reports: list[ReportContent]) -> list[ReportContent]:
    """Reports that amend the actions of ``reports`` (and one another), each published on its
    own span, so that the known-at clock sees some and not others."""
    targets = [
        (ActionRef(r.key, a.id), a) for r in reports for a in r.actions if isinstance(a, ReportedAction)
    ]
    made: list[ActionRef] = []
    amending: list[ReportContent] = []
    for number in range(draw(st.integers(0, 6))):
        ref, action = draw(st.sampled_from(targets))
        kind = draw(st.sampled_from(["count", "occurred", "retract", "link", "prefer", "unamend"]))
        amendment: Amendment
        if kind == "count" and isinstance(action, CountedAction):
            amendment = Correction(id="c", target=ref, changes=(FieldChange("count", draw(estimates())),))
        elif kind == "occurred":
            amendment = Correction(id="c", target=ref, changes=(FieldChange("occurred", draw(date_spans())),))
        elif kind == "link":
            other, _ = draw(st.sampled_from(targets))
            if other == ref:
                continue
            amendment = DuplicateLink(id="d", same=(ref, other))
        elif kind == "prefer":
            amendment = Preference(id="p", target=ref)
        elif kind == "unamend" and made:
            amendment = Retraction(id="r", target=draw(st.sampled_from(made)))
        else:
            amendment = Retraction(id="r", target=ref)
        key = f"amendment-{number}"
        published = draw(date_spans(max_length=3))
        source = SourceRef(outlet="Corrections", url=f"https://example.org/{key}", published=published)
        amending.append(ReportContent(key=key, source=source, actions=(amendment,), file=f"{key}.yaml"))
        if not isinstance(amendment, Retraction) or kind != "unamend":
            made.append(ActionRef(key, amendment.id))
    return amending


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[ReportContent], list[int]]:
    """Reports and their amendments in a random recording order, and the points (numbers of
    reports recorded) at which the read model catches up."""
    reports = draw(report_sets(max_reports=5))
    everything = reports + draw(amendment_reports(reports))
    order = draw(st.permutations(range(len(reports))))
    recorded = [reports[i] for i in order] + everything[len(reports) :]
    stops = draw(st.lists(st.integers(1, len(recorded)), max_size=3))
    return recorded, sorted(set(stops))


viewpoints = st.builds(
    Viewpoint,
    as_of=viewpoint_days,
    known_at=st.none() | days,
    recorded_at=st.none() | st.integers(1, 60),
)


@pytest.mark.parametrize("backend", BACKENDS)
@SETTINGS
@given(log=logs(), points=st.lists(viewpoints, min_size=1, max_size=4))
def test_the_read_model_always_equals_the_fold(
    backend: str, log: tuple[list[ReportContent], list[int]], points: list[Viewpoint]
) -> None:
    reports, stops = log
    with recorded_store(backend, reports, stops) as (events, model):  # (the rest caught up at the query)
        groupings = [(), ("side",), ("province", "phase"), ("month",)]
        everywhere = [*points, Viewpoint(), Viewpoint(FIRST_DAY + timedelta(days=WINDOW // 2))]
        assert differences(model, events, everywhere, groupings) == []
        running_sums_add_up(model)  # (the incremental rewrites kept the running rows)


def recorded_at_fractions(
    events: IncidentLog, points: Iterable[tuple[Viewpoint, float | None]]
) -> list[Viewpoint]:
    """Each viewpoint, recorded at its fraction of the way from the log's first recorded time to
    its last (None: as it is)."""
    times = [entry.recorded for entry in read_ledger(events).entries] or [datetime.now(UTC)]
    first, last = min(times), max(times)
    return [
        point if fraction is None else attrs.evolve(point, recorded_at=first + fraction * (last - first))
        for point, fraction in points
    ]


@st.composite
def one_clock_viewpoints(draw: st.DrawFn) -> tuple[Viewpoint, float | None]:
    """A viewpoint on the reported clock or on the recorded one (by position, or by time: a
    fraction of the span of the recorded times, placed when the log is recorded), as of any day."""
    as_of = draw(viewpoint_days)
    clock = draw(st.sampled_from(["known", "position", "time"]))
    if clock == "known":
        return Viewpoint(as_of, draw(days)), None
    if clock == "position":
        return Viewpoint(as_of, None, draw(st.integers(0, 60))), None
    return Viewpoint(as_of), draw(st.floats(-0.1, 1.1))


@SETTINGS
@given(log=logs(), points=st.lists(one_clock_viewpoints(), min_size=1, max_size=4))
def test_along_one_clock_the_index_answers_as_resolving_again_would_without_it(
    log: tuple[list[ReportContent], list[int]], points: list[tuple[Viewpoint, float | None]]
) -> None:
    """On the reported clock alone, or the recorded one alone, every cluster's rows are a stored
    version (``readmodel.versions``): the answer resolves nothing again from the events, and is
    what resolving them again (the fold) gives, whatever the amendments and their order."""
    reports, _stops = log
    with recorded_store("sqlite", reports) as (events, model):
        model.catch_up()
        viewpoints = recorded_at_fractions(events, points)
        resolved_again: list[object] = []
        reader = model.projector.events
        original = reader.ledger

        def counted_ledger(positions: Iterable[int]) -> Ledger:
            resolved_again.append(positions)
            return original(positions)

        reader.ledger = counted_ledger  # type: ignore[method-assign]
        try:
            found = differences(model, events, viewpoints, [()])
        finally:
            reader.ledger = original  # type: ignore[method-assign]
        assert found == []
        assert resolved_again == []


@st.composite
def recorded_viewpoints(draw: st.DrawFn) -> tuple[Viewpoint, float | None]:
    """A viewpoint on the recorded clock alone, by position or by a fraction of the span of the
    recorded times, as of any day."""
    as_of = draw(viewpoint_days)
    if draw(st.booleans()):
        return Viewpoint(as_of, None, draw(st.integers(0, 60))), None
    return Viewpoint(as_of), draw(st.floats(-0.1, 1.1))


@pytest.mark.parametrize("backend", BACKENDS)
@SETTINGS
@given(
    log=logs(),
    block=st.integers(1, 8),
    points=st.lists(recorded_viewpoints(), min_size=1, max_size=4),
)
def test_a_recorded_at_from_its_checkpoint_equals_the_fold(
    backend: str,
    log: tuple[list[ReportContent], list[int]],
    block: int,
    points: list[tuple[Viewpoint, float | None]],
) -> None:
    """With blocks of a few positions, caught up at random points, every ``recorded_at`` is
    answered from its checkpoint and one block's rows (``readmodel.checkpoints``; never
    scanning): the fold's answer."""
    reports, stops = log
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checkpoints, "BLOCK", block)
        patch.setattr(queries, "UNSEEN_SCAN", 1)
        patch.setattr(queries, "_scan_areas", _no_scan)
        patch.setattr(queries, "_scan_totals", _no_scan)
        with recorded_store(backend, reports, stops) as (events, model):
            model.catch_up()
            viewpoints = recorded_at_fractions(events, points)
            assert differences(model, events, viewpoints, [()]) == []


@st.composite
def area_logs(draw: st.DrawFn) -> list[ReportContent]:
    """Many reports of the transitions of two areas (one of them spelled two ways), each
    published on its own span (before or after what it reports), in no order: areas whose
    counted transitions from a known-at viewpoint differ from those of its base day, in every
    arrangement."""
    places = st.sampled_from(PLACES[:3])
    reports = []
    for number in range(draw(st.integers(2, 12))):
        key = f"report-{number:02d}"
        published = draw(date_spans(max_length=4))
        source = SourceRef(outlet="Rudaw English", url=f"https://example.org/{key}", published=published)
        drawn = tuple(
            attrs.evolve(draw(area_actions(f"a{index}")), area=draw(places))
            for index in range(draw(st.integers(1, 3)))
        )
        reports.append(ReportContent(key=key, source=source, actions=drawn, file=f"{key}.yaml"))
    return draw(st.permutations(reports))


known_viewpoints = st.builds(
    Viewpoint, as_of=viewpoint_days, known_at=days, recorded_at=st.none() | st.integers(1, 60)
)


@pytest.mark.parametrize("backend", BACKENDS)
@SETTINGS
@given(
    reports=area_logs(),
    tail=st.integers(1, 3),
    points=st.lists(known_viewpoints, min_size=1, max_size=6),
)
def test_the_areas_known_at_a_day_equal_the_fold(
    backend: str, reports: list[ReportContent], tail: int, points: list[Viewpoint]
) -> None:
    """The states as of the base day, but for the areas with rows counted on one of the two days
    only, read from the latest transition the viewpoint counts back (a few rows at a time,
    ``_TAIL``) until the run ends; with the pending transitions added: the fold's areas."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queries, "_TAIL", tail)
        with recorded_store(backend, reports) as (events, model):
            assert differences(model, events, points, [()]) == []


def _no_scan(*_arguments: object) -> None:
    raise AssertionError("scanned")


@given(counts=st.lists(estimates(), max_size=8))
def test_a_stored_sum_is_the_estimate_the_counts_add_up_to(counts: list[Estimate]) -> None:
    """The read model builds a sum's ``Estimate`` without checking it again: it is the one the
    domain's own addition gives, field for field (and so equal, and equally hashed)."""
    summed = sum(counts, Estimate.zero())
    missing = sum(1 for count in counts if count.best is None)
    best = sum(count.best or 0 for count in counts)
    built = _estimate(summed.low, best, missing, summed.high)
    assert attrs.astuple(built) == attrs.astuple(summed)
    assert built == summed
    assert hash(built) == hash(summed)
