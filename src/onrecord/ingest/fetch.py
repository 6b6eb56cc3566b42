"""http(s) URLs -> Documents: fetched with urllib3 (a trafilatura dependency).

One GET per URL, redirects followed, a timeout, and a size cap (50 MB: the read stops there
and the Document says so). A non-200 answer, a time-out or a refused connection becomes an
error Document for that URL. ``captured_at`` is the time of the fetch (UTC); ``raw_sha256``
hashes the body as served (after HTTP content-encoding is undone). A body that is a feed is
read as a feed (feeds.py); HTML goes through html.py, plain text through text.py.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from .common import failed, utc_now
from .document import Document

KIND = "url"
MAX_BYTES = 50_000_000
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml,text/plain;q=0.9,*/*;q=0.5"
USER_AGENT = "onrecord (news research; +https://pypi.org/project/onrecord/)"
_pool: Any = None


@dataclass(frozen=True)
class Fetched:
    url: str                      # the URL asked for
    final_url: str                # after redirects
    status: int | None
    content_type: str
    body: bytes | None
    captured_at: str
    error: str | None = None


def _manager() -> Any:
    global _pool
    if _pool is None:
        import urllib3

        _pool = urllib3.PoolManager(num_pools=20)
    return _pool


def fetch(url: str, *, timeout: float = 30, user_agent: str = USER_AGENT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url``; never raises for network trouble (it is in ``error``)."""
    import urllib3

    captured_at = utc_now()
    try:
        response = _manager().request(
            "GET", url, headers={"User-Agent": user_agent, "Accept": ACCEPT}, preload_content=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            # retry a failed connection, never a slow read (it would multiply the timeout)
            retries=urllib3.Retry(total=None, connect=2, read=0, redirect=5, status=0, backoff_factor=0.2))
    except urllib3.exceptions.HTTPError as err:
        return Fetched(url, url, None, "", None, captured_at, f"could not fetch {url}: {_reason(err)}")
    try:
        final = urljoin(url, response.url or url)   # urllib3 may give the path alone
        ctype = response.headers.get("Content-Type", "")
        if response.status != 200:
            return Fetched(url, final, response.status, ctype, None, captured_at,
                           f"HTTP {response.status} {response.reason or ''}".rstrip() + f" for {url}")
        body = _read_capped(response, max_bytes)
        if body is None:
            return Fetched(url, final, response.status, ctype, None, captured_at,
                           f"{url} is over {max_bytes // 1_000_000} MB; onrecord stops reading there")
        return Fetched(url, final, response.status, ctype, body, captured_at)
    except urllib3.exceptions.HTTPError as err:
        return Fetched(url, url, None, "", None, captured_at, f"could not read {url}: {_reason(err)}")
    finally:
        response.release_conn()


def _read_capped(response: Any, max_bytes: int) -> bytes | None:
    chunks, size = [], 0
    for chunk in response.stream(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(err: Exception) -> str:
    reason = getattr(err, "reason", None)
    return str(reason or err)


def read_url(url: str, *, timeout: float = 30, user_agent: str = USER_AGENT, encoding: str | None = None,
             fetch_links: bool = True) -> Iterator[Document]:
    """The Documents at a URL: one page, or every entry of a feed."""
    got = fetch(url, timeout=timeout, user_agent=user_agent)
    if got.error or got.body is None:
        yield failed(url, url, KIND, got.error or f"no body from {url}", captured_at=got.captured_at, url=url)
        return
    yield from body_documents(got, encoding=encoding, timeout=timeout, user_agent=user_agent, fetch_links=fetch_links)


def body_documents(got: Fetched, *, encoding: str | None, timeout: float, user_agent: str,
                   fetch_links: bool) -> Iterator[Document]:
    from .feeds import looks_like_feed, read_feed
    from .html import html_document
    from .text import text_document

    assert got.body is not None
    ctype = got.content_type.split(";")[0].strip().lower()
    if looks_like_feed(got.body, ctype):
        yield from read_feed(got.body, source=got.url, captured_at=got.captured_at, fetch_links=fetch_links,
                             timeout=timeout, user_agent=user_agent)
    elif ctype == "text/plain":
        yield text_document(got.body, id=got.url, source=got.url, captured_at=got.captured_at, encoding=encoding,
                            kind=KIND, url=got.final_url)
    elif ctype in ("text/html", "application/xhtml+xml", "") or b"<html" in got.body[:4096].lower():
        yield html_document(got.body, id=got.url, source=got.url, kind=KIND, captured_at=got.captured_at,
                            url=got.final_url, encoding=encoding, content_type=got.content_type)
    else:
        yield failed(got.url, got.url, KIND, f"{got.url} is {ctype}, not an HTML page, a text or a feed",
                     captured_at=got.captured_at, url=got.final_url)
