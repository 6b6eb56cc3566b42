"""The way in: sources (files, folders, JSONL, feeds, WARC, URLs) -> Documents.

``iter_documents`` reads each SOURCE argument in turn and yields Documents; anything that
cannot be read becomes an Article with ``error`` (the run records it and goes on). One module
per kind of source: text.py, html.py, jsonl.py, feeds.py, warc.py, fetch.py (URLs).

    SOURCE            read as
    -                 JSONL on standard input
    http(s)://...     fetched; a feed's entries, an HTML page or a text (fetch.py)
    a folder          every file below it, sorted by path, by extension (below); others skipped
    a file            by extension; an unknown extension is sniffed from its first bytes
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from ..model import Article
from .common import check_encoding, failed
from .fetch import USER_AGENT
from .pages import read_url

__all__ = ["USER_AGENT", "Article", "count_sources", "iter_documents", "kind_of"]

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc.gz": "warc",
    ".arc": "warc",
}


def iter_documents(
    sources: Iterable[str],
    *,
    encoding: str | None = None,
    timeout: float = 30,
    user_agent: str = USER_AGENT,
    fetch_links: bool = True,
    allow_private: bool = False,
) -> Iterator[Article]:
    """Every Article in ``sources``, in order (folders in sorted path order).

    ``encoding`` applies to text files, JSONL and HTML whose charset cannot be trusted;
    ``fetch_links``: fetch the article behind a feed entry that carries only a summary;
    ``allow_private``: fetch from loopback and private-network hosts too (refused by default).
    Raises ValueError only for an unknown ``encoding`` (a usage error); every other
    problem is an error Article.
    """
    encoding = check_encoding(encoding)
    for source in sources:
        if source == "-":
            from .jsonl import iter_jsonl

            yield from iter_jsonl(sys.stdin.buffer, name="stdin", encoding=encoding)
        elif source.startswith(("http://", "https://")):
            yield from read_url(
                source,
                timeout=timeout,
                user_agent=user_agent,
                encoding=encoding,
                fetch_links=fetch_links,
                allow_private=allow_private,
            )
        elif os.path.isdir(source):
            for path in _folder_files(source):
                yield from read_path(
                    path,
                    encoding=encoding,
                    timeout=timeout,
                    user_agent=user_agent,
                    fetch_links=fetch_links,
                    kind=kind_of(path),
                    allow_private=allow_private,
                )
        else:
            yield from read_path(
                source,
                encoding=encoding,
                timeout=timeout,
                user_agent=user_agent,
                fetch_links=fetch_links,
                allow_private=allow_private,
            )


def read_path(
    path: str,
    *,
    encoding: str | None = None,
    timeout: float = 30,
    user_agent: str = USER_AGENT,
    fetch_links: bool = True,
    kind: str | None = None,
    allow_private: bool = False,
) -> Iterator[Article]:
    """The Documents in one file, read as ``kind`` (by extension, else sniffed)."""
    if not os.path.isfile(path):
        yield failed(
            path,
            path,
            kind or "text",
            f"no such file: {path}" if not os.path.exists(path) else f"{path} is not a regular file",
        )
        return
    kind = kind or kind_of(path) or sniff(path)
    if kind == "text":
        from .text import read_text_file

        yield read_text_file(path, encoding=encoding)
    elif kind == "html":
        from .html import read_html_file

        yield read_html_file(path, encoding=encoding)
    elif kind == "jsonl":
        from .jsonl import read_jsonl_file

        yield from read_jsonl_file(path, encoding=encoding)
    elif kind == "feed":
        from .feeds import read_feed_file

        yield from read_feed_file(
            path, fetch_links=fetch_links, timeout=timeout, user_agent=user_agent, allow_private=allow_private
        )
    elif kind == "warc":
        from .warc import read_warc_file

        yield from read_warc_file(path, encoding=encoding)
    else:
        yield failed(
            path,
            path,
            "text",
            f"{path}: cannot tell what this file holds; give it an extension ({', '.join(sorted(EXTENSIONS))})",
        )


def kind_of(path: str) -> str | None:
    """The reader for a file name by its extension (``.warc.gz`` before ``.gz``), or None."""
    name = path.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext):
            return EXTENSIONS[ext]
    return None


def sniff(path: str) -> str | None:
    """The reader for a file of unknown extension, by its first bytes."""
    import gzip

    from .feeds import looks_like_feed

    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        if head.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as g:
                inner = g.read(64)
            if inner.startswith((b"WARC/", b"filedesc:")):
                return "warc"
            return "jsonl" if inner.lstrip().startswith(b"{") else None
    except (OSError, EOFError):
        return None
    if head.startswith((b"WARC/", b"filedesc:")):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    lower = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower[:1024]:
        return "html"
    if lower.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head:
        return None
    return "text"


def _folder_files(folder: str) -> list[str]:
    """Readable files below ``folder`` (recursively), sorted by path; other files skipped."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, f) for f in files if kind_of(f))
    return sorted(found)


def count_sources(sources: Iterable[str]) -> int | None:
    """How many Documents ``sources`` will give, when that is cheap to know (files, JSONL lines);
    None when it is not (stdin, URLs, feeds, WARC), so a progress bar runs without a total."""
    total = 0
    for source in sources:
        if source == "-" or source.startswith(("http://", "https://")):
            return None
        paths = _folder_files(source) if os.path.isdir(source) else [source]
        for path in paths:
            kind = kind_of(path) or (sniff(path) if os.path.isfile(path) else "text")
            if kind in ("feed", "warc"):
                return None
            if kind == "jsonl":
                from .jsonl import count_lines

                try:
                    total += count_lines(path)
                except (OSError, EOFError):
                    return None
            else:
                total += 1
    return total
