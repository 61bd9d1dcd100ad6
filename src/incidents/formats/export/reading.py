"""Which reader an input file needs: ``incidents load`` asks here before reading a report file.

A ``.csv`` file is a CSV action table (only when named: folders are never searched for CSV, as
the gazetteer and other reference tables are CSV too). A YAML or JSON file whose top level says
``format: incidents/export v1`` is a bundle of several reports. Anything else is not an export.
"""

from __future__ import annotations

from pathlib import Path

from incidents.formats.errors import InvalidInputError
from incidents.formats.export.action_table import read_action_table
from incidents.formats.export.bundle import EXPORT_FORMAT, is_bundle, read_bundle
from incidents.formats.located import parse_document
from incidents.formats.report_file import ReportContent
from incidents.gazetteer import NameIndex

ACTION_TABLE_SUFFIX = ".csv"


def read_export(path: Path, names: NameIndex) -> list[ReportContent] | None:
    """The reports of an export file, or None when the file is not one (read it as a report file)."""
    if path.suffix.lower() == ACTION_TABLE_SUFFIX:
        return read_action_table(path, names)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None  # the report-file reader says what is wrong with it
    if EXPORT_FORMAT not in text:
        return None  # cheap: most report files are never parsed twice
    try:
        root = parse_document(text, str(path))
    except InvalidInputError:
        return None
    if not is_bundle(root):
        return None
    return read_bundle(root, str(path), names)
