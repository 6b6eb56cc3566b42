"""Subtree extents of a parsed Doc, computed once, so "the words under this verb" costs O(1).

``Token.subtree`` walks every token below a head on each call. In one long sentence with
many speech verbs (a transcript, a list of who said what, crafted input) the stages would walk
the same tokens once per verb: quadratic in the sentence's length. spaCy's English parses are
projective almost always, and then a token's subtree is exactly the tokens from its left edge
to its right edge; this index knows, for every token, whether that holds (its subtree's size
equals the width of its edges, for it and every token below it), and counts verbs in any token range by prefix sums.
"""

from __future__ import annotations

from spacy.tokens import Doc

VERB_POS = ("VERB", "AUX")


class Subtrees:
    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        heads = [t.head.i for t in doc]
        self.left = list(range(n))
        self.right = list(range(n))
        size = [1] * n
        children = [0] * n
        for i, h in enumerate(heads):
            if h != i:
                children[h] += 1
        # projective[i]: i's subtree and every subtree inside it are ranges of the Doc, so the
        # subtree, in spaCy's order, is exactly left..right (a crossing arc anywhere below breaks it)
        self.projective = [True] * n
        leaves = [i for i in range(n) if children[i] == 0]
        while leaves:  # leaves up to the roots: each token passes its extent to its head
            i = leaves.pop()
            self.projective[i] = self.projective[i] and size[i] == self.right[i] - self.left[i] + 1
            h = heads[i]
            if h == i:
                continue
            size[h] += size[i]
            self.left[h] = min(self.left[h], self.left[i])
            self.right[h] = max(self.right[h], self.right[i])
            self.projective[h] = self.projective[h] and self.projective[i]
            children[h] -= 1
            if children[h] == 0:
                leaves.append(h)
        self._verbs = [0]
        for t in doc:
            self._verbs.append(self._verbs[-1] + (t.pos_ in VERB_POS))

    def verbs_between(self, first: int, last: int) -> int:
        """Verbs and auxiliaries among tokens first..last (inclusive)."""
        return self._verbs[last + 1] - self._verbs[first] if last >= first else 0
