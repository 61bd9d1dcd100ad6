"""A query command answered by a running ``incidents serve`` of the same store (docs/cli.md,
"A running server answers"; docs/web.md, "The rendezvous file").

``incidents serve`` writes a *rendezvous file* when it starts listening, and removes it when it
stops: beside a SQLite store (``STORE-server.json``), or for a PostgreSQL store in a folder of
the user's own (``$XDG_RUNTIME_DIR/incidents``, else ``/tmp/incidents-UID``, mode 0700), named
by a digest of the store. It says where the server listens, its process, the store it serves
(``store_key``), the code it runs (``code_fingerprint``: the package's source) and a secret
``key`` (the file is mode 0600): the server runs a command only for a request bearing that key.

A query command (``SERVED_COMMANDS``) first asks that server (``answer``), before it imports
click, the service or the store's library: it reads the file, checks that it names the same
store and the same code and that its process is alive, connects with a short timeout, and sends
the command's arguments. The server runs the very same click command in its own process, on its
own service (``incidents.cli.serving``), and answers with what the command printed on standard
output and standard error and its exit code; the command writes those bytes and exits with it.
Whatever goes wrong before that (no file, a stale one, another store, other code or settings, no
answer, a short table for a terminal, which rich draws here) leaves the command to answer here,
as it would without a server (the reason is kept in ``declined``, and ``--verbose`` says it). A
long table for a terminal is plain text as wide as the terminal: the command sends that width.

Only the standard library's ``json``, ``hashlib`` and ``socket`` are imported here (HTTP/1.1 on a
socket: ``post``): what a command needs when a server answers (``tests/cli/test_lean_imports.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys

from incidents.fingerprint import fingerprint
from incidents.output.width import table_width

TYPE_CHECKING = False  # (typing itself is not imported: a command through a server needs none of it)
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from typing import IO, Any

# The commands a running server answers: read-only queries whose answer depends on the store,
# the clocks and the options alone.
SERVED_COMMANDS = frozenset(
    {"totals", "areas", "claims", "strength", "phases", "conflicts", "replay", "lag", "changes", "diff"}
)
# Options that keep a command here: a file named relative to where the command runs, or a name
# resolved with the reference data found from there (the server reads its own at start), and help
# (as wide as the terminal).
HERE_OPTIONS = ("--aliases", "--history", "--operation", "--province")
HELP_OPTIONS = ("-h", "--help")
# The group's options, read here as click reads them.
DB_OPTION = "--db"
NO_SERVER_OPTION = "--no-server"
VERBOSE_OPTION = "--verbose"
DB_VARIABLE = "INCIDENTS_DB"
DEFAULT_DB = "incidents.db"
NO_SERVER_VARIABLE = "INCIDENTS_NO_SERVER"
# What click reads as false for a flag's environment variable (anything else it reads as true, or
# refuses: the command then answers here, where click says so).
FALSE_WORDS = ("", "0", "false", "f", "no", "n", "off")
# The settings that change an answer, compared between the command and the server: every
# INCIDENTS_ variable but these (the store is compared by itself; the token is the server's), and
# the time zone.
UNCOMPARED_VARIABLES = frozenset({DB_VARIABLE, "INCIDENTS_TOKEN", NO_SERVER_VARIABLE})
COMPARED_VARIABLES = ("TZ",)
MACHINE_FORMATS = ("json", "csv", "jsonl")

RENDEZVOUS_SUFFIX = "-server.json"
RUNTIME_FOLDER = "incidents"
ROUTE = "/api/command"
KEY_HEADER = "Incidents-Server-Key"
CONNECT_SECONDS = 0.5  # a server on this machine accepts at once, or is not there
ANSWER_SECONDS = 600.0  # a query the server is running (a long catch-up first) may take a while
VERSION = 1  # of the rendezvous file and of the request

# Why the last ``answer`` left the command to answer here (``--verbose`` says it).
declined = "not asked"


def store_key(text: str) -> str | None:
    """The store a ``--db`` text names, as the server and the command compare it: a SQLite
    file's real path (``sqlite:/abs/path``), or a PostgreSQL URL as the store describes it
    (``postgresql://user@host:port/dbname?schema=s``, no password); None for memory:, a URL of
    another kind, or one this reading does not take (the command then answers here, and says
    what is wrong with it if anything is)."""
    if not text.strip() or text == "memory:":
        return None
    scheme, separator, _ = text.partition("://")
    if separator and scheme.lower() in ("postgresql", "postgres"):
        return _postgres_key(text)
    if separator and scheme.isascii() and scheme.isalpha():
        return None
    try:
        return "sqlite:" + os.path.realpath(os.path.expanduser(text))
    except (OSError, ValueError):
        return None


def _postgres_key(text: str) -> str | None:
    """A PostgreSQL URL as ``PostgresLocation.describe`` writes it, for the URLs that read
    without a problem; None for any other (tests/cli/test_rendezvous.py compares the two)."""
    from urllib.parse import parse_qs, unquote, urlsplit

    try:
        url = urlsplit(text)
        port = url.port
        query = parse_qs(url.query, keep_blank_values=True, strict_parsing=True) if url.query else {}
    except ValueError:
        return None
    dbname = unquote(url.path.removeprefix("/"))
    if not dbname or "/" in dbname or url.fragment or port == 0 or set(query) - {"schema"}:
        return None
    schemas = query.get("schema", [])
    if len(schemas) > 1 or (schemas and not schemas[0]):
        return None
    user = unquote(url.username) if url.username else "postgres"
    schema = f"?schema={schemas[0]}" if schemas else ""
    return f"postgresql://{user}@{url.hostname or '127.0.0.1'}:{port or 5432}/{dbname}{schema}"


def runtime_folder(environ: Mapping[str, str] | None = None) -> str:
    """Where the rendezvous files of PostgreSQL stores are: the user's own folder."""
    environ = os.environ if environ is None else environ
    runtime = environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        return os.path.join(runtime, RUNTIME_FOLDER)
    return os.path.join(environ.get("TMPDIR", "").strip() or "/tmp", f"{RUNTIME_FOLDER}-{os.getuid()}")


def rendezvous_path(key: str, environ: Mapping[str, str] | None = None) -> str:
    """The rendezvous file of the store ``key``: beside a SQLite file; in ``runtime_folder``
    for a PostgreSQL store."""
    if key.startswith("sqlite:"):
        return key.removeprefix("sqlite:") + RENDEZVOUS_SUFFIX
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return os.path.join(runtime_folder(environ), f"{digest}.json")


def private_folder(folder: str) -> bool:
    """Whether ``folder`` is the user's own and nobody else may write in it."""
    try:
        found = os.stat(folder)
    except OSError:
        return False
    return found.st_uid == os.getuid() and not found.st_mode & 0o022


_fingerprint: str | None = None


def code_fingerprint() -> str:
    """The code this process runs: SHA-256 of every module of the ``incidents`` package (path,
    length and source), the Python version and the environment's prefix. The server computes it
    when it starts; a command whose files differ (edited since, another checkout) answers here."""
    global _fingerprint
    if _fingerprint is None:
        _fingerprint = fingerprint([("python", f"{sys.version}\n{sys.prefix}".encode()), *_package_sources()])
    return _fingerprint


def _package_sources() -> Iterator[tuple[str, bytes]]:
    """Every module of the ``incidents`` package, by its path in the package, in a fixed order."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, "rb") as source:
                    yield os.path.relpath(path, root), source.read()


def settings_digest(key: str, environ: Mapping[str, str]) -> str:
    """The settings that change an answer (``UNCOMPARED_VARIABLES``, ``COMPARED_VARIABLES``),
    digested with the server's key (the digest of a cipher key tells nothing without it)."""
    chosen = sorted(
        (name, value)
        for name, value in environ.items()
        if (name.startswith("INCIDENTS_") and name not in UNCOMPARED_VARIABLES) or name in COMPARED_VARIABLES
    )
    return hashlib.sha256(f"{key}\n{json.dumps(chosen)}".encode()).hexdigest()


def kept_here(command: str, args: Sequence[str]) -> str | None:
    """Why the command ``command`` with ``args`` is answered here whatever runs (None: a server
    of its store may answer it). The server asks the same of every request."""
    if command not in SERVED_COMMANDS:
        return f"{command} is not a query a server answers"
    for arg in args:
        if arg in HELP_OPTIONS:
            return "help is written here"
        option = arg.partition("=")[0]
        if option in HERE_OPTIONS:
            return f"{option} reads reference data from where the command runs"
    return None


def machine_format(args: Sequence[str]) -> bool:
    """Whether ``args`` ask for JSON, CSV or a feed (not a table) by ``--format``."""
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--format" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--format="):
            chosen = arg.partition("=")[2]
    return chosen in MACHINE_FORMATS


def _program_name(argv0: str) -> str | None:
    """The name click gives the program in its messages, where this reading is sure of it (a
    console script or ``python -c``); None for ``python -m`` (the command then answers here)."""
    main = sys.modules.get("__main__")
    if getattr(main, "__package__", None) not in (None, ""):
        return None
    return os.path.basename(argv0)


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def read_rendezvous(key: str, environ: Mapping[str, str] | None = None) -> tuple[dict[str, Any] | None, str]:
    """The rendezvous of the server of the store ``key`` if one is up, or None and why not. A
    file whose process is gone is stale, and removed."""
    path = rendezvous_path(key, environ)
    if not key.startswith("sqlite:") and not private_folder(os.path.dirname(path)):
        return None, f"no server: {os.path.dirname(path)} is not a folder of this user's own"
    try:
        with open(path, encoding="utf-8") as file:
            found = json.load(file)
    except FileNotFoundError:
        return None, f"no server of the store is up (no {path})"
    except (OSError, ValueError) as error:
        return None, f"cannot read {path}: {error}"
    if not isinstance(found, dict) or found.get("version") != VERSION:
        return None, f"{path} is not a rendezvous this version reads"
    if not _alive(found.get("pid")):
        with contextlib.suppress(OSError):
            os.remove(path)
        return None, f"stale {path}: its server (pid {found.get('pid')}) is gone; removed"
    if found.get("store") != key:
        return None, f"{path} names another store ({found.get('store')})"
    if found.get("code") != code_fingerprint():
        return None, f"the server (pid {found.get('pid')}) runs other code than this command"
    if not isinstance(found.get("host"), str) or not isinstance(found.get("port"), int):
        return None, f"{path} does not say where the server listens"
    if not isinstance(found.get("key"), str):
        return None, f"{path} has no key"
    return found, ""


def group_arguments(argv: Sequence[str], environ: Mapping[str, str]) -> tuple[str, list[str], bool] | str:
    """The store text, the command's arguments (the command first) and whether --verbose was
    given, as the group would read ``argv``; or why the command is answered here."""
    db = environ.get(DB_VARIABLE) or DEFAULT_DB
    verbose = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == DB_OPTION:
            if i + 1 >= len(argv):
                return "--db needs a value"
            db, i = argv[i + 1], i + 2
            continue
        if arg.startswith(DB_OPTION + "="):
            db = arg.partition("=")[2]
        elif arg == NO_SERVER_OPTION:
            return "--no-server"
        elif arg == VERBOSE_OPTION:
            verbose = True
        elif arg.startswith("-"):
            return f"{arg} is read here"
        else:
            return db, list(argv[i:]), verbose
        i += 1
    return "no command"


def answer(
    argv: Sequence[str],
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
    prog: str | None = None,
) -> int | None:
    """Have a running server of the store answer the command ``argv`` (the arguments after the
    program's name, ``prog``: by default as click names it): its exit code once its output is
    written on ``stdout`` and ``stderr``, or None (and ``declined`` says why) when the command
    is to answer here."""
    global declined
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    environ = os.environ if environ is None else environ
    prog = _program_name(sys.argv[0] if sys.argv else "incidents") if prog is None else prog
    reason, answered = _asked(argv, stdout, stderr, environ, prog)
    declined = reason
    return answered


def _asked(
    argv: Sequence[str], stdout: IO[str], stderr: IO[str], environ: Mapping[str, str], prog: str | None
) -> tuple[str, int | None]:
    if environ.get(NO_SERVER_VARIABLE, "").strip().lower() not in FALSE_WORDS:
        return f"${NO_SERVER_VARIABLE} is set", None
    read = group_arguments(argv, environ)
    if isinstance(read, str):
        return read, None
    db, args, verbose = read
    here = kept_here(args[0], args[1:])
    if here:
        return here, None
    terminal = _isatty(stdout)
    columns = environ.get("COLUMNS")
    if terminal and not machine_format(args[1:]):
        # (a long table is plain text as wide as this terminal: the server draws it so; a short
        # one it leaves to be drawn here, with rich)
        columns = str(table_width(stdout, environ))
    if (getattr(stdout, "encoding", None) or "").lower().replace("-", "") != "utf8":
        return "standard output is not UTF-8", None
    if prog is None:
        return "run with python -m", None
    key = store_key(db)
    if key is None:
        return f"no server is looked for for the store {db}", None
    server, why = read_rendezvous(key, environ)
    if server is None:
        return why, None
    request = {
        "version": VERSION,
        "args": args,
        "prog": prog,
        "store": key,
        "code": code_fingerprint(),
        "settings": settings_digest(server["key"], environ),
        "columns": columns,
        "terminal": terminal,
    }
    where = f"http://{server['host']}:{server['port']}/ (pid {server['pid']})"
    try:
        status, body = post(server["host"], server["port"], json.dumps(request).encode(), server["key"])
    except OSError as error:
        return f"the server at {where} does not answer: {error}", None
    if status != 200:
        text = body.decode("utf-8", "replace").strip()[:200]
        return f"the server at {where} left it here: HTTP {status} {text}", None
    header, _newline, rest = body.partition(b"\n")
    try:
        framing = json.loads(header)
        code, told = int(framing["exit"]), int(framing["stderr"])
    except (ValueError, KeyError, TypeError):
        return f"the server at {where} answered something else", None
    if verbose:
        _write(stderr, f"answered by incidents serve at {where}\n".encode())
    _write(stderr, rest[:told])
    _write(stdout, rest[told:])
    return "", code


def post(host: str, port: int, body: bytes, key: str) -> tuple[int, bytes]:
    """``POST ROUTE`` with the JSON ``body`` to the server at ``host``:``port``, one request on
    one connection (HTTP/1.1, ``Connection: close``): the status and the body of the answer.
    Connecting waits ``CONNECT_SECONDS`` at most. OSError for no answer, or one this does not
    read (no status line, no ``Content-Length``, fewer bytes than it says).

    (A socket rather than ``http.client``, whose imports (email, ssl) cost a command that a
    server answers about a third of its CPU time.)"""
    import socket

    head = (
        f"POST {ROUTE} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{KEY_HEADER}: {key}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, port), timeout=CONNECT_SECONDS) as connection:
        connection.settimeout(ANSWER_SECONDS)
        connection.sendall(head.encode("ascii") + body)
        chunks = []
        while chunk := connection.recv(1 << 20):
            chunks.append(chunk)
    answer = b"".join(chunks)
    header, separator, content = answer.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if not separator or len(status_line) < 2 or not status_line[0].startswith("HTTP/"):
        raise OSError("not an HTTP answer")
    fields = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])
    }
    length = fields.get("content-length", "")
    if not status_line[1].isdigit() or not length.isdigit() or len(content) != int(length):
        raise OSError("an HTTP answer without its length, or cut short")
    return int(status_line[1]), content


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _write(stream: IO[str], data: bytes) -> None:
    if not data:
        return
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))
        stream.flush()


# --- The server's side (incidents serve) ------------------------------------------------------


def publish(
    key: str, host: str, port: int, environ: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any]]:
    """Write the rendezvous of a server of the store ``key`` listening on ``host``:``port``
    (atomically: a new file moved over any old one, mode 0600); its path and content. OSError
    where the file cannot be written (the server serves on; commands answer themselves)."""
    import secrets
    import tempfile

    path = rendezvous_path(key, environ)
    folder = os.path.dirname(path)
    if not key.startswith("sqlite:"):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not private_folder(folder):
            raise PermissionError(f"{folder} is not a folder of this user's own (mode 0700)")
    content = {
        "version": VERSION,
        "pid": os.getpid(),
        "host": connect_host(host),
        "port": port,
        "store": key,
        "code": code_fingerprint(),
        "key": secrets.token_hex(16),
    }
    handle, temporary = tempfile.mkstemp(prefix=".incidents-server-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:  # (mkstemp: mode 0600)
            json.dump(content, file)
        os.replace(temporary, path)
    except BaseException:
        os.remove(temporary)
        raise
    return path, content


def withdraw(path: str, content: Mapping[str, Any]) -> None:
    """Remove the rendezvous file at ``path`` if it is still this server's (another server of the
    same store may have started since, and written its own)."""
    try:
        with open(path, encoding="utf-8") as file:
            found = json.load(file)
        if isinstance(found, dict) and found.get("key") == content["key"]:
            os.remove(path)
    except (OSError, ValueError):
        pass


def connect_host(host: str) -> str:
    """Where a command on this machine reaches a server listening on ``host``."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def refusal(request: Any, key: str, content: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """Why the server of the rendezvous ``content`` (its settings ``environ``, as it started)
    leaves the ``request`` bearing ``key`` to the command; None where it runs it."""
    import hmac

    if not hmac.compare_digest(key.encode(), str(content["key"]).encode()):
        return "not this server's key"
    if not isinstance(request, dict) or request.get("version") != VERSION:
        return "a request of another version"
    args = request.get("args")
    if not isinstance(args, list) or not args or not all(isinstance(arg, str) for arg in args):
        return "no command"
    if not isinstance(request.get("prog"), str) or not isinstance(request.get("columns"), str | None):
        return "a request without its program's name"
    if request.get("store") != content["store"]:
        return f"this server serves another store ({content['store']})"
    if request.get("code") != content["code"]:
        return "this server runs other code"
    if request.get("settings") != settings_digest(str(content["key"]), environ):
        return "this server runs with other settings (INCIDENTS_* variables, TZ)"
    return kept_here(args[0], args[1:])


def framed(code: int, out: bytes, err: bytes) -> bytes:
    """A command's answer as the server sends it: a JSON line (exit code, length of standard
    error), standard error, standard output."""
    return json.dumps({"exit": code, "stderr": len(err)}).encode() + b"\n" + err + out
