"""The counted actions: killed, wounded, arrested, displaced, materiel seized or destroyed.

A sentence is cut into clauses ("a member ... was killed | and three others were wounded ...");
in each, an action word takes the count next to it: after it ("the arrests of seven others",
"killed 12 militants") or before it ("Four ISIS militants were killed"), and the count's noun
phrase gives the side. "...; two by airstrikes ..., and two more by the PMF" after a count is a
split total: a ``breakdown`` when its parts add up to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from incidents.drafting import lexicon as words
from incidents.drafting.context import Context
from incidents.drafting.counts import CountPhrase
from incidents.drafting.rules import (
    Proposal,
    Reading,
    actor_for,
    occurred,
    place_for,
    side_of,
)

_SEPARATOR = re.compile(r";|:|,?\s+and\s+|,?\s+while\s+|,\s+with\s+")
_PREPOSITION = re.compile(r"\s(?:in|on|at|during|near|by|after|from|since|when|as|across|inside|following)\s")
_BETWEEN_WORDS = re.compile(r"^[\s\w'\u2019()\[\],-]*$")
_MATERIEL_KINDS = ("materiel_seized", "materiel_destroyed")
_SLUGS = {"materiel_seized": "seized", "materiel_destroyed": "destroyed"}


def clauses(reading: Reading) -> list[tuple[int, int]]:
    """Where the sentence's clauses are: cut at ; and : and at "and", "while", "with" when what
    follows has an action word or a count of its own."""
    text = reading.text
    cuts = [0]
    for match in _SEPARATOR.finditer(text):
        rest = text[match.end() :]
        upto = _SEPARATOR.search(rest)
        piece = rest[: upto.start()] if upto else rest
        left = text[cuts[-1] : match.start()]
        if match.group() in (";", ":") or (
            words.ANY_COUNTED.search(piece) and words.ANY_COUNTED.search(left)
        ):
            cuts.append(match.start())
    for match in re.finditer(r",\s+(?:also\s+)?(?=\w+)", text):
        following = text[match.end() : match.end() + 40].split(",")[0]
        counted_next = words.ANY_COUNTED.match(text, match.end()) or (
            words.ANY_COUNTED.search(following) and any(c.start == match.end() for c in reading.counts)
        )
        if counted_next and match.start() not in cuts:
            cuts.append(match.start())
    cuts.sort()
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True) if text[a:b].strip(" ;:,")]


def counted(reading: Reading, context: Context, taken: set[int]) -> Iterator[Proposal]:
    """The counted actions of a sentence; ``taken`` are counts other rules used (claims)."""
    text = reading.text
    side: str | None = context.last_side
    proposals: list[Proposal] = []
    spans = clauses(reading)
    for index, (start, end) in enumerate(spans):
        for kind, pattern in words.COUNTED.items():
            if kind in _MATERIEL_KINDS:
                continue
            verb = pattern.search(text, start, end)
            if verb is None or (kind == "arrested" and _materiel_near(text, verb.end(), end)):
                continue
            if kind in _MATERIEL_KINDS and not _materiel_near(text, start, end):
                continue
            found = _count_for(reading, verb, start, end, taken)
            if found is None:
                continue
            count, noun_start, noun_end = found
            taken.add(count.start)
            joined = _joined_before(reading, count, start, taken)
            if joined is not None:
                taken.add(joined.start)
                first = _proposal(
                    kind, reading, context, joined, (start, end), (joined.start, count.start), side
                )
                if first is not None:
                    proposals.append(first)
                    side = context.last_side = str(first.fields.get("side"))
            proposal = _proposal(kind, reading, context, count, (start, end), (noun_start, noun_end), side)
            if proposal is None:
                continue
            side = context.last_side = str(proposal.fields.get("side"))
            parts = _breakdown(reading, count, spans[index + 1 :], kind, taken)
            if parts:
                proposal.fields["breakdown"] = parts
                proposal.fields.pop("actor", None)
                proposal.fields.pop("means", None)
            proposals.append(proposal)
            break  # one action a clause
    _share(proposals, reading)
    if words.CUMULATIVE.search(text):
        proposals = [_as_claim(proposal) for proposal in proposals]
    yield from proposals


_METRIC_OF = {"killed": "killed", "wounded": "wounded", "arrested": "arrested", "displaced": "displaced"}


def _as_claim(proposal: Proposal) -> Proposal:
    """A count over a period ("over the past three months") is a cumulative claim."""
    metric = _METRIC_OF.get(proposal.kind)
    if metric is None:
        return proposal
    kept = {
        key: value
        for key, value in proposal.fields.items()
        if key in ("side", "count", "occurred", "operation", "phase")
    }
    if "actor" in proposal.fields:
        kept["claimant"] = proposal.fields["actor"]
    claim = Proposal(
        "total_claimed", proposal.start, proposal.end, {"metric": metric, **kept}, slug=f"total-{metric}"
    )
    claim.comments = [c for c in proposal.comments if not c.startswith(("actor", "means", "place"))]
    claim.guess("type: a count over a period, read as a cumulative total (total_claimed)")
    return claim


def _joined_before(reading: Reading, count: CountPhrase, start: int, taken: set[int]) -> CountPhrase | None:
    """ "Two soldiers ... and 13 Maute terrorists were killed": the count joined to the one an
    action word took by "and", with no action word of its own between them."""
    text = reading.text
    earlier = [
        c for c in reading.counts if start <= c.start and c.end <= count.start and c.start not in taken
    ]
    if not earlier:
        return None
    joined = earlier[-1]
    between = text[joined.end : count.start]
    if re.search(r"\sand\s+$", between) and not words.ANY_COUNTED.search(between) and len(between) < 80:
        return joined
    return None


def _materiel_near(text: str, start: int, end: int) -> bool:
    return words.ITEM.search(text, start, end) is not None


def _count_for(
    reading: Reading, verb: re.Match[str], start: int, end: int, taken: set[int]
) -> tuple[CountPhrase, int, int] | None:
    """The count an action word takes, and where its noun phrase is."""
    text = reading.text
    free = [c for c in reading.counts if start <= c.start and c.end <= end and c.start not in taken]
    after = [
        c
        for c in free
        if c.start >= verb.end() and re.fullmatch(r"\s+(?:of\s+)?(?:the\s+)?", text[verb.end() : c.start])
    ]
    if after:
        noun_end = _PREPOSITION.search(text, after[0].end, end)
        return after[0], after[0].start, noun_end.start() if noun_end else end
    before = [
        c
        for c in free
        if c.end <= verb.start()
        and verb.start() - c.end <= 160
        and _BETWEEN_WORDS.match(text[c.end : verb.start()])
        and not words.ANY_COUNTED.search(text, c.end, verb.start())
    ]
    # "44 insurgents including 3 local commanders ... killed": the count the others are part of
    including = [c for c in before if re.match(r"\s*[\w\s-]{0,40}?\bincluding\b", text[c.end : verb.start()])]
    near = [c for c in before if verb.start() - c.end <= 80]
    taken_count = including[0] if including else (near[-1] if near else None)
    if taken_count is None:
        return None
    return taken_count, taken_count.start, verb.start()


def _proposal(
    kind: str,
    reading: Reading,
    context: Context,
    count: CountPhrase,
    clause: tuple[int, int],
    noun: tuple[int, int],
    inherited: str | None,
) -> Proposal | None:
    s = reading.sentence
    start, end = clause
    text = reading.text
    proposal = Proposal(kind, s.start, s.end, {}, slug=_SLUGS.get(kind, kind))
    if context.operation is not None and (
        words.OPERATION_WORD.search(text)
        or words.PHASE_WORD.search(text)
        or any(m.kind == "operation" for m in reading.mentions)
    ):
        proposal.fields["operation"] = context.operation
        proposal.guess(f"operation: {context.operation}, as the sentence speaks of the operation", 0.0)
        if context.phase is not None and (words.PHASE_WORD.search(text) or "day of operations" in text):
            proposal.fields["phase"] = context.phase
            proposal.guess(f"phase: {context.phase}, the phase the article spoke of last", 0.0)
    if kind in _MATERIEL_KINDS:
        item = words.ITEM.search(text, start, end)
        assert item is not None
        proposal.fields["item"] = item.group().lower()
        side = _materiel_side(reading, context, start, end)
        if side is None:
            return None
        proposal.fields["side"] = side
        proposal.guess(f"side: {side}, whose materiel it was", 0.05)
    else:
        side, comment = side_of(reading, context, noun[0], noun[1], inherited)
        if kind == "displaced" and (
            side is None or side in ("families", "people", "residents", "persons", "individuals")
        ):
            side, comment = (
                "Civilians",
                "side: Civilians, who are displaced unless the article says otherwise",
            )
        if side is None:
            return None
        proposal.fields["side"] = side
        if comment:
            proposal.guess(comment)
    if kind == "displaced" and re.search(r"\bfamil(?:y|ies)\b", text[noun[0] : noun[1]], re.I):
        proposal.fields["unit"] = "families"
    proposal.fields["count"] = count.value
    if count.note:
        proposal.guess(f"count: {count.note}", 0.05)
    elif not count.exact:
        proposal.guess(f"count: '{count.text.strip()}' as the documented convention writes it", 0.05)
    actor_for(proposal, reading, context, clause, noun)
    if kind in ("killed", "wounded"):
        means = _means(text[start:end]) or _means(text)
        if means:
            proposal.fields["means"] = means
    place_for(proposal, reading, context, start, end)
    occurred(proposal, reading, context, within=clause)
    return proposal


def _materiel_side(reading: Reading, context: Context, start: int, end: int) -> str | None:
    for mention in reading.actors(start, end):
        if re.search(
            r"\bfrom\s+(?:the\s+)?(?:killed\s+|dead\s+)?$",
            reading.text[max(0, mention.start - 20) : mention.start],
        ):
            return mention.canonical
    for mention in reading.actors(start, end):
        if mention.canonical == context.militant_side or re.search(
            r"\b(?:belonging|of|ISIS|used)\b", reading.text[max(0, mention.start - 15) : mention.start]
        ):
            return mention.canonical
    return context.militant_side


def _means(text: str) -> str | None:
    return next((means for pattern, means in words.MEANS if pattern.search(text)), None)


def _breakdown(
    reading: Reading, total: CountPhrase, rest: list[tuple[int, int]], kind: str, taken: set[int]
) -> list[dict[str, object]]:
    """The parts of a split total: the clauses after it that each begin with a count and state no
    action of their own ("two by airstrikes ..., and two more by the PMF"), when they add up."""
    text = reading.text
    parts: list[tuple[CountPhrase, int, int]] = []
    pieces: list[tuple[int, int]] = []
    for start, end in rest:
        pieces.extend(_comma_pieces(text, start, end))
    for start, end in pieces:
        body = text[start:end]
        lead = re.match(r"[\s;:,]*(?:and\s+)?", body)
        offset = start + (lead.end() if lead else 0)
        count = next(
            (c for c in reading.counts if c.start == offset or (offset <= c.start < offset + 2)), None
        )
        if count is None:
            break
        parts.append((count, start, end))
    figures = [count.figure for count, _, _ in parts]
    if (
        len(parts) < 2
        or None in figures
        or not isinstance(total.value, int)
        or sum(f or 0 for f in figures) != total.value
    ):
        return []
    result: list[dict[str, object]] = []
    for count, start, end in parts:
        taken.add(count.start)
        part: dict[str, object] = {"count": count.value}
        actors = reading.actors(start, end)
        if actors:
            part["actor"] = actors[-1].canonical
        if kind in ("killed", "wounded"):
            means = _means(text[start:end])
            if means:
                part["means"] = means
        result.append(part)
    return result


def _comma_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [start] + [
        m.start()
        for m in re.finditer(r",\s+(?:and\s+)?(?=\w+\s+(?:more\s+|others?\s+)?by\b)", text[start:end])
    ]
    cuts = [start] + [start + c for c in cuts[1:]]
    return list(zip(cuts, [*cuts[1:], end], strict=True))


def _share(proposals: list[Proposal], reading: Reading) -> None:
    """What one clause of a sentence says of how or where ("in an ISIS raid on a patrol south
    of Salahuddin") holds for the sentence's other actions that say nothing of it."""
    for field in ("actor", "means", "place"):
        values = [p.fields[field] for p in proposals if field in p.fields]
        if not values:
            continue
        for proposal in proposals:
            if field not in proposal.fields and not (field == "actor" and "breakdown" in proposal.fields):
                if field == "means" and proposal.kind not in ("killed", "wounded"):
                    continue
                if field == "actor" and values[0] == proposal.fields.get("side"):
                    continue
                proposal.fields[field] = values[0]
                proposal.guess(f"{field}: {values[0]}, as another action of the sentence says", 0.05)


_PIECES = re.compile(
    r",\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+(?!ammunitions?\b)|\s+as\s+well\s+as\s+|;"
)  # "weapons and ammunition" is one item, as sources pair them
_ITEM_END = re.compile(
    r"\s+(?:from|in|at|belonging|used|during|near|by|which|that|who|after|before|on|while|to|with|"
    r"were|was|have|had|are|is)\b|[.:\"\u201d]",
    re.I,
)
_ITEM_LEAD = re.compile(
    r"^(?:the\s+following\s*:?\s*|also\s+|their\s+|his\s+|its\s+|the\s+|(?:while|whereas|and|,)\s+|"
    r"a\s+(?:significant|large|huge)\s+(?:quantity|number|amount)\s+of\s+|"
    r"a\s+large\s+quantity\s+of\s+|quantities\s+of\s+|large\s+quantities\s+of\s+|items\s*:?\s*)+",
    re.I,
)


def materiel(reading: Reading, context: Context) -> Iterator[Proposal]:
    """Materiel seized or destroyed, one action per item listed: "recovered three pieces of 36
    Dane guns, 26 anti-aircraft ammunition rounds and ..."; an item with no figure is
    ``{unknown: some}``."""
    text = reading.text
    s = reading.sentence
    for start, end in clauses(reading):
        for kind in _MATERIEL_KINDS:
            verb = words.COUNTED[kind].search(text, start, end)
            if verb is None:
                continue
            if text[end : end + 1] == ":":
                following = next((b for a, b in clauses(reading) if a == end), end)
                end = following
            lead = re.match(r"\s*(?:of\s+)?(?:the\s+)?following(?:\s+items)?\s*:", text[verb.end() : end])
            offset = verb.end() + (lead.end() if lead else 0)
            listed = text[offset:end]
            passive = re.search(
                r"\b(?:were|was|have\s+been|had\s+been)\s+(?:also\s+)?$", text[start : verb.start()]
            )
            if passive:
                subject = text[start : passive.start() + start]
                figures = [c for c in reading.counts if start <= c.start < passive.start() + start]
                cut = figures[0].start - start if figures else 0
                listed, offset = subject[cut:], start + cut
            items = list(_items(reading, listed, offset))
            if not items or not any(words.ITEM.search(item) for item, _ in items):
                continue
            side = _materiel_side(reading, context, start, end) or context.militant_side
            for item, count in items:
                proposal = Proposal(kind, s.start, s.end, {}, slug=f"{_SLUGS[kind]}-{item}")
                if side is None:
                    proposal.fields["side"] = "unknown"
                    proposal.guess("side: whose materiel it was is not said; name it", 0.3)
                else:
                    proposal.fields["side"] = side
                    proposal.guess(f"side: {side}, whose materiel it was", 0.05)
                proposal.fields["item"] = item[:1000]
                if count is None:
                    proposal.fields["count"] = {"unknown": "some"}
                    proposal.guess("count: no figure; {unknown: some}, the documented convention", 0.05)
                else:
                    proposal.fields["count"] = count.value
                actor_for(proposal, reading, context, (start, end), (start, start))
                place_for(proposal, reading, context, start, end, carried=False)
                occurred(proposal, reading, context, within=(start, end))
                yield proposal
            break


def _items(reading: Reading, listed: str, offset: int) -> Iterator[tuple[str, CountPhrase | None]]:
    lead_in = len(listed) - len(listed.lstrip(" \"'\u201c\u2018:"))
    listed, offset = listed[lead_in:], offset + lead_in
    stop = _ITEM_END.search(listed)
    body = listed[: stop.start()] if stop else listed
    position = 0
    for piece in [*_PIECES.split(body)]:
        at = body.find(piece, position)
        position = at + len(piece)
        lead = _ITEM_LEAD.match(piece)
        rest = piece[lead.end() :] if lead else piece
        start = offset + at + (len(piece) - len(rest))
        count = next((c for c in reading.counts if start - 1 <= c.start <= start + 1), None)
        if count is not None:
            rest = reading.text[count.end : offset + at + len(piece)]
            rest = re.sub(
                r"^\s*(?:pieces?\s+of\s+|units?\s+of\s+|rounds?\s+of\s+)?(?:\d[\d,]*\s+)?", "", rest
            )
        single = re.match(r"(?:a|an|one)\s+", rest, re.I) if count is None else None
        if single:
            rest = rest[single.end() :]
        item = re.sub(
            r"^(?:assorted|various|some|several)\s+", "", " ".join(rest.split()).strip(" ,;:'\""), flags=re.I
        )
        if not item or not item[0].isalpha() or len(item.split()) > 6 or words.PEOPLE.fullmatch(item):
            continue
        yield item, (CountPhrase(start, start + 1, "a", 1) if single else count)
