"""Questions

Steps that ask the log a question, as the ``incidents`` command would; the ``Then`` steps below
check the answer. Every question takes the same clauses, in any order:

- ``as of DATE`` (``until DATE`` reads better for a replay): the occurred clock,
- ``known at DATE``: the reported clock, what had been published by then,
- ``recorded at position N`` or ``recorded before "REPORT-ID"``: the recorded clock,
- for totals only, ``by GROUPING[, GROUPING and GROUPING]`` (actor, phase, operation, ...),
  and ``with materiel items together`` (materiel's items summed into one figure per side; apart,
  per item, unless asked: ``incidents totals --items together``).

A DATE is written as in report files: ``2019-08-28``; ``2019-08`` means by the end of August.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pytest_bdd import parsers, when

from incidents.output import rows
from incidents.output.rows import Result
from incidents.service import Service, Viewpoint
from incidents.specs.phrases import CLAUSES, read_clocks, unquote
from incidents.specs.world import Asked, Question, World


def _ask(
    world: World,
    asked: Asked,
    clauses: str,
    answer: Callable[[Service, Viewpoint], Any],
    shape: Callable[[Any, Viewpoint], Result],
    *,
    area: str | None = None,
) -> None:
    """Ask the service as the CLI does, and keep its answer and the rows the CLI prints of it."""
    clocks = read_clocks(clauses, groupings=asked is Asked.TOTALS)
    viewpoint = world.viewpoint(clocks)
    found = answer(world.service, viewpoint)
    world.question = Question(asked, clocks, viewpoint, found, shape(found, viewpoint), area)


@when(parsers.re(r"I ask for the totals" + CLAUSES))
def ask_totals(incidents_world: World, clauses: str) -> None:
    """Killed, wounded, arrested and materiel, summed by metric and side (``incidents totals``).

    Example::

        When I ask for the totals as of 2019-08-28
        When I ask for the totals as of 2019-08-28 known at 2019-08-27 by actor and phase
        When I ask for the totals as of 2019-07-31 with materiel items together
    """
    clocks = read_clocks(clauses, groupings=True)
    by, items = clocks.by, clocks.items
    _ask(
        incidents_world,
        Asked.TOTALS,
        clauses,
        lambda service, viewpoint: service.totals(viewpoint=viewpoint, by=by, items=items),
        lambda answer, viewpoint: rows.totals_result(answer, viewpoint, by, items),
    )


_STATUS_WORD = "threatened|clearing|cleared"
_STATUSES = rf"(?P<statuses>(?:(?:{_STATUS_WORD})(?:, | or ))*(?:{_STATUS_WORD}) )?"
# (the provinces end where a clause begins, or at the end)
_PROVINCES = r"(?: in (?P<provinces>.+?)(?= (?:as of|until|known at|recorded) |$))?"


@when(parsers.re(r"I ask for the " + _STATUSES + "areas" + _PROVINCES + CLAUSES))
def ask_areas(incidents_world: World, statuses: str | None, provinces: str | None, clauses: str) -> None:
    """Every area's status: threatened, clearing or cleared (``incidents areas``); only those of
    some statuses (``--status``), only those in some provinces (``--province``: any of a
    province's names, as the reference data's gazetteer knows them).

    Example::

        When I ask for the areas as of 2019-08-01
        When I ask for the threatened areas in Anbar as of 2019-08-01
        When I ask for the clearing or cleared areas in Anbar and Salahuddin
    """
    wanted_statuses = _listed(statuses)
    wanted_provinces = _listed(provinces)
    _ask(
        incidents_world,
        Asked.AREAS,
        clauses,
        lambda service, viewpoint: service.areas(
            viewpoint=viewpoint,
            provinces=wanted_provinces,
            statuses=wanted_statuses,
            names=incidents_world.names,
        ),
        rows.areas_result,
    )


def _listed(words: str | None) -> list[str]:
    """The names of a list written "A", "A and B", "A, B or C" (each may be quoted)."""
    if not words:
        return []
    return [unquote(word) for word in re.split(r",\s*|\s+(?:and|or)\s+", words.strip()) if word.strip()]


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
        lambda service, viewpoint: service.area_history(
            name, viewpoint=viewpoint, names=incidents_world.names
        ),
        rows.area_history_result,
        area=name,
    )


@when(parsers.re(r"I ask for the claims" + CLAUSES))
def ask_claims(incidents_world: World, clauses: str) -> None:
    """Cumulative claims beside the itemised incidents in their scope (``incidents claims``).

    Example::

        When I ask for the claims as of 2019-08-28
    """
    _ask(
        incidents_world,
        Asked.CLAIMS,
        clauses,
        lambda service, viewpoint: service.claims(viewpoint=viewpoint),
        rows.claims_result,
    )


@when(parsers.re(r"I replay the log" + CLAUSES))
def ask_replay(incidents_world: World, clauses: str) -> None:
    """The log in occurred order, with running totals (``incidents replay``).

    Example::

        When I replay the log until 2019-07-10
    """
    _ask(
        incidents_world,
        Asked.REPLAY,
        clauses,
        lambda service, viewpoint: service.replay(viewpoint=viewpoint),
        rows.replay_result,
    )


@when(parsers.re(r"I ask for the overview" + CLAUSES))
def ask_overview(incidents_world: World, clauses: str) -> None:
    """What the log holds: per action type, the actions counted and uncertain, their reports,
    and the days they span (``incidents overview``).

    Example::

        When I ask for the overview as of 2019-08-25
    """
    _ask(
        incidents_world,
        Asked.OVERVIEW,
        clauses,
        lambda service, viewpoint: service.overview(viewpoint=viewpoint),
        rows.overview_result,
    )


@when(parsers.re(r"I ask for the strength estimates" + CLAUSES))
def ask_strength(incidents_world: World, clauses: str) -> None:
    """Estimates of each side's strength, usually ranges (``incidents strength``).

    Example::

        When I ask for the strength estimates as of 2019-08-28
    """
    _ask(
        incidents_world,
        Asked.STRENGTH,
        clauses,
        lambda service, viewpoint: service.strength(viewpoint=viewpoint),
        rows.strength_result,
    )
