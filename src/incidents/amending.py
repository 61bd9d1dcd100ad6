"""Amendments made on the command line, recorded as small reports of their own.

``incidents correct`` (and ``retract``, ``link``, ``prefer``) writes the amendment as a report
file would state it and reads it with the same parser, so a value given on the command line
(``--set occurred=2019-08-25``, ``--set "place={name: Karma, qualifier: south of}"``) means
exactly what it means in a report file. The report's source is the published statement the
correction comes from, when one is given, or else the analyst who made it, on the day it was
made: a correction is never back-dated into what was "known" before it was made.

The report key is derived from the content and the day, so repeating a command the same day
records nothing new (``unchanged``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import yaml
from attrs import frozen

from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.report_file import FORMAT, ReportContent, parse_report_tree
from incidents.gazetteer import NameIndex

COMMAND_LINE = "<command line>"


@frozen
class Attribution:
    """Who makes the amendment: a published source (outlet, url, published) or an analyst."""

    analyst: str
    made_on: date
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None

    def source(self, key: str) -> dict[str, Any]:
        if self.outlet is None:
            return {
                "outlet": f"analyst: {self.analyst}",
                "url": f"urn:incidents:amendment:{key}",
                "published": self.made_on.isoformat(),
            }
        source = {
            "outlet": self.outlet,
            "url": self.url or f"urn:incidents:amendment:{key}",
            "published": (self.published or self.made_on).isoformat(),
        }
        if self.title:
            source["title"] = self.title
        return source


def parse_settings(settings: Sequence[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` pairs; each value is read as YAML, as it would be in a report file."""
    changes: dict[str, Any] = {}
    problems = []
    for number, setting in enumerate(settings, start=1):
        field, equals, value = setting.partition("=")
        if not equals or not field.strip():
            problems.append(
                InputProblem(COMMAND_LINE, None, f"--set #{number}", f"expected FIELD=VALUE, got {setting!r}")
            )
            continue
        try:
            changes[field.strip()] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError as error:
            problems.append(
                InputProblem(COMMAND_LINE, None, f"--set {field.strip()}", f"not a value: {error}")
            )
    if problems:
        raise InvalidInputError(problems)
    return changes


def check_full_refs(refs: Sequence[str]) -> None:
    """On the command line a target names its report: ``report-key/action-id``."""
    bad = [ref for ref in refs if "/" not in ref.strip("/")]
    if bad:
        raise InvalidInputError(
            [
                InputProblem(COMMAND_LINE, None, "target", f"expected report-key/action-id, got {ref!r}")
                for ref in bad
            ]
        )


def amendment_report(
    kind: str, fields: Mapping[str, Any], attribution: Attribution, names: NameIndex
) -> ReportContent:
    """The report that states one amendment, read by the report-file parser."""
    check_full_refs([fields["target"]] if "target" in fields else list(fields.get("same", [])))
    statement = {"id": kind, "type": kind, **{k: v for k, v in fields.items() if v is not None}}
    fingerprint = json.dumps([statement, attribution.source("")], sort_keys=True, default=str)
    digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:12]
    key = f"amendment-{attribution.made_on.isoformat()}-{digest}"
    document = {
        "format": FORMAT,
        "id": key,
        "source": attribution.source(key),
        "actions": [statement],
    }
    try:
        return parse_report_tree(document, COMMAND_LINE, names)
    except InvalidInputError as error:
        raise on_command_line(error) from None


def on_command_line(error: InvalidInputError) -> InvalidInputError:
    """Problems of the generated report, told as the options that caused them (no lines)."""
    return InvalidInputError(
        [
            InputProblem(COMMAND_LINE, None, _option_of(problem.field), problem.message)
            if problem.file == COMMAND_LINE
            else problem
            for problem in error.problems
        ]
    )


def _option_of(field: str | None) -> str | None:
    return field.removeprefix("actions[0].") if field else None
