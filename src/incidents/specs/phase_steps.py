"""Phases

``incidents phases`` lists each operation's phases as the sources number them: one row per
operation and phase, its launch resolved across the reports of it (the most precise date no
other contradicts), its regions, supervisor and every source. A launch that another source
numbers differently, or dates apart from the phase's launch, is marked on the row it claims
(and in the replay), never listed as a second phase of that number. A phase is named ``phase 2``
or ``phase 2 of Will of Victory`` (any name of the operation).
"""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from incidents.output import rows
from incidents.service import Phase, Phases
from incidents.specs.count_steps import resolved, same_name
from incidents.specs.phrases import CLAUSES, read_clocks, unquote
from incidents.specs.world import Asked, Question, World

PHASE = r"phase (?P<number>\d+)(?: of (?P<operation>.+?))?"


@when(
    parsers.re(r"I ask for the phases(?: of (?P<operation>(?:(?! as of| known at| recorded).)+))?" + CLAUSES)
)
def ask_phases(incidents_world: World, operation: str | None, clauses: str) -> None:
    """Each operation's phases as a timeline (``incidents phases``), or one operation's.

    Example::

        When I ask for the phases
        When I ask for the phases of Will of Victory as of 2019-08-28
    """
    clocks = read_clocks(clauses)
    viewpoint = incidents_world.viewpoint(clocks)
    name = unquote(operation) if operation else None
    answer = incidents_world.service.phases(operation=name, viewpoint=viewpoint, names=incidents_world.names)
    result = rows.phases_result(answer, viewpoint)
    incidents_world.question = Question(Asked.PHASES, clocks, viewpoint, answer, result, None)


def _listing(answer: Phases) -> str:
    lines = [
        f"  {phase.operation} phase {phase.phase}: launched {phase.launched_on}, ended {phase.ended_on}, "
        f"{len(phase.sources)} source(s), {len(phase.disputes)} dispute(s)"
        for phase in answer.phases
    ]
    return "the phases:\n" + ("\n".join(lines) or "  (none)")


def _phases(world: World, number: str, operation: str | None) -> tuple[list[Phase], Phases]:
    answer: Phases = world.asked(Asked.PHASES).answer
    wanted = resolved(world, "operation", operation) if operation else None
    found = [
        phase
        for phase in answer.phases
        if phase.phase == int(number) and (wanted is None or same_name(phase.operation, wanted))
    ]
    return found, answer


def _phase(world: World, number: str, operation: str | None) -> Phase:
    found, answer = _phases(world, number, operation)
    assert len(found) == 1, f"{len(found)} rows of phase {number}, expected one; {_listing(answer)}"
    return found[0]


@then(parsers.re(PHASE + r" was launched (?:on|between) (?P<span>\S+)"))
def phase_launched(incidents_world: World, number: str, operation: str | None, span: str) -> None:
    """The launch date a phase shows, written as the answer writes spans.

    Example::

        Then phase 4 was launched on 2019-08-24
        Then phase 2 of Will of Victory was launched between 2019-07-21/2019-07-24
    """
    phase = _phase(incidents_world, number, operation)
    assert str(phase.launched_on) == span, (
        f"phase {number} was launched on {phase.launched_on}, expected {span}"
    )


@then(parsers.re(PHASE + r" ended on (?P<span>\S+)"))
def phase_ended(incidents_world: World, number: str, operation: str | None, span: str) -> None:
    """The end date a phase shows.

    Example::

        Then phase 2 ended on 2019-08-10
    """
    phase = _phase(incidents_world, number, operation)
    assert str(phase.ended_on) == span, f"phase {number} ended on {phase.ended_on}, expected {span}"


@then(parsers.re(PHASE + r" is listed once, from (?P<count>\d+) sources? in (?P<launches>\d+) launch(?:es)?"))
def phase_sources(
    incidents_world: World, number: str, operation: str | None, count: str, launches: str
) -> None:
    """A phase is one row; how many statements are behind it, and in how many launches they
    are counted (statements of one launch not linked are separate launches).

    Example::

        Then phase 2 is listed once, from 2 sources in 1 launch
    """
    phase = _phase(incidents_world, number, operation)
    actual = (len(phase.sources), len(phase.launch))
    assert actual == (int(count), int(launches)), (
        f"phase {number} has {actual[0]} source(s) in {actual[1]} launch(es), "
        f"expected {count} in {launches}; {_listing(incidents_world.asked(Asked.PHASES).answer)}"
    )


@then(parsers.re(PHASE + r' is marked "(?P<text>[^"]+)"'))
def phase_marked(incidents_world: World, number: str, operation: str | None, text: str) -> None:
    """Something the phase's row says of what disputes it (its ``conflicts`` column) contains
    the text.

    Example::

        Then phase 2 is marked "dated 2019-08-10 here"
    """
    question = incidents_world.asked(Asked.PHASES)
    phase = _phase(incidents_world, number, operation)
    index = question.answer.phases.index(phase)
    notes = question.result.rows[index].cells()["conflicts"]
    assert any(text in note for note in notes), f"phase {number} is marked:\n" + (
        "\n".join(f"  {note}" for note in notes) or "  (nothing)"
    )


@then(parsers.re(PHASE + r" is not marked"))
def phase_not_marked(incidents_world: World, number: str, operation: str | None) -> None:
    """Nothing disputes the phase: no other number or date for its launch, no report of it left
    unlinked, no disagreement among its statements.

    Example::

        Then phase 4 is not marked
    """
    question = incidents_world.asked(Asked.PHASES)
    phase = _phase(incidents_world, number, operation)
    notes = question.result.rows[question.answer.phases.index(phase)].cells()["conflicts"]
    assert not notes, f"phase {number} is marked:\n" + "\n".join(f"  {note}" for note in notes)


@then(parsers.re(r'the replay marks "(?P<ref>[^"]+/[^"]+)" with "(?P<text>[^"]+)"'))
def replay_marks(incidents_world: World, ref: str, text: str) -> None:
    """A launch statement the replay marks as another source's claim (its ``conflict``
    column), as ``phases`` marks it on the row it disputes.

    Example::

        Then the replay marks "pmf-media/phase-2" with "dated 2019-08-10 here"
    """
    question = incidents_world.asked(Asked.REPLAY)
    marks = {
        f"{cells['report']}/{cells['id']}": cells["conflict"]
        for cells in (row.cells() for row in question.result.rows)
    }
    assert ref in marks, f"{ref} is not in the replay"
    mark = marks[ref] or ""
    assert text in mark, f"the replay marks {ref} with {marks[ref]!r}"
