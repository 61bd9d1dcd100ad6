"""The step catalogue of docs/writing-specs.md, generated from the step library.

The catalogue is the analysts' reference, so it must say exactly what the code does: it is made
from the code, between two marker lines of the page, and a test fails when the page differs from
what this module generates. One section per step module, in ``STEP_MODULES`` order: the module
docstring's first line is the section's title and the rest its introduction; then a table of its
steps with their keywords, the summary (first paragraph) of their docstrings, and their examples.

Regenerate the page's catalogue with::

    python -m incidents.specs.catalogue_doc --write docs/writing-specs.md

(``--check FILE`` exits 1 when the file's catalogue is out of date; no option prints it.)
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from incidents.domain.errors import IncidentsError
from incidents.specs.catalogue import StepDefinition, step_definitions
from incidents.specs.steps import STEP_MODULES

START = "<!-- catalogue:start -->"
END = "<!-- catalogue:end -->"
COMMAND = "python -m incidents.specs.catalogue_doc --write docs/writing-specs.md"
KEYWORD_ORDER = ("given", "when", "then")

INTRODUCTION = f"""\
<!-- Generated from the step library by `{COMMAND}`:
     edit the steps' docstrings, not this section. -->

Each step is shown with examples: write yours with your own names, dates, numbers and quoted
texts (see "How steps read" above). A step listed as "Given, When" can start with either
keyword; `And` and `But` continue the keyword of the step before them."""


class CatalogueMarkersError(IncidentsError, ValueError):
    """The page lacks the marker lines that delimit the generated catalogue."""


def _markdown(text: str) -> str:
    """Docstring markup as Markdown: ``code`` becomes `code`."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _cell(text: str) -> str:
    return text.replace("|", r"\|")


def _title_and_introduction(module_name: str) -> tuple[str, str]:
    doc = inspect.getdoc(importlib.import_module(module_name)) or module_name
    title, _, introduction = doc.partition("\n")
    return title.strip().rstrip("."), _markdown(introduction.strip())


def _row(step: StepDefinition) -> str:
    keywords = ", ".join(keyword.capitalize() for keyword in KEYWORD_ORDER if keyword in step.keywords)
    examples = " <br> ".join(f"`{_cell(example)}`" for example in step.examples)
    return f"| {keywords} | {_cell(_markdown(step.summary))} | {examples} |"


def _section(module_name: str, steps: Sequence[StepDefinition]) -> str:
    title, introduction = _title_and_introduction(module_name)
    lines = [f"### {title}", ""]
    if introduction:
        lines += [introduction, ""]
    lines += ["| keywords | what it does | examples |", "| --- | --- | --- |"]
    lines += [_row(step) for step in steps]
    return "\n".join(lines)


def render_catalogue() -> str:
    """The catalogue as Markdown, between (and including) its marker lines."""
    steps = step_definitions()
    sections = [
        _section(module, [step for step in steps if step.module == module])
        for module in STEP_MODULES
        if any(step.module == module for step in steps)
    ]
    return "\n\n".join([START, INTRODUCTION, *sections, END])


def _bounds(page: str) -> tuple[int, int]:
    start, end = page.find(START), page.find(END)
    if start < 0 or end < start:
        raise CatalogueMarkersError(f"the page needs the lines {START} and {END} around the catalogue")
    return start, end + len(END)


def catalogue_in(page: str) -> str:
    """The catalogue a page holds, marker lines included."""
    start, end = _bounds(page)
    return page[start:end]


def with_catalogue(page: str, catalogue: str) -> str:
    """The page with its catalogue replaced."""
    start, end = _bounds(page)
    return page[:start] + catalogue + page[end:]


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m incidents.specs.catalogue_doc",
        description="Print the step catalogue, or write it into (or check it in) a Markdown page.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", type=Path, metavar="FILE", help="replace the catalogue in FILE")
    group.add_argument("--check", type=Path, metavar="FILE", help="exit 1 if FILE's catalogue is out of date")
    options = parser.parse_args(arguments)
    catalogue = render_catalogue()
    try:
        if options.write is not None:
            page = options.write.read_text(encoding="utf-8")
            options.write.write_text(with_catalogue(page, catalogue), encoding="utf-8")
        elif options.check is not None:
            if catalogue_in(options.check.read_text(encoding="utf-8")) != catalogue:
                print(f"{options.check}: the step catalogue is out of date; run: {COMMAND}", file=sys.stderr)
                return 1
        else:
            print(catalogue)
    except (OSError, CatalogueMarkersError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
