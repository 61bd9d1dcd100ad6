"""The JSON API: one GET endpoint per query under ``/api/`` (docs/cli.md, "incidents serve").

Each endpoint answers with exactly the document ``incidents <query> --format json`` prints: the
same ``Result`` (``incidents.output.rows``), made a document by ``output.render.json_document``
and written by ``json_text``. The three clocks are the query parameters ``as_of``, ``known_at``
and ``recorded_at``, read as the command line reads them (``service.clock_day``,
``service.recorded_clock``); groupings are ``by`` (``service.groupings``).

Errors are RFC 9457 problem details (``application/problem+json``) with the query parameter at
fault as the extension member ``parameter``: 400 for bad input, 404 for an unknown route or
subject, never a 500 for bad input. The OpenAPI document is at ``OPENAPI_PATH``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any, TypeVar

from litestar import Litestar, MediaType, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, HTTPException, SerializationException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import Parameter, PathParameter, QueryParameter

from incidents.domain.actions import Metric
from incidents.domain.errors import IncidentsError
from incidents.formats.errors import InvalidInputError
from incidents.formats.registry import WRITERS
from incidents.output import rows
from incidents.output.render import json_document, json_text
from incidents.output.rows import Result
from incidents.service import (
    NoStoreError,
    Service,
    UnknownNameError,
    UnknownSubjectError,
    Viewpoint,
    clock_day,
    diff_side,
    groupings,
    recorded_clock,
)
from incidents.web.drafts import draft_routes
from incidents.web.page import add_security_headers, page_routes
from incidents.web.problems import problem
from incidents.web.writes import write_routes

# Where the OpenAPI document is served: OPENAPI_PATH + "/openapi.json" (and a page that reads it
# at OPENAPI_PATH itself). Not "/api": its page's catch-all route would answer every unknown /api/
# route with HTML instead of a problem.
OPENAPI_PATH = "/api/docs"
# The largest request body the server reads (a report file or an amendment): larger is a 413.
MAX_BODY_BYTES = 2 * 1024 * 1024
T = TypeVar("T")
# The route option that names the query or path parameter a route resolves a name from, so that
# an unknown name's problem says which parameter held it.
NAMED_BY = "named_by"

# How Litestar says a required parameter is missing (it names the parameter only in words).
MISSING_PARAMETER = re.compile(r"Missing required (?:query|path) parameter '(?P<name>\w+)'")
# How msgspec names a JSON body's field it found missing or unknown (the key is then "data").
BODY_FIELD = re.compile(r"field `(?P<name>[^`]+)`")

CLOCK_PARAMETERS: dict[str, Callable[[str], Any]] = {
    "as_of": clock_day,
    "known_at": clock_day,
    "recorded_at": recorded_clock,
}


class BadParameterError(Exception):
    """A query parameter that does not read: a 400 problem naming it."""

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


def _viewpoint(as_of: str | None, known_at: str | None, recorded_at: str | None) -> Viewpoint:
    given = {"as_of": as_of, "known_at": known_at, "recorded_at": recorded_at}
    clocks: dict[str, Any] = {}
    for name, text in given.items():
        if text is None or not text.strip():
            clocks[name] = None
            continue
        try:
            clocks[name] = CLOCK_PARAMETERS[name](text)
        except ValueError as error:
            raise BadParameterError(name, str(error)) from None
    return Viewpoint(clocks["as_of"], clocks["known_at"], clocks["recorded_at"])


def _parsed(parameter: str, text: str | None, read: Callable[[str], T]) -> T | None:
    """A query parameter read as its option reads it (None if not given), or a 400 naming it."""
    if text is None or not text.strip():
        return None
    try:
        return read(text)
    except ValueError as error:
        raise BadParameterError(parameter, str(error)) from None


def _answer(result: Result) -> Response[str]:
    """A query's document, as ``--format json`` writes it."""
    return Response(json_text(json_document(result)), media_type=MediaType.JSON)


# Every query's clocks, as query parameters of its handler.
AS_OF = Parameter(str, required=False, description="Occurred clock: a day, a month or a year (by its end).")
KNOWN_AT = Parameter(
    str, required=False, description="Reported clock: a day, a month or a year (by its end)."
)
RECORDED_AT = Parameter(str, required=False, description="Recorded clock: a store time or position.")
BY = Parameter(list[str], required=False, description="Group by, comma-separated or repeated.")
ITEMS_PARAMETER = Parameter(
    str,
    default="apart",
    required=False,
    description="Materiel: each item its own row (apart), or all items summed (together).",
)
RUNNING_PARAMETER = Parameter(
    str,
    default="every",
    required=False,
    description="The running totals after each step: every one, or only the step's own (own).",
)
PROVINCE = Parameter(
    list[str], required=False, description="Only the areas in this province (any of its names), repeated."
)
STATUS = Parameter(
    list[str],
    required=False,
    description="Only the areas of this status (threatened, clearing, cleared), repeated.",
)
# ``type`` is a builtin's name, ``from`` and ``to`` are Python keywords: the handler's arguments
# are named otherwise.
DIFF_FROM = QueryParameter(
    name="from",
    required=False,
    description="The earlier viewpoint: CLOCK=VALUE (known-at, recorded-at, as-of), repeated.",
)
EXPORT_TYPE = QueryParameter(
    name="type",
    required=False,
    description="Only the actions of this type (killed, phase_launched, ...), comma-separated or repeated.",
)
DIFF_TO = QueryParameter(
    name="to", required=False, description="The later viewpoint, as from (default: now)."
)


def _clocks(
    as_of: str | None = AS_OF, known_at: str | None = KNOWN_AT, recorded_at: str | None = RECORDED_AT
) -> Viewpoint:
    """Every query's viewpoint, from its three clock parameters (a dependency of every route)."""
    return _viewpoint(as_of, known_at, recorded_at)


def create_app(service: Service, *, token: str | None = None, aliases: Path | None = None) -> Litestar:
    """The API on ``service``, opened once for the app and used by every request.

    Every handler is ``sync_to_thread=False``: it runs on the event loop's thread, so requests
    are answered one at a time, in that one thread. A Service is not safe to share between
    threads (it keeps one log and one read-model connection, opened lazily, and SQLite
    connections belong to the thread that made them), and a query is a read that holds the loop
    only for its own time; a lock around a thread pool would serialise them just the same.
    The one exception is drafting (``incidents.web.drafts``), which reads no store.

    Writes (``incidents.web.writes``) are taken only with ``token``, from a request bearing it.
    Names resolve through the store's names and the reference data ``aliases`` (the server's
    ``--aliases``; default: aliases.yaml where the server started, or above), read once here:
    a request never names a file, and none reads one (restart the server to read edited
    reference data)."""
    names = service.reference_data(aliases)

    @get("/api/totals", sync_to_thread=False)
    def totals(
        viewpoint: NamedDependency[Viewpoint],
        by: list[str] | None = BY,
        items: str = ITEMS_PARAMETER,
    ) -> Response[str]:
        """Killed, wounded, arrested and materiel, summed by metric and side (and by)."""
        grouped = groupings(by or ())
        answer = service.totals(viewpoint=viewpoint, by=grouped, items=items)
        return _answer(rows.totals_result(answer, viewpoint, grouped, items))

    @get("/api/areas", sync_to_thread=False, opt={NAMED_BY: "province"})
    def areas(
        viewpoint: NamedDependency[Viewpoint],
        province: list[str] | None = PROVINCE,
        status: list[str] | None = STATUS,
    ) -> Response[str]:
        """Every area's status (threatened, clearing, cleared), since when, and on whose report."""
        answer = service.areas(
            viewpoint=viewpoint, provinces=province or (), statuses=status or (), names=names
        )
        return _answer(rows.areas_result(answer, viewpoint))

    @get("/api/areas/{area:str}/history", sync_to_thread=False, opt={NAMED_BY: "area"})
    def area_history(
        area: Annotated[str, PathParameter(description="The area: any of its names.")],
        viewpoint: NamedDependency[Viewpoint],
    ) -> Response[str]:
        """Every reported status of one area (any of its names)."""
        return _answer(
            rows.area_history_result(service.area_history(area, viewpoint=viewpoint, names=names), viewpoint)
        )

    @get("/api/claims", sync_to_thread=False)
    def claims(
        viewpoint: NamedDependency[Viewpoint],
    ) -> Response[str]:
        """Cumulative claims beside the itemised incidents in their scope, and the remainder."""
        return _answer(rows.claims_result(service.claims(viewpoint=viewpoint), viewpoint))

    @get("/api/strength", sync_to_thread=False)
    def strength(
        viewpoint: NamedDependency[Viewpoint],
    ) -> Response[str]:
        """Estimates of each side's strength (usually ranges), latest last."""
        return _answer(rows.strength_result(service.strength(viewpoint=viewpoint), viewpoint))

    @get("/api/replay", sync_to_thread=False)
    def replay(
        viewpoint: NamedDependency[Viewpoint],
        running: str = RUNNING_PARAMETER,
    ) -> Response[str]:
        """The log in occurred order up to as_of (the CLI's --until), with running totals."""
        return _answer(rows.replay_result(service.replay(viewpoint=viewpoint, running=running), viewpoint))

    @get("/api/explain", sync_to_thread=False, opt={NAMED_BY: "side"})
    def explain(
        viewpoint: NamedDependency[Viewpoint],
        metric: str = Parameter(str, description=f"One of: {', '.join(m.value for m in Metric)}."),
        side: str = Parameter(str, description="Whose losses or materiel: any name of the side."),
        by: list[str] | None = BY,
    ) -> Response[str]:
        """Every action behind a total: counted, uncertain or excluded, and why."""
        try:
            asked = Metric(metric)
        except ValueError:
            expected = ", ".join(m.value for m in Metric)
            raise BadParameterError(
                "metric", f"unknown metric {metric!r}; expected one of: {expected}"
            ) from None
        grouped = groupings(by or ())
        explanation = service.explain(asked, side, viewpoint=viewpoint, names=names)
        return _answer(rows.explain_result(explanation, viewpoint, grouped))

    @get("/api/history", sync_to_thread=False, opt={NAMED_BY: "subject"})
    def history(
        viewpoint: NamedDependency[Viewpoint],
        subject: str = Parameter(str, description="REPORT/ACTION, or an area (any of its names)."),
    ) -> Response[str]:
        """The story of an action or an area: as stated, then every amendment."""
        return _answer(
            rows.history_result(
                service.history(subject, viewpoint=viewpoint, names=names), viewpoint, subject
            )
        )

    @get("/api/conflicts", sync_to_thread=False)
    def conflicts(
        viewpoint: NamedDependency[Viewpoint],
    ) -> Response[str]:
        """Where sources disagree, which figure counts and why, and likely duplicates."""
        return _answer(rows.conflicts_result(service.conflicts(viewpoint=viewpoint), viewpoint))

    @get("/api/phases", sync_to_thread=False, opt={NAMED_BY: "operation"})
    def phases(
        viewpoint: NamedDependency[Viewpoint],
        operation: str | None = Parameter(
            str, required=False, description="Only this operation's phases: any of its names."
        ),
    ) -> Response[str]:
        """Each operation's phases as a timeline, and what disputes each."""
        return _answer(
            rows.phases_result(
                service.phases(operation=operation, viewpoint=viewpoint, names=names), viewpoint
            )
        )

    @get("/api/overview", sync_to_thread=False)
    def overview(viewpoint: NamedDependency[Viewpoint]) -> Response[str]:
        """What the log holds: per action type, the actions counted and uncertain, their
        reports, and the first and last days they span (occurred, published)."""
        return _answer(rows.overview_result(service.overview(viewpoint=viewpoint), viewpoint))

    @get("/api/export", sync_to_thread=False)
    def export(
        viewpoint: NamedDependency[Viewpoint],
        format: str = Parameter(str, description="json: the bundle of reports (the only format served)."),
        types: Annotated[list[str] | None, EXPORT_TYPE] = None,
    ) -> Response[str]:
        """The JSON bundle ``incidents export --format json`` writes, for the same clocks (and
        action types)."""
        if format != "json":
            raise BadParameterError("format", f"expected json (the bundle of reports), got {format!r}")
        stream = io.StringIO()
        exported = service.export(viewpoint=viewpoint, types=types or ())
        WRITERS["json"].write(exported, exported.query(viewpoint), stream)
        return Response(stream.getvalue(), media_type=MediaType.JSON)

    @get("/api/position", sync_to_thread=False)
    def position() -> dict[str, int]:
        """The store's position: the id of the last event recorded (0 when empty). Cheap: the
        page asks it every few seconds and reloads its view when it moves (it follows the log)."""
        return {"position": service.position()}

    @get("/api/changes", sync_to_thread=False)
    def changes(
        since: str | None = Parameter(
            str, required=False, description="Recorded clock: after this store position or time."
        ),
        until: str | None = Parameter(str, required=False, description="Recorded clock: up to this."),
        known_since: str | None = Parameter(
            str, required=False, description="Reported clock: published after this day."
        ),
    ) -> Response[str]:
        """What was recorded since a point: each action stated and each amendment, with what it
        changed, and the position to resume from (``query.resume_from``)."""
        answer = service.changes(
            since=_parsed("since", since, recorded_clock),
            until=_parsed("until", until, recorded_clock),
            known_since=_parsed("known_since", known_since, clock_day),
        )
        return _answer(rows.changes_result(answer))

    @get("/api/diff", sync_to_thread=False)
    def diff(
        before: Annotated[list[str] | None, DIFF_FROM] = None,
        after: Annotated[list[str] | None, DIFF_TO] = None,
        as_of: str | None = AS_OF,
    ) -> Response[str]:
        """Totals, areas and claims that differ between two viewpoints, each with its causes."""
        answer = service.diff(
            before=diff_side(before or (), "from"),
            after=diff_side(after or (), "to"),
            as_of=_parsed("as_of", as_of, clock_day),
        )
        return _answer(rows.diff_result(answer))

    @get("/api/lag", sync_to_thread=False)
    def lag(
        viewpoint: NamedDependency[Viewpoint],
        by: str = Parameter(str, default="outlet", description="outlet, metric or operation."),
    ) -> Response[str]:
        """How many days after an action occurred its source published it, by group."""
        return _answer(rows.lag_result(service.lag(viewpoint=viewpoint, by=by), viewpoint))

    return Litestar(
        route_handlers=[
            *page_routes(),
            *write_routes(service, token, names),
            *draft_routes(service, names),
            position,
            totals,
            areas,
            area_history,
            claims,
            strength,
            overview,
            replay,
            explain,
            history,
            conflicts,
            phases,
            export,
            changes,
            diff,
            lag,
        ],
        dependencies={"viewpoint": Provide(_clocks, sync_to_thread=False)},
        exception_handlers={
            IncidentsError: _incidents_problem,
            BadParameterError: _parameter_problem,
            HTTPException: _http_problem,
        },
        before_send=[add_security_headers],
        request_max_body_size=MAX_BODY_BYTES,
        openapi_config=OpenAPIConfig(
            title="incidents",
            version=version("incidents"),
            path=OPENAPI_PATH,
            # Only the JSON document: Litestar's viewer pages load their scripts from CDNs, and
            # nothing the server serves fetches from another host.
            render_plugins=[JsonRenderPlugin()],
        ),
        debug=False,
    )


def _parameter_problem(_request: Request[Any, Any, Any], error: BadParameterError) -> Response[str]:
    return problem(400, error.detail, parameter=error.parameter)


def _incidents_problem(request: Request[Any, Any, Any], error: IncidentsError) -> Response[str]:
    """Every error the package raises on purpose, as the problem it is: bad input is 400 with the
    parameter at fault; an unknown subject 404; no store 404; anything else about the store 503."""
    named_by = request.route_handler.opt.get(NAMED_BY)
    if isinstance(error, InvalidInputError):
        fields = [problem.field for problem in error.problems if problem.field]
        detail = "; ".join(problem.message for problem in error.problems)
        # ``problems``: every problem as the command line says it (file:line: field: message).
        located = [str(found) for found in error.problems]
        return problem(400, detail, problems=located, **({"parameter": fields[0]} if fields else {}))
    if isinstance(error, UnknownSubjectError):
        return problem(404, str(error), **({"parameter": named_by} if named_by else {}))
    if isinstance(error, UnknownNameError):
        return problem(400, str(error), **({"parameter": named_by} if named_by else {}))
    if isinstance(error, NoStoreError):
        return problem(404, str(error))
    return problem(503, str(error))


def _body_field(error: ValidationException) -> tuple[str, str] | None:
    """The JSON body's field at fault and what is wrong with it, from a body that did not decode
    into its handler's type: ``candidates[0].start`` and "Expected `int`, got `str`"."""
    found = error.extra[0] if isinstance(error.extra, list) and error.extra else None
    if not isinstance(found, dict) or found.get("source") != "body":
        return None
    message = str(found.get("message", error.detail))
    key = str(found.get("key") or "")
    if key in ("", "data"):  # the body itself: missing or unknown fields are named in words
        named = BODY_FIELD.search(message)
        key = named["name"] if named else "body"
    return key, message


def _http_problem(_request: Request[Any, Any, Any], error: HTTPException) -> Response[str]:
    """Litestar's own refusals (no such route, a required parameter missing, a JSON body that
    does not decode into its handler's type) as problems naming the parameter or field."""
    body = _body_field(error) if isinstance(error, ValidationException) else None
    if body is not None:
        return problem(error.status_code, f"{body[0]}: {body[1]}", parameter=body[0])
    if isinstance(error, ClientException) and isinstance(error.__cause__, SerializationException):
        return problem(error.status_code, f"expected a JSON object: {error.detail}", parameter="body")
    missing = MISSING_PARAMETER.match(error.detail) if isinstance(error, ValidationException) else None
    answer = problem(error.status_code, error.detail, **({"parameter": missing["name"]} if missing else {}))
    answer.headers.update(error.headers or {})  # e.g. a 401's WWW-Authenticate
    return answer
