"""How many: numeric claims with their qualifier, value, what is counted and who claims it.

A claim is a quantity the article asserts ("at least 1 million Uyghurs are kept against
their will"): the number with its qualifier (at least, more than, nearly, up to, ...) and
its value normalised ("1 million" -> 1000000, "two dozen" -> 24, "Rs 2 lakh" -> 200000),
its unit ("40%" -> %, "$5m" -> USD, "100 metric tons" -> t; see ``onrecord.units``), a range
as two bounds ("$40-50bn" -> 40e9 to 50e9), the thing counted (the noun the number
modifies), the predicate (what is said of them) and the source: "according to X" in the
sentence, or the speaker of the quote the number sits in.

Not claims, by their form rather than by any list of examples: years, dates, times, ages,
ordinals and list numbering; phone numbers (digit groups, or a number that is called or
dialled); scores and tallies (two small bare numbers joined by a dash, with no unit and nothing
counted: "6-4", "won 3-1"); a number that is part of a name (capitalised with what it
modifies, "Three Amigos", "the 50 Best"; or following a name, "Apollo 11", "Boeing 737"); a
number used as a label of one thing (it modifies a singular noun: "a 911 call", "the 2020
election"); a bare year (a four-digit 1000-2099 counting nothing); and "one" that counts
nothing ("one of the", "at one point").
"""

from __future__ import annotations

import re
from typing import cast

from spacy.tokens import Doc, Span, Token

from . import lexicons
from .model import Bound, Claim, ClaimSource, Quantity, Quote
from .quantities import Amount, parse_quantity
from .units import currency_name, is_time_unit, measure

VERSION = "claims.v3"
QUALIFIERS = cast(list[tuple[str, Bound]], lexicons.rows("numbers", "QUALIFIERS"))  # longest first
AROUND = re.compile(r"(-year-old|years? old|\bage[sd]?\b)", re.I)  # ages
BEFORE = re.compile(  # what introduces a number that is dialled or listed, not counted
    r"(\bno\.|\bnumber|\bphone|\b(?:tel|fax)\.?|\b(?:call|dial|text)(?:s|ed|led|ing|ling)?|\bhotline)\s*(?:on\s*)?:?\s*$",
    re.I,
)
PHONE = re.compile(r"\+?\(?\d{1,4}\)?(?:[\s.-]\d{2,4}){2,}")  # "1-800-273-8255", "+44 20 7946 0958"
SCORE = re.compile(r"\d{1,3}\s*[-\u2013\u2014]\s*\d{1,3}(?:\s*\(\d+\))?")  # "6-4", "7-6 (5)"
SIGN_BEFORE = re.compile(
    r"(?:(?<![A-Za-z0-9])[A-Z]{0,3}[$\u20ac\u00a3\u00a5\u20b9\u20a9\u20aa\u20b1\u20ab]|\b(?:[A-Z]{3}|Rs\.?|R[Mp])\s?)$"
)
# what may follow spaCy's number span and still belong to the quantity: the rest of a range
# ("-50bn", " to 20") and up to three words (scales, "per cent", currency names, units)
TAIL_RANGE = re.compile(
    r"(?:\s*[-\u2013\u2014]\s*|\s+(?:to|and|or)\s+)(?:[A-Z]{0,3}[$\u20ac\u00a3\u00a5\u20b9])?\d[\d,.]*[a-z]*"
)
TAIL_WORD = re.compile(r"\s*(?:%|[A-Za-z]+)")
QUALIFIER_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(q) for q, _b in QUALIFIERS) + r")\s+", re.I)


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
    covered = -1
    for ent, outer in _candidates(doc):
        if _not_a_claim(ent, text):
            continue
        if ent.start_char < covered:
            continue  # the second number of a range or change the first one already read
        found = _extent(ent, text)
        parts = _change(doc, text, *(found[:2] if found is not None else (ent.start_char, ent.end_char)))
        if found is not None:
            s, e, amount = found
        elif parts is not None:  # "from 5 to 4.5 percent", which reads as no range: a fall
            s, e, amount = ent.start_char, ent.end_char, parts[-1][1]
        else:
            continue
        if amount.unit is None and _named(ent):
            continue
        qual = _qualifier(text, s) or _qualifier(text, outer)  # "up to [an additional] 15 per cent"
        if qual is None:
            inner = next(((w, b) for w, b in QUALIFIERS if ent.text.lower().startswith(w + " ")), None)
            bound: Bound = inner[1] if inner else ("lower" if amount.high is not None else "exact")
        else:
            s, bound = qual[2], qual[1]
        unit, counted = amount.unit, _counted(ent)
        if counted is None and amount.unit is not None and ent.root.pos_ == "NOUN":
            counted = ent.root  # spaCy's span holds the unit ("100 metric tons"): its root is the unit
        if counted is not None and counted.idx < e:  # the unit word itself ("100 metric tons [of aid]")
            counted = _of(counted)
        elif unit is None and counted is not None and (noun_unit := _unit_noun(ent, counted, text)):
            unit, counted = noun_unit  # "100 tons of aid": tons are the unit, aid is counted
        if unit is None and ent.label_ == "MONEY":
            unit = "money"
        if _bare(ent, amount, unit, counted):
            continue
        predicate = _predicate(counted) if counted is not None else None
        end = max(
            e,
            counted.idx + len(counted) if counted is not None else e,
            predicate.end_char if predicate is not None else e,
        )
        counted_text = counted.text if counted is not None else None
        predicate_text = predicate.text if predicate is not None else None
        covered = e
        if parts is not None:  # "rose from 23% to 35%": the value before and the value after
            for (a, b), part in parts:
                quantity = Quantity(text[a:b], _plain(part.value), "exact", part.unit or unit)
                out.append(Claim(a, b, text[a:b], quantity, counted_text, predicate_text, _source(a, quotes)))
            continue
        claim = Claim(
            s,
            end,
            text[s:end],
            Quantity(
                text[s:e], _plain(amount.value), bound, unit, None if amount.high is None else _plain(amount.high)
            ),
            counted_text,
            predicate_text,
            _source(s, quotes),
        )
        out.append(claim)
    return out


# what "from X to Y" spans when it is a range, not a change: "ranging from 5 to 10"
RANGE_VERBS = frozenset({"range", "vary", "span", "stretch"})
TO = re.compile(r"\s+to\s+")


def _change(doc: Doc, text: str, s: int, e: int) -> list[tuple[tuple[int, int], Amount]] | None:
    """The two values of "from X to Y" where a verb changes one quantity ("support rose from 23%
    to 35%", "cut the rate from 5 to 4.5 percent"): the value before and the value after, each
    with the unit either names, not a range between them. None for a range ("between 10 and
    20", "ranging from 5 to 10", "flights from 10 to 12 countries", "40-50bn")."""
    before = text[max(0, s - 6) : s]
    m = re.search(r"\bfrom\s+$", before, re.I)
    sep = TO.search(text, s, e)
    if m is None or sep is None:
        return None
    at = doc.char_span(s - len(before) + m.start(), s - len(before) + m.start() + 4)
    verb = at.root.head if at is not None else None
    if verb is None or verb.pos_ != "VERB" or verb.lemma_.lower() in RANGE_VERBS:
        return None  # "flights from 10 to 12 countries": no verb of change, a range
    low, high = parse_quantity(text[s : sep.start()]), parse_quantity(text[sep.end() : e])
    if low is None or high is None or low.high is not None or high.high is not None:
        return None
    unit = low.unit or high.unit
    return [
        ((s, sep.start()), Amount(low.value, None, low.unit or unit)),
        ((sep.end(), e), Amount(high.value, None, high.unit or unit)),
    ]


def _extent(ent: Span, text: str) -> tuple[int, int, Amount] | None:
    """The quantity around spaCy's number span: a currency sign before it, the rest of a range and
    the unit after it ("$" + "40" + "-50bn"; "3" + " percentage points"), the longest that parses."""
    s, e = ent.start_char, ent.end_char
    sign = SIGN_BEFORE.search(text[max(0, s - 4) : s])
    if sign:
        s -= len(text[max(0, s - 4) : s]) - sign.start()
    rest = TAIL_RANGE.match(text, e)
    ends = [e]
    for start in (e, rest.end()) if rest else (e,):
        pos = start
        for _ in range(3):
            word = TAIL_WORD.match(text, pos)
            if word is None:
                break
            pos = word.end()
            ends.append(pos)
        ends.append(start)
    for end in sorted(set(ends), reverse=True):
        span = QUALIFIER_PREFIX.sub("", text[s:end])
        amount = parse_quantity(span)
        if amount is not None:
            return s + len(text[s:end]) - len(span), end, amount
    return None


NUMERIC = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY")
NAMEISH = ("ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW")


def _candidates(doc: Doc) -> list[tuple[Span, int]]:
    """The number spans to read, each with where its entity began: spaCy's numeric entities cut
    to their numbers (no leading "an additional", no trailing "and"), and numbers the model left
    out of any entity that carry a currency sign or a unit ("(£10bn)" after a dollar sum)."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in NUMERIC and not _count_taken_for_date(ent):
            continue
        start, end = ent.start, ent.end
        while start < end and not (doc[start].like_num or doc[start].tag_ == "$"):
            start += 1
        while end > start and doc[end - 1].pos_ in ("CCONJ", "PUNCT", "ADP") and doc[end - 1].text not in ("%",):
            end -= 1
        if start < end:
            out.append((Span(doc, start, end, label=ent.label_), ent.start_char))
    for tok in doc:
        if tok.ent_type_ or tok.tag_ != "CD" or not any(c.isdigit() for c in tok.text):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if (tok.i > 0 and doc[tok.i - 1].tag_ == "$") or (
            nxt is not None and (measure(nxt.text) or currency_name(nxt.text))
        ):
            out.append((Span(doc, tok.i, tok.i + 1, label="QUANTITY"), tok.idx))
    return sorted(out, key=lambda c: c[0].start)


def _count_taken_for_date(ent: Span) -> bool:
    """ "Between 10 and 20 soldiers" tagged DATE: only numbers and range words, counting a plural
    noun that is no unit of time."""
    if ent.label_ != "DATE" or not all(t.like_num or t.lower_ in ("between", "and", "to", "or", "-") for t in ent):
        return False
    counted = _counted(ent)
    return counted is not None and counted.tag_ == "NNS" and not is_time_unit(counted.text)


def _plain(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _not_a_claim(ent: Span, text: str) -> bool:
    """Ages, phone numbers, list numbering, scores and numbers inside names, by their form."""
    s, e = ent.start_char, ent.end_char
    if AROUND.search(text[max(0, s - 12) : e + 12]) or BEFORE.search(text[max(0, s - 16) : s]):
        return True
    if re.fullmatch(r"\d{1,2}\.?", ent.text.strip()) and (s == 0 or text[s - 1] == "\n"):
        return True  # list numbering
    window = text[max(0, s - 6) : e + 6]
    if any(m.start() <= s - max(0, s - 6) and m.end() >= e - max(0, s - 6) for m in PHONE.finditer(window)):
        return True
    score = SCORE.match(text, s)
    if ent.label_ == "CARDINAL" and score and score.end() >= e and not text[score.end() : score.end() + 1].isalnum():
        left, right = (int(x) for x in re.findall(r"\d+", score.group())[:2])
        if left >= right:
            return True  # "6-4", "3-1", "2-2": a score or a tally; a range rises ("3-4 people")
    return False


def _named(ent: Span) -> bool:
    """A number that is part of a name, when it carries no unit: by capitals and entity types."""
    first, last = ent[0], ent[-1]
    nxt = ent.doc[last.i + 1] if last.i + 1 < len(ent.doc) else None
    prev = ent.doc[first.i - 1] if first.i > 0 else None
    mid_sentence = not first.is_sent_start
    counted = _counted(ent)
    if counted is not None and counted.tag_ == "NNP" and counted.ent_type_ not in ("NORP", "GPE"):
        return True  # "One Home Depot": what the number "counts" is one name (a plural, "1 million Uyghurs", is people)
    if nxt is not None and nxt.ent_type_ in NAMEISH and counted is None:
        return True  # "One Home Depot", "the 7 Eleven": the number begins an organisation's or a work's name
    if mid_sentence and first.is_alpha and first.is_title and nxt is not None and nxt.is_title:
        return True  # "the Three Amigos", "Big Four": a name
    if (
        mid_sentence
        and nxt is not None
        and nxt.is_title
        and nxt.ent_type_ not in ("NORP", "GPE")
        and not nxt.is_sent_start
        and ent.label_ == "CARDINAL"
        and (nxt.pos_ == "PROPN" or nxt.dep_ in ("compound", "amod"))
        and nxt.head.is_title
    ):
        return True  # "the 50 Best restaurants", "10 Downing Street": a name
    return bool(
        ent.label_ == "CARDINAL"
        and prev is not None
        and prev.pos_ == "PROPN"
        and prev.is_title
        and prev.ent_type_ not in ("NORP", "GPE")
        and _counted(ent) is None
    )  # "Apollo 11", "Boeing 737", "Article 5": a name's number


def _bare(ent: Span, amount: Amount, unit: str | None, counted: Token | None) -> bool:
    """A number that counts nothing in particular: a label, a year, a score or an idiomatic "one"."""
    if unit is not None:
        return False
    first, last = ent[0], ent[-1]
    after = ent.doc[last.i + 1] if last.i + 1 < len(ent.doc) else None
    word_after = ent.doc[after.i + 1] if after is not None and after.i + 1 < len(ent.doc) else None
    if (
        after is not None
        and after.text == "-"
        and not last.whitespace_
        and word_after is not None
        and word_after.is_alpha
    ):
        return True  # "five-spoke wheels", "a ten-part series": the number describes, it does not count
    before = ent.doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.lower_ in ("the", "these", "those") and first.is_alpha and amount.value < 10:
        return True  # "the two countries": a set the story has named, not a new figure
    if counted is not None and counted.tag_ in ("NN", "NNP") and amount.value != 1 and amount.high is None:
        return True  # "a 911 call", "the 2020 election", "a 737 jet": the number names one thing
    if counted is None and amount.high is None:
        digits = ent.text.strip()
        if re.fullmatch(r"1\d{3}|20\d{2}", digits):
            return True  # a bare year
        if amount.value == 1 and first.is_alpha:
            return True  # "one of the", "at one point"
    return counted is None and amount.high is not None and SCORE.fullmatch(ent.text.strip()) is not None


def _unit_noun(ent: Span, counted: Token, text: str) -> tuple[str, Token | None] | None:
    """ "100 [metric] tons of aid" -> ("t", aid): the noun the number modifies is a unit of measure."""
    words = text[ent.end_char : counted.idx + len(counted)].strip()
    unit = measure(words) or measure(counted.text) or currency_name(words) or currency_name(counted.text)
    if unit is None:
        return None
    return unit, _of(counted)


def _of(unit: Token) -> Token | None:
    """ "tons of rice" -> rice: what a measure measures."""
    of = next((c for c in unit.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None


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
