"""Reading a written quantity: "1 million" -> 1e6, "two dozen" -> 24, "Rs 2 lakh" -> 200000 INR,
"$40-50bn" -> 40e9 to 50e9 USD, "100 metric tons" -> 100 t.

Pure text in, numbers out: no parse, no context. The claims stage (``onrecord.claims``)
decides which numbers of an article are claims and hands their text here. Scales come from
the numbers lexicon (including the South Asian lakh and crore), units and currencies from
``onrecord.units`` (pint and CLDR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicons
from .units import currency_name, currency_sign, measure

SCALES = lexicons.amounts("numbers", "SCALES")
WORDS = lexicons.amounts("numbers", "CARDINALS") | lexicons.amounts("numbers", "FRACTIONS")
RANGE = re.compile(r"\s*(?:-|\u2013|\u2014|\bto\b|\band\b|\bor\b)\s*", re.I)
SIGN = re.compile(
    r"^([A-Z]{0,3}[$\u20ac\u00a3\u00a5\u20b9\u20a9\u20aa\u20b1\u20ab]|(?:[A-Z]{3}|Rs\.?|R[Mp])(?=\s?\d))\s*"
)
PERCENT = re.compile(r"\s*(%|per\s?cent(?:age points?)?|pc|percentage points?)$", re.I)
MAX_DIGITS = 30  # "a number with a thousand digits" is noted, not parsed


def parse_number(text: str) -> float | None:
    """ "1 million" -> 1e6, "2,500" -> 2500, "two dozen" -> 24, "3.5bn" -> 3.5e9; None if not a number."""
    t = text.lower().replace(",", "").replace("\u2009", "").strip()
    t = re.sub(r"^[$\u20ac\u00a3\u00a5]|%$|\s*percent$|\s*per cent$", "", t).strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*((?:[a-z]+\.?\s*)*)", t)
    if m:
        if len(m.group(1).replace(".", "")) > MAX_DIGITS:
            return None
        value = float(m.group(1))
        for word in m.group(2).replace(".", " ").split():  # "1.5 lakh crore": scales multiply
            if word not in SCALES:
                return None
            value *= SCALES[word]
        return value
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


@dataclass(frozen=True)
class Amount:
    value: float
    high: float | None  # the top of a range
    unit: str | None


def parse_quantity(text: str) -> Amount | None:
    """ "$40-50bn" -> 40e9..50e9 USD, "100 metric tons" -> 100 t, "15 per cent" -> 15 %, "Rs 2 lakh"
    -> 200000 INR, "between 10 and 20" -> 10..20; None if the text holds no number."""
    t = re.sub(r"^(?:between|from)\s+", "", text.replace("\u2009", "").replace("\xa0", " ").strip(), flags=re.I)
    t = re.sub(r"(\d)-(?=[A-Za-z]{2})", r"\1 ", t)  # "2.0-liter", "8-inch": a unit as a modifier
    unit = None
    m = SIGN.match(t)
    if m and (code := currency_sign(m.group(1))):
        unit, t = code, t[m.end() :]
    p = PERCENT.search(t)
    if p and unit is None:
        unit, t = ("pp" if "point" in p.group(1).lower() else "%"), t[: p.start()]
    words = t.split()
    for k in (3, 2, 1):
        if unit is None and len(words) > k:
            tail = " ".join(words[-k:])
            found = currency_name(tail) or measure(tail)
            if found:
                unit, t = found, " ".join(words[:-k])
    value = parse_number(t)
    if value is not None:
        return Amount(value, None, unit)
    for sep in RANGE.finditer(t):
        low, high = t[: sep.start()], SIGN.sub("", t[sep.end() :])
        top = parse_number(high)
        bottom = parse_number(low)
        scale = re.search(r"(?<=[\d\s])([a-z]+)\.?$", high.lower())
        if bottom is not None and scale and re.fullmatch(r"[\d.,\s]+", low):  # "40-50bn": the scale is shared
            bottom = parse_number(low + " " + scale.group(1))
        if top is not None and bottom is not None and top > bottom:
            return Amount(bottom, top, unit)
    return None
