"""A record -> the rows a store indexes: quotes, claims, events and entities, each dated.

Pure Python and no SQL, so every backend (SQLite now, PostgreSQL next) indexes a record
the same way.

When an item happened: the TIMEX3 date of its own sentence, else the article's publication
date (``date_source`` "published"). Sentences come from a small splitter over the record's
text (line breaks, and ``.?!`` followed by a capital or an opening quotation mark, not after
a known abbreviation or an initial), not from the parser: the store must date records it did
not parse, and a boundary wrong by one abbreviation moves a date by one sentence at worst.
Within the sentence the nearest full-date timex (``YYYY-MM-DD``) to the item wins; an event's
own ``when`` comes first when the extractor resolved one to a day.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BOUNDARY = re.compile(r"\n+|(?<=[.!?])([\"”’')\]]*)\s+(?=[\"“‘(\[]?[A-Z])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col capt sgt sen rep gov pres st jr sr rev no vs etc inc
    corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s u.n u.k e.u""".split()
)
_PRONOUNS = frozenset("he she it they we i you him her them his its their this that who".split())
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: a simple splitter, see the module docstring."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] != "\n" and _abbreviation_before(text, m.start()):
            continue
        end = m.start() + len(m.group(1) or "")
        if end > start:
            out.append((start, end))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out or [(0, len(text))]


def _abbreviation_before(text: str, end: int) -> bool:
    word = text[max(0, end - 6) : end].rstrip("\"”’')]").rsplit(None, 1)[-1:] or [""]
    token = word[0].rstrip(".").lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


class Dater:
    """Resolves when an item in one record happened (see the module docstring)."""

    def __init__(self, record: dict[str, Any]) -> None:
        text = record.get("text") or ""
        self.published = record.get("published")
        self.sents = sentences(text)
        self._starts = [s for s, _ in self.sents]
        self.timexes = sorted(
            (t["start"], t["end"], t["value"])
            for t in record.get("timexes") or []
            if t.get("type") == "DATE" and FULL_DATE.match(str(t.get("value") or ""))
        )

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence(s) that hold [start, end)."""
        first = self.sents[max(0, bisect_right(self._starts, start) - 1)]
        last = self.sents[max(0, bisect_right(self._starts, max(start, end - 1)) - 1)]
        return first[0], max(last[1], first[1])

    def date(
        self, start: int, end: int, *, own: str | None = None, inside: Sequence[tuple[int, int]] = ()
    ) -> tuple[str | None, str]:
        """(date, date_source) for an item at [start, end); ``own`` is a date the extractor gave it;
        dates within ``inside`` (a quote's own words: what it talks about, not when it was said)
        do not count."""
        if own and FULL_DATE.match(own):
            return own, "text"
        s_start, s_end = self.sentence(start, end)
        best: tuple[int, str] | None = None
        for t_start, t_end, value in self.timexes:
            if any(a <= t_start and t_end <= b for a, b in inside):
                continue
            if t_start >= s_start and t_end <= s_end:
                distance = max(0, t_start - end, start - t_end)
                if best is None or distance < best[0]:
                    best = (distance, value)
        if best:
            return best[1], "text"
        return self.published, "published"


def name_key(name: str | None) -> str | None:
    """How names are compared: case-folded, spaces collapsed, a leading "the" and a trailing "'s" dropped."""
    if not name:
        return None
    key = " ".join(name.casefold().replace("’", "'").split())
    key = re.sub(r"^the ", "", key)
    key = re.sub(r"'s?$", "", key)
    return key or None


def quote_key(text: str, speaker: str | None) -> int:
    """Copies of one quote (in syndicated copies of a story) share this key: its words and speaker."""
    words = " ".join(_WORD.findall(text.casefold()))
    digest = hashlib.blake2b(f"{name_key(speaker) or ''}|{words}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _slice(full: str, start: int, end: int, text: str | None) -> str | None:
    """``text``, or None when it is exactly full[start:end] (the store keeps the article's text once)."""
    return None if text == full[start:end] else text


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """The record without the strings its offsets give back: a ``text`` that is exactly
    text[start:end] (or, on a quote, its spans joined with " ... ") becomes 0."""

    def change(obj: dict[str, Any], full: str) -> Any:
        t = obj["text"]
        return 0 if isinstance(t, str) and _derived(obj, full) == t else t

    return _map_texts(record, change)


def expand(record: dict[str, Any]) -> dict[str, Any]:
    """compact() undone."""

    def change(obj: dict[str, Any], full: str) -> Any:
        t = obj["text"]
        return _derived(obj, full) if t == 0 and not isinstance(t, bool) else t

    return _map_texts(record, change)


def _map_texts(record: dict[str, Any], change: Callable[[dict[str, Any], str], Any]) -> dict[str, Any]:
    """The record with every nested item's ``text`` replaced by change(item, the record's text)."""
    full = record.get("text") or ""

    def walk(obj: Any) -> Any:
        if isinstance(obj, list):
            return [walk(x) for x in obj]
        if not isinstance(obj, dict):
            return obj
        out = {k: walk(v) for k, v in obj.items()}
        if "text" in obj:
            out["text"] = change(obj, full)
        return out

    return {k: (v if k == "text" else walk(v)) for k, v in record.items()}


def _derived(obj: dict[str, Any], full: str) -> str | None:
    spans = obj.get("spans")
    if (
        isinstance(spans, list)
        and spans
        and all(
            isinstance(s, dict) and isinstance(s.get("start"), int) and isinstance(s.get("end"), int) for s in spans
        )
    ):
        return " ... ".join(full[s["start"] : s["end"]] for s in spans)
    start, end = obj.get("start"), obj.get("end")
    if isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool):
        return full[start:end]
    return None


def aliases(entity: dict[str, Any]) -> set[str]:
    """The keys an entity may be asked for by: its name and every mention that names it
    (no pronouns, nothing lower-case such as "the official")."""
    keys = {name_key(entity.get("name"))}
    for m in entity.get("mentions") or []:
        words = str(m.get("text") or "").split()
        if words and words[-1][:1].isupper() and not (len(words) == 1 and words[0].lower() in _PRONOUNS):
            keys.add(name_key(" ".join(words)))
    keys.discard(None)
    return keys  # type: ignore[return-value]


def _name(part: dict[str, Any] | None) -> str | None:
    return (part or {}).get("name")


def quote_rows(record: dict[str, Any], dater: Dater) -> list[dict[str, Any]]:
    rows = []
    for n, q in enumerate(record.get("quotes") or [], 1):
        spans = q.get("spans") or []
        if not spans:
            continue
        start, end = min(s["start"] for s in spans), max(s["end"] for s in spans)
        cue = q.get("cue") or {}
        mention = (q.get("speaker") or {}).get("mention") or {}
        lo = min([start] + [x["start"] for x in (cue, mention) if x.get("start") is not None])
        hi = max([end] + [x["end"] for x in (cue, mention) if x.get("end") is not None])
        date, source = dater.date(lo, hi, inside=[(s["start"], s["end"]) for s in spans])
        speaker = _name(q.get("speaker"))
        text = q.get("text") or " ... ".join(record["text"][s["start"] : s["end"]] for s in spans)
        rows.append(
            {
                "n": n,
                "kind": q.get("kind"),
                "text": _slice(record["text"], start, end, text),
                "key_text": text,
                "spans": [{"start": s["start"], "end": s["end"]} for s in spans] if len(spans) > 1 else None,
                "speaker": speaker,
                "speaker_key": name_key(speaker),
                "speaker_entity": (q.get("speaker") or {}).get("entity"),
                "cue": cue.get("text"),
                "start": start,
                "end": end,
                "date": date,
                "date_source": source,
                "sentence": dater.sentence(lo, hi),
                "key": quote_key(text, speaker),
            }
        )
    return rows


def claim_rows(record: dict[str, Any], dater: Dater) -> list[dict[str, Any]]:
    rows = []
    for n, c in enumerate(record.get("claims") or [], 1):
        quantity = c.get("quantity") or {}
        date, source = dater.date(c["start"], c["end"])
        name = _name(c.get("source"))
        rows.append(
            {
                "n": n,
                "text": _slice(record["text"], c["start"], c["end"], c.get("text")),
                "value": quantity.get("value"),
                "bound": quantity.get("bound"),
                "counted": c.get("counted"),
                "source": name,
                "source_key": name_key(name),
                "start": c["start"],
                "end": c["end"],
                "date": date,
                "date_source": source,
                "sentence": dater.sentence(c["start"], c["end"]),
                "key": quote_key(c.get("text") or "", name),
            }
        )
    return rows


def event_rows(record: dict[str, Any], dater: Dater) -> list[dict[str, Any]]:
    rows = []
    for n, e in enumerate(record.get("events") or [], 1):
        src, tgt = e.get("source") or {}, e.get("target") or {}
        date, source = dater.date(e["start"], e["end"], own=(e.get("when") or {}).get("value"))
        sentence = dater.sentence(e["start"], e["end"])
        rows.append(
            {
                "n": n,
                "type": e.get("type"),
                "text": _slice(record["text"], e["start"], e["end"], e.get("text")),
                "source": src.get("name"),
                "source_key": name_key(src.get("name")),
                "source_code": src.get("code"),
                "target": tgt.get("name"),
                "target_key": name_key(tgt.get("name")),
                "target_code": tgt.get("code"),
                "start": e["start"],
                "end": e["end"],
                "date": date,
                "date_source": source,
                "sentence": sentence,
                "key": quote_key(f"{e.get('type')} {record['text'][sentence[0] : sentence[1]]}", None),
            }
        )
    return rows


def entity_rows(record: dict[str, Any], quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    quoted: dict[str, int] = {}
    for q in quotes:
        if q["speaker_entity"]:
            quoted[q["speaker_entity"]] = quoted.get(q["speaker_entity"], 0) + 1
    rows = []
    for e in record.get("entities") or []:
        key = name_key(e.get("name"))
        if key:
            rows.append(
                {
                    "eid": e.get("id"),
                    "name": e["name"],
                    "name_key": key,
                    "type": e.get("type"),
                    "mentions": len(e.get("mentions") or []),
                    "quoted": quoted.get(e.get("id"), 0),
                    "aliases": sorted(aliases(e)),
                }
            )
    return rows
