"""An article as drafting reads it: its plain text (HTML reduced to its words), the metadata its
page states, and its sentences with their character offsets in that text.

The plain text is what every offset of a draft refers to. It keeps the article's words exactly,
with three cleanings a report file needs: line breaks as ``\\n``, control characters and lone
surrogates (which no report file may hold) as spaces, and, from HTML, scripts, styles and
markup left out, a line break at each block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import attrs

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_HTML_START = re.compile(r"\s*(<!doctype html|<html|<head|<body|<meta|<title|<p[\s>]|<div|<article)", re.I)


def clean(text: str) -> str:
    """The text with ``\\r\\n`` and ``\\r`` as ``\\n``, control characters (other than line
    breaks and tabs) and lone surrogates as spaces."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def looks_like_html(text: str) -> bool:
    return _HTML_START.match(text) is not None


@attrs.frozen
class Page:
    """An HTML page read: its plain text and the metadata it states (None where it states none)."""

    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.canonical: str | None = None
        self.time: str | None = None
        self._skipping: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attributes}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or "").strip().lower()
            if name and "content" in values:
                self.meta.setdefault(name, values["content"].strip())
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "").strip() or None
        elif tag == "time" and self.time is None and values.get("datetime"):
            self.time = values["datetime"].strip()
        if tag == "title":
            self._in_title = True
        elif tag in _SKIPPED:
            self._skipping.append(tag)
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIPPED and tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skipping:
            self.parts.append(data)


def read_page(html: str) -> Page:
    """The words of an HTML page, one line per block, and its metadata: ``og:title`` or
    ``<title>``, ``og:site_name``, ``og:url`` or the canonical link, ``article:published_time``
    (or a ``<time datetime>``), its day."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    meta = parser.meta
    title = meta.get("og:title") or " ".join(" ".join(parser.title).split()) or None
    published = meta.get("article:published_time") or meta.get("og:published_time") or parser.time
    day = re.match(r"\d{4}-\d{2}-\d{2}", published or "")
    return Page(
        text=clean(text),
        title=clean(title).strip() or None if title else None,
        outlet=clean(meta.get("og:site_name", "")).strip() or None,
        url=(meta.get("og:url") or parser.canonical or "").strip() or None,
        published=day[0] if day else None,
    )


@attrs.frozen
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # the number of its line (paragraph) in the text


# A sentence ends at . ! or ? (and any closing quotes or brackets after it) followed by a space
# and what can begin a sentence; never inside an abbreviation or a number.
_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "brig",
        "st",
        "no",
        "vs",
        "jr",
        "sr",
        "prof",
        "gov",
        "sen",
        "rep",
        "u.s",
        "u.n",
        "u.k",
        "e.g",
        "i.e",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of ``text``, each within one line, with offsets (spaces around left out)."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start = 0
        for end in _ends(line):
            yield from _sentence(line, start, end, offset, number)
            start = end
        yield from _sentence(line, start, len(line), offset, number)
        offset += len(line) + 1


def _ends(line: str) -> Iterator[int]:
    for match in _END.finditer(line):
        before = line[: match.start()].rsplit(None, 1)
        word = before[-1].lower().lstrip("(\"'\u201c\u2018") if before else ""
        if match.group()[0] == "." and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        yield match.end()


def _sentence(line: str, start: int, end: int, offset: int, number: int) -> Iterator[Sentence]:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        first = start + len(piece) - len(piece.lstrip())
        yield Sentence(offset + first, offset + first + len(stripped), stripped, number)
