"""``incidents validate`` writes nothing and lists every problem; the published JSON Schema is
generated from the catalogue and agrees with the reader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from incidents.cli import main
from incidents.formats.schema import schema_text
from tests.conftest import ROOT, SEEDS
from tests.domain.amendments.conftest import PMF_KILL, report

SCHEMA_FILE = ROOT / "docs" / "report-file.schema.json"


class _DatesAsText(yaml.SafeLoader):
    """YAML as JSON tools see it: dates stay text (as in a JSON report file)."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [resolver for resolver in resolvers if resolver[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_json_document(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_published_schema_is_generated_from_the_catalogue() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/report-file.schema.json is out of date: run "
        ".venv/bin/python -m incidents.formats.schema > docs/report-file.schema.json"
    )


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.yaml") if p.name != "aliases.yaml"))
def test_the_seeds_follow_the_schema(validator: jsonschema.Draft202012Validator, seed: str) -> None:
    assert [error.message for error in validator.iter_errors(as_json_document(SEEDS / seed))] == []


SOURCE = 'source: {outlet: Wire, url: "https://wire.example/1", published: 2019-08-28}\n'


@pytest.mark.parametrize(
    "text",
    [
        "actions: []\n",  # no source
        SOURCE + "actions:\n  - {type: kiled, occurred: 2019-08-24, quote: q, side: ISIS, count: 1}\n",
        SOURCE + "actions:\n  - {type: killed, occurred: 2019-08-24, quote: q, count: 1}\n",  # no side
        SOURCE
        + "actions:\n  - {type: killed, occurred: 2019-08-24, quote: q, side: ISIS, count: 1, sidee: x}\n",
        SOURCE + "actions:\n  - {type: killed, occurred: 2019-08-24, quote: q, side: ISIS, count: lots}\n",
        SOURCE + "actions:\n  - {type: phase_launched, occurred: 2019-08-24, quote: q, phase: 0}\n",
        SOURCE + "actions:\n  - {type: duplicate, same: [a/b]}\n",
        SOURCE + "actions:\n  - {type: correction, target: a/b, changes: {}}\n",
    ],
)
def test_what_the_schema_rejects_the_reader_rejects(
    validator: jsonschema.Draft202012Validator, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert list(validator.iter_errors(as_json_document(path)))
    result = invoke(tmp_path / "store.db", "validate", str(path))
    assert result.exit_code == 1
    assert "bad.yaml" in result.output


def test_validate_accepts_the_seeds_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    result = invoke(db, "validate", str(SEEDS))
    assert result.exit_code == 0, result.output
    assert (
        "2 report file(s) valid (25 actions and amendments, 11 flagged as load would flag them)"
        in result.output
    )
    assert result.output.count("flagged: ") == 11
    assert not db.exists()


def test_validate_lists_every_problem_of_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SOURCE + "actions:\n  - {type: killed, occurred: someday, quote: q}\n")
    (tmp_path / "b.yaml").write_text("actions: []\n")
    result = invoke(tmp_path / "store.db", "validate", str(tmp_path))
    assert result.exit_code == 1
    assert "a.yaml:3: actions[0].occurred" in result.output
    assert "a.yaml:3: actions[0].side: required for killed" in result.output
    assert "b.yaml:1: source" in result.output
    assert "problems; nothing was written." in result.output


def test_amendment_targets_are_checked_against_the_store_on_request(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    assert invoke(db, "load", "-q", str(SEEDS)).exit_code == 0
    amendment = tmp_path / "amend.yaml"
    amendment.write_text(
        report(
            "fix", "2019-09-01", f"  - type: correction\n    target: {PMF_KILL}x\n    changes: {{count: 2}}\n"
        ),
        encoding="utf-8",
    )
    alone = invoke(db, "validate", str(amendment))
    assert alone.exit_code == 0
    assert f"not checked: {PMF_KILL}x" in alone.output
    checked = invoke(db, "validate", "--with-store", str(amendment))
    assert checked.exit_code == 1
    assert f"amend.yaml:5: actions[0].target: no such action: {PMF_KILL}x" in checked.output


def test_schema_prints_the_published_schema(tmp_path: Path) -> None:
    result = invoke(tmp_path / "store.db", "schema")
    assert result.exit_code == 0
    assert result.output == SCHEMA_FILE.read_text(encoding="utf-8")


def test_validate_lists_near_matches_of_names_that_resolve_to_nothing(tmp_path: Path) -> None:
    wire = tmp_path / "wire.yaml"
    wire.write_text(
        "format: incidents/report v1\nid: wire-tarmiyah\n"
        "source: {outlet: Wire, url: 'https://wire.example/t', published: 2019-09-10}\n"
        "actions:\n"
        "  - {type: killed, occurred: 2019-09-08, side: Deash, count: 2, place: Tarmiyah, quote: q}\n",
        encoding="utf-8",
    )
    result = invoke(tmp_path / "never.db", "validate", "--aliases", str(SEEDS / "aliases.yaml"), str(wire))
    assert result.exit_code == 0, result.output
    assert (
        f"flagged: {wire}:5: place 'Tarmiyah' is not in the gazetteer; did you mean Al-Tarmiya, "
        "Al-Kadhmiyah, Baghdad (IQG08Q02N04)? (kept as written)"
    ) in result.output
    assert (
        f"flagged: {wire}:5: actor 'Deash' is not in the alias data; did you mean 'ISIS'? (kept as written)"
        in (result.output)
    )
    assert not (tmp_path / "never.db").exists()


def test_validate_refuses_reference_data_that_includes_itself(tmp_path: Path) -> None:
    (tmp_path / "aliases.yaml").write_text("include: [other.yaml]\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("include: aliases.yaml\n", encoding="utf-8")
    wire = tmp_path / "wire.yaml"
    wire.write_text(
        "format: incidents/report v1\nid: w\n"
        "source: {outlet: Wire, url: 'https://w.example', published: 2019}\n"
        "actions:\n  - {type: killed, occurred: 2019, side: ISIS, count: 2, quote: q}\n",
        encoding="utf-8",
    )
    result = invoke(tmp_path / "never.db", "validate", str(wire))
    assert result.exit_code == 1
    assert (
        f"error: {(tmp_path / 'other.yaml').resolve()}:1: include: the reference files include one another"
        in (result.output)
    )
