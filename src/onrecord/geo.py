"""Put the article's places on the map, offline.

Each place cluster (GPE, LOC, FAC) is matched against the gazetteer by every name it goes
by; among same-named candidates the article decides: a place in a country the article
names (or whose other places lie in) beats a bigger namesake elsewhere, a town followed
by its province ("Pandi, Bulacan") goes to the one in that province, and a region named
right after a town ("Atlanta, Georgia") is the one that holds it. Population only breaks
the remaining ties. Places the NER missed or took for people or organisations are found
by the gazetteer: a known name used as a place ("in Garissa", "the town of Camborne"),
listed with other places ("Cairo, Giza, and Al-Minya"), or a country or region that no
entity covers. Each mention also gets its role: where something happens
("in Xinjiang"), a capital standing for its government ("Beijing has denied"), or merely
mentioned. The document focus is the country the article's places point to most.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import countries, lexicons
from .entities import SUBJECT_DEPS, Cluster, Resolver
from .gazetteer import Place, fold, gazetteer
from .model import Focus, Geo

VERSION = "geo.v1"
PLACE_TYPES = ("GPE", "LOC", "FAC")
# The weights of a candidate's score (``_score``, ``locate``). Evidence:
# ``benchmarks/geo_weights.py`` sets each to zero in turn and measures accuracy within 161 km
# on the two halves of the GeoVirus dev set (split by a hash of the article id; its last run
# is benchmarks/results/geo_weights.md). Each says what dropping it costs, in points, half A /
# half B. "No measured effect": neither half changes; such a weight rests only on the case it
# names and is the first to question when places are re-tuned on unseen news.
FEATURE_PRIOR = {
    "country": 9.0,  # -3.4 / -2.2
    "continent": 8.0,  # no measured effect
    "region": 7.0,  # no measured effect
    "admin1": 4.0,  # -1.1 / -1.1
    "admin2": 2.5,  # no measured effect
    "city": 0.0,
}
WEIGHTS = {
    "population": 1.5,  # per decade of population, the bigger namesake: -3.4 / -1.9
    "article_country": 2.5,  # a place in a country the article names or lies in: -0.7 / -0.2
    "article_country_mentions": 1.5,  # up to this much more, 1/4 per mention of it: no measured effect
    "capital": 3.0,  # "Athens" is Greece's before Georgia's: no measured effect; tests/test_entities_places.py
    "big_city_of_region": 6.0,  # "New York", "Rio de Janeiro", the city not its state: 0.0 / -0.2
    "region_named": 4.0,  # "Pandi, Bulacan": the Pandi in the region the text names: -0.9 / -0.4
    "holder": 6.0,  # "Atlanta, Georgia": the region that holds the town before it: no measured effect
    "sibling_country": 3.0,  # a town listed with places of one country lies in it: -0.7 / -0.2
}
STATE_CUE = re.compile(r"\s+(?:state|province)\b", re.I)
LOCATIVE = lexicons.words("places", "LOCATIVE")
# "the town of Camborne", "the province of Guerrero"
BIG_FEATURES = ("country", "admin1", "continent", "region")


NEVER_ALONE = lexicons.words("places", "NEVER_ALONE")
CELESTIAL = lexicons.words("places", "CELESTIAL")


def _candidates(cluster: Cluster) -> list[Place]:
    if all(re.sub(r"^the\s+", "", n.lower()) in NEVER_ALONE for n in cluster.names):
        return []  # "Northern", "Central": part of a name, no place
    gaz = gazetteer()
    seen: dict[tuple[str, float, float, str], Place] = {}
    for name in cluster.names:
        for p in gaz.lookup(name):  # one place under two names keeps the known population
            key = (p.feature, round(p.lat, 2), round(p.lon, 2), p.country)
            if key not in seen or p.population > seen[key].population:
                seen[key] = p
    return list(seen.values())


def _score(
    p: Place,
    name_words: set[str],
    context: Counter[str],
    text: str,
    named: frozenset[str] | set[str] = frozenset(),
    seen: dict[str, bool] | None = None,
) -> float:
    w = WEIGHTS
    s = FEATURE_PRIOR[p.feature] + w["population"] * math.log10(p.population + 10)
    if p.country and context[p.country]:
        s += w["article_country"] + min(w["article_country_mentions"], context[p.country] / 4)
    if p.capital:
        s += w["capital"]
    if p.feature in ("city", "admin2") and p.admin1:
        region = p.admin1.lower()
        if region in name_words and p.population >= 300_000:
            s += w["big_city_of_region"]
        elif region not in name_words and _region_named(region, named, text, {} if seen is None else seen):
            s += w["region_named"]
    return s


def _region_named(region: str, named: frozenset[str] | set[str], text: str, seen: dict[str, bool]) -> bool:
    """Whether the article names this first-level region ("Nevada" for "Clark County")."""
    if region not in seen:
        seen[region] = _names_region(region, named, text)
    return seen[region]


def _names_region(region: str, named: frozenset[str] | set[str], text: str) -> bool:
    short = re.sub(
        r"\s+(sheng|shi|zizhiqu|province|region|oblast|governorate|prefecture|state|department)$", "", region
    )
    if fold(short) in named or fold(region) in named:
        return True
    return bool(short) and re.search(r"\b" + re.escape(short) + r"\b", text) is not None


@dataclass(frozen=True)
class Places:
    """What the geo stage found, by cluster id; the clusters themselves are not changed."""

    place: Mapping[str, Place] = field(default_factory=dict)  # the gazetteer entry each place is
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # where, government, mentioned
    # clusters named like a country that are another place ("Georgia" beside Atlanta: the state)
    namesakes: frozenset[str] = frozenset()
    focus: Focus | None = None

    def country(self, cluster: Cluster) -> countries.Country | None:
        """The country a cluster stands for, after the places were read."""
        return None if cluster.id in self.namesakes else cluster.country

    def geo(self, cluster: Cluster) -> Geo | None:
        """The record's ``geo`` for a cluster: its place, else the country it names."""
        place, country = self.place.get(cluster.id), self.country(cluster)
        if place is None:
            return None if country is None else Geo(None, None, country.iso2, country.geonames, iso3=country.iso3)
        return Geo(
            round(place.lat, 4),
            round(place.lon, 4),
            place.country or None,
            place.geonames,
            iso3=country.iso3 if country is not None else None,
            feature=place.feature,
            admin1=place.admin1 or None,
            name=place.name,
            roles=self.roles.get(cluster.id, ()),
        )


def locate(resolver: Resolver, clusters: list[Cluster]) -> Places:
    """A gazetteer entry and roles for each place cluster, and the document focus."""
    if not clusters:
        return Places()
    text = resolver.text.lower()
    candidates = {c.id: _candidates(c) for c in clusters}
    context: Counter[str] = Counter()
    own: dict[str, str] = {}
    for c in clusters:  # countries the article names, or that all its candidates share
        code = country_of(candidates[c.id])
        if code:
            own[c.id] = code
            context[code] += len(c.mentions)
    named = {fold(n) for c in clusters for n in c.names}
    holders = _holders(resolver, clusters, candidates)
    # (not for a name that is itself a region of that country: "Washington, West Virginia and
    # Wyoming" is a list of states)
    held_in = {
        cid: regions
        for cid, regions in _holders(resolver, clusters, candidates, reverse=True).items()
        if not any(
            p.feature in BIG_FEATURES and p.country == r.country for p in candidates[cid] for rs in regions for r in rs
        )
    }
    for cid in _parts_of_names(resolver, clusters, candidates):
        candidates[cid] = []
    siblings = _siblings(resolver, clusters)
    seen: dict[str, bool] = {}
    picked: dict[str, Place] = {}
    roles: dict[str, tuple[str, ...]] = {}
    namesakes: set[str] = set()
    for c in clusters:
        cands = candidates[c.id]
        if c.country is not None:  # "Georgia": the country, or a state of that name
            cands = [
                p for p in cands if (p.feature == "country" and p.country == c.country.iso2) or p.feature == "admin1"
            ] or cands
        if all(n.lower() in CELESTIAL for n in c.names) and not any(
            re.match(r",\s*[A-Z]", resolver.text[e : e + 3]) for _s, e in c.mentions
        ):
            continue  # "Earth", "Mars": no place on a map, unless a region after it says so
        if not cands:
            continue
        words = {n.lower() for n in c.names}
        inside = holders.get(c.id, [])
        others = context.copy()  # the article's countries, this place's own name aside
        if c.id in own:
            others[own[c.id]] -= len(c.mentions)
        near = {own[o] for o in siblings.get(c.id, ()) if o in own}
        capital = _capital_meant(resolver, c, cands, [candidates[o] for o in siblings.get(c.id, ())], inside)
        if capital is not None:  # the region named like the capital is not meant
            cands = [p for p in cands if not (p.feature == "admin1" and p.country == capital.country)]
        place = picked[c.id] = max(
            cands,
            key=lambda p: (
                _score(p, words, others, text, named, seen)
                + _holds(p, inside)
                + _held(p, held_in.get(c.id, []))
                + (WEIGHTS["sibling_country"] if p.country in near and p.feature != "country" else 0.0)
            ),
        )
        if c.country is not None and (place.feature != "country" or place.country != c.country.iso2):
            namesakes.add(c.id)
        roles[c.id] = tuple(sorted({role(resolver, s, e) for s, e in c.mentions}))
    return Places(picked, roles, frozenset(namesakes), _focus(clusters, picked))


def country_of(cands: list[Place]) -> str:
    """The one country all of a name's candidates lie in, or all its countries and regions
    ("California": the towns of that name elsewhere aside, a US state); "" if none."""
    codes = {p.country for p in cands}
    if len(codes) > 1:
        big = [p for p in cands if p.feature in ("country", "admin1")]
        codes = {p.country for p in big}
        # not when a town elsewhere is as big ("Santa Ana", California, against El Salvador's region)
        if big and any(p.country not in codes and p.population * 10 > max(b.population for b in big) for p in cands):
            return ""
    return codes.pop() if len(codes) == 1 and "" not in codes else ""


def _siblings(resolver: Resolver, clusters: list[Cluster]) -> dict[str, set[str]]:
    """Places listed together ("Colorado, Georgia, Idaho"; "Devon and Cornwall"): names in
    one list are mostly places of one kind in one country."""
    at: dict[int, Cluster] = {}
    for c in clusters:
        for s, _e in c.mentions:
            at[s] = c
    text = resolver.text
    out: dict[str, set[str]] = {}
    for c in clusters:
        for _s, e in c.mentions:
            m = re.match(r"(,\s*(and\s+|or\s+)?|\s+(and|or)\s+)", text[e : e + 8])
            nxt = at.get(e + m.end()) if m else None
            if nxt is not None and nxt is not c:
                out.setdefault(c.id, set()).add(nxt.id)
                out.setdefault(nxt.id, set()).add(c.id)
    return out


def _holders(
    resolver: Resolver, clusters: list[Cluster], candidates: dict[str, list[Place]], *, reverse: bool = False
) -> dict[str, list[list[Place]]]:
    """For each place named right after another ("Atlanta, Georgia"; "Pailin, Cambodia"),
    the candidates of the places it follows: it is the region or country that holds them.
    With ``reverse``, for each town the first-level regions of the place after it ("Charleston,
    W.Va.": the Charleston of West Virginia, not South Carolina's)."""
    at: dict[int, Cluster] = {}
    for c in clusters:
        for s, _e in c.mentions:
            at[s] = c
    text = resolver.text
    out: dict[str, list[list[Place]]] = {}
    for c in clusters:
        for _s, e in c.mentions:
            m = re.match(r",\s*(the\s+)?|\s+\(", text[e : e + 8])
            nxt = at.get(e + m.end()) if m else None
            if nxt is not None and nxt is not c:
                if reverse:
                    out.setdefault(c.id, []).append([p for p in candidates[nxt.id] if p.feature == "admin1"])
                else:
                    out.setdefault(nxt.id, []).append([p for p in candidates[c.id] if p.feature in ("city", "admin2")])
    return out


def _held(p: Place, regions: list[list[Place]]) -> float:
    """A town in the region named right after it."""
    if p.feature not in ("city", "admin2") or not regions:
        return 0.0
    for listed in regions:
        if any(r.country == p.country and fold(r.name) == fold(p.admin1) for r in listed):
            return WEIGHTS["holder"]
    return 0.0


def _capital_meant(
    resolver: Resolver, c: Cluster, cands: list[Place], listed: list[list[Place]], inside: list[list[Place]]
) -> Place | None:
    """The capital among ``cands`` when a region of its country has its name too and the text
    does not point at the region: not listed with regions of that country, not holding a town
    named before it ("Seattle, Washington"), never written "X state" / "state of X". Then that region is not meant ("Washington" is the capital, not
    the state: the issue's real pages placed it in Washington State 9 times in 8 articles; the
    3 dev toponyms "Washington" are states in lists, and keep their place)."""
    capital = next((p for p in cands if p.capital), None)
    if capital is None or not any(p.feature == "admin1" and p.country == capital.country for p in cands):
        return None
    if any(p.feature == "admin1" and p.country == capital.country for others in listed for p in others):
        return None
    if any(_holds(p, inside) for p in cands if p.feature == "admin1"):
        return None
    text = resolver.text
    for s, e in c.mentions:
        if STATE_CUE.match(text, e) or re.search(r"\b(?:state|province) of\s+$", text[max(0, s - 12) : s], re.I):
            return None
    return capital


def _parts_of_names(resolver: Resolver, clusters: list[Cluster], candidates: dict[str, list[Place]]) -> set[str]:
    """Clusters always written "X of Y" with Y a place, where no X the gazetteer knows lies in
    Y's country: X is part of a longer name ("the Southern District of New York", a court's
    district, is no district of Israel), not a place."""
    at: dict[int, Cluster] = {}
    for c in clusters:
        for s, _e in c.mentions:
            at[s] = c
    text = resolver.text
    out = set()
    for c in clusters:
        if not candidates[c.id] or c.country is not None:
            continue
        holders = []
        for _s, e in c.mentions:
            m = re.match(r"\s+of\s+(?:the\s+)?", text[e : e + 12])
            holder = at.get(e + m.end()) if m else None
            if holder is None or holder is c:
                break
            holders.append(holder)
        else:
            countries_of = {p.country for h in holders for p in candidates[h.id]}
            if holders and countries_of and not any(p.country in countries_of for p in candidates[c.id]):
                out.add(c.id)
    return out


def _holds(p: Place, inside: list[list[Place]]) -> float:
    """A region or country that holds the town named before it."""
    if p.feature not in ("admin1", "country") or not inside:
        return 0.0
    for towns in inside:
        for t in towns:
            if (
                t.country == p.country
                and (p.feature == "country" or fold(t.admin1) == fold(p.admin1))
                and fold(t.name) != fold(p.name)
            ):
                return WEIGHTS["holder"]
    return 0.0


def role(resolver: Resolver, start: int, end: int) -> str:
    span = resolver.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return "mentioned"
    root = span.root
    if root.dep_ in SUBJECT_DEPS and root.head.pos_ in ("VERB", "AUX"):
        return "government"  # "Beijing has denied", "China has allowed"
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return "location"  # "in Xinjiang", "near Pandi"
    return "mentioned"


def _focus(clusters: list[Cluster], picked: Mapping[str, Place]) -> Focus | None:
    weight: Counter[str] = Counter()
    for c in clusters:
        place = picked.get(c.id)
        if place is not None and place.country:
            weight[place.country] += len(c.mentions)
    if not weight:
        return None
    code, _n = weight.most_common(1)[0]
    places = [
        c.id
        for c in sorted(clusters, key=lambda c: -len(c.mentions))
        if c.id in picked and picked[c.id].country == code
    ]
    return Focus(code, tuple(places))
