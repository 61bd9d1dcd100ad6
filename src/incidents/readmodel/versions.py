"""The bitemporal index of clusters: for each cluster of actions and amendments, the rows its
actions have from every viewpoint on the reported and recorded clocks, stored once by the
projector, so that a ``--known-at`` or ``--recorded-at`` answer looks them up instead of
resolving the cluster again from its events.

What ``resolve`` makes of a cluster depends on the viewpoint through two things only: which of
its amendments the viewpoint knows for certain (recorded by ``recorded_at``, published by
``known_at``: ``Viewpoint.knows`` is ``COUNTED``) and which of its actions it knows of at all
(not ``EXCLUDED``: a duplicate it does not know of cannot absorb, nor be absorbed). The *state*
of a cluster from a viewpoint is that, one character per event in recorded order (``state``).
The as-of clock plays no part (amendments are never judged on it), so one version serves every
``as_of``; the rows of a version are judged by the viewpoint like any stored row.

Along each clock alone the state changes only on the days, positions or times of the cluster's
own events: the projector stores the version of every state reached along the reported clock,
along the recorded clock by position, and by recorded time (``viewpoints``). A viewpoint that
combines clocks may reach a state none of those did: that cluster is then resolved again from its
events (as every cluster was before this index), so the answer is the fold's on every clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from incidents.projections.clocks import Standing, Viewpoint
from incidents.projections.ledger import AmendmentEntry, Entry
from incidents.readmodel.rows import ENTRY_COLUMNS, Bounds, EntryRow, recorded_text

# A version's rows: the state it holds in, the action's row as resolved, and the action's JSON.
VERSION_COLUMNS = ("state", *ENTRY_COLUMNS, "action")
CLUSTER_COLUMNS = (
    "cluster",
    "first_pub",  # the earliest publication of its actions: before it, no action is known of
    "last_pub",  # the latest publication end of its events: from it, everything is known
    "first_position",
    "last_position",
    "first_recorded",
    "last_recorded",
    "areas_stable",  # 1: every version has the same area rows (an unknown version cannot move an area)
)


class Recording(NamedTuple):
    """One event of a cluster, as the reported and recorded clocks see it."""

    position: int
    recorded: datetime
    published: Bounds
    amendment: bool


def recording(event: Entry | AmendmentEntry, *, amendment: bool) -> Recording:
    published = event.report.source.published
    return Recording(event.position, event.recorded, Bounds(published.start, published.end), amendment)


def state(viewpoint: Viewpoint, events: Iterable[Recording]) -> str:
    """The cluster's state from the viewpoint: per event in recorded order, "1" for an amendment
    the viewpoint knows for certain or an action it knows of, else "0"."""
    marks = []
    for event in sorted(events):
        standing = viewpoint.knows_recording(event.position, event.recorded, event.published).standing
        known = standing is Standing.COUNTED if event.amendment else standing is not Standing.EXCLUDED
        marks.append("1" if known else "0")
    return "".join(marks)


def viewpoints(events: Sequence[Recording]) -> list[Viewpoint]:
    """Viewpoints that reach every state of the cluster along each clock alone: on and before
    each day, position and time at which one of its events becomes known (and "now")."""
    days = {e.published.end for e in events if e.amendment} | {
        e.published.start for e in events if not e.amendment
    }
    found = [Viewpoint()]
    for day in sorted(days):
        found.append(Viewpoint(known_at=day))
        if day > date.min:
            found.append(Viewpoint(known_at=day - timedelta(days=1)))
    for event in events:
        found += [Viewpoint(recorded_at=event.position), Viewpoint(recorded_at=event.position - 1)]
        found += [
            Viewpoint(recorded_at=event.recorded),
            Viewpoint(recorded_at=event.recorded - timedelta(microseconds=1)),
        ]
    return found


def bounds(
    cluster: int, members: Sequence[EntryRow], events: Sequence[Recording], stable: bool
) -> tuple[object, ...]:
    """The cluster's row of ``rm_cluster``: when its actions start to be known of, and when all
    of it is known (None where it has no action)."""
    first = [(row.pub_start, row.position, row.recorded) for row in members]
    return (
        cluster,
        min((f[0] for f in first), default=None),
        max(e.published.end.isoformat() for e in events),
        min((f[1] for f in first), default=None),
        max(e.position for e in events),
        min((f[2] for f in first), default=None),
        max(recorded_text(e.recorded) for e in events),
        int(stable),
    )


def area_rows(rows: Iterable[tuple[EntryRow, str]]) -> frozenset[tuple[EntryRow, str]]:
    """A version's area actions that count (rows and actions): what ``areas`` reads of it."""
    return frozenset((row, action) for row, action in rows if row.area_key is not None and not row.set_aside)
