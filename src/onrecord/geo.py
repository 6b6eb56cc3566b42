"""Put the article's places on the map, offline.

Each place cluster (GPE, LOC, FAC) is matched against the gazetteer by every name it goes
by; among same-named candidates the article decides: a place in a country the article
names (or whose other places lie in) beats a bigger namesake elsewhere, and a town
followed by its province ("Pandi, Bulacan") goes to the one in that province. Population
only breaks the remaining ties. Each mention also gets its role: where something happens
("in Xinjiang"), a capital standing for its government ("Beijing has denied"), or merely
mentioned. The document focus is the country the article's places point to most.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .entities import SUBJECT_DEPS, Cluster, Resolver
from .gazetteer import Place, gazetteer

VERSION = "geo.v1"
PLACE_TYPES = ("GPE", "LOC", "FAC")
FEATURE_PRIOR = {"country": 9.0, "continent": 8.0, "region": 7.0, "admin1": 4.0, "admin2": 2.5, "city": 0.0}
LOCATIVE = frozenset("in at near inside outside across throughout within around into from".split())


def _candidates(cluster: Cluster) -> list[Place]:
    gaz = gazetteer()
    seen: dict[tuple[str, float, float, str], Place] = {}
    for name in cluster.names:
        for p in gaz.lookup(name):
            seen.setdefault((p.feature, p.lat, p.lon, p.country), p)
    return list(seen.values())


def _score(p: Place, name_words: set[str], context: Counter[str], text: str) -> float:
    s = FEATURE_PRIOR[p.feature] + 1.5 * math.log10(p.population + 10)
    if p.country and context[p.country]:
        s += 2.5 + min(1.5, context[p.country] / 4)
    if p.capital:
        s += 3.0                          # "Athens" is Greece's before Georgia's
    if p.feature == "city" and p.admin1:
        region = p.admin1.lower()
        if region in name_words and p.population >= 300_000:
            s += 6.0                      # "New York", "Rio de Janeiro": the big city, not its state
        elif region not in name_words and region.split()[0] in text:
            s += 4.0                      # "Pandi, Bulacan": the Pandi in the region the text names
    return s


def _mislabelled_places(resolver: Resolver) -> None:
    """Places the NER took for organisations or people ("NSW", "in Kisumu", "Guerrero"):
    a name the gazetteer knows as a country, region or continent, or as a town when every
    mention of it follows "in", "at", "near" and the like."""
    for c in resolver.clusters:
        if c.type not in ("ORG", "PERSON", "NORP") or any(" " in n and c.type == "PERSON" for n in c.names):
            continue
        cands = _candidates(c)
        if not cands:
            continue
        if any(p.feature in ("country", "admin1", "continent", "region") for p in cands) and c.type != "PERSON":
            c.type = "GPE"
        elif c.mentions and all(_role(resolver, s, e) == "location" for s, e in c.mentions) and \
                any(p.population >= 20_000 or p.feature != "city" for p in cands):
            c.type = "GPE"


def _places_in_names(resolver: Resolver) -> None:
    """A place that opens an organisation's name ("U.S. Food and Drug Administration",
    "NSW Health") is a mention of that place too."""
    gaz = gazetteer()
    for c in list(resolver.clusters):
        if c.type != "ORG":
            continue
        for (s, e) in list(c.mentions):
            span = resolver.doc.char_span(s, e, alignment_mode="expand")
            if span is None or len(span) < 2:
                continue
            start = 1 if span[0].lower_ == "the" else 0
            for n in (3, 2, 1):
                head = span[start:start + n]
                if len(head) != n or start + n >= len(span) or not head.text[:1].isupper():
                    continue
                found = [p for p in gaz.lookup(head.text) if p.feature in ("country", "admin1")]
                if found:
                    resolver.place_mention(head, found[0])
                    break


def locate(resolver: Resolver) -> dict[str, Any] | None:
    """Attach a place (and roles) to each place cluster; return the document focus."""
    _mislabelled_places(resolver)
    _places_in_names(resolver)
    clusters = [c for c in resolver.clusters if c.type in PLACE_TYPES]
    if not clusters:
        return None
    text = resolver.text.lower()
    candidates = {c.id: _candidates(c) for c in clusters}
    context: Counter[str] = Counter()
    for c in clusters:        # countries the article names, or that all its candidates share
        cands = candidates[c.id]
        codes = {p.country for p in cands}
        if cands and len(codes) == 1 and "" not in codes:
            context[codes.pop()] += len(c.mentions)
    for c in clusters:
        cands = candidates[c.id]
        if c.country is not None:
            cands = [p for p in cands if p.feature == "country" and p.country == c.country.iso2] or cands
        if not cands:
            continue
        words = {n.lower() for n in c.names}
        c.place = max(cands, key=lambda p: _score(p, words, context, text))
        c.place_roles = sorted({_role(resolver, s, e) for s, e in c.mentions})
        c.geo = geo_of(c)
    return _focus(clusters)


def _role(resolver: Resolver, start: int, end: int) -> str:
    span = resolver.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return "mentioned"
    root = span.root
    if root.dep_ in SUBJECT_DEPS and root.head.pos_ in ("VERB", "AUX"):
        return "government"              # "Beijing has denied", "China has allowed"
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return "location"                # "in Xinjiang", "near Pandi"
    return "mentioned"


def _focus(clusters: list[Cluster]) -> dict[str, Any] | None:
    weight: Counter[str] = Counter()
    for c in clusters:
        place = c.place
        if place is not None and place.country:
            weight[place.country] += len(c.mentions)
    if not weight:
        return None
    code, _n = weight.most_common(1)[0]
    places = [c.id for c in sorted(clusters, key=lambda c: -len(c.mentions))
              if c.place is not None and c.place.country == code]
    return {"country": code, "places": places}


def geo_of(cluster: Cluster) -> dict[str, Any] | None:
    place: Place | None = cluster.place
    if place is None:
        return None
    return {"lat": round(place.lat, 4), "lon": round(place.lon, 4), "country": place.country or None,
            "geonames": place.geonames, "feature": place.feature, "admin1": place.admin1 or None,
            "name": place.name, "roles": cluster.place_roles}
