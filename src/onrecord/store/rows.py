"""A record -> the rows a store indexes: quotes, claims, events and entities, each dated.

Pure Python and no SQL, so every backend (SQLite now, PostgreSQL next) indexes a record
the same way.

When an item happened, and the sentence that shows it, is what the record says: each quote,
claim and event carries ``dated`` from the dating stage (``onrecord.dating``), which reads
the parser's sentences and the time stage's expressions. The store splits no sentences of
its own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from .. import lexicons

_PRONOUNS = frozenset(p["form"] for p in lexicons.pronouns())  # a one-word "name" that is one is no alias
_WORD = re.compile(r"\w+")


def item_date(
    record: dict[str, Any], item: dict[str, Any], start: int, end: int
) -> tuple[str | None, str, tuple[int, int]]:
    """(date, date_source, evidence sentence) of an item: its ``dated``, set by the dating
    stage. A record made without that stage (``--stages``, or an extractor before 0.1.0 was released) has
    none: the item is then dated by publication, with its own span as the sentence."""
    dated = item.get("dated")
    if isinstance(dated, dict) and isinstance(dated.get("sentence"), dict):
        sentence = dated["sentence"]
        return dated.get("date"), str(dated.get("source") or "published"), (sentence["start"], sentence["end"])
    return record.get("published"), "published", (start, end)


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
    """The keys an entity may be asked for by: its name, every mention that names it (no
    pronouns, nothing lower-case such as "the official"), and a person's surname."""
    keys = {name_key(entity.get("name"))}
    for m in entity.get("mentions") or []:
        words = str(m.get("text") or "").split()
        pronoun = len(words) == 1 and words[0].lower() in _PRONOUNS and not words[0].isupper()  # "WHO" is a body
        if words and words[-1][:1].isupper() and not pronoun:
            keys.add(name_key(" ".join(words)))
    name = str(entity.get("name") or "").split()
    if entity.get("type") == "PERSON" and len(name) >= 2 and name[-1][:1].isupper():
        # "quotes --speaker Persson" for Göran Persson, though the article wrote the full name
        keys.add(name_key(name[-1]))
    keys.discard(None)
    return keys  # type: ignore[return-value]


def _name(part: dict[str, Any] | None) -> str | None:
    return (part or {}).get("name")


def quote_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
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
        date, source, sentence = item_date(record, q, lo, hi)
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
                "sentence": sentence,
                "key": quote_key(text, speaker),
            }
        )
    return rows


def claim_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n, c in enumerate(record.get("claims") or [], 1):
        quantity = c.get("quantity") or {}
        date, source, sentence = item_date(record, c, c["start"], c["end"])
        name = _name(c.get("source"))
        rows.append(
            {
                "n": n,
                "text": _slice(record["text"], c["start"], c["end"], c.get("text")),
                "value": quantity.get("value"),
                "bound": quantity.get("bound"),
                "unit": quantity.get("unit"),
                "high": quantity.get("high"),
                "counted": c.get("counted"),
                "source": name,
                "source_key": name_key(name),
                "start": c["start"],
                "end": c["end"],
                "date": date,
                "date_source": source,
                "sentence": sentence,
                "key": quote_key(c.get("text") or "", name),
            }
        )
    return rows


def event_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for n, e in enumerate(record.get("events") or [], 1):
        src, tgt = e.get("source") or {}, e.get("target") or {}
        date, source, sentence = item_date(record, e, e["start"], e["end"])
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
