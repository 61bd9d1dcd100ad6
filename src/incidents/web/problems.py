"""RFC 9457 problem details: how every error of the API is answered (``application/problem+json``),
and the document's shape for the OpenAPI description of a route's errors."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Response
from litestar.openapi import ResponseSpec

PROBLEM_JSON = "application/problem+json"
# The ``type`` of every problem: RFC 9457's "about:blank", the problem being the HTTP status's
# (its ``title``), told by ``detail`` and ``parameter``.
PROBLEM_TYPE = "about:blank"


def problem(status: int, detail: str, **extensions: Any) -> Response[str]:
    """An RFC 9457 problem details response: its title is the status's phrase (``about:blank``)."""
    title = HTTPStatus(status).phrase
    document = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail, **extensions}
    return Response(json.dumps(document, ensure_ascii=False), status_code=status, media_type=PROBLEM_JSON)


class ProblemDocument(msgspec.Struct, kw_only=True):
    """A problem (RFC 9457): what went wrong, and the parameter or body field at fault."""

    type: str = PROBLEM_TYPE
    title: str
    status: int
    detail: str
    parameter: str | None = None
    problems: list[str] | None = None  # a report file's problems, as the command line prints them


def problem_response(description: str) -> ResponseSpec:
    """The OpenAPI description of a route's problem answer."""
    return ResponseSpec(
        data_container=ProblemDocument,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )
