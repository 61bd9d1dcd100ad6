"""Encryption and compression at rest (``INCIDENTS_CIPHER_KEY``, ``INCIDENTS_COMPRESS``).

On SQLite and PostgreSQL alike: with a key the stored bytes do not contain what the reports say,
and read back with the key; with the wrong key, or none, the store is refused with a message that
names the setting. Compression makes the stored bytes smaller.
"""

from __future__ import annotations

import zlib
from base64 import b64decode
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic

from incidents.application import IncidentLog, Outcome
from incidents.cli.keys import new_key
from incidents.domain.report import Report
from incidents.formats.report_file import ReportContent
from incidents.ingest import ingest_contents
from incidents.projections.ledger import read_ledger
from incidents.storage.backends import store_environment
from incidents.storage.errors import StoreSettingsError
from incidents.storage.location import MemoryLocation, parse_location
from incidents.storage.mapper import written_as
from tests.builders import content, killed, read_entries, record
from tests.conftest import LogOpener
from tests.storage import raw
from tests.storage.synthetic import run_incidents

# Words of the Rudaw seed, and the key of its report: what must not be readable in the store.
PLAINTEXT = [b"Four ISIS militants were killed", b"rudaw-2019-08-28", b"Will of Victory"]

KEY = "INCIDENTS_CIPHER_KEY"
COMPRESS = "INCIDENTS_COMPRESS"


@pytest.fixture(autouse=True)
def plain_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with neither setting (whatever the developer's shell has)."""
    monkeypatch.delenv(KEY, raising=False)
    monkeypatch.delenv(COMPRESS, raising=False)


def stored_bytes(db: str) -> bytes:
    return b"".join(state for *_, state in raw.rows(db))


def load_seeds(db: str, seeds: list[ReportContent]) -> list[tuple[object, ...]]:
    log = IncidentLog.open(parse_location(db))
    try:
        ingest_contents(log, seeds)
        return [(entry.report.key, entry.action) for entry in read_entries(log)]
    finally:
        log.close()


def read_back(db: str) -> list[tuple[object, ...]]:
    log = IncidentLog.open(parse_location(db))
    try:
        return [(entry.report.key, entry.action) for entry in read_entries(log)]
    finally:
        log.close()


def test_without_settings_the_store_holds_plain_json(store: str, seed_contents: list[ReportContent]) -> None:
    """The control: what the next tests must not find is there when nothing is set."""
    load_seeds(store, seed_contents)
    everything = stored_bytes(store)
    assert all(words in everything for words in PLAINTEXT)


def test_with_a_key_the_stored_bytes_are_encrypted(
    store: str, seed_contents: list[ReportContent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY, new_key())
    written = load_seeds(store, seed_contents)
    everything = stored_bytes(store)
    assert [words for words in PLAINTEXT if words in everything] == []
    assert [written_as(state) for *_, state in raw.rows(store)] == [None] * len(raw.rows(store))  # no JSON
    assert read_back(store) == written  # with the key, everything reads back


@pytest.mark.parametrize("compress", [False, True])
def test_the_wrong_key_or_none_is_refused_naming_the_setting(
    store: str, seed_contents: list[ReportContent], monkeypatch: pytest.MonkeyPatch, compress: bool
) -> None:
    if compress:
        monkeypatch.setenv(COMPRESS, "zlib")
    monkeypatch.setenv(KEY, new_key())
    load_seeds(store, seed_contents)
    before = raw.rows(store)

    monkeypatch.setenv(KEY, new_key())
    with pytest.raises(StoreSettingsError, match=f"{KEY} is not the key this store was encrypted with"):
        IncidentLog.open(parse_location(store))
    monkeypatch.delenv(KEY)
    with pytest.raises(StoreSettingsError, match=f"the store is encrypted: set {KEY} to its key"):
        IncidentLog.open(parse_location(store))
    assert raw.rows(store) == before  # refused when opened: nothing was added with the wrong settings


def test_the_command_line_says_which_setting_is_wrong(
    store: str, seed_contents: list[ReportContent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY, new_key())
    load_seeds(store, seed_contents)
    monkeypatch.setenv(KEY, new_key())
    wrong = run_incidents(store, "totals")
    monkeypatch.delenv(KEY)
    missing = run_incidents(store, "load", "--quiet", "seeds")
    for completed in (wrong, missing):
        assert completed.returncode != 0
        assert KEY in completed.stderr
        assert "Traceback" not in completed.stderr
    assert "is not the key this store was encrypted with" in wrong.stderr
    assert "the store is encrypted: set INCIDENTS_CIPHER_KEY" in missing.stderr


def test_a_key_on_a_plain_store_is_refused(
    store: str, open_log: LogOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning encryption on for a store that has plain events would mix the two: refused."""
    record(open_log(), content("plain", "2019-08-28", [killed("2019-08-24", 1)]))
    monkeypatch.setenv(KEY, new_key())
    with pytest.raises(StoreSettingsError, match=f"the store is not encrypted, but {KEY} is set"):
        IncidentLog.open(parse_location(store))


def test_compression_shrinks_the_stored_bytes(
    store: str, seed_contents: list[ReportContent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COMPRESS, "zlib")
    written = load_seeds(store, seed_contents)
    states = [state for *_, state in raw.rows(store)]
    plain = [zlib.decompress(state) for state in states]  # zlib, and nothing else
    assert all(text.startswith(b"{") for text in plain)
    assert sum(map(len, states)) < sum(map(len, plain))
    assert read_back(store) == written


def test_compression_and_encryption_together(
    store: str, seed_contents: list[ReportContent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(COMPRESS, "zlib")
    monkeypatch.setenv(KEY, new_key())
    written = load_seeds(store, seed_contents)
    assert [words for words in PLAINTEXT if words in stored_bytes(store)] == []
    assert read_back(store) == written
    monkeypatch.delenv(COMPRESS)
    with pytest.raises(StoreSettingsError, match=f"the store is compressed: set {COMPRESS}=zlib"):
        IncidentLog.open(parse_location(store))


def test_compression_that_does_not_match_the_store_is_refused(
    store: str, open_log: LogOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    record(open_log(), content("plain", "2019-08-28", [killed("2019-08-24", 1)]))
    monkeypatch.setenv(COMPRESS, "zlib")
    with pytest.raises(StoreSettingsError, match=f"the store is not compressed, but {COMPRESS} is set"):
        IncidentLog.open(parse_location(store))


def insert_foreign_event(db: str, state: bytes) -> None:
    """Append, through a plain connection, the first event of a new report, with this state."""
    topic = get_topic(Report.Registered)
    foreign = uuid4()
    if raw.is_postgres(db):
        originator, state_literal = f"'{foreign}'", f"'\\x{state.hex()}'::bytea"
    else:
        originator, state_literal = f"'{foreign.hex}'", f"x'{state.hex()}'"
    raw.execute(
        db,
        "INSERT INTO {events} (originator_id, originator_version, topic, state) "
        f"VALUES ({originator}, 1, '{topic}', {state_literal})",
    )


def test_every_read_names_the_setting_not_only_the_first(store: str, open_log: LogOpener) -> None:
    """Opening checks the first and last events; every later read explains a failure too, e.g. of
    an event another process wrote with other settings while this one had the store open."""
    log = open_log()
    record(log, content("plain", "2019-08-28", [killed("2019-08-24", 1)]))
    insert_foreign_event(store, bytes(range(64)))
    with pytest.raises(StoreSettingsError, match=f"the store is encrypted: set {KEY} to its key"):
        read_entries(log)


def test_an_event_that_does_not_decode_is_not_blamed_on_the_settings(store: str, open_log: LogOpener) -> None:
    """The settings read the store, so an event that does not decode is the event's fault: it is
    set aside and reported (``Unreadable``), the rest of the log still reads, and the store still
    opens although it is the last event."""
    log = open_log()
    record(log, content("plain", "2019-08-28", [killed("2019-08-24", 1)]))
    insert_foreign_event(store, b'{"key": {"_type_": "no_such_transcoding", "_data_": 1}}')
    ledger = read_ledger(open_log())
    assert [entry.action.id for entry in ledger.entries] == ["k"]
    assert all("INCIDENTS_CIPHER_KEY" not in event.why for event in ledger.unreadable)


# --- The settings themselves ----------------------------------------------------------------------


def test_a_new_key_is_a_256_bit_key_and_never_the_same() -> None:
    keys = {new_key() for _ in range(20)}
    assert len(keys) == 20
    assert {len(b64decode(key)) for key in keys} == {32}


def test_incidents_keygen_prints_a_key_alone_on_standard_output() -> None:
    completed = run_incidents("memory:", "keygen")
    assert completed.returncode == 0, completed.stderr
    key = completed.stdout.strip()
    assert completed.stdout == key + "\n"
    assert len(b64decode(key)) == 32
    assert KEY in completed.stderr  # the advice goes to standard error


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({KEY: "not a key"}, f"{KEY} is not a valid key"),
        ({KEY: "c2hvcnQ="}, f"{KEY} is not a valid key"),  # base64, but 5 bytes
        ({COMPRESS: "lzma"}, f"{COMPRESS}='lzma' is not a compressor: use zlib"),
    ],
)
def test_invalid_settings_are_refused_with_the_fix(settings: dict[str, str], message: str) -> None:
    with pytest.raises(StoreSettingsError, match=message):
        store_environment(MemoryLocation(), settings)


def test_the_settings_become_the_librarys() -> None:
    key = new_key()
    assert store_environment(MemoryLocation(), {KEY: key, COMPRESS: "zlib"}) == {
        "PERSISTENCE_MODULE": "eventsourcing.popo",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": key,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
    }
    assert store_environment(MemoryLocation(), {COMPRESS: "none", KEY: ""}) == {
        "PERSISTENCE_MODULE": "eventsourcing.popo"
    }


def test_a_recorded_report_is_still_unchanged_with_encryption(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Encryption is not deterministic (a fresh nonce per event): idempotence compares digests, not bytes."""
    monkeypatch.setenv(KEY, new_key())
    report = content("again", "2019-08-28", [killed("2019-08-24", 3)])
    for expected in (Outcome.RECORDED, Outcome.UNCHANGED):
        log = IncidentLog.open(parse_location(store))
        try:
            assert record(log, report) is expected
        finally:
            log.close()
