"""The UCDP GED files the tests read, and the CSV's own sums, computed without the reader.

The slice is committed (tests/fixtures/ucdp/, see its ATTRIBUTION.md). The full file is not: the
``full_ucdp`` fixture finds it at ``$INCIDENTS_UCDP_GED`` or the shared data folder, and skips
the test when it is absent.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT

SLICE = ROOT / "tests" / "fixtures" / "ucdp" / "ucdp-ged-syria-slice.csv"
FULL = Path(os.environ.get("INCIDENTS_UCDP_GED", "/work/shared/data/ucdp-ged-syria-2016-2019-v19.1.csv"))


@pytest.fixture
def full_ucdp() -> Path:
    """The full UCDP GED Syria file (16,566 events); the test is skipped without it."""
    if not FULL.is_file():
        pytest.skip(f"the full UCDP GED file is not at {FULL} (set INCIDENTS_UCDP_GED)")
    return FULL


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def deaths_by_year_and_side(path: Path) -> dict[tuple[str, str], int]:
    """UCDP's own figures summed by year and side: side_a's deaths_a, side_b's deaths_b, ..."""
    sums: Counter[tuple[str, str]] = Counter()
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            year = row["year"]
            sums[year, row["side_a"]] += int(row["deaths_a"])
            sums[year, row["side_b"]] += int(row["deaths_b"])
            sums[year, "Civilians"] += int(row["deaths_civilians"])
            sums[year, "Unknown"] += int(row["deaths_unknown"])
    return {key: total for key, total in sums.items() if total}


def write_csv(path: Path, rows: list[dict[str, str]], fields: list[str] | None = None) -> Path:
    """A UCDP-shaped CSV of ``rows`` (with the slice's header unless ``fields`` is given)."""
    header = fields or list(csv_rows(SLICE)[0])
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
