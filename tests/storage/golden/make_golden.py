r"""How the golden stored events of this folder were made. Do NOT re-run it to "fix" a test.

The files next to this script are stored events as the code wrote them on the day they were
made (the payload layout called version 1), and what they meant then:

- ``events-v1.json``: one stored row (originator_id, originator_version, topic, state) per
  event of four reports that together use every kind of action and amendment, every optional
  field, every precision and metric; the state as the transcoder wrote it (UTF-8 JSON text);
- ``events-v1-zlib.json``: the same events written through the library's ZlibCompressor
  (``COMPRESSOR_TOPIC=eventsourcing.compressor:ZlibCompressor``), the state in base64;
- ``expected-v1.json``: each of those events decoded then, in a plain JSON form (see
  ``plain`` below) and, for a reader, the ``repr`` of its payload;
- ``seeds-v1.json``: the stored rows of ``seeds/`` loaded into an empty log, and what totals
  (by actor, phase), areas, claims and strength answered from them as of 2019-08-28.

They are frozen: ``tests/storage/test_golden_events.py`` checks that every later version of
the code still reads them as they were read then. When that test fails, the code has broken
the stored format: fix the code (bump the payload version and add an upcaster, see
docs/architecture.md, "Changing a stored value object"), never these files. This script is
kept only to document how the files were made; re-running it would write files that prove
nothing (it is run as ``python -m tests.storage.golden.make_golden OUTPUT_DIR``, and refuses to
overwrite this folder).

How they were made: the committed tree of the commit named in each file (``code``) was exported
with ``git archive`` to a clean folder (so that no uncommitted work in progress took part), this
script copied into it and run there with that folder first on ``PYTHONPATH``::

    git archive HEAD | tar -x -C /tmp/golden-head
    cp tests/storage/golden/*.py /tmp/golden-head/tests/storage/golden/
    cd /tmp/golden-head && GOLDEN_FROM_COMMIT=$(git -C /work/main rev-parse HEAD) \
        PYTHONPATH=src:. python -m tests.storage.golden.make_golden /tmp/golden-out

The event timestamps are those of that run. The module names imported below are those of that
commit; later refactorings may move them, which is one more reason not to re-run it.
"""

# The imports name the modules of the commit the files were made at (some have moved since), so
# their sorting is not checked: ruff cannot tell that modules gone since were first-party.
# ruff: noqa: I001

from __future__ import annotations

import base64
import enum
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs

from incidents import rendering
from incidents.application import IncidentLog
from incidents.domain.actions import (
    ACTION_KINDS,
    AreaCleared,
    Arrested,
    ClearingStarted,
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
    AMENDMENT_KINDS,
    ActionRef,
    Amendment,
    Correction,
    DuplicateLink,
    FieldChange,
    Preference,
    Retraction,
)
from incidents.domain.values import (
    AdminUnit,
    DateSpan,
    Estimate,
    Name,
    Place,
    Point,
    Precision,
    SourceRef,
    SplitOf,
)
from incidents.formats.report_file import ReportContent
from incidents.loading import load_reports, read_reports
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.store import store_env
from incidents.views import areas_view, claims_view, strength_view, totals_view

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEEDS = ROOT / "seeds"
AS_OF = date(2019, 8, 28)
TOTALS_BY = ("actor", "phase")

# --- The values: every kind, every optional field, every precision -------------------------------

OPERATION = Name("Will of Victory", "Will to Victory")
ISIS = Name("ISIS", "Daesh")
PMF = Name("PMF", "Hashd al-Shaabi")
UNKNOWN = Name("Tribal Militia", " tribal militia ", known=False)
GARMA = AdminUnit("IQG01Q01N02", "Al-Garma", 3, "Al-Anbar", "Al-Falluja", Point(43.7658, 33.4261))
ANBAR = AdminUnit("IQG01", "Al-Anbar", 1, "Al-Anbar")
FALLUJA = AdminUnit("IQG01Q01", "Al-Falluja", 2, "Al-Anbar", "Al-Falluja", Point(43.78, 33.35))

DAY = DateSpan.day(date(2019, 8, 24))
RANGE = DateSpan(date(2019, 8, 24), date(2019, 8, 27))
MONTH_PART = DateSpan(date(2019, 6, 21), date(2019, 6, 30), Precision.MONTH_PART)
MONTH = DateSpan.month(2019, 7)
YEAR = DateSpan.year(2019)

# A place with everything: a unit (with district and centroid), a qualifier and stated coordinates.
SOUTH_OF_KARMA = Place("Karma", GARMA, "south of", Point(43.7, 33.38))
KARMA = Place("Karma", GARMA)
ANBAR_PLACE = Place("Anbar", ANBAR)
UNRESOLVED = Place("Umm Najm")
POINT_ONLY = Place("Wadi Horan", None, None, Point(40.1234567, 33.0))
SCOPE: dict[str, Any] = {"operation": OPERATION, "phase": 4}

URL_KEY = "https://example.org/news/2019/08/28?id=7&lang=ar"


def every_kind_in_full() -> tuple[ReportedAction, ...]:
    """One action of every kind, with every optional field set."""
    return (
        OperationLaunched(
            id="op",
            occurred=DateSpan.day(date(2019, 7, 7)),
            quote="Will of Victory was launched on July 7",
            names=(
                "Will of Victory",
                "Irada al-Nasr",
                "\u0625\u0631\u0627\u062f\u0629 \u0627\u0644\u0646\u0635\u0631",
            ),
            aim="eradicate what remains of ISIS",
            forces=(PMF, UNKNOWN),
            **SCOPE,
        ),
        PhaseLaunched(
            id="phase-4",
            occurred=DAY,
            quote="Its fourth phase was initiated on Saturday",
            regions=(SOUTH_OF_KARMA, ANBAR_PLACE, UNRESOLVED, POINT_ONLY),
            supervisor="Iraqi Prime Minister Adil Abdul-Mahdi",
            forces=(PMF,),
            **SCOPE,
        ),
        PhaseEnded(id="phase-4-ended", occurred=MONTH, quote="the phase ended", **SCOPE),
        Killed(
            id="killed.1",
            occurred=RANGE,
            quote="two by airstrikes",
            side=ISIS,
            count=Estimate(1, 2, 3),
            actor=Name("US-led coalition", "Coalition"),
            place=SOUTH_OF_KARMA,
            split_of=SplitOf("killed", Estimate(3, None, 5)),
            means="airstrike",
            **SCOPE,
        ),
        Wounded(
            id="wounded",
            occurred=MONTH_PART,
            quote="several wounded",
            side=Name("Federal Police", "federal police"),
            count=Estimate.between(2, 6),
            actor=ISIS,
            place=Place("Falluja", FALLUJA),
            split_of=SplitOf("wounded-total", Estimate.exactly(6)),
            means="roadside bomb",
            **SCOPE,
        ),
        Arrested(
            id="arrested",
            occurred=YEAR,
            quote="seven arrested",
            side=ISIS,
            count=Estimate.exactly(7),
            actor=PMF,
            place=ANBAR_PLACE,
            split_of=SplitOf("arrested-total", Estimate(7, 9, 12)),
            **SCOPE,
        ),
        MaterielSeized(
            id="seized",
            occurred=DAY,
            quote="weapons seized",
            side=ISIS,
            count=Estimate.zero(),
            actor=PMF,
            place=POINT_ONLY,
            split_of=SplitOf("seized-total", Estimate.exactly(0)),
            item="rifles",
            **SCOPE,
        ),
        MaterielDestroyed(
            id="destroyed",
            occurred=RANGE,
            quote="tunnels destroyed",
            side=ISIS,
            count=Estimate(10, 12, 15),
            actor=PMF,
            place=UNRESOLVED,
            split_of=SplitOf("destroyed-total", Estimate(20, None, 30)),
            item="tunnels",
            **SCOPE,
        ),
        ThreatReported(
            id="threat", occurred=MONTH_PART, quote="under threat", area=KARMA, actor=ISIS, **SCOPE
        ),
        ClearingStarted(
            id="clearing", occurred=RANGE, quote="clearing", area=SOUTH_OF_KARMA, actor=PMF, **SCOPE
        ),
        AreaCleared(id="cleared", occurred=DAY, quote="cleared", area=ANBAR_PLACE, actor=PMF, **SCOPE),
        *(
            TotalClaimed(
                id=f"claim-{metric.value}",
                occurred=DateSpan.day(date(2019, 8, 27)),
                quote=f"This brings the total {metric.value} to ...",
                metric=metric,
                side=ISIS,
                count=Estimate(13, 14, 15) if metric is Metric.KILLED else Estimate.exactly(13),
                claimant=Name("Security Media Cell", "Iraqi Security Media Cell"),
                **SCOPE,
            )
            for metric in Metric
        ),
        StrengthEstimated(
            id="strength",
            occurred=DateSpan(date(2019, 8, 1), date(2019, 8, 28), Precision.MONTH),
            quote="14-18,000 remaining militants",
            side=ISIS,
            count=Estimate.between(14000, 18000),
            region="Iraq and Syria",
            estimator="US Department of Defense",
            operation=OPERATION,
        ),
    )


def every_kind_bare() -> tuple[ReportedAction, ...]:
    """One action of every kind, with only the fields it requires."""
    return (
        OperationLaunched(id="op", occurred=YEAR, quote="launched"),
        PhaseLaunched(id="phase", occurred=MONTH, quote="phase"),
        PhaseEnded(id="ended", occurred=MONTH_PART, quote="ended"),
        Killed(id="k", occurred=DAY, quote="killed", side=UNKNOWN, count=Estimate.exactly(1)),
        Wounded(id="w", occurred=RANGE, quote="wounded", side=ISIS, count=Estimate.between(0, 3)),
        Arrested(id="a", occurred=DAY, quote="arrested", side=ISIS, count=Estimate(1, 1, 2)),
        MaterielSeized(
            id="s",
            occurred=DAY,
            quote="seized",
            side=ISIS,
            count=Estimate.exactly(4),
            item="explosive devices",
        ),
        MaterielDestroyed(
            id="d", occurred=DAY, quote="destroyed", side=ISIS, count=Estimate.exactly(2), item="hideouts"
        ),
        ThreatReported(id="t", occurred=DAY, quote="threat", area=UNRESOLVED),
        ClearingStarted(id="cs", occurred=DAY, quote="clearing", area=POINT_ONLY),
        AreaCleared(id="ac", occurred=DAY, quote="cleared", area=KARMA),
        TotalClaimed(
            id="tc",
            occurred=DAY,
            quote="total",
            metric=Metric.WOUNDED,
            side=PMF,
            count=Estimate.between(5, 9),
        ),
        StrengthEstimated(id="se", occurred=YEAR, quote="strength", side=ISIS, count=Estimate(100, 150, 200)),
    )


def amendments() -> tuple[ReportedAction | Amendment, ...]:
    """Every kind of amendment, with and without reason and quote, and an action among them."""
    full = "golden-every-kind"
    return (
        Killed(id="own", occurred=DAY, quote="one more", side=ISIS, count=Estimate.exactly(1)),
        Correction(
            id="fix-count",
            target=ActionRef(full, "killed.1"),
            changes=(
                FieldChange("count", Estimate(2, 2, 2)),
                FieldChange("occurred", DateSpan(date(2019, 8, 25), date(2019, 8, 26))),
                FieldChange("actor", PMF),
                FieldChange("place", Place("Karma", GARMA, "north of")),
                FieldChange("means", None),
                FieldChange("quote", "two by airstrikes, corrected"),
                FieldChange("phase", 3),
            ),
            reason="the ministry revised its figure",
            quote="the ministry said on Monday that two, not three, were killed",
        ),
        Correction(
            id="fix-names",
            target=ActionRef(full, "op"),
            changes=[
                FieldChange("names", ["Will of Victory", "Iradat al-Nasr"]),
                FieldChange("forces", [PMF, ISIS]),
                FieldChange("regions", [KARMA]),
            ],
        ),
        Retraction(id="retract", target=ActionRef(full, "wounded"), reason="a duplicate of another outlet's"),
        Retraction(id="retract-fix", target=ActionRef("golden-amendments", "fix-names"), quote="we withdraw"),
        DuplicateLink(
            id="same",
            same=(ActionRef(full, "killed.1"), ActionRef("golden-bare", "k"), ActionRef(URL_KEY, "k")),
            reason="one raid, three reports",
        ),
        Preference(id="prefer", target=ActionRef(URL_KEY, "k"), reason="the local outlet was there"),
    )


def golden_reports() -> list[ReportContent]:
    reports = [
        ReportContent(
            key="golden-every-kind",
            source=SourceRef(
                outlet="Rudaw English",
                url="https://example.org/every-kind",
                published=DateSpan(date(2019, 8, 28), date(2019, 8, 31)),
                title="Every kind of action \u2014 \u0627\u0644\u0646\u0635\u0631",
                language="en",
            ),
            actions=every_kind_in_full(),
            file="golden-every-kind.yaml",
        ),
        ReportContent(
            key="golden-bare",
            source=SourceRef(outlet="Al-Shahid", url="https://example.org/bare", published=MONTH),
            actions=every_kind_bare(),
            file="golden-bare.yaml",
        ),
        ReportContent(
            key=URL_KEY,
            source=SourceRef(outlet="Local outlet", url=URL_KEY, published=YEAR, language="ar"),
            actions=(
                Killed(
                    id="k",
                    occurred=MONTH_PART,
                    quote="\u0642\u062a\u0644",
                    side=ISIS,
                    count=Estimate.exactly(3),
                ),
            ),
            file="url-key.yaml",
        ),
        ReportContent(
            key="golden-amendments",
            source=SourceRef(
                outlet="analyst", url="incidents:analyst/golden", published=DateSpan.day(date(2019, 9, 2))
            ),
            actions=amendments(),
            file="golden-amendments.yaml",
        ),
    ]
    stated = {type(s) for report in reports for s in report.actions}
    assert {cls.kind for cls in stated if issubclass(cls, ReportedAction)} == set(ACTION_KINDS)
    assert {cls.kind for cls in stated if issubclass(cls, Amendment)} == set(AMENDMENT_KINDS)
    assert {s.occurred.precision for r in reports for s in r.actions if isinstance(s, ReportedAction)} == set(
        Precision
    )
    return reports


# --- The files --------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A value in a JSON form that keeps its type: attrs objects by class and the fields they
    set (fields at None or () are left out, as the transcodings leave them out), tuples apart
    from lists, dates, enums and UUIDs marked."""
    if attrs.has(type(value)):
        fields: dict[str, Any] = {"@type": type(value).__qualname__}
        for spec in attrs.fields(type(value)):
            item = getattr(value, spec.name)
            if spec.default is attrs.NOTHING or (item is not None and item != ()):
                fields[spec.name] = plain(item)
        return fields
    if isinstance(value, datetime):
        return {"@datetime": value.isoformat()}
    if isinstance(value, date):
        return {"@date": value.isoformat()}
    if isinstance(value, enum.Enum):
        return {"@enum": type(value).__name__, "value": value.value}
    if isinstance(value, UUID):
        return {"@uuid": str(value)}
    if isinstance(value, tuple):
        return {"@tuple": [plain(item) for item in value]}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {"@dict": {key: plain(item) for key, item in value.items()}}
    assert value is None or isinstance(value, str | int | float | bool), type(value)
    return value


def made_with() -> dict[str, str]:
    # The files were made from a clean export of one commit (``git archive``), which is not a
    # git checkout: the commit is then given as GOLDEN_FROM_COMMIT.
    commit = (
        os.environ.get("GOLDEN_FROM_COMMIT")
        or subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    )
    return {
        "made_by": "tests/storage/golden/make_golden.py",
        "code": f"incidents at commit {commit} (payload layout version 1: no version key)",
        "eventsourcing": version("eventsourcing"),
        "note": "frozen: never edit or regenerate; see make_golden.py and docs/architecture.md",
    }


def rows(log: IncidentLog, compressed: bool = False) -> list[dict[str, Any]]:
    found = []
    for notification in log.recorder.select_notifications(start=1, limit=10_000):
        state = notification.state
        found.append(
            {
                "originator_id": str(notification.originator_id),
                "originator_version": notification.originator_version,
                "topic": notification.topic,
                "state": base64.b64encode(state).decode("ascii") if compressed else state.decode("utf-8"),
            }
        )
    return found


def expected(log: IncidentLog) -> list[dict[str, Any]]:
    described = []
    for notification in log.recorder.select_notifications(start=1, limit=10_000):
        event = log.mapper.to_domain_event(notification)
        state = {
            name: plain(value)
            for name, value in sorted(vars(event).items())
            if name not in ("originator_id", "originator_version")
        }
        payload = getattr(event, "action", getattr(event, "amendment", getattr(event, "source", None)))
        described.append(
            {
                "class": type(event).__qualname__,
                "topic": notification.topic,
                "originator_id": str(notification.originator_id),
                "originator_version": notification.originator_version,
                "state": state,
                "repr": repr(payload),
            }
        )
    return described


def answer(result: rendering.Result) -> Any:
    stream = io.StringIO()
    rendering.emit(result, "json", stream)
    return json.loads(stream.getvalue())


def write(path: Path, document: Any) -> None:
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(out: Path) -> None:
    if out.resolve() == HERE and (HERE / "events-v1.json").exists():
        sys.exit("the golden files are frozen: write to another folder (see the docstring)")
    out.mkdir(parents=True, exist_ok=True)

    plain_log = IncidentLog.open("memory:")
    zlib_log = IncidentLog(env=store_env("memory:", {"INCIDENTS_COMPRESS": "zlib"}))
    assert zlib_log.mapper.compressor is not None
    for report in golden_reports():
        plain_log.record_report(
            key=report.key, source=report.source, actions=report.actions, digest=report.digest
        )
    # The same events (same timestamps), written through the compressor.
    zlib_log.recorder.insert_events(
        [
            zlib_log.mapper.to_stored_event(plain_log.mapper.to_domain_event(notification))
            for notification in plain_log.recorder.select_notifications(start=1, limit=10_000)
        ]
    )
    write(out / "events-v1.json", {**made_with(), "events": rows(plain_log)})
    write(
        out / "events-v1-zlib.json",
        {
            **made_with(),
            "compressor": "eventsourcing.compressor:ZlibCompressor",
            "events": rows(zlib_log, compressed=True),
        },
    )
    write(out / "expected-v1.json", {**made_with(), "events": expected(plain_log)})
    assert expected(zlib_log) == expected(plain_log)

    seeds_log = IncidentLog.open("memory:")
    load_reports(seeds_log, read_reports([SEEDS], SEEDS / "aliases.yaml"))
    ledger = read_ledger(seeds_log)
    viewpoint = Viewpoint(as_of=AS_OF)
    answers = {
        "totals": answer(totals_view(ledger, viewpoint, TOTALS_BY)),
        "areas": answer(areas_view(ledger, viewpoint)),
        "claims": answer(claims_view(ledger, viewpoint)),
        "strength": answer(strength_view(ledger, viewpoint)),
    }
    write(
        out / "seeds-v1.json",
        {
            **made_with(),
            "seeds": "seeds/*.yaml with seeds/aliases.yaml, loaded into an empty log",
            "as_of": AS_OF.isoformat(),
            "totals_by": list(TOTALS_BY),
            "events": rows(seeds_log),
            "answers": answers,
        },
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
