"""The drafting development set (tests/fixtures/drafting/): what its README promises of it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from incidents.formats.reference import read_name_index
from incidents.formats.report_file import read_report_file
from tests.bench.test_drafting_evaluation import SET, drafting
from tests.command import invoke
from tests.conftest import ROOT

FOLDER = ROOT / "tests" / "fixtures" / "drafting"
NAMES = read_name_index(SET.aliases)
# The operation whose other reports are kept out of the set (an evaluation set of its own).
HELD_OUT = re.compile(r"will (of|to) victory|irada(t)? al-nasr", re.IGNORECASE)


def test_the_set_lists_every_article_and_gold_file_once() -> None:
    texts = {path.stem for path in (FOLDER / "articles").glob("*.txt")}
    golds = {path.stem for path in (FOLDER / "gold").glob("*.yaml")} - {"aliases"}
    listed = [article.name for article in SET.articles]
    assert len(listed) == len(set(listed))
    assert set(listed) == texts
    assert {article.gold.stem for article in SET.articles} == golds | {
        path.stem for path in (ROOT / "seeds").glob("*.yaml") if path.stem != "aliases"
    }
    assert len(golds) >= 10  # beyond the two seeds


def test_every_gold_file_validates_with_the_sets_aliases(tmp_path: Path) -> None:
    result = invoke(tmp_path / "unused.db", "validate", str(FOLDER / "gold"))
    assert result.exit_code == 0, result.output
    for article in SET.articles:
        read_report_file(article.gold, NAMES)  # the seeds too, with the set's aliases


def test_every_gold_quote_stands_in_its_article() -> None:
    for article in SET.articles:
        for action in read_report_file(article.gold, NAMES).actions:
            assert drafting.locate(action.quote, article.text) is not None, (article.name, action.id)


def test_other_reports_of_the_held_out_operation_are_kept_out() -> None:
    seeds = {path.stem for path in (ROOT / "seeds").glob("*.yaml")}
    for article in SET.articles:
        if article.name not in seeds:
            assert not HELD_OUT.search(article.text), article.name


def test_every_other_report_says_it_is_an_excerpt_and_where_it_comes_from() -> None:
    for path in sorted((FOLDER / "gold").glob("*.yaml")):
        if path.name == "aliases.yaml":
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "excerpt" in document["notes"].lower(), path.name
        assert {"outlet", "url", "published"} <= set(document["source"]), path.name
