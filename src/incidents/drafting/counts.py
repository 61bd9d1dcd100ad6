"""Counts as news prose writes them, to the count forms of a report file.

"4", "four", "twenty-five", "1,200" are exact; "14-18,000", "14,000 to 18,000" and "between 10
and 15" are ranges (``14000-18000``); "around twenty", "some 20", "nearly 20" are approximate
(``{about: 20}``); "dozens", "several", "a number of" are unknown counts by the documented words
(``{unknown: dozens}``); "a member", "another militant" are one. Number words are read by
``text2num``; everything else here is a rule over the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
from text_to_num import text2num

from incidents.domain.limits import MAX_COUNT
from incidents.drafting.lexicon import NUMBER_WORDS, SCALE_WORDS

CountValue = int | str | dict[str, object]

_WORD = rf"(?:{'|'.join(NUMBER_WORDS + SCALE_WORDS)})"
_WORDS = rf"{_WORD}(?:(?:\s+and\s+|[\s-]+){_WORD})*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
_NUMBER = rf"(?:{_DIGITS}|{_WORDS}|a\s+dozen|half\s+a\s+dozen|a\s+hundred|a\s+thousand)"
_APPROXIMATELY = r"around|about|some|nearly|almost|approximately|roughly|an\s+estimated|close\s+to|up\s+to"
_AT_LEAST = r"at\s+least|more\s+than|over|no\s+fewer\s+than|no\s+less\s+than"
_NOT_A_COUNT = (  # a figure of time, distance or share, not of people or things
    r"\s*(?:am|pm|a\.m\.|p\.m\.|midnight|noon|hours?|o'clock|%|percent|per\s+cent|km|kilomet|"
    r"miles?|years?\s+old|years?\b|days?\b|weeks?\b|months?\b)"
)
_VAGUE = {
    "dozens": "dozens",
    "scores": "dozens",
    "hundreds": "hundreds",
    "thousands": "thousands",
    "several": "several",
    "a few": "a few",
    "a number of": "a number of",
    "many": "many",
    "numerous": "many",
    "some": "some",
    "an unknown number of": "unknown",
    "more": "some",
}
PERSON_NOUNS = (
    "member|militant|soldier|civilian|officer|policeman|policewoman|fighter|child|woman|man|person|"
    "commander|leader|emir|suspect|terrorist|jihadist|insurgent|gunman|official|guard|resident|"
    "farmer|shepherd|worker|journalist|volunteer|recruit|trooper|conscript|police officer|"
    "security member|tribesman|individual|operative|element"
)
_PATTERN = re.compile(
    rf"(?P<between>\bbetween\s+(?P<b1>{_NUMBER})\s+and\s+(?P<b2>{_NUMBER}))"
    rf"|(?P<range>(?<![\w.,-])(?P<r1>{_DIGITS}|{_WORDS})\s*(?:-|\u2013|\u2014|\s+to\s+|\s+or\s+)\s*(?P<r2>{_DIGITS}|{_WORDS}))(?![\w-])"
    rf"|(?:(?<![\w-])(?:(?P<about>{_APPROXIMATELY})|(?P<least>{_AT_LEAST}))\s+)?(?<![\w.,-])(?P<number>{_NUMBER})(?![\w-]|[.,]\d|{_NOT_A_COUNT})"
    rf"|(?P<vague>\b(?:an\s+unknown\s+number\s+of|a\s+number\s+of|a\s+few|dozens|scores|hundreds|thousands|several|many|numerous|some|more(?=\s+(?:members|militants|fighters|terrorists|insurgents)\b)))\b"
    rf"|(?P<one>\b(?:a|an|one|another)\s+(?:[\w-]+\s+){{0,2}}?(?:{PERSON_NOUNS})\b)",
    re.IGNORECASE,
)


@attrs.frozen
class CountPhrase:
    """A count in the text: where it is, what it says, its report-file value."""

    start: int
    end: int
    text: str
    value: CountValue
    note: str | None = None  # what the value leaves out ("at least"), for a comment
    exact: bool = True

    @property
    def figure(self) -> int | None:
        """A single figure (the best, the low of a range, the floor of an unknown word)."""
        if isinstance(self.value, int):
            return self.value
        if isinstance(self.value, str):
            return int(self.value.split("-")[0])
        about = self.value.get("about")
        return about if isinstance(about, int) else None


def number(text: str) -> int | None:
    """A whole number written in digits or English words, or None."""
    words = " ".join(text.lower().replace("-", " ").split())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", words):
        return int(words.replace(",", "")) if len(words) <= 12 else None
    fixed = {"a dozen": 12, "half a dozen": 6, "a hundred": 100, "a thousand": 1000}
    if words in fixed:
        return fixed[words]
    try:
        return int(text2num(words, "en"))
    except ValueError:
        return None


def counts(text: str) -> Iterator[CountPhrase]:
    """Every count phrase of ``text``, in order, none overlapping."""
    for match in _PATTERN.finditer(text):
        phrase = _phrase(match)
        if phrase is not None and _within_limits(phrase.value):
            yield phrase


def _phrase(match: re.Match[str]) -> CountPhrase | None:
    start, end, said = match.start(), match.end(), match.group()
    if match["range"] and not re.search(r"\d", said) and number(said) is not None:
        return CountPhrase(start, end, said, number(said) or 0)  # "twenty-five"
    if match["between"] or match["range"]:
        low = number(match["b1"] or match["r1"])
        high = number(match["b2"] or match["r2"])
        if low is None or high is None:
            return None
        if match["range"] and ("or" in said.split() or "to" in said.split()) and low >= high:
            return None
        if high >= 1000 and low < 1000 and high % 1000 == 0 and low * 1000 <= high:
            low *= 1000  # "14-18,000"
        if _is_years(low, high) or low > high:
            return None
        if low == high:
            return CountPhrase(start, end, said, low)
        return CountPhrase(start, end, said, f"{low}-{high}")
    if match["number"]:
        figure = number(match["number"])
        if figure is None:
            return None
        if match["about"]:
            return CountPhrase(start, end, said, {"about": figure}, exact=False)
        if match["least"]:
            return CountPhrase(start, end, said, figure, note=f"'{match['least']}': the figure is a floor")
        return CountPhrase(start, end, said, figure)
    if match["vague"]:
        word = _VAGUE[" ".join(match["vague"].lower().split())]
        return CountPhrase(start, end, said, {"unknown": word}, exact=False)
    return CountPhrase(start, end, said, 1)


def _is_years(low: int, high: int) -> bool:
    return 1900 <= low <= 2100 and 1900 <= high <= 2100


def _within_limits(value: CountValue) -> bool:
    if isinstance(value, int):
        return value <= MAX_COUNT
    if isinstance(value, str):
        return all(int(part) <= MAX_COUNT for part in value.split("-"))
    about = value.get("about")
    return not isinstance(about, int) or about <= MAX_COUNT
