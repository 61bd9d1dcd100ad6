"""Questions

Steps that ask the log a question, as the ``incidents`` command would; the ``Then`` steps below
check the answer. Every question takes the same clauses, in any order:

- ``as of DATE`` (``until DATE`` reads better for a replay): the occurred clock,
- ``known at DATE``: the reported clock, what had been published by then,
- ``recorded at position N`` or ``recorded before "REPORT-ID"``: the recorded clock,
- for totals only, ``by GROUPING[, GROUPING and GROUPING]`` (actor, phase, operation, ...).

A DATE is written as in report files: ``2019-08-28``; ``2019-08`` means by the end of August.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pytest_bdd import parsers, when

from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import Entry
from incidents.rendering import Result
from incidents.specs.phrases import CLAUSES, read_clocks, unquote
from incidents.specs.world import Asked, Question, World
from incidents.views import (
    area_history_view,
    areas_view,
    claims_view,
    replay_view,
    strength_view,
    totals_view,
)


def _ask(
    world: World,
    asked: Asked,
    clauses: str,
    view: Callable[[Sequence[Entry], Viewpoint], Result],
    *,
    area: str | None = None,
) -> None:
    clocks = read_clocks(clauses, groupings=asked is Asked.TOTALS)
    viewpoint = world.viewpoint(clocks)
    entries = world.entries(viewpoint)
    world.question = Question(asked, clocks, viewpoint, entries, view(entries, viewpoint), area)


@when(parsers.re(r"I ask for the totals" + CLAUSES))
def ask_totals(incidents_world: World, clauses: str) -> None:
    """Killed, wounded, arrested and materiel, summed by metric and side (``incidents totals``).

    Example::

        When I ask for the totals as of 2019-08-28
        When I ask for the totals as of 2019-08-28 known at 2019-08-27 by actor and phase
    """
    by = read_clocks(clauses, groupings=True).by
    _ask(
        incidents_world,
        Asked.TOTALS,
        clauses,
        lambda entries, viewpoint: totals_view(entries, viewpoint, by),
    )


@when(parsers.re(r"I ask for the areas" + CLAUSES))
def ask_areas(incidents_world: World, clauses: str) -> None:
    """Every area's status: threatened, clearing or cleared (``incidents areas``).

    Example::

        When I ask for the areas as of 2019-08-01
    """
    _ask(incidents_world, Asked.AREAS, clauses, areas_view)


@when(
    parsers.re(
        r"I ask for the history of (?!the action )(?P<area>.+?)"
        r"(?P<clauses>(?: (?:as of|until|known at|recorded) .+)?)"
    )
)
def ask_history(incidents_world: World, area: str, clauses: str) -> None:
    """Every reported status of one area, under any of its names (``incidents areas --history``).

    Example::

        When I ask for the history of Karma
        When I ask for the history of Khairat as of 2019-08-28
    """
    name = unquote(area)
    _ask(
        incidents_world,
        Asked.HISTORY,
        clauses,
        lambda entries, viewpoint: area_history_view(entries, viewpoint, name),
        area=name,
    )


@when(parsers.re(r"I ask for the claims" + CLAUSES))
def ask_claims(incidents_world: World, clauses: str) -> None:
    """Cumulative claims beside the itemised incidents in their scope (``incidents claims``).

    Example::

        When I ask for the claims as of 2019-08-28
    """
    _ask(incidents_world, Asked.CLAIMS, clauses, claims_view)


@when(parsers.re(r"I replay the log" + CLAUSES))
def ask_replay(incidents_world: World, clauses: str) -> None:
    """The log in occurred order, with running totals (``incidents replay``).

    Example::

        When I replay the log until 2019-07-10
    """
    _ask(incidents_world, Asked.REPLAY, clauses, replay_view)


@when(parsers.re(r"I ask for the strength estimates" + CLAUSES))
def ask_strength(incidents_world: World, clauses: str) -> None:
    """Estimates of each side's strength, usually ranges (``incidents strength``).

    Example::

        When I ask for the strength estimates as of 2019-08-28
    """
    _ask(incidents_world, Asked.STRENGTH, clauses, strength_view)
