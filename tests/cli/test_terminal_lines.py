"""What the commands print themselves (not the query tables): report-derived text escaped for
the terminal, counts in words, options that may be repeated."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.command import invoke
from tests.conftest import RUDAW, SEEDS


def test_an_error_naming_a_file_shows_its_escape_sequence_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "bad\x1b[2J.yaml"
    bad.write_text("report: [unclosed\n", encoding="utf-8")
    result = invoke(tmp_path / "store.db", "load", str(bad))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "bad\\x1b[2J.yaml" in result.stderr
    assert not (tmp_path / "store.db").exists()


def test_a_loaded_report_says_its_actions_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(SEEDS / "aliases.yaml", folder)
    shutil.copytree(SEEDS / "gazetteer", folder / "gazetteer")
    shutil.copy(RUDAW, folder)
    result = invoke(tmp_path / "store.db", "load", str(folder))
    assert result.exit_code == 0, result.output
    assert "(9 actions, report rudaw-2019-08-28" in result.stdout
    assert " 1 actions" not in result.stdout


def test_by_may_be_repeated_as_well_as_comma_separated(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    repeated = invoke(
        db, "totals", "--as-of", "2019-08-28", "--by", "actor", "--by", "phase", "--format", "json"
    )
    joined = invoke(db, "totals", "--as-of", "2019-08-28", "--by", "actor,phase", "--format", "json")
    assert repeated.exit_code == 0, repeated.output
    assert json.loads(repeated.stdout) == json.loads(joined.stdout)
    assert json.loads(joined.stdout)["query"]["by"] == ["actor", "phase"]
