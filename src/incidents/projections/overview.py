"""What the log holds from a viewpoint: for each action type, how many actions the clocks count
and hold uncertain, of how many reports, and the days they span on the occurred and reported
clocks; the same for every type together. The first question asked of a store ("what is in
it, and over which days?"), and what the workbench's clocks are bounded by.

An action is in the overview exactly when an export from the same viewpoint writes it: with the
amendments the viewpoint knows of applied (retracted actions and absorbed duplicates left out,
corrected dates used), not excluded by the clocks.
"""

from __future__ import annotations

from datetime import date

from attrs import frozen

from incidents.domain.actions import ACTION_KINDS
from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import Entry
from incidents.projections.resolution import Resolved

EVERY_TYPE = "all"  # the overview's last row: every type together


@frozen(kw_only=True)
class Days:
    """The first and the last day a set of spans covers."""

    first: date
    last: date


@frozen(kw_only=True)
class TypeOverview:
    """The actions of one type (or of every type, ``EVERY_TYPE``) that a viewpoint counts or
    holds uncertain."""

    type: str
    counted: int
    uncertain: int
    reports: int  # the reports stating them
    occurred: Days
    published: Days  # when their reports were published

    @property
    def actions(self) -> int:
        return self.counted + self.uncertain


@frozen(kw_only=True)
class Overview:
    types: tuple[TypeOverview, ...]  # in the catalogue's order, the types with an action
    every: TypeOverview | None  # every type together; None when the viewpoint sees no action


class _Tally:
    def __init__(self) -> None:
        self.counted = self.uncertain = 0
        self.reports: set[str] = set()
        self.occurred: list[date] = []
        self.published: list[date] = []

    def add(self, entry: Entry, standing: Standing) -> None:
        if standing is Standing.COUNTED:
            self.counted += 1
        else:
            self.uncertain += 1
        self.reports.add(entry.report.key)
        occurred, published = entry.action.occurred, entry.report.source.published
        self.occurred += (occurred.start, occurred.end)
        self.published += (published.start, published.end)

    def overview(self, kind: str) -> TypeOverview:
        return TypeOverview(
            type=kind,
            counted=self.counted,
            uncertain=self.uncertain,
            reports=len(self.reports),
            occurred=Days(first=min(self.occurred), last=max(self.occurred)),
            published=Days(first=min(self.published), last=max(self.published)),
        )


def overview(resolved: Resolved, viewpoint: Viewpoint) -> Overview:
    """The overview of the log as ``resolved`` holds it (resolved for ``viewpoint``)."""
    by_type: dict[str, _Tally] = {}
    every = _Tally()
    for entry in resolved.entries:
        standing = viewpoint.judge(entry).standing
        if standing is Standing.EXCLUDED:
            continue
        by_type.setdefault(entry.action.kind, _Tally()).add(entry, standing)
        every.add(entry, standing)
    return Overview(
        types=tuple(by_type[kind].overview(kind) for kind in ACTION_KINDS if kind in by_type),
        every=every.overview(EVERY_TYPE) if by_type else None,
    )
