"""The structure-aware fuzzer: mutated seed report files, aliases files, UCDP slices and action
tables through ``incidents validate``, ``load``, ``import ucdp-ged`` and the queries (see harness.py for what
must hold, mutations.py for what is changed, conftest.py for how long it runs)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.conftest import ALIASES, ALSHAHID, RUDAW, SEEDS
from tests.formats.ucdp.conftest import SLICE
from tests.fuzz import mutations
from tests.fuzz.harness import FIGURES, check_no_traceback, fuzz_settings, ingest_and_query, run

SEED_REPORTS = {path.name: path.read_text(encoding="utf-8") for path in (RUDAW, ALSHAHID)}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one report that no mutation of the seeds is (an amendment's target lies
    outside the mutated file): copied for each input, so that a refusal can be checked to leave
    its bytes alone."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    other = folder / "other.yaml"
    text = ALSHAHID.read_text(encoding="utf-8").replace(
        "id: alshahid-2019-07-anti-isis-operations-clear-villages", "id: fuzz-template-report", 1
    )
    other.write_text(text, encoding="utf-8")
    shutil.copy(ALIASES, folder / "aliases.yaml")
    shutil.copytree(SEEDS / "gazetteer", folder / "gazetteer")
    db = folder / "template.db"
    result = run(db, "load", "--quiet", str(other))
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def action_table(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds exported as an action table (``export --format csv``): the CSV seed to mutate."""
    db = tmp_path_factory.mktemp("fuzz-action-table") / "seeds.db"
    assert run(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    exported = run(db, "export", "--format", "csv")
    assert exported.exit_code == 0, exported.output
    return exported.stdout


def dataset_folder() -> Path:
    """A folder with the seeds' reference data (a new one per input)."""
    folder = Path(tempfile.mkdtemp(prefix="incidents-fuzz-"))
    shutil.copy(ALIASES, folder / "aliases.yaml")
    shutil.copytree(SEEDS / "gazetteer", folder / "gazetteer")
    return folder


@fuzz_settings(100)
@given(st.data())
def test_mutated_report_files_never_break_validate_load_or_the_queries(
    template: Path, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(SEED_REPORTS)), label="seed")
    suffix, content = data.draw(mutations.report_file(SEED_REPORTS[name]), label="report file")
    folder = dataset_folder()
    try:
        path = folder / f"report{suffix}"
        path.write_bytes(content)
        note(f"input {path.name}: {content[:2000]!r}")
        validated = run(template, "validate", str(path))
        check_no_traceback(validated, "validate", content)
        FIGURES["validate", "accepted" if validated.exit_code == 0 else "refused"] += 1
        ingest_and_query("load (report files)", template, folder, ["load", str(path)], [path], content)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings(40)
@given(st.data())
def test_mutated_aliases_files_never_break_load(template: Path, data: st.DataObject) -> None:
    content = data.draw(mutations.aliases_file(ALIASES.read_text(encoding="utf-8")), label="aliases file")
    folder = dataset_folder()
    try:
        aliases = folder / "aliases.yaml"
        aliases.write_bytes(content)
        (folder.parent / "outside.csv").write_text("level,pcode,name_en,adm1_en,adm2_en\n", encoding="utf-8")
        report = folder / RUDAW.name
        shutil.copy(RUDAW, report)
        note(f"aliases.yaml: {content[:2000]!r}")
        ingest_and_query(
            "load (aliases files)", template, folder, ["load", str(folder)], [aliases, report], content
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings(80)
@given(st.data())
def test_mutated_ucdp_slices_never_break_import_or_the_queries(template: Path, data: st.DataObject) -> None:
    content = data.draw(mutations.csv_file(SLICE.read_text(encoding="utf-8")), label="UCDP CSV")
    folder = Path(tempfile.mkdtemp(prefix="incidents-fuzz-"))
    try:
        path = folder / "ged.csv"
        path.write_bytes(content)
        note(f"ged.csv: {content[:3000]!r}")
        ingest_and_query(
            "import ucdp-ged", template, folder, ["import", "ucdp-ged", "--quiet", str(path)], [path], content
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings(60)
@given(st.data())
def test_mutated_action_tables_never_break_load_or_the_queries(
    template: Path, action_table: str, data: st.DataObject
) -> None:
    content = data.draw(mutations.csv_file(action_table, rows=12), label="action table")
    folder = dataset_folder()
    try:
        path = folder / "actions.csv"
        path.write_bytes(content)
        note(f"actions.csv: {content[:3000]!r}")
        ingest_and_query("load (action tables)", template, folder, ["load", str(path)], [path], content)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
