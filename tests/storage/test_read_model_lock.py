"""The read model's writers take turns per store: on PostgreSQL the projector's lock is keyed by
the store's schema, so the read models of other stores in the same database never wait on it."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest

from incidents.readmodel.database import ReadModelDatabase
from incidents.storage.location import parse_location
from tests.conftest import _postgres_store


def _writer_done(db: str) -> threading.Event:
    """Begin and end a read-model write transaction on ``db`` in a thread; set when it has."""
    done = threading.Event()

    def write() -> None:
        database = ReadModelDatabase.open(parse_location(db))
        assert database is not None
        try:
            with database.write():
                done.set()
        finally:
            database.close()

    threading.Thread(target=write, daemon=True).start()
    return done


@pytest.mark.postgres
def test_a_writer_waits_for_its_own_stores_lock_only(postgres_store: str) -> None:
    holder = ReadModelDatabase.open(parse_location(postgres_store))
    assert holder is not None
    with contextmanager(_postgres_store)() as other_store:
        try:
            with holder.write():  # the projector's lock of the first store, held
                other = _writer_done(other_store)
                same = _writer_done(postgres_store)
                assert other.wait(timeout=10), "a writer of another schema waited on this one's lock"
                assert not same.wait(timeout=1), "two writers of one store did not take turns"
            assert same.wait(timeout=10)
        finally:
            holder.close()
