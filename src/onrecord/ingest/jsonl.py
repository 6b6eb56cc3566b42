"""JSONL -> Documents, one per line, streamed (a million-line file is never held in memory).

A line is ``{"id", "text", "published", "title", "url", "author", "language", ...}``; the
line's "id" is the Article id (``path#line`` when absent), other keys go to ``meta``. A line
that carries "html" instead of "text" is read like an HTML page (html.py), the line's own
fields winning over what is found in the page. A line that cannot be used becomes an error
Article (keeping its id when it can still be read) and the rest go on. ``.gz`` files are
read through gzip; a truncated one ends with an error Article naming the line.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from ..inputs import check_published  # InputError is a ValueError: one rule for dates everywhere
from ..model import Article
from .common import (
    MAX_BYTES,
    bounded_lines,
    detect_language,
    failed,
    file_mtime,
    load_json_line,
    normalise_language,
    sha256,
    too_big,
    utc_now,
)

KIND = "jsonl"
KNOWN = ("id", "text", "html", "published", "title", "url", "author", "language", "lang")
_ID = re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)')


def read_jsonl_file(path: str | Path, *, encoding: str | None = None) -> Iterator[Article]:
    """Every line of a JSONL (or JSONL.gz) file as an Article."""
    name = str(path)
    try:
        stream: IO[bytes] = gzip.open(path, "rb") if name.endswith(".gz") else open(path, "rb")  # type: ignore[assignment]  # noqa: SIM115 - a generator holds it; closed in its finally
    except OSError as err:
        yield failed(name, name, KIND, f"cannot read {name}: {err.strerror or err}")
        return
    with stream:
        yield from iter_jsonl(stream, name=name, encoding=encoding, captured_at=file_mtime(path))


def iter_jsonl(
    lines: Iterable[bytes], *, name: str, encoding: str | None = None, captured_at: str | None = None
) -> Iterator[Article]:
    """Documents from an iterable of raw lines (a binary file, ``sys.stdin.buffer``)."""
    captured_at = captured_at or utc_now()
    n = 0
    try:
        for n, raw in enumerate(bounded_lines(lines, MAX_BYTES), 1):
            if raw is None:  # never held whole: a line of gigabytes costs no memory
                source = f"{name}#{n}"
                yield failed(
                    source,
                    source,
                    KIND,
                    f"line {n} of {name} is {too_big(MAX_BYTES)}; it was skipped",
                    captured_at=captured_at,
                )
            elif raw.strip():
                yield line_document(raw, n, name=name, encoding=encoding or "utf-8", captured_at=captured_at)
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        source = f"{name}#{n + 1}"
        yield failed(
            source,
            source,
            KIND,
            f"{name} is cut short or corrupt after line {n} ({err}); the lines before it were read",
        )


def parse_line(raw: bytes, n: int, *, encoding: str) -> tuple[Any, str | None, Any]:
    """One JSONL line -> (the JSON value, None, None), or (None, what is wrong, the id if it can
    still be read). The one place lines are decoded and parsed, for ``extract --jsonl`` and
    ``ingest`` alike; callers say which line of which file."""
    if n == 1 and raw.startswith(b"\xef\xbb\xbf") and codecs.lookup(encoding).name == "utf-8":
        raw = raw[3:]  # a byte-order mark before the first line is not part of the JSON
    try:
        line = raw.decode(encoding)
    except UnicodeDecodeError as err:
        return (
            None,
            f"is not {encoding} (byte {err.start}); pass the file's encoding with --encoding",
            _recover_id(raw.decode(encoding, "replace")),
        )
    try:
        return load_json_line(line), None, None
    except json.JSONDecodeError as err:
        return None, f"is not valid JSON: {err.msg} (column {err.colno})", _recover_id(line)
    except ValueError as err:  # NaN, nesting too deep, a lone surrogate: the line is refused, the run goes on
        return None, f"is refused: {err}", _recover_id(line)


def line_document(raw: bytes, n: int, *, name: str, encoding: str, captured_at: str | None) -> Article:
    source = f"{name}#{n}"
    raw = raw.rstrip(b"\r\n")
    where: dict[str, Any] = dict(
        source=source,
        kind=KIND,
        raw_sha256=sha256(raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw),
        captured_at=captured_at,
    )
    obj, error, line_id = parse_line(raw, n, encoding=encoding)
    if error is not None:
        return failed(source if line_id is None else str(line_id), error=f"line {n} of {name} {error}", **where)
    if not isinstance(obj, dict):
        return failed(source, error=f'line {n} of {name} is not a JSON object with "text"', **where)
    doc_id = str(obj["id"]) if obj.get("id") not in (None, "") else source
    try:
        return _document(obj, doc_id, where)
    except ValueError as err:
        return failed(doc_id, error=f"line {n} of {name}: {err}", **where)


def _document(obj: dict[str, Any], doc_id: str, where: dict[str, Any]) -> Article:
    published = check_published(obj.get("published"))
    meta = {k: v for k, v in obj.items() if k not in KNOWN}
    given: dict[str, Any] = dict(
        url=_str(obj.get("url")),
        title=_str(obj.get("title")),
        author=_str(obj.get("author")),
        published=published,
        language=normalise_language(_str(obj.get("language") or obj.get("lang"))),
    )
    text = obj.get("text")
    if text is None and isinstance(obj.get("html"), str):
        return _html_line(obj["html"], doc_id, where, given, meta)
    if not isinstance(text, str):
        raise ValueError(
            'no article text: give "text" (a string) or "html"'
            if text is None
            else f'"text" must be a string, not {type(text).__name__}'
        )
    if not text.strip():
        raise ValueError("the article is empty: there is no text to extract from")
    given["language"] = given["language"] or detect_language(text)
    return Article(id=doc_id, text=text, meta=meta, **where, **given)


def _html_line(html: str, doc_id: str, where: dict[str, Any], given: dict[str, Any], meta: dict[str, Any]) -> Article:
    from .html import html_document

    doc = html_document(
        html,
        id=doc_id,
        source=where["source"],
        kind=KIND,
        captured_at=where["captured_at"],
        raw_sha256=where["raw_sha256"],
        meta=meta,
    )
    found = {k: v for k, v in given.items() if v is not None}
    return replace(doc, **found)


def _str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _recover_id(line: str) -> Any:
    """The id (a JSON string or number) of a malformed line, when it can still be read, so the
    error keeps it; None when it cannot."""
    m = _ID.search(line)
    if not m:
        return None
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError:
        return None


def count_lines(path: str | Path) -> int:
    """Non-empty lines of a JSONL file, read in blocks (for a progress bar's total)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        return sum(1 for line in bounded_lines(f, MAX_BYTES) if line is None or line.strip())
