"""The usage and option blocks of docs/cli.md, generated from the click commands themselves.

Each command's section in docs/cli.md holds one block between markers::

    <!-- generated: incidents totals -->
    ...
    <!-- end generated -->

and this module writes what goes between them: the command's usage line (``get_usage``), its
arguments, and its options as ``--help`` shows them (``Option.get_help_record``, with every
default shown). The prose around the blocks is written by hand and left alone; a test keeps the
blocks equal to this module's output and checks that every command has its section.

    python -m incidents.cli.reference            print every block
    python -m incidents.cli.reference --write    rewrite the blocks of docs/cli.md in place
    python -m incidents.cli.reference --check    exit 1 when docs/cli.md is not up to date
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from incidents.cli import main as incidents_main
from incidents.domain.errors import IncidentsError

ROOT_NAME = "incidents"
BEGIN = "<!-- generated: {path} -->"
END = "<!-- end generated -->"
BEGIN_PATTERN = re.compile(r"^<!-- generated: (?P<path>[^>]*?) -->$")
REGENERATE = "python -m incidents.cli.reference --write"
WIDTH = 100  # the usage line wraps as in a terminal this wide (as --help does, max_content_width)
DOC = Path(__file__).resolve().parents[3] / "docs" / "cli.md"


class MarkerError(IncidentsError):
    """docs/cli.md's markers are malformed: unterminated, nested, repeated or unknown."""


def command_contexts(group: click.Group = incidents_main) -> Iterator[click.Context]:
    """A context for the group and for every command under it, depth first, in ``--help`` order
    (hidden commands are left out, as ``--help`` leaves them out)."""
    root = _context(group, ROOT_NAME, None)
    yield root
    yield from _subcommand_contexts(root)


def _subcommand_contexts(parent: click.Context) -> Iterator[click.Context]:
    group = parent.command
    if not isinstance(group, click.Group):
        return
    for name in group.list_commands(parent):
        command = group.get_command(parent, name)
        if command is None or command.hidden:
            continue
        context = _context(command, name, parent)
        yield context
        yield from _subcommand_contexts(context)


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = {"terminal_width": WIDTH, "max_content_width": WIDTH, **command.context_settings}
    # show_default: a default appears in the reference even where --help leaves it out.
    return click.Context(command, info_name=name, parent=parent, show_default=True, **settings)


def render(context: click.Context) -> str:
    """The block of one command: its usage, its arguments, its options and, for a group, its
    commands. Deterministic: the same commands give the same text, whatever the terminal."""
    command = context.command
    lines = ["```", *command.get_usage(context).splitlines(), "```"]
    parameters = command.get_params(context)
    help_option = command.get_help_option(context)
    arguments = [_argument_row(p, context) for p in parameters if isinstance(p, click.Argument)]
    options = [
        record
        for p in parameters
        if isinstance(p, click.Option) and p is not help_option
        for record in [p.get_help_record(context)]
        if record is not None
    ]
    if arguments:
        lines += ["", "| argument | meaning |", "| --- | --- |"]
        lines += [f"| {_code(name)} | {_cell(meaning)} |" for name, meaning in arguments]
    if options:
        lines += ["", "| option | meaning |", "| --- | --- |"]
        lines += [f"| {_code(names)} | {_cell(meaning)} |" for names, meaning in options]
    if context.parent is None and help_option is not None:
        names = ", ".join(f"`{name}`" for name in context.help_option_names)
        lines += ["", f"Every command also takes {names}: its own usage and options."]
    if isinstance(command, click.Group):
        names = ", ".join(
            f"`{name}`"
            for name in command.list_commands(context)
            if (sub := command.get_command(context, name)) is not None and not sub.hidden
        )
        lines += ["", f"Commands: {names}."]
    return "\n".join(lines)


def _argument_row(argument: click.Argument, context: click.Context) -> tuple[str, str]:
    facts = ["required" if argument.required else "optional"]
    if argument.nargs == -1:
        facts.append("one or more" if argument.required else "any number")
    elif argument.nargs > 1:
        facts.append(f"{argument.nargs} values")
    facts.append(_describe_type(argument.type))
    return argument.make_metavar(context), "; ".join(fact for fact in facts if fact) + "."


def _describe_type(kind: click.ParamType[Any, Any]) -> str:
    if isinstance(kind, click.Choice):
        return "one of " + ", ".join(f"`{choice}`" for choice in kind.choices)
    if isinstance(kind, click.Path):
        what = "a file" if not kind.dir_okay else "a folder" if not kind.file_okay else "a file or folder"
        return f"{what} that must exist" if kind.exists else what
    if kind.name == "text":
        return ""
    return f"a {kind.name}"


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _cell(text: str) -> str:
    """Help text in a table cell: one line, pipes escaped (also inside code, as tables need)."""
    return " ".join(text.split()).replace("|", "\\|")


def blocks(group: click.Group = incidents_main) -> dict[str, str]:
    """Every command's block, by command path (``incidents``, ``incidents import ucdp-ged``)."""
    return {context.command_path: render(context) for context in command_contexts(group)}


def marked(path: str, block: str) -> str:
    return f"{BEGIN.format(path=path)}\n{block}\n{END}"


def marked_blocks(text: str) -> dict[str, str]:
    """The blocks a document holds between markers, by command path, as written."""
    found: dict[str, str] = {}
    current: str | None = None
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        begin = BEGIN_PATTERN.match(line)
        if begin:
            if current is not None:
                raise MarkerError(f"line {number}: a block for {begin['path']!r} inside {current!r}")
            current, body = begin["path"], []
            if current in found:
                raise MarkerError(f"line {number}: a second block for {current!r}")
        elif line == END:
            if current is None:
                raise MarkerError(f"line {number}: {END} without a block")
            found[current] = "\n".join(body)
            current = None
        elif current is not None:
            body.append(line)
    if current is not None:
        raise MarkerError(f"the block for {current!r} has no {END}")
    return found


def regenerate(text: str, generated: dict[str, str]) -> str:
    """The document with every marked block replaced by the generated one (the rest as it is).
    A block for a command that does not exist is an error; a command without a block is left for
    :func:`missing` to report."""
    written = marked_blocks(text)
    unknown = sorted(set(written) - set(generated))
    if unknown:
        raise MarkerError(f"blocks for commands that do not exist: {', '.join(unknown)}")
    result: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        begin = BEGIN_PATTERN.match(line.rstrip("\n"))
        if begin:
            result.append(marked(begin["path"], generated[begin["path"]]) + "\n")
            skipping = True
        elif skipping:
            skipping = line.rstrip("\n") != END
        else:
            result.append(line)
    return "".join(result)


def missing(text: str, generated: dict[str, str]) -> list[str]:
    """The commands the document has no block for."""
    return [path for path in generated if path not in marked_blocks(text)]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--write", is_flag=True, help="Rewrite the generated blocks of the document in place.")
@click.option("--check", is_flag=True, help="Exit 1 if the document's blocks are not up to date.")
@click.option(
    "--doc",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DOC,
    show_default=True,
    help="The document (default: docs/cli.md of this checkout).",
)
def cli(write: bool, check: bool, doc: Path) -> None:
    """Print the generated usage and option blocks of docs/cli.md, or rewrite them (--write)."""
    generated = blocks()
    if not write and not check:
        click.echo("\n\n".join(marked(path, block) for path, block in generated.items()))
        return
    text = doc.read_text(encoding="utf-8")
    try:
        updated = regenerate(text, generated)
    except MarkerError as error:
        raise click.ClickException(f"{doc}: {error}") from error
    absent = missing(text, generated)
    if write and updated != text:
        doc.write_text(updated, encoding="utf-8")
        click.echo(f"rewrote the generated blocks of {doc}", err=True)
    elif check and updated != text:
        click.echo(f"{doc} is out of date with the commands: run {REGENERATE}", err=True)
    for path in absent:
        click.echo(
            f"{doc}: no section for {path!r}: add a heading `{path}` with the markers "
            f"{BEGIN.format(path=path)} and {END}, then run {REGENERATE}",
            err=True,
        )
    if absent or (check and updated != text):
        sys.exit(1)


if __name__ == "__main__":
    cli()
