"""How many: numeric claims with their qualifier, value, what is counted and who claims it.

A claim is a quantity the article asserts ("at least 1 million Uyghurs are kept against
their will"): the number with its qualifier (at least, more than, nearly, up to, ...) and
its value normalised ("1 million" -> 1000000, "two dozen" -> 24, "40%" -> 40 with unit %),
the thing counted (the noun the number modifies), the predicate (what is said of them) and
the source: "according to X" in the sentence, or the speaker of the quote the number sits in.
Years, dates, times, ages, ordinals, phone numbers and list numbering are not claims.
"""

from __future__ import annotations

import re
from typing import cast

from spacy.tokens import Doc, Span, Token

from . import lexicons
from .model import Bound, Claim, ClaimSource, Quantity, Quote

VERSION = "claims.v1"
QUALIFIERS = cast(list[tuple[str, Bound]], lexicons.rows("numbers", "QUALIFIERS"))  # longest first
SCALES = lexicons.amounts("numbers", "SCALES")
WORDS = lexicons.amounts("numbers", "CARDINALS") | lexicons.amounts("numbers", "FRACTIONS")
NOT_CLAIM = re.compile(r"(-year-old|years? old|\bage[sd]?\b|\bno\.\s*$|\bnumber\s*$|\bphone|\bcall\s*$)", re.I)
MAX_DIGITS = 30  # "a number with a thousand digits" is noted, not parsed


def parse_number(text: str) -> float | None:
    """ "1 million" -> 1e6, "2,500" -> 2500, "two dozen" -> 24, "3.5bn" -> 3.5e9; None if not a number."""
    t = text.lower().replace(",", "").replace("\u2009", "").strip()
    t = re.sub(r"^[$\u20ac\u00a3\u00a5]|%$|\s*percent$|\s*per cent$", "", t).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        if len(m.group(1).replace(".", "")) > MAX_DIGITS:
            return None
        scale = SCALES.get(m.group(2) or "")
        if m.group(2) and scale is None:
            return None
        return float(m.group(1)) * (scale or 1)
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", t):
        if word in ("and",):
            continue
        if word in WORDS:
            current += WORDS[word]
            seen = True
        elif (word in SCALES and seen) or word in ("hundred", "thousand", "million", "billion", "dozen"):
            current = (current or 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _qualifier(text: str, start_char: int) -> tuple[str, Bound, int] | None:
    before = text[max(0, start_char - 20) : start_char].lower()
    for words, bound in QUALIFIERS:
        m = re.search(r"\b" + re.escape(words) + r"\s+$", before)
        if m:
            return words, bound, start_char - (len(before) - m.start())
    return None


def _counted(num: Span) -> Token | None:
    head = num.root.head if num.root.dep_ in ("nummod", "quantmod", "compound") else None
    if head is not None and head.pos_ in ("NOUN", "PROPN") and head.i >= num.end - 1:
        return head
    if num.root.dep_ == "pobj" and num.root.head.lower_ == "of":  # "a total of 300 people"?
        return None
    return None


def _predicate(counted: Token) -> Span | None:
    """What the article says of the counted things: the verb phrase they are the subject of."""
    if counted.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = counted.head
    parts = [verb] + [c for c in verb.rights if c.dep_ in ("prep", "dobj", "prt", "acomp", "attr", "oprd", "agent")][:1]
    start = verb.i
    end = max(p.right_edge.i if p.i != verb.i else verb.i for p in parts)
    return verb.doc[start : end + 1]


def extract(doc: Doc, quotes: list[Quote]) -> list[Claim]:
    out: list[Claim] = []
    text = doc.text
    for ent in doc.ents:
        if ent.label_ not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        s, e = ent.start_char, ent.end_char
        if NOT_CLAIM.search(text[max(0, s - 12) : e + 12]) or (
            re.fullmatch(r"\d{1,2}\.?", ent.text.strip()) and (s == 0 or text[s - 1] == "\n")
        ):
            continue  # ages, phone numbers, list numbering
        qual = _qualifier(text, s)
        num_text = re.sub(r"^(?:" + "|".join(re.escape(q) for q, _b in QUALIFIERS) + r")\s+", "", ent.text, flags=re.I)
        value = parse_number(num_text)
        if value is None:
            continue
        if qual is None:
            inner = next(((w, b) for w, b in QUALIFIERS if ent.text.lower().startswith(w + " ")), None)
            bound: Bound = inner[1] if inner else "exact"
        else:
            s, bound = qual[2], qual[1]
        counted = _counted(ent)
        predicate = _predicate(counted) if counted is not None else None
        end = max(
            e,
            counted.idx + len(counted) if counted is not None else e,
            predicate.end_char if predicate is not None else e,
        )
        unit = "%" if ent.label_ == "PERCENT" else ("money" if ent.label_ == "MONEY" else None)
        claim = Claim(
            s,
            end,
            text[s:end],
            Quantity(text[s:e], int(value) if value == int(value) else value, bound, unit),
            counted.text if counted is not None else None,
            predicate.text if predicate is not None else None,
            _source(s, quotes),
        )
        out.append(claim)
    return out


def _source(start: int, quotes: list[Quote]) -> ClaimSource | None:
    """Who claims it: the speaker of the quote (direct, indirect, or "according to") that holds it."""
    for q in quotes:
        if any(sp.start <= start < sp.end for sp in q.spans) and q.speaker.name:
            return ClaimSource(
                q.speaker.name,
                q.speaker.entity,
                q.speaker.mention.text if q.speaker.mention else None,
                q.cue.text if q.cue else None,
            )
    return None
