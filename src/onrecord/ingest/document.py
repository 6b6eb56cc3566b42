"""The unit that flows from ingest to the store: one captured article with its provenance.

Readers (files, JSONL, feeds, WARC, URLs) yield Documents; the batch runner extracts a
record from ``text``; the store keeps both. A Document that could not be read carries
``error`` (a message that says what to do) and no text, so the run can record it and go on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    id: str                          # the JSONL "id", else the file's path or the page's URL
    text: str | None                 # the exact text every offset of the record indexes
    source: str                      # where it was read: a path, a URL, "file.warc.gz#offset", "feed.xml#3"
    kind: str                        # "text" | "html" | "jsonl" | "feed" | "warc" | "url"
    raw_sha256: str | None = None    # sha256 of the raw bytes as captured (before any decoding)
    captured_at: str | None = None   # ISO 8601 UTC: WARC-Date, HTTP fetch time, or the file's mtime
    url: str | None = None           # canonical URL when known (trafilatura / feed link / JSONL "url")
    title: str | None = None
    author: str | None = None
    published: str | None = None     # YYYY-MM-DD (JSONL field, htmldate, feed date), or None
    language: str | None = None      # ISO 639-1 ("en", "de") when known or detected
    meta: dict[str, Any] = field(default_factory=dict)   # anything else worth keeping (feed name, site)
    error: str | None = None         # why it could not be read; text is None then

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
