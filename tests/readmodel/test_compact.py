"""The read model's compact form (``readmodel.compact``): every action and source it stores reads
back as the very value written, type for type down to each number and flag, though the classes'
initialisers are not called again; what it cannot read is refused when its functions are made."""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs
import pytest
from attrs import frozen
from hypothesis import given, settings

from incidents.application import IncidentLog
from incidents.domain.actions import ReportedAction
from incidents.domain.report import Report
from incidents.domain.values import DateSpan, Place, Point, SourceRef
from incidents.readmodel.compact import Compact
from incidents.readmodel.payloads import Payloads
from tests.storage.test_golden_events import GOLDEN_FILES, golden, stored
from tests.strategies import actions, reports


def identical(a: Any, b: Any, where: str = "value") -> None:
    """``a`` and ``b`` are equal and of the same types all the way down (``1 == 1.0 == True``)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} against {type(b).__name__}"
    if attrs.has(type(a)):
        for spec in attrs.fields(type(a)):
            identical(getattr(a, spec.name), getattr(b, spec.name), f"{where}.{spec.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for number, (x, y) in enumerate(zip(a, b, strict=True)):
            identical(x, y, f"{where}[{number}]")
    else:
        assert a == b, where


@pytest.fixture(scope="module")
def payloads() -> Payloads:
    return Payloads(IncidentLog(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper)


def round_trip(payloads: Payloads, value: Any) -> Any:
    again = payloads.decode(payloads.encode(value))
    identical(again, value, type(value).__name__)
    return again


@pytest.mark.parametrize("name", list(GOLDEN_FILES))
def test_every_golden_action_and_source_reads_back_as_written(payloads: Payloads, name: str) -> None:
    env, _expected = GOLDEN_FILES[name]
    log = IncidentLog(env=env)
    read = 0
    for row in golden(name)["events"]:
        event = log.mapper.to_domain_event(stored(row, compressed=name.endswith("zlib.json")))
        if isinstance(event, Report.ActionRecorded):
            round_trip(payloads, event.action)
            read += 1
        elif isinstance(event, Report.Registered):
            round_trip(payloads, event.source)
    assert read


@settings(max_examples=300, deadline=None)
@given(action=actions("a1"))
def test_generated_actions_read_back_as_written(payloads: Payloads, action: ReportedAction) -> None:
    round_trip(payloads, action)


@settings(max_examples=100, deadline=None)
@given(report=reports("r1"))
def test_generated_sources_read_back_as_written(payloads: Payloads, report: Any) -> None:
    round_trip(payloads, report.source)


def test_recurring_values_are_one_object_and_kept_apart_by_type(payloads: Payloads) -> None:
    """Shared by an exact key: a whole-number coordinate is not the float one it equals."""
    span = DateSpan.day(date(2019, 7, 1))
    whole = Place("Tarmiyah", point=Point(44, 33))
    floating = Place("Tarmiyah", point=Point(44.0, 33.0))
    assert whole == floating
    first = payloads.decode(payloads.encode(span))
    assert payloads.decode(payloads.encode(span)) is first
    read_whole = payloads.decode(payloads.encode(whole))
    read_floating = payloads.decode(payloads.encode(floating))
    identical(read_whole, whole)
    identical(read_floating, floating)
    assert payloads.decode(payloads.encode(whole)) is read_whole


class Colour(enum.Enum):
    RED = "red"


@frozen
class Painted:
    colour: Colour
    anything: Any


def test_a_field_the_form_cannot_read_is_refused_when_the_functions_are_made() -> None:
    with pytest.raises(TypeError, match="reads no field of type"):
        Compact([Painted], [Painted])


def test_a_value_of_a_class_it_does_not_hold_is_refused(payloads: Payloads) -> None:
    with pytest.raises(TypeError, match="has no str"):
        payloads.encode("not a value")  # type: ignore[arg-type]
    round_trip(payloads, SourceRef("Rudaw", "https://rudaw.net/x", DateSpan.day(date(2019, 1, 1))))
