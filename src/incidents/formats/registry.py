"""Every file format the log reads or writes, in one place.

- **Reading** (``read_input_file``): what ``incidents load`` makes of a named file. A ``.csv``
  file is a CSV action table (only when named: folders are never searched for CSV, as the
  gazetteer and other reference tables are CSV too). A YAML or JSON file whose top level says
  ``format: incidents/export v1`` is a bundle of several reports. Anything else is a report file.
  Datasets of other projects are read by their own reader (``DATASETS``), one report per record,
  and imported with ``incidents import NAME``.
- **Writing** (``WRITERS``): what ``incidents export --format NAME`` writes from the exported
  actions; ``loads_back`` says whether ``incidents load`` reads it back into equal projections.

A new format is one entry here (and its module in ``formats/``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from attrs import frozen

from incidents.formats.export.acled import write_acled
from incidents.formats.export.action_table import read_action_table, write_action_table
from incidents.formats.export.bundle import EXPORT_FORMAT, is_bundle, read_bundle, write_bundle
from incidents.formats.export.exported import ExportedAction, Written
from incidents.formats.export.geojson import write_geojson
from incidents.formats.located import check_regular_file, parse_document, read_text
from incidents.formats.report_file import ReportContent, parse_report, parse_report_tree
from incidents.formats.ucdp import UcdpGedFile
from incidents.gazetteer import NameIndex

ACTION_TABLE_SUFFIX = ".csv"

WriteExport = Callable[[Sequence[ExportedAction], Mapping[str, Any], IO[str]], Written]


@frozen
class Writer:
    """An export format: how it is written, and whether ``incidents load`` reads it back."""

    write: WriteExport
    loads_back: bool
    file_name: str  # a file name for it, e.g. in a scenario's folder


WRITERS: dict[str, Writer] = {
    "json": Writer(write_bundle, loads_back=True, file_name="export.json"),
    "csv": Writer(write_action_table, loads_back=True, file_name="export.csv"),
    "geojson": Writer(write_geojson, loads_back=False, file_name="export.geojson"),
    "acled-csv": Writer(write_acled, loads_back=False, file_name="export-acled.csv"),
}

# Datasets of other projects: a reader of one file, whose ``reports`` reads it (again) from the
# start as (line, report) pairs.
DATASETS: dict[str, Callable[[Path], Any]] = {"ucdp-ged": UcdpGedFile}


@frozen
class ReadFile:
    """The reports of one named file, and whether it was an export (several reports) or not."""

    reports: tuple[ReportContent, ...]
    exported: bool


def read_input_file(path: Path, names: NameIndex) -> ReadFile:
    """The reports of a file ``incidents load`` is given: an export's, or the one report file's.

    The file is read once (``located.read_text``: a regular file, within the size limit, UTF-8)."""
    if path.suffix.lower() == ACTION_TABLE_SUFFIX:
        check_regular_file(path)
        return ReadFile(tuple(read_action_table(path, names)), exported=True)
    return read_input_text(read_text(path), str(path), names)


def read_input_text(text: str, file: str, names: NameIndex) -> ReadFile:
    """The reports of a report file's (or a YAML or JSON export's) text, read as a file named
    ``file`` is: the same checks and messages, without reading anything from disk."""
    if EXPORT_FORMAT not in text:  # cheap: most report files are not exports
        return ReadFile((parse_report(text, file, names),), exported=False)
    root = parse_document(text, file)
    if is_bundle(root):
        return ReadFile(tuple(read_bundle(root, file, names)), exported=True)
    return ReadFile((parse_report_tree(root, file, names),), exported=False)
