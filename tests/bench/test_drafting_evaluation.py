"""The drafting evaluation (bench/drafting.py): the matching rule on small hand-made pairs, and
the scores it gives a whole set (the gold itself, an empty draft, a draft that is refused)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.formats.reference import read_name_index
from tests.bench.modules import bench_module
from tests.conftest import ROOT

drafting = bench_module("drafting")
NAMES = read_name_index(ROOT / "seeds" / "aliases.yaml")

ARTICLE = (
    "Four ISIS militants were killed on Saturday, two by airstrikes.\n"
    "Police arrested seven suspects in Karma.\n"
    "This brings the total number killed to 11 ISIS members and 2 PMF fighters.\n"
    "Another seven ISIS suspects were arrested in Anbar.\n"
)


S1, S2, S3, S4 = ARTICLE.splitlines()


def entry(**fields: object) -> str:
    """An action entry of a report file, as a flow mapping (each value as JSON)."""
    return "{" + ", ".join(f"{key}: {json.dumps(value)}" for key, value in fields.items()) + "}"


def actions(*entries: str) -> list[object]:
    """The compared actions of a report file (published 2019-08-28) with these action entries."""
    text = (
        "source: {outlet: Test, url: 'https://example.org/a', published: 2019-08-28}\n"
        "actions:\n" + "".join(f"  - {entry}\n" for entry in entries)
    )
    return [drafting.compared(action, ARTICLE) for action in drafting.actions_of(text, "t.yaml", NAMES)]


KILLED_4 = entry(type="killed", occurred="on Saturday", side="ISIS", count=4, quote=S1)
ARRESTED_KARMA = entry(type="arrested", occurred="2019-08-27", side="ISIS", count=7, place="Karma", quote=S2)


def test_same_type_and_overlapping_quote_match_whatever_their_fields() -> None:
    gold = actions(KILLED_4)
    draft = actions(entry(type="killed", occurred="2019-08-25", side="ISIS", count=5, quote=S1[:30]))
    assert drafting.match(gold, draft) == [(0, 0)]
    result = drafting.score(gold, draft)
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.share("count") == 0.0
    assert result.share("occurred") == 0.0
    assert result.share("side") == 1.0


def test_a_different_type_never_matches_even_on_the_same_quote() -> None:
    gold = actions(KILLED_4)
    draft = actions(entry(type="wounded", occurred="on Saturday", side="ISIS", count=4, quote=S1))
    assert drafting.match(gold, draft) == []
    result = drafting.score(gold, draft)
    assert (result.precision, result.recall) == (0.0, 0.0)


def test_without_overlapping_quotes_the_same_type_side_and_count_match() -> None:
    gold = actions(ARRESTED_KARMA)
    draft = actions(entry(type="arrested", occurred="2019-08-27", side="ISIS", count=7, quote=S4))
    assert drafting.match(gold, draft) == [(0, 0)]
    assert drafting.score(gold, draft).share("place") == 0.0  # the draft states none


@pytest.mark.parametrize(("side", "count"), [("ISIS", 6), ("PMF", 7)])
def test_without_overlapping_quotes_another_side_or_count_is_another_action(side: str, count: int) -> None:
    draft = actions(entry(type="arrested", occurred="2019-08-27", side=side, count=count, quote=S4))
    assert drafting.match(actions(ARRESTED_KARMA), draft) == []


def test_matching_is_one_to_one() -> None:
    gold = actions(KILLED_4)
    draft = actions(KILLED_4, entry(type="killed", occurred="on Saturday", side="ISIS", count=2, quote=S1))
    assert drafting.match(gold, draft) == [(0, 0)]  # the one that agrees on the count
    result = drafting.score(gold, draft)
    assert (result.precision, result.recall) == (0.5, 1.0)


def test_actions_of_one_quote_pair_by_the_fields_they_agree_on() -> None:
    claim = {"type": "total_claimed", "occurred": "2019-08-27", "metric": "killed", "quote": S3}
    gold = actions(entry(**claim, side="ISIS", count=11), entry(**claim, side="PMF", count=2))
    draft = list(reversed(gold))
    assert drafting.match(gold, draft) == [(0, 1), (1, 0)]
    assert drafting.score(gold, draft).share("side") == 1.0


def test_area_actions_without_overlapping_quotes_match_by_area() -> None:
    def cleared(area: str, quote: str) -> list[object]:
        return actions(entry(type="area_cleared", occurred="2019-08-27", area=area, quote=quote))

    gold = cleared("Karma", S2)
    assert drafting.match(gold, cleared("Garma", S4)) == [(0, 0)]  # Garma is an alias of Karma
    assert drafting.match(gold, cleared("Anbar", S4)) == []


def test_shares_count_the_pairs_that_state_the_field() -> None:
    gold = actions(KILLED_4, ARRESTED_KARMA)
    draft = actions(
        entry(type="killed", occurred="on Saturday", side="ISIS", actor="PMF", count=4, quote=S1),
        ARRESTED_KARMA,
    )
    result = drafting.score(gold, draft)
    assert result.right["actor"] == (0, 1)  # stated by the draft only, once
    assert result.right["place"] == (1, 1)  # stated by both, once
    assert result.right["count"] == (2, 2)


def test_quotes_are_found_across_typography_spacing_and_left_out_words() -> None:
    text = "The coalition\u2019s  air power\nstruck. \u201cThese areas are dangerous,\u201d he said."
    assert drafting.locate("The coalition's air power struck.", text) == (0, 33)
    assert drafting.locate('"These areas ... he said', text) is not None
    assert drafting.locate("not in the text", text) is None


# -- The whole set ---------------------------------------------------------------------------

SET = drafting.read_set(drafting.DEFAULT_SET)


def test_the_gold_drafted_as_itself_scores_one_everywhere() -> None:
    results = drafting.evaluate(
        SET, lambda article, _aliases, _names: article.gold.read_text(encoding="utf-8")
    )
    total = sum((r.score for r in results), drafting.NOTHING)
    assert total.gold == total.drafted == total.matched > 100
    assert all(total.share(field) == 1.0 for field in drafting.FIELDS)
    assert all(r.status == "valid" for r in results)


def test_an_empty_draft_a_refused_draft_and_a_crash_recall_nothing() -> None:
    empty = "source: {outlet: T, url: 'https://example.org', published: 2019-08-28}\nactions: []\n"
    refused = "source: {outlet: T}\nactions: []\n"

    def crash(_article: object, _source: object, _aliases: Path) -> str:
        raise ValueError("boom")

    for drafter, status in (
        (lambda *_: empty, "valid"),
        (lambda *_: refused, "invalid"),
        (crash, "crashed: ValueError: boom"),
    ):
        results = drafting.evaluate(SET, drafter)
        total = sum((r.score for r in results), drafting.NOTHING)
        assert total.matched == total.drafted == 0
        assert total.recall == 0.0
        assert all(r.status.startswith(status) for r in results)
    table = drafting.render(drafting.table(results), markdown=True)
    assert table.splitlines()[-1].startswith(
        f"| all ({len(SET.articles)}, median ms) | {total.gold} | 0 | 0 | - | 0.00 |"
    )


def test_details_name_what_was_missed_added_and_what_differs() -> None:
    first = SET.articles[0]

    def one_count_off(article: drafting.Article, _source: object, _aliases: Path) -> str:
        text = article.gold.read_text(encoding="utf-8")
        return text.replace("count: 13", "count: 12") if article == first else "not: a report"

    results = drafting.evaluate(SET, one_count_off)
    shown = drafting.details(results[:2]).splitlines()
    assert f"{first.name}: differs operation-total-arrested (total_claimed): count 13 vs 12" in shown
    assert any(line.startswith(f"{SET.articles[1].name}: invalid") for line in shown)
    assert any(line.startswith(f"{SET.articles[1].name}: missed  area_cleared") for line in shown)


def test_the_table_by_type_counts_each_type_apart() -> None:
    def killed_as_wounded(article: drafting.Article, _source: object, _aliases: Path) -> str:
        return article.gold.read_text(encoding="utf-8").replace("type: killed", "type: wounded")

    rows = {row[0]: row[1:] for row in drafting.table_by_type(drafting.evaluate(SET, killed_as_wounded))}
    gold_killed = rows["killed"][0]
    assert rows["killed"] == (gold_killed, "0", "0", "-", "0.00")
    assert rows["area_cleared"][3:] == ("1.00", "1.00")
    gold, drafted, matched = (int(cell) for cell in rows["wounded"][:3])
    assert drafted == gold + int(gold_killed)
    assert matched == gold
