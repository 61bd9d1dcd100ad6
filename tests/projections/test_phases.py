"""The phases timeline (``projections.phases``): one row per operation and phase number, its launch
resolved across the reports of it, disputes marked on the row they claim; and the conflicts it
shares with ``conflicts``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.domain.actions import PhaseEnded, PhaseLaunched
from incidents.domain.amendments import DuplicateLink
from incidents.domain.values import Place
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.conflicts import find_conflicts
from incidents.projections.ledger import AmendmentEntry, Entry, Ledger, ReportRef
from incidents.projections.phases import DATED_APART, NOT_LINKED, NUMBERED_DIFFERENTLY, phase_timeline
from incidents.projections.queries import replay_of
from incidents.projections.resolution import resolve
from tests.builders import OPERATION, PMF, source, span

START = datetime(2026, 1, 1, tzinfo=UTC)


class Log:
    """A ledger built statement by statement, each report its own."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.amendments: list[AmendmentEntry] = []

    def launch(self, key: str, published: str, occurred: str, phase: int, **fields: object) -> Entry:
        action = PhaseLaunched(
            id="launch", occurred=span(occurred), quote="launched", operation=OPERATION, phase=phase, **fields
        )  # type: ignore[arg-type]
        return self._add(Entry(action, ReportRef(key, source(published, outlet=key.title())), *self._next()))

    def end(self, key: str, published: str, occurred: str, phase: int) -> Entry:
        action = PhaseEnded(
            id="end", occurred=span(occurred), quote="ended", operation=OPERATION, phase=phase
        )
        return self._add(Entry(action, ReportRef(key, source(published, outlet=key.title())), *self._next()))

    def link(self, *entries: Entry) -> None:
        analyst = ReportRef("analyst", source("2020-01-01", outlet="analyst"))
        link = DuplicateLink(id=f"link-{len(self.amendments)}", same=tuple(e.ref for e in entries))
        position, recorded, _ = self._next()
        self.amendments.append(AmendmentEntry(link, analyst, position, recorded, 2))

    def _next(self) -> tuple[int, datetime, int]:
        position = len(self.entries) + len(self.amendments) + 1
        return position, START + timedelta(seconds=position), 2

    def _add(self, entry: Entry) -> Entry:
        self.entries.append(entry)
        return entry

    def ledger(self) -> Ledger:
        return Ledger(tuple(self.entries), tuple(self.amendments))


def timeline(log: Log, viewpoint: Viewpoint | None = None):  # type: ignore[no-untyped-def]
    viewpoint = viewpoint or Viewpoint()
    return phase_timeline(resolve(log.ledger(), viewpoint), viewpoint)


def test_phases_are_listed_by_operation_and_number_phase_10_after_phase_9() -> None:
    log = Log()
    log.launch("a", "2019-09-01", "2019-08-30", 10)
    log.launch("b", "2019-08-01", "2019-07-30", 9)
    assert [phase.phase for phase in timeline(log).phases] == [9, 10]


def test_two_unlinked_reports_of_one_launch_are_one_row_marked_and_suggested_as_duplicates() -> None:
    log = Log()
    vague = log.launch("later", "2019-07-30", "2019-07-21/2019-07-24", 2)
    precise = log.launch("wire", "2019-07-22", "2019-07-21", 2)
    [phase] = timeline(log).phases
    assert phase.launched_on == span("2019-07-21")  # the more precise, though published first
    assert len(phase.launch) == 2
    assert [d.kind for d in phase.disputes] == [NOT_LINKED]
    [conflict] = find_conflicts(resolve(log.ledger(), Viewpoint()), Viewpoint())
    assert conflict.kind == "likely duplicate"
    assert {vague.ref, precise.ref} == {m.ref for m in conflict.members}
    assert f"incidents link {conflict.members[0].ref} {conflict.members[1].ref}" in conflict.rule


def test_linked_one_launch_from_both_sources_on_the_more_precise_date_with_regions_and_forces_joined() -> (
    None
):
    log = Log()
    vague = log.launch("later", "2019-07-30", "2019-07-21/2019-07-24", 2, regions=(Place("Diyala"),))
    precise = log.launch(
        "wire", "2019-07-22", "2019-07-21", 2, forces=(PMF,), supervisor="the Prime Minister"
    )
    log.link(vague, precise)
    [phase] = timeline(log).phases
    assert len(phase.launch) == 1
    assert {entry.ref for entry in phase.sources} == {vague.ref, precise.ref}
    assert phase.launched_on == span("2019-07-21")
    launch = phase.launch_action
    assert launch is not None
    assert launch.regions == (Place("Diyala"),)
    assert launch.forces == (PMF,)
    assert launch.supervisor == "the Prime Minister"
    assert phase.disputes == ()
    assert find_conflicts(resolve(log.ledger(), Viewpoint()), Viewpoint()) == []


def test_a_launch_numbered_like_a_phase_but_dated_apart_is_marked_on_that_phase_not_a_second_row() -> None:
    log = Log()
    government = log.launch("government", "2019-07-22", "2019-07-21", 2)
    third = log.launch("media-cell", "2019-08-11", "2019-08-10", 3)
    militia = log.launch("militia", "2019-08-12", "2019-08-10", 2)  # its own "second phase"
    answer = timeline(log)
    assert [phase.phase for phase in answer.phases] == [2, 3]
    second, later = answer.phases
    assert second.launched_on == span("2019-07-21")  # the launch no other report numbers differently
    assert [(d.kind, d.entry.ref) for d in second.disputes] == [(DATED_APART, militia.ref)]
    assert [(d.kind, d.entry.ref, d.other.ref) for d in later.disputes] == [
        (NUMBERED_DIFFERENTLY, third.ref, militia.ref)
    ]
    conflicts = find_conflicts(resolve(log.ledger(), Viewpoint()), Viewpoint())
    dates = [c for c in conflicts if c.kind == "phase dates"]
    assert len(dates) == 1
    assert dates[0].used == government
    numbering = [c for c in conflicts if c.kind == "phase numbering"]
    assert [{m.ref for m in c.members} for c in numbering] == [{third.ref, militia.ref}]
    replayed = replay_of(log.ledger(), Viewpoint())
    marked = {step.entry.ref: replayed.dispute_of(step.entry) for step in replayed.steps}
    assert marked[government.ref] is None
    militia_mark = marked[militia.ref]
    assert militia_mark is not None
    assert militia_mark.kind == DATED_APART


def test_three_reports_dating_one_phase_apart_are_one_conflict_that_uses_what_phases_shows() -> None:
    log = Log()
    log.launch("a", "2019-07-22", "2019-07-21", 2)
    log.launch("b", "2019-07-29", "2019-07-28", 2)
    log.launch("c", "2019-08-02", "2019-07-25", 2)
    [phase] = timeline(log).phases
    [conflict] = find_conflicts(resolve(log.ledger(), Viewpoint()), Viewpoint())
    assert conflict.kind == "phase dates"
    assert len(conflict.members) == 3
    assert conflict.used is not None
    assert conflict.used.action.occurred == phase.launched_on == span("2019-07-25")  # the latest report


def test_the_clocks_apply_a_straddling_launch_is_uncertain_an_end_ends_the_phase_once_it_happened() -> None:
    log = Log()
    log.launch("a", "2019-07-30", "2019-07-21/2019-07-24", 2)
    log.end("b", "2019-08-12", "2019-08-10", 2)
    straddled = timeline(log, Viewpoint(as_of=date(2019, 7, 22)))
    assert straddled.phases == ()
    assert [j.verdict.standing for j in straddled.uncertain] == [Standing.UNCERTAIN]
    [under_way] = timeline(log, Viewpoint(as_of=date(2019, 8, 9))).phases
    assert under_way.ended is None
    [ended] = timeline(log).phases
    assert ended.ended_on == span("2019-08-10")
    assert timeline(log, Viewpoint(known_at=date(2019, 7, 29))).phases == ()


@st.composite
def launch_logs(draw: st.DrawFn) -> Log:
    log = Log()
    for number in range(draw(st.integers(1, 6))):
        start = date(2019, 7, 1) + timedelta(days=draw(st.integers(0, 40)))
        length = draw(st.integers(0, 10))
        occurred = f"{start}/{start + timedelta(days=length)}" if length else f"{start}"
        published = start + timedelta(days=length + draw(st.integers(0, 5)))
        log.launch(f"r{number}", published.isoformat(), occurred, draw(st.integers(1, 3)))
    return log


@settings(max_examples=150, deadline=None)
@given(launch_logs())
def test_each_phase_number_is_one_row_and_every_launch_is_in_it_or_marked_on_it(log: Log) -> None:
    answer = timeline(log)
    keys = [(phase.operation, phase.phase) for phase in answer.phases]
    assert len(keys) == len(set(keys))
    for phase in answer.phases:
        apart = {d.entry.ref for d in phase.disputes if d.kind == DATED_APART}
        of_number = {e.ref for e in log.entries if e.action.phase == phase.phase}
        assert {e.ref for e in phase.launch} | apart == of_number
        assert not {e.ref for e in phase.launch} & apart
        assert phase.launched_on in [e.action.occurred for e in phase.launch]
