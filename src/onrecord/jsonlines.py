"""Strict JSON for everything onrecord writes: one line per record, readable by any reader.

Two things plain ``json.dumps(..., ensure_ascii=False)`` lets through break readers of JSON
lines: NaN and Infinity (not JSON at all; strict parsers refuse the line), and the characters
other than "\\n" that line-splitting readers break on (U+2028, U+2029, U+0085: Python's
``str.splitlines`` and JavaScript among them). Non-finite numbers become null; those
characters are written as escapes, which every JSON parser reads back as the same text.
"""

from __future__ import annotations

import json
import math
from typing import Any

_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` that never writes NaN/Infinity and escapes every line separator."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, **options)
    except ValueError:  # a non-finite float somewhere: null, as JSON has no such number
        text = json.dumps(_finite(value), ensure_ascii=False, allow_nan=False, **options)
    if any(c in text for c in _LINE_BREAKS):
        for char, escape in _LINE_BREAKS.items():
            text = text.replace(char, escape)
    return text


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
