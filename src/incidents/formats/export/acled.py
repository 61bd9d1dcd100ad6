"""ACLED's CSV column layout, for tools that read ACLED data. Export only.

One row per counted action (killed, wounded, arrested, materiel) and per area action; claims,
strength estimates, operations and phases are not ACLED events and are left out. The mapping of
each column, and what has no ACLED equivalent (actor types, source scale, country outside the
gazetteers incidents ships), is documented in docs/data-format.md ("ACLED CSV"); where a value
cannot be mapped the cell is empty rather than guessed, and what ACLED's columns cannot hold
(a count that is not fatalities, a date span, an uncertain standing) is kept in ``tags``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import IO, Any

from incidents.domain.actions import (
    AreaAction,
    AreaCleared,
    Arrested,
    ClearingStarted,
    CountedAction,
    Killed,
    MaterielDestroyed,
    MaterielSeized,
    ReportedAction,
    Wounded,
)
from incidents.domain.values import DateSpan, Place, Precision
from incidents.formats.export.exported import ExportedAction, Written
from incidents.formats.export.spreadsheet import spreadsheet_cell

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

POLITICAL_VIOLENCE = "Political violence"
STRATEGIC_DEVELOPMENTS = "Strategic developments"
BATTLES = "Battles"
REMOTE_VIOLENCE = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"

# ``means`` words -> ACLED's remote-violence sub-event types, tried in this order.
REMOTE_MEANS = (
    (re.compile(r"suicide"), "Suicide bomb"),
    (
        re.compile(r"air\s*strike|air\s*raid|drone|aerial|aircraft|helicopter|warplane|jet"),
        "Air/drone strike",
    ),
    (re.compile(r"grenade"), "Grenade"),
    (re.compile(r"shell|artillery|mortar|missile|rocket"), "Shelling/artillery/missile attack"),
    (re.compile(r"\bieds?\b|explosive|landmine|\bmines?\b|bomb"), "Remote explosive/landmine/IED"),
)
# ``item`` words that make materiel weapons (seized or destroyed: "Disrupted weapons use").
WEAPONS = re.compile(
    r"weapon|\barms\b|rifle|gun|ammunition|explosive|\bieds?\b|\bmines?\b|bomb|rocket|mortar|missile|grenade|"
    r"suicide (belt|vest)"
)
CIVILIANS = frozenset({"civilian", "civilians"})
CIVILIAN_TARGETING = "Civilian targeting"
# The first tag of a row an export of changes withdraws (``export --changed-since``): the event
# with that event_id_cnty is no longer in the export; the row's other cells are as last exported.
WITHDRAWN = "withdrawn"

# OCHA P-codes begin with the country's ISO 3166-1 alpha-2 code: ACLED's iso (numeric), region
# and country for the gazetteers incidents ships.
COUNTRIES = {"IQ": ("368", "Middle East", "Iraq")}


def write_acled(exported: Sequence[ExportedAction], _query: Mapping[str, Any], stream: IO[str]) -> Written:
    """Write one ACLED row per counted or area action, row by row."""
    writer = csv.DictWriter(stream, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    written = 0
    left_out: dict[str, int] = {}
    for item in exported:
        row = acled_row(item)
        if row is None:
            left_out[item.action.kind] = left_out.get(item.action.kind, 0) + 1
            continue
        writer.writerow(
            {column: spreadsheet_cell("" if value is None else str(value)) for column, value in row.items()}
        )
        written += 1
    note = None
    if left_out:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(left_out.items()))
        note = f"left out, as ACLED has no event for them: {kinds}"
    return Written(written, note)


def acled_row(item: ExportedAction) -> dict[str, Any] | None:
    """The ACLED row of an action, or None for the kinds ACLED has no event for."""
    action = item.action
    if not isinstance(action, CountedAction | AreaAction):
        return None
    disorder, event_type, sub_event_type = event_types(action)
    event_date = middle_day(action.occurred)
    place = action.place_of_action
    country = _country(place)
    unit = place.area_unit if place is not None else None  # a place below the gazetteer: its unit's
    location = place.location if place is not None else None
    side = action.side.canonical if isinstance(action, CountedAction) else None
    return {
        "event_id_cnty": str(item.ref),
        "event_date": event_date.isoformat(),
        "year": event_date.year,
        "time_precision": time_precision(action.occurred),
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": action.actor.canonical if action.actor else None,
        "assoc_actor_1": None,
        "inter1": None,
        "actor2": side,
        "assoc_actor_2": None,
        "inter2": None,
        "interaction": None,
        "civilian_targeting": CIVILIAN_TARGETING if _against_civilians(action) else None,
        "iso": country[0] if country else None,
        "region": country[1] if country else None,
        "country": country[2] if country else None,
        "admin1": place.province if place else None,
        "admin2": place.district if place else None,
        "admin3": unit.name if unit and unit.level >= 3 else None,
        "location": place.label if place else None,
        "latitude": location.lat if location else None,
        "longitude": location.lon if location else None,
        "geo_precision": geo_precision(place),
        "source": item.source.outlet,
        "source_scale": None,
        "notes": action.quote,
        "fatalities": fatalities(action),
        "tags": "; ".join(tags(item)) or None,
        "timestamp": int(item.recorded.timestamp()),
    }


def event_types(action: CountedAction | AreaAction) -> tuple[str, str, str]:
    """ACLED's disorder type, event type and sub-event type for an action."""
    if isinstance(action, Killed | Wounded):
        remote = _remote_violence(action.means)
        if remote is not None:
            return POLITICAL_VIOLENCE, REMOTE_VIOLENCE, remote
        if action.side.canonical.casefold() in CIVILIANS:
            return POLITICAL_VIOLENCE, VIOLENCE_AGAINST_CIVILIANS, "Attack"
        return POLITICAL_VIOLENCE, BATTLES, "Armed clash"
    if isinstance(action, Arrested):
        return STRATEGIC_DEVELOPMENTS, STRATEGIC_DEVELOPMENTS, "Arrests"
    if isinstance(action, MaterielSeized | MaterielDestroyed):
        weapons = WEAPONS.search(action.item.casefold()) is not None
        sub_event_type = "Disrupted weapons use" if weapons else "Looting/property destruction"
        return STRATEGIC_DEVELOPMENTS, STRATEGIC_DEVELOPMENTS, sub_event_type
    if isinstance(action, AreaCleared | ClearingStarted):
        return STRATEGIC_DEVELOPMENTS, STRATEGIC_DEVELOPMENTS, "Change to group/activity"
    return STRATEGIC_DEVELOPMENTS, STRATEGIC_DEVELOPMENTS, "Other"  # a threat reported


def middle_day(span: DateSpan) -> date:
    """ACLED codes an imprecise date at the middle of the period the source allows."""
    return span.start + timedelta(days=(span.end - span.start).days // 2)


def time_precision(span: DateSpan) -> int:
    """1 the day is known; 2 a week or part of a month; 3 the month (or longer)."""
    if span.start == span.end:
        return 1
    if span.precision is Precision.MONTH_PART or span.days <= 7:
        return 2
    return 3


def geo_precision(place: Place | None) -> int | None:
    """1 a stated point (a town); 2 near it, or a district or sub-district; 3 a governorate."""
    if place is None or place.location is None:
        return None
    if place.point is not None:
        return 2 if place.qualifier else 1
    assert place.unit is not None  # a location without a point is the unit's centroid
    return 3 if place.unit.level == 1 else 2


def fatalities(action: ReportedAction) -> int:
    """Killed: the best figure, else the low one (a range's floor). Every other kind: 0."""
    if not isinstance(action, Killed):
        return 0
    return action.count.best if action.count.best is not None else action.count.low


def tags(item: ExportedAction) -> list[str]:
    """What ACLED's other columns cannot hold, as ``name: value`` tags."""
    action = item.action
    found: list[str] = [WITHDRAWN] if item.withdrawn else []
    if isinstance(action, CountedAction) and not (isinstance(action, Killed) and _exact(action)):
        what = getattr(action, "item", None)
        found.append(f"{action.metric.value}: {action.count}" + (f" {what}" if what else ""))
    if isinstance(action, AreaAction):
        found.append(f"area status: {action.status.value}")
    if isinstance(action, CountedAction) and action.split_of is not None:
        found.append(f"part of: {action.split_of.statement} ({action.split_of.stated} stated)")
    if action.operation is not None:
        phase = f" phase {action.phase}" if action.phase is not None else ""
        found.append(f"operation: {action.operation.canonical}{phase}")
    if action.occurred.start != action.occurred.end:
        found.append(f"occurred: {action.occurred} ({action.occurred.precision.value})")
    if item.uncertain_because is not None:
        found.append(f"uncertain: {item.uncertain_because}")
    if item.conflict is not None:
        found.append(f"conflict: {item.conflict}")
    return found


def _exact(action: CountedAction) -> bool:
    return action.count.is_exact and action.count.best is not None


def _remote_violence(means: str | None) -> str | None:
    if not means:
        return None
    folded = means.casefold()
    return next((sub_event for pattern, sub_event in REMOTE_MEANS if pattern.search(folded)), None)


def _against_civilians(action: ReportedAction) -> bool:
    return isinstance(action, Killed | Wounded) and action.side.canonical.casefold() in CIVILIANS


def _country(place: Place | None) -> tuple[str, str, str] | None:
    unit = place.area_unit if place is not None else None
    if unit is None:
        return None
    return COUNTRIES.get(unit.pcode[:2].upper())
