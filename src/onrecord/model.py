"""The record types: frozen dataclasses for every item, typed end to end.

Every span is a pair of Python ``str`` offsets (code points, end-exclusive) into the
record's ``text``; spans that name something also carry the text they cover, so a
reader can check the evidence without recomputing it.

The JSON form (``Record.to_dict()``) is the types' fields in order, tuples as lists, and
every key always present (null where unknown), so a consumer never has to ask whether a
key exists. ``schema.py`` generates the record's JSON Schema from these types, and
``Record.from_dict`` reads a stored record back into them.

Items carry ``offset``-shifting (``shifted``) because a long article is parsed in pieces:
each piece's items are found with offsets into the piece, then moved into the whole text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, Self, TypeVar

QuoteKind = Literal["direct", "indirect", "mixed"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Bound = Literal["exact", "lower", "upper", "approx"]
Mode = Literal["asserted", "reported", "negated", "hypothetical"]
DateSource = Literal["text", "published"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shifted(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Mention:
        return cls(start, end, text[start:end])

    def shifted(self, offset: int) -> Mention:
        return Mention(self.start + offset, self.end + offset, self.text)


class _Shiftable(Protocol):
    def shifted(self, offset: int) -> Self: ...


_S = TypeVar("_S", bound=_Shiftable)


def _shift(item: _S | None, offset: int) -> _S | None:
    return None if item is None else item.shifted(offset)


def _prefixed(entity: str | None, prefix: str) -> str | None:
    return None if entity is None else prefix + entity


# ---------------------------------------------------------------- entities and places


@dataclass(frozen=True)
class Geo:
    """Where a place is (or the country an entity stands for: then only country is known)."""

    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166 alpha-2
    geonames: int | None
    feature: str | None = None  # country | continent | region | admin1 | admin2 | city
    admin1: str | None = None  # first-level region of a place below it
    name: str | None = None  # the gazetteer's name
    roles: tuple[str, ...] = ()  # location | government | mentioned
    iso3: str | None = None  # ISO 3166 alpha-3 when the entity is a country


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: tuple[Mention, ...]
    roles: tuple[str, ...] = ()
    geo: Geo | None = None

    def shifted(self, offset: int, prefix: str) -> Entity:
        return replace(self, id=prefix + self.id, mentions=tuple(m.shifted(offset) for m in self.mentions))


@dataclass(frozen=True)
class Focus:
    """The article's main country and its places (entity ids, most mentioned first)."""

    country: str
    places: tuple[str, ...]

    def shifted(self, prefix: str) -> Focus:
        return replace(self, places=tuple(prefix + p for p in self.places))


@dataclass(frozen=True)
class Dated:
    """When an item happened (the dating stage): the full date of the nearest time expression
    in its sentence, else the publication date."""

    date: str | None  # YYYY-MM-DD; None when neither the text nor a publication date gives one
    source: DateSource  # "text": from the item's sentence | "published": the fallback
    sentence: Span  # the sentence(s) that hold the item: the evidence for the date

    def shifted(self, offset: int) -> Dated:
        return replace(self, sentence=self.sentence.shifted(offset))


# ---------------------------------------------------------------- quotes


@dataclass(frozen=True)
class Speaker:
    name: str | None  # canonical: the fullest name the article gives, or None (unknown)
    entity: str | None  # id of the entity in the record's ``entities``
    mention: Mention | None  # the words naming the source in this attribution
    inherited: bool = False  # speaker carried over from the previous quote (continuation)


@dataclass(frozen=True)
class Quote:
    kind: QuoteKind
    spans: tuple[Span, ...]
    text: str  # the content pieces joined by " ... " (convenience for readers)
    speaker: Speaker
    cue: Mention | None
    dated: Dated | None = None  # when it was said (the dating stage)

    def shifted(self, offset: int, prefix: str) -> Quote:
        sp = self.speaker
        speaker = replace(sp, entity=_prefixed(sp.entity, prefix), mention=_shift(sp.mention, offset))
        return replace(
            self,
            spans=tuple(s.shifted(offset) for s in self.spans),
            speaker=speaker,
            cue=_shift(self.cue, offset),
            dated=_shift(self.dated, offset),
        )


# ---------------------------------------------------------------- time


@dataclass(frozen=True)
class Interval:
    begin: str | None
    end: str | None


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: TimexType
    value: str | None  # TIMEX3 value resolved against the publication date, or None
    mod: str | None = None  # TIMEX3 mod: START | MID | END ("early 2020")
    interval: Interval | None = None  # "since 2018": from then to the publication date
    unresolved: bool = False  # a date the text gives without enough to resolve it

    def shifted(self, offset: int) -> Timex:
        return replace(self, start=self.start + offset, end=self.end + offset)


# ---------------------------------------------------------------- claims


@dataclass(frozen=True)
class Quantity:
    text: str
    value: int | float
    bound: Bound
    # "%" (percent), "pp" (percentage points), an ISO 4217 code ("USD", "INR"), a unit
    # symbol from pint ("t", "km", "km²", "MW"), "money" for a sum in a currency the text does
    # not name, or None: a count of what ``Claim.counted`` names
    unit: str | None
    high: int | float | None = None  # a range ("40-50bn", "between 10 and 20"): value is its low end


@dataclass(frozen=True)
class ClaimSource:
    """Who claims a number: the speaker of the quote that holds it."""

    name: str | None
    entity: str | None
    text: str | None  # the words naming the source
    cue: str | None


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    text: str
    quantity: Quantity
    counted: str | None  # what is counted ("Uyghurs")
    predicate: str | None  # what is said of it ("kept against their will")
    source: ClaimSource | None
    dated: Dated | None = None  # when the number holds (the dating stage)

    def shifted(self, offset: int, prefix: str) -> Claim:
        source = self.source
        if source is not None:
            source = replace(source, entity=_prefixed(source.entity, prefix))
        return replace(
            self, start=self.start + offset, end=self.end + offset, source=source, dated=_shift(self.dated, offset)
        )


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Actor:
    name: str | None
    entity: str | None
    text: str | None  # the words naming the actor, None when implied
    start: int | None = None
    end: int | None = None
    code: str | None = None  # ISO 3166 alpha-3, "IGO", or a role code
    implied: bool = False  # not named: the country the event happens in, or the protesters' own
    sector: str | None = None  # Phoenix sector or role: "GOV", "MIL", "COP", "MED", "CVL", "OPP"...
    codes: tuple[str, ...] = ()  # every member's code of a coordinated actor, ``code`` first

    def shifted(self, offset: int, prefix: str) -> Actor:
        return replace(
            self,
            entity=_prefixed(self.entity, prefix),
            start=None if self.start is None else self.start + offset,
            end=None if self.end is None else self.end + offset,
        )


@dataclass(frozen=True)
class EventTime:
    text: str
    value: str | None


@dataclass(frozen=True)
class EventPlace:
    name: str
    entity: str


@dataclass(frozen=True)
class Event:
    type: str  # PLOVER type after the mode rules
    action: str  # the type the trigger reads as, before them
    start: int
    end: int
    text: str
    trigger: Mention
    source: Actor | None
    target: Actor | None
    mode: Mode
    reported_by: str | None = None  # the speaker of the quote it is told in
    when: EventTime | None = None  # the time expression of its sentence
    where: EventPlace | None = None
    dated: Dated | None = None  # the day it happened (the dating stage)

    def shifted(self, offset: int, prefix: str) -> Event:
        return replace(
            self,
            start=self.start + offset,
            end=self.end + offset,
            trigger=self.trigger.shifted(offset),
            source=None if self.source is None else self.source.shifted(offset, prefix),
            target=None if self.target is None else self.target.shifted(offset, prefix),
            where=None if self.where is None else replace(self.where, entity=prefix + self.where.entity),
            dated=_shift(self.dated, offset),
        )


# ---------------------------------------------------------------- the record


@dataclass(frozen=True)
class Problem:
    stage: str
    message: str
    start: int | None = None

    def shifted(self, offset: int) -> Problem:
        return self if self.start is None else replace(self, start=self.start + offset)


@dataclass(frozen=True)
class Article:
    """One article on its way in: what the pipeline extracts from and the store keeps.

    Readers (files, JSONL, feeds, WARC, URLs) yield Articles; one that could not be read
    carries ``error`` (a message that says what to do) and no text, so the run can record it
    and go on. Problems found before extraction (a publication date that is no date) ride
    along and open the record's problems."""

    text: str | None  # the exact text every offset of the record indexes
    id: str | None = None  # the JSONL "id", else the file's path or the page's URL
    published: str | None = None  # YYYY-MM-DD (JSONL field, htmldate, feed date), or None
    meta: Mapping[str, Any] = field(default_factory=dict)  # anything else given (title on a JSONL line, feed name)
    source: str | None = None  # where it was read: a path, a URL, "file.warc.gz#offset", "feed.xml#3"
    kind: str | None = None  # "text" | "html" | "jsonl" | "feed" | "warc" | "url"
    raw_sha256: str | None = None  # sha256 of the raw bytes as captured (before any decoding)
    captured_at: str | None = None  # ISO 8601 UTC: WARC-Date, HTTP fetch time, or the file's mtime
    url: str | None = None  # canonical URL when known (trafilatura / feed link / JSONL "url")
    title: str | None = None
    author: str | None = None
    language: str | None = None  # ISO 639-1 ("en", "de") when known or detected
    error: str | None = None  # why it could not be read; text is None then
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return to_json(self)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Record:
    id: str | int | None  # the input's id as given (a JSONL line may number its articles)
    text: str
    published: str | None
    sha256: str
    versions: Mapping[str, str]  # the package, spaCy, the model and every stage that ran
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timexes: tuple[Timex, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    problems: tuple[Problem, ...] = ()
    focus: Focus | None = None  # the article's main country and places
    headline: Span | None = None  # the title where the text opens with it (headline.py)
    meta: Mapping[str, Any] = field(default_factory=dict)  # title, url, ... as given on input

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        meta = out.pop("meta")
        for key, value in meta.items():  # the record's own fields win over a same-named input field
            out.setdefault(key, value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        """A record from its JSON form (a stored or exported record); extra top-level keys
        (title, url, ...) go back to ``meta``. Raises ValueError naming what does not fit."""
        from .schema import read_record

        return read_record(data)


def to_json(value: Any) -> Any:
    """The JSON form of a record or any of its parts: dataclasses as objects with their
    fields in order, tuples as lists. Written by hand rather than ``dataclasses.asdict``,
    which deep-copies every value and is the slower of the two on a record's thousands of items."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    return value
