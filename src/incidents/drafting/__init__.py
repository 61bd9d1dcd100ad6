"""Drafting: from an article's text to a report file for an analyst to review.

``draft_article`` reads an article (plain text or HTML), proposes every action it finds as a
``Candidate`` (its kind, its sentence as the quote with character offsets, its fields as they
are written into the report file, a confidence and a comment on every guessed field), lists the
sentences that mention numbers or action words but gave no candidate as ``Missed``, and
``Draft.report_file()`` writes it all as a report file (docs/drafting.md). Rules over a regular
tokenisation, offline and deterministic; names resolve through the reference data (``NameIndex``).
"""

from __future__ import annotations

from incidents.drafting.drafter import draft_article
from incidents.drafting.model import Candidate, Draft, Missed

__all__ = ["Candidate", "Draft", "Missed", "draft_article"]
