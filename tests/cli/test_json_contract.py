"""The JSON contract of docs/cli.md, byte for byte: every query of the seeds answers exactly as it
did when these files were written (``tests/cli/contract/``), from the read model and from the fold.

The files are frozen: a change of any byte here is a change of the contract that users' scripts
read, and must be made on purpose (and said in docs/cli.md), never by regenerating them.
Times of recording differ from one load to the next, so ``recorded`` is compared as a shape only.
The files are the documents indented by two spaces (``--indent 2``), byte for byte; without
``--indent`` the same document is one compact line (compared parsed, keys in the same order).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.command import invoke
from tests.conftest import SEEDS

CONTRACT = Path(__file__).parent / "contract"
REPORT = "rudaw-2019-08-28-will-of-victory-phase-4"

QUERIES: dict[str, tuple[str, ...]] = {
    "totals": ("totals", "--as-of", "2019-08-28", "--by", "actor,phase"),
    "totals_plain": ("totals", "--as-of", "2019-08-28"),
    "totals_24": ("totals", "--as-of", "2019-08-24"),
    "totals_known": ("totals", "--as-of", "2019-08-28", "--known-at", "2019-08-01"),
    "totals_rec": ("totals", "--as-of", "2019-08-28", "--recorded-at", "5"),
    "areas": ("areas", "--as-of", "2019-08-01"),
    "areas_28": ("areas", "--as-of", "2019-08-28"),
    "areas_known": ("areas", "--as-of", "2019-08-28", "--known-at", "2019-08-01"),
    "history_karma": ("areas", "--history", "Karma"),
    "claims": ("claims", "--as-of", "2019-08-28"),
    "replay": ("replay", "--until", "2019-08-28"),
    "strength": ("strength",),
    "explain": ("explain", "killed", "--side", "ISIS", "--as-of", "2019-08-28"),
    "hist_action": ("history", f"{REPORT}/pmf-statement-killed"),
    "conflicts": ("conflicts",),
    "phases": ("phases",),
    "phases_24": ("phases", "--as-of", "2019-08-24", "--known-at", "2019-08-01"),
    "explain_phase": ("explain", "arrested", "--side", "ISIS", "--by", "phase"),
}

RECORDED = re.compile(r'"recorded": ?"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"')


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("contract") / "seeds.db"
    assert invoke(db, "load", "--quiet", str(SEEDS)).exit_code == 0
    return db


def _without_times(text: str) -> str:
    return RECORDED.sub('"recorded": "<time>"', text)


@pytest.mark.parametrize("read_model", ["on", "off"])
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_seeds_answer_byte_for_byte_as_the_contract_says(
    seeds_store: Path, name: str, read_model: str
) -> None:
    env = {"INCIDENTS_READ_MODEL": read_model}
    result = invoke(seeds_store, *QUERIES[name], "--format", "json", "--indent", "2", env=env)
    assert result.exit_code == 0, result.output
    expected = (CONTRACT / f"{name}.json").read_text(encoding="utf-8")
    assert _without_times(result.stdout) == _without_times(expected)
    json.loads(result.stdout)  # and it is JSON


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_compact_document_is_the_same_document_on_one_line(seeds_store: Path, name: str) -> None:
    result = invoke(seeds_store, *QUERIES[name], "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1
    expected = (CONTRACT / f"{name}.json").read_text(encoding="utf-8")
    assert _in_order(result.stdout) == _in_order(expected)


def _in_order(text: str) -> object:
    """A JSON document with its objects as lists of pairs: equal only with the keys in order."""
    return json.loads(_without_times(text), object_pairs_hook=list)
