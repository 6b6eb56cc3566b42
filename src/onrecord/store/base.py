"""One store interface, so that SQLite (the embedded default) and PostgreSQL can both sit behind it.

The batch runner writes through ``add``; the CLI, the library and (later) the API read
through the query methods. Every query returns plain dicts (JSON by nature) whose shapes
are listed here, so exports and plots can be written against them without a database.

Row shapes (keys always present; values may be None):

    QuoteRow    {"id": "<article_id>#q<n>", "article_id", "version", "kind", "text",
                 "spans": [{"start","end"}], "speaker": name|None, "speaker_entity": str|None,
                 "cue": str|None, "start", "end", "date": "YYYY-MM-DD"|None,
                 "published", "title", "url", "outlets": [url or source, ...]}
    ClaimRow    {"id": "<article_id>#c<n>", "article_id", "version", "text", "value", "bound",
                 "unit", "high", "counted", "source": name|None, "start", "end", "date", "published", "title", "url"}
    EventRow    {"id": "<article_id>#e<n>", "article_id", "version", "type", "text", "source": name|None,
                 "source_code", "target": name|None, "target_code", "start", "end", "date",
                 "published", "title", "url"}
    EntityRow   {"name", "type", "articles": int, "mentions": int, "quoted": int,
                 "aliases": [str], "with": [{"name", "articles": int}]}     # "with": co-mentioned entities
    SearchHit   {"article_id", "kind": "article"|"quote", "id", "title", "url", "published",
                 "snippet": str with [matched] words bracketed, "score": float}
    TimelineRow {"date": "YYYY-MM-DD" (when it happened, resolved from the text; the
                 publication date only when the text gives none, then "date_source": "published"),
                 "date_source": "text"|"published", "kind": "event"|"quote"|"claim", "id",
                 "summary": str, "evidence": the sentence, "article_id", "title", "url", "start", "end"}

``date`` on a quote/claim/event: the resolved TIMEX3 date of its own sentence when there is
one, else the article's publication date (see TimelineRow.date_source).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..model import Article, Record


@dataclass(frozen=True)
class Extracted:
    """What the batch runner hands the store for one document."""

    document: Article
    record: Record | None  # None when extraction failed or was skipped
    error: str | None = None  # extraction error (the document is still stored, with it)
    skipped: str | None = None  # why extraction was skipped, e.g. "language de: English extractors only"


@dataclass(frozen=True)
class Added:
    article_id: str | None
    status: str  # "new" | "duplicate" (same text, stored once) | "error" | "skipped"
    cluster: str | None = None  # near-duplicate (syndicated copy) cluster id


class StoreError(Exception):
    """The store cannot be used (read-only file, full disk, newer schema); the message says what to do."""


class Store(Protocol):
    version: str  # the extractor version string rows are written under

    # --- writing (one writer; each call is one transaction: all or nothing) ---
    def done(self, doc_id: str | None, raw_sha256: str | None) -> bool:
        """True when this document (id + raw bytes) is already stored with the current extractor
        version: re-runs and resumed runs skip it."""

    def add(self, items: list[Extracted]) -> list[Added]: ...

    # --- reading ---
    def count(self) -> dict[str, int]: ...  # articles, quotes, claims, events, errors
    def records(self, *, version: str | None = None) -> Iterator[dict[str, Any]]:
        """Every stored article's record (the latest version unless given), with "id" as ingested."""

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]: ...
    def quotes(self, *, speaker: str | None = None, limit: int | None = None) -> list[dict[str, Any]]: ...
    def claims(self, *, source: str | None = None, limit: int | None = None) -> list[dict[str, Any]]: ...
    def events(self, *, actor: str | None = None, limit: int | None = None) -> list[dict[str, Any]]: ...
    def entities(self, *, limit: int = 50) -> list[dict[str, Any]]: ...
    def canonical_names(self) -> dict[str, str]:
        """Surname-only person keys -> the one full name of the corpus they stand for."""

    def timeline(self, topic: str, *, limit: int | None = None) -> list[dict[str, Any]]: ...
    def outlets(self, article_id: str) -> list[dict[str, Any]]:
        """Every copy of an article: exact duplicates and syndicated near-duplicates, with url/source/title."""

    def close(self) -> None: ...
