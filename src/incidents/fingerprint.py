"""A fingerprint of source texts: what says "the same code" for the read model's schema version
(``readmodel.schema``) and for a command trusting a running server (``cli.rendezvous``). Imports
``hashlib`` alone: a command through a server reads it before anything else."""

from __future__ import annotations

import hashlib

TYPE_CHECKING = False  # (typing is not imported: a command through a server needs none of it)
if TYPE_CHECKING:
    from collections.abc import Iterable


def fingerprint(sources: Iterable[tuple[str, bytes]]) -> str:
    """SHA-256 of named sources, each framed by its name and length (in the order given)."""
    digest = hashlib.sha256()
    for name, source in sources:
        digest.update(f"{name}\n{len(source)}\n".encode())
        digest.update(source)
    return digest.hexdigest()
