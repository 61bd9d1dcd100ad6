"""A feature file's paths stay in the scenario's folders: nothing written outside its scratch
folder, nothing read from outside the project folder, and the refusal names file:line and step."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.specs.world import RunningStep, ScenarioPathError, World
from tests.specs.conftest import check, write_feature

ESCAPING = [
    ("../../escaped.yaml", "goes up out of the folder with '..'"),
    ("reports/../../escaped.yaml", "goes up out of the folder with '..'"),
    ("..\\..\\escaped.yaml", "goes up out of the folder with '..'"),
    ("/tmp/escaped.yaml", "is an absolute path"),
    ("\\escaped.yaml", "is an absolute path"),
    ("C:\\escaped.yaml", "names a drive or a network share"),
    ("C:escaped.yaml", "names a drive or a network share"),
    ("\\\\server\\share\\escaped.yaml", "names a drive or a network share"),
]


@pytest.mark.parametrize(("written", "reason"), ESCAPING)
def test_a_file_written_outside_the_scratch_folder_fails_its_step_with_file_line_and_text(
    dataset: Path, written: str, reason: str
) -> None:
    write_feature(
        dataset,
        "escape.feature",
        f'''
        Feature: Escape
          Scenario: Writing outside
            Given a report file "{written}" containing:
              """
              written: by a feature file
              """
        ''',
    )
    before = sorted(dataset.parent.rglob("*"))
    result = check("features/escape.feature")
    assert result.exit_code == 1
    assert f'features/escape.feature:3: "{written}" is refused: it {reason}' in result.output
    assert "a scenario writes files only inside its own scratch folder" in result.output
    assert f'  | Given a report file "{written}" containing:' in result.output
    assert sorted(dataset.parent.rglob("*")) == before  # nothing written next to the dataset
    assert not list(Path("/tmp").glob("escaped.yaml"))


@pytest.mark.parametrize("step", ['the report file "{}" is loaded', 'the reports in "{}" are loaded'])
@pytest.mark.parametrize("written", ["../dataset/seeds", "/etc/passwd", "C:\\seeds"])
def test_a_file_read_from_outside_the_project_folder_fails_its_step(
    dataset: Path, step: str, written: str
) -> None:
    text = "Given " + step.format(written)
    write_feature(dataset, "read.feature", f"Feature: Read\n  Scenario: Reading outside\n    {text}\n")
    result = check("features/read.feature")
    assert result.exit_code == 1
    assert f'features/read.feature:3: "{written}" is refused' in result.output
    assert "a scenario reads files only from the folder the check runs from" in result.output
    assert f"  | {text}" in result.output


def test_paths_inside_the_folders_are_read_and_written_as_before(dataset: Path) -> None:
    write_feature(
        dataset,
        "inside.feature",
        '''
        Feature: Inside
          Scenario: Writing and reading inside
            Given names resolve with the reference data in "seeds/aliases.yaml"
            And a report file "batch/./extra.yaml" containing:
              """
              not: a report
              """
            When I try to load the report file "batch/extra.yaml"
            Then the load fails with an error in "extra.yaml"
        ''',
    )
    result = check("features/inside.feature")
    assert result.exit_code == 0, result.output


def test_a_symbolic_link_out_of_the_scratch_folder_is_not_followed(tmp_path: Path) -> None:
    scratch, outside = tmp_path / "scratch", tmp_path / "outside"
    scratch.mkdir()
    outside.mkdir()
    (scratch / "link").symlink_to(outside, target_is_directory=True)
    world = World(root=tmp_path, scratch=scratch)
    world.step = RunningStep("features/x.feature:4", 'Given a report file "link/x.yaml" containing:')
    with pytest.raises(ScenarioPathError) as refused:
        world.write("link/x.yaml", "id: x")
    assert str(refused.value).startswith(
        'features/x.feature:4: "link/x.yaml" is refused: it leads out of the folder through a symbolic link'
    )
    assert not list(outside.iterdir())


def test_failures_name_the_files_as_the_scenario_wrote_them(dataset: Path) -> None:
    write_feature(
        dataset,
        "names.feature",
        '''
        Feature: Names
          Scenario: A bad file
            Given this report file "batch/bad.yaml" is loaded:
              """
              id: x
              """

          Scenario: A flag that is not there
            Given the seed reports are loaded
            Then the load flags "nothing like this"
        ''',
    )
    result = check("features/names.feature")
    assert result.exit_code == 1
    assert "\n          batch/bad.yaml:1: source: every report needs a source" in result.output
    assert 'no flag contains "nothing like this"; the flags are:\n' in result.output
    assert " seeds/alshahid-2019-07-anti-isis-operations-clear-villages.yaml:59: place" in result.output
    assert "incidents-check-" not in result.output
    assert str(dataset) not in result.output
    assert "['" not in result.output
