"""FollowTheMoney export (the data model of Aleph): a record's entities, its article and its
quotes as FtM entities, streamed one per line.

Kept apart from export.py because followthemoney is an optional extra
(``pip install 'onrecord[ftm]'``): ``onrecord extract`` and the JSONL and CSV exports do
not need it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy

from . import jsonlines
from .export import _spans, item_id
from .store.rows import item_date, name_key

#: entity type -> FtM schema. Places become Address entities (the FtM schema that holds a
#: name, a country and coordinates); other types (NORP, EVENT, ...) are only listed in the
#: article's ``namesMentioned``.
FTM_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "GPE": "Address", "LOC": "Address", "FAC": "Address"}
_BODY_CHUNK = 60_000  # FtM text values are capped at 65,000 characters each
_ID_PREFIX = "onrecord"


def write_ftm(records: Iterable[dict[str, Any]], out: TextIO, same_as: Mapping[str, str] | None = None) -> int:
    """FollowTheMoney entities as JSON lines (``ftm``/``aleph`` load them as they are).

    Per article: an Article; a Person / Organization / Address for each person, organisation
    and place; a Mention (document -> resolved entity, as Aleph's own name extraction makes)
    for each person and organisation; a Documentation (role "place mentioned") for each
    place; and a Documentation (role "quoted (direct)" etc., summary = the quoted words,
    date = when it was said) for each quote whose speaker is a person or organisation.

    Entity ids depend on the schema and the canonical name only (places: and the country), so
    the same person in many articles is one FtM entity, and Aleph merges the evidence; every
    entity is validated against the model before it is written. ``same_as`` (a store's
    ``canonical_names``: name key -> full name) names a person the article calls by surname
    alone by the full name the corpus gives, so "Trump" and "Donald Trump" are one entity.
    """
    seen: set[str] = set()  # shared entities (persons, ...) are written once per export
    n = 0
    for record in records:
        for proxy in ftm_entities(_renamed(record, same_as) if same_as else record):
            if proxy.id in seen:
                continue
            if not proxy.schema.name.startswith(("Article", "Mention", "Documentation")):
                seen.add(str(proxy.id))
            out.write(jsonlines.dumps(proxy.to_dict(), sort_keys=True) + "\n")
            n += 1
    return n


def _renamed(record: dict[str, Any], same_as: Mapping[str, str]) -> dict[str, Any]:
    """The record with its persons named as ``same_as`` says (the record itself unchanged)."""
    entities = []
    for entity in record.get("entities") or []:
        full = same_as.get(name_key(entity.get("name")) or "") if entity.get("type") == "PERSON" else None
        entities.append({**entity, "name": full} if full else entity)
    return {**record, "entities": entities}


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
    for n, quote in enumerate(record.get("quotes") or [], 1):
        speaker = by_entity.get((quote.get("speaker") or {}).get("entity") or "")
        if speaker is not None and speaker.schema.is_a("LegalEntity"):
            made.append(_ftm_quote(record, article, n, quote, speaker))
    ids: set[str] = set()  # two record entities of one name and type are one FtM entity
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
            proxy.add("latitude", str(geo["lat"]))  # as text: FtM rounds floats to 2 places
            proxy.add("longitude", str(geo["lon"]))
    return proxy


def _ftm_article(record: dict[str, Any]) -> EntityProxy:
    text = record["text"]
    article = model.make_entity("Article")
    article.make_id(_ID_PREFIX, "article", record.get("id") or record.get("sha256") or text)
    article.add("title", record.get("title") or None)
    article.add("author", record.get("author") or None)
    article.add("publishedAt", _date_prefix(record.get("published")))
    url = record.get("url") or (
        record.get("id") if str(record.get("id") or "").startswith(("http://", "https://")) else None
    )
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


def _ftm_quote(
    record: dict[str, Any], article: EntityProxy, n: int, quote: dict[str, Any], speaker: EntityProxy
) -> EntityProxy:
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
        when, _, _ = item_date(record, quote, spans[0][0], spans[-1][1])
        link.add("date", _date_prefix(when))
    return link
