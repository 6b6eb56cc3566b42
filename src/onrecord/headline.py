"""The page's title where it stands in front of the body text.

Extracted pages and JSONL lines often carry the headline twice: as the title, and as the
first line of the text. Its words are a summary of the body, so the quotes, claims and
events the body reports would be found a second time in it (and slogans in a headline read
as quotes). The record keeps the title's offsets in the text as ``headline``, and the
quotes, claims and events inside it are left out; entities and time expressions keep their
mentions there, since they are where the words are.
"""

from __future__ import annotations

import re

from .model import Span

VERSION = "headline.v1"

# what sites put between a headline and their own name ("Storm hits coast - Daily News")
_SITE_SEPARATOR = re.compile(r"\s+[-|\u2013\u2014:]\s+")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def headline_span(text: str, title: str | None) -> Span | None:
    """Offsets of the text's first line when it is the title (or the title without a site
    name after a separator); None when the text does not open with it."""
    if not title or not title.strip():
        return None
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].rstrip()
    if not line or end == len(text):  # the whole text on one line is the body, not a headline
        return None
    head, want = _norm(line), _norm(title)
    if head == want or any(_norm(part) == head for part in _SITE_SEPARATOR.split(title, maxsplit=1)[:1]):
        return Span(start, start + len(line))
    return None


def outside(span: Span | None, start: int, end: int) -> bool:
    """Whether [start, end) lies outside the headline."""
    return span is None or end <= span.start or start >= span.end
