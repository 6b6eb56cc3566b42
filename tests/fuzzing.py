"""Inputs for fuzzing: news-like text from a small grammar, hostile bytes for every reader,
and the properties every output must keep. Shared by tests/test_fuzz.py (a short run in the
suite) and benchmarks/fuzz.py (the long run)."""

from __future__ import annotations

import gzip
import io
import json
import random
from typing import Any

from onrecord.store.check import validate_record

NAMES = [
    "John Smith",
    "Smith",
    "Michelle Bachelet",
    "the UN",
    "WHO",
    "Kenya",
    "Beijing",
    "he",
    "she",
    "they",
    "Officials",
    "a spokesman",
    "the company",
    "Mr. O'Neill",
    "Dr. Ana-Maria Li",
    "police",
    "the Ministry",
]
VERBS = ["said", "told reporters", "says", "warned", "added", "denied", "claimed", "according to", "asked", "noted"]
MARKS = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u201a", "\u2039", "\u203a"]
WORDS = [
    "the",
    "summit",
    "matters",
    "protest",
    "too",
    "costly",
    "for",
    "talks",
    "will",
    "resume",
    "at",
    "least",
    "1 million",
    "12",
    "3.5bn",
    "$40-50bn",
    "15%",
    "Friday",
    "last week",
    "Sept. 13",
    "2022",
    "two years ago",
    "in",
    "Geneva",
    "Xinjiang",
    "people",
    "were",
    "killed",
    "attacked",
    "agreed",
    "not",
    "never",
    "why",
    "911",
    "6-4",
    "50 Best",
    "Three Amigos",
    "lakh",
    "crore",
    "February 30",
    "next year",
    "the 1990s",
]
HEADLINES = [
    "Why the summit matters.",
    "The protest too costly for Kenya.",
    "Talks in Geneva over ceasefire",
    "Sanctions on Russia?",
    "UN: no visit before Olympics",
    "BREAKING",
    "Kenya: protests, again.",
]
ODD = [
    "\n",
    "\n\n",
    "\t",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "\u200b",
    "\ufeff",
    "\u00a0",
    "\x01",
    " " * 30,
    "\u05e9\u05dc\u05d5\u05dd",
    "\u4f60\u597d",
    "\U0001f600",
    "e\u0301",
    "--",
    "...",
    ":",
    ";",
    "(",
    ")",
    "&amp;",
]


def news_text(rng: random.Random, pieces: int | None = None) -> str:
    """A short news-like text: quotes of every mark style, attributions, numbers, dates,
    headlines without verbs, odd characters and unbalanced marks."""
    out: list[str] = []
    for _ in range(pieces if pieces is not None else rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.25:
            o, c = rng.choice(MARKS), rng.choice(MARKS)
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 10)))
            out.append(f"{o}{body},{c} {rng.choice(NAMES)} {rng.choice(VERBS)}.")
        elif kind < 0.45:
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
            out.append(f"{rng.choice(NAMES)} {rng.choice(VERBS)} {rng.choice(['that ', ': ', ', ', ''])}{body}.")
        elif kind < 0.55:
            out.append(rng.choice(HEADLINES))
        elif kind < 0.7:
            out.append(rng.choice(ODD))
        elif kind < 0.8:
            out.append(rng.choice(MARKS) * rng.randint(1, 6))
        else:
            out.append(" ".join(rng.choice(WORDS + NAMES) for _ in range(rng.randint(1, 15))))
        out.append(rng.choice([" ", " ", "\n", "\n\n", ""]))
    return "".join(out)


def random_text(rng: random.Random, size: int = 200) -> str:
    """Any code points but lone surrogates (which the library refuses as input errors)."""
    chars = []
    for _ in range(rng.randint(1, size)):
        cp = rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FFF), rng.randint(0xE000, 0x10FFFF)])
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0xFFFD
        chars.append(chr(cp))
    return "".join(chars)


def mutate(rng: random.Random, data: bytes) -> bytes:
    """A few random edits: bytes flipped, cut, duplicated, or junk inserted."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not data:
            data += bytes([rng.randint(0, 255)])
        op, at = rng.random(), rng.randrange(len(data))
        if op < 0.3:
            data[at] = rng.randint(0, 255)
        elif op < 0.5:
            del data[at : at + rng.randint(1, 50)]
        elif op < 0.7:
            data[at:at] = data[at : at + rng.randint(1, 80)]
        elif op < 0.85:
            data[at:at] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 20)))
        else:
            data = data[:at]
    return bytes(data)


def html_page(rng: random.Random) -> bytes:
    body = "".join(f"<p>{news_text(rng, 3)}</p>" for _ in range(rng.randint(0, 4)))
    charset = rng.choice(["utf-8", "latin-1", "bogus-charset", "utf-16", ""])
    head = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{head}<title>{rng.choice(HEADLINES)}</title></head><body>{body}</body></html>".encode()


def feed(rng: random.Random) -> bytes:
    items = "".join(
        f"<item><title>{rng.choice(HEADLINES)}</title><link>http://127.0.0.1:9/{i}</link>"
        f"<description>{news_text(rng, 2).replace('<', '&lt;').replace('&', '&amp;')}</description></item>"
        for i in range(rng.randint(0, 3))
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


def jsonl_bytes(rng: random.Random) -> bytes:
    lines = []
    for i in range(rng.randint(1, 4)):
        obj: dict[str, Any] = {"id": f"l{i}", "text": news_text(rng, 3)}
        if rng.random() < 0.3:
            obj["published"] = rng.choice(["2022-01-14", "9999-12-31", "0001-01-01", "2022-02-30", "yesterday", 5])
        lines.append(json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode())
    return b"\n".join(lines) + rng.choice([b"\n", b"", b"\r\n"])


def warc_bytes(rng: random.Random) -> bytes:
    out = io.BytesIO()
    for n in range(rng.randint(1, 3)):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html_page(rng)
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/{n}\r\n"
            f"WARC-Date: 2022-01-14T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:08d}-0000-0000-0000-000000000000>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
        ).encode()
        record = head + http + b"\r\n\r\n"
        out.write(gzip.compress(record) if rng.random() < 0.7 else record)
    return out.getvalue()


def strict_json_line(obj: Any) -> str:
    """The JSON line onrecord writes, checked: strict JSON, one line for every line splitter."""
    from onrecord import jsonlines

    line = jsonlines.dumps(obj)
    assert len(line.splitlines()) == 1, "a line separator inside a JSON line"

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    assert json.loads(line, parse_constant=refuse) == json.loads(json.dumps(obj))
    return line


def record_violations(record: dict[str, Any]) -> list[str]:
    """What a record breaks of the properties: evidence equal to its slice, offsets in range,
    the record's shape (store.check.validate_record), strict JSON."""
    found = validate_record(record)
    try:
        strict_json_line(record)
    except AssertionError as err:
        found.append(str(err))
    text = record["text"]
    for e in record.get("events", []):
        for key in ("trigger", "source", "target"):
            part = e.get(key) or {}
            if (
                isinstance(part.get("start"), int)
                and isinstance(part.get("text"), str)
                and text[part["start"] : part["end"]] != part["text"]
            ):
                found.append(f"event {key} {part['text']!r} is not its slice")
    for c in record.get("claims", []):
        q = c.get("quantity") or {}
        if isinstance(q.get("start"), int) and text[q["start"] : q["end"]] != q.get("text"):
            found.append(f"claim quantity {q.get('text')!r} is not its slice")
    return found
