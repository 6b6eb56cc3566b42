"""When each quote, claim and event happened, from the article's time expressions.

The rule: an event's own ``when``, when the time stage resolved it to a day; else the full
date (``YYYY-MM-DD``) of the time expression nearest the item within the sentence(s) that
hold it (for a quote, the sentences of its words, cue and speaker; dates inside the quoted
words do not count, they are what the quote talks about, not when it was said); else the
publication date (``source`` "published"). Sentences are the parser's, the same ones every
other stage reads, so the store and the exports date items from the record alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc

from .model import Claim, Dated, Event, Quote, Span, Timex

VERSION = "dating.v1"
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Dater:
    def __init__(self, doc: Doc, published: str | None, timexes: Sequence[Timex]) -> None:
        self.published = published
        sents = list(doc.sents)
        self._starts = [s.start_char for s in sents]
        self._ends = [s.end_char for s in sents]
        self.days = sorted(
            (t.start, t.end, str(t.value)) for t in timexes if t.type == "DATE" and FULL_DATE.match(str(t.value or ""))
        )

    def sentence(self, start: int, end: int) -> Span:
        """The sentence(s) that hold [start, end)."""
        if not self._starts:
            return Span(start, end)
        first = max(0, bisect_right(self._starts, start) - 1)
        last = max(first, bisect_right(self._starts, max(start, end - 1)) - 1)
        return Span(min(self._starts[first], start), max(self._ends[last], end))

    def date(self, start: int, end: int, *, own: str | None = None, inside: Sequence[Span] = ()) -> Dated:
        sentence = self.sentence(start, end)
        if own and FULL_DATE.match(own):
            return Dated(own, "text", sentence)
        best: tuple[int, str] | None = None
        for t_start, t_end, value in self.days:
            if t_start < sentence.start or t_end > sentence.end:
                continue
            if any(s.start <= t_start and t_end <= s.end for s in inside):
                continue
            distance = max(0, t_start - end, start - t_end)
            if best is None or distance < best[0]:
                best = (distance, value)
        if best is not None:
            return Dated(best[1], "text", sentence)
        return Dated(self.published, "published", sentence)


def date_items(
    doc: Doc,
    published: str | None,
    timexes: Sequence[Timex],
    quotes: Sequence[Quote] = (),
    claims: Sequence[Claim] = (),
    events: Sequence[Event] = (),
) -> dict[str, list[Dated]]:
    """One ``Dated`` per item, by layer, in the items' order."""
    dater = _Dater(doc, published, timexes)
    out: dict[str, list[Dated]] = {"quotes": [], "claims": [], "events": []}
    for q in quotes:
        parts = [p for p in (q.speaker.mention, q.cue) if p is not None]
        lo = min([s.start for s in q.spans] + [p.start for p in parts])
        hi = max([s.end for s in q.spans] + [p.end for p in parts])
        out["quotes"].append(dater.date(lo, hi, inside=q.spans))
    for c in claims:
        out["claims"].append(dater.date(c.start, c.end))
    for e in events:
        out["events"].append(dater.date(e.start, e.end, own=e.when.value if e.when is not None else None))
    return out
