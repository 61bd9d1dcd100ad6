"""Drafting over the API: an article's text in, a draft report out (``Service.draft``), and the
report file of a reviewed draft (the review page's "Save as report file" and "Load").

``POST /api/draft`` answers with the draft: its metadata, each candidate action (offsets into
the article's plain text, kind, quote, confidence, the fields it would be written with, a
comment per guessed field), the sentences that gave no candidate, and ``report_file``, the YAML
``incidents draft`` writes. ``POST /api/draft/report-file`` takes a draft as the page edited it
(actions dropped, fields changed) and answers with its report file, written by the drafting
package's own writer (``Draft.report_file``): the format has one writer, never the browser.

Neither writes to the store, so neither needs the token: drafting is CPU work on the request's
text only (bounded by the server's body limit), and the store is read only for names. Loading a
reviewed draft is the ordinary write, ``POST /api/reports``, behind the token.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar import Response, post
from litestar.params import JSONBody

from incidents.domain.actions import ACTION_KINDS
from incidents.drafting import Candidate, Draft, Missed
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.gazetteer import NameIndex
from incidents.service import Service
from incidents.web.problems import problem_response

REPORT_FILE_MEDIA_TYPE = "application/yaml; charset=utf-8"
# How a bad request is answered (the problem's parameter names the body's field at fault).
BAD_REQUEST = {400: problem_response("Bad input: a problem naming the field at fault (parameter).")}
# The name of a draft's report file when its source says neither outlet nor day.
FALLBACK_FILE = "draft.yaml"
# The longest article the server drafts, in characters (HTML included): a whole saved news page
# fits. Drafting a news article's text takes tens of milliseconds; 250,000 characters of prose
# about 1.7 s, of sentences that each state an action (the worst case) about 16 s (measured on
# a loaded machine). It runs on a worker thread, so other requests are answered meanwhile.
MAX_ARTICLE_CHARACTERS = 250_000
SAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# A field's name, at any depth of an action (``count``, ``breakdown``'s ``actor``): the writer
# puts names into the YAML as they are.
FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")


def _describe(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


class DraftRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An article to draft a report from, with what is known of its source."""

    text: Annotated[str, _describe("The article: plain text, or HTML (see html).")]
    html: Annotated[bool | None, _describe("Whether text is HTML; null: told from the text itself.")] = None
    outlet: Annotated[str | None, _describe("The outlet that published it.")] = None
    url: Annotated[str | None, _describe("Where it was published.")] = None
    published: Annotated[
        str | None, _describe("When: a day (2019-08-28) or a span (2019-07-24/2019-07-31).")
    ] = None
    title: Annotated[str | None, _describe("Its title.")] = None


class CandidateDocument(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One proposed action."""

    key: Annotated[str, _describe("The action's id in the report file.")]
    kind: Annotated[str, _describe("The action's type (killed, arrested, phase_launched, ...).")]
    start: Annotated[int, _describe("Offset of its sentence(s) in the draft's text.")]
    end: Annotated[int, _describe("End offset (exclusive): quote is text[start:end].")]
    quote: Annotated[str, _describe("The sentence(s), verbatim.")] = ""
    confidence: Annotated[float, _describe("0..1: how sure the rules are.")] = 0.0
    fields: Annotated[dict[str, Any], _describe("The action as written into the report file.")] = {}
    comments: Annotated[list[str], _describe("One per field the rules guessed.")] = []


class MissedDocument(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A sentence that mentions numbers or actions but gave no candidate."""

    start: int
    end: int
    text: str
    why: str


class DraftDocument(msgspec.Struct, kw_only=True):
    """A draft report: what ``incidents draft`` writes, with the offsets the review page shows."""

    text: Annotated[str, _describe("The article's plain text: every offset refers to it.")]
    metadata: Annotated[dict[str, Any], _describe("outlet, url, published, title (null: left for review).")]
    candidates: list[CandidateDocument]
    missed: list[MissedDocument]
    notes: Annotated[list[str], _describe("About the whole draft (where metadata came from, ...).")]
    missing: Annotated[
        list[str], _describe("The source's required fields neither given nor found: fill them in.")
    ]
    report_file: Annotated[str, _describe("The YAML report file (incidents validate accepts it).")]
    file: Annotated[str, _describe("A name for the report file (outlet-published.yaml).")]
    kinds: Annotated[list[str], _describe("Every action type a report file can give.")]


class ReviewedDraft(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A draft as reviewed: the draft's text, metadata, the candidates kept (as edited) and the
    missed sentences. Each quote is the text between its offsets (a quote given is checked)."""

    text: str
    metadata: dict[str, Any] = {}
    candidates: list[CandidateDocument] = []
    missed: list[MissedDocument] = []
    notes: list[str] = []


def _bad(field: str, message: str) -> InvalidInputError:
    return InvalidInputError([InputProblem("<request>", None, field, message)])


def _span(text: str, start: int, end: int, field: str) -> str:
    """``text[start:end]``, or a problem naming ``field`` when the offsets are not in the text."""
    if not 0 <= start <= end <= len(text):
        raise _bad(field, f"expected offsets within the text (0..{len(text)}), got {start}..{end}")
    return text[start:end]


def _candidate(document: CandidateDocument, text: str, index: int) -> Candidate:
    where = f"candidates[{index}]"
    quote = _span(text, document.start, document.end, f"{where}.start")
    if document.quote and document.quote != quote:
        raise _bad(f"{where}.quote", "the quote is the text between start and end: it is not edited")
    if document.kind not in ACTION_KINDS:
        raise _bad(
            f"{where}.kind", f"unknown kind {document.kind!r}; expected one of: {', '.join(ACTION_KINDS)}"
        )
    if not 0 <= document.confidence <= 1:
        raise _bad(f"{where}.confidence", f"expected 0..1, got {document.confidence}")
    _check_names(document.fields, f"{where}.fields")
    # The action's id, type and quote are the candidate's: an edited kind changes its type.
    fields = {**document.fields, "id": document.key, "type": document.kind, "quote": quote}
    return Candidate(
        key=document.key,
        kind=document.kind,
        start=document.start,
        end=document.end,
        quote=quote,
        confidence=document.confidence,
        fields={"id": fields.pop("id"), "type": fields.pop("type"), **fields},
        comments=tuple(document.comments),
    )


def _check_names(value: object, where: str) -> None:
    """Every mapping's keys in ``value`` are field names (a problem at ``where`` otherwise)."""
    if isinstance(value, dict):
        for name, item in value.items():
            if not FIELD_NAME.fullmatch(name):
                raise _bad(where, f"expected field names (lower case, digits, _), got {name!r}")
            _check_names(item, f"{where}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_names(item, f"{where}[{index}]")


def _missed(document: MissedDocument, text: str, index: int) -> Missed:
    found = _span(text, document.start, document.end, f"missed[{index}].start")
    return Missed(start=document.start, end=document.end, text=found, why=document.why)


def reviewed(document: ReviewedDraft) -> Draft:
    """The draft the page sends back, checked against its own text."""
    return Draft(
        text=document.text,
        metadata=document.metadata,
        candidates=tuple(
            _candidate(candidate, document.text, index) for index, candidate in enumerate(document.candidates)
        ),
        missed=tuple(_missed(missed, document.text, index) for index, missed in enumerate(document.missed)),
        notes=tuple(document.notes),
    )


def file_name(draft: Draft) -> str:
    """A name for the draft's report file, from its source: ``rudaw-english-2019-08-28.yaml``
    (outlet and published, else ``FALLBACK_FILE``). Only messages and downloads name it."""
    given = [str(draft.metadata.get(key) or "") for key in ("outlet", "published")]
    stem = SAFE_FILE_NAME.sub("-", "-".join(part for part in given if part).lower()).strip(".-")
    return f"{stem[:80].rstrip('.-')}.yaml" if stem else FALLBACK_FILE


def draft_document(draft: Draft) -> DraftDocument:
    return DraftDocument(
        text=draft.text,
        metadata=dict(draft.metadata),
        candidates=[
            CandidateDocument(
                key=candidate.key,
                kind=candidate.kind,
                start=candidate.start,
                end=candidate.end,
                quote=candidate.quote,
                confidence=candidate.confidence,
                fields=dict(candidate.fields),
                comments=list(candidate.comments),
            )
            for candidate in draft.candidates
        ],
        missed=[
            MissedDocument(start=missed.start, end=missed.end, text=missed.text, why=missed.why)
            for missed in draft.missed
        ],
        notes=list(draft.notes),
        missing=list(draft.missing),
        report_file=draft.report_file(),
        file=file_name(draft),
        kinds=list(ACTION_KINDS),
    )


def draft_routes(service: Service, names: NameIndex | None = None) -> list[Any]:
    # On a worker thread, unlike every other route (``create_app``): ``Service.draft`` reads no
    # store and keeps no state (the reference data is the app's, read at start), and an article can take
    # seconds, which would hold every other request on the event loop.
    @post("/api/draft", sync_to_thread=True, status_code=200, responses=BAD_REQUEST)
    def draft(data: JSONBody[DraftRequest]) -> DraftDocument:
        """Draft a report from an article (as ``incidents draft``): every candidate action with
        its sentence's offsets, confidence and guessed fields, the sentences that gave none, and
        the report file. Writes nothing (no token needed)."""
        if len(data.text) > MAX_ARTICLE_CHARACTERS:
            raise _bad(
                "text",
                f"an article of at most {MAX_ARTICLE_CHARACTERS:,} characters is drafted here, got"
                f" {len(data.text):,}: paste its text rather than the whole page, or use incidents draft",
            )
        drafted = service.draft(
            data.text,
            html=data.html,
            outlet=data.outlet or None,
            url=data.url or None,
            published=data.published or None,
            title=data.title or None,
            names=names,
        )
        return draft_document(drafted)

    @post(
        "/api/draft/report-file",
        sync_to_thread=False,
        status_code=200,
        media_type=REPORT_FILE_MEDIA_TYPE,
        responses=BAD_REQUEST,
    )
    def report_file(data: JSONBody[ReviewedDraft]) -> Response[str]:
        """The report file of a reviewed draft (the candidates kept, as edited), written as
        ``incidents draft`` writes it; ``content-disposition`` names it. Writes nothing."""
        draft = reviewed(data)
        return Response(
            draft.report_file(),
            media_type=REPORT_FILE_MEDIA_TYPE,
            headers={"content-disposition": f'attachment; filename="{file_name(draft)}"'},
        )

    return [draft, report_file]
