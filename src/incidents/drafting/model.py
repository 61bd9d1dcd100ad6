"""What a draft is: the candidate actions, the sentences that gave none, the article's metadata."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from incidents.drafting.writing import REQUIRED_METADATA, report_file_text


@attrs.frozen(kw_only=True)
class Candidate:
    """One proposed action."""

    key: str  # the action's id in the report file
    kind: str  # the report file's action type (killed, arrested, phase_launched, ...)
    start: int  # character offsets of its sentence(s) in the article's plain text
    end: int
    quote: str  # that text, verbatim (== text[start:end])
    confidence: float  # 0..1
    fields: Mapping[str, object]  # the action as written into the report file (type, id, quote too)
    comments: tuple[str, ...] = ()  # one per guessed field


@attrs.frozen(kw_only=True)
class Missed:
    """A sentence that mentions numbers or action words but gave no candidate."""

    start: int
    end: int
    text: str
    why: str


@attrs.frozen(kw_only=True)
class Draft:
    """A drafted report: the article's plain text (the offsets refer to it), its metadata
    (``None``: left for review), the candidates and what gave none."""

    text: str
    metadata: Mapping[str, object]
    candidates: tuple[Candidate, ...]
    missed: tuple[Missed, ...]
    notes: tuple[str, ...] = ()  # about the whole draft (where metadata came from, ...)

    @property
    def missing(self) -> tuple[str, ...]:
        """The required source fields neither given nor found: the file validates once they are
        filled in."""
        return tuple(key for key in REQUIRED_METADATA if self.metadata.get(key) is None)

    def report_file(self) -> str:
        """The draft as a report file (YAML with review comments); ``incidents validate``
        accepts it whenever nothing is ``missing``."""
        return report_file_text(self)
