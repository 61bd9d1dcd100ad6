"""What a rule needs to know beyond its sentence: the publication span, the names, and what the
article has said so far (its operation, the launches, the last phase, the last dates)."""

from __future__ import annotations

from collections import Counter

import attrs

from incidents.domain.values import DateSpan
from incidents.drafting.names import Mention, Names


@attrs.define
class Launch:
    key: str
    span: DateSpan | None
    phase: int | None


@attrs.define
class Context:
    names: Names
    published: DateSpan | None
    operations: Counter[str] = attrs.field(factory=Counter)  # canonical -> mentions so far
    operation_spellings: dict[str, list[str]] = attrs.field(factory=dict)  # canonical -> as written
    launches: list[Launch] = attrs.field(factory=list)
    phase: int | None = None  # the phase the article talks of last
    statement_span: DateSpan | None = None  # the date of the last sentence's statement, if any
    last_span: DateSpan | None = None  # the last date a sentence gave, within its paragraph
    last_paragraph: int = -1
    article_span: DateSpan | None = None  # the last date any sentence gave
    first_span: DateSpan | None = None  # the article's first date of an event (not of a statement)
    last_side: str | None = None  # the side of the last counted action, for "others"
    militant_side: str | None = None  # who the article's "militants" are, once it says
    last_actor: str | None = None  # who acted in the article's last action that said so
    last_actors: tuple[str, ...] = ()  # and who acted with them
    last_place: object | None = None  # the place the article named last

    def note_operation(self, mention: Mention) -> None:
        self.operations[mention.canonical] += 1
        spellings = self.operation_spellings.setdefault(mention.canonical, [])
        if mention.text not in spellings:
            spellings.append(mention.text)

    @property
    def operation(self) -> str | None:
        """The article's operation: the one it names most (first named on a tie)."""
        if not self.operations:
            return None
        return self.operations.most_common(1)[0][0]
