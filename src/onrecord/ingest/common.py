"""What every reader shares: provenance (hashes, capture times), decoding, error Documents, language.

Kept free of heavy imports (no spaCy, no trafilatura) so that reading a million-line JSONL
file costs what reading it costs.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..model import Article

# The most any one payload may hold once decompressed (a page, a WARC record, a JSONL line,
# a feed, a file): a news article is well under 1 MB, and a 10 KB gzip member can expand to
# gigabytes. Larger payloads become error Documents; reading goes on with the next one.
MAX_BYTES = 50_000_000
_CHUNK = 1 << 16

# Language detection needs enough words to be right; below this we say nothing.
MIN_DETECT_CHARS = 200
DETECT_PREFIX = 1000  # py3langid's cost grows with the text; the first 1,000 characters decide (~0.6 ms)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_mtime(path: str | os.PathLike[str]) -> str | None:
    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return None
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_capped(stream: IO[bytes], limit: int = MAX_BYTES) -> bytes | None:
    """All of ``stream`` read in chunks, or None as soon as it holds more than ``limit`` bytes
    (so memory never exceeds the cap, whatever a compressed stream expands to)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


def read_file_capped(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes | None:
    """A file's bytes, or None when it is over ``limit`` (raises OSError like open())."""
    with open(path, "rb") as f:
        return read_capped(f, limit)


def too_big(limit: int) -> str:
    return f"over {limit:,} bytes once decompressed, onrecord's limit for one payload"


def bounded_lines(stream: IO[bytes] | Iterable[bytes], limit: int = MAX_BYTES) -> Iterator[bytes | None]:
    """The lines of a binary stream, each at most ``limit`` bytes; a longer line is skipped in
    chunks (never held whole) and given as None, so one endless line cannot exhaust memory."""
    readline = getattr(stream, "readline", None)
    if readline is None:  # a plain iterable of lines (tests, generators)
        for line in stream:
            yield line if len(line) <= limit else None
        return
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):  # at most ``limit`` bytes before the newline
            yield line
            continue
        while not line.endswith(b"\n"):  # the rest of an overlong line, a chunk at a time
            line = readline(_CHUNK)
            if not line:
                break
        yield None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"it holds {name}, which is not strict JSON; write the number as null or a string")


def load_json_line(line: str) -> Any:
    """One JSONL line -> a value, strictly: json.JSONDecodeError for malformed JSON, ValueError
    (with what to do) for NaN/Infinity, nesting too deep to read and lone surrogates."""
    import json

    try:
        value = json.loads(line, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("it is nested too deeply to read (thousands of levels); flatten it") from None
    if _SURROGATE_ESCAPE.search(line) and _has_lone_surrogate(value):
        raise ValueError(
            "it holds a lone surrogate escape (\\ud800-\\udfff without its pair), which is no "
            "character; replace it with \\ufffd"
        )
    return value


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:  # iterative: nesting may be deep
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def failed(id: str, source: str, kind: str, error: str, **fields: Any) -> Article:
    """A Article that could not be read: no text, and a message that says what to do."""
    return Article(id=id, text=None, source=source, kind=kind, error=error, **fields)


def check_encoding(encoding: str | None) -> str | None:
    """The codec name, or ValueError naming the fix (an unknown --encoding is a usage error)."""
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError as err:
        raise ValueError(f"unknown encoding {encoding!r}; pass a Python codec name such as latin-1 or cp1252") from err


def decode_text(data: bytes, name: str, encoding: str | None) -> str:
    """Bytes of a text article -> str exactly (offsets index it), or UnicodeError naming --encoding.

    UTF-8 unless ``encoding`` is given; a UTF-8 byte-order mark is dropped (it is not text).
    """
    if encoding is None or codecs.lookup(encoding).name == "utf-8":
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise UnicodeError(
                f"{name} is not UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r}); "
                "pass its encoding, e.g. --encoding latin-1 or --encoding cp1252"
            ) from err
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise UnicodeError(f"{name} is not valid {encoding} (byte {err.start}); try another --encoding") from err
    return text[1:] if text.startswith("\ufeff") else text


def normalise_language(code: str | None) -> str | None:
    """'en-GB', 'en_US', 'EN' -> 'en'; anything that is not a 2-3 letter tag -> None."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of the text by py3langid (trafilatura's own optional detector), or None
    for texts too short to tell (under 200 characters)."""
    if not text or len(text) < MIN_DETECT_CHARS:
        return None
    import py3langid  # loaded on first use: ~0.5 s for its model

    code, _score = py3langid.classify(text[:DETECT_PREFIX])
    return str(code)
