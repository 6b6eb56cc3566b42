"""What the pipeline accepts, checked before any model loads: article text and publication dates.

Kept apart from pipeline.py so that readers (ingest) can check their input without importing
spaCy; ``InputError`` is a ValueError whose message says what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any


class InputError(ValueError):
    """Input that cannot be processed at all; the message says what to do."""


def check_published(value: Any) -> str | None:
    """A publication date as YYYY-MM-DD, or None. Raises InputError naming the format."""
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        # isoformat pads the year; strftime("%Y") gives "999" for year 999 on glibc
        return dt.date(value.year, value.month, value.day).isoformat()
    if isinstance(value, str):
        m = re.match(r"^(\d{4}-\d{2}-\d{2})([T ][\d:.+\-Z]*)?$", value.strip())
        if m:
            try:
                return dt.date.fromisoformat(m.group(1)).isoformat()
            except ValueError:
                pass
    raise InputError(f"published date {value!r} is not a date; give it as YYYY-MM-DD, e.g. 2022-01-14")


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise InputError(f"article text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty: there is no text to extract from")
    if "\x00" in text:
        raise InputError("the article contains NUL bytes: it looks like binary data, not text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        # a lone UTF-16 surrogate ("\ud800" in JSON) is no character: the record could not be
        # written as UTF-8, and replacing it would break "the text is exactly the input"
        raise InputError(
            f"the article holds a lone surrogate (U+{ord(text[err.start]):04X}) at character "
            f"{err.start}, which is not a character; replace it (e.g. with U+FFFD) and retry"
        ) from None
    return text
