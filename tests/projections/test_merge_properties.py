"""Invariants of resolving one incident field by field (``resolution.merge``), on random members:
killed actions that state or leave out each detail, and phase launches with lists, from reports
published on different days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import ClassVar

import attrs
from attrs import field, frozen
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import Killed, PhaseLaunched, ReportedAction
from incidents.domain.amendments import DuplicateLink, Preference
from incidents.domain.values import DateSpan, Estimate, Name
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, ReportRef
from incidents.projections.resolution import (
    IDENTITY_FIELDS,
    comparable,
    merge,
    precision_order,
    ranked,
    resolve,
    spans_disagree,
    stated,
)
from tests.builders import ISIS, OPERATION, PMF, source
from tests.strategies import ACTORS, PLACES, SIDES, date_spans

START = datetime(2026, 1, 1, tzinfo=UTC)
REGIONS = PLACES[:5]
FORCES = (PMF, ISIS, OPERATION)


@st.composite
def killed_members(draw: st.DrawFn, id: str) -> ReportedAction:
    return Killed(
        id=id,
        occurred=draw(date_spans(max_length=40)),
        quote=f"quote {id}",
        side=draw(st.sampled_from(SIDES[:2])),
        count=Estimate.exactly(draw(st.integers(1, 4))),
        actor=draw(st.sampled_from(ACTORS)),
        place=draw(st.none() | st.sampled_from(PLACES)),
        means=draw(st.sampled_from((None, "airstrike", "raid"))),
        operation=draw(st.sampled_from((None, OPERATION))),
        phase=draw(st.none() | st.integers(1, 3)),
    )


@st.composite
def launch_members(draw: st.DrawFn, id: str) -> ReportedAction:
    return PhaseLaunched(
        id=id,
        occurred=draw(date_spans(max_length=40)),
        quote=f"quote {id}",
        operation=OPERATION,
        phase=draw(st.integers(1, 3)),
        regions=draw(st.lists(st.sampled_from(REGIONS), max_size=3)),
        forces=draw(st.lists(st.sampled_from(FORCES), max_size=3)),
        supervisor=draw(st.sampled_from((None, "the Prime Minister", "the Joint Command"))),
    )


@st.composite
def members(draw: st.DrawFn) -> list[Entry]:
    """Two to five statements of one kind, each in its own report, published on different days,
    recorded in a random order."""
    kind = draw(st.sampled_from((killed_members, launch_members)))
    count = draw(st.integers(2, 5))
    days = draw(st.lists(st.integers(1, 60), min_size=count, max_size=count, unique=True))
    positions = draw(st.permutations(range(1, count + 1)))
    found = []
    for number, (published, position) in enumerate(zip(days, positions, strict=True)):
        day = (datetime(2019, 9, 1) + timedelta(days=published)).date().isoformat()
        report = ReportRef(f"r{number}", source(day, outlet=f"O{number}"))
        recorded = START + timedelta(seconds=position)
        found.append(Entry(draw(kind(f"a{number}")), report, position, recorded, 2))
    return found


def without_identity(action: ReportedAction) -> dict[str, object]:
    return {
        name: value
        for name, value in attrs.asdict(action, recurse=False).items()
        if name not in IDENTITY_FIELDS
    }


@settings(max_examples=120, deadline=None)
@given(members(), st.randoms())
def test_the_resolution_does_not_depend_on_the_order_members_were_recorded(
    found: list[Entry], random: object
) -> None:
    """Publications differ, so no tie is broken by the recorded order: any order of recording
    (and of listing) resolves alike."""
    positions = [entry.position for entry in found]
    shuffled = list(positions)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    reordered = [
        attrs.evolve(entry, position=position) for entry, position in zip(found, shuffled, strict=True)
    ]
    random.shuffle(reordered)  # type: ignore[attr-defined]
    assert merge(reordered).action == merge(found).action


@settings(max_examples=120, deadline=None)
@given(members(), st.integers(0, 4))
def test_a_member_that_states_nothing_more_never_changes_the_result(
    found: list[Entry], published: int
) -> None:
    """A further report of the incident that states none of the optional details, and agrees with
    the resolved required ones (its date the resolved date), changes nothing but which statement
    represents the incident."""
    before = merge(found).action
    blank = {
        spec.name: spec.default.factory() if isinstance(spec.default, attrs.Factory) else spec.default  # type: ignore[arg-type]
        for spec in attrs.fields(type(before))
        if spec.default is not attrs.NOTHING and spec.name not in IDENTITY_FIELDS
    }
    silent = attrs.evolve(before, id="silent", quote="says little", **blank)
    day = (datetime(2019, 9, 1) + timedelta(days=published * 20)).date().isoformat()
    report = ReportRef("silent-report", source(day, outlet="Round-up"))
    extra = Entry(silent, report, 99, START + timedelta(seconds=99), 2)
    assert without_identity(merge([*found, extra]).action) == without_identity(before)


@settings(max_examples=120, deadline=None)
@given(members())
def test_the_date_is_never_less_precise_than_a_stated_date_no_member_contradicts(found: list[Entry]) -> None:
    spans = [entry.action.occurred for entry in found]
    chosen = merge(found).action.occurred
    assert chosen in spans  # a stated span, never one made up
    for span in spans:
        if not any(spans_disagree(span, other) for other in spans):
            assert precision_order(chosen) <= precision_order(span)


@settings(max_examples=120, deadline=None)
@given(members())
def test_a_detail_one_member_states_is_never_lost_and_lists_are_joined(found: list[Entry]) -> None:
    merged = merge(found).action
    for spec in attrs.fields(type(merged)):
        values = [getattr(entry.action, spec.name) for entry in found]
        if any(stated(value) for value in values):
            assert stated(getattr(merged, spec.name)), spec.name
        if spec.name not in IDENTITY_FIELDS and all(isinstance(value, tuple) for value in values):
            joined = {comparable(item) for value in values for item in value}
            assert {comparable(item) for item in getattr(merged, spec.name)} == joined


@settings(max_examples=120, deadline=None)
@given(members())
def test_agreeing_values_are_kept_and_a_real_disagreement_is_listed_with_the_value_used(
    found: list[Entry],
) -> None:
    merged = merge(found)
    by_field = {resolution.field: resolution for resolution in merged.fields}
    for name, resolution in by_field.items():
        values = [value for _member, value in resolution.stated]
        assert resolution.value == getattr(merged.action, name) or merged.action == ranked(found)[0].action
        if isinstance(resolution.value, DateSpan):
            disagree = any(spans_disagree(a, b) for a in values for b in values)  # type: ignore[arg-type]
        elif isinstance(resolution.value, tuple):
            disagree = False
        else:
            disagree = len({comparable(value) for value in values}) > 1
        assert resolution.disagree == disagree, name
        if resolution.used is not None:
            theirs = getattr(resolution.used.action, name)
            if isinstance(theirs, tuple):  # a list stated by one member: as it states it, each item once
                assert {comparable(item) for item in theirs} == {
                    comparable(item) for item in resolution.value
                }
            else:
                assert theirs == resolution.value


@settings(max_examples=120, deadline=None)
@given(members(), st.data())
def test_a_preference_decides_every_real_disagreement_its_member_states(
    found: list[Entry], data: st.DataObject
) -> None:
    """Linked and preferred in the log: the incident counts once, and where members really
    disagree on a detail the preferred member states, its value is the one used."""
    preferred = data.draw(st.sampled_from(found))
    refs = tuple(entry.ref for entry in found)
    analyst = ReportRef("analyst", source("2020-01-01", outlet="analyst"))
    amendments = (
        AmendmentEntry(DuplicateLink(id="link", same=refs), analyst, 100, START + timedelta(seconds=100), 2),
        AmendmentEntry(
            Preference(id="prefer", target=preferred.ref), analyst, 101, START + timedelta(seconds=101), 3
        ),
    )
    resolved = resolve(Ledger(tuple(found), amendments), Viewpoint())
    [incident] = resolved.incidents
    assert incident.chosen == preferred
    assert [entry.ref for entry in resolved.entries] == [preferred.ref]
    counted = resolved.entries[0].action
    for resolution in incident.merged.disagreements:
        mine = getattr(preferred.action, resolution.field)
        if stated(mine):
            assert getattr(counted, resolution.field) == mine, resolution.field


@frozen(kw_only=True)
class _FutureKind(ReportedAction):
    """A kind with fields of the shapes the catalogue is growing (several actors, a flag, a
    claimant), to show that they resolve by the generic rule with no code of their own."""

    kind: ClassVar[str] = "future_kind"

    actors: tuple[Name, ...] = field(converter=tuple, factory=tuple)
    approximate: bool = False
    claimant: Name | None = None


def _member(number: int, published: str, occurred: str = "2019-08", **fields: object) -> Entry:
    action = _FutureKind(id=f"f{number}", occurred=DateSpan.parse(occurred), quote="q", **fields)  # type: ignore[arg-type]
    report = ReportRef(f"r{number}", source(published, outlet=f"O{number}"))
    return Entry(action, report, number, START + timedelta(seconds=number), 2)


def test_fields_a_kind_adds_resolve_by_the_generic_rule() -> None:
    first = _member(1, "2019-09-01", actors=(PMF,), approximate=True, claimant=OPERATION)
    later = _member(2, "2019-09-05", "2019-08-24", actors=(ISIS, PMF))
    merged = merge([first, later])
    action = merged.action
    assert isinstance(action, _FutureKind)
    assert action.actors == (ISIS, PMF)  # joined, the ranking's order, each once
    assert action.approximate is True  # a flag left at its default says nothing
    assert action.claimant == OPERATION  # not stated by the later report: kept
    assert action.occurred == DateSpan.parse("2019-08-24")  # the more precise, uncontradicted
    assert merged.disagreements == ()
    contradicting = _member(3, "2019-09-09", claimant=PMF)
    [disagreement] = merge([first, later, contradicting]).disagreements
    assert (disagreement.field, disagreement.value, disagreement.used) == ("claimant", PMF, contradicting)
