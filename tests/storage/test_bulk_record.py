"""The bulk path of ``IncidentLog.record_reports`` writes what the aggregates' own path writes.

``record_reports`` encodes each report once (``storage.encoding``) and inserts a batch of events
with one ``insert_events``; the library's path (``Application.save`` of ``report_aggregate``)
triggers the aggregate's events and encodes each through its mapper. The stored events must be
the same (ids, versions, topics, and the states byte for byte but for the recorded time), and
the payload transcoder must write the library's bytes for anything. On every backend, the batch's
notification ids are the library's (in order, without gaps), and a batch that meets a report
recorded meanwhile falls back to one report per transaction.
"""

from __future__ import annotations

import math
import re
import threading
from datetime import date
from typing import Any

import attrs
import pytest
from attrs import frozen
from eventsourcing.persistence import JSONTranscoder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.application import IncidentLog, Outcome, report_aggregate
from incidents.domain.values import SourceRef
from incidents.formats.report_file import ReportContent
from incidents.storage.encoding import PAYLOADS, payload_transcoder
from incidents.storage.location import MemoryLocation
from incidents.storage.transcodings import AttrsAsDict
from tests.builders import content, killed
from tests.conftest import LogOpener
from tests.strategies import actions, date_spans, report_sets, texts

TIMESTAMP = re.compile(rb'"timestamp":\{"_type_":"datetime_iso","_data_":"[^"]*"\}')


def library_transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    IncidentLog.register_transcodings(IncidentLog.__new__(IncidentLog), transcoder)
    return transcoder


def stored(log: IncidentLog) -> list[tuple[Any, ...]]:
    """Every stored event: id, originator, version, topic, state with its timestamp blanked."""
    return [
        (n.id, n.originator_id, n.originator_version, n.topic, TIMESTAMP.sub(b'"timestamp":T', n.state))
        for n in log.notifications()
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports=report_sets())
def test_bulk_records_the_events_the_aggregates_record(reports: list[ReportContent]) -> None:
    bulk, one_by_one = IncidentLog.open(MemoryLocation()), IncidentLog.open(MemoryLocation())
    assert bulk.record_reports(reports) == [Outcome.RECORDED] * len(reports)
    for report in reports:
        one_by_one.save(report_aggregate(report))
    assert stored(bulk) == stored(one_by_one)
    for report in reports:
        found, expected = bulk.find_report(report.key), one_by_one.find_report(report.key)
        assert found is not None
        assert expected is not None
        assert (found.key, found.source, found.digest) == (expected.key, expected.source, report.digest)
        assert (found.actions, found.amendments) == (expected.actions, expected.amendments)


# Any value the library's encoder writes: text of any character, numbers at the edges, nesting.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_the_payload_transcoder_writes_the_librarys_bytes_for_plain_values(value: Any) -> None:
    assert PAYLOADS.encode(value) == library_transcoder().encode(value)


@settings(max_examples=200, deadline=None)
@given(action=actions("a1"), published=date_spans(), text=texts)
def test_the_payload_transcoder_writes_the_librarys_bytes_for_payloads(
    action: Any, published: Any, text: str
) -> None:
    source = SourceRef(text, f"https://example.org/{text}", published, title=text)
    state = {"action": action, "source": source, "values": [action.occurred, (source,)]}
    assert PAYLOADS.encode(state) == library_transcoder().encode(state)


@settings(max_examples=200, deadline=None)
@given(day=st.dates())
def test_a_date_of_any_year_is_written_as_the_library_writes_it(day: date) -> None:
    assert PAYLOADS.encode([day, {"on": day}]) == library_transcoder().encode([day, {"on": day}])


def test_a_value_the_library_cannot_encode_is_refused_as_it_refuses_it() -> None:
    with pytest.raises(TypeError) as ours:
        PAYLOADS.encode({"x": object()})
    with pytest.raises(TypeError) as theirs:
        library_transcoder().encode({"x": object()})
    assert type(ours.value) is type(theirs.value)
    assert math.isnan(float("nan"))  # (NaN is written as the library writes it: tested above)


@frozen
class EveryFieldOptional:
    """A payload class whose every field may be left out (no stored class is one, today)."""

    first: str | None = None
    second: tuple[int, ...] = ()
    third: Any = None


optional_fields = st.builds(
    EveryFieldOptional,
    st.none() | texts,
    st.just(()) | st.tuples(st.integers()),
    st.none() | json_values | date_spans(),
)


@settings(max_examples=200, deadline=None)
@given(value=optional_fields)
def test_a_class_whose_fields_may_all_be_left_out_is_written_as_the_library_writes_it(
    value: EveryFieldOptional,
) -> None:
    ours, theirs = payload_transcoder(), library_transcoder()
    for transcoder in (ours, theirs):
        transcoder.register(AttrsAsDict(EveryFieldOptional, "EveryFieldOptional"))
    assert ours.encode([value, value]) == theirs.encode([value, value])


def test_a_reports_events_have_one_timestamp_the_reports() -> None:
    """A report's events are recorded together: one time each, the report's; the next report
    is recorded at that time or after."""
    log = IncidentLog.open(MemoryLocation())
    log.record_reports(reports(2, actions_each=3))
    times = [TIMESTAMP.search(n.state).group(0) for n in log.notifications()]  # type: ignore[union-attr]
    assert len(set(times[:4])) == 1
    assert len(set(times[4:])) == 1
    assert times[4] >= times[0]
    first = log.find_report("r000")
    assert first is not None
    assert first.created_on == first.modified_on


def test_a_shared_value_is_written_the_same_each_time_and_forgotten_when_many() -> None:
    span = killed("2019-08-24", 1).occurred
    first = PAYLOADS.json(span)
    assert PAYLOADS.json(span) == first == library_transcoder().encoder.encode(span)
    assert len(PAYLOADS.remembered) <= 20_000


# --- On every backend -------------------------------------------------------------------------


def reports(count: int, actions_each: int = 3) -> list[ReportContent]:
    return [
        content(f"r{n:03d}", "2019-08-28", [killed("2019-08-24", n + k) for k in range(actions_each)])
        for n in range(count)
    ]


def test_a_batch_gets_the_librarys_notification_ids_in_order(open_log: LogOpener) -> None:
    log = open_log()
    first, second = reports(40)[:25], reports(40)[25:]
    log.record_reports(first)
    log.record_reports(second)
    notifications = list(log.notifications())
    ids = [n.id for n in notifications]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids) == 40 * 4
    assert log.recorder.max_notification_id() == ids[-1]
    keys = [n.originator_id for n in notifications if n.originator_version == 1]
    assert keys == [report_aggregate(report).id for report in first + second]
    for report in first + second:
        found = log.find_report(report.key)
        assert found is not None
        assert tuple(found.actions) == report.actions


def test_a_batch_meeting_a_report_recorded_meanwhile_records_the_rest_one_by_one(
    open_log: LogOpener,
) -> None:
    log, other = open_log(), open_log()
    batch = reports(6)
    other.record_reports([batch[3]])
    assert log.record_reports(batch) == [Outcome.RECORDED] * 3 + [Outcome.UNCHANGED] + [Outcome.RECORDED] * 2
    assert len(list(log.notifications())) == 6 * 4


def test_a_batch_with_a_report_the_aggregate_would_refuse_writes_nothing(open_log: LogOpener) -> None:
    """The key is checked as the aggregate's constructor checks it, before anything is inserted."""
    log = open_log()
    batch = [*reports(3), content("x" * 3000, "2019-08-28", [killed("2019-08-24", 1)])]
    with pytest.raises(ValueError, match="report key"):
        log.record_reports(batch)
    assert list(log.notifications()) == []
    with pytest.raises(ValueError, match="report key"):
        report_aggregate(batch[-1])


def test_a_batch_of_megabytes_is_recorded_on_every_backend(open_log: LogOpener) -> None:
    """An import's batch of 1,000 reports with long quotes (about 9 MB of events) is recorded in
    one transaction, within seconds: on PostgreSQL the library's pipelined insert never returned
    past a few megabytes (psycopg/psycopg#685). Run in a thread, so that a hang fails the test
    rather than the suite."""
    log = open_log()
    quote = "the ministry said that the operation continues " * 80  # (3,840 characters)
    reports = [
        content(
            f"long-{index}",
            "2019-08-28",
            [attrs.evolve(killed("2019-08-27", 2, id=f"k{n}"), quote=quote) for n in range(2)],
        )
        for index in range(1_000)
    ]
    outcomes: list[Outcome] = []
    worker = threading.Thread(target=lambda: outcomes.extend(log.record_reports(reports)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "recording the batch did not return"
    assert outcomes == [Outcome.RECORDED] * len(reports)
    ids = [notification.id for notification in log.notifications()]
    assert ids == list(range(1, len(ids) + 1))
    assert len(ids) >= 2 * len(reports)
