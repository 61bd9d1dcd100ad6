"""``incidents draft``: an article to a report file that ``incidents validate`` accepts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from incidents.cli import main
from tests.command import invoke
from tests.conftest import ROOT

ALIASES = str(ROOT / "seeds" / "aliases.yaml")
ARTICLE = (
    ROOT / "tests" / "fixtures" / "drafting" / "articles" / "rudaw-2019-08-28-will-of-victory-phase-4.txt"
)
RUDAW = ["--outlet", "Rudaw English", "--url", "https://rudaw.net/english/middleeast/iraq/280820193"]


def test_a_draft_written_to_a_file_validates(tmp_path: Path) -> None:
    out = tmp_path / "rudaw.yaml"
    db = tmp_path / "store.db"
    result = invoke(
        db, "draft", str(ARTICLE), *RUDAW, "--published", "2019-08-28", "--aliases", ALIASES, "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "8 candidate action(s)" in result.output
    checked = invoke(db, "validate", "--aliases", ALIASES, str(out))
    assert checked.exit_code == 0, checked.output
    assert not db.exists()  # drafting opens no store


def test_an_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "kept.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke(tmp_path / "s.db", "draft", str(ARTICLE), "-o", str(out))
    assert result.exit_code == 1
    assert "exists: give --force" in result.output
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_standard_input_without_metadata_says_what_is_missing(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["--db", str(tmp_path / "s.db"), "draft", "-", "--aliases", ALIASES],
        input="Four ISIS militants were killed on Saturday.\n",
    )
    assert result.exit_code == 0, result.output
    assert "type: killed" in result.output
    assert "# TODO published" in result.output
    assert "needs source.outlet, source.url, source.published" in result.output


def test_a_published_date_that_is_no_date_is_bad_input(tmp_path: Path) -> None:
    result = invoke(tmp_path / "s.db", "draft", str(ARTICLE), *RUDAW, "--published", "last week")
    assert result.exit_code == 1
    assert "published" in result.output
    assert "nothing was written" in result.output
