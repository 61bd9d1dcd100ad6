"""The ``incidents`` command: one module per concept, each adding its commands to ``main``.

Commands parse options, call ``incidents.service.Service`` and print with ``incidents.output``.
"""

from __future__ import annotations

from incidents.cli import (  # noqa: F401  (each registers its commands)
    amend,
    changes,
    check,
    draft,
    export,
    imports,
    keys,
    load,
    provenance,
    queries,
    readmodel,
    serve,
    validate,
)
from incidents.cli.group import main

__all__ = ["main", "run"]


def run() -> None:
    """The console script's entry point."""
    main(standalone_mode=True)
