"""The oracle: the read model's answers compared with the fold's, over many viewpoints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from incidents.application import IncidentLog
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.readmodel import ReadModel
from incidents.rendering import Result
from incidents.views import areas_view, totals_view

GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("side",), ("province",), ("actor", "phase"), ("area", "month"))


def differences(
    model: ReadModel,
    log: IncidentLog,
    viewpoints: Iterable[Viewpoint],
    groupings: Sequence[tuple[str, ...]] = GROUPINGS,
) -> list[str]:
    """Every query whose read-model answer differs from the fold's, with both answers."""
    ledger = read_ledger(log)
    found: list[str] = []
    for viewpoint in viewpoints:
        for by in groupings:
            _compare(
                found,
                f"totals {viewpoint} by {by}",
                totals_view(ledger, viewpoint, by),
                model.totals(viewpoint, by),
            )
        _compare(found, f"areas {viewpoint}", areas_view(ledger, viewpoint), model.areas(viewpoint))
    return found


def _compare(found: list[str], what: str, folded: Result, read: Result) -> None:
    if folded != read:
        found.append(f"{what}:\n  fold:       {folded}\n  read model: {read}")


def viewpoint_grid(
    days: Sequence[date | None], known: Sequence[date | None], recorded: Sequence[datetime | int | None]
) -> list[Viewpoint]:
    return [Viewpoint(d, k, r) for d in days for k in known for r in recorded]
