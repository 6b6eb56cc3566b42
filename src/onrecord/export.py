"""Exports of records: JSONL (whole records), CSV (one row per quote, claim or event) and
FollowTheMoney entities (the data model of Aleph), each streamed, so a corpus of millions of
articles is written in constant memory (the FtM export keeps one set of entity ids).

They read plain record dicts (``Record.to_dict()``, or what ``Store.records()`` yields), so
they need no database. Every function returns the number of lines (or CSV rows) written.

Item ids are stable: ``<article_id>#q<n>`` / ``#c<n>`` / ``#e<n>``, where ``n`` is the item's
place in the record's ``quotes`` / ``claims`` / ``events`` list, counting from 1 (the store's
QuoteRow, ClaimRow and EventRow ids are the same), so two exports of one record agree.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from . import jsonlines
from .store.rows import Dater

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
    "item_id",         # "<article_id>#q<n>" | "#c<n>" | "#e<n>": n = place in the record's list, from 1
    "item_type",       # "quote" | "claim" | "event"
    "article_id",      # the record's "id" as ingested
    "url",             # the article's URL (the link back), when known
    "title",
    "published",       # YYYY-MM-DD, the article's publication date
    "date",            # when it happened, YYYY-MM-DD: the full date in the item's sentence, else published
    "date_source",     # "text" (resolved from the item's sentence) | "published" (the fallback)
    "start",           # character offsets into the record's "text" (end-exclusive);
    "end",             #   a multi-span quote runs from its first span's start to its last's end
    "spans",           # every span as "start-end;start-end" (quotes; one span for claims/events)
    "text",            # record text[start:end], verbatim: the evidence
    "quote",           # quotes: the quoted words only (spans joined with " ... ")
    "kind",            # quotes: direct | indirect | mixed; events: the PLOVER type
    "speaker",         # quotes: canonical speaker name (empty: unknown)
    "speaker_entity",  # quotes: the speaker's entity id in the record ("e5")
    "cue",             # quotes: the reporting verb or phrase ("said", "according to")
    "source",          # claims and events: who claims / who acts (name)
    "source_entity",
    "source_code",     # events: ISO 3166 alpha-3 (or "IGO") of the source actor
    "target",          # events: the acted-upon (name)
    "target_entity",
    "target_code",
    "value",           # claims: the number
    "bound",           # claims: exact | lower | upper | approx
    "counted",         # claims: what is counted ("Uyghurs")
    "quantity",        # claims: the quantity as written ("at least 1 million")
    "version",         # the extractor version that made the item ("quotes.v1")
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
    dater = Dater(record) if text else None
    for item_type in _WHAT[what]:
        for n, item in enumerate(record.get(_LIST[item_type]) or [], 1):
            row: Row = {col: "" for col in CSV_COLUMNS}
            row.update(_article_columns(record))
            row["item_id"] = item_id(record, item_type, n)
            row["item_type"] = item_type
            row["version"] = (record.get("versions") or {}).get(_LIST[item_type], "")
            spans = _spans(item, item_type)
            if spans:
                start, end = spans[0][0], spans[-1][1]
                row.update(start=start, end=end, text=text[start:end],
                           spans=";".join(f"{s}-{e}" for s, e in spans))
                if dater is not None:
                    row["date"], row["date_source"] = _item_date(dater, item, item_type, start, end)
            row.update(_ITEM_COLUMNS[item_type](item))
            yield {k: ("" if v is None else v) for k, v in row.items()}


def item_id(record: dict[str, Any], item_type: str, n: int) -> str:
    """The stable id of the n-th (counting from 1) quote / claim / event of a record."""
    return f"{record.get('id') or record.get('sha256') or ''}#{_LETTER[item_type]}{n}"


def _article_columns(record: dict[str, Any]) -> Row:
    return {"article_id": record.get("id") or "", "url": record.get("url") or "",
            "title": record.get("title") or "", "published": record.get("published") or ""}


def _spans(item: dict[str, Any], item_type: str) -> list[tuple[int, int]]:
    if item_type == "quote":
        return [(s["start"], s["end"]) for s in item.get("spans") or []]
    if item.get("start") is None or item.get("end") is None:
        return []
    return [(item["start"], item["end"])]


def _quote_columns(q: dict[str, Any]) -> Row:
    speaker = q.get("speaker") or {}
    return {"quote": q.get("text"), "kind": q.get("kind"), "speaker": speaker.get("name"),
            "speaker_entity": speaker.get("entity"), "cue": (q.get("cue") or {}).get("text")}


def _claim_columns(c: dict[str, Any]) -> Row:
    source = c.get("source") or {}
    quantity = c.get("quantity") or {}
    return {"source": source.get("name"), "source_entity": source.get("entity"),
            "value": quantity.get("value"), "bound": quantity.get("bound"),
            "quantity": quantity.get("text"), "counted": c.get("counted")}


def _event_columns(e: dict[str, Any]) -> Row:
    source, target = e.get("source") or {}, e.get("target") or {}
    return {"kind": e.get("type"),
            "source": source.get("name"), "source_entity": source.get("entity"), "source_code": source.get("code"),
            "target": target.get("name"), "target_entity": target.get("entity"), "target_code": target.get("code")}


_ITEM_COLUMNS = {"quote": _quote_columns, "claim": _claim_columns, "event": _event_columns}


# --- when an item happened ---------------------------------------------------------------

def _item_date(dater: Dater, item: dict[str, Any], item_type: str, start: int, end: int) -> tuple[str | None, str]:
    """(date, date_source) by the store's rule (``store.rows.Dater``), so a CSV row and the
    store's row of one item agree: an event's own ``when``, else the nearest full date in the
    sentence(s) of the item and, for a quote, of its speaker and cue, else the publication date."""
    if item_type == "event":
        return dater.date(start, end, own=(item.get("when") or {}).get("value"))
    if item_type == "quote":
        parts = [p for p in ((item.get("speaker") or {}).get("mention"), item.get("cue"))
                 if isinstance(p, dict) and p.get("start") is not None]
        start = min([start] + [p["start"] for p in parts])
        end = max([end] + [p["end"] for p in parts])
    return dater.date(start, end)


# ---------------------------------------------------------------------------------------
# FollowTheMoney
# ---------------------------------------------------------------------------------------

#: entity type -> FtM schema. Places become Address entities (the FtM schema that holds a
#: name, a country and coordinates); other types (NORP, EVENT, ...) are only listed in the
#: article's ``namesMentioned``.
FTM_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "GPE": "Address", "LOC": "Address", "FAC": "Address"}
_BODY_CHUNK = 60_000          # FtM text values are capped at 65,000 characters each
_ID_PREFIX = "onrecord"


def write_ftm(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    """FollowTheMoney entities as JSON lines (``ftm``/``aleph`` load them as they are).

    Per article: an Article; a Person / Organization / Address for each person, organisation
    and place; a Mention (document -> resolved entity, as Aleph's own name extraction makes)
    for each person and organisation; a Documentation (role "place mentioned") for each
    place; and a Documentation (role "quoted (direct)" etc., summary = the quoted words,
    date = when it was said) for each quote whose speaker is a person or organisation.

    Entity ids depend on the schema and the canonical name only (places: and the country), so
    the same person in many articles is one FtM entity, and Aleph merges the evidence; every
    entity is validated against the model before it is written.
    """
    seen: set[str] = set()      # shared entities (persons, ...) are written once per export
    n = 0
    for record in records:
        for proxy in ftm_entities(record):
            if proxy.id in seen:
                continue
            if not proxy.schema.name.startswith(("Article", "Mention", "Documentation")):
                seen.add(str(proxy.id))
            out.write(jsonlines.dumps(proxy.to_dict(), sort_keys=True) + "\n")
            n += 1
    return n


def ftm_entities(record: dict[str, Any]) -> Iterator[EntityProxy]:
    """The FtM entities of one record, each validated (``InvalidData`` names any fault)."""
    if not record.get("text"):
        return
    article = _ftm_article(record)
    by_entity: dict[str, EntityProxy] = {}
    for entity in record.get("entities") or []:
        proxy = ftm_entity(entity)
        if proxy is not None:
            by_entity[entity["id"]] = proxy
    made = [article, *by_entity.values()]
    for entity in record.get("entities") or []:
        proxy = by_entity.get(entity["id"])
        if proxy is not None:
            made.append(_ftm_link(record, article, entity, proxy))
    dater = Dater(record)
    for n, quote in enumerate(record.get("quotes") or [], 1):
        speaker = by_entity.get((quote.get("speaker") or {}).get("entity") or "")
        if speaker is not None and speaker.schema.is_a("LegalEntity"):
            made.append(_ftm_quote(record, article, n, quote, speaker, dater))
    ids: set[str] = set()       # two record entities of one name and type are one FtM entity
    for proxy in made:
        if proxy.id in ids:
            continue
        ids.add(str(proxy.id))
        proxy.schema.validate(proxy.to_dict())  # type: ignore[arg-type]  # to_dict() is the data it checks
        yield proxy


def ftm_entity(entity: dict[str, Any]) -> EntityProxy | None:
    """The FtM entity of a record entity (Person, Organization or Address), or None for
    types FtM has no entity for. Its id is the same in every article that names it."""
    schema = FTM_SCHEMA.get(entity.get("type") or "")
    name = " ".join((entity.get("name") or "").split())
    if schema is None or not name:
        return None
    proxy = model.make_entity(schema)
    geo = entity.get("geo") or {}
    country = (geo.get("country") or "").lower()
    proxy.make_id(_ID_PREFIX, schema, name.casefold(), country if schema == "Address" else "")
    proxy.add("name", name)
    if schema == "Address":
        proxy.add("full", name)
        proxy.add("country", country or None)
        if geo.get("lat") is not None and geo.get("lon") is not None:
            proxy.add("latitude", str(geo["lat"]))     # as text: FtM rounds floats to 2 places
            proxy.add("longitude", str(geo["lon"]))
    return proxy


def _ftm_article(record: dict[str, Any]) -> EntityProxy:
    text = record["text"]
    article = model.make_entity("Article")
    article.make_id(_ID_PREFIX, "article", record.get("id") or record.get("sha256") or text)
    article.add("title", record.get("title") or None)
    article.add("author", record.get("author") or None)
    article.add("publishedAt", _date_prefix(record.get("published")))
    url = record.get("url") or (record.get("id") if str(record.get("id") or "").startswith(("http://", "https://")) else None)
    article.add("sourceUrl", url)
    article.add("fileName", None if url else record.get("id"))
    # FtM checksums are SHA-1 (Aleph's content hashes): this one is of the record's text
    article.add("contentHash", hashlib.sha1(text.encode("utf-8")).hexdigest())
    article.add("bodyText", list(_chunks(text)))
    article.add("detectedLanguage", record.get("language") or "en")
    article.add("detectedCountry", ((record.get("focus") or {}).get("country") or "").lower() or None)
    article.add("generator", "onrecord " + (record.get("versions") or {}).get("onrecord", ""))
    for entity in record.get("entities") or []:
        prop = {"PERSON": "peopleMentioned", "ORG": "companiesMentioned"}.get(entity.get("type"), "namesMentioned")
        if entity.get("type") in ("GPE", "LOC", "FAC"):
            prop = "locationMentioned"
        article.add(prop, entity.get("name") or None)
    return article


def _chunks(text: str) -> Iterator[str]:
    """The text in pieces FtM accepts (at most 60,000 characters), cut at white space, as
    FtM strips the ends of every value: whole, but for the white space at the cuts."""
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= _BODY_CHUNK else start + _BODY_CHUNK
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut if cut > start else end
        yield text[start:end]
        start = end


def _ftm_link(record: dict[str, Any], article: EntityProxy, entity: dict[str, Any], proxy: EntityProxy) -> EntityProxy:
    """A person's or organisation's Mention in the article; a place's Documentation."""
    if proxy.schema.is_a("LegalEntity"):
        link = model.make_entity("Mention")
        link.make_id(_ID_PREFIX, "mention", str(article.id), str(proxy.id))
        link.add("document", article)
        link.add("resolved", proxy)
        link.add("name", proxy.get("name"))
        link.add("detectedSchema", proxy.schema.name)
        link.add("contextCountry", article.get("detectedCountry"))
        return link
    link = model.make_entity("Documentation")
    link.make_id(_ID_PREFIX, "place", str(article.id), str(proxy.id))
    link.add("document", article)
    link.add("entity", proxy)
    link.add("role", "place mentioned")
    link.add("date", _date_prefix(record.get("published")))
    return link


def _date_prefix(value: str | None) -> str | None:
    """The part of a TIMEX3 value FtM dates hold: "2022-H1" -> "2022", "2021-09-13" stays."""
    match = re.match(r"\d{4}(-\d\d(-\d\d)?)?", value or "")
    return match.group() if match else None


def _ftm_quote(record: dict[str, Any], article: EntityProxy, n: int, quote: dict[str, Any],
               speaker: EntityProxy, dater: Dater) -> EntityProxy:
    """A quote as a Documentation of its speaker by the article: role "quoted (kind)",
    summary the quoted words, recordId the CSV item id, date when it was said."""
    link = model.make_entity("Documentation")
    rid = item_id(record, "quote", n)
    link.make_id(_ID_PREFIX, "quote", str(article.id), str(n))
    link.add("document", article)
    link.add("entity", speaker)
    link.add("role", f"quoted ({quote.get('kind') or 'unknown'})")
    link.add("summary", quote.get("text") or None)
    link.add("recordId", rid)
    spans = _spans(quote, "quote")
    if spans:
        when, _ = _item_date(dater, quote, "quote", spans[0][0], spans[-1][1])
        link.add("date", _date_prefix(when))
    return link
