"""``incidents validate`` (check report files, write nothing) and ``incidents schema``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import Session, aliases_option, pass_session
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.schema import schema_text
from incidents.loading import amendment_problems, external_targets, read_reports


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@aliases_option
@click.option(
    "--with-store",
    is_flag=True,
    help="Also check against the store (--db): amendment targets exist, reports do not conflict.",
)
@pass_session
def validate(session: Session, paths: tuple[Path, ...], aliases: Path | None, with_store: bool) -> None:
    """Check report files as `load` would, listing every problem; write nothing.

    Exit 0 when every file is valid, 1 otherwise."""
    problems: list[InputProblem] = []
    try:
        contents = read_reports(paths, aliases)
    except InvalidInputError as error:
        problems.extend(error.problems)
        contents = []
    if contents:
        if with_store:
            log = session.log
            for content in contents:
                existing = log.find_report(content.key)
                if existing is not None and existing.digest != content.digest:
                    problems.append(
                        InputProblem(
                            content.file, None, "id", f"report {content.key!r} is recorded with other content"
                        )
                    )
            problems.extend(amendment_problems(contents, log.find_report))
        else:
            problems.extend(amendment_problems(contents, None))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        click.echo(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing was written.", err=True
        )
        sys.exit(1)
    unchecked = [] if with_store else external_targets(contents)
    for target in unchecked:
        click.echo(f"not checked: {target} is in a report outside these files (use --with-store)")
    actions = sum(len(content.actions) for content in contents)
    click.echo(
        f"{len(contents)} report file(s) valid ({actions} actions and amendments); nothing was written."
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of report files (also docs/report-file.schema.json)."""
    sys.stdout.write(schema_text())
