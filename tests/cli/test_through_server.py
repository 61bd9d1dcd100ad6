"""Query commands answered by a running ``incidents serve`` of their store print exactly what they
print without it: the same bytes on standard output and standard error, the same exit code, for
every format and for bad options and values; a server that is killed leaves them to answer
themselves (docs/cli.md, "A running server answers")."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidents.cli import rendezvous
from incidents.cli.options import TableForATerminalError
from incidents.cli.serving import run_command
from incidents.service import Service
from tests.command import invoke
from tests.conftest import SEEDS
from tests.serving import console, environment, rendezvous_file, rendezvous_of, run, serving

COMMANDS = [
    ("totals",),
    ("totals", "--format", "json"),
    ("totals", "--format", "csv"),
    ("totals", "--format", "json", "--indent", "2"),
    ("totals", "--as-of", "2019-08", "--by", "actor,phase", "--format", "json"),
    ("totals", "--items", "together", "--known-at", "2019-08-01"),
    ("totals", "--recorded-at", "10", "--format", "csv"),
    ("areas",),
    ("areas", "--format", "json"),
    ("areas", "--format", "csv", "--as-of", "2019-07-15"),
    ("claims", "--format", "json"),
    ("claims",),
    ("strength", "--format", "json"),
    ("phases",),
    ("phases", "--format", "json"),
    ("conflicts", "--format", "json"),
    ("conflicts",),
    ("replay", "--until", "2019-08", "--format", "csv"),
    ("lag", "--by", "metric"),
    ("changes", "--format", "jsonl"),
    ("changes", "--since", "5", "--format", "json"),
    ("diff", "--from", "known-at=2019-07-31", "--format", "json"),
    # Bad options and values: the same message and exit code.
    ("totals", "--as-of", "nonsense"),
    ("totals", "--by", "nonsense"),
    ("totals", "--recorded-at", "9999"),
    ("totals", "--items", "bogus"),
    ("areas", "--format", "xml"),
    ("totals", "--bogus"),
    ("diff", "--from", "sideways=1"),
]


def seeds_in(folder: Path) -> Path:
    db = folder / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    assert invoke(db, "totals").exit_code == 0  # the read model caught up
    return db


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeds_in(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def answers_here(seeds_store: Path) -> dict[tuple[str, ...], tuple[int, bytes, bytes]]:
    """Every command's answer without a server."""
    answers = {}
    for command in COMMANDS:
        done = run("--db", str(seeds_store), *command)
        answers[command] = (done.returncode, done.stdout, done.stderr)
    return answers


@pytest.fixture(scope="module")
def served(
    seeds_store: Path, answers_here: dict[tuple[str, ...], tuple[int, bytes, bytes]]
) -> Iterator[Path]:
    """The seeds store with a server up (once every command has answered without it)."""
    with serving(seeds_store):
        yield seeds_store


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_server_answers_with_the_same_bytes(
    served: Path, answers_here: dict[tuple[str, ...], tuple[int, bytes, bytes]], command: tuple[str, ...]
) -> None:
    done = run("--db", str(served), *command)
    assert (done.returncode, done.stdout, done.stderr) == answers_here[command]


def test_verbose_says_the_server_answered(served: Path) -> None:
    done = run("--db", str(served), "--verbose", "totals", "--format", "json")
    assert done.returncode == 0
    assert b"answered by incidents serve at http://127.0.0.1:" in done.stderr
    assert f"(pid {rendezvous_of(served)['pid']})".encode() in done.stderr


def test_no_server_answers_here(served: Path) -> None:
    done = run("--db", str(served), "--no-server", "--verbose", "totals", "--format", "json")
    assert done.returncode == 0
    assert done.stderr == b"answered here: --no-server\n"
    told = run("--db", str(served), "--verbose", "totals", env=environment(INCIDENTS_NO_SERVER="1"))
    assert b"answered here: $INCIDENTS_NO_SERVER is set" in told.stderr


def test_other_settings_answer_here(served: Path) -> None:
    done = run(
        "--db",
        str(served),
        "--verbose",
        "totals",
        "--format",
        "json",
        env=environment(INCIDENTS_READ_MODEL="off"),
    )
    assert done.returncode == 0
    assert b"other settings" in done.stderr


def test_a_table_width_is_the_commands(
    served: Path, answers_here: dict[tuple[str, ...], tuple[int, bytes, bytes]]
) -> None:
    narrow = environment(COLUMNS="60")
    here = run("--db", str(served), "--no-server", "areas", env=narrow)
    there = run("--db", str(served), "--verbose", "areas", env=narrow)
    assert there.stderr.startswith(b"answered by incidents serve")
    assert there.stdout == here.stdout != answers_here[("areas",)][1]


def test_names_are_resolved_here(served: Path) -> None:
    done = run("--db", str(served), "--verbose", "areas", "--history", "Umm Najm")
    assert b"answered here: --history reads reference data" in done.stderr


def test_a_killed_server_leaves_the_command_to_answer(
    tmp_path: Path, answers_here: dict[tuple[str, ...], tuple[int, bytes, bytes]]
) -> None:
    seeds_store = seeds_in(tmp_path)
    with serving(seeds_store) as server:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        assert rendezvous_file(seeds_store).exists()  # killed: it could not remove it
        done = run("--db", str(seeds_store), "--verbose", "totals", "--format", "json")
    assert done.returncode == 0
    assert done.stdout == answers_here[("totals", "--format", "json")][1]
    assert b"answered here: stale" in done.stderr
    assert not rendezvous_file(seeds_store).exists()  # the stale file was removed


def test_a_stopped_server_removes_its_rendezvous(tmp_path: Path) -> None:
    seeds_store = seeds_in(tmp_path)
    with serving(seeds_store, "--token", "secret") as server:
        assert rendezvous_of(seeds_store)["store"] == f"sqlite:{os.path.realpath(seeds_store)}"
        server.send_signal(signal.SIGTERM)
        server.wait()
        assert not rendezvous_file(seeds_store).exists()


@pytest.mark.postgres
def test_a_postgres_store_is_answered_through_its_server(postgres_store: str, tmp_path: Path) -> None:
    """A PostgreSQL store's rendezvous is in the user's runtime folder, named by the store."""
    assert invoke(postgres_store, "load", "--quiet", str(SEEDS)).exit_code == 0
    env = environment(XDG_RUNTIME_DIR=str(tmp_path))
    key = rendezvous.store_key(postgres_store)
    assert key is not None
    written = Path(rendezvous.rendezvous_path(key, env))
    assert written.parent == tmp_path / "incidents"
    commands = [("totals", "--format", "json"), ("areas", "--format", "csv"), ("totals", "--by", "nonsense")]
    here = [run("--db", postgres_store, "--no-server", *command, env=env) for command in commands]
    with serving(postgres_store, env=env, written=written):
        there = [run("--db", postgres_store, "--verbose", *command, env=env) for command in commands]
    for answered_here, answered_there in zip(here, there, strict=True):
        assert answered_there.returncode == answered_here.returncode
        assert answered_there.stdout == answered_here.stdout
        assert answered_there.stderr.startswith(b"answered by incidents serve")
        assert answered_there.stderr.partition(b"\n")[2] == answered_here.stderr
    assert not written.exists()


def test_the_server_leaves_a_table_for_a_terminal_to_the_command(seeds_store: Path) -> None:
    """Run on the server for a command whose output is a terminal, a table is refused (the
    command draws it, as wide as its terminal); JSON is answered."""
    with Service.open(str(seeds_store)) as service:
        with pytest.raises(TableForATerminalError):
            run_command(service, ["totals"], "incidents", None, True)
        code, out, err = run_command(service, ["totals", "--format", "json"], "incidents", None, True)
        assert (code, err) == (0, b"")
        assert out == run("--db", str(seeds_store), "--no-server", "totals", "--format", "json").stdout
        narrow = run_command(service, ["areas"], "incidents", "50", False)[1]
        assert narrow == run("--db", str(seeds_store), "areas", env=environment(COLUMNS="50")).stdout


VILLAGES = 240  # more than width.BOXED_ROWS: the areas table is plain text, even on a terminal


def many_areas_in(folder: Path) -> Path:
    """A store of one report that clears ``VILLAGES`` villages: a long areas table."""
    actions = "".join(
        f"  - id: cleared-{n:03d}\n    type: area_cleared\n    occurred: 2019-07-{1 + n % 28:02d}\n"
        f"    area: Village {n:03d}\n    quote: Village {n:03d} was cleared.\n"
        for n in range(VILLAGES)
    )
    report = folder / "many-villages.yaml"
    report.write_text(
        "format: incidents/report v1\nid: many-villages\nsource:\n  outlet: Test Wire\n"
        "  url: https://example.org/many-villages\n  published: 2019-08-01\nactions:\n" + actions,
        encoding="utf-8",
    )
    db = folder / "villages.db"
    assert invoke(db, "load", "--quiet", str(report)).exit_code == 0
    return db


def on_a_terminal(*args: str, columns: int) -> tuple[int, bytes, bytes]:
    """``incidents ARGS`` with its standard output a terminal ``columns`` wide (a pseudo-terminal,
    $COLUMNS unset): exit code, what the terminal showed, standard error."""
    import fcntl
    import pty
    import struct
    import subprocess
    import termios

    main_end, terminal_end = pty.openpty()
    fcntl.ioctl(terminal_end, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {name: value for name, value in environment().items() if name != "COLUMNS"}
    process = subprocess.Popen(console(*args), stdout=terminal_end, stderr=subprocess.PIPE, env=env)
    os.close(terminal_end)
    shown = b""
    while True:
        try:
            chunk = os.read(main_end, 65536)
        except OSError:  # (the terminal is closed once the command has ended)
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_end)
    _, errors = process.communicate(timeout=120)
    return process.returncode, shown, errors


def test_a_long_table_for_a_terminal_is_drawn_by_the_server_as_wide_as_the_terminal(tmp_path: Path) -> None:
    db = many_areas_in(tmp_path)
    here = on_a_terminal("--db", str(db), "--no-server", "areas", columns=90)
    assert here[0] == 0
    assert here[1].count(b"Village") >= VILLAGES
    assert max(len(line) for line in here[1].splitlines()) <= 90
    with serving(db):
        there = on_a_terminal("--db", str(db), "--verbose", "areas", columns=90)
        short = on_a_terminal("--db", str(db), "--verbose", "totals", columns=90)
    assert there[2].startswith(b"answered by incidents serve")
    assert (there[0], there[1]) == (here[0], here[1])
    assert b"answered here" in short[2]
    assert b"short table for a terminal" in short[2]
    assert short[1] == on_a_terminal("--db", str(db), "--no-server", "totals", columns=90)[1]
