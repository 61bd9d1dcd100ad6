"""Counts a source gives without a plain figure: the conventions that turn them into numbers.

Both conventions are documented in docs/data-format.md ("Counts as sources give them"); a count
read by either keeps its marker (``Estimate.approximate``, ``Estimate.unknown``) wherever it goes,
so that totals, explain and export always say how much of a figure rests on them.

- **Approximate** ("around twenty", "some 15", "nearly 40"): the source's figure is the best
  estimate; unless the source states bounds, they are the figure less and more
  ``APPROXIMATE_MARGIN`` of it, rounded outward, and at least one either side.
- **Unknown** ("some suspects were arrested", "dozens of militants"): no figure at all. The word
  is kept, and counted by ``UNKNOWN_COUNTS``: the least number the word can mean, as ACLED codes
  vague fatality reports ("dozens" as 12, "hundreds" as 100), and "at least one" for the words
  that promise no more. The figure is a floor, never a guess at the truth: low, best and high
  are all that floor, and every answer marks it.
"""

from __future__ import annotations

from fractions import Fraction

APPROXIMATE_MARGIN = Fraction(1, 5)  # "around 20" is 16-24 (best 20)

# The words of an unknown count, and the figure each is counted as.
UNKNOWN_COUNTS: dict[str, int] = {
    "some": 1,
    "several": 1,
    "a few": 1,
    "a number of": 1,
    "many": 1,
    "unknown": 1,  # "an unknown number of"
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1000,
}


def approximate_bounds(best: int) -> tuple[int, int]:
    """The bounds of an approximate figure whose source states none: ``best`` less and more
    ``APPROXIMATE_MARGIN`` of it, rounded outward, at least one either side, never below 0."""
    margin = max(1, -(-best * APPROXIMATE_MARGIN.numerator // APPROXIMATE_MARGIN.denominator))
    return max(0, best - margin), best + margin


def unknown_count(word: str) -> int:
    """The figure an unknown count is counted as; ValueError for a word the convention lacks."""
    try:
        return UNKNOWN_COUNTS[word]
    except KeyError:
        known = ", ".join(UNKNOWN_COUNTS)
        raise ValueError(f"an unknown count is one of: {known}; got {word!r}") from None
