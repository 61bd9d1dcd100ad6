"""Loading report files into the log: validate everything first, then record.

A load is all or nothing at the level of the command: if any file has a problem, or conflicts
with what is recorded, nothing from any of the files is written. Each report is then recorded
in one transaction of its own, so a crash mid-load leaves whole reports, never half of one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import frozen

from incidents.application import IncidentLog, Outcome
from incidents.domain.errors import ReportConflictError
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.reference import ALIASES_FILE, find_aliases_file, read_name_index
from incidents.formats.report_file import REPORT_SUFFIXES, ReportContent, read_report_file
from incidents.gazetteer import NameIndex


@frozen
class Loaded:
    report: ReportContent
    outcome: Outcome


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named, or found (recursively, sorted) in the folders named."""
    files: list[Path] = []
    problems: list[InputProblem] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix in REPORT_SUFFIXES and found.name != ALIASES_FILE and found.is_file()
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append(InputProblem(str(path), None, None, "no such file or folder"))
    if problems:
        raise InvalidInputError(problems)
    # A file named twice (by a folder and by its own path) is one report file.
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def read_reports(paths: Sequence[Path], aliases: Path | None = None) -> list[ReportContent]:
    """Read and validate every report file, collecting the problems of all of them."""
    indexes: dict[Path | None, NameIndex] = {}
    contents: list[ReportContent] = []
    problems: list[InputProblem] = []
    for file in report_files(paths):
        aliases_file = aliases or find_aliases_file(file)
        try:
            if aliases_file not in indexes:
                indexes[aliases_file] = read_name_index(aliases_file)
            contents.append(read_report_file(file, indexes[aliases_file]))
        except InvalidInputError as error:
            problems.extend(error.problems)
    first_file: dict[str, str] = {}
    for content in contents:
        if content.key in first_file and first_file[content.key] != content.file:
            problems.append(
                InputProblem(
                    content.file,
                    None,
                    "id",
                    f"report id {content.key!r} is also used by {first_file[content.key]}",
                )
            )
        first_file.setdefault(content.key, content.file)
    if problems:
        raise InvalidInputError(problems)
    return contents


def load_reports(log: IncidentLog, contents: Sequence[ReportContent]) -> list[Loaded]:
    """Record validated reports; refuse them all if any conflicts with what is recorded."""
    for content in contents:
        existing = log.find_report(content.key)
        if existing is not None and existing.digest != content.digest:
            error = ReportConflictError(content.key, existing.digest, content.digest)
            raise InvalidInputError([InputProblem(content.file, None, "id", str(error))])
    return [
        Loaded(
            content,
            log.record_report(
                key=content.key,
                source=content.source,
                actions=content.actions,
                digest=content.digest,
            ),
        )
        for content in contents
    ]
