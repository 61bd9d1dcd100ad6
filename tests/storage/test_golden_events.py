"""Golden stored events: what earlier code wrote must read, forever, as it read then.

The files of ``tests/storage/golden/`` are frozen (``make_golden.py`` says how they were made, and
why it must not be re-run). When a test here fails, the code has broken the stored format of an
append-only log: change the code (a payload version and an upcaster, see docs/architecture.md,
"Changing a stored value object"), never the golden files.

- every golden event, plain and zlib-compressed, decodes to the values it had when written;
- the current code still writes the version 1 layout of every payload still at version 1;
- the seeds' golden events answer totals, areas, claims and strength as they did, and loading
  the seeds files over them records nothing (their digests have not changed);
- upcasters bring an old payload forward; a payload from newer code, or with a field the class
  does not have, is refused by name.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest
from attrs import frozen
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.application import IncidentLog, Outcome
from incidents.domain.actions import ACTION_KINDS, Killed, ReportedAction
from incidents.domain.amendments import AMENDMENT_KINDS
from incidents.domain.report import Report
from incidents.domain.values import Point, SourceRef, SplitOf
from incidents.formats.report_file import ReportContent
from incidents.ingest import ingest_contents, read_reports
from incidents.projections.clocks import Viewpoint
from incidents.projections.ledger import read_ledger
from incidents.storage import transcodings
from incidents.storage.encoding import content_digest, payload_transcoder
from incidents.storage.location import parse_location
from incidents.storage.transcodings import (
    NewerPayloadError,
    StoredPayloadError,
    UnknownFieldError,
    all_transcodings,
    upcaster,
)
from tests.command import invoke
from tests.conftest import ALIASES, SEEDS
from tests.strategies import actions, date_spans, estimates
from tests.views import areas_view, claims_view, strength_view, totals_view

GOLDEN = Path(__file__).resolve().parent / "golden"
PLAIN_ENV = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
ZLIB_ENV = {**PLAIN_ENV, "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}
# Each golden file of stored events, how it was written (the library's settings) and what it holds.
GOLDEN_FILES = {
    "events-v1.json": (PLAIN_ENV, "expected-v1.json"),
    "events-v1-zlib.json": (ZLIB_ENV, "expected-v1.json"),
    "events-v2.json": (PLAIN_ENV, "expected-v2.json"),  # what report files v2 added
}
ENVELOPE = ("originator_id", "originator_version")


def golden(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def stored(row: dict[str, Any], compressed: bool) -> StoredEvent:
    text = row["state"]
    state = base64.b64decode(text) if compressed else text.encode("utf-8")
    return StoredEvent(UUID(row["originator_id"]), row["originator_version"], row["topic"], state)


def plain(value: Any) -> Any:
    """The plain JSON form of ``expected-v1.json`` (as ``make_golden.plain`` wrote it): attrs
    objects by class and the fields they set, tuples apart from lists, dates and enums marked."""
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


# What the expectations read as today. When a payload's meaning or layout changes (a new payload
# version and its upcaster), add here a function that rewrites the plain form of the expected
# files written before (``expected-v1.json``) as the new version reads them: written from the
# meaning of the change, not by calling the upcaster, so that the upcaster is checked against an
# independent statement.
EXPECTED_SINCE_V1: list[Callable[[dict[str, Any]], dict[str, Any]]] = []


def expected_events(name: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = golden(name)["events"]
    for change in EXPECTED_SINCE_V1:
        events = [{**event, "state": change(event["state"])} for event in events]
    return events


def state_of(event: object) -> dict[str, Any]:
    return {name: plain(value) for name, value in sorted(vars(event).items()) if name not in ENVELOPE}


def canonical(value: Any) -> str:
    """Strict equality: ``1`` is not ``1.0`` and ``True`` is not ``1`` in this text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def stored_names(tree: Any) -> set[str]:
    """Every ``_type_`` in a stored state (parsed JSON)."""
    if isinstance(tree, dict):
        found = {tree["_type_"]} if "_type_" in tree else set()
        return found.union(*(stored_names(value) for value in tree.values()))
    if isinstance(tree, list):
        return set().union(*(stored_names(value) for value in tree))
    return set()


@pytest.fixture
def transcoder() -> JSONTranscoder:
    """The transcoder of the log, as the tables of ``incidents.storage.transcodings`` are now."""
    log = IncidentLog(env=PLAIN_ENV)
    found = log.mapper.transcoder
    assert isinstance(found, JSONTranscoder)
    return found


# --- Every golden event decodes as it did ---------------------------------------------------------


@pytest.mark.parametrize("name", list(GOLDEN_FILES))
def test_every_golden_event_decodes_to_the_values_it_was_written_with(name: str) -> None:
    env, expected_name = GOLDEN_FILES[name]
    log = IncidentLog(env=env)
    rows = golden(name)["events"]
    expected = expected_events(expected_name)
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        event = log.mapper.to_domain_event(stored(row, compressed=name.endswith("zlib.json")))
        where = f"{row['topic']} {row['originator_id']} v{row['originator_version']}"
        assert type(event).__qualname__ == want["class"], where
        assert (str(event.originator_id), event.originator_version) == (
            want["originator_id"],
            want["originator_version"],
        ), where
        assert state_of(event) == want["state"], where
        assert canonical(state_of(event)) == canonical(want["state"]), where


def test_the_golden_events_cover_every_kind_of_action_and_amendment() -> None:
    """A kind added since needs golden events of its own (a new file in GOLDEN_FILES, made as
    make_golden.py made these), or its stored layout is guarded by nothing."""
    kinds = set()
    for name, (env, _) in GOLDEN_FILES.items():
        if "COMPRESSOR_TOPIC" not in env:
            for row in golden(name)["events"]:
                kinds |= stored_names(json.loads(row["state"]))
    assert set(ACTION_KINDS) <= kinds, "kinds with no golden stored event"
    assert set(AMENDMENT_KINDS) <= kinds, "kinds with no golden stored event"


def test_the_current_code_writes_the_version_1_layout_of_payloads_still_at_version_1() -> None:
    """A payload version names one layout: while a type stays at version 1, what is written for it
    is what was written then (re-encoding a golden event gives its stored JSON back)."""
    log = IncidentLog(env=PLAIN_ENV)
    compared = 0
    for row in golden("events-v1.json")["events"]:
        written = json.loads(row["state"])
        if any(transcodings.PAYLOAD_VERSIONS.get(name, 1) > 1 for name in stored_names(written)):
            continue  # its layout has a new version since: the decoding test covers it
        event = log.mapper.to_domain_event(stored(row, compressed=False))
        again = log.mapper.to_stored_event(event)
        assert (again.topic, json.loads(again.state)) == (row["topic"], written), row["topic"]
        compared += 1
    # Until a version is bumped, every golden event is compared.
    assert transcodings.PAYLOAD_VERSIONS or compared == len(golden("events-v1.json")["events"])


# --- The seeds, stored by earlier code ------------------------------------------------------------


@pytest.fixture
def golden_seeds_log() -> Iterator[IncidentLog]:
    """A fresh log holding exactly the golden stored events of the seeds."""
    log = IncidentLog(env=PLAIN_ENV)
    log.recorder.insert_events([stored(row, compressed=False) for row in golden("seeds-v1.json")["events"]])
    yield log
    log.close()


def answer_json(result: Any) -> Any:
    """The document ``incidents QUERY --format json`` prints (``emit``): query, rows, uncertain."""
    document = {"query": result.query, "rows": list(result.rows), "uncertain": list(result.uncertain)}
    return json.loads(json.dumps(document, ensure_ascii=False, default=str))


def _phase_is_a_number(answer: dict[str, Any]) -> dict[str, Any]:
    """Since issue 12, ``phase`` is a number in every JSON output (a grouping of totals was
    written as text): the same answer, its type stated once."""
    rows = [
        {**row, "phase": int(row["phase"])} if isinstance(row.get("phase"), str) else row
        for row in answer["rows"]
    ]
    return {**answer, "rows": rows}


# How the answers the seeds' golden events gave then read now, by query: each a change of meaning
# made on purpose (never a regeneration of the golden file).
ANSWERS_SINCE_V1: dict[str, list[Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "totals": [_phase_is_a_number],
}


def expected_answer(query: str, answer: dict[str, Any]) -> dict[str, Any]:
    for change in ANSWERS_SINCE_V1.get(query, []):
        answer = change(answer)
    return answer


def test_the_seeds_golden_events_answer_as_they_did(golden_seeds_log: IncidentLog) -> None:
    seeds = golden("seeds-v1.json")
    viewpoint = Viewpoint(as_of=date.fromisoformat(seeds["as_of"]))
    ledger = read_ledger(golden_seeds_log)
    answers = {
        "totals": totals_view(ledger, viewpoint, seeds["totals_by"]),
        "areas": areas_view(ledger, viewpoint),
        "claims": claims_view(ledger, viewpoint),
        "strength": strength_view(ledger, viewpoint),
    }
    assert set(answers) == set(seeds["answers"])
    for query, result in answers.items():
        today = answer_json(result)
        if query == "totals":
            today = as_totals_were(today)
        assert today == expected_answer(query, seeds["answers"][query]), query


# The columns totals has had since report files v2: what a row counts (materiel items apart), and
# how many of its events have approximate or unknown counts.
TOTALS_COLUMNS_SINCE = ("item", "approximate", "unknown")


def as_totals_were(document: dict[str, Any]) -> dict[str, Any]:
    """Totals as they were answered before materiel was summed per item: today's rows without
    the columns added since, the rows that then share their key added up. So the figures are
    the ones they were, only split by item; and the seeds have no approximate or unknown count."""
    merged: dict[str, dict[str, Any]] = {}
    for row in document["rows"]:
        assert (row["approximate"], row["unknown"]) == (0, 0)
        old = {key: value for key, value in row.items() if key not in TOTALS_COLUMNS_SINCE}
        key = json.dumps([value for name, value in old.items() if name not in SUMMED])
        if key in merged:
            for name in SUMMED:
                first, second = merged[key][name], old[name]
                merged[key][name] = None if first is None or second is None else first + second
        else:
            merged[key] = old
    return {**document, "rows": list(merged.values())}


SUMMED = ("best", "low", "high", "events")


def test_loading_the_seeds_over_their_golden_events_changes_nothing(golden_seeds_log: IncidentLog) -> None:
    """Report digests are part of the stored format: a digest computed differently today would
    make every report recorded before a conflict. Those recorded before digests had versions
    (version 1) are compared by that definition, and still match."""
    contents = read_reports([SEEDS], ALIASES)
    for content in contents:
        recorded = golden_seeds_log.find_report(content.key)
        assert recorded is not None, content.key
        assert not recorded.digest.startswith("v2:")
        assert content.matches(recorded.digest), f"the digest of {content.key} is not the recorded one"
    before = golden_seeds_log.recorder.max_notification_id()
    loaded = ingest_contents(golden_seeds_log, contents)
    assert {item.report.key: item.outcome for item in loaded} == {
        content.key: Outcome.UNCHANGED for content in contents
    }
    assert golden_seeds_log.recorder.max_notification_id() == before


# --- Upcasters and refusals -----------------------------------------------------------------------


@pytest.fixture
def payload_tables() -> Iterator[None]:
    """Lets a test change PAYLOAD_VERSIONS and UPCASTERS; puts them back as they were."""
    versions = dict(transcodings.PAYLOAD_VERSIONS)
    upcasters = dict(transcodings.UPCASTERS)
    yield
    transcodings.PAYLOAD_VERSIONS.clear()
    transcodings.PAYLOAD_VERSIONS.update(versions)
    transcodings.UPCASTERS.clear()
    transcodings.UPCASTERS.update(upcasters)


def golden_row(action_id: str) -> dict[str, Any]:
    """The golden stored row of the action with this id, in the report of every kind in full."""
    for row in golden("events-v1.json")["events"]:
        action = json.loads(row["state"]).get("action")
        if action and action["_data_"]["id"] == action_id:
            found: dict[str, Any] = row
            return found
    raise LookupError(action_id)


def with_payload(row: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """The row, its action's stored fields changed by ``change``."""
    state = json.loads(row["state"])
    change(state["action"]["_data_"])
    return {**row, "state": json.dumps(state, ensure_ascii=False, separators=(",", ":"))}


def decoded_action(log: IncidentLog, row: dict[str, Any]) -> Any:
    event = log.mapper.to_domain_event(stored(row, compressed=False))
    assert isinstance(event, Report.ActionRecorded)
    return event.action


def rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[new] = data.pop(old)

    return change


def test_an_upcaster_reads_a_payload_written_under_an_old_field_name(payload_tables: None) -> None:
    """Pretend that version 1 of ``killed`` called ``means`` "by", and version 2 renamed it."""
    row = golden_row("killed.1")
    original = decoded_action(IncidentLog(env=PLAIN_ENV), row)
    written_as_by = with_payload(row, rename("means", "by"))

    transcodings.PAYLOAD_VERSIONS["killed"] = 2

    @upcaster("killed", 1)
    def _by_renamed_means(data: dict[str, Any]) -> dict[str, Any]:
        if "by" in data:
            data["means"] = data.pop("by")
        return data

    log = IncidentLog(env=PLAIN_ENV)
    assert decoded_action(log, written_as_by) == original
    assert original.means == "airstrike"

    # What this code writes now is version 2, under the new name, and reads back as it was.
    written = log.mapper.to_stored_event(log.mapper.to_domain_event(stored(row, compressed=False)))
    payload = json.loads(written.state)["action"]["_data_"]
    assert payload["_v"] == 2
    assert payload["means"] == "airstrike"
    assert "by" not in payload
    again = log.mapper.to_domain_event(written)
    assert isinstance(again, Report.ActionRecorded)
    assert again.action == original


def test_upcasters_chain_from_any_older_version(payload_tables: None) -> None:
    row = golden_row("killed.1")
    original = decoded_action(IncidentLog(env=PLAIN_ENV), row)
    transcodings.PAYLOAD_VERSIONS["killed"] = 3

    @upcaster("killed", 1)
    def _by_renamed_how(data: dict[str, Any]) -> dict[str, Any]:
        data["how"] = data.pop("by")
        return data

    @upcaster("killed", 2)
    def _how_renamed_means(data: dict[str, Any]) -> dict[str, Any]:
        data["means"] = data.pop("how")
        return data

    log = IncidentLog(env=PLAIN_ENV)
    version_1 = with_payload(row, rename("means", "by"))

    def version_2(data: dict[str, Any]) -> None:
        data["how"] = data.pop("means")
        data["_v"] = 2

    assert decoded_action(log, version_1) == original
    assert decoded_action(log, with_payload(row, version_2)) == original
    # A payload its upcasters cannot read (here: a version 1 without "by") is refused by name.
    with pytest.raises(ValueError, match=r"killed payload of version 1: its upcaster from version 1 failed"):
        decoded_action(log, row)


def test_a_version_without_its_upcasters_is_refused_when_the_log_is_made(payload_tables: None) -> None:
    transcodings.PAYLOAD_VERSIONS["killed"] = 2
    with pytest.raises(ValueError, match=r"killed payloads are at version 2, but there is no upcaster"):
        all_transcodings()


def test_a_stray_upcaster_is_refused(payload_tables: None) -> None:
    upcaster("killed", 1)(lambda data: data)  # killed is at version 1: it would never run
    with pytest.raises(ValueError, match=r"belongs to no current version: killed v1"):
        all_transcodings()


def test_a_payload_from_newer_code_is_refused_by_name(transcoder: JSONTranscoder) -> None:
    def newer(data: dict[str, Any]) -> None:
        data["_v"] = 2

    row = with_payload(golden_row("killed.1"), newer)
    with pytest.raises(NewerPayloadError) as raised:
        transcoder.decode(row["state"].encode("utf-8"))
    assert (raised.value.name, raised.value.version) == ("killed", 2)
    assert "killed payload of version 2" in str(raised.value)
    assert "this code reads killed payloads up to version 1" in str(raised.value)

    # Through the library's mapper, the error is the cause, and its words are in the message.
    log = IncidentLog(env=PLAIN_ENV)
    with pytest.raises(ValueError, match="killed payload of version 2") as through_mapper:
        log.mapper.to_domain_event(stored(row, compressed=False))
    assert isinstance(through_mapper.value.__cause__, NewerPayloadError)


def test_a_payload_with_a_field_the_class_does_not_have_is_refused_by_name(
    transcoder: JSONTranscoder,
) -> None:
    def extra(data: dict[str, Any]) -> None:
        data["weapon"] = "rifle"

    row = with_payload(golden_row("killed.1"), extra)
    with pytest.raises(UnknownFieldError) as raised:
        transcoder.decode(row["state"].encode("utf-8"))
    assert (raised.value.name, raised.value.version, raised.value.field) == ("killed", 1, "weapon")
    assert "Killed has no field 'weapon'" in str(raised.value)
    assert not isinstance(raised.value, TypeError)


def test_a_renamed_field_without_an_upcaster_is_refused_by_name(transcoder: JSONTranscoder) -> None:
    row = with_payload(golden_row("killed.1"), rename("means", "by"))
    with pytest.raises(UnknownFieldError, match=r"killed payload of version 1 \(field 'by'\)"):
        transcoder.decode(row["state"].encode("utf-8"))


def test_a_payload_without_a_required_field_or_with_an_invalid_value_is_refused_by_name(
    transcoder: JSONTranscoder,
) -> None:
    def no_side(data: dict[str, Any]) -> None:
        del data["side"]

    with pytest.raises(StoredPayloadError, match=r"killed payload of version 1 \(field 'side'\)"):
        transcoder.decode(with_payload(golden_row("killed.1"), no_side)["state"].encode("utf-8"))

    def negative(data: dict[str, Any]) -> None:
        data["count"]["_data_"]["low"] = -1

    with pytest.raises(
        StoredPayloadError, match=r"Estimate payload of version 1: a count cannot be negative"
    ):
        transcoder.decode(with_payload(golden_row("killed.1"), negative)["state"].encode("utf-8"))

    def unknown_precision(data: dict[str, Any]) -> None:
        data["occurred"]["_data_"]["precision"]["_data_"] = "fortnight"

    with pytest.raises(StoredPayloadError, match=r"Precision payload .*'fortnight' is not one of"):
        transcoder.decode(with_payload(golden_row("killed.1"), unknown_precision)["state"].encode("utf-8"))


# --- Adding an optional field ---------------------------------------------------------------------


@frozen(kw_only=True)
class KilledWithWeapon(Killed):
    """``Killed`` as it would be with an optional field added."""

    weapon: str | None = None


def test_an_added_optional_field_reads_old_payloads_and_writes_the_same_ones() -> None:
    row = golden_row("killed.1")
    data = json.loads(row["state"])["action"]["_data_"]
    transcoder = JSONTranscoder()
    for transcoding in all_transcodings():
        transcoder.register(transcoding)
    old = transcoder.decode(json.dumps({"_type_": "killed", "_data_": data}).encode())
    grown = transcodings.AttrsAsDict(KilledWithWeapon, "killed")
    transcoder.register(grown)
    new = transcoder.decode(json.dumps({"_type_": "killed", "_data_": data}).encode())
    assert isinstance(new, KilledWithWeapon)
    assert new.weapon is None
    assert attrs.asdict(new, recurse=False) == {**attrs.asdict(old, recurse=False), "weapon": None}
    assert grown.encode(new) == transcodings.AttrsAsDict(Killed, "killed").encode(old)


def test_an_added_optional_field_leaves_report_digests_unchanged() -> None:
    """The digest (version 2) is of the stored JSON, which leaves an unset optional field out."""
    row = golden_row("killed.1")
    old = decoded_action(IncidentLog(env=PLAIN_ENV), row)
    new = KilledWithWeapon(**attrs.asdict(old, recurse=False))
    grown = payload_transcoder()
    grown.register(transcodings.AttrsAsDict(KilledWithWeapon, "killed"))
    source = SourceRef("outlet", "https://example.org", old.occurred)
    recorded = ReportContent(key="r", source=source, actions=(old,), file="r.yaml").digest
    assert content_digest("r", grown.json(source), [grown.json(new)]) == recorded


# --- Any action, encoded and decoded --------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12).filter(
    str.strip
)
points = st.builds(Point, st.floats(-180, 180), st.floats(-90, 90))


@st.composite
def any_actions(draw: st.DrawFn) -> ReportedAction:
    """The strategies' actions, with any text, and stated coordinates or a split where they fit."""
    action = draw(actions(draw(texts)))
    changes: dict[str, Any] = {"quote": draw(texts)}
    place = getattr(action, "place", None)
    if place is not None:
        changes["place"] = attrs.evolve(place, written=draw(texts), point=draw(st.none() | points))
    if hasattr(action, "split_of"):
        changes["split_of"] = draw(st.none() | st.builds(SplitOf, texts, estimates()))
    return attrs.evolve(action, **changes)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=any_actions(), published=date_spans())
def test_any_action_decodes_to_itself(
    transcoder: JSONTranscoder, action: ReportedAction, published: Any
) -> None:
    source = SourceRef("Outlet \u0627", "https://example.org/\u0627", published, title="T", language="ar")
    state = {"action": action, "source": source}
    assert transcoder.decode(transcoder.encode(state)) == state


def test_a_store_with_a_payload_from_newer_code_says_so_to_the_user(tmp_path: Path) -> None:
    """Through the store's own mapper the payload's error reaches the user as it is: an
    IncidentsError naming the type and version, so the CLI prints it instead of a traceback."""

    def newer(data: dict[str, Any]) -> None:
        data["_v"] = 2

    db = tmp_path / "store.db"
    killed = golden_row("killed.1")
    rows = golden("events-v1.json")["events"]
    same_report = [row for row in rows if row["originator_id"] == killed["originator_id"]]
    log = IncidentLog.open(parse_location(str(db)))
    try:
        log.recorder.insert_events(
            [
                stored(row if row != killed else with_payload(row, newer), compressed=False)
                for row in same_report
            ]
        )
    finally:
        log.close()
    result = invoke(db, "totals", env={"INCIDENTS_READ_MODEL": "off"})
    assert result.exit_code == 1
    assert "killed payload of version 2" in result.stderr
    assert "Traceback" not in result.output
