"""The ``incidents`` command: one module per concept, each adding its commands to ``main``.

Commands parse options, call ``incidents.service.Service`` and print with ``incidents.output``.
A command's module is imported only when the command is asked for (``group.COMMAND_MODULES``):
a query does not pay for the imports of the web server, the importers or the report-file reader.
"""

from __future__ import annotations

from incidents.cli.group import main

__all__ = ["main", "run"]


def run() -> None:
    """The console script's entry point."""
    main(standalone_mode=True)
