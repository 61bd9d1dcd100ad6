"""The catalogue section of docs/writing-specs.md is generated, and can be checked and rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.specs.catalogue import step_definitions
from incidents.specs.catalogue_doc import (
    END,
    START,
    CatalogueMarkersError,
    catalogue_in,
    main,
    render_catalogue,
)
from incidents.specs.steps import STEP_MODULES

STALE_PAGE = f"# Writing specs\n\nintro\n\n## Step catalogue\n\n{START}\nold rows\n{END}\n\n## After\n"


def test_every_step_and_every_example_is_in_the_catalogue_in_module_order() -> None:
    catalogue = render_catalogue()
    assert catalogue.startswith(START)
    assert catalogue.endswith(END)
    for step in step_definitions():
        for example in step.examples:
            assert f"`{example}`" in catalogue
    titles = [line for line in catalogue.splitlines() if line.startswith("### ")]
    assert len(titles) == len(STEP_MODULES)
    assert titles[0] == "### Loading reports"


def test_keywords_are_listed_in_gherkin_order() -> None:
    assert "| Given, When | Load every report file in a folder" in render_catalogue()


def test_check_fails_on_a_stale_page_and_write_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "writing-specs.md"
    page.write_text(STALE_PAGE, encoding="utf-8")
    assert main(["--check", str(page)]) == 1
    assert "python -m incidents.specs.catalogue_doc --write" in capsys.readouterr().err
    assert main(["--write", str(page)]) == 0
    assert main(["--check", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Writing specs\n\nintro\n\n## Step catalogue\n\n" + render_catalogue())
    assert text.endswith(f"{END}\n\n## After\n")


def test_a_page_without_the_markers_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# No markers\n", encoding="utf-8")
    assert main(["--write", str(page)]) == 2
    assert page.read_text(encoding="utf-8") == "# No markers\n"
    with pytest.raises(CatalogueMarkersError):
        catalogue_in("# No markers\n")
