r"""How the golden stored events of report files v2 were made. Do NOT re-run it to "fix" a test.

``events-v2.json`` holds the stored rows of one report that uses everything report files v2
added: the kinds ``displaced`` and ``declaration``, joint ``actors``, a ``claimant`` on any
action, approximate and unknown counts (``Estimate.approximate``, ``Estimate.unknown``), an
area's ``extent`` and a republication's ``via``; ``expected-v2.json`` what they decoded to then
(in the plain form of ``make_golden.py``). Frozen, like the v1 files (see ``make_golden.py``:
made from a clean ``git archive`` of the commit named in the files)::

    git archive HEAD | tar -x -C /tmp/golden-v2
    cd /tmp/golden-v2 && GOLDEN_FROM_COMMIT=$(git -C /work/wt/counts rev-parse HEAD) \
        PYTHONPATH=src:. python -m tests.storage.golden.make_golden_v2 /tmp/golden-v2-out
"""

from __future__ import annotations

import enum
import json
import os
import sys
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs

from incidents.application import IncidentLog
from incidents.domain.actions import (
    AreaCleared,
    Declared,
    Displaced,
    DisplacedUnit,
    Killed,
    MaterielDestroyed,
)
from incidents.domain.values import DateSpan, Estimate, Extent, Name, Original, Place, SourceRef
from incidents.formats.report_file import ReportContent

HERE = Path(__file__).resolve().parent
DAY = DateSpan.day(date(2019, 8, 28))
ISIS = Name("ISIS", "Daesh")
PMF = Name("PMF", "Hashd al-Shaabi")
ARMY = Name("Iraqi Army", "Iraqi army")
MEDIA_CELL = Name("Security Media Cell", "the Security Media Cell", known=False)
CIVILIANS = Name("civilians", "residents", known=False)


def golden_report() -> ReportContent:
    return ReportContent(
        key="golden-v2",
        source=SourceRef(
            outlet="Shafaq News",
            url="https://example.org/v2",
            published=DAY,
            via=Original(
                outlet="INA", url="https://example.org/ina", published=DateSpan.day(date(2019, 8, 27))
            ),
        ),
        actions=(
            Killed(
                id="about",
                occurred=DAY,
                quote="around twenty",
                side=ISIS,
                count=Estimate.about(20),
                actors=(ARMY, PMF),
                claimant=MEDIA_CELL,
            ),
            Killed(
                id="about-bounds", occurred=DAY, quote="some 15", side=ISIS, count=Estimate.about(15, 12, 20)
            ),
            Killed(
                id="dozens", occurred=DAY, quote="dozens", side=ISIS, count=Estimate.by_convention("dozens")
            ),
            MaterielDestroyed(
                id="launchers",
                occurred=DAY,
                quote="40 launchers",
                side=ISIS,
                count=Estimate.exactly(40),
                item="rocket launchers",
            ),
            Displaced(
                id="families",
                occurred=DAY,
                quote="90 families",
                side=CIVILIANS,
                count=Estimate.exactly(90),
                unit=DisplacedUnit.FAMILIES,
            ),
            Displaced(
                id="people", occurred=DAY, quote="300 people", side=CIVILIANS, count=Estimate.exactly(300)
            ),
            AreaCleared(
                id="villages",
                occurred=DAY,
                quote="25 villages, 1,702 km2",
                area=Place("Mutaibija"),
                actors=(ARMY, PMF),
                extent=Extent(places=25, of="villages", square_km=1702),
            ),
            Declared(
                id="victory",
                occurred=DateSpan.month(2017, 12),
                quote="victory was declared",
                declared="victory over ISIS",
                actor=Name("Iraqi government", "the government", known=False),
            ),
        ),
        file="golden-v2.yaml",
    )


def plain(value: Any) -> Any:
    """As ``make_golden.plain``: a JSON form that keeps each value's type."""
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
    return {
        "made_by": "tests/storage/golden/make_golden_v2.py",
        "code": f"incidents at commit {os.environ['GOLDEN_FROM_COMMIT']} (report files v2)",
        "eventsourcing": version("eventsourcing"),
        "note": "frozen: never edit or regenerate; see make_golden_v2.py and docs/architecture.md",
    }


def main(out: Path) -> None:
    if out.resolve() == HERE and (HERE / "events-v2.json").exists():
        sys.exit("the golden files are frozen: write to another folder (see the docstring)")
    out.mkdir(parents=True, exist_ok=True)
    log = IncidentLog(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    report = golden_report()
    log.record_reports([report])
    rows, expected = [], []
    for notification in log.recorder.select_notifications(start=1, limit=10_000):
        rows.append(
            {
                "originator_id": str(notification.originator_id),
                "originator_version": notification.originator_version,
                "topic": notification.topic,
                "state": notification.state.decode("utf-8"),
            }
        )
        event = log.mapper.to_domain_event(notification)
        payload = getattr(event, "action", getattr(event, "amendment", getattr(event, "source", None)))
        expected.append(
            {
                "class": type(event).__qualname__,
                "topic": notification.topic,
                "originator_id": str(notification.originator_id),
                "originator_version": notification.originator_version,
                "state": {
                    name: plain(value)
                    for name, value in sorted(vars(event).items())
                    if name not in ("originator_id", "originator_version")
                },
                "repr": repr(payload),
            }
        )
    for name, document in (("events-v2.json", rows), ("expected-v2.json", expected)):
        (out / name).write_text(
            json.dumps({**made_with(), "events": document}, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
