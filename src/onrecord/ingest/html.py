"""HTML pages -> Documents: trafilatura for the article text and metadata, htmldate for the date.

Text extraction uses trafilatura's own default (balanced) settings, so the body text is what
``trafilatura.extract`` returns, less reader comments (they are not the article: trafilatura's
default appends them). Metadata (title, author, date, canonical URL, site name) is trafilatura's;
when it finds no date (or only a bare year, which htmldate gives as January 1st), htmldate is
asked again with its own defaults (the latest date on the page rather than the original one).

Decoding bytes of unknown encoding: a byte-order mark, then valid UTF-8, then the charset the
page or its HTTP header declares (when the bytes decode under it), then trafilatura's guess
(charset_normalizer). Browsers do much the same; trafilatura alone skips the declared charset.

Size: trafilatura's time grows faster than the page (measured: 1 MB of dense text 7 s, 4 MB
24 s, 19 MB nearly 10 minutes), so pages over 5 MB are first stripped of scripts (not JSON-LD
metadata), styles, inline images and comments; if they are still over 5 MB, the Article says
so at once instead of parsing for minutes.
"""

from __future__ import annotations

import codecs
import re
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

KIND = "html"
MAX_HTML_BYTES = 5_000_000
NO_TEXT = "no article text found"

_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTENT_LANGUAGE = re.compile(
    r"""<meta[^>]+(?:http-equiv=["']?content-language["']?[^>]+content=["']?([A-Za-z_-]+)"""
    r"""|property=["']og:locale["'][^>]+content=["']?([A-Za-z_-]+))""",
    re.I,
)
# Bulk that carries no article text, removed from oversized pages before parsing.
_BULK = re.compile(
    rb"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<(style|noscript|svg|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->"
    rb"|data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+",
    re.I | re.S,
)
# Per WHATWG, pages labelled latin-1 or ascii are decoded as windows-1252.
_WHATWG = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
_META_KEYS = ("sitename", "hostname", "description", "categories", "tags", "license")


def read_html_file(path: str | Path, *, id: str | None = None, encoding: str | None = None) -> Article:
    """One HTML file as an Article; ``id`` defaults to the path as given."""
    name = str(path)
    try:
        data = read_file_capped(path)
    except OSError as err:
        return failed(id or name, name, KIND, f"cannot read {name}: {err.strerror or err}")
    if data is None:
        return failed(id or name, name, KIND, f"{name} is {too_big(MAX_BYTES)}; it was not read")
    return html_document(data, id=id or name, source=name, captured_at=file_mtime(path), encoding=encoding)


def html_document(
    raw: bytes | str,
    *,
    id: str,
    source: str,
    captured_at: str | None,
    kind: str = KIND,
    url: str | None = None,
    encoding: str | None = None,
    content_type: str | None = None,
    raw_sha256: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Article:
    """An HTML page (bytes as captured, or text) -> Article with trafilatura's text and metadata.

    ``url`` is where the page was captured (fetch, WARC); the Article keeps it and puts a
    different canonical URL in ``meta["canonical_url"]``. Without it the canonical URL is ``url``.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    provenance: dict[str, Any] = dict(raw_sha256=raw_sha256 or sha256(data), captured_at=captured_at)
    result = extract_html(raw, url=url, encoding=encoding, content_type=content_type)
    found: dict[str, Any] = {**(meta or {}), **result["meta"]}
    fields: dict[str, Any] = dict(
        url=url or result["url"],
        title=result["title"],
        author=result["author"],
        published=result["date"],
        language=result["language"],
        meta=found,
    )
    if url and result["url"] and result["url"] != url:
        found["canonical_url"] = result["url"]
    if result["error"]:
        return failed(id, source, kind, result["error"], **provenance, **fields)
    return Article(id=id, text=result["text"], source=source, kind=kind, **provenance, **fields)


def extract_html(
    raw: bytes | str, *, url: str | None = None, encoding: str | None = None, content_type: str | None = None
) -> dict[str, Any]:
    """The article in an HTML page: {"text", "title", "author", "date", "url", "language",
    "meta", "error"}; "error" says why there is no text (then "text" is None)."""
    out: dict[str, Any] = dict(
        text=None, title=None, author=None, date=None, url=None, language=None, meta={}, error=None
    )
    if isinstance(raw, bytes):
        if len(raw) > MAX_HTML_BYTES:
            raw = _BULK.sub(b"", raw)
            out["meta"]["stripped_bulk"] = True
        if len(raw) > MAX_HTML_BYTES:
            out["error"] = (
                f"page is {len(raw) / 1e6:.1f} MB of HTML even without scripts and styles, over the "
                f"{MAX_HTML_BYTES // 1_000_000} MB onrecord reads; save the article part of it as its own file"
            )
            return out
        html, charset = decode_html(raw, encoding=encoding, content_type=content_type)
        out["meta"]["charset"] = charset
    else:
        html = raw
        if len(html) > MAX_HTML_BYTES:
            out["error"] = (
                f"page is {len(html) / 1e6:.1f} M characters of HTML, "
                f"over the {MAX_HTML_BYTES // 1_000_000} M onrecord reads"
            )
            return out
    return _extract(html, url, out)


def _extract(html: str, url: str | None, out: dict[str, Any]) -> dict[str, Any]:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html, normalize_unicode

    tree = load_html(_XML_DECL.sub("", html, count=1))
    if tree is None:
        out["error"] = f"{NO_TEXT}: the page is not HTML that can be parsed"
        return out
    doc: Any = bare_extraction(tree, url=url, with_metadata=True, include_comments=False)  # a trafilatura Article
    declared = normalise_language(
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or _content_language(html)
    )
    if doc is None or not (doc.text or "").strip():
        out["error"] = NO_TEXT
        out["language"] = declared
        return out
    text = normalize_unicode(doc.text)  # what trafilatura.extract returns for the body
    out.update(
        text=text,
        title=doc.title,
        author=doc.author,
        url=doc.url,
        date=_date(doc.date, tree, doc.url or url),
        language=declared or detect_language(text),
    )
    out["meta"].update({k: v for k in _META_KEYS if (v := getattr(doc, k, None))})
    out["meta"]["language_from"] = "html" if declared else "detected"
    return out


def _date(found: str | None, tree: Any, url: str | None) -> str | None:
    """trafilatura's date (htmldate's search for the original date), else htmldate's default
    search (the most recent date). January 1st is how htmldate renders a bare year (a copyright
    line, "2014"), so such a date gives way to a full date from the second search."""
    if found and not found.endswith("-01-01"):
        return found
    return _htmldate(tree, url) or found


def _htmldate(tree: Any, url: str | None) -> str | None:
    """htmldate's own defaults (extensive search, most recent date)."""
    from htmldate import find_date

    try:
        found: str | None = find_date(tree, extensive_search=True, original_date=False, url=url)
        return found
    except (ValueError, TypeError):  # htmldate raises on odd inputs; a missing date is not an error
        return None


def _content_language(html: str) -> str | None:
    m = _CONTENT_LANGUAGE.search(html[:20000])
    return (m.group(1) or m.group(2)) if m else None


def decode_html(raw: bytes, *, encoding: str | None = None, content_type: str | None = None) -> tuple[str, str]:
    """HTML bytes -> (text, the codec used); never raises (the last resort replaces bad bytes)."""
    if encoding:
        return raw.decode(encoding, errors="replace"), codecs.lookup(encoding).name
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), codec
    candidates = ["utf-8", *_declared(raw, content_type)]
    for codec in candidates:
        try:
            return raw.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    from trafilatura.utils import detect_encoding

    for codec in detect_encoding(raw):
        try:
            return raw.decode(codec), codecs.lookup(codec).name
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace"), "utf-8 (with replacements)"


def _declared(raw: bytes, content_type: str | None) -> list[str]:
    """Charsets named by the HTTP header and the page's own <meta>, as Python codec names."""
    names = []
    if content_type and (header := _HEADER_CHARSET.search(content_type)):
        names.append(header.group(1))
    if meta := _DECLARED.search(raw[:8192]):
        names.append(meta.group(1).decode("ascii"))
    codecs_found = []
    for name in names:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        codecs_found.append(_WHATWG.get(codec, codec))
    return codecs_found
