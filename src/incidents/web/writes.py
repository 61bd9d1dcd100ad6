"""Writes over the API: loading a report file and the four amendments, only where the server was
started with a token (``incidents serve --token``, or ``INCIDENTS_TOKEN``) and the request carries
it (``Authorization: Bearer <token>``). No cookie is ever read, so a page of another site cannot
write through a user's browser (nothing to forge: CSRF-safe).

Each write goes through the service as the command line's does (``Service.load_text``,
``Service.amend``): the same checks, the same messages (problems naming the field), all or nothing.
"""

from __future__ import annotations

import getpass
import hmac
from datetime import UTC, date, datetime
from typing import Annotated, Any

from litestar import Request, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.params import Parameter, PathParameter

from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.gazetteer import NameIndex
from incidents.runtime import TOKEN_VARIABLE
from incidents.service import Amended, Loaded, Service, parse_settings
from incidents.service import Attribution as AmendmentAttribution

# The amendment each route records (by the CLI command's name), as a report file names it.
AMENDMENTS = {"correct": "correction", "retract": "retraction", "link": "duplicate", "prefer": "preference"}
ATTRIBUTION_FIELDS = ("by", "outlet", "url", "published", "title", "quote")
# What each amendment's JSON body holds besides its attribution (as the CLI's arguments).
AMENDMENT_FIELDS = {
    "correct": ("target", "set", "reason"),
    "retract": ("target", "reason"),
    "link": ("same", "reason"),
    "prefer": ("target", "reason"),
}


def bearer_guard(token: str | None) -> Any:
    """A guard: 403 where the server takes no writes (no token), 401 without the right bearer."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        if not token:
            raise PermissionDeniedException(
                f"writes are off: start incidents serve with --token (or {TOKEN_VARIABLE}) to allow them"
            )
        scheme, _, given = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise NotAuthorizedException(
                "writes need the server's token: Authorization: Bearer <token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return guard


def _bad(field: str | None, message: str) -> InvalidInputError:
    return InvalidInputError([InputProblem("<request>", None, field, message)])


def _loaded_document(loaded: list[Loaded], position: int) -> dict[str, Any]:
    return {
        "reports": [
            {
                "report": item.report.key,
                "file": item.report.file,
                "outcome": item.outcome.value,
                "actions": len(item.report.actions),
                "flagged": list(item.report.notes),
            }
            for item in loaded
        ],
        "position": position,
    }


def _amended_document(amended: Amended) -> dict[str, Any]:
    return {
        "kind": amended.kind,
        "report": amended.report.key,
        "outcome": amended.outcome.value,
        "flagged": list(amended.report.notes),
        "position": amended.position,
    }


def _text(body: dict[str, Any], field: str) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(field, f"expected text, got {type(value).__name__}")
    return value


def _attribution(body: dict[str, Any]) -> AmendmentAttribution:
    outlet = _text(body, "outlet")
    if outlet is None and any(body.get(name) for name in ("url", "published", "title")):
        raise _bad("outlet", "url, published and title describe a published source: give outlet too")
    published_text = _text(body, "published")
    try:
        published = date.fromisoformat(published_text) if published_text else None
    except ValueError:
        raise _bad("published", f"expected a day like 2019-08-28, got {published_text!r}") from None
    return AmendmentAttribution(
        analyst=_text(body, "by") or getpass.getuser(),
        made_on=datetime.now(UTC).date(),
        outlet=outlet,
        url=_text(body, "url"),
        published=published,
        title=_text(body, "title"),
    )


def _amendment_fields(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    allowed = (*AMENDMENT_FIELDS[kind], *ATTRIBUTION_FIELDS)
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise _bad(unknown[0], f"unknown field {unknown[0]!r}; expected any of: {', '.join(allowed)}")
    fields: dict[str, Any] = {}
    for name in AMENDMENT_FIELDS[kind]:
        value = body.get(name)
        if name in ("set", "same"):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise _bad(name, f"expected a list of texts, got {value!r}")
            if name == "same" and len(set(value)) < 2:
                raise _bad(name, "name at least two different actions to link")
            fields["changes" if name == "set" else name] = parse_settings(value) if name == "set" else value
        else:
            fields[name] = _text(body, name)
    return {**fields, "quote": _text(body, "quote")}


def write_routes(service: Service, token: str | None, names: NameIndex | None = None) -> list[Any]:
    guard = bearer_guard(token)

    @post("/api/reports", guards=[guard], status_code=200)
    async def load_report(
        request: Request[Any, Any, Any],
        name: str = Parameter(str, description="The file's name (.yaml, .yml or .json): messages name it."),
    ) -> dict[str, Any]:
        """Load one report file (or a YAML or JSON export), sent as the request's body: checked as
        ``incidents load`` checks files, then recorded; nothing is written on any problem."""
        data = await request.body()
        loaded = service.load_text(name, data, names=names)
        return _loaded_document(loaded, service.position())

    @post("/api/amendments/{kind:str}", guards=[guard], status_code=200)
    async def amend(
        request: Request[Any, Any, Any],
        kind: Annotated[str, PathParameter(description="correct, retract, link or prefer.")],
    ) -> dict[str, Any]:
        """Record a correction, retraction, duplicate link or preference (JSON body: the CLI's
        arguments and options by name), as ``incidents correct|retract|link|prefer`` does."""
        if kind not in AMENDMENTS:
            raise _bad("kind", f"unknown amendment {kind!r}; expected one of: {', '.join(AMENDMENTS)}")
        try:
            body = await request.json()
        except ValueError as error:
            raise _bad(None, f"expected a JSON object: {error}") from None
        if not isinstance(body, dict):
            raise _bad(None, f"expected a JSON object, got {type(body).__name__}")
        fields = _amendment_fields(kind, body)
        amended = service.amend(AMENDMENTS[kind], fields, attribution=_attribution(body), names=names)
        return _amended_document(amended)

    return [load_report, amend]
