"""Names in a sentence: the actors, operations and places of the reference data it mentions.

The reference data (``NameIndex``) keys every name by the spellings it is looked up under
(``gazetteer.name_keys``: case, punctuation, ``Al-`` and ``Province`` aside). A mention is a run
of words whose spelling is such a key, longest first. Two guards keep ordinary words from being
names: a single-word mention must begin with a capital (an alias of four letters or more from
the aliases file excepted: "the coalition"), and one of three letters or fewer must be written
in capitals ("IS", never the verb "is").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Literal

import attrs

from incidents.domain.values import normalise_name
from incidents.gazetteer import NameIndex

Kind = Literal["actor", "operation", "place"]
_WORD = re.compile(r"\w+")
_LONGEST = 8  # words in the longest name looked for


@attrs.frozen
class Mention:
    start: int  # offsets in the text searched
    end: int
    text: str  # as written
    kind: Kind
    canonical: str  # the canonical name (actors, operations), or the P-code (places)


@attrs.frozen
class Names:
    """The reference data as lookups by spelling: each key to (kind, canonical or P-code)."""

    index: NameIndex
    keys: Mapping[str, tuple[Kind, str, bool]]  # key -> kind, canonical, listed as an alias

    @classmethod
    def of(cls, index: NameIndex) -> Names:
        keys: dict[str, tuple[Kind, str, bool]] = {}
        for key, unit_list in index.units_by_name.items():
            if unit_list:
                keys[key] = ("place", unit_list[0].pcode, False)
        for key, pcode in index.place_aliases.items():
            keys[key] = ("place", pcode, True)
        for key, name in index.operations.items():
            keys[key] = ("operation", name, True)
        for key, name in index.actors.items():
            keys[key] = ("actor", name, True)
        return cls(index, keys)

    def mentions(self, text: str) -> Iterator[Mention]:
        """The names ``text`` mentions, in order, longest first where they overlap."""
        words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(text)]
        position = 0
        while position < len(words):
            found = self._longest_at(text, words, position)
            if found is None:
                position += 1
                continue
            mention, length = found
            yield mention
            position += length

    def _longest_at(
        self, text: str, words: list[tuple[int, int, str]], position: int
    ) -> tuple[Mention, int] | None:
        for length in range(min(_LONGEST, len(words) - position), 0, -1):
            run = words[position : position + length]
            written = text[run[0][0] : run[-1][1]]
            if not _one_phrase(written):
                continue
            key = normalise_name(written)
            listed = self.keys.get(key)
            if listed is None:
                continue
            kind, canonical, alias = listed
            if length == 1 and not _single_word_ok(written, alias=alias):
                continue
            if length > 1 and not written[0].isupper() and not alias:
                continue
            return Mention(run[0][0], run[-1][1], written, kind, canonical), length
        return None


def _one_phrase(written: str) -> bool:
    """No sentence punctuation inside a name ("Karma, Samarra" is two)."""
    return not re.search(r"[,;:.!?()\"\u201c\u201d]", written)


def _single_word_ok(word: str, *, alias: bool) -> bool:
    if len(word) <= 3:
        return word.isupper()
    return word[0].isupper() or (alias and len(word) >= 4)
