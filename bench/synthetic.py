"""A realistic synthetic incident log, generated as a stream of reports (deterministic, seeded).

``reports(events, seed)`` yields ``(line, ReportContent)`` until exactly ``events`` events would
be stored (a report stores one ``Registered`` event and one event per action or amendment), so
that ``ingest(log, lambda: reports(n))`` reads the same input on each of its passes.

What it looks like: ten years (2014-2024) of reports in order of publication, from a few dozen
outlets; named operations with numbered phases over the years; sides (ISIS, the Iraqi Army, the
PMF, the Federal Police, the Peshmerga, civilians, ...) and actors (the US-led coalition, ...);
a few thousand areas, the gazetteer's districts and sub-districts (resolved to their unit) and
village names that resolve to nothing; occurred dates of every precision (about 85% one day, 8%
a range of 2-6 days, 3% a week, 3% a month, 1% a year), published 0-20 days after they end;
3-12 actions per report (about 60% counted, 25% area transitions, claims, launches, estimates).
About 1.7% of reports amend earlier ones: corrections of a count (1%), duplicate links of two
similar actions (0.5%), retractions (0.2%); they only name actions generated earlier in the
stream, each at most once, and are valid (a correction changes a counted action's count).

Nothing but bounded samples of earlier actions is kept, so memory does not grow with the stream.
Value objects are immutable and shared from small pools (names, places, spans, estimates), as a
parser with an interning cache would share them.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from incidents.domain.actions import (
    AreaCleared,
    Arrested,
    ClearingStarted,
    CountedAction,
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
from incidents.domain.amendments import (
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    FieldChange,
    Retraction,
)
from incidents.domain.values import DateSpan, Estimate, Name, Place, Precision, SourceRef
from incidents.formats.reference import read_gazetteer
from incidents.formats.report_file import ReportContent

T = TypeVar("T")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GAZETTEER = SEEDS / "gazetteer" / "iraq-admin-centroids-cod-ab-2019.csv"
FIRST_DAY = date(2014, 1, 1)
LAST_DAY = date(2024, 12, 31)
DAYS = (LAST_DAY - FIRST_DAY).days

ISIS = Name("ISIS", "Daesh")
SIDES = {
    "ISIS": (ISIS, Name("ISIS", "IS militants"), Name("ISIS", "ISIL")),
    "Iraqi Army": (Name("Iraqi Army", "Iraqi Army"), Name("Iraqi Army", "army troops")),
    "PMF": (Name("PMF", "Hashd al-Shaabi"), Name("PMF", "Popular Mobilization Forces")),
    "Federal Police": (Name("Federal Police", "federal police"),),
    "Peshmerga": (Name("Peshmerga", "Kurdish Peshmerga"),),
    "Counter Terrorism Service": (Name("Counter Terrorism Service", "CTS"),),
    "civilians": (Name("civilians", "civilians"),),
    "Tribal Mobilization": (Name("Tribal Mobilization", "tribal fighters", known=False),),
}
# Whose people are counted, weighted: ISIS most of all, then the forces, then civilians.
SIDE_WEIGHTS = {
    "ISIS": 55,
    "Iraqi Army": 10,
    "PMF": 9,
    "Federal Police": 5,
    "Peshmerga": 4,
    "Counter Terrorism Service": 3,
    "civilians": 12,
    "Tribal Mobilization": 2,
}
ACTORS = (
    Name("US-led coalition", "Coalition aircraft"),
    Name("US-led coalition", "international coalition"),
    Name("Iraqi Army", "Iraqi Army"),
    Name("PMF", "Hashd al-Shaabi"),
    Name("Counter Terrorism Service", "CTS"),
    Name("Iraqi Air Force", "Iraqi F-16s"),
    Name("Federal Police", "federal police"),
)
MEANS = ("airstrike", "raid", "ambush", "IED", "clashes", "artillery", "sniper fire", "suicide attack")
ITEMS = ("weapons", "explosive devices", "rockets", "hideouts", "tunnels", "vehicles", "ammunition")
OUTLETS = (
    ("Rudaw", "rudaw.net"),
    ("Shafaq News", "shafaq.com"),
    ("Kurdistan 24", "kurdistan24.net"),
    ("Iraqi News", "iraqinews.com"),
    ("Baghdad Post", "thebaghdadpost.com"),
    ("Alsumaria", "alsumaria.tv"),
    ("Al Mada", "almadapaper.net"),
    ("Security Media Cell", "smc.gov.iq"),
    ("Joint Operations Command", "jocmedia.iq"),
    ("Reuters", "reuters.com"),
    ("AP", "apnews.com"),
    ("AFP", "afp.com"),
    ("Xinhua", "xinhuanet.com"),
    ("Anadolu Agency", "aa.com.tr"),
    ("The National", "thenationalnews.com"),
    ("Asharq Al-Awsat", "aawsat.com"),
    ("Al-Monitor", "al-monitor.com"),
    ("NINA", "ninanews.com"),
    ("Al Forat", "alforatnews.iq"),
    ("Al Sabaah", "alsabaah.iq"),
    ("Basnews", "basnews.com"),
    ("Iraq Oil Report", "iraqoilreport.com"),
    ("Long War Journal", "longwarjournal.org"),
    ("ISW", "understandingwar.org"),
)

# Named operations: canonical name, spellings, first and last day, phases, provinces.
OPERATIONS = (
    (
        "Labbayk ya Husayn",
        ("Labaik Ya Hussein",),
        "2015-05-26",
        "2015-10-31",
        3,
        ("Salah Al-Din", "Al-Anbar"),
    ),
    ("Breaking Terrorism", ("Kasr al-Irhab",), "2016-02-01", "2016-06-30", 4, ("Al-Anbar",)),
    (
        "We Are Coming, Nineveh",
        ("Qadimun ya Nainawa", "Mosul offensive"),
        "2016-10-16",
        "2017-07-20",
        5,
        ("Ninewa",),
    ),
    ("Tal Afar offensive", ("Qadimun ya Tal Afar",), "2017-08-20", "2017-08-31", 2, ("Ninewa",)),
    ("Western Anbar offensive", ("Qadimun ya Furat",), "2017-09-19", "2017-11-17", 3, ("Al-Anbar",)),
    ("Hawija offensive", ("Hawija operation",), "2017-09-21", "2017-10-05", 2, ("Kirkuk",)),
    (
        "Will of Victory",
        ("Will to Victory", "Iradat al-Nasr"),
        "2019-07-07",
        "2020-03-31",
        8,
        ("Salah Al-Din", "Al-Anbar", "Ninewa", "Diyala"),
    ),
    (
        "Heroes of Iraq",
        ("Abtal al-Iraq",),
        "2020-06-01",
        "2021-12-31",
        10,
        ("Diyala", "Kirkuk", "Salah Al-Din", "Al-Anbar"),
    ),
    (
        "Solid Resolve",
        ("Al-Azm al-Rasikh",),
        "2022-03-01",
        "2023-06-30",
        6,
        ("Kirkuk", "Salah Al-Din", "Diyala"),
    ),
    ("Desert Shield", ("Dir al-Sahra",), "2023-09-01", "2024-10-31", 5, ("Al-Anbar", "Ninewa")),
)

_PREFIXES = ("Albu", "Tal", "Qaryat", "Khirbat", "Umm", "Ain", "Bir", "Jurf")
_ROOTS = (
    "Hamad", "Ajil", "Khalaf", "Dulaim", "Jasim", "Saqr", "Kubaisa", "Mahmud", "Assaf", "Badr", "Hamdan",
    "Rawi", "Shuwaysh", "Nimr", "Issa", "Faraj", "Ghazi", "Hadid", "Jubur", "Karim", "Latif", "Mansur",
    "Najm", "Obaid", "Rashid", "Salih", "Tawil", "Ubaid", "Wadi", "Yasin", "Zaydan", "Aswad", "Bakr",
    "Dhiab", "Fahd", "Ghanim", "Hasan", "Ibrahim", "Jamil", "Khalil", "Malik", "Nasir", "Qasim", "Rahim",
    "Sabah", "Thamir", "Walid", "Zahra", "Abbas", "Bashir", "Dawud", "Fadil", "Hussein", "Jabbar",
)  # fmt: skip
_SUFFIXES = ("", " al-Sharqi", " al-Gharbi", " al-Kabir", " al-Saghir", " al-Jadida")


def _provinces() -> dict[str, list[Place]]:
    """The areas of each province: its districts and sub-districts, and its villages."""
    units = read_gazetteer(GAZETTEER)
    by_province: dict[str, list[Place]] = {}
    for unit in units:
        if unit.level > 1:
            by_province.setdefault(unit.province, []).append(Place(unit.name, unit))
    provinces = sorted(by_province)
    villages = [f"{p} {r}{s}" for p in _PREFIXES for r in _ROOTS for s in _SUFFIXES]
    rng = random.Random(1)
    rng.shuffle(villages)
    for index, village in enumerate(villages):
        by_province[provinces[index % len(provinces)]].append(Place(village))
    return by_province


@lru_cache(maxsize=8192)
def _day(day: date) -> DateSpan:
    return DateSpan.day(day)


@lru_cache(maxsize=8192)
def _span(start: date, end: date) -> DateSpan:
    return DateSpan(start, end, Precision.RANGE)


@lru_cache(maxsize=512)
def _month(year: int, month: int) -> DateSpan:
    return DateSpan.month(year, month)


@lru_cache(maxsize=4096)
def _estimate(low: int, best: int | None, high: int) -> Estimate:
    return Estimate(low, best, high)


class _Operation:
    def __init__(
        self,
        name: str,
        spellings: tuple[str, ...],
        first: str,
        last: str,
        phases: int,
        provinces: tuple[str, ...],
    ) -> None:
        self.names = (Name(name, name), *(Name(name, written) for written in spellings))
        self.first, self.last = date.fromisoformat(first), date.fromisoformat(last)
        self.phases = phases
        self.provinces = provinces
        self.claimed = 0  # the cumulative figure its claims give

    def phase(self, day: date) -> int:
        elapsed = (day - self.first).days / max(1, (self.last - self.first).days)
        return max(1, min(self.phases, 1 + int(elapsed * self.phases)))


class _Generator:
    """One pass over the stream: everything random comes from one seeded ``Random``."""

    def __init__(self, events: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.target = events
        self.by_province = _provinces()
        self.provinces = sorted(self.by_province)
        self.operations = [_Operation(*operation) for operation in OPERATIONS]
        self.side_names = list(SIDE_WEIGHTS)
        self.side_weights = list(SIDE_WEIGHTS.values())
        # Bounded samples of earlier actions, for amendments: counted ones by kind (for corrections
        # and duplicate links), and any action (for retractions). Each is amended at most once.
        self.counted: dict[str, deque[tuple[ActionRef, CountedAction]]] = {}
        self.any: deque[ActionRef] = deque(maxlen=2000)

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def run(self) -> Iterator[tuple[int, ReportContent]]:
        emitted = number = 0
        while emitted < self.target:
            remaining = self.target - emitted
            number += 1
            day = FIRST_DAY + timedelta(days=int(DAYS * emitted / self.target))
            if remaining >= 4 and self.rng.random() < 0.017 and (amendment := self.amendment(number)):
                statements: tuple[ReportedAction | Amendment, ...] = (amendment,)
            else:
                size = self.randint(3, 12)
                if remaining - (size + 1) < 4:  # the last report takes what is left
                    size = remaining - 1
                statements = tuple(self.actions(number, day, size))
            emitted += 1 + len(statements)
            yield number, self.report(number, day, statements)

    # --- Reports ----------------------------------------------------------------------------

    def report(
        self, number: int, day: date, statements: tuple[ReportedAction | Amendment, ...]
    ) -> ReportContent:
        outlet, domain = self.pick(OUTLETS)
        key = f"syn-{number:07d}"
        published = _day(day)
        source = SourceRef(outlet, f"https://{domain}/{day.year}/{day.month:02d}/{number}", published)
        for statement in statements:
            if isinstance(statement, CountedAction):
                self.counted.setdefault(statement.kind, deque(maxlen=500)).append(
                    (ActionRef(key, statement.id), statement)
                )
            if isinstance(statement, ReportedAction) and self.rng.random() < 0.05:
                self.any.append(ActionRef(key, statement.id))
        return ReportContent(key=key, source=source, actions=statements, file="synthetic")

    def occurred(self, published: date) -> DateSpan:
        end = published - timedelta(days=min(self.randint(0, 20), self.randint(0, 20)))
        roll = self.rng.random()
        if roll < 0.85:
            return _day(end)
        if roll < 0.93:
            return _span(end - timedelta(days=self.randint(1, 5)), end)
        if roll < 0.96:
            return _span(end - timedelta(days=6), end)
        if roll < 0.99:  # the month before publication
            last = published.replace(day=1) - timedelta(days=1)
            return _month(last.year, last.month)
        return DateSpan.year(published.year - 1)

    def operation(self, day: date) -> _Operation | None:
        for operation in self.operations:
            if operation.first <= day <= operation.last + timedelta(days=20):
                return operation
        return None

    # --- Actions ------------------------------------------------------------------------------

    def actions(self, number: int, day: date, size: int) -> Iterator[ReportedAction]:
        rng = self.rng
        operation = self.operation(day)
        in_operation = operation is not None and rng.random() < 0.8
        provinces = operation.provinces if operation is not None and in_operation else self.provinces
        province = self.pick(provinces)
        places = self.by_province[province]
        for index in range(1, size + 1):
            occurred = self.occurred(day)
            scope: dict[str, object] = {}
            if operation is not None and in_operation:
                scope = {
                    "operation": self.pick(operation.names),
                    "phase": operation.phase(min(occurred.end, operation.last)),
                }
            place = self.pick(places)
            yield self.action(f"a{index}", occurred, place, operation if scope else None, scope)

    def action(
        self,
        id: str,
        occurred: DateSpan,
        place: Place,
        operation: _Operation | None,
        scope: dict[str, object],
    ) -> ReportedAction:
        rng = self.rng
        roll = rng.random()
        if roll < 0.60:
            return self.counted_action(id, occurred, place, scope, roll / 0.60)
        if roll < 0.85:
            kind = rng.choices((ThreatReported, ClearingStarted, AreaCleared), (3, 3, 4))[0]
            actor = self.pick(ACTORS) if rng.random() < 0.5 else None
            quote = f"{place.written}: {kind.kind.replace('_', ' ')}"
            return kind(id=id, occurred=occurred, quote=quote, area=place, actor=actor, **scope)  # type: ignore[arg-type]
        if roll < 0.92 and operation is not None:
            operation.claimed += self.randint(1, 40)
            count = _estimate(operation.claimed, operation.claimed, operation.claimed)
            return TotalClaimed(
                id=id,
                occurred=occurred,
                quote=f"this brings the total killed to {operation.claimed}",
                metric=Metric.KILLED,
                side=ISIS,
                count=count,
                claimant=self.pick(ACTORS),
                **scope,  # type: ignore[arg-type]
            )
        if roll < 0.95 and operation is not None:
            forces = tuple(rng.sample(ACTORS[2:], 2))
            if rng.random() < 0.3:
                return OperationLaunched(
                    id=id,
                    occurred=occurred,
                    quote=f"{operation.names[0].canonical} launched",
                    names=tuple(name.written for name in operation.names),
                    aim="clear remaining ISIS cells",
                    forces=forces,
                    operation=operation.names[0],
                )
            if rng.random() < 0.8:
                return PhaseLaunched(
                    id=id,
                    occurred=occurred,
                    quote=f"phase {scope['phase']} launched",
                    regions=(place,),
                    forces=forces,
                    **scope,  # type: ignore[arg-type]
                )
            return PhaseEnded(id=id, occurred=occurred, quote=f"phase {scope['phase']} ended", **scope)  # type: ignore[arg-type]
        if roll < 0.97:
            low = self.randint(10, 200) * 100
            return StrengthEstimated(
                id=id,
                occurred=occurred,
                quote=f"{low}-{low * 2} militants remain",
                side=ISIS,
                count=_estimate(low, None, low * 2),
                region=place.written,
                estimator="UN monitoring team",
                **scope,  # type: ignore[arg-type]
            )
        return self.counted_action(id, occurred, place, scope, rng.random())

    def counted_action(
        self, id: str, occurred: DateSpan, place: Place, scope: dict[str, object], roll: float
    ) -> CountedAction:
        rng = self.rng
        side_name = rng.choices(self.side_names, self.side_weights)[0]
        spellings = SIDES[side_name]
        side = self.pick(spellings)
        actor = self.pick(ACTORS) if rng.random() < 0.6 else None
        count = self.count()
        common = {"id": id, "occurred": occurred, "side": side, "count": count}
        common |= {"actor": actor, "place": place}
        if roll < 0.5:
            means = self.pick(MEANS)
            quote = f"{count} {side.written} killed by {means} in {place.written}"
            return Killed(quote=quote, means=means, **common, **scope)  # type: ignore[arg-type]
        if roll < 0.7:
            return Wounded(quote=f"{count} {side.written} wounded in {place.written}", **common, **scope)  # type: ignore[arg-type]
        if roll < 0.9:
            return Arrested(quote=f"{count} {side.written} arrested in {place.written}", **common, **scope)  # type: ignore[arg-type]
        item = self.pick(ITEMS)
        kind = MaterielSeized if roll < 0.96 else MaterielDestroyed
        return kind(quote=f"{count} {item} found in {place.written}", item=item, **common, **scope)  # type: ignore[arg-type]

    def count(self) -> Estimate:
        rng = self.rng
        best = min(int(rng.expovariate(0.25)), 400)
        roll = rng.random()
        if roll < 0.8:
            return _estimate(best, best, best)
        if roll < 0.95:
            return _estimate(max(0, best - self.randint(1, 3)), best, best + self.randint(1, 5))
        return _estimate(best, None, best + self.randint(2, 10))

    # --- Amendments ----------------------------------------------------------------------------

    def amendment(self, number: int) -> Amendment | None:
        """A correction (1 in 1.7), a duplicate link (0.5) or a retraction (0.2) of earlier actions."""
        rng = self.rng
        roll = rng.random() * 1.7
        kinds = [kind for kind, sample in self.counted.items() if len(sample) >= 2]
        if not kinds:
            return None
        sample = self.counted[self.pick(kinds)]
        if roll < 1.0:
            ref, action = sample.popleft()
            count = action.count
            best = (count.best if count.best is not None else count.low) + self.randint(1, 5)
            return Correction(
                id="c1",
                target=ref,
                changes=(FieldChange("count", _estimate(best, best, best)),),
                reason="the source updated its figure",
                quote=f"the toll rose to {best}",
            )
        if roll < 1.5:
            first, action = sample.popleft()
            # The most similar later action: same kind, nearest occurred day.
            nearest = min(
                range(len(sample)), key=lambda i: abs((sample[i][1].occurred.end - action.occurred.end).days)
            )
            second = sample[nearest][0]
            del sample[nearest]
            return DuplicateLink(id="d1", same=(first, second), reason="one incident, two sources")
        if not self.any:
            return None
        return Retraction(id="r1", target=self.any.popleft(), reason="the source withdrew it")


def reports(events: int, seed: int = 2014) -> Iterator[tuple[int, ReportContent]]:
    """The stream: ``(report number, report)`` until exactly ``events`` events are stored."""
    return _Generator(events, seed).run()


def date_range() -> tuple[date, date]:
    return FIRST_DAY, LAST_DAY


if __name__ == "__main__":
    import sys
    import time

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.perf_counter()
    count = events = amendments = 0
    for _line, report in reports(n):
        count += 1
        events += 1 + len(report.actions)
        amendments += len(report.amendments)
    seconds = time.perf_counter() - started
    print(f"{count} reports, {events} events, {amendments} amendments in {seconds:.2f} s")
