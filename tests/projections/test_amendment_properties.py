"""Invariants of amendments, on random logs of killed actions across reports with random
corrections, retractions, duplicate links and preferences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import Killed
from incidents.domain.amendments import (
    Amendment,
    Correction,
    DuplicateLink,
    FieldChange,
    Preference,
    Retraction,
)
from incidents.domain.values import Estimate
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, ReportRef
from incidents.projections.resolution import Resolutions, resolve
from incidents.projections.totals import sum_counts, totals
from tests.builders import ISIS, killed, source

START = datetime(2026, 1, 1, tzinfo=UTC)


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    """Reports of killed actions, then amendments of them, in recorded order."""
    position = 0
    entries: list[Entry] = []
    for number in range(draw(st.integers(1, 4))):
        report = ReportRef(
            f"r{number}", source(f"2019-08-{draw(st.integers(10, 28)):02d}", outlet=f"O{number}")
        )
        position += 1
        for index in range(draw(st.integers(1, 4))):
            position += 1
            day = draw(st.integers(1, 28))
            action = killed(f"2019-08-{day:02d}", draw(st.integers(0, 9)), id=f"k{index}", side=ISIS)
            entries.append(Entry(action, report, position, START + timedelta(seconds=position), index + 2))
    amendments: list[AmendmentEntry] = []
    refs = [entry.ref for entry in entries]
    made: list[AmendmentEntry] = []
    amending = ReportRef("amendments", source("2019-09-01", outlet="analyst"))
    position += 1
    for index in range(draw(st.integers(0, 6))):
        position += 1
        target = draw(st.sampled_from(refs))
        choice = draw(st.sampled_from(["correct", "retract", "link", "prefer", "unamend"]))
        amendment: Amendment
        if choice == "correct":
            count = Estimate.exactly(draw(st.integers(0, 9)))
            amendment = Correction(id=f"a{index}", target=target, changes=(FieldChange("count", count),))
        elif choice == "link" and len(refs) > 1:
            others = draw(st.lists(st.sampled_from(refs), min_size=1, max_size=3))
            same = tuple(dict.fromkeys([target, *others]))
            if len(same) < 2:
                continue
            amendment = DuplicateLink(id=f"a{index}", same=same)
        elif choice == "prefer":
            amendment = Preference(id=f"a{index}", target=target)
        elif choice == "unamend" and made:
            undone = draw(st.sampled_from(made))
            if isinstance(undone.amendment, Retraction):
                continue
            amendment = Retraction(id=f"a{index}", target=undone.ref)
        else:
            amendment = Retraction(id=f"a{index}", target=target)
        entry = AmendmentEntry(amendment, amending, position, START + timedelta(seconds=position), index + 2)
        amendments.append(entry)
        made.append(entry)
    return Ledger(tuple(entries), tuple(amendments))


def killed_total(entries: tuple[Entry, ...], viewpoint: Viewpoint) -> Estimate:
    rows = totals(entries, viewpoint).rows
    return sum((row.estimate for row in rows), Estimate.zero())


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_every_action_is_either_counted_or_set_aside_with_a_reason(ledger: Ledger) -> None:
    resolved = resolve(ledger, Viewpoint())
    kept = [entry.ref for entry in resolved.entries]
    aside = [judged.entry.ref for judged in resolved.set_aside]
    assert sorted(kept + aside) == sorted(entry.ref for entry in ledger.entries)
    assert all(judged.verdict.reason for judged in resolved.set_aside)


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_before_the_first_amendment_was_recorded_the_log_reads_as_recorded(ledger: Ledger) -> None:
    first = min((a.position for a in ledger.amendments), default=None)
    viewpoint = Viewpoint(recorded_at=None if first is None else first - 1)
    assert resolve(ledger, viewpoint).entries == ledger.entries


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_amendments_published_after_the_known_at_date_do_not_apply(ledger: Ledger) -> None:
    before = Viewpoint(known_at=date(2019, 8, 31))  # the amendments are published on 2019-09-01
    assert resolve(ledger, before).entries == ledger.entries


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_each_incident_counts_exactly_once_as_its_chosen_member(ledger: Ledger) -> None:
    resolved = resolve(ledger, Viewpoint())
    kept = {entry.ref for entry in resolved.entries}
    for incident in resolved.incidents:
        members = {member.ref for member in incident.members}
        assert members & kept == {incident.chosen.ref}


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_linking_never_adds_and_retracting_never_adds(ledger: Ledger) -> None:
    """Without the links and retractions the total is at least as large: they only take away."""
    viewpoint = Viewpoint()
    only_corrections = Ledger(
        ledger.entries, tuple(a for a in ledger.amendments if isinstance(a.amendment, Correction))
    )
    with_all = killed_total(resolve(ledger, viewpoint).entries, viewpoint)
    corrections_alone = killed_total(resolve(only_corrections, viewpoint).entries, viewpoint)
    retracted_corrections = any(
        isinstance(a.amendment, Retraction) and a.amendment.target.report == "amendments"
        for a in ledger.amendments
    )
    if not retracted_corrections:
        assert with_all.best is not None
        assert corrections_alone.best is not None
        assert with_all.best <= corrections_alone.best


@settings(max_examples=200, deadline=None)
@given(ledgers())
def test_the_latest_correction_in_effect_sets_the_count(ledger: Ledger) -> None:
    resolved = resolve(ledger, Viewpoint())
    retracted = {a.amendment.target for a in ledger.amendments if isinstance(a.amendment, Retraction)}
    for entry in resolved.entries:
        corrections = [
            a
            for a in ledger.amendments
            if isinstance(a.amendment, Correction)
            and a.amendment.target == entry.ref
            and a.ref not in retracted
        ]
        if corrections:
            latest = max(corrections, key=lambda a: a.position).amendment
            assert isinstance(latest, Correction)
            assert isinstance(entry.action, Killed)
            assert entry.action.count == latest.changes[0].value
    assert sum_counts(
        (e, e.action) for e in resolved.entries if isinstance(e.action, Killed)
    ) == killed_total(resolved.entries, Viewpoint())


AUGUST_DAYS = st.none() | st.integers(1, 31).map(lambda day: date(2019, 8, day))


@settings(max_examples=200, deadline=None)
@given(
    ledgers(),
    AUGUST_DAYS,
    AUGUST_DAYS,
    st.none() | st.integers(0, 30) | st.integers(0, 30).map(lambda s: START + timedelta(seconds=s)),
)
def test_the_resolution_reads_no_occurred_clock(
    ledger: Ledger, as_of: date | None, known_at: date | None, recorded_at: datetime | int | None
) -> None:
    """Amendments apply on the reported and recorded clocks alone: the resolutions a ledger
    remembers (``Resolutions``) serve a viewpoint at any as-of day."""
    viewpoint = Viewpoint(as_of, known_at, recorded_at)
    resolved = resolve(ledger, viewpoint)
    assert resolved == resolve(ledger, viewpoint.without_as_of())
    remembered = Resolutions(ledger, bound=2)
    assert remembered.of(viewpoint) == resolved
    assert remembered.of(Viewpoint(date(2019, 8, 1), known_at, recorded_at)) is remembered.of(viewpoint)


def test_the_resolutions_remembered_are_the_last_asked_for() -> None:
    ledger = Ledger(())
    remembered = Resolutions(ledger, bound=2)
    first, second, third = (Viewpoint(known_at=date(2019, 8, day)) for day in (1, 2, 3))
    kept, kept_second = remembered.of(first), remembered.of(second)
    assert remembered.of(first) is kept  # (now the most recent)
    remembered.of(third)  # forgets the second, the least recently asked for
    assert remembered.of(first) is kept
    assert remembered.of(second) is not kept_second
