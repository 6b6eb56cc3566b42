"""What a URL holds, read into Articles: an HTML page, a plain text, or every entry of a feed.

fetch.py gets the bytes (safely: see netguard.py); this module decides what they are, so the
fetcher does not depend on the readers (feeds.py fetches the pages its entries link to).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Article
from .common import failed
from .feeds import looks_like_feed, read_feed
from .fetch import KIND, USER_AGENT, Fetched, fetch
from .html import html_document
from .text import text_document


def read_url(
    url: str,
    *,
    timeout: float = 30,
    user_agent: str = USER_AGENT,
    encoding: str | None = None,
    fetch_links: bool = True,
    allow_private: bool = False,
) -> Iterator[Article]:
    """The Articles at a URL: one page, or every entry of a feed."""
    got = fetch(url, timeout=timeout, user_agent=user_agent, allow_private=allow_private)
    if got.error or got.body is None:
        yield failed(url, url, KIND, got.error or f"no body from {url}", captured_at=got.captured_at, url=url)
        return
    yield from body_documents(
        got,
        encoding=encoding,
        timeout=timeout,
        user_agent=user_agent,
        fetch_links=fetch_links,
        allow_private=allow_private,
    )


def body_documents(
    got: Fetched,
    *,
    encoding: str | None,
    timeout: float,
    user_agent: str,
    fetch_links: bool,
    allow_private: bool = False,
) -> Iterator[Article]:
    assert got.body is not None
    ctype = got.content_type.split(";")[0].strip().lower()
    if looks_like_feed(got.body, ctype):
        yield from read_feed(
            got.body,
            source=got.url,
            captured_at=got.captured_at,
            fetch_links=fetch_links,
            timeout=timeout,
            user_agent=user_agent,
            allow_private=allow_private,
        )
    elif ctype == "text/plain":
        yield text_document(
            got.body,
            id=got.url,
            source=got.url,
            captured_at=got.captured_at,
            encoding=encoding,
            kind=KIND,
            url=got.final_url,
        )
    elif ctype in ("text/html", "application/xhtml+xml", "") or b"<html" in got.body[:4096].lower():
        yield html_document(
            got.body,
            id=got.url,
            source=got.url,
            kind=KIND,
            captured_at=got.captured_at,
            url=got.final_url,
            encoding=encoding,
            content_type=got.content_type,
        )
    else:
        yield failed(
            got.url,
            got.url,
            KIND,
            f"{got.url} is {ctype}, not an HTML page, a text or a feed",
            captured_at=got.captured_at,
            url=got.final_url,
        )
