"""A read model scan streams its rows, on SQLite and PostgreSQL alike: every row, in order, a
chunk at a time, in the transaction's snapshot (PostgreSQL: a server-side cursor, so that a
rebuild's scans of a million rows do not hold them all in the client)."""

from __future__ import annotations

from incidents.readmodel.database import ReadModelDatabase


def test_a_stream_yields_every_row_in_order_in_chunks_and_the_transaction_goes_on(
    read_model_database: ReadModelDatabase,
) -> None:
    database = read_model_database
    try:
        with database.write() as tx:
            tx.execute("CREATE TABLE rm_stream_test (n BIGINT PRIMARY KEY, text TEXT NOT NULL)")
            tx.insert("rm_stream_test", ("n", "text"), [(n, f"row {n}") for n in range(1, 1001)])
        with database.read() as tx:
            streamed = list(
                tx.stream("SELECT n, text FROM rm_stream_test WHERE n > ? ORDER BY n", (10,), size=7)
            )
            after = tx.value("SELECT COUNT(*) FROM rm_stream_test")  # (the transaction goes on)
        assert streamed == [(n, f"row {n}") for n in range(11, 1001)]
        assert after == 1000
        with database.read() as tx:  # a stream left unfinished does not spoil the transaction
            first = next(iter(tx.stream("SELECT n FROM rm_stream_test ORDER BY n", size=3)))
            assert tx.value("SELECT MAX(n) FROM rm_stream_test") == 1000
        assert first == (1,)
    finally:
        with database.write() as tx:
            tx.execute("DROP TABLE rm_stream_test")
