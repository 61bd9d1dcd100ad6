"""The ``incidents`` command: one module per concept, each adding its commands to ``main``.

Commands parse options, call ``incidents.service.Service`` and print with ``incidents.output``.
A command's module is imported only when the command is asked for (``group.COMMAND_MODULES``):
a query does not pay for the imports of the web server, the importers or the report-file reader.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (the console script imports no typing before it asks a server)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["main", "run"]


def __getattr__(name: str) -> Any:
    """``main``, the click group, imported when asked for: the console script first asks a
    running server (``run``), which needs neither click nor the service."""
    if name == "main":
        from incidents.cli.group import main

        globals()["main"] = main
        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> None:
    """The console script's entry point: a query is answered by a running ``incidents serve``
    of its store where one is up (``rendezvous.answer``), else here (the cycle collector set up
    for a command: ``runtime.tune_for_a_command``)."""
    from incidents.cli import rendezvous
    from incidents.runtime import tune_for_a_command

    tune_for_a_command()
    try:
        code = rendezvous.answer(sys.argv[1:])
    except BrokenPipeError:  # the reader went away (| head): exit 1 quietly, as click does
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    if code is not None:
        sys.exit(code)
    from incidents.cli.group import main

    main(standalone_mode=True)
