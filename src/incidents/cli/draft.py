"""``incidents draft``: an article's text to a report file to review (docs/drafting.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidents.cli.group import main
from incidents.cli.options import pass_service, say
from incidents.formats.errors import InputProblem, InvalidInputError
from incidents.formats.located import decode_text, read_text
from incidents.formats.reference import find_aliases_file
from incidents.service import Service

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_ARTICLE_BYTES = 16 * 1024 * 1024


@main.command(short_help="Draft a report file from an article (.txt, .html, or - for stdin) to review.")
@click.argument("article", type=click.Path(path_type=Path, allow_dash=True, dir_okay=False))
@click.option("--outlet", help="The outlet that published it (default: the page's og:site_name).")
@click.option("--url", help="Its URL (default: the page's og:url or canonical link).")
@click.option(
    "--published",
    metavar="DATE|RANGE",
    help="When it was published: 2019-08-28, or a span 2019-07-28/2019-07-31 when the page does not "
    "say (default: the page's article:published_time). Relative dates resolve against it.",
)
@click.option("--title", help="Its title (default: the page's og:title or <title>).")
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Reference data names resolve with. Default: the aliases.yaml in the folder of -o FILE or "
    "above, else of the article, else of the current folder.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft to FILE (default: standard output). An existing file is kept unless --force.",
)
@click.option("--force", is_flag=True, help="Overwrite the -o FILE if it exists.")
@pass_service
def draft(
    service: Service,
    article: Path,
    outlet: str | None,
    url: str | None,
    published: str | None,
    title: str | None,
    aliases: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Draft a report file from an article: every action it finds, with its sentence as the quote,
    a confidence and a comment on each guessed field, and the sentences that gave none.

    Review the draft, then `incidents validate` and `incidents load` it. A .html/.htm file is read
    as HTML (its words, title and metadata), any other file as plain text; `-` reads standard
    input, as HTML when it looks like HTML. Writes no store. Exit 0 when the draft is written
    (standard error says what is missing for it to validate), 1 on bad input."""
    stdin = str(article) == "-"
    text = _article_text(article, stdin)
    if output is not None and output.exists() and not force:
        raise InvalidInputError(
            [InputProblem(str(output), None, None, "exists: give --force to overwrite it")]
        )
    if aliases is None:
        near = [output] if output is not None else []
        near += [] if stdin else [article]
        aliases = next(
            (found for path in near if (found := find_aliases_file(path.absolute())) is not None), None
        )
    html = None if stdin else article.suffix.lower() in HTML_SUFFIXES
    drafted = service.draft(
        text, html=html, outlet=outlet, url=url, published=published, title=title, aliases=aliases
    )
    report = drafted.report_file()
    if output is None:
        sys.stdout.write(report)
    else:
        output.write_text(report, encoding="utf-8")
    weak = sum(1 for candidate in drafted.candidates if candidate.confidence < 0.6)
    where = f" to {output}" if output is not None else ""
    say(
        f"drafted{where}: {len(drafted.candidates)} candidate action(s), {weak} below confidence 0.6, "
        f"{len(drafted.missed)} sentence(s) missed (listed at the end); review every comment.",
        err=True,
    )
    if drafted.missing:
        fields = ", ".join(f"source.{key}" for key in drafted.missing)
        options = " ".join(f"--{key}" for key in drafted.missing)
        say(
            f"to validate, the draft needs {fields}: neither given ({options}) nor in the article; "
            "fill them in where the TODO comments are.",
            err=True,
        )


def _article_text(article: Path, stdin: bool) -> str:
    if not stdin:
        return read_text(article)
    data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InvalidInputError(
            [InputProblem("<stdin>", None, None, f"more than {MAX_ARTICLE_BYTES:,} bytes")]
        )
    return decode_text(data, "<stdin>")
