"""Actions in words: places after "in", or after the relation the source states."""

from __future__ import annotations

import pytest

from incidents.domain.values import Place
from incidents.output.describe import place_phrase, quantity


@pytest.mark.parametrize(
    ("place", "phrase"),
    [
        (Place("Karma"), "in Karma"),
        (Place("Salah Al-Din", qualifier="south of"), "south of Salah Al-Din"),
        (Place("Karma", qualifier="near"), "near Karma"),
    ],
)
def test_a_place_reads_after_a_verb(place: Place, phrase: str) -> None:
    assert place_phrase(place) == phrase


def test_a_quantity_is_singular_for_one() -> None:
    assert [quantity(n, "action") for n in (0, 1, 9)] == ["0 actions", "1 action", "9 actions"]
