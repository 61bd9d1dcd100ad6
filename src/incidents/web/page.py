"""The page (``GET /``) and its files (``/static/...``), and the headers every response carries.

The page is one HTML file, a stylesheet and plain JavaScript modules in ``static/``, with the
browser libraries it uses vendored in ``static/vendor/`` (each with its licence) and the map's
polygons in ``static/map/`` (with their attribution): nothing is fetched from another host.

Every response, the API's too, carries ``SECURITY_HEADERS``: a Content-Security-Policy that lets
the page run only scripts, styles, images and requests from the server itself (no inline script,
no ``eval``), and the usual refusals of sniffing, framing and referrers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import MediaType, Response, get
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter
from litestar.types import Message, Scope

STATIC = Path(__file__).with_name("static")
STATIC_PATH = "/static"
INDEX = STATIC / "index.html"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@get("/", sync_to_thread=False, include_in_schema=False)
def index() -> Response[bytes]:
    """The workbench page: its state (the clocks, what is open) lives in its URL's query."""
    return Response(INDEX.read_bytes(), media_type=MediaType.HTML, headers={"cache-control": "no-cache"})


# The kinds of file the page is made of, by suffix: anything else in the folder is not served.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".geojson": "application/geo+json",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def static_file(relative: str) -> Path | None:
    """The page's file at ``relative`` (below ``STATIC``), or None: a path that leaves the folder,
    by ``..`` or a symbolic link, names no regular file, or is of a kind not served."""
    root = STATIC.resolve()
    try:
        found = (root / relative.lstrip("/")).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not found.is_relative_to(root) or not found.is_file() or found.suffix not in MEDIA_TYPES:
        return None
    return found


@get(f"{STATIC_PATH}/{{relative:path}}", sync_to_thread=False, include_in_schema=False)
def static(relative: Annotated[str, PathParameter(description="A file below static/.")]) -> Response[bytes]:
    """One of the page's files (its scripts, styles, vendored libraries and map polygons)."""
    found = static_file(relative)
    if found is None:
        raise NotFoundException(f"no file {relative!r} in the page's files")
    return Response(
        found.read_bytes(),
        media_type=MEDIA_TYPES[found.suffix],
        headers={"cache-control": "no-cache"},
    )


def page_routes() -> list[Any]:
    """The page and its files."""
    return [index, static]


async def add_security_headers(message: Message, _scope: Scope) -> None:
    """A ``before_send`` hook: ``SECURITY_HEADERS`` on every HTTP response, errors included."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
