#!/usr/bin/env python3
"""Evaluation of drafting: drafts of the development set compared with hand-encoded gold.

    PYTHONPATH=src .venv/bin/python bench/drafting.py [--set tests/fixtures/drafting/set.yaml]
        [--markdown] [--details]

Each article of the set (``set.yaml``: its text and its gold report file) is drafted through
``Service.draft`` with the outlet, url, publication date and title of its gold's source and the
set's aliases, as ``incidents draft ARTICLE --outlet ... --aliases ...`` would draft it. The
draft's report file (``Draft.report_file()``) and the gold file are both read by the project's
report-file reader (``formats.report_file``) with the set's reference data, so both sides are
compared as the log would record them: canonical names, resolved places, relative dates as
spans, a breakdown as its parts. A draft the reader refuses counts as a draft with no action.

**Matching** (one-to-one; docs/drafting.md, "Evaluation"): a gold action and a drafted action
match when they have the same type and their quotes overlap in the article's text; the actions
left over then match when they have the same type, the same side and the same count (and, of
materiel, the same item; of a claim, the same metric; of an area action, the same area; of a
phase, the same operation and number). Among candidates of a pass, the pair agreeing on more of
side, count, item or metric, and place comes first, then the longer overlap, then text order.

Printed per article, for the seed articles, the other reports and the whole set: how many gold
and drafted actions, and matched; the precision (matched / drafted) and recall (matched / gold)
of the action type; and, of the matched actions, the share with the exact count (the same
estimate: low, best, high and how it was given), the exact occurred span (first and last day),
the right side, actor (the actor and joint actors, as a set) and place (or area); each share
counts the pairs where the gold or the draft states that field. Then whether each draft
validates, and the drafting time per article (process time, median over the set, and the
slowest). A second table gives the gold, drafted and matched actions, precision and recall of
each action type over the set.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import yaml
from attrs import frozen

from incidents.domain.actions import ReportedAction
from incidents.domain.values import DateSpan, Name, Place, SourceRef, normalise_name
from incidents.formats.errors import InvalidInputError
from incidents.formats.reference import read_name_index
from incidents.formats.report_file import parse_report, read_report_file
from incidents.gazetteer import NameIndex

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "tests" / "fixtures" / "drafting" / "set.yaml"
FIELDS = ("count", "occurred", "side", "actor", "place")

# Acceptance (issue 14) on the development set as a whole.
TARGETS = {"recall": 0.85, "precision": 0.7, "count": 0.8, "occurred": 0.7}


# -- The set -------------------------------------------------------------------------------


@frozen
class Article:
    """One article of the set: its name, its text, and its gold report file."""

    name: str
    text: str
    gold: Path


@frozen
class DevelopmentSet:
    articles: tuple[Article, ...]
    aliases: Path


def read_set(path: Path) -> DevelopmentSet:
    """The set listed in ``path`` (``aliases``, and ``articles`` of ``text`` and ``gold``,
    relative to it)."""
    listing = yaml.safe_load(path.read_text(encoding="utf-8"))
    folder = path.parent
    articles = tuple(
        Article(
            name=Path(entry["text"]).stem,
            text=(folder / entry["text"]).read_text(encoding="utf-8"),
            gold=folder / entry["gold"],
        )
        for entry in listing["articles"]
    )
    return DevelopmentSet(articles=articles, aliases=folder / listing["aliases"])


# -- Quotes in the text --------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip().casefold()


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``, as offsets into the text normalised for comparison
    (typographic quotes and dashes as plain ones, runs of white space as one, case aside): the
    quote itself, or, when it leaves words out ("..."), from its first part to its last, in
    order. None when it is not there."""
    haystack = _normal(text)
    parts = [part for part in (_normal(piece) for piece in _ELLIPSIS.split(quote)) if len(part) >= 3]
    start = end = None
    at = 0
    for part in parts:
        found = haystack.find(part, at)
        if found < 0:
            return None
        start = found if start is None else start
        at = end = found + len(part)
    return None if start is None or end is None else (start, end)


# -- Actions as compared -------------------------------------------------------------------


def _name(name: Name | None) -> str | None:
    return None if name is None else normalise_name(name.canonical)


def _place(place: Place | None) -> str | None:
    return None if place is None else place.key


@frozen
class Compared:
    """What of an action takes part in the comparison."""

    kind: str
    span: tuple[int, int] | None  # of its quote in the article (normalised offsets)
    occurred: DateSpan
    side: str | None
    count: object | None  # an Estimate, compared whole
    actors: frozenset[str]  # its actor and joint actors
    place: str | None  # its place, or its area
    what: str | None  # what else identifies it: item, metric, or operation and phase

    @property
    def key(self) -> tuple[object, ...] | None:
        """The second pass's identity: type, side, count and what; None when it has none."""
        if self.side is None and self.count is None and self.what is None and self.place is None:
            return None
        if self.side is None and self.count is None:  # an area, a phase, an operation
            return (self.kind, self.place, self.what)
        return (self.kind, self.side, self.count, self.what)


def compared(action: ReportedAction, text: str) -> Compared:
    def field(name: str) -> object | None:
        return getattr(action, name, None)

    joint: tuple[object, ...] = getattr(action, "actors", ())
    actors = frozenset(
        normalise_name(name.canonical) for name in (field("actor"), *joint) if isinstance(name, Name)
    )
    what: str | None = None
    if field("item") is not None:
        what = normalise_name(str(field("item")))
    elif field("metric") is not None:
        what = str(field("metric"))
    elif action.kind in ("phase_launched", "phase_ended", "operation_launched"):
        operation = _name(action.operation)
        what = None if operation is None else f"{operation} {action.phase or ''}".strip()
    place = field("place") if field("place") is not None else field("area")
    side = field("side")
    return Compared(
        kind=action.kind,
        span=locate(action.quote, text),
        occurred=action.occurred,
        side=_name(side) if isinstance(side, Name) else None,
        count=field("count"),
        actors=actors,
        place=_place(place) if isinstance(place, Place) else None,
        what=what,
    )


def _agreement(gold: Compared, draft: Compared) -> int:
    return sum(
        (
            gold.side == draft.side,
            gold.count == draft.count,
            gold.what == draft.what,
            gold.place == draft.place,
        )
    )


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[Compared], drafted: Sequence[Compared]) -> list[tuple[int, int]]:
    """The matched pairs (gold index, drafted index), one-to-one, by the documented rule."""
    pairs: list[tuple[int, int]] = []
    free_gold = set(range(len(gold)))
    free_draft = set(range(len(drafted)))

    def take(candidates: Iterable[tuple[tuple[int, ...], int, int]]) -> None:
        for _rank, g, d in sorted(candidates):
            if g in free_gold and d in free_draft:
                pairs.append((g, d))
                free_gold.discard(g)
                free_draft.discard(d)

    take(
        ((-_agreement(gold[g], drafted[d]), -_overlap(gold[g].span, drafted[d].span), g, d), g, d)
        for g in range(len(gold))
        for d in range(len(drafted))
        if gold[g].kind == drafted[d].kind and _overlap(gold[g].span, drafted[d].span) > 0
    )
    take(
        ((-_agreement(gold[g], drafted[d]), g, d), g, d)
        for g in sorted(free_gold)
        for d in sorted(free_draft)
        if gold[g].key is not None and gold[g].key == drafted[d].key
    )
    return sorted(pairs)


# -- Scores --------------------------------------------------------------------------------


@frozen
class Score:
    """The comparison of one draft with its gold (or of a whole set, summed)."""

    gold: int
    drafted: int
    matched: int
    right: dict[str, tuple[int, int]]  # field -> (right, stated) over the matched pairs

    @property
    def precision(self) -> float | None:
        return self.matched / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    def share(self, name: str) -> float | None:
        right, stated = self.right[name]
        return right / stated if stated else None

    def __add__(self, other: Score) -> Score:
        return Score(
            gold=self.gold + other.gold,
            drafted=self.drafted + other.drafted,
            matched=self.matched + other.matched,
            right={
                name: (self.right[name][0] + other.right[name][0], self.right[name][1] + other.right[name][1])
                for name in FIELDS
            },
        )


NOTHING = Score(gold=0, drafted=0, matched=0, right=dict.fromkeys(FIELDS, (0, 0)))


def _fields(gold: Compared, draft: Compared) -> dict[str, tuple[bool, bool]]:
    """Field -> (stated by either, equal)."""
    occurred = (gold.occurred.start, gold.occurred.end) == (draft.occurred.start, draft.occurred.end)
    return {
        "count": (gold.count is not None or draft.count is not None, gold.count == draft.count),
        "occurred": (True, occurred),
        "side": (gold.side is not None or draft.side is not None, gold.side == draft.side),
        "actor": (bool(gold.actors or draft.actors), gold.actors == draft.actors),
        "place": (gold.place is not None or draft.place is not None, gold.place == draft.place),
    }


def score(gold: Sequence[Compared], drafted: Sequence[Compared]) -> Score:
    pairs = match(gold, drafted)
    right = dict.fromkeys(FIELDS, (0, 0))
    for g, d in pairs:
        for name, (stated, equal) in _fields(gold[g], drafted[d]).items():
            if stated:
                r, s = right[name]
                right[name] = (r + equal, s + 1)
    return Score(gold=len(gold), drafted=len(drafted), matched=len(pairs), right=right)


# -- Drafting ------------------------------------------------------------------------------


def actions_of(text: str, file: str, names: NameIndex) -> list[ReportedAction]:
    """The actions of a report file's text, as the reader records them."""
    content = parse_report(text, file, names)
    return [statement for statement in content.actions if isinstance(statement, ReportedAction)]


def _published(span: DateSpan) -> str:
    return span.start.isoformat() if span.start == span.end else f"{span.start}/{span.end}"


Drafter = Callable[[Article, SourceRef, Path], str]  # an article, its gold's source, the aliases


def service_drafter() -> Drafter:
    """Drafts through ``Service.draft`` with the gold's source as the command line would give it."""
    from incidents.service import Service

    service = Service.open("memory:")

    def draft(article: Article, source: SourceRef, aliases: Path) -> str:
        made = service.draft(
            article.text,
            outlet=source.outlet,
            url=source.url,
            published=_published(source.published),
            title=source.title,
            aliases=aliases,
        )
        report: str = made.report_file()
        return report

    return draft


@frozen
class Evaluated:
    article: Article
    score: Score
    status: str  # "valid", or why the draft is not
    seconds: float  # process time of the draft
    unmatched_gold: tuple[ReportedAction, ...]
    unmatched_drafted: tuple[ReportedAction, ...]
    differences: tuple[str, ...]  # of each matched pair, the fields that differ: gold vs draft
    kinds: tuple[tuple[str, str], ...]  # (gold, drafted, or matched; type) of every action


def evaluate(development: DevelopmentSet, drafter: Drafter) -> list[Evaluated]:
    names = read_name_index(development.aliases)
    results = []
    for article in development.articles:
        content = read_report_file(article.gold, names)
        gold_actions = [statement for statement in content.actions if isinstance(statement, ReportedAction)]
        began = time.process_time()
        try:
            report = drafter(article, content.source, development.aliases)
        except Exception as error:  # a crash is a finding: report it, keep measuring the rest
            report, status = None, f"crashed: {type(error).__name__}: {error}"
        seconds = time.process_time() - began
        drafted: list[ReportedAction] = []
        if report is not None:
            try:
                drafted = actions_of(report, f"draft of {article.name}", names)
                status = "valid"
            except InvalidInputError as error:
                status = f"invalid: {len(error.problems)} problem(s), first: {error.problems[0]}"
        gold = [compared(action, article.text) for action in gold_actions]
        mine = [compared(action, article.text) for action in drafted]
        pairs = match(gold, mine)
        results.append(
            Evaluated(
                article=article,
                score=score(gold, mine),
                status=status,
                seconds=seconds,
                unmatched_gold=tuple(a for i, a in enumerate(gold_actions) if i not in {g for g, _ in pairs}),
                unmatched_drafted=tuple(a for i, a in enumerate(drafted) if i not in {d for _, d in pairs}),
                differences=tuple(
                    _differences(gold_actions[g], gold[g], mine[d])
                    for g, d in pairs
                    if _differ(gold[g], mine[d])
                ),
                kinds=(
                    *(("gold", action.kind) for action in gold_actions),
                    *(("drafted", action.kind) for action in drafted),
                    *(("matched", gold[g].kind) for g, _d in pairs),
                ),
            )
        )
    return results


# -- Output --------------------------------------------------------------------------------

HEADER = ("article", "gold", "draft", "matched", "type P", "type R", *FIELDS, "valid", "ms")


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _row(name: str, result: Score, valid: str, ms: str) -> tuple[str, ...]:
    return (
        name,
        str(result.gold),
        str(result.drafted),
        str(result.matched),
        _ratio(result.precision),
        _ratio(result.recall),
        *(_ratio(result.share(field)) for field in FIELDS),
        valid,
        ms,
    )


def _summary(name: str, results: Sequence[Evaluated]) -> tuple[str, ...]:
    total = sum((r.score for r in results), NOTHING)
    valid = sum(r.status == "valid" for r in results)
    median = statistics.median(r.seconds for r in results) * 1000 if results else 0.0
    return _row(f"{name} ({len(results)}, median ms)", total, f"{valid}/{len(results)}", f"{median:.0f}")


def table(results: Sequence[Evaluated]) -> list[tuple[str, ...]]:
    """A row per article; then the seed articles and the other reports (when the set has both),
    and the whole set."""
    rows = [
        _row(r.article.name, r.score, "yes" if r.status == "valid" else "no", f"{r.seconds * 1000:.0f}")
        for r in results
    ]
    seeds = [r for r in results if r.article.gold.parent.name == "seeds"]
    others = [r for r in results if r.article.gold.parent.name != "seeds"]
    groups = [_summary("seeds", seeds), _summary("other reports", others)] if seeds and others else []
    return [*rows, *groups, _summary("all", results)]


BY_TYPE = ("type", "gold", "draft", "matched", "type P", "type R")


def table_by_type(results: Sequence[Evaluated]) -> list[tuple[str, ...]]:
    """A row per action type, over the whole set."""
    counted = Counter(kind for r in results for kind in r.kinds)
    rows: list[tuple[str, ...]] = []
    for kind in sorted({kind for _, kind in counted}):
        gold, drafted, matched = (counted[(role, kind)] for role in ("gold", "drafted", "matched"))
        rows.append(
            (
                kind,
                str(gold),
                str(drafted),
                str(matched),
                _ratio(matched / drafted if drafted else None),
                _ratio(matched / gold if gold else None),
            )
        )
    return rows


def render(rows: Sequence[tuple[str, ...]], markdown: bool, header: tuple[str, ...] = HEADER) -> str:
    if markdown:
        lines = [f"| {' | '.join(header)} |", f"| {' | '.join('---' for _ in header)} |"]
        lines += [f"| {' | '.join(row)} |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in (header, *rows)
    )


def verdict(results: Sequence[Evaluated]) -> str:
    total = sum((r.score for r in results), NOTHING)
    figures = {
        "recall": total.recall,
        "precision": total.precision,
        "count": total.share("count"),
        "occurred": total.share("occurred"),
    }
    parts = []
    for name, target in TARGETS.items():
        value = figures[name]
        met = value is not None and value >= target
        parts.append(f"{name} {_ratio(value)} (target >= {target}: {'met' if met else 'NOT met'})")
    slowest = max(results, key=lambda r: r.seconds) if results else None
    slow = f"; slowest draft {slowest.seconds * 1000:.0f} ms ({slowest.article.name})" if slowest else ""
    return "acceptance: " + ", ".join(parts) + slow


def _differ(gold: Compared, draft: Compared) -> bool:
    return any(stated and not equal for stated, equal in _fields(gold, draft).values())


def _shown(compared: Compared, name: str) -> str:
    if name == "occurred":
        return _published(compared.occurred)
    if name == "actor":
        return "+".join(sorted(compared.actors)) or "-"
    return str(getattr(compared, name))


def _differences(action: ReportedAction, gold: Compared, draft: Compared) -> str:
    differing = [
        f"{name} {_shown(gold, name)} vs {_shown(draft, name)}"
        for name, (stated, equal) in _fields(gold, draft).items()
        if stated and not equal
    ]
    return f"{action.id} ({action.kind}): {'; '.join(differing)}"


def _describe(action: ReportedAction) -> str:
    fields = [action.kind, f"occurred {_published(action.occurred)}"]
    for name in ("side", "count", "item", "metric", "area", "place"):
        value = getattr(action, name, None)
        if value is not None:
            shown = value.key if isinstance(value, Place) else value
            fields.append(f"{name} {shown}")
    return f"{', '.join(str(f) for f in fields)}: {action.quote[:70]!r}"


def details(results: Sequence[Evaluated]) -> str:
    lines = []
    for r in results:
        if r.status != "valid":
            lines.append(f"{r.article.name}: {r.status}")
        lines += [f"{r.article.name}: missed  {_describe(a)}" for a in r.unmatched_gold]
        lines += [f"{r.article.name}: extra   {_describe(a)}" for a in r.unmatched_drafted]
        lines += [f"{r.article.name}: differs {difference}" for difference in r.differences]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="the set's listing (set.yaml)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown (docs)")
    parser.add_argument(
        "--details",
        action="store_true",
        help="list the missed and extra actions, and what differs in the matched",
    )
    options = parser.parse_args(argv)
    results = evaluate(read_set(options.set), service_drafter())
    print(render(table(results), options.markdown))
    print()
    print(render(table_by_type(results), options.markdown, BY_TYPE))
    print()
    print(verdict(results))
    if options.details:
        print()
        print(details(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
