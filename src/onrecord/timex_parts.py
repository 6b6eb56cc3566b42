"""Ranges and lists of dates as several time expressions: TimeML gives "from 2009 to 2011",
"between 2014 and 2016", "June 3-5" and "12 and 19 June" one TIMEX3 per date, each with its
value, where the model's entity is one span without a value.

A part that leaves out what the other part says is completed from it before it is
normalised: "12 and 19 June" is 12 June and 19 June, "June 3-5" June 3 and June 5, "March 3 to
March 5, 2019" takes 2019 for both. Offsets stay those of each part as written.
"""

from __future__ import annotations

import re

MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
YEAR = r"\d{4}"
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# One date as a part of a range or list, in the forms news writes.
PART = re.compile(
    rf"(?:{YEAR}|(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}(?:,?\s+{YEAR})?|(?:{WEEKDAY},?\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?"
    rf"|{MONTH}(?:,?\s+{YEAR})?|{WEEKDAY}|{DAY})",
    re.I,
)
CONNECTOR = re.compile(r"\s*(?:-|\u2013|\u2014|\bto\b|\buntil\b|\btill\b|\bthrough\b|\band\b|\bor\b|&)\s*", re.I)
# Longer than any range of two dates ("Wednesday, September 30, 2009 to Thursday, October 1, 2009").
LONGEST = 80
LEAD = re.compile(r"(?:between|from)\s+", re.I)
# The second date of a range the model left out ("from 2009 to 2011": only "2009" is a DATE).
MISSED_END = re.compile(
    rf"\s*(?:-|\u2013|to|until|till|through|and)\s+({YEAR}|{MONTH}\s+{DAY}(?:,\s*{YEAR})?|{DAY}\s+{MONTH}(?:\s+{YEAR})?)\b",
    re.I,
)
BARE_DAY = re.compile(DAY, re.I)
HAS_MONTH = re.compile(rf"\b{MONTH}(?![a-z])", re.I)
HAS_YEAR = re.compile(rf"\b{YEAR}\b")
LEADING_DAY = re.compile(rf"^{DAY}\s+(?:of\s+)?", re.I)


def extend(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans after "from" or "between" stretched over the range's end the model missed."""
    out = []
    for s, e in spans:
        before = text[max(0, s - 9) : s].lower()
        m = MISSED_END.match(text, e)
        lead = re.search(r"\b(?:from|between)\s+$", before) or LEAD.match(text, s)
        if m and lead and not any(s2 < m.end() and m.start() < e2 for s2, e2 in spans if (s2, e2) != (s, e)):
            e = m.end()
        out.append((s, e))
    return out


def pieces(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    """The dates of the expression at ``s``..``e``: (start, end, text to normalise) for each,
    or the whole expression as one when it is no range or list of dates."""
    whole = [(s, e, text[s:e])]
    if e - s > LONGEST:
        return whole  # each connector is tried against the whole span: keep that bounded
    lead = LEAD.match(text, s)
    start = lead.end() if lead else s
    body = text[start:e]
    for c in CONNECTOR.finditer(body):
        a, b = body[: c.start()], body[c.end() :]
        if not (a and b and PART.fullmatch(a) and PART.fullmatch(b)):
            continue
        if (BARE_DAY.fullmatch(a) and not HAS_MONTH.search(b)) or (BARE_DAY.fullmatch(b) and not HAS_MONTH.search(a)):
            continue  # "3-5" alone: no month to read the days in
        if BARE_DAY.fullmatch(a) and BARE_DAY.fullmatch(b):
            continue
        a_norm, b_norm = a, b
        if BARE_DAY.fullmatch(a):  # "12 and 19 June"
            a_norm = f"{a} {LEADING_DAY.sub('', b)}"
        elif BARE_DAY.fullmatch(b):  # "June 3-5"
            month = HAS_MONTH.search(a)
            assert month is not None
            b_norm = f"{month.group(0)} {b}" + (f", {y.group(0)}" if (y := HAS_YEAR.search(a)) else "")
        elif HAS_MONTH.search(a) and not HAS_YEAR.search(a) and (y := HAS_YEAR.search(b)) and HAS_MONTH.search(b):
            a_norm = f"{a}, {y.group(0)}"  # "March 3 to March 5, 2019"
        a_start, b_start = start, start + c.end()
        return [(a_start, a_start + len(a), a_norm), (b_start, b_start + len(b), b_norm)]
    return whole
