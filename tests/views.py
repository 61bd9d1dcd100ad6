"""Each query as a user sees it, from a ledger or plain entries, for tests: the fold's answer
(``projections.queries``) shaped by ``output.rows``, with its rows as plain dicts (``cells``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import frozen

from incidents.domain.actions import Metric
from incidents.domain.amendments import ActionRef
from incidents.output import rows
from incidents.projections import queries
from incidents.projections.clocks import Viewpoint
from incidents.projections.queries import LogView


@frozen
class Shown:
    """A query's output as a user reads it: columns, rows and uncertain entries as dicts."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    query: dict[str, Any]
    uncertain: tuple[dict[str, Any], ...]


def shown(result: rows.Result) -> Shown:
    return Shown(
        result.title,
        result.columns,
        tuple(row.cells() for row in result.rows),
        result.query,
        tuple(row.cells() for row in result.uncertain),
    )


def totals_view(log: LogView, viewpoint: Viewpoint, by: Sequence[str] = ()) -> Shown:
    return shown(rows.totals_result(queries.totals_of(log, viewpoint, by), viewpoint, by))


def areas_view(log: LogView, viewpoint: Viewpoint) -> Shown:
    return shown(rows.areas_result(queries.areas_of(log, viewpoint), viewpoint))


def area_history_view(log: LogView, viewpoint: Viewpoint, name: str) -> Shown:
    return shown(rows.area_history_result(queries.area_history_of(log, viewpoint, name), viewpoint))


def claims_view(log: LogView, viewpoint: Viewpoint) -> Shown:
    return shown(rows.claims_result(queries.claims_of(log, viewpoint), viewpoint))


def replay_view(log: LogView, viewpoint: Viewpoint) -> Shown:
    return shown(rows.replay_result(queries.replay_of(log, viewpoint), viewpoint))


def strength_view(log: LogView, viewpoint: Viewpoint) -> Shown:
    return shown(rows.strength_result(queries.strength_of(log, viewpoint), viewpoint))


def explain_view(log: LogView, viewpoint: Viewpoint, metric: Metric, side: str) -> Shown:
    return shown(rows.explain_result(queries.explain_of(log, viewpoint, metric, side), viewpoint))


def history_view(log: LogView, viewpoint: Viewpoint, refs: Sequence[ActionRef], subject: str) -> Shown:
    return shown(rows.history_result(queries.history_of(log, viewpoint, refs), viewpoint, subject))


def conflicts_view(log: LogView, viewpoint: Viewpoint) -> Shown:
    return shown(rows.conflicts_result(queries.conflicts_of(log, viewpoint), viewpoint))
