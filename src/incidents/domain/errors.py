"""Domain exceptions."""

from __future__ import annotations


class IncidentsError(Exception):
    """Base class of every error this package raises on purpose."""


class ReportConflictError(IncidentsError):
    """A report with this key is already recorded, with different content."""

    def __init__(self, key: str, recorded_digest: str, new_digest: str) -> None:
        super().__init__(
            f"report {key!r} is already recorded with different content "
            f"(recorded {recorded_digest[:12]}, this file {new_digest[:12]}); "
            "recorded reports are never overwritten: give the revised report its own id"
        )
        self.key = key
