"""The drafter's two indexes of what it has proposed answer as the scans they replace."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from incidents.drafting.drafter import _Covered, _Proposed

spans = st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda s: (s[0], s[0] + s[1]))


def _proposal(kind: str, slug: str, area: str | None) -> Any:
    return SimpleNamespace(
        kind=kind, slug=slug, fields={} if area is None else {"area": area}, start=0, end=0
    )


@given(covered=st.lists(spans, max_size=12), sentence=spans)
def test_a_sentence_is_covered_exactly_when_some_quoted_span_holds_it(
    covered: list[tuple[int, int]], sentence: tuple[int, int]
) -> None:
    proposals: Any = [SimpleNamespace(start=start, end=end) for start, end in covered]
    start, end = sentence
    assert _Covered(proposals).covers(start, end) == any(s <= start and end <= e for s, e in covered)


kinds = st.sampled_from(["area_cleared", "threat_reported", "phase_launched", "operation_launched", "killed"])
areas = st.one_of(st.none(), st.sampled_from(["Karma", "karma ", "Khairat", "Al-Garma"]))


@given(
    earlier=st.lists(st.tuples(kinds, st.sampled_from("ab"), areas), max_size=8),
    later=st.tuples(kinds, st.sampled_from("ab"), areas),
)
def test_a_repeat_is_the_same_area_or_the_same_launch_of_one_kind(
    earlier: list[tuple[str, str, str | None]], later: tuple[str, str, str | None]
) -> None:
    proposed = _Proposed()
    for kind, slug, area in earlier:
        proposed.add(_proposal(kind, slug, area))
    kind, slug, area = later

    def key(value: object) -> str:
        return " ".join("".join(c if c.isalnum() or c == "_" else " " for c in str(value)).split()).lower()

    expected = any(
        other_kind == kind
        and (
            (area is not None and key(other_area) == key(area))
            or (kind in ("operation_launched", "phase_launched", "phase_ended") and other_slug == slug)
        )
        for other_kind, other_slug, other_area in earlier
    )
    assert proposed.repeats(_proposal(kind, slug, area)) == expected
