"""The rendezvous between a query command and a running ``incidents serve`` (``cli/rendezvous.py``):
which store a ``--db`` names, what a stale, foreign or other-version file makes of a command, a
dead port, and what the server refuses."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incidents.cli import rendezvous
from incidents.storage.errors import StoreSettingsError
from incidents.storage.location import parse_location

ENVIRON = {"PATH": "/usr/bin"}
PROG = "incidents"


class Output(io.StringIO):
    """A standard stream for ``answer``: UTF-8, not a terminal."""

    encoding = "utf-8"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    db.write_bytes(b"")
    return db


def written(db: Path, **changes: Any) -> Path:
    """A rendezvous file for the store ``db`` as a live server of this code would write it, changed."""
    key = rendezvous.store_key(str(db))
    assert key is not None
    content = {
        "version": rendezvous.VERSION,
        "pid": os.getpid(),
        "host": "127.0.0.1",
        "port": closed_port(),
        "store": key,
        "code": rendezvous.code_fingerprint(),
        "key": "k" * 32,
    } | changes
    path = Path(rendezvous.rendezvous_path(key))
    path.write_text(json.dumps(content))
    return path


def closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True
    )
    return int(done.stdout)


def asked(store: Path, *args: str, environ: dict[str, str] | None = None) -> tuple[int | None, str]:
    out, err = Output(), Output()
    code = rendezvous.answer(["--db", str(store), *args], out, err, environ or ENVIRON, PROG)
    return code, rendezvous.declined


# --- Which store ----------------------------------------------------------------------------------


def test_a_sqlite_store_is_its_real_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "real.db").write_bytes(b"")
    (tmp_path / "link.db").symlink_to(tmp_path / "real.db")
    monkeypatch.chdir(tmp_path)
    real = f"sqlite:{os.path.realpath(tmp_path / 'real.db')}"
    assert rendezvous.store_key("real.db") == rendezvous.store_key("link.db") == real
    assert rendezvous.rendezvous_path(real) == os.path.realpath(tmp_path / "real.db") + "-server.json"


@pytest.mark.parametrize("text", ["memory:", "", "  ", "mysql://x/y", "http://host/db"])
def test_no_server_is_looked_for_elsewhere(text: str) -> None:
    assert rendezvous.store_key(text) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgresql://127.0.0.1/test",
        "postgres://alice:secret@db.example:6543/incidents?schema=team",
        "POSTGRESQL://bob@localhost/x%20y",
        "postgresql:///test",
        "postgresql://h/db?schema=",
        "postgresql://h/db?other=1",
        "postgresql://h/db?schema=a&schema=b",
        "postgresql://h/a/b",
        "postgresql://h:0/db",
        "postgresql://h:99999/db",
        "postgresql://h/db#frag",
        "postgresql://[::1/db",
        "postgresql://h/",
    ],
)
def test_a_postgres_store_is_as_the_store_describes_it(url: str) -> None:
    """A URL that names a store names it as the store says it (never with its password); one
    that does not is left to the command, which says what is wrong with it."""
    key = rendezvous.store_key(url)
    try:
        described = parse_location(url).describe()
    except StoreSettingsError:
        assert key is None
        return
    assert key == described
    assert "secret" not in described


def test_a_postgres_rendezvous_is_in_the_users_own_folder(tmp_path: Path) -> None:
    environ = {"XDG_RUNTIME_DIR": str(tmp_path)}
    key = "postgresql://postgres@127.0.0.1:5432/test"
    path, content = rendezvous.publish(key, "127.0.0.1", 8000, environ)
    assert Path(path).parent == tmp_path / "incidents"
    assert stat.S_IMODE((tmp_path / "incidents").stat().st_mode) == 0o700
    assert rendezvous.read_rendezvous(key, environ)[0] == content
    os.chmod(tmp_path / "incidents", 0o777)
    found, why = rendezvous.read_rendezvous(key, environ)
    assert found is None
    assert "not a folder of this user's own" in why


# --- The file -------------------------------------------------------------------------------------


def test_publish_writes_a_private_file_and_withdraw_removes_only_its_own(store: Path) -> None:
    key = rendezvous.store_key(str(store))
    assert key is not None
    path, content = rendezvous.publish(key, "0.0.0.0", 8123)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert content["host"] == "127.0.0.1"  # where a command reaches a server on every address
    assert json.loads(Path(path).read_text()) == content
    assert sorted(p.name for p in store.parent.iterdir()) == [
        store.name,
        Path(path).name,
    ]  # no temporary left
    _, newer = rendezvous.publish(key, "127.0.0.1", 8124)  # another server of the store started
    rendezvous.withdraw(path, content)
    assert json.loads(Path(path).read_text()) == newer
    rendezvous.withdraw(path, newer)
    assert not os.path.exists(path)


def test_no_file_no_server(store: Path) -> None:
    assert asked(store, "totals") == (None, f"no server of the store is up (no {store}-server.json)")


def test_a_stale_file_is_ignored_and_removed(store: Path) -> None:
    path = written(store, pid=dead_pid())
    code, why = asked(store, "totals", "--format", "json")
    assert code is None
    assert why.startswith(f"stale {path}: its server")
    assert not path.exists()


def test_a_file_of_another_store_is_ignored(store: Path, tmp_path: Path) -> None:
    path = written(store, store=f"sqlite:{tmp_path / 'other.db'}")
    code, why = asked(store, "totals")
    assert code is None
    assert why == f"{path} names another store (sqlite:{tmp_path / 'other.db'})"
    assert path.exists()  # its server is alive: not ours to remove


def test_a_server_of_other_code_is_ignored(store: Path) -> None:
    written(store, code="0" * 64)
    code, why = asked(store, "areas", "--format", "csv")
    assert code is None
    assert "runs other code than this command" in why


def test_a_file_of_another_version_is_ignored(store: Path) -> None:
    written(store, version=rendezvous.VERSION + 1)
    assert "is not a rendezvous this version reads" in asked(store, "totals")[1]


def test_a_dead_port_is_no_answer(store: Path) -> None:
    written(store)  # a live process (this one), but nothing listens on the port
    code, why = asked(store, "totals", "--format", "json")
    assert code is None
    assert "does not answer" in why


# --- What stays here ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "why"),
    [
        (["load", "seeds"], "load is not a query a server answers"),
        (["explain", "killed", "--side", "ISIS"], "explain is not a query a server answers"),
        (["areas", "--history", "Umm Najm"], "--history reads reference data from where the command runs"),
        (["phases", "--operation=Will of Victory"], "--operation reads reference data"),
        (["areas", "--province", "Anbar"], "--province reads reference data"),
        (["areas", "--province=Anbar,Diyala"], "--province reads reference data"),
        (["totals", "-h"], "help is written here"),
        (["--no-server", "totals"], "--no-server"),
        (["--version"], "--version is read here"),
        (["--db"], "--db needs a value"),
        ([], "no command"),
    ],
)
def test_what_is_answered_here(store: Path, argv: list[str], why: str) -> None:
    written(store)
    out, err = Output(), Output()
    args = argv if argv[:1] == ["--db"] else ["--db", str(store), *argv]
    assert rendezvous.answer(args, out, err, ENVIRON, PROG) is None
    assert rendezvous.declined.startswith(why)


def test_the_opt_out_variable(store: Path) -> None:
    written(store)
    assert asked(store, "totals", environ={"INCIDENTS_NO_SERVER": "1"})[1] == "$INCIDENTS_NO_SERVER is set"
    assert "does not answer" in asked(store, "totals", environ={"INCIDENTS_NO_SERVER": "0"})[1]


def test_a_table_for_a_terminal_is_asked_for_too(store: Path) -> None:
    """A server draws a long table as wide as the command's terminal (the command sends the
    width), and leaves a short one to rich here (``test_through_server``)."""

    class Terminal(Output):
        def isatty(self) -> bool:
            return True

    written(store)
    out = Terminal()
    assert rendezvous.answer(["--db", str(store), "totals"], out, Output(), ENVIRON, PROG) is None
    assert "does not answer" in rendezvous.declined
    rendezvous.answer(["--db", str(store), "totals", "--format=json"], out, Output(), ENVIRON, PROG)
    assert "does not answer" in rendezvous.declined


def test_the_db_option_and_variable(store: Path) -> None:
    read = rendezvous.group_arguments(["--db=x.db", "--verbose", "totals", "--db", "y"], {})
    assert read == ("x.db", ["totals", "--db", "y"], True)
    assert rendezvous.group_arguments(["totals"], {"INCIDENTS_DB": "z.db"}) == ("z.db", ["totals"], False)
    assert rendezvous.group_arguments(["totals"], {"INCIDENTS_DB": ""}) == ("incidents.db", ["totals"], False)


# --- What the server refuses ----------------------------------------------------------------------


def request(**changes: Any) -> dict[str, Any]:
    return {
        "version": rendezvous.VERSION,
        "args": ["totals", "--format", "json"],
        "prog": "incidents",
        "store": "sqlite:/s.db",
        "code": rendezvous.code_fingerprint(),
        "settings": rendezvous.settings_digest("k" * 32, ENVIRON),
        "columns": None,
        "terminal": False,
    } | changes


CONTENT = {"store": "sqlite:/s.db", "code": rendezvous.code_fingerprint(), "key": "k" * 32}


@pytest.mark.parametrize(
    ("key", "changes", "why"),
    [
        ("k" * 32, {}, None),
        ("x" * 32, {}, "not this server's key"),
        ("k" * 32, {"version": 0}, "a request of another version"),
        ("k" * 32, {"store": "sqlite:/other.db"}, "this server serves another store (sqlite:/s.db)"),
        ("k" * 32, {"code": "0" * 64}, "this server runs other code"),
        (
            "k" * 32,
            {"settings": rendezvous.settings_digest("k" * 32, {"INCIDENTS_READ_MODEL": "off"})},
            "this server runs with other settings (INCIDENTS_* variables, TZ)",
        ),
        ("k" * 32, {"args": ["load", "x.yaml"]}, "load is not a query a server answers"),
        ("k" * 32, {"args": ["areas", "--aliases", "a.yaml"]}, "--aliases reads reference data"),
        ("k" * 32, {"args": []}, "no command"),
    ],
)
def test_what_the_server_refuses(key: str, changes: dict[str, Any], why: str | None) -> None:
    refused = rendezvous.refusal(request(**changes), key, CONTENT, ENVIRON)
    assert refused == why or (why is not None and refused is not None and refused.startswith(why))


def test_the_settings_compared_are_the_stores_and_the_time_zone() -> None:
    key = "k" * 32
    same = rendezvous.settings_digest(key, {"INCIDENTS_DB": "a", "INCIDENTS_TOKEN": "t", "HOME": "/x"})
    assert same == rendezvous.settings_digest(key, {"INCIDENTS_DB": "b"})
    assert same != rendezvous.settings_digest(key, {"INCIDENTS_CIPHER_KEY": "c"})
    assert same != rendezvous.settings_digest(key, {"TZ": "Asia/Baghdad"})
    assert same != rendezvous.settings_digest("j" * 32, {})
