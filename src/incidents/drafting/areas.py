"""Areas: cleared, being cleared, threatened.

"The clearing of ISIS cells from the areas of Umm Najm, Al-Awad, ... and Al-Qasarat" is one
``area_cleared`` a named area; "securing the desert areas towards Samarra" (a gerund, under
way) is ``clearing_started``; "Areas that still hold an ISIS threat include Khairat and Karma"
is one ``threat_reported`` an area, and "These areas are dangerous" takes the areas the
sentence before named. An undated threat holds at publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from incidents.drafting import lexicon as words
from incidents.drafting.context import Context
from incidents.drafting.names import Mention
from incidents.drafting.rules import Proposal, Reading, actor_for, note_name, occurred

_LIST_START = re.compile(
    r"\b(?:(?:areas?|villages?|towns?|districts?|neighbou?rhoods?|regions?|parts)\s+of|include|includes|including|such\s+as)\s+",
    re.I,
)
_LIST_END = re.compile(
    r",?\s+in\s+addition\s+to\b|\s+(?:from|in\s+order|in\s+an?\s|after|before|with|for|by|on|towards?|which|that|where)\b|[;.!?\"\u201d]|$",
    re.I,
)
_ITEM_CUT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+as\s+well\s+as\s+")
_STRIP = re.compile(r"^(?:the\s+)?(?:(?:areas?|villages?|towns?|district|region)\s+of\s+)?", re.I)
_TRAILING = re.compile(r"\s+(?:areas?|villages?|region)$", re.I)
_WHOLE = re.compile(
    r"^(?:the\s+)?(?P<whole>(?:\w+\s+)?areas?\s+(?:connecting|between|linking|around|along|near|towards?)\b.*)$",
    re.I,
)
_ANAPHOR = re.compile(
    r"^[\"\u201c\u2018']?(?:these|those|the)\s+(?:areas|places|regions|villages)\b|^they\b", re.I
)
_GERUND = re.compile(
    r"\b(?P<verb>securing|combing|sweeping|scanning|clearing|searching)\s+(?!of\b)(?:the\s+)?(?P<what>[^,;.]+)",
    re.I,
)
_UNDER_WAY = re.compile(r"\bcontinu\w*\s+(?:to\s+)?(?:clear|secure|comb|sweep)\b", re.I)


def area_names(text: str, start: int = 0) -> list[str]:
    """The areas a list names: "the areas of A, B, and the C area" -> A, B, C; "the areas
    connecting A, B and C" is one area."""
    found: list[str] = []
    for opening in _LIST_START.finditer(text, start):
        rest = text[opening.end() :]
        end = _LIST_END.search(rest)
        listed = rest[: end.start()] if end else rest
        found.extend(name for name in _items(listed) if name not in found)
    return found


def _items(listed: str) -> Iterator[str]:
    position = 0
    while position < len(listed):
        whole = _WHOLE.match(listed[position:].strip(" ,"))
        if whole:
            yield " ".join(whole["whole"].split())
            return
        cut = _ITEM_CUT.search(listed, position)
        item = listed[position : cut.start() if cut else len(listed)]
        name = _TRAILING.sub("", _STRIP.sub("", item.strip())).strip()
        if name and name[0].isupper():
            yield name
        if cut is None:
            return
        position = cut.end()


def cleared(reading: Reading, context: Context) -> Iterator[Proposal]:
    text = reading.text
    verb = words.CLEARED.search(text)
    if verb is None or headline(text):
        return
    gerund = _GERUND.search(text)
    names = area_names(text, verb.start())
    if not names:
        names = _objects(text, verb.end())
    if not names:
        listed_in = re.search(r"\s+in\s+(?=[A-Z])", text[verb.end() :])
        if listed_in and not re.search(r"[,;.]", text[verb.end() : verb.end() + listed_in.start()]):
            names = _objects(text, verb.end() + listed_in.end() - 1)
    under_way = _UNDER_WAY.search(text) is not None
    by = re.search(r"\bby\s+(?:the\s+)?", text[verb.end() :])
    actor = (
        next((m for m in reading.actors(verb.end() + by.end()) if m.start == verb.end() + by.end()), None)
        if by
        else None
    )
    for name in names:
        kind = "clearing_started" if under_way else "area_cleared"
        yield _area(kind, name, reading, context, actor)
    if gerund and gerund.start() > verb.start() and (not names or gerund.start() > text.find(names[-1])):
        what = re.split(r"\s+(?:in\s+order|for|to\s+(?!wards)|with|by|from)\b", gerund["what"])[0].strip()
        if what and not re.match(r"(?:ISIS|the|a)\b", what) and len(what) < 200:
            yield _area("clearing_started", what, reading, context, actor)


def _objects(text: str, start: int) -> list[str]:
    """What a clearing verb is done to when no list says it: "liberated Hit and Rutba"."""
    match = re.match(
        r"\s+(?:the\s+)?(?:(?:village|town|city|district|area)\s+of\s+)?(?P<names>[A-Z][^,;.]*(?:,\s*[A-Z][^,;.]*)*)",
        text[start:],
    )
    if match is None:
        return []
    end = _LIST_END.search(match["names"])
    return list(_items(match["names"][: end.start()] if end else match["names"]))


def headline(text: str) -> bool:
    """A title line: no full stop at its end, most of its words capitalised."""
    tokens = re.findall(r"[A-Za-z][\w'\u2019-]*", text)
    capitals = sum(token[0].isupper() for token in tokens)
    return not text.rstrip().endswith((".", "!", "?", '"', "\u201d")) and capitals >= 0.6 * max(
        1, len(tokens)
    )


def threats(reading: Reading, context: Context, previous: Reading | None) -> Iterator[Proposal]:
    text = reading.text
    threat = words.THREAT.search(text)
    if threat is None or headline(text):
        return
    names = area_names(text)
    start = reading.sentence.start
    if previous is not None and _ANAPHOR.search(text):
        before = area_names(previous.text)
        if before:
            names = [*before, *(name for name in names if name not in before)]
            start = previous.sentence.start
    actor_mention = next((m for m in reading.actors() if abs(m.start - threat.start()) < 25), None)
    for name in names:
        proposal = _area("threat_reported", name, reading, context, actor_mention, current=True)
        proposal.start = start
        if actor_mention is None and context.militant_side:
            proposal.fields["actor"] = context.militant_side
            proposal.guess(f"actor: {context.militant_side}, who the article's militants are")
        yield proposal


def _area(
    kind: str, name: str, reading: Reading, context: Context, actor: Mention | None, *, current: bool = False
) -> Proposal:
    s = reading.sentence
    slug = {"area_cleared": "cleared", "clearing_started": "clearing", "threat_reported": "threat"}[kind]
    proposal = Proposal(kind, s.start, s.end, {"area": name[:200]}, slug=f"{slug}-{name}")
    if context.operation is not None and kind != "threat_reported" and context.phase is not None:
        proposal.fields["operation"] = context.operation
        proposal.fields["phase"] = context.phase
        proposal.guess(
            f"operation: {context.operation} phase {context.phase}, the phase the article spoke of last", 0.05
        )
    note = context.names.index.place(name).note
    if note:
        proposal.guess(f"area: {note}", 0.05)
    if isinstance(actor, Mention):
        proposal.fields["actor"] = actor.canonical
        note_name(proposal, "actor", actor)
    elif kind != "threat_reported":
        verb = words.CLEARED.search(reading.text)
        at = verb.start() if verb else 0
        actor_for(proposal, reading, context, (0, len(reading.text)), (at, at))
    occurred(proposal, reading, context, current=current)
    return proposal
