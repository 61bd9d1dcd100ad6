"""Loading report files into the log: validate everything first, then record.

A load is all or nothing at the level of the command: if any file has a problem, or conflicts
with what is recorded, nothing from any of the files is written. Each report is then recorded
in one transaction of its own, so a crash mid-load leaves whole reports, never half of one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from attrs import frozen

from incidents.application import IncidentLog, Outcome
from incidents.domain.amendments import ActionRef, Correction, DuplicateLink, target_problems
from incidents.domain.errors import ReportConflictError
from incidents.domain.report import Report
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.export.reading import read_export
from incidents.formats.reference import ALIASES_FILE, find_aliases_file, read_name_index
from incidents.formats.report_file import REPORT_SUFFIXES, ReportContent, Statement, read_report_file
from incidents.gazetteer import NameIndex


@frozen
class Loaded:
    report: ReportContent
    outcome: Outcome


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named, or found (recursively, sorted) in the folders named.

    Folders are searched for YAML and JSON only: a CSV action table is read when named.
    """
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
            names = indexes[aliases_file]
            # An export (a CSV action table, a JSON bundle) holds several reports; else one report.
            exported = read_export(file, names)
            contents.extend(exported if exported is not None else [read_report_file(file, names)])
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
    """Record validated reports; refuse them all if any conflicts with what is recorded, or
    amends an action that is neither recorded nor in the same load."""
    for content in contents:
        existing = log.find_report(content.key)
        if existing is not None and existing.digest != content.digest:
            error = ReportConflictError(content.key, existing.digest, content.digest)
            raise InvalidInputError([InputProblem(content.file, None, "id", str(error))])
    problems = amendment_problems(contents, log.find_report)
    if problems:
        raise InvalidInputError(problems)
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


def amendment_problems(
    contents: Sequence[ReportContent], find_report: Callable[[str], Report | None] | None
) -> list[InputProblem]:
    """Every amendment must point at statements that exist (recorded, or in this load) and that it
    can apply to: a correction's fields must exist on its target, and so on. Without
    ``find_report`` (validating files alone), amendments of reports outside them are not checked."""
    in_load = {content.key: content for content in contents}
    recorded: dict[str, Report | None] = {}

    def find(ref: ActionRef) -> Statement | None:
        if ref.report in in_load:
            return next((s for s in in_load[ref.report].actions if s.id == ref.action), None)
        assert find_report is not None
        if ref.report not in recorded:
            recorded[ref.report] = find_report(ref.report)
        report = recorded[ref.report]
        return report.statement(ref.action) if report is not None else None

    problems: list[InputProblem] = []
    for content in contents:
        for amendment in content.amendments:
            if find_report is None and any(ref.report not in in_load for ref in amendment.targets):
                continue  # validating files alone: the target is in a report outside them
            field = "target" if not isinstance(amendment, DuplicateLink) else "same"
            line, path = content.where(amendment, field)
            found = [find(ref) for ref in amendment.targets]
            missing = [
                str(ref) for ref, statement in zip(amendment.targets, found, strict=True) if not statement
            ]
            if missing:
                problems.append(
                    InputProblem(
                        content.file,
                        line,
                        path,
                        f"no such action: {', '.join(missing)} (neither recorded nor in this load; "
                        "write report-key/action-id)",
                    )
                )
                continue
            if isinstance(amendment, Correction):
                line, path = content.where(amendment, "changes")
            problems.extend(
                InputProblem(content.file, line, path, message)
                for message in target_problems(amendment, [s for s in found if s is not None])
            )
    return problems


def external_targets(
    contents: Sequence[ReportContent], in_load: Mapping[str, object] | None = None
) -> list[str]:
    """The amendment targets in reports other than ``contents`` (or ``in_load``)."""
    keys = in_load if in_load is not None else {content.key: content for content in contents}
    return [
        str(ref)
        for content in contents
        for amendment in content.amendments
        for ref in amendment.targets
        if ref.report not in keys
    ]
