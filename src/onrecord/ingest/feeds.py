"""RSS and Atom feeds -> one Article per entry (feedparser, given the bytes as captured).

Where the text comes from, simply: an entry whose own content (``content:encoded``, Atom
``content``, else the summary) is at least 1,000 characters of text is taken as the full
article. Otherwise the entry's link is fetched and read as an HTML page (when ``fetch_links``
and the link is http(s)); when it cannot be fetched the entry is an error Article that keeps
the summary in ``meta``. An entry with no link keeps whatever text it carries.

The entry's link is the Article id (its guid, else ``feed#n``, when it has none); the feed's
title, author and date win over what the fetched page says. A body that is not a feed (not
XML, or XML with no entries) is one error Article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..model import Article
from .common import (
    MAX_BYTES,
    detect_language,
    failed,
    file_mtime,
    normalise_language,
    read_file_capped,
    sha256,
    too_big,
)

KIND = "feed"
FULL_TEXT_CHARS = 1000
_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)\b", re.S | re.I
)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """A feed by its content type or by its first element (<rss>, <feed>, <rdf:RDF>)."""
    return content_type in FEED_TYPES[:3] or bool(_FEED_START.match(body[:4096]))


def read_feed_file(
    path: str | Path,
    *,
    fetch_links: bool = True,
    timeout: float = 30,
    user_agent: str | None = None,
    allow_private: bool = False,
) -> Iterator[Article]:
    name = str(path)
    try:
        data = read_file_capped(path)
    except OSError as err:
        yield failed(name, name, KIND, f"cannot read {name}: {err.strerror or err}")
        return
    if data is None:
        yield failed(name, name, KIND, f"{name} is {too_big(MAX_BYTES)}; it was not read")
        return
    yield from read_feed(
        data,
        source=name,
        captured_at=file_mtime(path),
        fetch_links=fetch_links,
        timeout=timeout,
        user_agent=user_agent,
        allow_private=allow_private,
    )


def read_feed(
    raw: bytes,
    *,
    source: str,
    captured_at: str | None,
    fetch_links: bool = True,
    timeout: float = 30,
    user_agent: str | None = None,
    allow_private: bool = False,
) -> Iterator[Article]:
    """Every entry of an RSS/Atom feed as an Article; one error Article when it is no feed."""
    import feedparser

    parsed = feedparser.parse(raw)  # bytes: feedparser never takes them for a URL or path
    digest = sha256(raw)
    if not parsed.entries:
        why = f"not XML ({parsed.bozo_exception})" if parsed.bozo else "it has no entries"
        yield failed(
            source,
            source,
            KIND,
            f"{source} is not a readable RSS or Atom feed: {why}",
            raw_sha256=digest,
            captured_at=captured_at,
        )
        return
    feed = {"feed": parsed.feed.get("title"), "feed_url": parsed.feed.get("link"), "feed_sha256": digest}
    for n, entry in enumerate(parsed.entries, 1):
        yield _entry(
            entry,
            f"{source}#{n}",
            captured_at,
            {k: v for k, v in feed.items() if v},
            fetch_links=fetch_links,
            timeout=timeout,
            user_agent=user_agent,
            allow_private=allow_private,
        )


def _entry(
    entry: Any,
    source: str,
    captured_at: str | None,
    feed: dict[str, Any],
    *,
    fetch_links: bool,
    timeout: float,
    user_agent: str | None,
    allow_private: bool,
) -> Article:
    link = entry.get("link") or None
    given: dict[str, Any] = dict(
        url=link,
        title=entry.get("title") or None,
        author=entry.get("author") or None,
        published=_date(entry),
        language=normalise_language(entry.get("language")),
    )
    meta = {**feed, **({"guid": entry["id"]} if entry.get("id") else {})}
    doc_id = link or entry.get("id") or source
    content = _content(entry)
    text = fragment_text(content) if content else ""
    if len(text) >= FULL_TEXT_CHARS or not (link and fetch_links and link.startswith(("http://", "https://"))):
        if not text.strip():
            return failed(
                doc_id,
                source,
                KIND,
                "the feed entry has no text and no link to fetch it from",
                captured_at=captured_at,
                meta=meta,
                **given,
            )
        return Article(
            id=doc_id,
            text=text,
            source=source,
            kind=KIND,
            raw_sha256=sha256(content.encode("utf-8")),
            captured_at=captured_at,
            meta={**meta, "text_from": "feed"},
            **{**given, "language": given["language"] or detect_language(text)},
        )
    return _fetched_entry(
        link,
        doc_id,
        source,
        given,
        {**meta, "summary": text} if text else meta,
        timeout=timeout,
        user_agent=user_agent,
        allow_private=allow_private,
    )


def _fetched_entry(
    link: str,
    doc_id: str,
    source: str,
    given: dict[str, Any],
    meta: dict[str, Any],
    *,
    timeout: float,
    user_agent: str | None,
    allow_private: bool,
) -> Article:
    from .fetch import USER_AGENT, fetch
    from .html import html_document

    # the link is checked like any URL: a feed must not steer the fetcher to internal hosts
    got = fetch(link, timeout=timeout, user_agent=user_agent or USER_AGENT, allow_private=allow_private)
    if got.error or got.body is None:
        return failed(
            doc_id,
            source,
            KIND,
            f"the feed gives only a summary and the entry's link failed: {got.error}",
            captured_at=got.captured_at,
            meta=meta,
            **given,
        )
    doc = html_document(
        got.body,
        id=doc_id,
        source=source,
        kind=KIND,
        captured_at=got.captured_at,
        url=got.final_url,
        content_type=got.content_type,
        meta={**meta, "text_from": "link"},
    )
    found = {k: v for k, v in given.items() if v is not None}
    return replace(doc, **found)


def _content(entry: Any) -> str:
    """The entry's fullest text: content (the longest part), else the summary."""
    parts = [c.get("value", "") for c in entry.get("content", []) or []]
    best = max(parts, key=len, default="")
    return best if len(best) >= len(entry.get("summary", "") or "") else entry.get("summary", "")


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            return f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
    return None


_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "pre",
    "ul",
    "ol",
    "table",
    "figure",
    "figcaption",
    "header",
    "footer",
    "dd",
    "dt",
}


def fragment_text(html: str) -> str:
    """Text of a feed's HTML fragment: one paragraph per block element, whitespace collapsed."""
    if "<" not in html:
        return _tidy(html)
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", html))
    etree.strip_elements(root, "script", "style", with_tail=False)
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.tail = "\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n" + (el.text or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
