"""An analyst's dataset folder to run ``incidents check`` from, and the command itself."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from incidents.cli import main
from tests.conftest import SEEDS


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a copy of seeds/ and an empty features/, made the current folder: steps'
    relative paths ("seeds") resolve there, as they do for an analyst."""
    folder = tmp_path / "dataset"
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / "features").mkdir()
    monkeypatch.chdir(folder)
    return folder


def write_feature(folder: Path, name: str, text: str) -> Path:
    path = folder / "features" / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def write_misspelt_feature(folder: Path) -> Path:
    """features/misspelt.feature, whose last step (line 5) misspells "killed"."""
    return write_feature(
        folder,
        "misspelt.feature",
        """
        Feature: Misspelt
          Scenario: A typo
            Given the seed reports are loaded
            When I ask for the totals as of 2019-08-28
            Then ISIS kiled is 5
        """,
    )


def check(*arguments: str) -> Result:
    return CliRunner().invoke(main, ["check", *arguments])
