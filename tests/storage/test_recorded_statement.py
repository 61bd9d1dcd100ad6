"""What a rebuild reads faster, read as before.

An action's recorded JSON, cut out of its event's stored state without parsing it again
(``encoding.recorded_statement``, what a rebuild stores in ``rm_action``): the same text as the
read model's JSON member (``payloads.json_member``) and the transcoder's JSON of the action, for
every action the seeds record through both write paths; None for any state of another form. An
enum's member, found by its text: the one the enum's call finds."""

from __future__ import annotations

import enum
from typing import Any

import pytest

from incidents.application import IncidentLog
from incidents.domain.actions import AreaStatus, DisplacedUnit, Metric
from incidents.domain.report import Report
from incidents.domain.values import Precision
from incidents.ingest import ingest_contents
from incidents.readmodel.payloads import json_member
from incidents.storage.encoding import recorded_statement
from incidents.storage.location import MemoryLocation
from incidents.storage.transcodings import EnumAsValue, StoredPayloadError


@pytest.fixture(scope="module")
def recorded(seed_contents: list[Any]) -> list[tuple[bytes, dict[str, Any], Any]]:
    """Each action event of the seeds: its stored state, its members, its action."""
    log = IncidentLog.open(MemoryLocation())
    try:
        ingest_contents(log, seed_contents)
        found = []
        for notification in log.recorder.select_notifications(start=1, limit=100_000):
            event = log.mapper.to_domain_event(notification)
            if isinstance(event, Report.ActionRecorded):
                found.append((notification.state, dict(vars(event)), event.action))
                # the same event as the library's own mapper writes it
                again = log.mapper.to_stored_event(event).state
                found.append((again, dict(vars(log.mapper.to_domain_event(notification))), event.action))
        return found
    finally:
        log.close()


def test_the_cut_is_the_actions_json_for_every_recorded_action(
    recorded: list[tuple[bytes, dict[str, Any], Any]],
) -> None:
    transcoder = IncidentLog.open(MemoryLocation()).mapper.transcoder
    assert len(recorded) > 40
    for state, members, action in recorded:
        cut = recorded_statement(state, members, "action", action.kind)
        assert cut is not None
        assert cut == json_member(state.decode(), "action") == transcoder.encode(action).decode()


def test_a_state_of_another_form_is_not_cut(recorded: list[tuple[bytes, dict[str, Any], Any]]) -> None:
    state, members, action = recorded[0]
    text = state.decode()
    kind = action.kind
    assert recorded_statement(state, members, "action", kind) is not None
    member = json_member(text, "action")
    assert member is not None
    timestamp = json_member(text, "timestamp")
    assert timestamp is not None
    extra = {**members, "extra": 1}
    reordered = {"action": 1, "timestamp": 1, "originator_id": 1, "originator_version": 1}
    variants = {
        "a member after the action": (text[:-1] + ',"extra":1}', extra),
        "members in another order": ('{"action":' + member + ',"timestamp":' + timestamp + "}", reordered),
        "a space after the colon": (text.replace('"action":', '"action": '), members),
        "a space before the closing brace": (text[:-1] + " }", members),
        "a space after it": (text + " ", members),
        "a timestamp spelled with an escape": (text.replace('"_data_":"2', '"_data_":"\\u0032', 1), members),
        "a timestamp that is not compact": (
            text.replace('{"_type_":"datetime_iso",', '{"_type_": "datetime_iso",', 1),
            members,
        ),
    }
    for why, (variant, variant_members) in variants.items():
        assert variant != text, why
        assert recorded_statement(variant.encode(), variant_members, "action", kind) is None, why
    assert recorded_statement(state, members, "action", "another_kind") is None
    assert recorded_statement(state, members, "amendment", kind) is None


@pytest.mark.parametrize("enum_type", [Precision, Metric, AreaStatus, DisplacedUnit])
def test_an_enum_decodes_by_its_value_as_the_enum_itself_does(enum_type: type[enum.Enum]) -> None:
    """The members looked up by text (``EnumAsValue.by_text``) are those the enum's own call
    finds; any other value is refused as the enum's call refuses it."""
    transcoding = EnumAsValue(enum_type)
    for member in enum_type:
        assert transcoding.decode(member.value) is enum_type(member.value) is member
    for other in ("", "DAY", " day", 1, True, None, 1.5, ["day"], {"day": 1}):
        with pytest.raises(ValueError, match="is not a valid") as called:
            enum_type(other)
        with pytest.raises(StoredPayloadError) as refused:
            transcoding.decode(other)
        assert refused.value.__cause__.args == called.value.args
