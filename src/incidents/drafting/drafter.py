"""An article to a draft: read the page, walk its sentences with the rules, key the proposals,
list what gave none, and keep only what a report file accepts."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping

from incidents.domain.values import DateSpan
from incidents.drafting import areas, counted, rules
from incidents.drafting import lexicon as words
from incidents.drafting.article import clean, looks_like_html, read_page, sentences
from incidents.drafting.context import Context
from incidents.drafting.counts import counts
from incidents.drafting.model import Candidate, Draft, Missed
from incidents.drafting.names import Names
from incidents.drafting.rules import Proposal, Reading
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.registry import read_input_text
from incidents.gazetteer import NameIndex

MAX_QUOTE = 10_000  # a report file's longest quote (domain/limits.py)
_PLACEHOLDER = {"outlet": "draft", "url": "https://draft.invalid/", "published": "2000-01-01"}


def draft_article(
    text: str,
    *,
    names: NameIndex,
    html: bool | None = None,
    metadata: Mapping[str, str | None] | None = None,
) -> Draft:
    """The draft of an article (``html``: None to tell from the text). ``metadata`` (outlet,
    url, published, title) given wins over what the page states; a published date that is no
    date or span is bad input."""
    given = {key: value for key, value in (metadata or {}).items() if value is not None and value.strip()}
    notes: list[str] = []
    found: dict[str, str | None] = {}
    if html if html is not None else looks_like_html(text):
        page = read_page(text)
        plain = page.text
        found = {"outlet": page.outlet, "url": page.url, "published": page.published, "title": page.title}
    else:
        plain = clean(text)
    meta: dict[str, object] = {}
    for key in ("outlet", "title", "url", "published"):
        if key in given:
            meta[key] = given[key].strip()
        elif found.get(key):
            meta[key] = found[key]
            notes.append(f"{key}: from the page's metadata")
        else:
            meta[key] = None
    published = _published(meta, given)
    if published is None and meta.get("published") is not None:
        notes.append(f"published: the page's {meta['published']!r} is no date; left for review")
        meta["published"] = None
    context = Context(names=Names.of(names), published=published)
    proposals, readings = _propose(plain, context)
    candidates = _keyed(proposals, plain)
    missed = _missed(readings, proposals)
    draft = Draft(text=plain, metadata=meta, candidates=candidates, missed=missed, notes=tuple(notes))
    return _valid(draft, names)


def _published(meta: dict[str, object], given: Mapping[str, str]) -> DateSpan | None:
    value = meta.get("published")
    if value is None:
        return None
    try:
        return DateSpan.parse(str(value))
    except ValueError as error:
        if "published" in given:
            raise InvalidInputError([InputProblem("<draft>", None, "published", str(error))]) from None
        return None


def _propose(text: str, context: Context) -> tuple[list[Proposal], list[Reading]]:
    readings = [
        Reading.of(sentence, context) for sentence in sentences(text) if len(sentence.text) <= MAX_QUOTE
    ]
    for reading in readings:  # the operation and militants the article names, before any rule
        for mention in reading.mentions:
            if mention.kind == "operation":
                context.note_operation(mention)
            elif (
                mention.kind == "actor"
                and context.militant_side is None
                and (
                    words.MILITANT_NOUNS.search(mention.text)
                    or words.MILITANT_NOUNS.match(reading.text, mention.end + 1)
                )
            ):
                context.militant_side = mention.canonical
    _first_launches(readings, context)
    context.first_span = next(
        (
            span
            for reading in readings
            for phrase in reading.dates
            if not phrase.statement and (span := phrase.resolved(context.published)) is not None
        ),
        None,
    )
    proposals: list[Proposal] = []
    proposed = _Proposed()
    previous: Reading | None = None
    launched: Proposal | None = None
    for reading in readings:
        if not reading.text.rstrip().endswith((".", "!", "?", '"', "\u201d", "'", "\u2019")):
            continue  # a title or heading: the article's body says it again, dated and sourced
        phase = rules.phase_number(reading.text)
        if phase is not None and not words.LAUNCHED.search(reading.text):
            context.phase = phase
        taken: set[int] = set()
        found = [*rules.launches(reading, context)]
        if phase is not None:
            context.phase = phase
        claimed = list(rules.claims(reading, context))
        if claimed:
            claim = words.CLAIM.search(reading.text)
            after = claim.start() if claim else 0
            taken.update(c.start for c in reading.counts if c.start >= after)
        found += claimed
        found += rules.strength(reading, context)
        if not any(p.kind == "strength_estimated" for p in found):
            found += counted.counted(reading, context, taken)
            found += counted.materiel(reading, context)
        found += areas.cleared(reading, context)
        found += areas.threats(reading, context, previous)
        found += rules.declarations(reading, context)
        _remember_dates(reading, context)
        rules.note_place(reading, context)
        if (
            not found
            and launched is not None
            and previous is not None
            and _forces(launched, previous, reading)
        ):
            launched = None
        found = [p for p in found if not proposed.repeats(p)]
        for proposal in found:
            proposed.add(proposal)
        proposals.extend(found)
        launched = next((p for p in found if p.kind == "operation_launched"), None)
        previous = reading
    return proposals, readings


_TAKING_PART = re.compile(
    r"\b(?:conducted|carried\s+out|involv\w*|participat\w*|taking\s+part|take\s+part|backed|supported|led)\s+(?:by|in|are)?\b",
    re.I,
)


def _forces(launch: Proposal, previous: Reading, reading: Reading) -> bool:
    """ "The operation has been conducted by the Iraqi Army, the PMF ..." right after a launch:
    the forces of that operation, and the sentence joins its quote."""
    if previous.sentence.end != launch.end or not _TAKING_PART.search(reading.text):
        return False
    if not words.OPERATION_WORD.search(reading.text) and not reading.text.lower().startswith(("it ", "its ")):
        return False
    forces = list(dict.fromkeys(m.canonical for m in reading.actors()))
    if not forces:
        return False
    launch.fields["forces"] = forces
    launch.end = reading.sentence.end
    launch.guess("forces: named in the sentence after the launch, which joins the quote", 0.05)
    return True


def _first_launches(readings: list[Reading], context: Context) -> None:
    """Launches are known before the other rules run: "the second phase was launched a week
    ago" may come after the successes of that phase."""
    scratch = Context(
        names=context.names,
        published=context.published,
        operations=context.operations,
        operation_spellings=context.operation_spellings,
    )
    for reading in readings:
        list(rules.launches(reading, scratch))
    context.launches = []
    early = {launch.phase: launch for launch in scratch.launches}
    context.launches.extend(early.values())


def _remember_dates(reading: Reading, context: Context) -> None:
    if reading.sentence.paragraph != context.last_paragraph:
        context.last_span = None
    context.last_paragraph = reading.sentence.paragraph
    context.statement_span = None
    for phrase in reading.dates:
        span = phrase.resolved(context.published)
        if span is None:
            continue
        if phrase.statement:
            context.statement_span = span
        else:
            context.last_span = context.article_span = span


_LAUNCH_KINDS = ("operation_launched", "phase_launched", "phase_ended")


class _Proposed:
    """What has been proposed so far, as the keys a later proposal repeats: the same area of the
    same kind, or the same launch (a later sentence names it again). Sets, so that an article of
    thousands of actions is checked in time linear in its length."""

    def __init__(self) -> None:
        self._areas: set[tuple[str, str]] = set()
        self._launches: set[tuple[str, str]] = set()

    def repeats(self, proposal: Proposal) -> bool:
        if "area" in proposal.fields and (proposal.kind, _area_key(proposal.fields["area"])) in self._areas:
            return True
        return proposal.kind in _LAUNCH_KINDS and (proposal.kind, proposal.slug) in self._launches

    def add(self, proposal: Proposal) -> None:
        self._areas.add((proposal.kind, _area_key(proposal.fields.get("area"))))
        self._launches.add((proposal.kind, proposal.slug))


def _area_key(value: object) -> str:
    return re.sub(r"\W+", " ", str(value)).strip().lower()


def _keyed(proposals: list[Proposal], text: str) -> tuple[Candidate, ...]:
    used: dict[str, int] = {}
    candidates = []
    for proposal in proposals:
        base = re.sub(r"[^a-z0-9]+", "-", proposal.slug.lower()).strip("-")[:60] or "action"
        used[base] = used.get(base, 0) + 1
        key = base if used[base] == 1 else f"{base}-{used[base]}"
        quote = text[proposal.start : proposal.end]
        fields: dict[str, object] = {"id": key, "type": proposal.kind}
        fields.update(proposal.fields)
        breakdown = fields.pop("breakdown", None)
        fields["quote"] = quote
        if breakdown is not None:
            fields["breakdown"] = breakdown
        candidates.append(
            Candidate(
                key=key,
                kind=proposal.kind,
                start=proposal.start,
                end=proposal.end,
                quote=quote,
                confidence=proposal.confidence,
                fields=fields,
                comments=tuple(proposal.comments),
            )
        )
    return tuple(candidates)


class _Covered:
    """The spans the proposals quote, to ask whether one of them holds a sentence: starts in
    order with the furthest end reached by any span starting there or before (one bisection per
    sentence, not a scan of every proposal)."""

    def __init__(self, proposals: list[Proposal]) -> None:
        spans = sorted((p.start, p.end) for p in proposals)
        self._starts = [start for start, _ in spans]
        self._furthest = list(itertools.accumulate((end for _, end in spans), max))

    def covers(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self._starts, start)
        return at > 0 and self._furthest[at - 1] >= end


def _missed(readings: list[Reading], proposals: list[Proposal]) -> tuple[Missed, ...]:
    covered = _Covered(proposals)
    missed = []
    for reading in readings:
        s = reading.sentence
        if covered.covers(s.start, s.end):
            continue
        action = words.ACTION_WORDS.search(s.text)
        number = (
            next(iter(counts(s.text)), None)
            if re.search(
                r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\b", s.text, re.I
            )
            else None
        )
        why = (
            f"the action word '{action.group()}' gave no candidate"
            if action is not None
            else f"the number '{number.text.strip()}' gave no candidate"
            if number is not None
            else None
        )
        if why is not None:
            missed.append(Missed(start=s.start, end=s.end, text=s.text, why=why))
    return tuple(missed)


def _valid(draft: Draft, names: NameIndex) -> Draft:
    """The draft with only candidates a report file accepts: one the reader refuses is listed as
    missed, with the reader's reason."""
    candidates = list(draft.candidates)
    missed = list(draft.missed)
    for _attempt in range(len(candidates) + 1):
        metadata = {key: draft.metadata.get(key) or _PLACEHOLDER.get(key) for key in draft.metadata}
        trial = Draft(text=draft.text, metadata=metadata, candidates=tuple(candidates), missed=(), notes=())
        try:
            read_input_text(trial.report_file(), "<draft>", names)
        except InvalidInputError as error:
            bad = _refused(error.problems, len(candidates))
            if not bad:
                raise
            for index in sorted(bad, reverse=True):
                refused = candidates.pop(index)
                why = "; ".join(str(p.message) for p in error.problems if _index(p) == index)
                missed.append(
                    Missed(
                        start=refused.start,
                        end=refused.end,
                        text=refused.quote,
                        why=f"a {refused.kind} the report file refuses ({why})",
                    )
                )
            continue
        break
    missed.sort(key=lambda m: m.start)
    return Draft(
        text=draft.text,
        metadata=draft.metadata,
        candidates=tuple(candidates),
        missed=tuple(missed),
        notes=draft.notes,
    )


def _index(problem: InputProblem) -> int | None:
    match = re.match(r"actions\[(\d+)\]", problem.field or "")
    return int(match[1]) if match else None


def _refused(problems: list[InputProblem] | tuple[InputProblem, ...], count: int) -> set[int]:
    return {index for problem in problems if (index := _index(problem)) is not None and index < count}
