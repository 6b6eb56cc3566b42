"""Find the passages that stand inside quotation marks.

Pure text work, before any language model: pairs opening and closing marks paragraph by
paragraph, in the styles news uses (straight, curly, low-high „…“, guillemets «…» and
»…«, and single marks where they cannot be apostrophes). Knows the news convention for a
quote that runs over several paragraphs (no closing mark at the paragraph end, a fresh
opening mark on the next) and degrades gracefully on a mark that is never closed: the
passage runs to the paragraph end and a problem is noted, without touching other quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .model import Problem

STAGE = "quotemarks"
VERSION = "quotemarks.v1"
# opening mark -> closing marks that may end it
DOUBLE_PAIRS = {
    '"': '"',
    "\u201c": '\u201d\u201c"',
    "\u201e": '\u201c\u201d"',
    "\u00ab": "\u00bb",
    "\u00bb": "\u00ab",
    "\u201f": "\u201d",
}
DOUBLE_MARKS = set('"\u201c\u201d\u201e\u00ab\u00bb\u201f')
SINGLE_OPEN = "'\u2018\u201a\u2039"
SINGLE_CLOSE = {"'": "'\u2019", "\u2018": "\u2019'", "\u201a": "\u2018\u2019", "\u2039": "\u203a"}
OPEN_BEFORE = set(" \t\r\n([{\u2014\u2013-/:;,") | {""}
ALL_MARKS = DOUBLE_MARKS | set(SINGLE_OPEN) | set("\u2019\u203a")


@dataclass(frozen=True)
class Quoted:
    """One run of quoted text inside one paragraph."""

    open: int  # offset of the opening mark
    start: int  # content start (after the mark)
    end: int  # content end (before the closing mark or at the paragraph end)
    close: int | None  # offset of the closing mark, None when the paragraph ended first
    single: bool = False  # single marks (usually a quote inside a quote, or a headline style)

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: news text puts one paragraph on a line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def _prev(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _next(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _orientation(text: str, i: int) -> str:
    """'open', 'close' or '?' for a straight mark, from the characters around it."""
    before, after = _prev(text, i), _next(text, i)
    opens = before in OPEN_BEFORE or before in "\"'\u201c\u2018"
    closes = after == "" or after.isspace() or after in ".,;:!?)]}\u2014\u2013-'\u2019\""
    if opens and not (after == "" or after.isspace()):
        return "open"
    if closes and not (before == "" or before.isspace()):
        return "close"
    return "?"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _scan_double(text: str, p_start: int, p_end: int, problems: list[Problem]) -> list[Quoted]:
    found: list[Quoted] = []
    opener: int | None = None
    for i in range(p_start, p_end):
        ch = text[i]
        if ch not in DOUBLE_MARKS:
            continue
        if opener is None:
            if ch in DOUBLE_PAIRS and (ch != '"' or _orientation(text, i) != "close"):
                opener = i
            elif not (ch == '"' and _prev(text, i).isdigit()):  # 12" is inches, not a stray mark
                problems.append(Problem(STAGE, f"closing quotation mark {ch!r} with no opening mark", i))
            continue
        if ch in DOUBLE_PAIRS[text[opener]]:
            if ch == '"' and _orientation(text, i) == "open" and i - opener > 1 and text[i - 1] == " ":
                # `"A "B` : the first quote lost its closing mark; keep both, note it.
                found.append(_unclosed(text, opener, i, problems))
                opener = i
                continue
            s, e = _trim(text, opener + 1, i)
            found.append(Quoted(opener, s, e, i))
            opener = None
        elif ch in DOUBLE_PAIRS and text[opener] in "\u201c\u201e\u00ab":
            found.append(_unclosed(text, opener, i, problems))
            opener = i
    if opener is not None:
        s, e = _trim(text, opener + 1, p_end)
        found.append(Quoted(opener, s, e, None))
    return found


def _unclosed(text: str, opener: int, until: int, problems: list[Problem]) -> Quoted:
    problems.append(Problem(STAGE, "quotation mark opened and not closed before the next opening mark", opener))
    s, e = _trim(text, opener + 1, until)
    return Quoted(opener, s, e, None)


def _scan_single(text: str, p_start: int, p_end: int, inside: list[Quoted]) -> list[Quoted]:
    """Single-mark quotes outside double ones; only where a mark cannot be an apostrophe.

    An opening mark is closed by the first closing mark after it that is not an apostrophe
    (a letter follows, or a space comes before), unless a double mark comes first. A plural
    possessive ("the players' union") looks like a closing mark; it closes only a short quote
    (at most 40 characters). The closing marks are listed once per paragraph and found by
    bisection, so a paragraph of a thousand unclosed marks costs a thousand look-ups, not a
    scan to the paragraph end for each."""
    found: list[Quoted] = []
    para = text[p_start:p_end]
    if not any(mark in para for mark in SINGLE_OPEN):
        return found  # most paragraphs: nothing to index
    covered = sorted((q.open, q.outer_end) for q in inside)
    covered_starts = [a for a, _b in covered]
    stops = [j for j in range(p_start, p_end) if text[j] in '"\u201c\u201d']
    closers: dict[str, tuple[list[int], list[int]]] = {}  # closing set -> (closers, possessive-like closers)

    def closers_of(close_set: str) -> tuple[list[int], list[int]]:
        if close_set not in closers:  # listed once per paragraph, for the marks it opens with
            plain: list[int] = []
            possessive: list[int] = []
            for j in range(p_start + 1, p_end):
                if text[j] in close_set and not _next(text, j).isalnum() and not text[j - 1].isspace():
                    (possessive if text[j - 1] in "sS" and _next(text, j) == " " else plain).append(j)
            closers[close_set] = (plain, possessive)
        return closers[close_set]

    i = p_start
    while i < p_end:
        ch = text[i]
        if (
            ch in SINGLE_OPEN
            and _prev(text, i) in OPEN_BEFORE
            and _next(text, i).isalnum()
            and not _inside(covered, covered_starts, i)
        ):
            plain, possessive = closers_of(SINGLE_CLOSE[ch])
            j = _first_at_or_after(plain, i + 2)
            k = _first_at_or_after(possessive, i + 2)
            if k is not None and k - i <= 40 and (j is None or k < j):
                j = k
            stop = _first_at_or_after(stops, i + 2)
            if j is not None and (stop is None or j < stop):
                s, e = _trim(text, i + 1, j)
                found.append(Quoted(i, s, e, j, single=True))
                i = j
        i += 1
    return found


def _first_at_or_after(positions: list[int], at: int) -> int | None:
    k = bisect_left(positions, at)
    return positions[k] if k < len(positions) else None


def _inside(spans: list[tuple[int, int]], starts: list[int], i: int) -> bool:
    """Whether ``i`` falls in one of the sorted, non-overlapping ``spans``."""
    k = bisect_right(starts, i) - 1
    return k >= 0 and spans[k][0] <= i < spans[k][1]


def find_quoted(text: str) -> tuple[list[Quoted], list[Problem], set[int]]:
    """All quoted passages, the problems met, and the set of ``open`` offsets of passages
    that continue a quote from the previous paragraph (the multi-paragraph convention)."""
    problems: list[Problem] = []
    out: list[Quoted] = []
    continuing: set[int] = set()
    paras = paragraphs(text)
    for n, (ps, pe) in enumerate(paras):
        doubles = _scan_double(text, ps, pe, problems)
        for q in doubles:
            if q.close is None and q is doubles[-1]:
                nxt = paras[n + 1][0] if n + 1 < len(paras) else None
                first = text[nxt : paras[n + 1][1]].lstrip()[:1] if nxt is not None else ""
                if first in DOUBLE_PAIRS:
                    continuing.add(
                        paras[n + 1][0] + (len(text[nxt : paras[n + 1][1]]) - len(text[nxt : paras[n + 1][1]].lstrip()))
                    )
                elif not any(p.start == q.open for p in problems):
                    problems.append(
                        Problem(
                            STAGE,
                            "quotation mark never closed; the quote is taken to run to the end of its paragraph",
                            q.open,
                        )
                    )
        out.extend(doubles)
        out.extend(_scan_single(text, ps, pe, doubles))
    out.sort(key=lambda q: q.open)
    return [q for q in out if q.end > q.start], problems, continuing


def outermost(quoted: list[Quoted]) -> list[Quoted]:
    """The passages not nested in another one (a single-quoted phrase inside a double-quoted
    speech): nested when some passage opening at or before its mark ends at or after it
    (a prefix maximum of ends over passages sorted by start; n log n, not all pairs)."""
    by_start = sorted(quoted, key=lambda o: o.start)
    starts = [o.start for o in by_start]
    reach: list[int] = []
    for o in by_start:
        reach.append(max(reach[-1], o.end) if reach else o.end)

    def nested(q: Quoted) -> bool:
        k = bisect_right(starts, q.open) - 1  # a passage's own start is after its mark
        return k >= 0 and reach[k] >= q.outer_end

    # Mixed mark styles left open ("'the,« John said. '") can make two passages overlap
    # without one holding the other; the later one is dropped, so that passages never
    # overlap, which every look-up below relies on.
    out: list[Quoted] = []
    for q in sorted((q for q in quoted if not nested(q)), key=lambda o: o.open):
        if out and q.open < out[-1].outer_end:
            continue
        out.append(q)
    return out


class Passages:
    """What the quotemarks stage finds: every quoted passage (nested ones too), the outermost
    ones (never overlapping, in text order), the openings that continue a quote from the
    previous paragraph, and whether a character lies inside a quote (people named inside
    someone's quote are not what a later "he" or "the spokesman" outside it refers to)."""

    def __init__(self, quoted: list[Quoted], continuing: set[int]) -> None:
        self.all = tuple(quoted)
        self.outermost = tuple(outermost(quoted))
        self.continuing = frozenset(continuing)
        self._starts = [q.start for q in self.outermost]
        self._ends = [q.end for q in self.outermost]

    def inside(self, char: int) -> bool:
        # outermost passages do not overlap, so only the last one starting at or before ``char`` can hold it
        k = bisect_right(self._starts, char) - 1
        return k >= 0 and char < self._ends[k]


def find_passages(text: str) -> tuple[Passages, list[Problem]]:
    quoted, problems, continuing = find_quoted(text)
    return Passages(quoted, continuing), problems
