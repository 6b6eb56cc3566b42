"""http(s) URLs -> Documents: fetched with urllib3 (a trafilatura dependency).

One GET per URL, redirects followed (at most five, each hop checked again), a timeout per read,
a deadline for the whole fetch (120 s) and a size cap on the decoded body (50 MB: the read
stops there and the Article says so). Internal addresses (loopback, private, link-local, ...)
are refused unless ``allow_private`` (netguard.py says why and how). A non-200 answer, a time-out or a refused connection becomes an
error Article for that URL. ``captured_at`` is the time of the fetch (UTC); ``raw_sha256``
hashes the body as served (after HTTP content-encoding is undone). A body that is a feed is
read as a feed (feeds.py); HTML goes through html.py, plain text through text.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from .common import MAX_BYTES, utc_now  # MAX_BYTES: of the body once decoded
from .netguard import Refused, Target, resolve

KIND = "url"
DEADLINE = 120.0  # seconds for a whole fetch, all redirects and the last byte included
MAX_REDIRECTS = 5
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml,text/plain;q=0.9,*/*;q=0.5"
USER_AGENT = "onrecord (news research; +https://pypi.org/project/onrecord/)"
_pool: dict[tuple[str, str, int, str], Any] | None = None  # connection pools by (scheme, address, port, host)


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None
    content_type: str
    body: bytes | None
    captured_at: str
    error: str | None = None


def _connection(target: Target) -> Any:
    """A pool that connects to the checked address, naming the URL's host in the Host header
    and in TLS (SNI and certificate check), so what was checked is what is reached."""
    import urllib3

    global _pool
    if _pool is None:
        _pool = {}
    key = (target.scheme, target.address, target.port, target.host)
    if key not in _pool:
        if len(_pool) >= 32:  # a long run over many hosts: drop the oldest pools
            for old in list(_pool)[:16]:
                _pool.pop(old).close()
        if target.scheme == "https":
            _pool[key] = urllib3.HTTPSConnectionPool(
                target.address, target.port, server_hostname=target.host, assert_hostname=target.host, maxsize=2
            )
        else:
            _pool[key] = urllib3.HTTPConnectionPool(target.address, target.port, maxsize=2)
    return _pool[key]


def fetch(
    url: str,
    *,
    timeout: float = 30,
    user_agent: str = USER_AGENT,
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
    allow_private: bool = False,
) -> Fetched:
    """GET ``url``; never raises for network trouble or a refused address (it is in ``error``).

    ``timeout`` bounds each connect and read; ``deadline`` the whole fetch (a server that
    drips a byte at a time cannot hold it longer). Redirects are followed by hand, at most
    five, each hop checked by netguard like the first URL."""
    import urllib3

    captured_at = utc_now()
    stop = time.monotonic() + deadline
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = resolve(current, allow_private=allow_private)
        except Refused as err:
            return Fetched(url, current, None, "", None, captured_at, str(err))
        left = stop - time.monotonic()
        if left <= 0:
            return Fetched(url, current, None, "", None, captured_at, _late(url, deadline))
        host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        try:
            response = _connection(target).urlopen(
                "GET",
                target.path,
                headers={"Host": host, "User-Agent": user_agent, "Accept": ACCEPT},
                preload_content=False,
                redirect=False,
                assert_same_host=False,
                timeout=urllib3.Timeout(connect=min(timeout, left), read=min(timeout, left)),
                # retry a failed connection, never a slow read (it would multiply the timeout)
                retries=urllib3.Retry(total=None, connect=2, read=0, redirect=0, status=0, backoff_factor=0.2),
            )
        except urllib3.exceptions.HTTPError as err:
            return Fetched(url, current, None, "", None, captured_at, f"could not fetch {current}: {_reason(err)}")
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            ctype = response.headers.get("Content-Type", "")
            if response.status != 200:
                return Fetched(
                    url,
                    current,
                    response.status,
                    ctype,
                    None,
                    captured_at,
                    f"HTTP {response.status} {response.reason or ''}".rstrip() + f" for {url}",
                )
            body = _read_capped(response, max_bytes, stop)
            if body is _LATE:
                return Fetched(url, current, response.status, ctype, None, captured_at, _late(url, deadline))
            if body is None:
                return Fetched(
                    url,
                    current,
                    response.status,
                    ctype,
                    None,
                    captured_at,
                    f"{url} is over {max_bytes // 1_000_000} MB once decompressed; onrecord stops reading there",
                )
            return Fetched(url, current, response.status, ctype, body, captured_at)
        except urllib3.exceptions.HTTPError as err:
            return Fetched(url, current, None, "", None, captured_at, f"could not read {url}: {_reason(err)}")
        finally:
            response.release_conn()
    return Fetched(
        url, current, None, "", None, captured_at, f"could not fetch {url}: more than {MAX_REDIRECTS} redirects"
    )


_LATE = b"<late>"


def _late(url: str, deadline: float) -> str:
    return f"no complete answer from {url} within {deadline:g} s (the deadline for one fetch); it was dropped"


def _read_capped(response: Any, max_bytes: int, stop: float) -> bytes | None:
    """The decoded body, None over ``max_bytes``, or _LATE past the deadline. read1 returns
    what one read gives, so a server dripping bytes is checked against the clock between drips."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(1 << 16)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            return None
        if time.monotonic() > stop:
            return _LATE
        chunks.append(chunk)


def _reason(err: Exception) -> str:
    reason = getattr(err, "reason", None)
    return str(reason or err)
