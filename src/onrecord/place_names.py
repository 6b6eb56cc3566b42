"""Places the NER missed, mislabelled or cut: the entity clusters mended before places are resolved.

A known name used as a place ("in Garissa", "the town of Camborne"), listed with other places
("Cairo, Giza, and Al-Minya"), or a country or region that no entity covers becomes a place
cluster; a place inside a longer name ("the Kenya Red Cross") gets a mention of its own;
an abbreviation introduced in brackets ("Democratic Republic of Congo (DRC)") joins its
place; a hyphenated or coordinated run ("Jammu and Kashmir", "Cairo, Giza") is split into
its places; a mention that names another place goes to that place. This stage changes the
entity clusters (declared in ``stages.py``), so ``geo`` only reads them.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from . import countries, lexicons
from .entities import Cluster, Resolver
from .gazetteer import Place, fold, gazetteer
from .geo import LOCATIVE, PLACE_TYPES, country_of, role

VERSION = "place_names.v1"
PLACE_NOUNS = lexicons.words("places", "PLACE_NOUNS")
BIG_FEATURES = ("country", "admin1", "continent", "region")
# "residents of Jefferson Parish", "the outskirts of Nairobi"
OF_PLACE = lexicons.words("places", "OF_PLACE")
# A big town closing a body's name is a place ("CDC Atlanta", "... of Greater Mumbai"): GeoVirus
# dev A accuracy 0.854 -> 0.858, recognition F1 0.941 -> 0.942, B unchanged. Opening one too
# ("the Seattle Police Department") lost recognition precision on both halves (A 0.927 ->
# 0.918, B 0.944 -> 0.938) and was left out.
BIG_TOWN = 100_000
ADMIN_WORDS = lexicons.words("places", "ADMIN_WORDS")
MEDIA_TITLES = lexicons.words("places", "MEDIA_TITLES")
FREE_LABELS = ("", "PRODUCT")  # "the Masvingo province" tagged as a product
ABBREVIATION = re.compile(r"([A-Z][\w'.]*(?:[\s-]+(?:of\s+|the\s+|and\s+)?[A-Z][\w'.]*){1,5})\s+\(([A-Z]{2,6})\)")


def _mislabelled_places(resolver: Resolver) -> None:
    """Places the NER took for organisations or people ("NSW", "in Kisumu", "Guerrero"):
    a name the gazetteer knows as a country, region or continent; or a known place name
    used as a place: after "in", "at", "near" and the like, after "the town of", or listed
    with other places ("Cairo, Giza, and Al-Minya"). A person's full name needs every
    mention so used."""
    place_tokens = _place_tokens(resolver)
    places = {_norm(n) for c in resolver.clusters if c.type in ("GPE", "LOC") for n in c.names}
    here = _article_countries(resolver)
    for c in resolver.clusters:
        if c.type not in ("ORG", "PERSON", "NORP"):
            continue
        if any(_norm(n) in places for n in c.names) and any(_known(n) for n in c.names):
            _to_place(c)  # "Pandi" a place in one sentence, an organisation in the next
            continue
        if any(" " in n and n.split()[-1].lower() in ADMIN_WORDS and _known(n) for n in c.names):
            _to_place(c)  # "Jefferson Parish", "Wedza District": no person's name ends so
            continue
        several = any(" " in n for n in c.names)
        if c.type == "NORP" and any(countries.demonym_country(n) for n in c.names):
            continue  # "Somali" is a people, not the Somali Region
        cands = [p for n in c.names for p in _known(n)]
        if not cands:
            continue
        big = any(p.feature in BIG_FEATURES for p in cands)
        if big and c.type != "PERSON":
            _to_place(c)
            continue
        named = [(s, e) for (s, e), text in c.mentions.items() if text[:1].isupper()]  # not "his"
        used = [_used_as_place(resolver, s, e, place_tokens) for s, e in named]
        if not used:
            continue
        county = any(p.feature == "admin2" for p in cands) and c.type != "PERSON"
        # a small town needs the article's country too: "at Harvard" is the university
        likely = big or any(p.population >= 20_000 or p.country in here for p in cands)
        if c.type == "PERSON" and several:
            if all(used) and (big or any(p.population >= 20_000 for p in cands)):
                _to_place(c)
        elif likely and (any(used) if big or county else sum(used) * 2 > len(used)):
            _to_place(c)  # "Franklin" (a school) at times after "at" stays an organisation


def _article_countries(resolver: Resolver) -> set[str]:
    """Countries the article names, or that its places lie in."""
    out = {c.country.iso2 for c in resolver.clusters if c.country is not None}
    for c in resolver.clusters:
        if c.type in ("GPE", "LOC") and c.country is None:
            code = country_of([p for n in c.names for p in _known(n)])
            if code:
                out.add(code)
    return out


def _to_place(c: Cluster) -> None:
    c.type = "GPE"
    for key in [k for k, text in c.mentions.items() if not text[:1].isupper()]:
        del c.mentions[key]  # a pronoun the person resolver gave it


def _known(name: str) -> list[Place]:
    """The gazetteer's places called exactly ``name``; an acronym ("EU") is no town's name."""
    found = gazetteer().exact(name)
    if name.isupper() and len(name) <= 5:
        found = [p for p in found if p.feature == "country" or p.name.isupper()]
    return found


def _place_tokens(resolver: Resolver) -> set[int]:
    """Token indices of the mentions of places (the NER's GPE and LOC)."""
    out: set[int] = set()
    for c in resolver.clusters:
        if c.type in ("GPE", "LOC"):
            for s, e in c.mentions:
                span = resolver.doc.char_span(s, e, alignment_mode="expand")
                if span is not None:
                    out.update(range(span.start, span.end))
    return out


def _used_as_place(resolver: Resolver, start: int, end: int, place_tokens: set[int]) -> bool:
    span = resolver.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root  # "at Randwick racecourse": a place's name before what stands there
    if root.dep_ in ("compound", "amod", "nmod") and root.head.dep_ == "pobj" and root.head.head.lower_ in LOCATIVE:
        return True
    for prep in root.children:  # "Warwick in Queensland"
        if (
            prep.dep_ == "prep"
            and prep.lower_ in ("in", "near")
            and any(ob.dep_ == "pobj" and ob.i in place_tokens for ob in prep.children)
        ):
            return True
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.is_lower and after.lemma_ in PLACE_NOUNS | {"area"}:
        return True  # "Heze city", "Masvingo province", "the Kisima area"
    return (
        role(resolver, start, end) == "location" or _after_place_noun(span) or _listed_with_places(span, place_tokens)
    )


def _after_place_noun(span: Span) -> bool:
    """ "the town of Camborne", "residents of Jefferson Parish", "a town called Lasby"."""
    doc = span.doc
    if span.start < 2:
        return False
    before, noun = doc[span.start - 1].lower_, doc[span.start - 2].lemma_.lower()
    return (before == "of" and noun in PLACE_NOUNS | OF_PLACE) or (
        before in ("called", "named") and noun in PLACE_NOUNS
    )


def _listed_with_places(span: Span, place_tokens: set[int]) -> bool:
    """A name in a list or conjunction with places: "Cairo, Giza, and Al-Minya",
    "Devon and Cornwall", "Attapeu, Laos"."""
    doc = span.doc
    root = span.root
    if root.dep_ == "conj" and root.head.i in place_tokens:
        return True
    if any(ch.dep_ == "conj" and ch.i in place_tokens for ch in root.children):
        return True
    before, after = span.start - 1, span.end
    # "Cairo, Giza, and Al-Minya", not "In Nice, Mobile users complained"
    ends = after >= len(doc) or doc[after].is_punct or doc[after].lower_ in ("and", "or")
    if before >= 1 and doc[before].text in (",", "and", "or") and doc[before - 1].i in place_tokens and ends:
        return True
    if after + 1 < len(doc) and doc[after].text in (",", "and", "or") and doc[after + 1].i in place_tokens:
        return True
    return False


def _unnamed_places(resolver: Resolver) -> None:
    """Place names the NER did not tag at all ("Buskerud, Telemark", "in Calcutta"): a run
    of capitalised proper nouns outside every entity that the gazetteer knows as a country,
    region or continent, or as any place when it is used as one (after "in", listed with
    places, before "city" or "province")."""
    doc = resolver.doc
    taken = {i for c in resolver.clusters for s, e in c.mentions for i in _token_range(resolver, s, e)}
    place_tokens = _place_tokens(resolver)
    i = 0
    while i < len(doc):
        tok = doc[i]
        if (
            tok.ent_type_ not in FREE_LABELS
            or i in taken
            or not tok.text[:1].isupper()
            or (tok.pos_ != "PROPN" and (tok.is_sent_start or tok.pos_ not in ("NOUN", "ADJ")))
        ):
            i += 1
            continue
        j = i + 1  # a run of capitalised words, hyphens inside ("Vest-Agder")
        while j < len(doc) and j - i < 5 and j not in taken and doc[j].ent_type_ in FREE_LABELS:
            if doc[j].text[:1].isupper():
                j += 1
            elif (
                doc[j].text == "-" and not doc[j - 1].whitespace_ and j + 1 < len(doc) and doc[j + 1].text[:1].isupper()
            ):
                j += 2
            else:
                break
        j = min(j, len(doc))
        found = None
        span = doc[i:j]  # the whole run: "Federal" of "Federal Minister" is no place
        cands = _known(span.text) if span[-1].text != "-" else []
        if cands:
            best = max(cands, key=lambda p: (p.feature in BIG_FEATURES, p.population))
            if best.feature in BIG_FEATURES or _used_as_place(resolver, span.start_char, span.end_char, place_tokens):
                found = (span, best)
        if found is not None:
            resolver.place_mention(found[0], found[1])
            place_tokens.update(range(found[0].start, found[0].end))
            i = found[0].end
        else:
            i = j


def _token_range(resolver: Resolver, start: int, end: int) -> range:
    span = resolver.doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def _places_in_names(resolver: Resolver) -> None:
    """A place that opens an organisation's or an event's name ("U.S. Food and Drug
    Administration", "NSW Health", "a U.S. Embassy spokesperson", "the Vietnam war", "the South
    Asia Earthquake"), or a country or big town that closes a body's ("Taco Bell Canada", "CDC
    Atlanta"), is a mention of that place too."""
    here = {_norm(n) for c in resolver.clusters if c.type in ("GPE", "LOC") for n in c.names if _known(n)}
    for c in list(resolver.clusters):
        unknown_place = c.type in PLACE_TYPES and not any(_known(n) for n in c.names)
        if c.type not in ("ORG", "PERSON", "EVENT") and not unknown_place:
            continue  # "Santa Ana City Council" tagged as a place opens with one
        if c.type == "ORG" and any(
            w.lower() in MEDIA_TITLES for n in c.names for w in n.split()[1:] if w[:1].isupper()
        ):
            continue  # "The New York Times": an outlet's name
        # a person's name opens with a place only when it is no name at all ("U.S. Embassy"), and
        # "Paul Kemp" is not the Paul of Cape Verde: countries only there
        kinds = {"ORG": ("country", "admin1"), "PERSON": ("country",)}.get(
            c.type, ("country", "admin1", "region", "continent")
        )
        for s, e in list(c.mentions):
            span = resolver.doc.char_span(s, e, alignment_mode="expand")
            if span is None or len(span) < 2:
                continue
            start = 1 if span[0].lower_ == "the" else 0
            for n in (3, 2, 1):
                head = span[start : start + n]
                if len(head) != n or start + n >= len(span) or not head.text[:1].isupper():
                    continue
                if unknown_place:  # only a place the article names by itself ("Santa Ana")
                    found = _known(head.text) if _norm(head.text) in here else []
                elif c.type == "PERSON" and not head.text.replace(".", "").isupper():
                    found = []  # "Chad Johnson" is no Chad; "U.S. Embassy" is the U.S.
                else:
                    found = [p for p in _known(head.text) if p.feature in kinds]
                if found:
                    resolver.place_mention(head, found[0])
                    if unknown_place:
                        del c.mentions[(s, e)]
                    break
            else:
                if c.type != "ORG":
                    continue
                for n in (5, 4, 3, 2, 1):  # "Yum! Canada", not "the University of California"
                    tail = span[len(span) - n :]
                    if (
                        n >= len(span) - start
                        or span[len(span) - n - 1].lower_ in ("of", "and", "'s", "\u2019s")
                        or not tail.text[:1].isupper()
                    ):
                        continue
                    before = span[len(span) - n - 1]
                    if before.text[:1].isupper() and any(
                        p.feature in ("country", "admin1") for p in _known(span[len(span) - n - 1 :].text)
                    ):
                        break  # "York" of "Police in New York": part of a longer place's name
                    found = [
                        p
                        for p in _known(tail.text)
                        if p.feature == "country" or (p.feature == "city" and p.population >= BIG_TOWN)
                    ]
                    if found:
                        resolver.place_mention(tail, found[0])
                        break


def _abbreviations(resolver: Resolver) -> None:
    """A place the article abbreviates ("New South Wales (NSW)", or "NSW" in an article that
    names New South Wales): the abbreviation names that place wherever it stands alone, and
    a cluster of that name alone is the place."""
    text = resolver.text
    found: dict[str, Cluster] = {}
    for m in ABBREVIATION.finditer(text):
        full, short = m.group(1), m.group(2)
        words = [w for w in re.split(r"[\s-]+", full) if w[:1].isupper()]
        for k in range(len(words) - 1, 0, -1):  # "in New South Wales (NSW)": the last words
            if "".join(w[0] for w in words[-k - 1 :]) == short:
                name = " ".join(words[-k - 1 :])
                break
        else:
            continue
        place = next((p for p in gazetteer().exact(name) if p.feature in BIG_FEATURES), None)
        if place is None or short in found:
            continue
        start = m.start(1) + full.rindex(name.split()[0])
        span = resolver.doc.char_span(start, m.end(1), alignment_mode="expand")
        if span is None:
            continue
        resolver.place_mention(span, place)
        found[short] = next(c for c in resolver.clusters if (span.start_char, span.end_char) in c.mentions)
    here = _article_countries(resolver)  # "NSW" in an article on Australia
    for m in re.finditer(r"\b[A-Z]{3,4}\b", text):
        short = m.group()
        region = gazetteer().region_code(short, here) if short not in found and not _known(short) else None
        if region is not None:
            named = [
                c
                for c in resolver.clusters
                if c.type in ("GPE", "LOC") and any(_norm(n) == _norm(region.name) for n in c.names)
            ]
            if not named:
                span = resolver.doc.char_span(m.start(), m.end())
                if span is None:
                    continue
                resolver.place_mention(span, region)
                named = [c for c in resolver.clusters if (m.start(), m.end()) in c.mentions]
                for c in named:
                    if region.name not in c.names:
                        c.names.append(region.name)
            found[short] = named[0]
    for c in resolver.clusters:
        if c.type not in ("GPE", "LOC"):
            continue
        for n in c.names:
            words = [w for w in re.split(r"[\s-]+", n) if w[:1].isupper()]
            short = "".join(w[0] for w in words)
            if len(words) >= 3 and short not in found and any(p.feature in BIG_FEATURES for p in _known(n)):
                found[short] = c
    for short, target in found.items():
        for c in resolver.clusters:  # retyped, not merged: a quote may point at its id
            if c is not target and c.names and all(n == short for n in c.names):
                c.type = "GPE"
                c.names.append(target.name)
        taken = bytearray(len(text))
        for c in resolver.clusters:
            for s, e in c.mentions:
                taken[s:e] = b"\x01" * (e - s)
        for a in re.finditer(r"\b" + re.escape(short) + r"\b", text):
            if not any(taken[a.start() : a.end()]):
                target.mentions[(a.start(), a.end())] = short


def _hyphenated(resolver: Resolver) -> None:
    """ "Guinea-Bissau" tagged as "Guinea", "Jammu and Kashmir" as "Jammu" and "Kashmir": a
    place name that goes on past a hyphen or an "and"."""
    text = resolver.text
    for c in list(resolver.clusters):
        if c.type not in PLACE_TYPES:
            continue
        for s, e in list(c.mentions):
            m = re.match(r"(-|\s+and\s+)[A-Z][\w']+", text[e : e + 40])
            if not m:
                continue
            longer = _known(text[s : e + m.end()])
            span = resolver.doc.char_span(s, e + m.end(), alignment_mode="expand")
            if longer and span is not None and not any(_norm(n) == _norm(span.text) for n in c.names):
                del c.mentions[(s, e)]
                for other in resolver.clusters:  # "Kashmir" of "Jammu and Kashmir" goes too
                    if other.type in PLACE_TYPES:
                        for key in [k for k in other.mentions if s <= k[0] and k[1] <= span.end_char]:
                            del other.mentions[key]
                resolver.place_mention(span, longer[0])


def _coordinated(resolver: Resolver) -> None:
    """Places the NER ran together ("Cattai and Wilberforce", "Central Africa - Nigeria",
    "Sri Lanka - approximately"): each known part is a place of its own."""
    for c in list(resolver.clusters):
        if c.type not in ("GPE", "LOC", "FAC", "PERSON") or any(_known(n) for n in c.names):
            continue
        for (s, e), text in list(c.mentions.items()):
            cuts = [(m.start(), m.end()) for m in re.finditer(r"\s+(?:and|&|-|\u2013|\u2014)\s+", text)]
            if (
                not cuts
                and re.fullmatch(r"[A-Z]\w+-[A-Z]\w+", text)
                and all(any(p.feature in BIG_FEATURES for p in _known(w)) for w in text.split("-"))
            ):
                cuts = [(text.index("-"), text.index("-") + 1)]  # "Asia-Pacific"
            edges = [0] + [x for cut in cuts for x in cut] + [len(text)]
            parts = [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2) if edges[k] < edges[k + 1]]
            if len(parts) < 2:
                continue
            last = text[parts[-1][0] : parts[-1][1]].split()
            names = {}
            for a, b in parts:
                part = re.sub(r"^the\s+", "", text[a:b])
                if " " not in part and len(last) > 1 and _known(part + " " + " ".join(last[1:])):
                    part += " " + " ".join(last[1:])  # "Central and South America": Central America
                names[(a, b)] = part
            known = [(a, b) for a, b in parts if _known(names[(a, b)])]
            if not known or (c.type == "PERSON" and known[0] != parts[0]):
                continue
            for a, b in known:
                span = resolver.doc.char_span(s + a, s + b, alignment_mode="contract")
                if span is not None and len(span):
                    if span[0].lower_ == "the":
                        span = span[1:]
                    resolver.place_mention(span, _known(names[(a, b)])[0])
                    for other in resolver.clusters:
                        if (span.start_char, span.end_char) in other.mentions and names[(a, b)] not in other.names:
                            other.names.append(names[(a, b)])
            del c.mentions[(s, e)]


def _norm(name: str) -> str:
    return fold(re.sub(r"^the\s+|'s$", "", name.strip(), flags=re.I))


def _own_mentions(resolver: Resolver, clusters: list[Cluster]) -> None:
    """A mention that names some other place ("California" among the mentions of the United
    States, after a speaker "officials in California" was resolved to the country) goes to
    that place. A capital standing for its government stays with its country too."""
    gaz = gazetteer()
    by_name: dict[str, Cluster] = {}
    for c in clusters:
        for n in c.names:
            by_name.setdefault(_norm(n), c)
    for c in clusters:
        own = {_norm(n) for n in c.names}
        for (s, e), text in list(c.mentions.items()):
            key = _norm(text)
            if key in own or (not text[:1].isupper() and not text.lower().startswith("the ")):
                continue
            if c.country is not None and (
                countries.country(text) == c.country or countries.capital_country(text) == c.country
            ):
                continue
            other = by_name.get(key)
            if other is not None and other is not c:
                del c.mentions[(s, e)]
                other.mentions.setdefault((s, e), text)
            elif other is None and key and gaz.exact(key):
                span = resolver.doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                if span[0].lower_ == "the":
                    span = span[1:]
                del c.mentions[(s, e)]
                resolver.place_mention(span, gaz.exact(key)[0])


def repair(resolver: Resolver) -> list[Cluster]:
    """Every pass, in the order that lets each use what the one before found; returns the
    article's place clusters."""
    _abbreviations(resolver)
    _hyphenated(resolver)
    _coordinated(resolver)
    _mislabelled_places(resolver)
    _places_in_names(resolver)
    _unnamed_places(resolver)
    _mislabelled_places(resolver)  # again: "Rogaland" listed with the "Vestfold" just found
    _own_mentions(resolver, [c for c in resolver.clusters if c.type in PLACE_TYPES])
    return [c for c in resolver.clusters if c.type in PLACE_TYPES]
