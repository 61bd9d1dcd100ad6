"""Drafting a report from an article

The article is drafted as ``incidents draft`` drafts it (``Service.draft``), with the
scenario's reference data (see "names resolve with the reference data in ..."). A FIELDS list is
``field value`` pairs joined by commas, each value as the report file writes it (``count
14000-18000``, ``occurred 2019-08-01/2019-08-28``: a span as its first and last day).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pytest_bdd import parsers, then, when

from incidents.drafting.writing import flow
from incidents.specs.phrases import unquote
from incidents.specs.world import World


@when(
    parsers.re(
        r'I draft a report from the article "(?P<path>[^"]+)" published (?P<published>\S+) '
        r'by "(?P<outlet>[^"]+)" at "(?P<url>[^"]+)"'
    )
)
def draft_article_file(incidents_world: World, path: str, published: str, outlet: str, url: str) -> None:
    """Draft a report from an article's text file, with its metadata.

    Example::

        When I draft a report from the article "rudaw.txt" published 2019-08-28 by "Rudaw" at "https://rudaw.net/1"
    """
    text = incidents_world.path(path).read_text(encoding="utf-8")
    incidents_world.draft = incidents_world.service.draft(
        text, outlet=outlet, url=url, published=published, aliases=incidents_world.aliases
    )


@when(parsers.re(r"I draft a report from this article published (?P<published>\S+):"))
def draft_article_text(incidents_world: World, published: str, docstring: str) -> None:
    """Draft a report from the article's text given below (outlet and URL of a wire example).

    Example::

        When I draft a report from this article published 2019-08-28:
    """
    incidents_world.draft = incidents_world.service.draft(
        docstring,
        outlet="Wire",
        url="https://wire.example/article",
        published=published,
        aliases=incidents_world.aliases,
    )


def _shown(value: object) -> str:
    if isinstance(value, Mapping) and "from" in value and "to" in value:
        return f"{value['from']}/{value['to']}"
    return flow(value).replace('"', "")


@then(parsers.re(r"the draft proposes (?:a|an) (?P<kind>\w+) with (?P<fields>.+)"))
def draft_proposes(incidents_world: World, kind: str, fields: str) -> None:
    """The draft has an action of that type whose fields are as listed.

    Example::

        Then the draft proposes a killed with side ISIS, count 4, occurred 2019-08-24
    """
    draft = incidents_world.drafted()
    wanted = [tuple(pair.strip().split(" ", 1)) for pair in re.split(r", (?=[a-z_]+ )", fields)]
    of_kind = [c for c in draft.candidates if c.kind == kind]
    for candidate in of_kind:
        if all(
            len(pair) == 2 and _shown(candidate.fields.get(pair[0])) == unquote(pair[1]) for pair in wanted
        ):
            return
    shown = "; ".join(
        ", ".join(f"{k} {_shown(v)}" for k, v in c.fields.items() if k not in ("quote", "type"))
        for c in of_kind
    )
    raise AssertionError(f"no {kind} with {fields} in the draft; its {kind} actions: {shown or 'none'}")


@then(parsers.re(r"the draft proposes (?P<number>\d+) actions?"))
def draft_size(incidents_world: World, number: str) -> None:
    """How many actions the draft proposes.

    Example::

        Then the draft proposes 8 actions
    """
    found = len(incidents_world.drafted().candidates)
    assert found == int(number), f"the draft proposes {found} actions, not {number}"


@then("the draft validates")
def draft_validates(incidents_world: World) -> None:
    """The draft's report file is accepted as ``incidents validate`` accepts files.

    Example::

        Then the draft validates
    """
    path = incidents_world.write("draft.yaml", incidents_world.drafted().report_file())
    validation = incidents_world.service.validate([path], aliases=incidents_world.aliases)
    assert not validation.problems, "\n".join(str(problem) for problem in validation.problems)


@then(parsers.re(r'the draft lists as missed the sentence "(?P<words>[^"]+)"'))
def draft_missed(incidents_world: World, words: str) -> None:
    """A sentence that gave no candidate is listed at the end of the draft.

    Example::

        Then the draft lists as missed the sentence "Iraq announced the territorial defeat"
    """
    missed = incidents_world.drafted().missed
    assert any(words in item.text for item in missed), (
        f"not missed: {words!r}; missed: {[m.text for m in missed]}"
    )
