"""Areas (after the areas, or a history)

An area is named as any report wrote it, or by the administrative unit it resolves to: "Karma"
and "Al-Garma" are the same area. A name no report wrote and the reference data does not know
fails the step (``Service.resolve``), so that "Atlantis has no status" is not true of nothing.
A STATUS is ``threatened``, ``clearing`` or ``cleared``.
"""

from __future__ import annotations

from collections.abc import Iterable

from pytest_bdd import parsers, then

from incidents.domain.actions import AreaAction, AreaStatus
from incidents.domain.values import Place, normalise_name
from incidents.gazetteer import NameIndex
from incidents.service import AreaHistory, Areas, AreaState, Standing
from incidents.specs.count_steps import resolved
from incidents.specs.phrases import STATUS, read_span, unquote
from incidents.specs.world import Asked, World


def names_area(names: NameIndex, name: str, place: Place, written: Iterable[str] = ()) -> bool:
    """Whether ``name`` names this place: as written by a source, as labelled, or as resolved."""
    wanted = normalise_name(unquote(name))
    if wanted in {normalise_name(place.label), normalise_name(place.written)} | {
        normalise_name(spelling) for spelling in written
    }:
        return True
    resolved = names.place(unquote(name)).place
    return resolved.resolved and place.resolved and resolved.key == place.key


def _areas(world: World) -> Areas:
    answer: Areas = world.asked(Asked.AREAS).answer
    return answer


def _state(world: World, areas: Areas, name: str) -> AreaState | None:
    resolved(world, "area", name)  # an area the store and the reference data know of
    for state in areas.states:
        if names_area(world.names, name, state.place, state.written):
            return state
    return None


def _listing(world: World, areas: Areas) -> str:
    question = world.asked(Asked.AREAS)
    lines = [
        f"  {state.place.label}: {state.status.value} since {state.since}" for state in areas.states
    ] or ["  (no area has a status)"]
    lines += [
        f"  {judged.entry.action.place_of_action.label if judged.entry.action.place_of_action else '?'}: "
        f"uncertain ({judged.verdict.reason})"
        for judged in areas.uncertain
    ]
    return f"The areas {question.clocks.describe()}:\n" + "\n".join(lines)


def _one_column(datatable: list[list[str]]) -> list[str]:
    """The names in a one-column table under the header ``area``."""
    if not datatable or [cell.strip().lower() for cell in datatable[0]] != ["area"]:
        raise ValueError("expected a table with one column, headed: | area |")
    return [row[0].strip() for row in datatable[1:]]


@then(parsers.re(rf"(?P<area>.+?) is {STATUS}(?: since (?P<since>\S+))?"))
def area_is(incidents_world: World, area: str, status: str, since: str | None) -> None:
    """An area's status (and since when: the date of the report that began it).

    Example::

        Then Khairat is threatened
        Then Umm Najm is cleared since 2019-07-21/2019-07-31
    """
    areas = _areas(incidents_world)
    state = _state(incidents_world, areas, area)
    if state is None or state.status is not AreaStatus(status):
        raise AssertionError(f"{area} is not {status}. " + _listing(incidents_world, areas))
    if since is not None:
        expected = read_span(since)
        assert (state.since.start, state.since.end) == (expected.start, expected.end), (
            f"{area} is {status} since {state.since}, expected since {expected}"
        )


@then(parsers.re(rf"(?P<area>.+?) is not {STATUS}"))
def area_is_not(incidents_world: World, area: str, status: str) -> None:
    """An area does not have this status (it has another, or none).

    Example::

        Then Umm Najm is not cleared
    """
    areas = _areas(incidents_world)
    state = _state(incidents_world, areas, area)
    assert state is None or state.status is not AreaStatus(status), f"{area} is {status}. " + _listing(
        incidents_world, areas
    )


@then(parsers.re(r"(?P<area>.+?) has no status"))
def area_has_no_status(incidents_world: World, area: str) -> None:
    """No report counted by the clocks gives the area a status.

    Example::

        Then Umm Najm has no status
    """
    areas = _areas(incidents_world)
    state = _state(incidents_world, areas, area)
    assert state is None, f"{area} is {state.status.value}. " + _listing(incidents_world, areas)


@then(parsers.re(r"the status of (?P<area>.+?) is uncertain"))
def area_uncertain(incidents_world: World, area: str) -> None:
    """The area has no counted status, and a report about it straddles the clock's date.

    Example::

        Then the status of Umm Najm is uncertain
    """
    areas = _areas(incidents_world)
    state = _state(incidents_world, areas, area)
    straddling = [
        judged
        for judged in areas.uncertain
        if isinstance(judged.entry.action, AreaAction)
        and names_area(incidents_world.names, area, judged.entry.action.area)
    ]
    if state is not None or not straddling:
        raise AssertionError(f"the status of {area} is not uncertain. " + _listing(incidents_world, areas))


@then(parsers.re(rf"(?P<count>\d+|no) areas are {STATUS}"))
def areas_count(incidents_world: World, count: str, status: str) -> None:
    """How many areas have this status.

    Example::

        Then 7 areas are cleared
        Then no areas are cleared
    """
    areas = _areas(incidents_world)
    actual = sum(1 for state in areas.states if state.status is AreaStatus(status))
    expected = 0 if count == "no" else int(count)
    assert actual == expected, f"{actual} areas are {status}, expected {expected}. " + _listing(
        incidents_world, areas
    )


@then(parsers.re(rf"these areas are {STATUS}:"))
def areas_are(incidents_world: World, status: str, datatable: list[list[str]]) -> None:
    """Every area in the table (one column headed ``area``) has this status.

    Example::

        Then these areas are cleared:
    """
    areas = _areas(incidents_world)
    wrong = []
    for name in _one_column(datatable):
        state = _state(incidents_world, areas, name)
        if state is None or state.status is not AreaStatus(status):
            wrong.append(name)
    assert not wrong, f"not {status}: {', '.join(wrong)}. " + _listing(incidents_world, areas)


@then("these areas have no status:")
def areas_have_no_status(incidents_world: World, datatable: list[list[str]]) -> None:
    """No area in the table (one column headed ``area``) has a status.

    Example::

        Then these areas have no status:
    """
    areas = _areas(incidents_world)
    wrong = [name for name in _one_column(datatable) if _state(incidents_world, areas, name)]
    assert not wrong, f"these have a status: {', '.join(wrong)}. " + _listing(incidents_world, areas)


@then(
    parsers.re(
        rf"the history shows {STATUS} on (?P<occurred>\S+)"
        r"(?P<uncertain> \(uncertain\))?(?: reported by (?P<outlet>.+))?"
    )
)
def history_shows(
    incidents_world: World, status: str, occurred: str, uncertain: str | None, outlet: str | None
) -> None:
    """The area's history has this status, on this date, (uncertain), reported by this outlet.

    Example::

        Then the history shows threatened on 2019-07-28/2019-07-31 reported by Al-Shahid Witness
        Then the history shows cleared on 2019-07-21/2019-07-31 (uncertain)
    """
    question = incidents_world.asked(Asked.HISTORY)
    assert question.area is not None
    expected = read_span(occurred)
    standing = Standing.UNCERTAIN if uncertain else Standing.COUNTED
    answer: AreaHistory = question.answer
    history = answer.transitions
    for transition, found_standing in history:
        span = transition.action.occurred
        if (
            transition.status is AreaStatus(status)
            and (span.start, span.end) == (expected.start, expected.end)
            and found_standing is standing
            and (outlet is None or transition.entry.report.source.outlet == outlet.strip())
        ):
            return
    lines = [
        f"  {t.status.value} on {t.action.occurred} ({s.value}) reported by {t.entry.report.source.outlet}"
        for t, s in history
    ] or ["  (nothing)"]
    raise AssertionError(f"the history of {question.area} {question.clocks.describe()}:\n" + "\n".join(lines))
