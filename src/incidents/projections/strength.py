"""Strength estimates: the latest estimate of each side's strength, as a range."""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from incidents.domain.actions import StrengthEstimated
from incidents.projections.clocks import Judged, Viewpoint, partition
from incidents.projections.ledger import Entry


@frozen
class Strength:
    """Every counted strength estimate in occurred order (the last per side is the latest), each
    with its entry; and the uncertain ones."""

    estimates: tuple[tuple[Entry, StrengthEstimated], ...]
    uncertain: tuple[Judged, ...]


def strength_estimates(entries: Iterable[Entry], viewpoint: Viewpoint) -> Strength:
    counted, uncertain = partition(entries, viewpoint, StrengthEstimated)
    estimates = tuple(
        (entry, entry.action) for entry in counted if isinstance(entry.action, StrengthEstimated)
    )
    return Strength(estimates, tuple(uncertain))
