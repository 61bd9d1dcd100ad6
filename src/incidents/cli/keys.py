"""``incidents keygen``: a new key for encrypting a store at rest (``INCIDENTS_CIPHER_KEY``)."""

from __future__ import annotations

import os
import secrets
from base64 import b64encode

import click

from incidents.cli.group import main
from incidents.service import CIPHER_KEY_VARIABLE, COMPRESS_VARIABLE

KEY_BYTES = 32  # AES-256


def new_key() -> str:
    """A random AES-256 key, in base64: what ``INCIDENTS_CIPHER_KEY`` takes."""
    return b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


@main.command()
def keygen() -> None:
    """Print a new key for encrypting a store at rest (AES-256-GCM).

    The key goes to standard output, alone, so that it can be captured:

        export INCIDENTS_CIPHER_KEY="$(incidents keygen)"

    Set it before the store is created, and keep it: the store cannot be read without it, and it
    is not stored anywhere.
    """
    click.echo(new_key())
    advice = [
        f"A new key for {CIPHER_KEY_VARIABLE} (AES-256-GCM). Keep it safe, e.g. in a password manager:",
        "a store encrypted with it cannot be read without it, and it is not stored anywhere.",
        f"Set it (and {COMPRESS_VARIABLE}=zlib if you like) before the store is created.",
    ]
    if os.environ.get(CIPHER_KEY_VARIABLE):
        advice.append(
            f"Note: {CIPHER_KEY_VARIABLE} is already set; stores encrypted with it still need that key."
        )
    click.echo("\n".join(advice), err=True)
