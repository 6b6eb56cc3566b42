"""Coreference beyond names: the passes that complete the Resolver's entity clusters.

Before the quote stage (ids must be stable once speakers point at them):
- ``merge_variants``: one organisation under several names ("UN Rights Office", "the United
  Nations Human Rights Office"), one event under a short name ("the Olympics"), and one name
  the NER labelled two ways ("Uyghurs" as PERSON and as GPE);
- ``find_variants``: the same names written again in other casing ("the UN rights office");
- ``capitals_as_governments``: a capital acting as a subject ("Beijing calls ...") is its country.

After the quote stage (adds mentions only):
- ``pronouns``: "she", "his" and the like outside quotations, to the person they refer to
  (including "Since she took office, Michelle Bachelet ..." where the name comes after);
- ``offices``: "Bachelet's office", "her office" to the organisation the person heads.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Token

from . import countries, lexicons
from .entities import ACRONYMS, NAME_STOP, SUBJECT_DEPS, UNNAMED, Cluster, Resolver

VERSION = "coref.v1"
PRONOUN_GENDER = {p["form"]: p["gender"] for p in lexicons.pronouns() if p["gender"] in ("m", "f")}
OFFICE_NOUNS = lexicons.words("people", "OFFICE_NOUNS")


# ---------------------------------------------------------------------------- before quotes


@lru_cache(maxsize=1 << 16)  # asked for each name many times while merging
def _words(name: str) -> tuple[str, ...]:
    """Content words of a name, with well-known acronyms spelled out ("UN" -> united nations)."""
    out: list[str] = []
    for w in name.replace("-", " ").split():
        full = ACRONYMS.get(w)
        out += full.lower().split() if full and full != w else [w.lower()]
    return tuple(w for w in out if w not in NAME_STOP)


def _same_body(a: str, b: str) -> bool:
    """Two names of one organisation: the shorter's words are all in the longer, with the
    same last (head) word ("UN Rights Office" ~ "United Nations Human Rights Office")."""
    wa, wb = _words(a), _words(b)
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return set(short) <= set(long)


def _suffix(a: str, b: str) -> bool:
    """ "Olympics" ~ "Beijing Winter Olympics": one name ends the other."""
    short, long = sorted((a, b), key=len)
    return long.endswith(" " + short) and short[:1].isupper()


GROUP_TYPES = frozenset({"NORP", "PERSON", "GPE"})
EVENT_TYPES = frozenset({"EVENT", "FAC"})


def merge_variants(resolver: Resolver) -> None:
    """Merge clusters that are one body, one event or one people under several names.

    Pairs are tested in the order of the clusters, each earlier cluster keeping the later one
    it absorbs. A pair can only match when the later cluster is found under a key of the
    earlier one's names (the same single-word name for a people; a body name whose words are
    a subset or a superset of the other's; the same last word for events), so candidates come
    from an index of those keys rather than from all pairs: an article with thousands of names
    costs what its matches cost, not the square of its clusters."""
    clusters = list(resolver.clusters)
    alive = [True] * len(clusters)
    index: dict[tuple[object, ...], list[int]] = {}
    by_word: dict[str, set[int]] = {}  # content word -> organisations with a name holding it
    for j, c in enumerate(clusters):
        for key in _index_keys(c):
            index.setdefault(key, []).append(j)
        if c.type == "ORG":
            for n in c.names:
                for w in _words(n):
                    by_word.setdefault(w, set()).add(j)

    def candidates(a: Cluster, after: int) -> set[int]:
        found = {j for key in _probe_keys(a) for j in index.get(key, ()) if j > after}
        if a.type == "ORG":  # organisations whose name holds all of a name's words
            for n in a.names:
                if len(_words(n)) >= 2:
                    postings = sorted((by_word.get(w, set()) for w in set(_words(n))), key=len)
                    found |= {j for j in set.intersection(*postings) if j > after}
        return found

    for i, a in enumerate(clusters):
        if not alive[i] or a.country is not None:
            continue
        queue = sorted(candidates(a, i))
        while queue:
            j = queue.pop(0)
            b = clusters[j]
            if not alive[j] or b.country is not None:
                continue
            same_name = (
                bool(set(a.names) & set(b.names))
                and a.type != b.type
                and {a.type, b.type} <= GROUP_TYPES
                and all(" " not in n for n in a.names + b.names)
            )
            same_body = a.type == b.type == "ORG" and any(_same_body(x, y) for x in a.names for y in b.names)
            same_event = {a.type, b.type} <= EVENT_TYPES and any(_suffix(x, y) for x in a.names for y in b.names)
            if same_name or same_body or same_event:
                resolver.merge(a, b)
                alive[j] = False
                # a's new names may match clusters further on, as they would in a scan of all pairs
                queue = sorted(set(queue) | candidates(a, j))


def _index_keys(c: Cluster) -> set[tuple[object, ...]]:
    """Keys a later cluster is found under (its type is fixed until it is tested)."""
    keys: set[tuple[object, ...]] = set()
    if c.type in GROUP_TYPES and all(" " not in n for n in c.names):
        keys |= {("name", n) for n in c.names}
    if c.type == "ORG":
        keys |= {("body", frozenset(w)) for w in map(_words, c.names) if len(w) >= 2}
    if c.type in EVENT_TYPES:
        keys |= {("last", n.rsplit(" ", 1)[-1]) for n in c.names}
    return keys


def _probe_keys(a: Cluster) -> set[tuple[object, ...]]:
    """Keys under which an earlier cluster looks for its variants: the index keys of every name
    that can match it (for bodies, each subset of a name's words keeping its head word)."""
    keys: set[tuple[object, ...]] = set()
    if a.type in GROUP_TYPES and all(" " not in n for n in a.names):
        keys |= {("name", n) for n in a.names}
    if a.type == "ORG":
        for words in map(_words, a.names):
            if len(words) < 2:
                continue
            head, rest = words[-1], sorted(set(words[:-1]) - {words[-1]})
            if len(rest) > 10:  # no organisation's name has eleven other words
                rest = rest[:10]
            for mask in range(1 << len(rest)):
                keys.add(("body", frozenset([head] + [w for k, w in enumerate(rest) if mask >> k & 1])))
    if a.type in EVENT_TYPES:
        keys |= {("last", n.rsplit(" ", 1)[-1]) for n in a.names}
    return keys


def groups(resolver: Resolver) -> None:
    """A "person" the NER found only as a plural proper noun ("Uyghurs") is a group of people."""
    for c in resolver.clusters:
        if c.type == "PERSON" and all(" " not in n for n in c.names):
            spans = [resolver.doc.char_span(s, e, alignment_mode="expand") for s, e in c.mentions]
            if spans and all(sp is not None and sp.root.tag_ == "NNPS" for sp in spans):
                c.type = "NORP"


def find_variants(resolver: Resolver) -> None:
    """Names found again in the text: organisations and events of several words in any
    casing ("the UN rights office"), groups' names as written ("Uyghurs")."""
    text = resolver.text
    for c in resolver.clusters:
        if c.type not in ("ORG", "EVENT", "FAC", "NORP"):
            continue
        for name in list(c.names):
            several = len(name.split()) >= 2
            if not several and c.type != "NORP":
                continue
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", text, re.IGNORECASE if several else 0):
                if not any(s < m.end() and m.start() < e for s, e in c.mentions):
                    c.mentions[(m.start(), m.end())] = m.group()


def capitals_as_governments(resolver: Resolver) -> None:
    for c in list(resolver.clusters):
        if c.type != "GPE" or c.country is not None:
            continue
        country = countries.capital_country(c.name)
        if country is None:
            continue
        for s, e in list(c.mentions):
            span = resolver.doc.char_span(s, e, alignment_mode="expand")
            if span is not None and span.root.dep_ in SUBJECT_DEPS:
                resolver.country_cluster(country).mentions[(s, e)] = resolver.text[s:e]


ABBREVIATION_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z.&-]{1,11})\)")


def abbreviations(resolver: Resolver) -> None:
    """ "the Centers for Disease Control and Prevention (CDC)": the abbreviation the text gives
    in brackets after a body's name is that body's, wherever it stands alone ("the CDC said"),
    whatever its letters ("CDC" is not "CDCP")."""
    text = resolver.text
    for c in list(resolver.clusters):
        if c.type != "ORG" or c not in resolver.clusters:
            continue
        for _s, e in sorted(c.mentions):
            m = ABBREVIATION_AFTER.match(text, e) or ABBREVIATION_AFTER.match(text, e - 1)
            if m is None or (len(m.group(1)) > 3 and not any(ch.isupper() for ch in m.group(1)[1:])):
                continue  # "(Reuters)", "(Tuesday)": a word in brackets, no abbreviation
            abbr = m.group(1)
            if abbr not in c.names:
                c.names.append(abbr)
            for other in list(resolver.clusters):
                if (
                    other is not c
                    and other.country is None
                    and abbr in other.names
                    and other.type in ("ORG", "PERSON", "GPE")
                ):
                    resolver.merge(c, other)
            break


def before_quotes(resolver: Resolver) -> None:
    abbreviations(resolver)
    groups(resolver)
    merge_variants(resolver)
    find_variants(resolver)
    capitals_as_governments(resolver)


# ---------------------------------------------------------------------------- after quotes


def _cataphor(tok: Token, resolver: Resolver) -> Cluster | None:
    """ "Since she assumed office in 2018, ... Michelle Bachelet has ...": a pronoun in a
    clause fronted before its main clause refers to the main clause's person subject."""
    clause = tok.head
    while clause.dep_ not in ("advcl", "ROOT") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "advcl" or clause.i > clause.head.i:
        return None
    subj = next((c for c in clause.head.children if c.dep_ in SUBJECT_DEPS and c.i > tok.i), None)
    cluster = resolver.cluster_at(subj) if subj is not None else None
    return cluster if cluster is not None and cluster.type == "PERSON" else None


def pronouns(resolver: Resolver) -> None:
    for tok in resolver.doc:
        kind = PRONOUN_GENDER.get(tok.lower_)
        if kind is None or resolver.in_quote(tok.idx):
            continue
        cluster = _cataphor(tok, resolver) or resolver.antecedent(tok, kind)
        if cluster is None or cluster is UNNAMED:
            continue
        if tok.dep_ == "poss" and tok.head.lemma_.lower() in OFFICE_NOUNS:
            org = resolver.affiliation(cluster, tok.head.lemma_.lower())
            if org is not None:
                org.mentions.setdefault(
                    (tok.idx, tok.head.idx + len(tok.head)), resolver.text[tok.idx : tok.head.idx + len(tok.head)]
                )
                continue
        cluster.mentions.setdefault((tok.idx, tok.idx + len(tok)), tok.text)


def offices(resolver: Resolver) -> None:
    """ "Bachelet's office": the office of the organisation she was introduced with."""
    for c in resolver.clusters:
        if c.type != "PERSON":
            continue
        for s, e in list(c.mentions):
            span = resolver.doc.char_span(s, e, alignment_mode="expand")
            if span is None or span.root.dep_ != "poss":
                continue
            head = span.root.head
            org = resolver.affiliation(c, head.lemma_.lower()) if head.lemma_.lower() in OFFICE_NOUNS else None
            if org is not None:
                end = head.idx + len(head)
                org.mentions.setdefault((s, end), resolver.text[s:end])


def after_quotes(resolver: Resolver) -> None:
    pronouns(resolver)
    offices(resolver)
