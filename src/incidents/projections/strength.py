"""Strength estimates: the latest estimate of each side's strength, as a range."""

from __future__ import annotations

from collections.abc import Iterable

from incidents.domain.actions import StrengthEstimated
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry


def strength_estimates(
    entries: Iterable[Entry], viewpoint: Viewpoint
) -> list[tuple[Entry, StrengthEstimated]]:
    """Every counted strength estimate, in occurred order (the last per side is the latest)."""
    found = [
        (entry, entry.action)
        for entry in entries
        if isinstance(entry.action, StrengthEstimated) and viewpoint.judge(entry).standing is Standing.COUNTED
    ]
    found.sort(key=lambda pair: pair[0].occurred_order())
    return found
