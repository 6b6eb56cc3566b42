"""Plain-text article files -> Documents: the file's text exactly as written.

No stripping and no normalisation: every offset of the record indexes this text. UTF-8 by
default (a byte-order mark is dropped); another encoding only when the user names it.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Article
from .common import MAX_BYTES, decode_text, detect_language, failed, file_mtime, read_file_capped, sha256, too_big

KIND = "text"


def read_text_file(path: str | Path, *, id: str | None = None, encoding: str | None = None) -> Article:
    """One text file as an Article; ``id`` defaults to the path as given."""
    name = str(path)
    doc_id = id or name
    try:
        data = read_file_capped(path)
    except OSError as err:
        return failed(doc_id, name, KIND, f"cannot read {name}: {err.strerror or err}")
    if data is None:
        return failed(doc_id, name, KIND, f"{name} is {too_big(MAX_BYTES)}; it was not read")
    return text_document(data, id=doc_id, source=name, captured_at=file_mtime(path), encoding=encoding)


def text_document(
    data: bytes,
    *,
    id: str,
    source: str,
    captured_at: str | None,
    encoding: str | None = None,
    kind: str = KIND,
    url: str | None = None,
) -> Article:
    """Raw bytes of a plain-text article -> Article (an error Article when undecodable)."""
    digest = sha256(data)
    if b"\x00" in data[:8192] and not (encoding or "").lower().startswith("utf-16"):
        return failed(
            id,
            source,
            kind,
            f"{source} looks like binary data, not text (it holds NUL bytes)",
            raw_sha256=digest,
            captured_at=captured_at,
            url=url,
        )
    try:
        text = decode_text(data, source, encoding)
    except UnicodeError as err:
        return failed(id, source, kind, str(err), raw_sha256=digest, captured_at=captured_at, url=url)
    if not text.strip():
        return failed(
            id,
            source,
            kind,
            f"{source} is empty: there is no text to extract from",
            raw_sha256=digest,
            captured_at=captured_at,
            url=url,
        )
    return Article(
        id=id,
        text=text,
        source=source,
        kind=kind,
        raw_sha256=digest,
        captured_at=captured_at,
        url=url,
        language=detect_language(text),
    )
