"""Strength estimates: the latest estimate of each side's strength, as a range."""

from __future__ import annotations

from collections.abc import Iterable

from incidents.domain.actions import StrengthEstimated
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry


def strength_estimates(
    entries: Iterable[Entry], viewpoint: Viewpoint
) -> tuple[list[tuple[Entry, StrengthEstimated]], list[Judged]]:
    """Every counted strength estimate in occurred order (the last per side is the latest),
    and the uncertain ones."""
    counted, uncertain = partition(entries, viewpoint, StrengthEstimated)
    return [
        (entry, entry.action) for entry in counted if isinstance(entry.action, StrengthEstimated)
    ], uncertain
