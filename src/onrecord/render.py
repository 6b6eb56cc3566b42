"""Readable views of a record for the terminal: who said what, quotes shortened."""

from __future__ import annotations

import shutil
import textwrap
from typing import Any


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_BOUND = {"lower": "≥ ", "upper": "≤ ", "approx": "~"}


def _number(value: float, scale: tuple[float, str] | None) -> str:
    if scale is None:
        return f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"
    return f"{value / scale[0]:,.4g} {scale[1]}"


def quantity(q: dict[str, Any]) -> str:
    """A claim's value as a reader writes it: "USD 40-50 billion", "≥ 1.2 million", "15%", "100 t"."""
    value, high, unit = q.get("value"), q.get("high"), q.get("unit")
    if value is None:
        return "?"
    top = abs(high if high is not None else value)
    scale = next((s for s in _SCALES if top >= s[0]), None)
    if high is not None:
        low = _number(value, scale).removesuffix(f" {scale[1]}") if scale else _number(value, None)
        number = f"{low}–{_number(high, scale)}"
    else:
        number = f"{_BOUND.get(q.get('bound') or '', '')}{_number(value, scale)}"
    if unit in ("%",):
        return f"{number}%"
    if unit and len(unit) == 3 and unit.isupper():  # an ISO 4217 currency code
        return f"{unit} {number}"
    if unit == "money":
        return f"{number} (currency not named)"
    return f"{number} {unit}" if unit else number


def table(record: dict[str, Any], *, width: int | None = None) -> str:
    width = width or max(80, min(shutil.get_terminal_size((120, 24)).columns, 160))
    quote_w = max(30, width - 58)
    lines = []
    head = record.get("id") or "article"
    lines.append(f"{head}  (published {record.get('published') or 'unknown'}, {len(record['text']):,} characters)")
    lines.append("")
    lines.append(f"{'#':>3}  {'speaker':<26} {'kind':<8} {'cue':<14} quote")
    lines.append(f"{'-' * 3}  {'-' * 26} {'-' * 8} {'-' * 14} {'-' * quote_w}")
    for n, q in enumerate(record.get("quotes", []), 1):
        sp = q.get("speaker") or {}
        who = sp.get("name") or "(unknown)"
        if sp.get("mention") and sp["mention"]["text"] != sp.get("name"):
            who += f" [{sp['mention']['text']}]"
        elif sp.get("inherited"):
            who += " (cont.)"
        cue = (q.get("cue") or {}).get("text", "")
        lines.append(
            f"{n:>3}  {_short(who, 26):<26} {q['kind']:<8} {_short(cue, 14):<14} \u201c{_short(q['text'], quote_w - 2)}\u201d"
        )
    if not record.get("quotes"):
        lines.append("     (no quotes found)")
    ents = record.get("entities", [])
    people = [e for e in ents if e["type"] in ("PERSON", "ORG", "NORP", "EVENT")]
    if people:
        lines.append("")
        lines.append(
            "who: "
            + textwrap.shorten(
                "; ".join(f"{e['name']} ({e['type']}, {len(e['mentions'])}x)" for e in people), width=width * 3
            )
        )
    places = [e for e in ents if (e.get("geo") or {}).get("lat") is not None]
    if places:
        lines.append(
            "where: "
            + textwrap.shorten(
                "; ".join(
                    f"{e['name']} ({e['geo']['feature']}, {e['geo'].get('country') or '-'}, "
                    f"{e['geo']['lat']:.2f},{e['geo']['lon']:.2f})"
                    for e in places
                ),
                width=width * 3,
            )
        )
    focus = record.get("focus")
    if focus:
        lines.append(f"focus: {focus['country']}")
    times = record.get("timexes", [])
    if times:
        lines.append(
            "when: "
            + textwrap.shorten("; ".join(f"{t['text']} = {t.get('value') or '?'}" for t in times), width=width * 3)
        )
    for c in record.get("claims", []):
        q = c["quantity"]
        source = (c.get("source") or {}).get("name") or "(unsourced)"
        lines.append(
            f"claim: {q['text']} [{quantity(q)}] {c.get('counted') or ''} "
            f"{c.get('predicate') or ''} — {source}".replace("  ", " ")
        )
    for ev in record.get("events", []):
        src = ev.get("source") or {}
        tgt = ev.get("target") or {}
        who = f"{src.get('name') or '?'}{' (' + src['code'] + ')' if src.get('code') else ''}"
        whom = f"{tgt.get('name') or '?'}{' (' + tgt['code'] + ')' if tgt.get('code') else ''}"
        lines.append(
            f"event: {ev['type']:<9} {_short(who, 30)} -> {_short(whom, 30)}  "
            f"“{_short(ev['text'], 50)}”{' [' + ev['mode'] + ']' if ev.get('mode') != 'asserted' else ''}"
        )
    for p in record.get("problems", []):
        at = f" at {p['start']}" if p.get("start") is not None else ""
        lines.append(f"problem ({p['stage']}{at}): {p['message']}")
    return "\n".join(lines)
