"""docs/cli.md against the click commands: a section for every command, generated blocks that
are up to date, no section (or example, or option) for something the CLI does not have."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from incidents.cli import main, reference
from tests.conftest import ROOT

DOC = ROOT / "docs" / "cli.md"
REGENERATE = "run `.venv/bin/python -m incidents.cli.reference --write` and commit docs/cli.md"
COMMAND_HEADING = re.compile(r"^`(incidents(?: [a-z0-9-]+)*)`$")


def command_contexts(
    group: click.Group = main, path: str = "incidents", parent: click.Context | None = None
) -> Iterator[tuple[str, click.Context]]:
    """Every command of the group, and of its subgroups, walked here (not by the generator)."""
    context = click.Context(group, info_name=path.split()[-1], parent=parent, **group.context_settings)
    yield path, context
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            yield from command_contexts(command, f"{path} {name}", context)
        else:
            yield f"{path} {name}", click.Context(command, info_name=name, parent=context)


CONTEXTS = dict(command_contexts())
COMMANDS = {path: context.command for path, context in CONTEXTS.items()}


class Section:
    """A heading of docs/cli.md, its own text (up to the next heading), and where it starts."""

    def __init__(self, level: int, title: str, line: int) -> None:
        self.level, self.title, self.line = level, title, line
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def command(self) -> str | None:
        """The command this section documents: `incidents NAME...` as the whole heading."""
        if self.level == 1:
            return "incidents"
        match = COMMAND_HEADING.match(self.title)
        return match[1] if match else None


def sections(text: str) -> list[Section]:
    found: list[Section] = []
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"^(#+) (.*)$", line)
        if heading:
            found.append(Section(len(heading[1]), heading[2].strip(), number))
        elif found:
            found[-1].lines.append(line)
    assert not fenced, "docs/cli.md has an unterminated code block"
    return found


def prose(text: str) -> str:
    """The text outside code blocks (fences)."""
    return re.sub(r"^```.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


# --- every command, one section, with its generated block -----------------------------------------


def test_the_walk_finds_every_command_and_subcommand() -> None:
    assert {"incidents validate", "incidents schema", "incidents import ucdp-ged"} <= set(COMMANDS)
    assert set(reference.blocks()) == set(COMMANDS)  # the generator misses none (groups included)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_a_section_with_its_generated_block(doc: str, path: str) -> None:
    documented = {section.command: section for section in sections(doc) if section.command}
    assert path in documented, (
        f"docs/cli.md has no section for `{path}`: add a heading `{path}` (## or ###) with a short "
        f"description, and the markers {reference.BEGIN.format(path=path)} and {reference.END} "
        f"inside it, then {REGENERATE}"
    )
    section = documented[path]
    assert reference.BEGIN.format(path=path) in section.lines, (
        f"the section `{path}` (docs/cli.md:{section.line}) has no generated block: add the markers "
        f"{reference.BEGIN.format(path=path)} and {reference.END}, then {REGENERATE}"
    )
    assert section.text.split(reference.BEGIN.format(path=path))[0].strip(), (
        f"the section `{path}` (docs/cli.md:{section.line}) needs a hand-written description before "
        "its generated block"
    )


def test_generated_blocks_are_what_the_commands_generate_now(doc: str) -> None:
    generated = reference.blocks()
    written = reference.marked_blocks(doc)
    stale = sorted(path for path in generated if path in written and written[path] != generated[path])
    assert not stale, f"docs/cli.md is out of date for {', '.join(stale)}: {REGENERATE}"
    assert reference.regenerate(doc, generated) == doc, f"docs/cli.md is out of date: {REGENERATE}"


def test_no_section_documents_a_command_that_does_not_exist(doc: str) -> None:
    assert set(reference.marked_blocks(doc)) <= set(reference.blocks())
    names = {path.split()[-1] for path in COMMANDS if path != "incidents"}
    for section in sections(doc):
        if section.level == 1:
            continue
        for span in re.findall(r"`([^`]+)`", section.title):
            if span.startswith("incidents"):
                match = COMMAND_HEADING.match(f"`{span}`")
                assert match, f"docs/cli.md:{section.line}: write a command's heading as `incidents NAME`"
                assert match[1] in reference.blocks(), (
                    f"docs/cli.md:{section.line}: a section for `{span}`, which is not a command"
                )
            else:
                assert span in names, f"docs/cli.md:{section.line}: `{span}` is not a command"
    commands = [section.command for section in sections(doc) if section.command]
    repeated = sorted({path for path in commands if commands.count(path) > 1})
    assert not repeated, f"docs/cli.md has more than one section for {', '.join(repeated)}"


# --- examples and options the prose names ---------------------------------------------------------


def examples(text: str) -> Iterator[tuple[int, str]]:
    """`$ incidents ...` lines of code blocks (continuation lines joined), and inline code that
    starts with `incidents `, with their line numbers."""
    fenced = False
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            if pending is not None:
                pending = (pending[0], pending[1] + " " + line.strip())
            elif line.startswith("$ incidents "):
                pending = (number, line.removeprefix("$ "))
            if pending is not None:
                if pending[1].endswith("\\"):
                    pending = (pending[0], pending[1].removesuffix("\\"))
                else:
                    yield pending
                    pending = None
        else:
            for span in re.findall(r"`(incidents [^`]+)`", line):
                yield number, span


def check_example(words: list[str]) -> None:
    """Parse a command line as the CLI would (without running it or converting values): every
    command and option it names must exist."""
    assert words[0] == "incidents"
    command: click.Command = main
    context: click.Context | None = None
    rest = words[1:]
    name = "incidents"
    while isinstance(command, click.Group):
        context = click.Context(command, info_name=name, parent=context, resilient_parsing=True)
        _, rest, _ = command.make_parser(context).parse_args(rest)
        if not rest:
            return
        name, *rest = rest
        found = command.get_command(context, name)
        if found is None:
            raise click.UsageError(f"no such command: {name!r}")
        command = found
    command.make_context(name, rest, parent=context, resilient_parsing=True)


def test_every_example_names_existing_commands_and_options(doc: str) -> None:
    found = list(examples(doc))
    assert len(found) > 10
    for number, line in found:
        try:
            check_example(shlex.split(line, comments=True))
        except click.UsageError as error:
            pytest.fail(f"docs/cli.md:{number}: `{line}`: {error.format_message()}")


def test_every_option_the_prose_names_exists(doc: str) -> None:
    """An option in backticks (`--by`, `-k EXPR`) must be one that some command takes."""
    known = {
        name
        for context in CONTEXTS.values()
        for parameter in context.command.get_params(context)
        if isinstance(parameter, click.Option)
        for name in [*parameter.opts, *parameter.secondary_opts]
    }
    named = re.findall(r"`(-{1,2}[A-Za-z][\w-]*)(?:[ =][^`]*)?`", prose(doc))
    assert {"--with-store", "--as-of", "-k"} <= set(named)
    unknown = sorted(set(named) - known)
    assert not unknown, f"docs/cli.md names options that no command takes: {', '.join(unknown)}"


# --- the generator ---------------------------------------------------------------------------------


def toy(help_text: str = "How many.") -> click.Group:
    @click.group()
    def group() -> None:
        """A toy group."""

    @group.command()
    @click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
    @click.option("--count", "-c", type=int, default=3, help=help_text)
    @click.option("--kind", type=click.Choice(["a", "b"]), required=True, help="Which | what.")
    @click.option("--secret", hidden=True)
    def tally(paths: tuple[str, ...], count: int, kind: str, secret: str | None) -> None:
        """Tally."""

    @group.command(hidden=True)
    def hidden() -> None:
        """Not in --help."""

    return group


TOY_DOC = """# Toy

Prose above.

<!-- generated: incidents -->
stale
<!-- end generated -->

## `incidents tally`

Prose that stays, with `--count`.

<!-- generated: incidents tally -->
<!-- end generated -->

Prose below.
"""


def test_a_block_has_usage_arguments_and_options_with_defaults() -> None:
    block = reference.blocks(toy())["incidents tally"]
    assert block.splitlines()[:3] == ["```", "Usage: incidents tally [OPTIONS] PATHS...", "```"]
    assert "| `PATHS...` | required; one or more; a file or folder that must exist. |" in block
    assert "| `-c, --count INTEGER` | How many. [default: 3] |" in block  # shown although --help hides it
    assert "| `--kind [a\\|b]` | Which \\| what. [required] |" in block
    assert "--secret" not in block
    assert "--help" not in block
    assert set(reference.blocks(toy())) == {"incidents", "incidents tally"}  # no hidden command


def test_blocks_do_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = reference.blocks()
    monkeypatch.setenv("COLUMNS", "40")
    assert reference.blocks() == wide


def test_regenerate_replaces_only_what_is_between_the_markers() -> None:
    generated = reference.blocks(toy())
    updated = reference.regenerate(TOY_DOC, generated)
    assert reference.marked_blocks(updated) == generated
    outside = re.compile(r"<!-- generated: .*? -->.*?<!-- end generated -->", re.DOTALL)
    assert outside.sub("", updated) == outside.sub("", TOY_DOC)
    assert reference.regenerate(updated, generated) == updated
    changed = reference.blocks(toy("How many times."))
    assert reference.regenerate(updated, changed) != updated  # an option's help changed: the doc drifts


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<!-- generated: incidents -->\n", "has no"),
        ("<!-- end generated -->\n", "without a block"),
        ("<!-- generated: incidents -->\n<!-- generated: incidents tally -->\n", "inside"),
        ("<!-- generated: incidents -->\n<!-- end generated -->\n" * 2, "a second block"),
        ("<!-- generated: incidents nope -->\n<!-- end generated -->\n", "do not exist"),
    ],
)
def test_malformed_markers_are_refused(text: str, problem: str) -> None:
    with pytest.raises(reference.MarkerError, match=problem):
        reference.regenerate(text, reference.blocks(toy()))


def test_the_command_checks_writes_and_names_what_is_missing(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(reference.cli, [])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.count("<!-- end generated -->") == len(reference.blocks())
    assert runner.invoke(reference.cli, ["--check", "--doc", str(DOC)]).exit_code == 0

    stale = tmp_path / "cli.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("Usage: incidents totals", "Usage: old"))
    checked = runner.invoke(reference.cli, ["--check", "--doc", str(stale)])
    assert checked.exit_code == 1
    assert "python -m incidents.cli.reference --write" in checked.stderr
    written = runner.invoke(reference.cli, ["--write", "--doc", str(stale)])
    assert written.exit_code == 0, written.output
    assert stale.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")

    schema_block = re.compile(r"<!-- generated: incidents schema -->.*?<!-- end generated -->", re.DOTALL)
    stale.write_text(schema_block.sub("", DOC.read_text(encoding="utf-8"), count=1))
    missing = runner.invoke(reference.cli, ["--write", "--doc", str(stale)])
    assert missing.exit_code == 1
    assert "no section for 'incidents schema'" in missing.stderr
