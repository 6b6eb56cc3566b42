"""WARC (and ARC) web archives -> Documents, with warcio's ArchiveIterator.

Read: ``response`` records with a 2xx HTTP status and ``resource`` records whose payload is
HTML or plain text. Skipped without a word: requests, metadata, revisits, warcinfo, redirects
and other statuses, images and the like (a crawl is mostly these).

Provenance: source and id ``file.warc.gz#<record offset>``, ``captured_at`` the WARC-Date,
``url`` the WARC-Target-URI (a different canonical URL goes to ``meta["canonical_url"]``),
``raw_sha256`` the HTTP payload's (after transfer and content encodings are undone).

Damage: a record warcio cannot parse becomes an error Article naming the file and offset. In
a .warc.gz, whose records are separate gzip members, reading then resumes at the next member
that starts a WARC record; in an uncompressed file, or past a truncated gzip (nothing follows),
the file ends there and the next source is read.
"""

from __future__ import annotations

import zlib
from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from ..model import Article
from .common import MAX_BYTES, failed, read_capped, sha256, too_big

KIND = "warc"
HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b\x08"


def read_warc_file(path: str | Path, *, encoding: str | None = None) -> Iterator[Article]:
    name = str(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - a generator holds it; closed in its finally
    except OSError as err:
        yield failed(name, name, KIND, f"cannot read {name}: {err.strerror or err}")
        return
    with stream:
        yield from iter_warc(stream, name=name, encoding=encoding)


def iter_warc(stream: IO[bytes], *, name: str, encoding: str | None = None) -> Iterator[Article]:
    """Documents from a seekable WARC/ARC stream; resumes past damage in gzip files."""
    gz = _is_gzip(stream)
    size = stream.seek(0, 2)
    start: int | None = 0
    while start is not None:
        stream.seek(start)
        start = yield from _records(stream, name, start, encoding, gz=gz, size=size)


def _records(
    stream: IO[bytes], name: str, base: int, encoding: str | None, *, gz: bool, size: int
) -> Generator[Article, None, int | None]:
    """Read from ``base``; returns where to resume after damage, or None at the end. A resume
    point is always past ``base`` (warcio's offsets on a damaged record can even be negative),
    so reading always moves forward and ends."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    # ARC only for .arc files: elsewhere warcio would take a garbage line for an ARC header
    records = ArchiveIterator(stream, arc2warc=name.lower().endswith((".arc", ".arc.gz")))
    end = base  # where the last good record ended (warcio's offsets are absolute)
    try:
        for record in records:
            found = _payload(record)  # read before asking the offset: asking reads to the end
            offset, length = records.get_record_offset(), records.get_record_length()
            if _damaged_gap(stream, end, offset, gz):
                yield _damage(name, end, "unreadable data, skipped", offset)
            if gz and offset + length >= size and not _member_complete(stream, offset):
                # warcio hands back a cut-short last member as a record, with whatever part of
                # its headers or payload survived: neither a document nor a skip is true
                yield _damage(name, offset, "the gzip data is cut short (a truncated file?)", None)
                return None
            if found is not None and found[2] is None:
                source = f"{name}#{offset}"
                yield failed(
                    source,
                    source,
                    KIND,
                    f"{name}: the record at offset {offset} is {too_big(MAX_BYTES)}; it was skipped",
                    url=found[3]["WARC-Target-URI"],
                    captured_at=found[3]["WARC-Date"],
                )
            elif found is not None:
                yield _document(*found, source=f"{name}#{offset}", encoding=encoding)
            end = max(end, offset + max(length, 0))  # a damaged record can report a negative length
    except (
        ArchiveLoadFailed,
        EOFError,
        zlib.error,
        OSError,
        ValueError,
        AttributeError,
        IndexError,
        KeyError,
        TypeError,
    ) as err:
        # warcio meets malformed headers with whatever its parser raises (AttributeError on a
        # missing status line, IndexError on a short one): all of them are damage to skip
        resume = _next_member(stream, max(end, base) + 1) if gz else None
        yield _damage(name, end, f"{type(err).__name__}: {err}", resume)
        return resume
    if gz and end < size:  # warcio stops quietly at a cut-short gzip member
        resume = _next_member(stream, max(end, base) + 1)
        yield _damage(name, end, "the gzip data is cut short (a truncated file?)", resume)
        return resume
    return None


def _damaged_gap(stream: IO[bytes], end: int, offset: int, gz: bool) -> bool:
    """Bytes between two records that warcio skipped: any in gzip, non-blank ones otherwise."""
    if offset <= end:
        return False
    if gz:
        return True
    here = stream.tell()
    stream.seek(end)
    gap = stream.read(min(offset - end, 1 << 16))
    stream.seek(here)
    return bool(gap.strip())


def _member_complete(stream: IO[bytes], offset: int, block: int = 1 << 16) -> bool:
    """Whether the gzip member at ``offset`` runs to its end marker. Output is discarded as it
    comes (``max_length``), so a member that inflates hugely costs time, never memory."""
    here = stream.tell()
    stream.seek(offset)
    inflate = zlib.decompressobj(wbits=31)
    try:
        while not inflate.eof:
            data = inflate.unconsumed_tail or stream.read(block)
            if not data:
                return False
            inflate.decompress(data, block)
        return True
    except zlib.error:
        return False
    finally:
        stream.seek(here)


def _damage(name: str, offset: int, why: str, resume: int | None) -> Article:
    source = f"{name}#{offset}"
    then = f"reading resumes at offset {resume}" if resume is not None else "the rest of the file is not read"
    why = " ".join(why.split())[:200]
    return failed(source, source, KIND, f"{name}: damaged WARC record at offset {offset} ({why}); {then}")


def _payload(record: Any) -> tuple[str, str, bytes | None, dict[str, Any]] | None:
    """(mime type, Content-Type, payload, WARC headers kept) of a record we read, else None.
    The payload is None when it decompresses to more than MAX_BYTES: it is read in chunks and
    dropped at the cap, and warcio skips the rest of the record in chunks too."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.http_headers if record.rec_type == "response" else None
    if headers is not None and not (headers.get_statuscode() or "").startswith("2"):
        return None
    ctype = (
        headers.get_header("Content-Type") if headers is not None else record.rec_headers.get_header("Content-Type")
    ) or ""
    mime = ctype.split(";")[0].strip().lower()
    if mime not in HTML_TYPES and mime != "text/plain":
        return None
    warc = {key: record.rec_headers.get_header(key) for key in ("WARC-Target-URI", "WARC-Date", "WARC-Record-ID")}
    return mime, ctype, read_capped(record.content_stream(), MAX_BYTES), warc


def _document(
    mime: str, ctype: str, payload: bytes | None, warc: dict[str, Any], *, source: str, encoding: str | None
) -> Article:
    from .html import html_document
    from .text import text_document

    assert payload is not None
    url, captured = warc["WARC-Target-URI"], warc["WARC-Date"]
    meta = {"warc_record_id": warc["WARC-Record-ID"]}
    if mime == "text/plain":
        doc = text_document(
            payload, id=source, source=source, captured_at=captured, encoding=encoding, kind=KIND, url=url
        )
        return replace(doc, meta=meta)
    return html_document(
        payload,
        id=source,
        source=source,
        kind=KIND,
        captured_at=captured,
        url=url,
        encoding=encoding,
        content_type=ctype,
        raw_sha256=sha256(payload),
        meta=meta,
    )


def _is_gzip(stream: IO[bytes]) -> bool:
    here = stream.tell()
    stream.seek(0)
    magic = stream.read(3)
    stream.seek(here)
    return magic == _GZIP_MAGIC


def _next_member(stream: IO[bytes], start: int, block: int = 1 << 20) -> int | None:
    """Offset of the next gzip member at or after ``start`` that begins a WARC record."""
    pos = start
    while True:
        stream.seek(pos)
        chunk = stream.read(block + 2)
        if len(chunk) < 3:
            return None
        at = chunk.find(_GZIP_MAGIC)
        while at != -1:
            if _starts_record(stream, pos + at):
                return pos + at
            at = chunk.find(_GZIP_MAGIC, at + 1)
        pos += block


def _starts_record(stream: IO[bytes], offset: int) -> bool:
    stream.seek(offset)
    try:
        head = zlib.decompressobj(31).decompress(stream.read(4096), 16)
    except zlib.error:
        return False
    return head.startswith((b"WARC/", b"filedesc:"))
