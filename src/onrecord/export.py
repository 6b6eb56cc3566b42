"""Exports of records: JSONL (whole records) and CSV (one row per quote, claim or event), each
streamed, so a corpus of millions of articles is written in constant memory. FollowTheMoney
entities (the data model of Aleph) are in export_ftm.py, an optional extra.

They read plain record dicts (``Record.to_dict()``, or what ``Store.records()`` yields), so
they need no database. Every function returns the number of lines (or CSV rows) written.

Item ids are stable: ``<article_id>#q<n>`` / ``#c<n>`` / ``#e<n>``, where ``n`` is the item's
place in the record's ``quotes`` / ``claims`` / ``events`` list, counting from 1 (the store's
QuoteRow, ClaimRow and EventRow ids are the same), so two exports of one record agree.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from . import jsonlines
from .store.rows import item_date

Row = dict[str, Any]

# ---------------------------------------------------------------------------------------
# JSONL
# ---------------------------------------------------------------------------------------


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Every record whole, one JSON object per line (UTF-8 as is, not \\u-escaped)."""
    n = 0
    for record in records:
        out.write(jsonlines.dumps(record) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------

#: The CSV columns, in order. Empty where a column does not apply to the row's item type.
CSV_COLUMNS: tuple[str, ...] = (
    "item_id",  # "<article_id>#q<n>" | "#c<n>" | "#e<n>": n = place in the record's list, from 1
    "item_type",  # "quote" | "claim" | "event"
    "article_id",  # the record's "id" as ingested
    "url",  # the article's URL (the link back), when known
    "title",
    "published",  # YYYY-MM-DD, the article's publication date
    "date",  # when it happened, YYYY-MM-DD: the full date in the item's sentence, else published
    "date_source",  # "text" (resolved from the item's sentence) | "published" (the fallback)
    "start",  # character offsets into the record's "text" (end-exclusive);
    "end",  #   a multi-span quote runs from its first span's start to its last's end
    "spans",  # every span as "start-end;start-end" (quotes; one span for claims/events)
    "text",  # record text[start:end], verbatim: the evidence
    "quote",  # quotes: the quoted words only (spans joined with " ... ")
    "kind",  # quotes: direct | indirect | mixed; events: the PLOVER type
    "speaker",  # quotes: canonical speaker name (empty: unknown)
    "speaker_entity",  # quotes: the speaker's entity id in the record ("e5")
    "cue",  # quotes: the reporting verb or phrase ("said", "according to")
    "source",  # claims and events: who claims / who acts (name)
    "source_entity",
    "source_code",  # events: ISO 3166 alpha-3 (or "IGO") of the source actor
    "target",  # events: the acted-upon (name)
    "target_entity",
    "target_code",
    "source_sector",  # events: the Phoenix sector or role of the source ("GOV", "COP", "MED")
    "target_sector",
    "value",  # claims: the number
    "bound",  # claims: exact | lower | upper | approx
    "unit",  # claims: "%", "pp", an ISO 4217 code ("USD"), a unit symbol ("t", "km"), "money" or empty (a count)
    "high",  # claims: the top of a range ("40-50bn"), value being its low end
    "counted",  # claims: what is counted ("Uyghurs")
    "quantity",  # claims: the quantity as written ("at least 1 million")
    "version",  # the extractor version that made the item ("quotes.v1")
)

_WHAT = {"quotes": ("quote",), "claims": ("claim",), "events": ("event",), "all": ("quote", "claim", "event")}
_LIST = {"quote": "quotes", "claim": "claims", "event": "events"}
_LETTER = {"quote": "q", "claim": "c", "event": "e"}


def write_csv(records: Iterable[dict[str, Any]], out: TextIO, *, what: str = "all") -> int:
    """One CSV row per quote, claim and/or event (``what``: quotes | claims | events | all),
    with the columns of ``CSV_COLUMNS``. Open ``out`` with ``newline=""`` (the csv module's
    rule): texts may hold line breaks, which are quoted, not lost.

    Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return: OWASP's list) get a leading ``'``, which spreadsheets
    show as text; numbers (offsets, values such as -3.5) are written as numbers."""
    if what not in _WHAT:
        raise ValueError(f"what={what!r}: choose one of {', '.join(_WHAT)}")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="raise")
    writer.writeheader()
    n = 0
    for record in records:
        for row in csv_rows(record, what=what):
            writer.writerow({k: _inert(v) for k, v in row.items()})
            n += 1
    return n


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text cell that cannot become a spreadsheet formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_rows(record: dict[str, Any], *, what: str = "all") -> Iterator[Row]:
    """The CSV rows of one record (dicts keyed by ``CSV_COLUMNS``; missing values are "")."""
    text = record.get("text") or ""
    for item_type in _WHAT[what]:
        for n, item in enumerate(record.get(_LIST[item_type]) or [], 1):
            row: Row = dict.fromkeys(CSV_COLUMNS, "")
            row.update(_article_columns(record))
            row["item_id"] = item_id(record, item_type, n)
            row["item_type"] = item_type
            row["version"] = (record.get("versions") or {}).get(_LIST[item_type], "")
            spans = _spans(item, item_type)
            if spans:
                start, end = spans[0][0], spans[-1][1]
                row.update(start=start, end=end, text=text[start:end], spans=";".join(f"{s}-{e}" for s, e in spans))
                row["date"], row["date_source"], _ = item_date(record, item, start, end)
            row.update(_ITEM_COLUMNS[item_type](item))
            yield {k: ("" if v is None else v) for k, v in row.items()}


def item_id(record: dict[str, Any], item_type: str, n: int) -> str:
    """The stable id of the n-th (counting from 1) quote / claim / event of a record."""
    return f"{record.get('id') or record.get('sha256') or ''}#{_LETTER[item_type]}{n}"


def _article_columns(record: dict[str, Any]) -> Row:
    return {
        "article_id": record.get("id") or "",
        "url": record.get("url") or "",
        "title": record.get("title") or "",
        "published": record.get("published") or "",
    }


def _spans(item: dict[str, Any], item_type: str) -> list[tuple[int, int]]:
    if item_type == "quote":
        return [(s["start"], s["end"]) for s in item.get("spans") or []]
    if item.get("start") is None or item.get("end") is None:
        return []
    return [(item["start"], item["end"])]


def _quote_columns(q: dict[str, Any]) -> Row:
    speaker = q.get("speaker") or {}
    return {
        "quote": q.get("text"),
        "kind": q.get("kind"),
        "speaker": speaker.get("name"),
        "speaker_entity": speaker.get("entity"),
        "cue": (q.get("cue") or {}).get("text"),
    }


def _claim_columns(c: dict[str, Any]) -> Row:
    source = c.get("source") or {}
    quantity = c.get("quantity") or {}
    return {
        "source": source.get("name"),
        "source_entity": source.get("entity"),
        "value": quantity.get("value"),
        "bound": quantity.get("bound"),
        "unit": quantity.get("unit"),
        "high": quantity.get("high"),
        "quantity": quantity.get("text"),
        "counted": c.get("counted"),
    }


def _event_columns(e: dict[str, Any]) -> Row:
    source, target = e.get("source") or {}, e.get("target") or {}
    return {
        "kind": e.get("type"),
        "source": source.get("name"),
        "source_entity": source.get("entity"),
        "source_code": source.get("code"),
        "target": target.get("name"),
        "target_entity": target.get("entity"),
        "target_code": target.get("code"),
        "source_sector": source.get("sector"),
        "target_sector": target.get("sector"),
    }


_ITEM_COLUMNS = {"quote": _quote_columns, "claim": _claim_columns, "event": _event_columns}


# ---------------------------------------------------------------------------------------
# FollowTheMoney
# ---------------------------------------------------------------------------------------
