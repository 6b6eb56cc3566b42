"""Which sentence a token is in, answered in O(log n).

spaCy's ``Token.sent`` walks the document's sentence starts on every call; the stages ask
it thousands of times per article, so they share one index per Doc instead.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span, Token


class Sentences:
    def __init__(self, doc: Doc) -> None:
        self.spans: list[Span] = list(doc.sents)
        self._starts = [s.start for s in self.spans]
        self._start_chars = [s.start_char for s in self.spans]

    def of(self, tok: Token) -> Span:
        return self.spans[max(0, bisect_right(self._starts, tok.i) - 1)]

    def index_at_char(self, char: int) -> int:
        return max(0, bisect_right(self._start_chars, char) - 1)
