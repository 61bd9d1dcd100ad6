"""Hypothesis strategies: random but valid value objects, actions and reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from incidents.domain.actions import (
    ACTION_KINDS,
    AreaCleared,
    Arrested,
    ClearingStarted,
    Displaced,
    DisplacedUnit,
    Killed,
    MaterielDestroyed,
    MaterielSeized,
    Metric,
    OperationLaunched,
    PhaseEnded,
    PhaseLaunched,
    ReportedAction,
    StrengthEstimated,
    ThreatReported,
    TotalClaimed,
    Wounded,
)
from incidents.domain.counts import UNKNOWN_COUNTS
from incidents.domain.values import (
    AdminUnit,
    DateSpan,
    Estimate,
    Extent,
    Name,
    Original,
    Place,
    Precision,
    SourceRef,
)
from incidents.formats.report_file import ReportContent
from tests.builders import ANBAR, GARMA, ISIS, OPERATION, PMF

FIRST_DAY = date(2019, 6, 1)
WINDOW = 120  # days: small, so that spans overlap and straddle often

# Two units with one name in one province: distinct areas that print alike.
QARYAT_DISTRICT = AdminUnit("IQG01Q09", "Qaryat", 2, "Al-Anbar", "Qaryat")
QARYAT_ELSEWHERE = AdminUnit("IQG01Q08N07", "Qaryat", 3, "Al-Anbar", "Heet")

SIDES = (ISIS, PMF, Name("Federal Police", "federal police"))
ACTORS = (
    None,
    PMF,
    Name("US-led coalition", "Coalition"),
    Name("Tribal Militia", "Tribal Militia", known=False),
)
OPERATIONS = (None, OPERATION, Name("Other Operation", "Other Operation", known=False))
PLACES = (
    Place("Karma", GARMA),
    Place("Al-Garma", GARMA),
    Place("Umm Najm"),
    Place("umm najm"),
    Place("Anbar", ANBAR),
    Place("Anbar", ANBAR, "south of"),
    Place("Khairat"),
    Place("Qaryat", QARYAT_DISTRICT),
    Place("Qaryat", QARYAT_ELSEWHERE),
)
COUNTED_KINDS = (Killed, Wounded, Arrested, MaterielSeized, MaterielDestroyed, Displaced)
JOINT = ((), (), (), (PMF, Name("US-led coalition", "Coalition")), (PMF, Name("Iraqi Army", "Iraqi Army")))
AREA_KINDS = (ThreatReported, ClearingStarted, AreaCleared)

days = st.integers(0, WINDOW).map(lambda n: FIRST_DAY + timedelta(days=n))


@st.composite
def date_spans(draw: st.DrawFn, max_length: int = 12) -> DateSpan:
    """Any valid span in the window, with any precision (the precision is a label, not a rule)."""
    start = draw(days)
    length = draw(st.integers(0, max_length))
    precision = draw(st.sampled_from(Precision))
    return DateSpan(start, start + timedelta(days=length), precision)


@st.composite
def estimates(draw: st.DrawFn, largest: int = 30) -> Estimate:
    """Counts as sources give them: exact, ranges, approximate ("around 20"), unknown ("dozens")."""
    form = draw(st.integers(0, 7))
    if form == 6:
        return Estimate.about(draw(st.integers(0, largest)))
    if form == 7:
        return Estimate.by_convention(draw(st.sampled_from(sorted(UNKNOWN_COUNTS))))
    low = draw(st.integers(0, largest))
    high = draw(st.integers(low, low + largest))
    best = draw(st.none() | st.integers(low, high))
    return Estimate(low, best, high)


def _scope(draw: st.DrawFn) -> dict[str, Any]:
    operation = draw(st.sampled_from(OPERATIONS))
    phase = draw(st.none() | st.integers(1, 4))
    return {"operation": operation, "phase": phase}


@st.composite
def counted_actions(draw: st.DrawFn, id: str) -> ReportedAction:
    kind = draw(st.sampled_from(COUNTED_KINDS))
    fields: dict[str, Any] = {
        "id": id,
        "occurred": draw(date_spans()),
        "quote": f"{kind.kind} {id}",
        "side": draw(st.sampled_from(SIDES)),
        "count": draw(estimates()),
        "actor": draw(st.sampled_from(ACTORS)),
        "place": draw(st.none() | st.sampled_from(PLACES)),
        **_scope(draw),
    }
    if kind in (Killed, Wounded):
        fields["means"] = draw(st.sampled_from((None, "airstrike", "raid")))
    if kind in (MaterielSeized, MaterielDestroyed):
        fields["item"] = draw(st.sampled_from(("rifles", "tunnels")))
    if kind is Displaced:
        fields["unit"] = draw(st.sampled_from(DisplacedUnit))
    joint = draw(st.sampled_from(JOINT))
    if joint:
        fields["actors"], fields["actor"] = joint, None
    action: ReportedAction = kind(**fields)
    return action


@st.composite
def area_actions(draw: st.DrawFn, id: str) -> ReportedAction:
    kind = draw(st.sampled_from(AREA_KINDS))
    return kind(
        id=id,
        occurred=draw(date_spans()),
        quote=f"{kind.kind} {id}",
        area=draw(st.sampled_from(PLACES)),
        actor=draw(st.sampled_from(ACTORS)),
        **_scope(draw),
    )


@st.composite
def claims(draw: st.DrawFn, id: str) -> ReportedAction:
    return TotalClaimed(
        id=id,
        occurred=draw(date_spans(max_length=3)),
        quote=f"claim {id}",
        metric=draw(st.sampled_from(Metric)),
        side=draw(st.sampled_from(SIDES)),
        count=draw(estimates(largest=60)),
        claimant=draw(st.sampled_from(ACTORS)),
        **_scope(draw),
    )


@st.composite
def other_actions(draw: st.DrawFn, id: str) -> ReportedAction:
    """The kinds that neither count nor change areas: operations, phases, strength."""
    scope = _scope(draw)
    occurred = draw(date_spans())
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return OperationLaunched(
            id=id, occurred=occurred, quote="launched", names=("Will of Victory",), forces=(PMF,), **scope
        )
    if choice == 1:
        return PhaseLaunched(id=id, occurred=occurred, quote="phase", regions=(PLACES[0],), **scope)
    if choice == 2:
        return PhaseEnded(id=id, occurred=occurred, quote="ended", **scope)
    return StrengthEstimated(
        id=id,
        occurred=occurred,
        quote="strength",
        side=draw(st.sampled_from(SIDES)),
        count=draw(estimates(500)),
    )


def actions(id: str) -> st.SearchStrategy[ReportedAction]:
    return st.one_of(
        counted_actions(id), counted_actions(id), area_actions(id), claims(id), other_actions(id)
    )


@st.composite
def reports(draw: st.DrawFn, key: str, max_actions: int = 6) -> ReportContent:
    count = draw(st.integers(1, max_actions))
    outlet = draw(st.sampled_from(("Rudaw English", "Al-Shahid Witness", "Kurdistan 24")))
    source = SourceRef(
        outlet=outlet, url=f"https://example.org/{key}", published=draw(date_spans(max_length=4))
    )
    drawn = tuple(draw(actions(f"a{number}")) for number in range(1, count + 1))
    return ReportContent(key=key, source=source, actions=drawn, file=f"{key}.yaml")


@st.composite
def report_sets(draw: st.DrawFn, max_reports: int = 5) -> list[ReportContent]:
    """Several reports with distinct keys (keys sorted unlike their position, to catch order leaks)."""
    count = draw(st.integers(1, max_reports))
    keys = draw(st.permutations([f"report-{letter}" for letter in "abcdefgh"[:count]]))
    return [draw(reports(key)) for key in keys]


viewpoint_days = st.none() | days


# --- Reports as files write them --------------------------------------------------------------

# Text as sources write it, including what YAML likes to reinterpret: "no", "2019-08", "010", "#", ": ".
texts = (
    st.one_of(
        st.text(alphabet="abcxyzABC 0123456789-'\u2019\u00e9\u0627,.:#&*!?%@[]{}", min_size=1, max_size=24),
        st.sampled_from(["no", "yes", "null", "~", "2019-08", "010", "1e3", "true", "- a", "? b"]),
    )
    .map(str.strip)
    .filter(bool)
)

# Without reference data every name is kept as written, so the file can say exactly what was built.
names = texts.map(lambda text: Name(text, text, known=False))
places = st.builds(Place, texts, st.none(), st.none() | texts)


def _field_values(draw: st.DrawFn, cls: type[ReportedAction], id: str) -> dict[str, Any]:
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "occurred": date_spans(max_length=60),
        "quote": texts,
        "operation": st.none() | names,
        "phase": st.none() | st.integers(1, 9),
        "names": st.lists(texts, max_size=3).map(tuple),
        "aim": st.none() | texts,
        "forces": st.lists(names, max_size=3).map(tuple),
        "regions": st.lists(places, max_size=3).map(tuple),
        "supervisor": st.none() | texts,
        "side": names,
        "count": estimates(largest=20000),
        "actor": st.none() | names,
        "place": st.none() | places,
        "means": st.none() | texts,
        "item": texts,
        "area": places,
        "metric": st.sampled_from(Metric),
        "claimant": st.none() | names,
        "region": st.none() | texts,
        "estimator": st.none() | texts,
        "actors": st.lists(names, max_size=3).map(tuple),
        "unit": st.sampled_from(DisplacedUnit),
        "extent": st.none()
        | st.builds(
            Extent,
            places=st.integers(0, 99),
            of=st.just("villages"),
            square_km=st.none() | st.integers(0, 5000),
        )
        | st.builds(Extent, square_km=st.integers(0, 5000)),
        "declared": texts,
    }
    values: dict[str, Any] = {"id": id}
    for field in attrs.fields(cls):
        if field.name in ("id", "split_of"):
            continue
        values[field.name] = draw(strategies[field.name])
    return values


@st.composite
def file_reports(draw: st.DrawFn) -> ReportContent:
    kinds = draw(st.lists(st.sampled_from(sorted(ACTION_KINDS)), min_size=1, max_size=6))
    actions = tuple(
        ACTION_KINDS[kind](**_field_values(draw, ACTION_KINDS[kind], f"action-{n}"))
        for n, kind in enumerate(kinds)
    )
    source = SourceRef(
        outlet=draw(texts),
        url=draw(texts),
        published=draw(date_spans(max_length=5)),
        title=draw(st.none() | texts),
        language=draw(st.none() | st.sampled_from(["en", "ar", "ku"])),
        via=draw(
            st.none()
            | st.builds(
                Original, outlet=texts, url=st.none() | texts, published=st.none() | date_spans(max_length=3)
            )
        ),
    )
    return ReportContent(key=draw(texts), source=source, actions=actions, file="r.yaml")


# --- Logs with amendments, as the service records them -------------------------------------------


@st.composite
def amended_logs(draw: st.DrawFn, max_steps: int = 8) -> list[ReportContent]:
    """Reports, and amendment reports among them (corrections of counts, retractions of actions
    and of amendments, duplicate links of actions of one kind, preferences), in recording order;
    every amendment is valid where it is recorded (it names what was recorded before it)."""
    from incidents.domain.actions import CountedAction
    from incidents.domain.amendments import (
        ActionRef,
        Amendment,
        Correction,
        DuplicateLink,
        FieldChange,
        Preference,
        Retraction,
    )

    log: list[ReportContent] = []
    stated: list[tuple[ActionRef, ReportedAction]] = []
    amendments: list[tuple[ActionRef, Amendment]] = []
    for step in range(draw(st.integers(1, max_steps))):
        key = f"report-{step}"
        if not stated or (draw(st.integers(0, 2)) > 0 and step % 2 == 0):
            report = draw(reports(key, max_actions=4))
            log.append(report)
            stated.extend((ActionRef(key, action.id), action) for action in report.actions)
            continue
        choice = draw(st.sampled_from(["correct", "retract", "link", "prefer", "unamend"]))
        target, action = draw(st.sampled_from(stated))
        amendment: Amendment
        if choice == "correct" and isinstance(action, CountedAction):
            count = Estimate.exactly(draw(st.integers(0, 30)))
            amendment = Correction(id="amend", target=target, changes=(FieldChange("count", count),))
        elif choice == "link":
            alike = [ref for ref, other in stated if other.kind == action.kind and ref != target]
            if not alike:
                continue
            amendment = DuplicateLink(id="amend", same=(target, draw(st.sampled_from(alike))))
        elif choice == "prefer":
            amendment = Preference(id="amend", target=target)
        elif choice == "unamend" and amendments:
            undone, made = draw(st.sampled_from(amendments))
            if isinstance(made, Retraction):
                continue
            amendment = Retraction(id="amend", target=undone)
        else:
            amendment = Retraction(id="amend", target=target)
        published = draw(date_spans(max_length=2))
        source = SourceRef(
            outlet="analyst: hypothesis", url=f"urn:incidents:amendment:{key}", published=published
        )
        log.append(ReportContent(key=key, source=source, actions=(amendment,), file=f"{key}.yaml"))
        amendments.append((ActionRef(key, "amend"), amendment))
    return log
