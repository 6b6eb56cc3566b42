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
from typing import Any

from .document import Document

# Language detection needs enough words to be right; below this we say nothing.
MIN_DETECT_CHARS = 200
DETECT_PREFIX = 1000       # py3langid's cost grows with the text; the first 1,000 characters decide (~0.6 ms)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_mtime(path: str | os.PathLike[str]) -> str | None:
    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return None
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def failed(id: str, source: str, kind: str, error: str, **fields: Any) -> Document:
    """A Document that could not be read: no text, and a message that says what to do."""
    return Document(id=id, text=None, source=source, kind=kind, error=error, **fields)


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
                f"{name} is not UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r}); "
                "pass its encoding, e.g. --encoding latin-1 or --encoding cp1252") from err
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
    import py3langid  # type: ignore[import-untyped]  # loaded on first use: ~0.5 s for its model

    code, _score = py3langid.classify(text[:DETECT_PREFIX])
    return str(code)
