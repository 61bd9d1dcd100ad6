"""A draft written as a report file: YAML a person reads and edits, with review comments.

Every text value is written plain when YAML reads it back as the same text, else as a JSON
string (a JSON string is a YAML double-quoted scalar, read back exactly). Mappings and lists
inside an action are written in flow style (``{count: 2, actor: PMF}``). Comments go above what
they are about: a candidate's confidence and guessed fields above its entry, the sentences that
gave no candidate at the end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incidents.drafting.model import Draft

FORMAT = "incidents/report v2"
REQUIRED_METADATA = ("outlet", "url", "published")  # the source fields a report file requires
METADATA_KEYS = ("outlet", "title", "url", "published")
_PLAIN = re.compile(r"[A-Za-z][\w .'()/+-]*")  # safe as a plain scalar when not ending in a space
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"})
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")


def report_file_text(draft: Draft) -> str:
    lines = [
        "# Drafted by `incidents draft`: review every action (docs/drafting.md), then `incidents load`.",
        f"format: {FORMAT}",
        "source:",
    ]
    lines.extend(f"  # {_comment(note)}" for note in draft.notes)
    for key in METADATA_KEYS:
        value = draft.metadata.get(key)
        if value is not None:
            lines.append(f"  {key}: {scalar(value)}")
        elif key in REQUIRED_METADATA:
            lines.append(f"  # TODO {key}: required; not given and not found in the article")
    if not draft.candidates:
        lines.append("actions: []  # no action found: add them by hand, or this report states none")
    else:
        lines.append("actions:")
    for candidate in draft.candidates:
        lines.append("")
        lines.append(f"  # {candidate.kind}, confidence {candidate.confidence:.2f}")
        lines.extend(f"  # guessed: {_comment(comment)}" for comment in candidate.comments)
        first = True
        for name, value in candidate.fields.items():
            prefix = "  - " if first else "    "
            lines.append(f"{prefix}{name}: {flow(value)}")
            first = False
    if draft.missed:
        lines.append("")
        lines.append("# Missed: sentences with numbers or action words that gave no candidate.")
        for missed in draft.missed:
            lines.append(f"# - [{missed.start}-{missed.end}] {_comment(missed.why)}: {_comment(missed.text)}")
    return "\n".join(lines) + "\n"


def scalar(value: object) -> str:
    """A text or a whole number as a YAML scalar that reads back as the same text."""
    if isinstance(value, bool):
        return json.dumps(str(value).lower())
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: object) -> str:
    """A value in flow style: scalars, lists and mappings of them."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    return scalar(value)


def _comment(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)
