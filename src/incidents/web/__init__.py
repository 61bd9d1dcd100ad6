"""The HTTP API on the service, served by ``incidents serve``: ``create_app(service)``."""

from __future__ import annotations

from incidents.web.app import create_app

__all__ = ["create_app"]
