"""The rules: one sentence (and what the article said before it) to proposed actions.

Each rule looks for the words of one family of actions (``lexicon``) and fills the fields its
kind needs from the sentence: counts (``counts``), dates (``dates``), names (``names``). A field a
rule had to guess gets a comment, and lowers the proposal's confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from incidents.domain.relative_dates import after_action
from incidents.domain.values import DateSpan, Precision
from incidents.drafting import lexicon as words
from incidents.drafting.article import Sentence
from incidents.drafting.context import Context, Launch
from incidents.drafting.counts import CountPhrase, counts, number
from incidents.drafting.dates import DatePhrase, date_phrases
from incidents.drafting.names import Mention
from incidents.drafting.writing import flow
from incidents.formats.export.report_writer import span_value


@attrs.define
class Proposal:
    """An action a rule proposes, before it gets its key."""

    kind: str
    start: int  # absolute offsets of its quote
    end: int
    fields: dict[str, object]
    slug: str
    comments: list[str] = attrs.field(factory=list)
    confidence: float = 0.9

    def guess(self, comment: str, cost: float = 0.1) -> None:
        self.comments.append(comment)
        self.confidence = max(0.1, round(self.confidence - cost, 2))


@attrs.define
class Reading:
    """A sentence as the rules read it: its mentions, counts and dates (offsets in the sentence)."""

    sentence: Sentence
    mentions: list[Mention]
    counts: list[CountPhrase]
    dates: list[DatePhrase]

    @classmethod
    def of(cls, sentence: Sentence, context: Context) -> Reading:
        text = sentence.text
        dates = list(date_phrases(text))
        masked = _masked(text, [(d.start, d.end) for d in dates])
        mentions = list(context.names.mentions(text))
        masked = _masked(masked, [(m.start, m.end) for m in mentions if not m.text.isdigit()])
        return cls(sentence, mentions, list(counts(masked)), dates)

    @property
    def text(self) -> str:
        return self.sentence.text

    def actors(self, start: int = 0, end: int | None = None) -> list[Mention]:
        end = len(self.text) if end is None else end
        return [m for m in self.mentions if m.kind == "actor" and start <= m.start and m.end <= end]

    def places(self, start: int = 0, end: int | None = None) -> list[Mention]:
        end = len(self.text) if end is None else end
        return [m for m in self.mentions if m.kind == "place" and start <= m.start and m.end <= end]


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


# --- Dates ---------------------------------------------------------------------------------------


def occurred(
    proposal: Proposal,
    reading: Reading,
    context: Context,
    *,
    within: tuple[int, int] | None = None,
    current: bool = False,
) -> DateSpan | None:
    """Set the proposal's ``occurred`` from the dates of its clause (``within``) or sentence,
    else from what the article said before; a comment on every guess. ``current``: an undated
    statement of a state (a threat) holds at publication."""
    start, end = within or (0, len(reading.text))
    phrases = [d for d in reading.dates if start <= d.start and d.end <= end] or reading.dates
    phrase = next((d for d in phrases if not d.statement), None) or next(iter(phrases), None)
    published = context.published
    if phrase is not None and phrase.day_of is not None:
        launch = context.launches[-1] if context.launches else None
        if launch is not None and launch.span is not None:
            span = after_action(launch.span, day=phrase.day_of)
            proposal.guess(
                f"occurred: '{phrase.text} operations' told from {launch.key} ({launch.span})", 0.05
            )
            return _set_span(proposal, span)
        phrase = None
    if phrase is not None:
        resolved = phrase.resolved(published)
        if resolved is None:
            if phrase.phrase is not None and published is None:
                proposal.fields["occurred"] = phrase.phrase
                proposal.guess(f"occurred: '{phrase.text}' resolves once source.published is given")
                return None
            phrase = None
        elif phrase.statement:
            span = resolved
            launch = _launch_in_scope(proposal, context)
            if launch is not None and launch.span is not None and launch.span.start <= span.start:
                span = DateSpan(launch.span.start, span.end, Precision.RANGE)
                proposal.guess(
                    f"occurred: reported '{phrase.text}'; between {launch.key} and that report: "
                    f"{shown(span)}",
                    0.05,
                )
            else:
                proposal.guess(
                    f"occurred: '{phrase.text}' is when it was reported; it may have happened before"
                )
            return _set_span(proposal, span)
        else:
            if phrase.phrase is not None:
                proposal.guess(f"occurred: '{phrase.text}' read as {shown(resolved)}", 0.0)
            return _set_span(proposal, resolved)
    return _undated(proposal, reading, context, current=current)


def _undated(proposal: Proposal, reading: Reading, context: Context, *, current: bool) -> DateSpan | None:
    published = context.published
    if not current:
        if context.last_span is not None and context.last_paragraph == reading.sentence.paragraph:
            proposal.guess(
                f"occurred: no date in the sentence; the paragraph's last date, {shown(context.last_span)}"
            )
            return _set_span(proposal, context.last_span)
        launch = _launch_in_scope(proposal, context)
        if (
            launch is not None
            and launch.span is not None
            and published is not None
            and launch.span.start <= published.end
        ):
            span = DateSpan(launch.span.start, published.end, Precision.RANGE)
            proposal.guess(
                f"occurred: no date in the sentence; between {launch.key} and publication: {shown(span)}"
            )
            return _set_span(proposal, span)
        told = context.article_span or context.first_span
        if told is not None:
            which = "last" if context.article_span is not None else "first"
            proposal.guess(f"occurred: no date in the sentence; the article's {which} date, {shown(told)}")
            return _set_span(proposal, told)
    if published is None:
        proposal.fields["occurred"] = "today"
        proposal.guess(
            "occurred: no date in the sentence; 'today' is the publication day, once it is given", 0.15
        )
        return None
    proposal.guess(f"occurred: no date in the sentence; the publication date, {shown(published)}", 0.15)
    return _set_span(proposal, published)


def _launch_in_scope(proposal: Proposal, context: Context) -> Launch | None:
    phase = proposal.fields.get("phase")
    if phase is not None:
        return next((launch for launch in reversed(context.launches) if launch.phase == phase), None)
    if proposal.fields.get("operation") is not None:
        return next((launch for launch in context.launches if launch.phase is None), None)
    return None


def shown(span: DateSpan) -> str:
    """A span in a comment: one day, or its first and last day."""
    return str(span.start) if span.start == span.end else f"{span.start}/{span.end}"


def _set_span(proposal: Proposal, span: DateSpan) -> DateSpan:
    proposal.fields["occurred"] = span_value(span)
    return span


# --- Names ---------------------------------------------------------------------------------------


def name_of(mention: Mention) -> str:
    """The name written into the file: the canonical name of an actor or operation, a place as
    written (it resolves when the file is read)."""
    return mention.text if mention.kind == "place" else mention.canonical


def note_name(proposal: Proposal, field: str, mention: Mention) -> None:
    if mention.kind != "place" and mention.text != mention.canonical:
        proposal.comments.append(f"{field}: '{mention.text}' is {mention.canonical} in the aliases")


def place_value(reading: Reading, mention: Mention) -> object:
    before = reading.text[: mention.start]
    qualifier = words.QUALIFIER.search(before[-30:])
    if qualifier is None:
        return mention.text
    said = " ".join(qualifier.group().split()).removesuffix(" the")
    return {"name": mention.text, "qualifier": said}


_WRITTEN_PLACE = re.compile(
    r"\b(?:in|near|outside|at)\s+(?:the\s+)?(?P<name>(?:[Aa]l-)?[A-Z][\w\u2019'-]+(?:\s+[A-Z][\w\u2019'-]+){0,2})"
)
_NOT_PLACES = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|This|That|His|Her|Their|Its)\b"
)


def place_for(
    proposal: Proposal, reading: Reading, context: Context, start: int, end: int, *, carried: bool = True
) -> None:
    """The place of a counted action: a place the clause (else the sentence) names, else a name
    after "in"/"near" kept as written, with near matches from the gazetteer as a comment; else
    (``carried``) the place the article named last."""
    places = reading.places(start, end) or reading.places()
    if places:
        proposal.fields["place"] = place_value(reading, places[0])
        return
    name = written_place(reading, start, end)
    if name is not None:
        proposal.fields["place"] = name
        note = context.names.index.place(name).note
        proposal.guess(f"place: {note}" if note else f"place: '{name}' kept as written", 0.05)
        return
    if carried and context.last_place is not None:
        proposal.fields["place"] = context.last_place
        proposal.guess(f"place: {flow(context.last_place)}, the article's last place")


def actor_for(
    proposal: Proposal, reading: Reading, context: Context, clause: tuple[int, int], noun: tuple[int, int]
) -> None:
    """Who did it: who acted "by" it, the group of "an ISIS raid", the subject before the count,
    else who announced it (commented); with "X in conjunction with Y", Y joins as ``actors``.
    When the sentence names none, the actor of the article's last action (commented)."""
    text = reading.text
    start, end = clause
    outside = [m for m in reading.actors(start, end) if not (noun[0] <= m.start < noun[1])]
    side = proposal.fields.get("side")
    by = [
        m
        for m in outside
        if re.search(r"\bby\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", text[max(0, m.start - 30) : m.start])
    ]
    raid = [
        m
        for m in outside
        if re.match(
            r"[\s-]*(?:led\s+)?(?:raid|attack|ambush|air\s*strike|strike|bombing|assault|operation)s?\b",
            text[m.end :],
            re.I,
        )
    ]
    chosen = by or raid or [m for m in outside if m.start < noun[0] and m.canonical != side]
    if chosen:
        proposal.fields["actor"] = context.last_actor = name_of(chosen[0])
        note_name(proposal, "actor", chosen[0])
        joint = [
            m.canonical
            for m in reading.actors(chosen[0].end, min(len(text), chosen[0].end + 90))
            if m.canonical not in (side, chosen[0].canonical) and _JOINTLY.match(text, chosen[0].end)
        ]
        context.last_actors = tuple(joint[:1])
        if joint:
            proposal.fields["actors"] = list(context.last_actors)
            proposal.guess(f"actors: {joint[0]} acted with {chosen[0].canonical}", 0.05)
        return
    reporter = [m for m in reading.actors(0, len(text)) if m.canonical != side]
    if reporter and words.REPORTING.search(text, reporter[0].end, reporter[0].end + 30):
        proposal.fields["actor"] = reporter[0].canonical
        proposal.guess(f"actor: {reporter[0].canonical} announced it; did it do it?")
        return
    if context.last_actor is not None and context.last_actor != side:
        proposal.fields["actor"] = context.last_actor
        if context.last_actors:
            proposal.fields["actors"] = list(context.last_actors)
        together = " with ".join((context.last_actor, *context.last_actors))
        proposal.guess(f"actor: {together}, who acted last in the article")


_JOINTLY = re.compile(
    r"[^.;]{0,30}?\b(?:in\s+conjunction\s+with|alongside|together\s+with|jointly\s+with|in\s+coordination\s+with|"
    r"supported\s+by|backed\s+by)\b",
    re.I,
)


def written_place(reading: Reading, start: int = 0, end: int | None = None) -> str | None:
    """A name after "in", "near", "outside" or "at" that is no actor, month or weekday: a place
    the gazetteer may lack ("in Awasse"); of "North Waziristan's Spinwam", the last."""
    actor_spans = [(m.start, m.end) for m in reading.mentions if m.kind != "place"]
    for match in _WRITTEN_PLACE.finditer(reading.text, start, len(reading.text) if end is None else end):
        name = re.split(r"['\u2019]s\s+", match["name"])[-1]
        if _NOT_PLACES.match(name) or any(s <= match.start("name") < e for s, e in actor_spans):
            continue
        return name
    return None


def note_place(reading: Reading, context: Context) -> None:
    """Remember the place the sentence names, for the actions after it that name none."""
    places = reading.places()
    found = place_value(reading, places[0]) if places else written_place(reading)
    if found is not None:
        context.last_place = found


def _plural(noun: str) -> str:
    """Sides are groups: "a terrorist" is of the side "terrorists"."""
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith(("s", "children", "women", "men", "police", "people", "troops", "more")):
        return noun
    return noun + "s"


def _without_counts(phrase: str) -> str:
    for found in reversed(list(counts(phrase))):
        phrase = phrase[: found.start] + phrase[found.end :]
    return phrase


def side_of(
    reading: Reading, context: Context, start: int, end: int, inherited: str | None
) -> tuple[str | None, str | None]:
    """(side, comment) from the words of a count's noun phrase (offsets in the sentence)."""
    actors = reading.actors(start, end)
    phrase = re.sub(
        r"(?:^|\s+)(?:were|was|have|has|had|been|are|is)\b.*$", "", reading.text[start:end].strip()
    )
    if actors:
        if words.MILITANT_NOUNS.search(phrase):
            context.militant_side = actors[0].canonical
        return actors[0].canonical, None
    inherited = inherited or context.militant_side
    if re.search(r"\b(?:others?|more|another|them|they|those)\b", phrase, re.I) and inherited:
        return inherited, f"side: '{phrase.strip()}' read as {inherited}, like the count before it"
    if words.MILITANT_NOUNS.search(phrase) and context.militant_side:
        side = context.militant_side
        return side, f"side: '{phrase.strip()}' read as {side}, the side the article's militants are"
    if not re.search(r"\w", _without_counts(phrase)) and inherited:
        return inherited, f"side: {inherited}, like the count before it"
    noun = words.PEOPLE.search(phrase)
    if noun:
        side = _plural(noun.group().lower())
        side = "Civilians" if side.startswith(("civilian", "resident", "villager")) else side
        return side, f"side: '{side}' as written; name who they are (aliases)"
    return None, None


# --- The rules -----------------------------------------------------------------------------------


def launches(reading: Reading, context: Context) -> Iterator[Proposal]:
    """Operations and phases launched or ended."""
    text = reading.text
    for pattern, ended in ((words.LAUNCHED, False), (words.ENDED, True)):
        verb = pattern.search(text)
        if verb is None and not ended:
            announced = words.PHASE_ANNOUNCED.search(text)
            verb = (
                None if announced is None else re.compile("announced").search(text, announced.start("verb"))
            )
        if verb is None:
            continue
        phase = phase_number(text)
        is_phase = words.PHASE_WORD.search(text) is not None
        operation_mention = next((m for m in reading.mentions if m.kind == "operation"), None)
        if (
            not is_phase
            and operation_mention is None
            and not words.OPERATION_WORD.search(text[: verb.start()])
            and not _LAUNCHED_ONE.match(text, verb.end())
        ):
            continue
        if ended and not is_phase:
            continue
        kind = "phase_ended" if ended else ("phase_launched" if is_phase else "operation_launched")
        s = reading.sentence
        proposal = Proposal(kind, s.start, s.end, {}, slug=kind)
        operation = operation_mention.canonical if operation_mention else context.operation
        if operation is not None:
            proposal.fields["operation"] = operation
            if operation_mention is None:
                proposal.guess(f"operation: {operation}, the operation the article names", 0.05)
            else:
                note_name(proposal, "operation", operation_mention)
        else:
            proposal.guess("operation: no name found; name it", 0.2)
        if is_phase:
            if phase is None:
                phase = context.phase
                if phase is None:
                    proposal.guess("phase: no number found", 0.3)
                    continue
                proposal.guess(f"phase: {phase}, the phase the article spoke of last")
            proposal.fields["phase"] = phase
            proposal.slug = f"phase-{phase}-{'ended' if ended else 'launched'}"
        elif operation is not None:
            names = context.operation_spellings.get(operation, [])
            proposal.fields["names"] = list(dict.fromkeys([operation, *names]))
        span = occurred(proposal, reading, context)
        if not ended:
            _launch_details(proposal, reading, is_phase=is_phase)
            context.launches.append(Launch(key=proposal.slug, span=span, phase=phase if is_phase else None))
        yield proposal


_LAUNCHED_ONE = re.compile(r"\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}?(?:operations?|offensive|campaign)\b")


def phase_number(text: str) -> int | None:
    match = words.PHASE_NUMBER.search(text)
    if match is None:
        return None
    if match["ordinal"]:
        ordinal = match["ordinal"].lower()
        return words.ORDINAL_WORDS.get(ordinal) or int(re.sub(r"\D", "", ordinal))
    return number(match["number"])


_AIM = re.compile(
    r"\b(?:aiming\s+to|aimed\s+at|in\s+an\s+effort\s+to|in\s+an\s+attempt\s+to|in\s+a\s+bid\s+to|with\s+the\s+aim\s+of|to\s+(?=eradicate|end|clear|secure|eliminate|root\s+out|pursue|hunt|destroy))\s+(?P<aim>[^,;.]+?)(?=\s+with\s+the\s+|\s*[,;.]|$)",
    re.I,
)
_SUPERVISOR = re.compile(
    r"\b(?:supervision\s+of|supervised\s+by|overseen\s+by)\s+(?P<who>[^,;.]+?(?:\s+[A-Z][\w-]+)*)(?=\s*[,;.]|$)",
    re.I,
)


def _launch_details(proposal: Proposal, reading: Reading, *, is_phase: bool) -> None:
    text = reading.text
    aim = _AIM.search(text)
    if aim and not is_phase:
        proposal.fields["aim"] = aim["aim"].strip()[:1000]
    supervisor = _SUPERVISOR.search(text)
    if supervisor and is_phase:
        proposal.fields["supervisor"] = supervisor["who"].strip()[:1000]
    if is_phase:
        regions = [place_value(reading, m) for m in reading.places()]
        if regions:
            proposal.fields["regions"] = regions


def claims(reading: Reading, context: Context) -> Iterator[Proposal]:
    """Cumulative totals: "brings the total killed to seven, and those arrested to 13"."""
    text = reading.text
    claim = words.CLAIM.search(text)
    if claim is None:
        return
    s = reading.sentence
    segments = _claim_segments(text, claim.start())
    side: str | None = None
    for start, end in segments:
        segment = text[start:end]
        metric = _metric(segment)
        found = [c for c in reading.counts if start <= c.start and c.end <= end]
        if metric is None or not found:
            continue
        told = [
            c
            for c in found
            if re.search(r"\b(?:to|at|reached|of)\s+$", text[max(start, c.start - 12) : c.start])
        ]
        count = (told or found)[0]
        proposal = Proposal("total_claimed", s.start, s.end, {"metric": metric}, slug=f"total-{metric}")
        actor_side, comment = side_of(reading, context, start, end, side)
        if metric == "displaced" and actor_side in (None, "families", "people", "persons", "individuals"):
            actor_side, comment = (
                "Civilians",
                "side: Civilians, who are displaced unless the article says otherwise",
            )
        side = actor_side or side or context.militant_side or context.last_side
        if side is None:
            side, comment = "unknown", "side: whose the total is, the sentence does not say; name it"
        if comment:
            proposal.guess(comment)
        proposal.fields["side"] = side
        proposal.fields["count"] = count.value
        if context.operation is not None and words.OPERATION_WORD.search(text):
            proposal.fields["operation"] = context.operation
        if reading.dates:
            occurred(proposal, reading, context)
        elif context.statement_span is not None:
            proposal.guess(f"occurred: as of the statement before it, {shown(context.statement_span)}", 0.05)
            _set_span(proposal, context.statement_span)
        else:
            occurred(proposal, reading, context, current=True)
        yield proposal


def _claim_segments(text: str, start: int) -> list[tuple[int, int]]:
    cuts = [start] + [
        m.start()
        for m in re.finditer(
            r",?\s+and\s+(?=those|the|\w+\s+(?:killed|arrested|wounded|detained|injured|members))|,\s+with\s+",
            text[start:],
        )
    ]
    cuts = [start] + [start + c for c in cuts[1:]]
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


_METRICS = (
    ("killed", re.compile(r"\b(?:killed|dead|deaths?|death\s+toll|fatalities|slain)\b", re.I)),
    ("wounded", re.compile(r"\b(?:wounded|injured|injuries)\b", re.I)),
    ("arrested", re.compile(r"\b(?:arrested|arrests|detained|captured)\b", re.I)),
    ("seized", re.compile(r"\b(?:seized|recovered|confiscated)\b", re.I)),
    ("destroyed", re.compile(r"\bdestroyed\b", re.I)),
    ("displaced", re.compile(r"\bdisplaced\b", re.I)),
)


def _metric(segment: str) -> str | None:
    return next((metric for metric, pattern in _METRICS if pattern.search(segment)), None)


def strength(reading: Reading, context: Context) -> Iterator[Proposal]:
    """Strength estimates: "put the number of remaining ISIS militants ... at 14-18,000"."""
    text = reading.text
    match = words.STRENGTH.search(text)
    if match is None:
        return
    found = [c for c in reading.counts if c.start >= match.start()] or reading.counts
    if not found:
        return
    count = found[-1] if " at " in text[match.start() :] else found[0]
    s = reading.sentence
    proposal = Proposal("strength_estimated", s.start, s.end, {}, slug="strength")
    side, comment = side_of(reading, context, match.start(), count.start, None)
    if side is None:
        return
    if comment:
        proposal.guess(comment)
    proposal.fields["side"] = side
    proposal.fields["count"] = count.value
    region = re.search(
        r"\bin\s+(?P<region>(?:[A-Z][\w-]+)(?:\s+(?:and\s+)?[A-Z][\w-]+)*)", text[match.start() : count.start]
    )
    if region:
        proposal.fields["region"] = region["region"]
    estimators = [m for m in reading.actors() if m.canonical != side]
    if estimators:
        proposal.fields["estimator"] = estimators[0].canonical
        note_name(proposal, "estimator", estimators[0])
    if reading.dates:
        phrase = reading.dates[0]
        span = phrase.resolved(context.published)
        if span is not None:
            _set_span(proposal, span)
            if phrase.phrase:
                proposal.guess(f"occurred: '{phrase.text}' read as {shown(span)}", 0.0)
        else:
            occurred(proposal, reading, context, current=True)
    else:
        occurred(proposal, reading, context, current=True)
    yield proposal


def declarations(reading: Reading, context: Context) -> Iterator[Proposal]:
    """Declarations: "declared victory over ISIS"."""
    match = words.DECLARED.search(reading.text)
    if match is None or not re.match(
        r"(?:\w+\s+){0,2}(?:victory|defeat|liberation|end|caliphate)\b", match["what"], re.I
    ):
        return
    s = reading.sentence
    what = re.split(r"\s+(?:in|on|at|after)\s+(?=[A-Z0-9])", match["what"])[0].strip()
    proposal = Proposal("declaration", s.start, s.end, {"declared": what[:1000]}, slug="declaration")
    actors = reading.actors(0, match.start())
    if actors:
        proposal.fields["actor"] = actors[0].canonical
    occurred(proposal, reading, context)
    yield proposal
