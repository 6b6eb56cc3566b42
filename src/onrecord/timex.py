"""When: time expressions as TIMEX3, resolved against the publication date.

Spans come from the model's DATE and TIME entities plus a few patterns it misses
("two-week", "every week"); each span is normalised by the rules below, reading the tense
of the clause it sits in: "Friday" in a past-tense report is the last Friday on or before
publication, in a future-tense one the next; "Sept. 13" told in the past in a January story
is last September. Without a publication date only absolute expressions get a value; the
others are kept with ``value: null`` and ``unresolved: true``, never a guessed date. A date
that cannot exist ("February 30") is kept without a value and reported as a problem.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from spacy.tokens import Doc, Span, Token

from . import lexicons, timex_parts
from .model import Interval, Problem, Timex

VERSION = "timex.v1"
STAGE = "timex"
MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
NUMBERS: dict[str, int | float | None] = {
    **lexicons.amounts("numbers", "CARDINALS"),
    "hundred": lexicons.amounts("numbers", "SCALES")["hundred"],
    **dict.fromkeys(lexicons.sequence("numbers", "VAGUE")),
    "single": 1,  # "the worst single-day decline": one day
}
ORDINALS = lexicons.amounts("numbers", "ORDINALS")
UNITS = lexicons.table("time", "UNITS")
SEASONS = lexicons.table("time", "SEASONS")
PARTS = lexicons.table("time", "PARTS")
SETS = lexicons.table("time", "SETS")
REFS = lexicons.table("time", "REFS")
NUM = (
    r"(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|several|a few|few|many|single)"
)
UNIT = r"(second|minute|hour|day|week|fortnight|month|year|decade|century|quarter)s?"
# patterns the model rarely tags: "two-week pause", "every week", "weekly"
EXTRA = re.compile(
    rf"\b(?:{NUM}[- ]{UNIT}(?:-long)?(?=\s+[a-z])|every\s+{UNIT}|each\s+{UNIT}|"
    r"(?:daily|weekly|monthly|annually|yearly)\b|"
    r"\d{1,2}:\d{2}(?:\s*(?:UTC|GMT|[ap]\.m\.))?|\d{4}\s+(?:UTC|GMT)\b|"
    r"(?<![\w-])(?:now|currently|recently|recent|current)(?![\w-])|"
    # TimeML's vague references the model rarely tags ("in the past", "in the near term")
    r"(?<=\bin )the (?:past|future|near future|near term)\b(?! tense)|(?<=\bat )a later date\b|"
    r"(?<![\w-])FY\s?'?(?:\d{4}|\d{2})(?![\w-])|"  # "FY24": a fiscal year (Normaliser._fiscal)
    # "by that time", "at that time": the time last mentioned (Normaliser._referring_back)
    r"(?:(?<=\bby )|(?<=\bat )|(?<=\buntil )|(?<=\bsince ))that time\b)",
    re.I,
)
CLOCK = re.compile(r"\d{1,2}:\d{2}")
GAME_CLOCK_AFTER = re.compile(r"\s+(?:left|remaining|to play|to go|on the clock)\b", re.I)
ZONE = re.compile(r"\s*(?:UTC|GMT)\b")
NOT_TIME = re.compile(r"(-year-old|years? old|-month-old|\bage[sd]?\b)", re.I)


class Unresolvable(ValueError):
    """A time expression whose value the text does not determine (no publication date)."""


def _num(word: str) -> float | None:
    word = word.lower()
    if re.fullmatch(r"\d+(\.\d+)?", word):
        return float(word)
    return NUMBERS.get(word)


def _fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


def _perfect(tok: Token) -> bool:
    """Whether the clause above ``tok`` is in the present perfect ("has continued to hold the
    markets closed until ..."), through at most four heads."""
    for _ in range(4):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in tok.children):
            return True
    return False


def _tense(span: Span) -> str:
    """past | future | present, from the verb group governing the span."""
    doc = span.doc
    before = span.start - 1
    if before >= 0 and doc[before].pos_ == "ADP":
        before -= 1
    if before >= 0 and doc[before].tag_ == "VBD":
        # "said on Tuesday it would cut jobs": a date right after a past verb is that verb's,
        # whichever verb the parse hung it from
        return "past"
    tok: Token = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    group = [tok] + [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {t.lower_ for t in group}
    if span.root.dep_ == "pobj" and span.root.head.lower_ in ("until", "till") and _perfect(span.root.head):
        return "future"  # "has kept the markets closed until Friday": the state holds now, so it ends ahead
    if words & {"will", "'ll", "shall"} or (tok.lower_ in ("expected", "scheduled", "due", "set", "going", "plans")):
        return "future"
    if any(t.tag_ in ("VBD", "VBN") for t in group) or words & {"had", "was", "were", "did"}:
        return "past"
    return "present"


# "the (very) start of X", "the middle of X", "the rest of X"; "the entire X": a part of a period
PART_OF = re.compile(r"(?:the\s+)?(?:very\s+)?(?:start|beginning|end|middle|close|rest|remainder)\s+of\s+(?P<inner>.+)")
WHOLE = re.compile(r"(?:the\s+)?(?:entire|whole|full)\s+(?P<inner>.+)")
# "early this year", "late last month", "mid-next week": the period, with the mod read in extract
EDGE = re.compile(
    r"(?:very\s+)?(?:early|mid|late)(?:\s+in|-)?\s*"
    r"(?P<inner>(?:this|last|next|the)\s.+|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
)
MOD = re.compile(r"(?:the\s+)?(?:very\s+)?(early|mid|late|end|start|beginning|middle|close)\b(?:\s+of\b)?")
MODS = {
    "early": "START",
    "start": "START",
    "beginning": "START",
    "mid": "MID",
    "middle": "MID",
    "late": "END",
    "end": "END",
    "close": "END",
}
ABSOLUTE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
# Expressions that refer back to the date last mentioned, not to the publication date (TimeML
# anchors them to that date): "that day", "the next day", "two days later", "the year before".
BACK_DAY = {
    "same day": 0,
    "that day": 0,
    "that same day": 0,
    "next day": 1,
    "following day": 1,
    "day after": 1,
    "day before": -1,
    "previous day": -1,
    "prior day": -1,
}
BACK_YEAR = {
    "same year": 0,
    "that year": 0,
    "that same year": 0,
    "following year": 1,
    "year after": 1,
    "year previous": -1,
    "previous year": -1,
    "year before": -1,
    "prior year": -1,
}
BACK_MONTH = {
    "same month": 0,
    "that month": 0,
    "following month": 1,
    "month after": 1,
    "previous month": -1,
    "month before": -1,
    "prior month": -1,
}


class Normaliser:
    def __init__(self, dct: dt.date | None) -> None:
        self.dct = dct
        self.last: str | None = None  # the last date the text gave, for what refers back to it

    def mentioned(self, kind: str, value: str | None) -> None:
        """A date the text gives: what "that day" or "the year before" after it refers to."""
        if kind == "DATE" and value and ABSOLUTE.fullmatch(value):
            self.last = value

    def _referring_back(self, t: str, tense: str) -> tuple[str, str] | None:
        """ "The plant closed on June 3. The next day ...": from the last date mentioned, at its
        own granularity; with no date before, from the publication date."""
        last = self.last or (self.dct.isoformat() if self.dct else None)
        if last is None:
            return None
        m = re.fullmatch(rf"{NUM}\s+(day|week|month|year)s?\s+(later|earlier|after|before|afterwards)", t)
        if m and _num(m.group(1)) is not None:
            n = int(_num(m.group(1)) or 0) * (-1 if m.group(3) in ("earlier", "before") else 1)
            return self._from(last, m.group(2), n)
        if t in BACK_DAY:
            return self._from(last, "day", BACK_DAY[t])
        if t in BACK_MONTH:
            return self._from(last, "month", BACK_MONTH[t])
        if t in BACK_YEAR:
            return "DATE", f"{int(last[:4]) + BACK_YEAR[t]:04d}"
        if t == "that time":  # a time the text gave before; the publication date is no "that"
            return ("DATE", self.last) if self.last else None
        return None

    @staticmethod
    def _from(last: str, unit: str, n: int) -> tuple[str, str] | None:
        """``n`` units after the date ``last`` (YYYY, YYYY-MM or YYYY-MM-DD), or None when the
        date is too coarse for the unit ("the next day" after "in 2019")."""
        if unit == "year":
            return "DATE", f"{int(last[:4]) + n:04d}"
        if unit == "month" and len(last) >= 7:
            m = int(last[:4]) * 12 + int(last[5:7]) - 1 + n
            return "DATE", f"{m // 12:04d}-{m % 12 + 1:02d}"
        if len(last) < 10:
            return None
        day = dt.date.fromisoformat(last)
        if unit == "day":
            return "DATE", (day + dt.timedelta(days=n)).isoformat()
        if unit == "week":
            return "DATE", (day + dt.timedelta(weeks=n)).isoformat()
        return None

    def _anchor(self) -> dt.date:
        if self.dct is None:
            raise Unresolvable("relative to a publication date that is not known")
        return self.dct

    # -- calendar helpers -------------------------------------------------------
    def _month_day(self, month: int, day: int, tense: str) -> str:
        d0 = self._anchor()
        date = dt.date(d0.year, month, day)
        # told in the past, a date well after publication is last year's ("Sept. 13" in January);
        # one a few weeks ahead is reported speech about what comes ("said it would meet on Oct. 12")
        if tense == "past" and date > d0 + dt.timedelta(days=45):
            date = dt.date(_in_calendar(d0.year - 1), month, day)
        elif tense == "future" and date < d0:
            date = dt.date(_in_calendar(d0.year + 1), month, day)
        return date.isoformat()

    def _month(self, month: int, tense: str) -> str:
        d0 = self._anchor()
        year = d0.year
        if tense == "past" and month > d0.month:
            year -= 1
        elif tense == "future" and month < d0.month:
            year += 1
        return f"{year:04d}-{month:02d}"

    def _weekday(self, wd: int, tense: str) -> dt.date:
        d0 = self._anchor()
        delta = (d0.weekday() - wd) % 7
        if tense == "future":
            return d0 + dt.timedelta(days=(wd - d0.weekday()) % 7 or 7)
        if tense == "present":  # "the ceasefire starts Friday": the coming one, or today
            return d0 + dt.timedelta(days=(wd - d0.weekday()) % 7)
        return d0 - dt.timedelta(days=delta)

    def _shift(self, unit: str, n: int) -> str:
        d0 = self._anchor()
        if unit == "day":
            return (d0 + dt.timedelta(days=n)).isoformat()
        if unit in ("week", "fortnight"):
            y, w, _ = (d0 + dt.timedelta(weeks=n * (2 if unit == "fortnight" else 1))).isocalendar()
            return f"{y:04d}-W{w:02d}"
        if unit == "month":
            m = d0.year * 12 + d0.month - 1 + n
            return f"{m // 12:04d}-{m % 12 + 1:02d}"
        if unit == "year":
            return f"{d0.year + n:04d}"
        if unit == "decade":
            decade = d0.year // 10 + n
            if not 0 <= decade <= 999:  # three digits in TIMEX3: "1000" would read as a year
                raise OverflowError(f"decade {decade}0s is outside the calendar")
            return f"{decade:03d}"
        if unit == "quarter":
            q = d0.year * 4 + (d0.month - 1) // 3 + n
            return f"{q // 4:04d}-Q{q % 4 + 1}"
        raise Unresolvable(unit)

    # -- the rules --------------------------------------------------------------
    def normalise(self, text: str, tense: str) -> tuple[str, str | None]:
        t = " ".join(text.lower().replace("\u2019", "'").split())
        t = re.sub(r"^(?:on|in|at|by|since|until|from|during|of|for|about|around|over|earlier|later)\s+", "", t)
        bare = re.sub(r"^the\s+", "", t)
        for rule in (
            self._referring_back,
            self._refs,
            self._sets,
            self._iso,
            self._full,
            self._numeric,
            self._month_year,
            self._month_day_rule,
            self._part_of_year,
            self._season,
            self._decade,
            self._century,
            self._fiscal,
            self._year,
            self._relative_day,
            self._weekday_rule,
            self._deictic,
            self._ago,
            self._time,
            self._duration,
            self._month_alone,
            self._month_relative,
        ):
            found = rule(bare, tense)
            if found is not None:
                return found
        return self._day_part_of(bare, tense) or self._part_of(bare, tense) or ("DATE", None)

    def _day_part_of(self, t: str, tense: str) -> tuple[str, str] | None:
        """ "the morning of May 5": that day's morning (TimeML "2024-05-05TMO")."""
        m = re.fullmatch(r"(?:the\s+)?(morning|afternoon|evening|night)\s+of\s+(?P<day>.+)", t)
        if not m:
            return None
        _kind, value = self.normalise(m.group("day"), tense)
        if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        return "TIME", f"{value}T{PARTS[m.group(1)]}"

    def _part_of(self, t: str, tense: str) -> tuple[str, str] | None:
        """ "the start of the year", "the end of last year", "the entire month", "the rest of
        2024": the period the part is of (its mod, START / MID / END, is read in extract)."""
        m = PART_OF.fullmatch(t) or WHOLE.fullmatch(t) or EDGE.fullmatch(t)
        if not m:
            return None
        inner = re.sub(r"^the\s+", "", m.group("inner"))
        if inner in ("year", "month", "week", "quarter", "decade"):
            inner = f"this {inner}"  # "the entire year": the one the story is in
        kind, value = self.normalise(inner, tense)
        return (kind, value) if value is not None else None

    def _month_relative(self, t: str, tense: str) -> tuple[str, str] | None:
        """ "last March" is the latest March before this month, "next March" the first after
        it, "this March" this year's."""
        m = re.fullmatch(rf"(last|past|next|coming|this)\s+{MONTH}", t)
        if not m:
            return None
        d0, month = self._anchor(), _month_num(m.group(2))
        year = d0.year
        if m.group(1) in ("last", "past") and month >= d0.month:
            year -= 1
        elif m.group(1) in ("next", "coming") and month <= d0.month:
            year += 1
        return "DATE", f"{_in_calendar(year):04d}-{month:02d}"

    def _refs(self, t: str, tense: str) -> tuple[str, str] | None:
        return ("DATE", REFS[t]) if t in REFS else None

    def _sets(self, t: str, tense: str) -> tuple[str, str] | None:
        if t in SETS:
            return "SET", SETS[t]
        m = re.fullmatch(rf"(?:every|each)\s+(?:{NUM}\s+)?{UNIT}", t)
        if m:
            n = _num(m.group(1)) if m.group(1) else 1
            return "SET", self._period(n or 1, m.group(2))
        return None

    def _iso(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
        return ("DATE", dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()) if m else None

    def _full(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(rf"(?:\w+day,?\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", t) or re.fullmatch(
            rf"(?:\w+day,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(\d{{4}})", t
        )
        if not m:
            return None
        month, day = _month_and_day(m)
        return "DATE", dt.date(int(m.group(3)), month, day).isoformat()

    def _numeric(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", t)
        if not m:
            return None
        year = int(m[3]) + (2000 if len(m[3]) == 2 and int(m[3]) < 50 else 1900 if len(m[3]) == 2 else 0)
        return "DATE", dt.date(year, int(m[1]), int(m[2])).isoformat()  # news in English: month first

    def _month_year(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(rf"(?:early|mid|late|mid-)?\s*-?{MONTH},?\s+(?:of\s+)?(\d{{4}})", t)
        return ("DATE", f"{int(m.group(2)):04d}-{_month_num(m.group(1)):02d}") if m else None

    def _month_day_rule(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(rf"(?:\w+day,?\s+)?{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?", t) or re.fullmatch(
            rf"(?:\w+day,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}", t
        )
        if not m:
            return None
        month, day = _month_and_day(m)
        return "DATE", self._month_day(month, day, tense)

    def _part_of_year(self, t: str, tense: str) -> tuple[str, str] | None:
        t = t.replace("-", " ")
        m = re.fullmatch(
            r"(first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+(quarter|half)(?:\s+of\s+(?:the\s+)?(.+))?", t
        ) or re.fullmatch(r"(q[1-4]|h[12])\s*(?:of\s+)?(\d{4})?", t)
        if m is None and re.fullmatch(r"(?:latest|most recent|previous|prior)\s+quarter", t):
            return "DATE", self._shift("quarter", -1)  # "the latest quarter": the last one reported
        if not m:
            return None
        if m.group(1) in ("last", "final") and not m.group(3):
            return "DATE", self._shift("quarter", -1) if m.group(
                2
            ) == "quarter" else f"{self._anchor().year - 1:04d}-H2"
        if m.group(1)[0] in "qh" and len(m.group(1)) == 2:
            kind, n, year_text = ("quarter" if m.group(1)[0] == "q" else "half"), int(m.group(1)[1]), m.group(2)
        else:
            kind = m.group(2)
            n = {
                "first": 1,
                "1st": 1,
                "second": 2,
                "2nd": 2,
                "third": 3,
                "3rd": 3,
                "fourth": 4,
                "4th": 4,
                "last": 4 if m.group(2) == "quarter" else 2,
                "final": 4 if m.group(2) == "quarter" else 2,
            }[m.group(1)]
            year_text = m.group(3)
        year = self._year_of(year_text, tense)
        if not year_text:
            # a bare quarter or half is the nearest one the tense allows: "sales fell in the
            # fourth quarter", written in March, is last year's; "will rise in the first half",
            # written in August, next year's
            month = self._anchor().month
            now = (month - 1) // 3 + 1 if kind == "quarter" else (1 if month <= 6 else 2)
            if tense == "past" and n > now:
                year = f"{int(year) - 1:04d}"
            elif tense == "future" and n < now:
                year = f"{int(year) + 1:04d}"
        return "DATE", f"{year}-{'Q' if kind == 'quarter' else 'H'}{n}"

    def _year_of(self, text: str | None, tense: str) -> str:
        if text and re.fullmatch(r"\d{4}", text.strip()):
            return text.strip()
        if text and re.fullmatch(r"(?:last|previous|past)\s+year", text.strip()):
            return f"{self._anchor().year - 1:04d}"
        if text and re.fullmatch(r"next\s+year", text.strip()):
            return f"{self._anchor().year + 1:04d}"
        return f"{self._anchor().year:04d}"  # "this year", "the year", or none

    def _season(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(
            r"(?:(this|last|next|early|late)\s+)?(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(\d{4}))?", t
        )
        if not m:
            return None
        year = int(m.group(3)) if m.group(3) else self._anchor().year + {"last": -1, "next": 1}.get(m.group(1) or "", 0)
        return "DATE", f"{year:04d}-{SEASONS[m.group(2)]}"

    def _decade(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(r"(?:early|mid|late|mid-)?\s*-?(\d{3})0'?s", t)
        if m and m.group(1).endswith("0") and m.group(1)[:2] != "20":
            return "DATE", m.group(1)[:2]  # "the 1800s": the century (TimeML "18"), not the decade 1800-09
        return ("DATE", m.group(1)) if m else None

    def _century(self, t: str, tense: str) -> tuple[str, str] | None:
        """ "the 12th century" is TimeML's "11" (the years 1100-1199), "this century" the
        publication's."""
        if t in ("this century", "the current century", "current century"):
            return "DATE", f"{self._anchor().year // 100:02d}"
        m = re.fullmatch(r"(?:the\s+)?(?:(\d{1,2})(?:st|nd|rd|th)|([a-z-]+))[- ]century", t)
        if not m:
            return None
        n = int(m.group(1)) if m.group(1) else ORDINALS.get(m.group(2) or "")
        return ("DATE", f"{int(n) - 1:02d}") if n and 1 <= n <= 22 else None

    def _fiscal(self, t: str, tense: str) -> tuple[str, str] | None:
        """A fiscal or financial year as TimeML writes it, "FY2023": "fiscal 2023", "FY23", "this
        fiscal year" (the publication's year: which months a company's year spans is not said)."""
        m = re.fullmatch(r"(?:fiscal|financial)(?:\s+year)?\s+(\d{4})|fy\s*'?(\d{2}|\d{4})", t)
        if m:
            year = m.group(1) or m.group(2)
            return "DATE", "FY" + (year if len(year) == 4 else f"20{year}")
        m = re.fullmatch(r"(this|current|last|previous|past|prior|next|coming|the)?\s*(?:fiscal|financial) year", t)
        if not m:
            return None
        shift = {"last": -1, "previous": -1, "past": -1, "prior": -1, "next": 1, "coming": 1}.get(m.group(1) or "", 0)
        return "DATE", f"FY{self._anchor().year + shift:04d}"

    def _year(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(
            r"(?:(?:early|mid|late|the end of|the start of|the beginning of|the middle of)[- ]?\s*)?(\d{4})", t
        )
        if m and 1000 <= int(m.group(1)) <= 2200:
            return "DATE", m.group(1)
        if re.fullmatch(
            r"(?:the )?end of (?:the|this) year|this year|the year|(?:the )?end of the year|year[- ]end", t
        ):
            return "DATE", f"{self._anchor().year:04d}"
        return None

    def _relative_day(self, t: str, tense: str) -> tuple[str, str] | None:
        if t in ("day", "same day", "that day") or re.fullmatch(r"(late|early) in the day", t):
            return "DATE", self._anchor().isoformat()
        if t in ("morning", "afternoon", "evening", "night"):
            return "TIME", f"{self._anchor().isoformat()}T{PARTS[t]}"
        m = re.fullmatch(r"(today|tonight|yesterday|tomorrow|this (morning|afternoon|evening))(?:'s)?", t)
        if not m:
            return None
        d0 = self._anchor()
        day = d0 + dt.timedelta(days={"yesterday": -1, "tomorrow": 1}.get(m.group(1), 0))
        part = PARTS.get(m.group(2) or ("tonight" if m.group(1) == "tonight" else ""), "")
        return ("TIME" if part else "DATE"), day.isoformat() + (f"T{part}" if part else "")

    def _weekday_rule(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(
            r"(?:(last|next|this|coming|past)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
            r"(?:'s)?(?:\s+(morning|afternoon|evening|night))?",
            t,
        )
        if not m:
            return None
        which = m.group(1)
        use = "future" if which in ("next", "coming") else "past" if which in ("last", "past") else tense
        day = self._weekday(WEEKDAYS[m.group(2)], use)
        if which == "last" and day == self._anchor():
            day -= dt.timedelta(days=7)
        part = PARTS.get(m.group(3) or "", "")
        return ("TIME" if part else "DATE"), day.isoformat() + (f"T{part}" if part else "")

    def _deictic(self, t: str, tense: str) -> tuple[str, str] | None:
        if t in ("weekend", "this weekend", "last weekend", "next weekend", "coming weekend"):
            d0 = self._anchor()
            ahead = t.startswith(("next", "coming")) or (t == "weekend" and tense == "future")
            saturday = (
                d0 + dt.timedelta(days=(5 - d0.weekday()) % 7)
                if ahead
                else d0 - dt.timedelta(days=(d0.weekday() - 5) % 7)
            )
            y, w, _ = saturday.isocalendar()
            return "DATE", f"{y:04d}-W{w:02d}-WE"
        if t in ("year previous", "previous year", "year before", "prior year"):
            return "DATE", f"{self._anchor().year - 1:04d}"
        if re.fullmatch(r"(?:last|past|previous)\s+decade", t):
            return "DURATION", "P10Y"  # "the past decade": the ten years up to now
        m = re.fullmatch(r"(last|next|this|coming|past|previous|current)\s+(week|weekend|month|year|quarter|decade)", t)
        if not m:
            return None
        n = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m.group(1), 0)
        if m.group(2) == "weekend":
            return "DATE", self._shift("week", n) + "-WE"
        return "DATE", self._shift(m.group(2), n)

    def _ago(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(rf"{NUM}\s+{UNIT}\s+(ago|earlier|later|from now|hence)", t)
        if not m:
            if re.fullmatch(r"(?:years|decades|centuries|months|weeks|ages)\s+ago", t):
                return "DATE", "PAST_REF"  # "decades ago": some time back, no number given
            return None
        n = _num(m.group(1))
        if n is None:
            return "DATE", "PAST_REF" if m.group(3) in ("ago", "earlier") else "FUTURE_REF"
        return "DATE", self._shift(m.group(2), int(n) * (-1 if m.group(3) in ("ago", "earlier") else 1))

    def _time(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(
            r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*(utc|gmt|z)?(?:\s*\(.*\))?(?:,?\s+(\w+day))?", t
        ) or re.fullmatch(r"(\d{2})(\d{2})\s*(?:hours\s*)?()(utc|gmt)", t)
        if not m or (m.group(3) is None and m.group(2) is None and not m.group(4)):
            return None
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if m.group(3) and m.group(3)[0] == "p" and hour < 12:
            hour += 12
        elif m.group(3) and m.group(3)[0] == "a" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return None
        day = (
            self._weekday(WEEKDAYS[m.group(5)], tense)
            if m.lastindex and m.lastindex >= 5 and m.group(5) in WEEKDAYS
            else self._anchor()
        )
        zone = "Z" if m.group(4) else ""
        return "TIME", f"{day.isoformat()}T{hour:02d}:{minute:02d}{zone}"

    def _duration(self, t: str, tense: str) -> tuple[str, str] | None:
        t = re.sub(r"^(?:the\s+)?(?:past|last|next|coming|first|previous|following)\s+", "", t)
        t = re.sub(r"^(?:almost|nearly|about|around|more than|less than|over|under|at least|some|roughly)\s+", "", t)
        m = re.fullmatch(rf"{NUM}(?:\s+and\s+a\s+half)?[- ]{UNIT}(?:-long|\s+long)?", t)
        if m:
            n = _num(m.group(1))
            if n is None:
                return "DURATION", self._period(None, m.group(2))
            half = 0.5 if "and a half" in t else 0.0
            return "DURATION", self._period(n + half, m.group(2))
        m = re.fullmatch(rf"{UNIT}", t)
        if m and t.endswith("s"):
            return "DURATION", self._period(None, m.group(1))  # "years", "months"
        m = re.fullmatch(rf"(?:recent\s+)?{UNIT}", t)
        if m and t in ("decade", "a decade", "century"):
            return "DURATION", self._period(1, m.group(1))
        return None

    @staticmethod
    def _period(n: float | None, unit: str) -> str:
        code = UNITS[unit]
        if unit == "fortnight":
            n = 2 * (n or 1)
        if unit == "decade":
            return f"P{_fmt_num(10 * n)}Y" if n else "PXDE"
        if unit == "century":
            return f"P{_fmt_num(100 * n)}Y" if n else "PXCE"
        if unit == "quarter":
            return f"P{_fmt_num(3 * n)}M" if n else "PXQ"
        time_unit = unit in ("second", "minute", "hour")
        return f"P{'T' if time_unit else ''}{_fmt_num(n) if n else 'X'}{code}"

    def _month_alone(self, t: str, tense: str) -> tuple[str, str] | None:
        m = re.fullmatch(rf"(?:early|mid|late|mid-|the end of|the start of|the beginning of)?\s*-?{MONTH}", t)
        return ("DATE", self._month(_month_num(m.group(1)), tense)) if m else None


def _month_and_day(m: re.Match[str]) -> tuple[int, int]:
    """(month, day) from a match of "Sept. 13" or "13 September" (groups 1 and 2)."""
    if m.group(1).isdigit():
        return _month_num(m.group(2)), int(m.group(1))
    return _month_num(m.group(1)), int(m.group(2))


def _month_key(word: str) -> str:
    return word.lower().rstrip(".")


def _month_num(word: str) -> int:
    w = _month_key(word)
    return MONTHS.get(w) or MONTHS[w[:3]]


# ---------------------------------------------------------------------------- the stage


def _spans(doc: Doc, text: str) -> list[tuple[int, int]]:
    out = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            s, e = _trim(text, ent.start_char, ent.end_char)
            if "\n" in text[s:e]:  # "56\nOctober 6, 2011": a dateline glued to a number
                s, e = max(
                    ((s + m.start(), s + m.end()) for m in re.finditer(r"[^\n]+", text[s:e])),
                    key=lambda se: sum(c.isalpha() for c in text[se[0] : se[1]]),
                )
                s, e = _trim(text, s, e)
            zone = ZONE.match(text, e)
            if zone and re.search(r"\d$", text[s:e]):
                e = zone.end()
            if e > s and not NOT_TIME.search(text[s : e + 4]) and not _not_a_year(doc, text, ent, text[s:e]):
                out.append((s, e))
    taken = [(s, e) for s, e in out]
    for m in EXTRA.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            s, e = _trim(text, m.start(), m.end())
            out.append((s, e))
    # a game clock ("with 2:31 left in the fourth quarter") is no time of day
    out = [(s, e) for s, e in out if not (CLOCK.fullmatch(text[s:e]) and GAME_CLOCK_AFTER.match(text, e))]
    merged: list[tuple[int, int]] = []
    for s, e in sorted(out):  # "Monday" + "morning", "2 p.m." + "Friday": one expression
        gap = text[merged[-1][1] : s] if merged else ""
        # but not across a sentence end ("on June 3, 2019. The next day": two expressions;
        # "2 p.m. Friday" is one)
        part_of_day = merged and re.fullmatch(
            r"(?:the\s+)?(?:morning|afternoon|evening|night)", text[merged[-1][0] : merged[-1][1]], re.I
        )
        if part_of_day and re.fullmatch(r" of ", gap):
            merged[-1] = (merged[-1][0], e)  # "the morning of May 5": one time
        elif merged and re.fullmatch(r"[ .,]{0,3}", gap) and "\n" not in gap and not _starts_sentence(doc, s, gap):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _starts_sentence(doc: Doc, char: int, gap: str) -> bool:
    """Whether the expression at ``char``, after a full stop, begins a sentence of its own."""
    if "." not in gap:
        return False
    first = doc.char_span(char, char + 1, alignment_mode="expand")
    return first is not None and first[0].is_sent_start is True


def _not_a_year(doc: Doc, full: str, ent: Span, text: str) -> bool:
    """ "Section 2018 of the code", "2,024 people": numbers that are not dates."""
    if re.fullmatch(r"\d{4}", text):
        before = full[max(0, ent.start_char - 12) : ent.start_char].lower()
        after = doc[ent.end] if ent.end < len(doc) else None
        return bool(re.search(r"(section|article|no\.|number|page|room|flight|route|chapter)\s*$", before)) or (
            after is not None and after.pos_ == "NOUN" and after.tag_ == "NNS"
        )
    return bool(re.fullmatch(r"[\d,.]+", text)) and not re.fullmatch(r"\d{4}", text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n,;:(\"'":
        s += 1
    while e > s and text[e - 1] in " \t\n,;:.)\"'":
        e -= 1
    if text[max(s, e - 2) : e].lower() == "'s":
        e -= 2
    return s, e


def _in_calendar(year: int) -> int:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"year {year} is outside the calendar")
    return year


def _check_calendar(value: str | None) -> None:
    """A value's year must be 0001-9999: date arithmetic near either end of the calendar
    ("next year" in 9999, "last year" in 0001) overflows Python's dates or gives a year
    TIMEX3 cannot write ("10000", "0000", "-001")."""
    m = re.match(r"(-?)(\d+)", value or "")
    if m and (m.group(1) or len(m.group(2)) > 4 or (len(m.group(2)) == 4 and int(m.group(2)) == 0)):
        raise OverflowError(f"year {m.group(1)}{m.group(2)} is outside the calendar")


def extract(doc: Doc, published: str | None) -> tuple[list[Timex], list[Problem]]:
    dct = dt.date.fromisoformat(published) if published else None
    norm = Normaliser(dct)
    out: list[Timex] = []
    problems: list[Problem] = []
    text = doc.text
    found = [piece for s, e in timex_parts.extend(text, _spans(doc, text)) for piece in timex_parts.pieces(text, s, e)]
    for s, e, written in found:
        span = doc.char_span(s, e, alignment_mode="expand")
        tense = _tense(span) if span is not None else "present"
        try:
            kind, value = norm.normalise(written, tense)
            _check_calendar(value)
            norm.mentioned(kind, value)
            mod = MOD.match(text[s:e].lower())
            mod_code = MODS[mod.group(1)] if mod else "END" if re.search(r"year[- ]end$", text[s:e], re.I) else None
            interval = None
            if value and re.search(r"\bsince\s+$", text[max(0, s - 8) : s].lower()):
                interval = Interval(value, published)  # "since 2018": from then to now
            out.append(Timex(s, e, text[s:e], kind, value, mod=mod_code, interval=interval))  # type: ignore[arg-type]
        except Unresolvable:
            out.append(Timex(s, e, text[s:e], "DATE", None, unresolved=True))
        except OverflowError:  # "next year" told in 9999: no date to give, the article goes on
            out.append(Timex(s, e, text[s:e], "DATE", None))
            problems.append(
                Problem(
                    STAGE,
                    f"{text[s:e]!r} relative to {published} falls outside the calendar (years 1-9999); no value given",
                    s,
                )
            )
        except ValueError as err:  # "February 30", a year out of range
            out.append(Timex(s, e, text[s:e], "DATE", None))
            problems.append(Problem(STAGE, f"{text[s:e]!r} is not a valid date ({err})", s))
    return out, problems
