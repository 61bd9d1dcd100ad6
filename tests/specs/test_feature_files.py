"""Feature files are found in folders and parsed before anything runs; problems name file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.specs.feature_files import FeatureFilesError, find_feature_files, read_feature


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "bad.feature: has no 'Feature:' line"),
        ("Feature: F\n  Scenario: S\n    Given x\n    Giv y\n", "bad.feature:4: "),
        ("Feature: F\n  Scenario: S\n    And x\n", "bad.feature:3: First step in a scenario"),
        ("Feature: F\n  Scenaro: S\n    Given x\n", "bad.feature: has no scenarios"),
        ("Scenario: S\n  Given x\n", "bad.feature:1: "),
        (
            "Feature: F\n  Scenario: S\n    Given x\n      | a | b |\n      | 1 |\n",
            "bad.feature:5: inconsistent cell count within the table",
        ),
    ],
)
def test_a_malformed_feature_names_its_file_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.feature"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FeatureFilesError) as raised:
        read_feature(path, "bad.feature")
    assert str(raised.value).startswith(expected)


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.feature"
    path.write_bytes(b"Feature: \xff\xfe\n")
    with pytest.raises(FeatureFilesError, match="is not UTF-8 text"):
        read_feature(path, "bad.feature")


def test_folders_are_searched_recursively_and_each_file_is_found_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.feature").write_text("Feature: One\n")
    (tmp_path / "a" / "notes.txt").write_text("not a feature\n")
    (tmp_path / "two.feature").write_text("Feature: Two\n")
    found = find_feature_files([tmp_path, tmp_path / "two.feature"])
    assert found == [(tmp_path / "a" / "one.feature").resolve(), (tmp_path / "two.feature").resolve()]


def test_a_folder_without_feature_files_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(FeatureFilesError, match=r"no \.feature files in this folder"):
        find_feature_files([tmp_path])
