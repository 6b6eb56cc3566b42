"""The record types. Plain frozen dataclasses; JSON is their natural form.

Every span is a pair of Python ``str`` offsets (code points, end-exclusive) into the
record's ``text``; spans that name something also carry the text they cover, so a
reader can check the evidence without recomputing it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

QuoteKind = Literal["direct", "indirect", "mixed"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Mention":
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: tuple[Mention, ...]
    roles: tuple[str, ...] = ()
    geo: dict[str, Any] | None = None


@dataclass(frozen=True)
class Speaker:
    name: str | None          # canonical: the fullest name the article gives, or None (unknown)
    entity: str | None        # id of the entity in the record's ``entities``
    mention: Mention | None   # the words naming the source in this attribution
    inherited: bool = False   # speaker carried over from the previous quote (continuation)


@dataclass(frozen=True)
class Quote:
    kind: QuoteKind
    spans: tuple[Span, ...]
    text: str                 # the content pieces joined by " ... " (convenience for readers)
    speaker: Speaker
    cue: Mention | None


@dataclass(frozen=True)
class Problem:
    stage: str
    message: str
    start: int | None = None


@dataclass
class Record:
    id: str | None
    text: str
    published: str | None
    sha256: str
    versions: dict[str, str]
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    focus: dict[str, Any] | None = None      # the article's main country and places
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in self.meta.items():   # title, url, ... as given on input
            out.setdefault(key, value)
        del out["meta"]
        return out
