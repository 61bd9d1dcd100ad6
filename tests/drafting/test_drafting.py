"""Drafting: counts, dates, names, split totals, the seeds, and that no text makes it crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.drafting import draft_article
from incidents.drafting.counts import counts
from incidents.formats.reference import read_name_index
from incidents.formats.registry import read_input_text
from incidents.gazetteer import NameIndex
from tests.conftest import ROOT

NAMES = read_name_index(ROOT / "seeds" / "aliases.yaml")
META = {"outlet": "Wire", "url": "https://wire.example/a", "published": "2019-08-28"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("four", 4),
        ("twenty-five", 25),
        ("1,200", 1200),
        ("14-18,000", "14000-18000"),
        ("14,000 to 18,000", "14000-18000"),
        ("between 10 and 15", "10-15"),
        ("around twenty", {"about": 20}),
        ("some 20", {"about": 20}),
        ("dozens", {"unknown": "dozens"}),
        ("a member", 1),
    ],
)
def test_counts_from_digits_and_words(text: str, value: object) -> None:
    assert [c.value for c in counts(text)] == [value]


def test_years_ordinals_and_words_inside_words_are_no_counts() -> None:
    assert list(counts("the 10th Brigade, someone, often, 2019-2020")) == []


def _draft(text: str, **meta: str) -> tuple[str, ...]:
    draft = draft_article(text, names=NAMES, metadata={**META, **meta})
    return tuple(f"{c.kind} {c.fields.get('count')} {c.fields.get('occurred')}" for c in draft.candidates)


def test_relative_dates_resolve_against_publication() -> None:
    assert _draft("Three militants were killed on Saturday.") == ("killed 3 2019-08-24",)
    assert _draft("Three militants were killed yesterday.") == ("killed 3 2019-08-27",)
    assert _draft("Three militants were killed a week ago.") == ("killed 3 2019-08-21",)
    assert _draft("Two ISIS members were arrested last Wednesday.") == ("arrested 2 2019-08-21",)


def test_a_publication_span_gives_spans() -> None:
    found = _draft("Five suspects were arrested a week ago.", published="2019-07-28/2019-07-31")
    assert found == ("arrested 5 2019-07-21/2019-07-24",)


def test_sides_resolve_through_the_aliases() -> None:
    draft = draft_article("Two Hashd al-Shaabi fighters were wounded on Monday.", names=NAMES, metadata=META)
    assert [c.fields["side"] for c in draft.candidates] == ["PMF"]


def test_a_split_total_is_a_breakdown_and_a_cumulative_total_a_claim() -> None:
    text = (
        "Four ISIS militants were killed on Saturday; two by airstrikes undertaken by the US-led "
        "coalition, and two more by the PMF. This brings the total number of ISIS militants killed "
        "over the course of the operation to seven."
    )
    draft = draft_article(text, names=NAMES, metadata=META)
    killed, claim = draft.candidates
    assert killed.fields["breakdown"] == [
        {"count": 2, "actor": "US-led coalition", "means": "airstrike"},
        {"count": 2, "actor": "PMF"},
    ]
    assert (claim.kind, claim.fields["metric"], claim.fields["count"]) == ("total_claimed", "killed", 7)


def test_a_count_over_a_period_is_a_claim() -> None:
    found = _draft("Government forces have killed more than 600 ISIS fighters over the past three months.")
    assert found == ("total_claimed 600 2019-08-28",)
    toll = _draft(
        "Ten ISIS militants were killed on Saturday, increasing the toll of slain militants to 749."
    )
    assert toll == ("total_claimed 749 2019-08-24", "killed 10 2019-08-24")


def test_materiel_is_drafted_item_by_item() -> None:
    draft = draft_article(
        "Troops recovered three pieces of 36 hand grenade, four Dane guns and an AK-47 rifle on Monday.",
        names=NAMES,
        metadata=META,
    )
    assert [(c.fields["item"], c.fields["count"]) for c in draft.candidates] == [
        ("hand grenade", 3),
        ("Dane guns", 4),
        ("AK-47 rifle", 1),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The third phase of Will of Victory ended on Tuesday night.",
            [{"type": "phase_ended", "operation": "Will of Victory", "phase": 3, "occurred": "2019-08-27"}],
        ),
        (
            "Iraq declared victory over ISIS in December 2017.",
            [{"type": "declaration", "declared": "victory over ISIS", "occurred": "2017-12"}],
        ),
        (
            "Areas that still hold an ISIS threat include Khairat and Karma.",
            [
                {"type": "threat_reported", "area": "Khairat", "actor": "ISIS", "occurred": "2019-08-28"},
                {"type": "threat_reported", "area": "Karma", "actor": "ISIS", "occurred": "2019-08-28"},
            ],
        ),
        (
            "Troops continue to clear the villages of Albu Bali and Garma.",
            [
                {"type": "clearing_started", "area": "Albu Bali", "occurred": "2019-08-28"},
                {"type": "clearing_started", "area": "Garma", "occurred": "2019-08-28"},
            ],
        ),
        (
            "Two PMF fighters were killed last Saturday.",
            [{"type": "killed", "side": "PMF", "count": 2, "occurred": "2019-08-24"}],
        ),
    ],
)
def test_actions_of_the_catalogue(text: str, expected: list[dict[str, object]]) -> None:
    draft = draft_article(text, names=NAMES, metadata=META)
    found = [{k: v for k, v in c.fields.items() if k not in ("id", "quote")} for c in draft.candidates]
    assert found == expected


def test_a_place_the_gazetteer_lacks_gets_its_near_matches() -> None:
    text = "Security forces killed dozens of ISIS militants near Tarmiyah on Monday."
    (candidate,) = draft_article(text, names=NAMES, metadata=META).candidates
    assert candidate.fields["count"] == {"unknown": "dozens"}
    assert any("did you mean Al-Tarmiya" in comment for comment in candidate.comments)


def test_quotes_are_the_sentences_verbatim_with_offsets() -> None:
    text = "Background.\nFour ISIS militants were killed on Saturday. Nothing else."
    (candidate,) = draft_article(text, names=NAMES, metadata=META).candidates
    assert (
        candidate.quote
        == text[candidate.start : candidate.end]
        == "Four ISIS militants were killed on Saturday."
    )


def test_html_metadata_fills_what_is_not_given() -> None:
    page = (
        "<html><head><title>T</title><meta property='og:site_name' content='Wire'>"
        "<meta property='og:url' content='https://wire.example/p'>"
        "<meta property='article:published_time' content='2019-08-28T10:00:00Z'>"
        "<script>var killed = 5;</script></head>"
        "<body><p>Five militants were killed on Saturday.</p></body></html>"
    )
    draft = draft_article(page, names=NAMES)
    assert draft.metadata == {
        "outlet": "Wire",
        "title": "T",
        "url": "https://wire.example/p",
        "published": "2019-08-28",
    }
    assert [c.fields["occurred"] for c in draft.candidates] == ["2019-08-24"]


def test_missing_metadata_is_left_for_review() -> None:
    draft = draft_article("Five militants were killed on Saturday.", names=NAMES)
    assert draft.missing == ("outlet", "url", "published")
    assert "# TODO published" in draft.report_file()


SEEDS = [
    ("rudaw-2019-08-28-will-of-victory-phase-4", "Rudaw English", "2019-08-28"),
    ("alshahid-2019-07-anti-isis-operations-clear-villages", "Al-Shahid Witness", "2019-07-28/2019-07-31"),
]


@pytest.mark.parametrize(("name", "outlet", "published"), SEEDS)
def test_the_seed_drafts_have_every_action_of_the_seeds(name: str, outlet: str, published: str) -> None:
    text = (ROOT / "tests" / "fixtures" / "drafting" / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    draft = draft_article(
        text, names=NAMES, metadata={"outlet": outlet, "url": "https://x.example/", "published": published}
    )
    drafted = read_input_text(draft.report_file(), "draft.yaml", NAMES).reports[0]
    gold = read_input_text(
        (ROOT / "seeds" / f"{name}.yaml").read_text(encoding="utf-8"), "gold.yaml", NAMES
    ).reports[0]

    def shape(actions: object) -> list[tuple[str, str, str]]:
        return sorted(
            (a.kind, str(getattr(a, "count", "")), str(a.occurred))
            for a in actions  # type: ignore[attr-defined]
        )

    assert shape(drafted.actions) == shape(gold.actions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec="utf-8")),
        st.sampled_from(
            [
                "",
                "هذا نص عربي: قتل ثلاثة",
                "Четыре боевика убиты в субботу.",
                "<script>alert(1)</script><p>4 killed</p>",
            ]
        ),
        st.builds(
            lambda s: f"<html><body><script>{s}</script><p>{s} killed on Saturday.</p></body></html>",
            st.text(),
        ),
    ),
    st.sampled_from([None, True, False]),
)
def test_any_text_gives_a_valid_draft(text: str, html: bool | None) -> None:
    draft = draft_article(text, names=NAMES, html=html, metadata=META)
    read_input_text(draft.report_file(), "draft.yaml", NAMES)  # raises if the reader refused it
    for candidate in draft.candidates:
        assert draft.text[candidate.start : candidate.end] == candidate.quote


_ARTICLE_WORDS = st.sampled_from(
    [
        "Four",
        "ISIS",
        "militants",
        "were",
        "killed",
        "on",
        "Saturday",
        "and",
        "three",
        "others",
        "wounded",
        ";",
        "two",
        "by",
        "the",
        "PMF",
        ",",
        ".",
        "14-18,000",
        "around",
        "twenty",
        "dozens",
        "arrested",
        "areas",
        "of",
        "Karma",
        "cleared",
        "threat",
        "include",
        "phase",
        "launched",
        "brings",
        "total",
        "to",
        "seven",
        "\n",
        "“",
        "”",
        "<p>",
        "</p>",
        "recovered",
        "weapons",
        "a",
        "week",
        "ago",
        "yesterday",
        "Tuesday",
        "night",
        "at",
        "end",
        "June",
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_ARTICLE_WORDS, max_size=60).map(" ".join),
    st.sampled_from(["2019-08-28", "2019-07-28/2019-07-31"]),
)
def test_any_article_of_the_rules_own_words_gives_a_valid_draft(text: str, published: str) -> None:
    """Text made of the very words the rules look for reaches every rule's corners."""
    draft = draft_article(text, names=NAMES, metadata={**META, "published": published})
    read_input_text(draft.report_file(), "draft.yaml", NAMES)
    for candidate in draft.candidates:
        assert draft.text[candidate.start : candidate.end] == candidate.quote
        assert 0 < candidate.confidence <= 1


def test_without_reference_data_names_are_kept_as_written(tmp_path: Path) -> None:
    draft = draft_article("Four militants were killed on Saturday.", names=NameIndex(), metadata=META)
    assert [c.fields["side"] for c in draft.candidates] == ["militants"]
