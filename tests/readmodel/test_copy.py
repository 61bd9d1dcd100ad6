"""The read model's bulk path (``Transaction.copy``: COPY on PostgreSQL, ``executemany`` on
SQLite) stores what an ``INSERT`` stores: texts with tabs, newlines, backslashes, quotes and
any script, big integers and NULLs, unchanged."""

from __future__ import annotations

from incidents.readmodel.database import ReadModelDatabase

TEXTS = ["plain", "tab\there", "new\nline", "back\\slash \\N", "quote \" and '", "كلمة 字 😀", "", "\\."]


def test_copied_rows_are_the_rows_inserted(read_model_database: ReadModelDatabase) -> None:
    database = read_model_database
    try:
        with database.write() as tx:
            tx.execute("CREATE TABLE rm_copy_test (n BIGINT, t TEXT, u TEXT)")
        rows = [(i, text, None if i % 2 else text[::-1]) for i, text in enumerate(TEXTS)]
        rows.append((2**62, None, "last"))
        with database.write() as tx:
            tx.copy("rm_copy_test", ("n", "t", "u"), rows)
            tx.copy("rm_copy_test", ("n", "t", "u"), [])
        with database.read() as tx:
            assert tx.rows("SELECT n, t, u FROM rm_copy_test ORDER BY n") == sorted(rows)
    finally:
        with database.write() as tx:
            tx.execute("DROP TABLE IF EXISTS rm_copy_test")
