"""Questions that would look answered but are not: names that match nothing, stores that are not
there. On SQLite and PostgreSQL alike (issue 11, item 4)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from tests.command import invoke
from tests.conftest import ALIASES, POSTGRES_URL, SEEDS, schema_of

READ_ONLY = [
    ("totals",),
    ("areas",),
    ("replay",),
    ("claims",),
    ("strength",),
    ("conflicts",),
    ("explain", "killed", "--side", "ISIS"),
    ("history", "Karma"),
    ("export", "--format", "json"),
    ("validate", "--with-store", str(SEEDS)),
]


@pytest.fixture
def seeded(store: str) -> str:
    assert invoke(store, "load", "--quiet", str(SEEDS)).exit_code == 0
    return store


def _json(store: str, *args: str) -> object:
    result = invoke(store, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_side_resolves_through_the_aliases(seeded: str) -> None:
    isis = _json(seeded, "explain", "killed", "--side", "ISIS", "--aliases", str(ALIASES))
    daesh = _json(seeded, "explain", "killed", "--side", "Daesh", "--aliases", str(ALIASES))
    assert daesh == isis
    assert isis["rows"]  # type: ignore[index]


def test_a_side_resolves_through_the_aliases_found_here(seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS)  # aliases.yaml here
    assert _json(seeded, "explain", "killed", "--side", "Daesh") == _json(
        seeded, "explain", "killed", "--side", "ISIS"
    )


def test_a_side_that_matches_nothing_is_an_error_with_near_matches(seeded: str, tmp_path: Path) -> None:
    result = invoke(seeded, "explain", "killed", "--side", "ISSI", "--aliases", str(ALIASES))
    assert result.exit_code == 1
    assert "no side 'ISSI'" in result.output
    assert "did you mean ISIS" in result.output
    assert "Traceback" not in result.output
    assert invoke(seeded, "explain", "killed", "--side", "Martians").exit_code == 1


def test_an_area_resolves_through_the_aliases(seeded: str) -> None:
    by_alias = _json(seeded, "areas", "--history", "Garma", "--aliases", str(ALIASES))
    as_written = _json(seeded, "areas", "--history", "Karma", "--aliases", str(ALIASES))
    assert by_alias["rows"] == as_written["rows"] != []  # type: ignore[index]
    story = invoke(seeded, "history", "Garma", "--aliases", str(ALIASES))
    assert story.exit_code == 0, story.output
    unknown = invoke(seeded, "areas", "--history", "Atlantis")
    assert unknown.exit_code == 1
    assert "no area 'Atlantis'" in unknown.output
    assert invoke(seeded, "history", "Atlantis").exit_code != 0


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda command: command[0])
def test_a_read_only_command_never_creates_a_store(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "typo.db"
    result = invoke(db, *command)
    assert result.exit_code == 1, result.output
    assert f"no store at {db}; load or import creates one" in result.output
    assert not db.exists()


@pytest.mark.postgres
def test_a_schema_without_the_store_is_no_store(postgres_store: str) -> None:
    result = invoke(postgres_store, "totals")
    assert result.exit_code == 1
    assert "no store at" in result.output
    with psycopg.connect(POSTGRES_URL) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
            (schema_of(postgres_store),),
        ).fetchone()
    assert tables == (0,)


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute("INSERT INTO notes VALUES ('mine')")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("kind", ["text", "sqlite"])
@pytest.mark.parametrize(
    "command", [("totals",), ("load", "--quiet", str(SEEDS)), ("rebuild",)], ids=lambda c: c[0]
)
def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_is(
    tmp_path: Path, kind: str, command: tuple[str, ...]
) -> None:
    db = tmp_path / "notes.db"
    if kind == "text":
        db.write_text("my notes\n", encoding="utf-8")
    else:
        _foreign_sqlite(db)
    before = db.read_bytes()
    result = invoke(db, *command)
    assert result.exit_code == 1, result.output
    assert "not an incidents store" in result.output
    assert "Traceback" not in result.output
    assert db.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.db"]


def test_load_of_a_folder_without_report_files_is_an_error(store: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(store, "load", str(empty))
    assert result.exit_code == 1
    assert f"{empty}: no report files" in result.output
    assert invoke(store, "totals").exit_code == 1  # and no store was created


def test_bad_input_creates_no_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(SEEDS, bad)
    report = next(bad.glob("rudaw*.yaml"))
    report.write_text(
        report.read_text(encoding="utf-8").replace("count: 2", "count: two", 1), encoding="utf-8"
    )
    db = tmp_path / "new.db"
    assert invoke(db, "load", str(bad)).exit_code == 1
    assert not db.exists()


@pytest.mark.postgres
@pytest.mark.parametrize("command", [("totals",), ("load", "--quiet", str(SEEDS))], ids=lambda c: c[0])
def test_a_hostile_schema_name_is_an_identifier_never_sql(
    postgres_store: str, command: tuple[str, ...]
) -> None:
    schema = schema_of(postgres_store) or ""
    victim = sql.Identifier(schema, "victim")
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE TABLE {} (id int)").format(victim))
    hostile = f'{schema}"; DROP TABLE {schema}.victim; --'
    db = postgres_store.partition("?schema=")[0] + "?schema=" + quote(hostile, safe="")
    result = invoke(db, *command)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        assert connection.execute(sql.SQL("SELECT count(*) FROM {}").format(victim)).fetchone() == (0,)


def test_a_recorded_position_past_the_last_is_an_error(seeded: str) -> None:
    result = invoke(seeded, "totals", "--recorded-at", "999999")
    assert result.exit_code == 1
    assert "past the store's last position" in result.output


def test_an_unknown_read_model_setting_is_an_error_listing_the_accepted_ones(seeded: str) -> None:
    result = invoke(seeded, "totals", env={"INCIDENTS_READ_MODEL": "maybe"})
    assert result.exit_code == 1
    assert (
        "INCIDENTS_READ_MODEL='maybe': expected one of on, yes, 1, true, off, no, 0, false" in result.output
    )


def test_export_to_a_folder_that_does_not_exist_is_an_error(seeded: str, tmp_path: Path) -> None:
    result = invoke(seeded, "export", "--format", "json", "-o", str(tmp_path / "nowhere" / "x.json"))
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("totals", "--db", "x.db"), "write it before the command"),
        (("replay", "--as-of", "2019-08-01"), "--until"),
    ],
)
def test_a_misplaced_option_says_where_it_goes(tmp_path: Path, args: tuple[str, ...], hint: str) -> None:
    result = invoke(tmp_path / "s.db", *args)
    assert result.exit_code == 2
    assert hint in result.output
