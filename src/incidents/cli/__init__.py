"""The ``incidents`` command: one module per concept, each adding its commands to ``main``."""

from __future__ import annotations

import sys

import click

from incidents.cli import amend, check, export, imports, keys, load, provenance, queries, readmodel, validate  # noqa: F401  (each registers its commands)
from incidents.cli.group import main
from incidents.domain.errors import IncidentsError

__all__ = ["main", "run"]


def run() -> None:
    """Entry point that turns our own errors into messages and exit code 1."""
    try:
        main(standalone_mode=True)
    except IncidentsError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
