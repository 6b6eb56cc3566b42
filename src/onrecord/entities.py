"""Entity clusters and the resolver that turns a speaker mention into a canonical name.

One resolver serves both the record's ``entities`` and the quotes' speakers, so a quote's
speaker always points at an entity of the same record. The clustering is conservative:
surnames join the full name they belong to, acronyms join the name they abbreviate, a
country's aliases join the country, and a capital speaking for its government stands for
the country. Pronouns and role descriptions ("she", "the spokesman") are resolved only when
a speaker needs them, to the most salient compatible person before them. Where nothing
fits, the answer is None: unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from . import countries, descriptions, lexicons
from .cues import GOVERNMENT_NOUNS, ROLE_NOUNS, TITLES, VOICE_NOUNS
from .model import Entity, Geo, Mention
from .sentences import Sentences

if TYPE_CHECKING:  # geo reads the clusters, so it imports this module
    from .geo import Places

VERSION = "entities.v1"
KEPT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NAME_STOP = lexicons.words("people", "NAME_STOP")
PRONOUN_REACH = 300  # tokens: four news sentences and more, a bound on one look back
SUBJECT_PRONOUNS = {g: lexicons.pronoun_forms(cases="subj", gender=g) for g in ("m", "f")}
MALE_PRONOUNS = lexicons.pronoun_forms(gender="m")
FEMALE_PRONOUNS = lexicons.pronoun_forms(gender="f")
MALE = MALE_PRONOUNS | lexicons.words("people", "MALE_WORDS")
FEMALE = FEMALE_PRONOUNS | lexicons.words("people", "FEMALE_WORDS")
# Well-known organisations that news names by acronym alone; the canonical name is the full one.
ACRONYMS = lexicons.table("people", "ACRONYMS")
# Heads of a mention that stand for what an organisation published, not for a person.
DOCUMENT_NOUNS = lexicons.words("people", "DOCUMENT_NOUNS")
# Heads that, with a named modifier, name an organised body: "the U.S. military".
ORG_NOUNS = lexicons.words("people", "ORG_NOUNS")
# Role words general enough to stand for any more specific role ("the official" for a spokesman).
GENERIC_ROLES = lexicons.words("people", "GENERIC_ROLES")
NAME_PARTICLES = lexicons.words("people", "NAME_PARTICLES")
# a singular pronoun naming its referent (not a possessive): the kind of antecedent it takes
PRONOUN_KIND = {
    p["form"]: "org" if p["gender"] == "n" else p["gender"]
    for p in lexicons.pronouns()
    if p["number"] == "sg" and p["gender"] != "-" and {"subj", "obj"} & set(p["cases"].split())
}


@dataclass
class Cluster:
    id: str
    type: str
    names: list[str]  # name forms, in order of appearance
    mentions: dict[tuple[int, int], str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    context: list[tuple[int, set[str]]] = field(default_factory=list)  # (where, words around a name there)
    first: int = 0
    gender: str | None = None
    country: countries.Country | None = None
    fixed_name: str | None = None
    affiliated: list[int] = field(default_factory=list)  # token indices of organisations named with it

    @property
    def name(self) -> str:
        if self.fixed_name:
            return self.fixed_name
        # the fullest form the article gives: most words, then longest, then earliest
        return max(self.names, key=lambda n: (len(n.split()), len(n), -self.names.index(n)))


UNNAMED = Cluster("unnamed", "PERSON", ["(unnamed)"])


def clean_name(span: Span) -> str:
    """A name without leading titles and determiners or a trailing possessive."""
    words = list(span)
    while words and (words[0].lower_ in TITLES or words[0].lower_ in ("the", "a", "an") or words[0].is_punct):
        words = words[1:]
    while words and (words[-1].tag_ == "POS" or words[-1].is_punct):
        words = words[:-1]
    text = "".join(t.text_with_ws for t in words).strip()
    # "World Health Organization (WHO": the abbreviation after the name is no part of it
    text = re.sub(r"\s*\(\s*[A-Z][A-Za-z.&-]{0,11}\)?$", "", text) or text
    return re.sub(r"\s+", " ", text)


def _rejoined(doc: Doc) -> list[tuple[Span, str]]:
    """The NER's entities, with a name it cut after "of" or "the" joined to the entity that
    follows ("the Democratic Republic of the" + "Congo", "Bank of" + "England"): a name does not
    end in a function word. The place or country label of either part wins."""
    ents = list(doc.ents)
    out: list[tuple[Span, str]] = []
    i = 0
    while i < len(ents):
        ent, label = ents[i], ents[i].label_
        if (
            i + 1 < len(ents)
            and ent[-1].lower_ in ("of", "the", "and", "de")
            and ents[i + 1].start == ent.end
            and ents[i + 1].label_ in KEPT_LABELS
        ):
            nxt = ents[i + 1]
            label = "GPE" if "GPE" in (label, nxt.label_) else label if label in KEPT_LABELS else nxt.label_
            out.append((doc[ent.start : nxt.end], label))
            i += 2
            continue
        out.append((ent, label))
        i += 1
    return out


def _whole_name(ent: Span) -> Span:
    """A person's name the NER cut short at a particle or a hyphen: "Ursula von der" + "Leyen",
    "Jean-" + "Claude Juncker"."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while (
        end < len(doc)
        and doc[end - 1].lower_ in NAME_PARTICLES
        and doc[end].pos_ == "PROPN"
        and doc[end].text[:1].isupper()
    ):
        end += 1
    while (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and doc[start - 2].text[:1].isupper()
        and doc[start - 2].is_alpha
    ):
        start -= 2
    return ent if (start, end) == (ent.start, ent.end) else doc[start:end]


def _continent_or_region(name: str) -> bool:
    from .gazetteer import gazetteer

    return any(p.feature in ("continent", "region") for p in gazetteer().exact(name))


def _one_slip(a: str, b: str) -> bool:
    """Whether two long capitalised words differ by one typing slip: two neighbouring letters
    swapped, one letter changed, left out or doubled (Damerau-Levenshtein distance 1). Words
    under six letters are too often two different names that close ("Moore", "Moose")."""
    if a == b or min(len(a), len(b)) < 6 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _possessor(tok: Token, head: Token) -> bool:
    """Is ``tok`` inside a possessive modifier of ``head`` ("Kazemi's uncle")?"""
    while tok.i != head.i and tok.head.i != tok.i:
        if tok.dep_ == "poss":
            return True
        tok = tok.head
    return False


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in NAME_STOP and w[:1].isupper())


class Resolver:
    """Entity clusters over one spaCy Doc, and canonical names for mentions."""

    def __init__(self, doc: Doc, in_quote: Callable[[int], bool] | None = None) -> None:
        self.doc = doc
        self.clusters: list[Cluster] = []
        self._ids = 0
        self._by_token: dict[int, Cluster] = {}
        self._person_mentions: list[tuple[int, Cluster, bool]] = []  # (start char, cluster, is subject)
        self._pronoun_memo: dict[int, Cluster | None] = {}  # token index of a "he"/"she" -> its referent
        self.text = doc.text  # Doc.text rebuilds the string on every access
        # from the quotemarks stage: people named inside someone's quote are not what a later
        # "he" or "the spokesman" outside it refers to
        self.in_quote: Callable[[int], bool] = in_quote or (lambda char: False)
        self.sentences = Sentences(doc)
        for ent, label in self._relabelled(doc):
            self._add(ent, label)
        self._complete_person_names()
        self._learn_gender()
        self._person_mentions.sort(key=lambda m: m[0])

    # ------------------------------------------------------------------ clustering
    @staticmethod
    def _relabelled(doc: Doc) -> list[tuple[Span, str]]:
        """The NER's entities, with two of its common slips mended: a person's surname
        tagged as an organisation or place elsewhere in the article ("Dewar" as ORG once
        "Paul Dewar" was a PERSON; "MDC leader Morgan Tsvangirai" as one ORG), and a country
        or capital tagged as a person ("Dakar")."""
        # a lone plural-looking "person" ("Uyghurs") is more likely a people than a surname
        surnames = {
            e[-1].text
            for e in doc.ents
            if e.label_ == "PERSON" and e[-1].pos_ == "PROPN" and (len(e) > 1 or not e.text.endswith("s"))
        }
        out = []
        for ent, label in _rejoined(doc):
            if label not in KEPT_LABELS:
                continue
            if label == "PERSON":
                ent = _whole_name(ent)
            if (
                label == "PERSON"
                and len(ent) == 1
                and (countries.country(ent.text) or countries.capital_country(ent.text))
            ):
                label = "GPE"
            elif label in ("ORG", "NORP") and countries.country(clean_name(ent)):
                label = "GPE"  # "the U.S.", "Canada" tagged as an organisation
            elif (
                label in ("ORG", "GPE", "NORP", "LOC")
                and (ent[-1].text in surnames or (len(ent) == 1 and any(_one_slip(ent.text, s) for s in surnames)))
                and not countries.country(ent.text)
                and not (label == "GPE" and ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN")
            ):
                # a surname tagged as something else, or misspelt by one slip ("according to
                # Magwneya" after "Vincent Magwenya"); a place naming the kind of a common noun
                # stays a place ("Houston coach Ime Udoka")
                run = ent.end - 1
                while run > ent.start and ent.doc[run - 1].pos_ == "PROPN" and ent.doc[run - 1].lower_ not in TITLES:
                    run -= 1
                if run > ent.start + 1 and ent.doc[run - 1].text == "-" and not ent.doc[run - 2].whitespace_:
                    run -= 2  # "Jean-Claude Juncker" tagged as one organisation
                if run > ent.start and ent.doc[run - 1].pos_ == "PROPN":
                    continue  # "Hassan Nasrallah Foundation": the name is part of the organisation's
                ent, label = _whole_name(ent.doc[run : ent.end]), "PERSON"
            out.append((ent, label))
        return out

    def _add(self, ent: Span, label: str) -> None:
        name = clean_name(ent)
        if not name or not any(c.isalpha() for c in name):
            return
        country = countries.country(name) if label in ("GPE", "LOC") else None
        cluster = self._find(name, label, ent.start_char, country)
        if cluster is None:
            cluster = Cluster(self._new_id(), label, [name], first=ent.start_char, country=country)
            if country is not None:
                cluster.type, cluster.fixed_name = "GPE", country.name
            elif label == "ORG" and name in ACRONYMS:
                cluster.fixed_name = ACRONYMS[name]
            self.clusters.append(cluster)
        self._attach(cluster, name, ent)
        if label == "PERSON":
            self._person_mentions.append((ent.start_char, cluster, ent.root.dep_ in SUBJECT_DEPS))
            self._note_context(ent, cluster)

    def _find(self, name: str, label: str, pos: int, country: countries.Country | None) -> Cluster | None:
        if country is not None:
            return next((c for c in self.clusters if c.country is not None and c.country.iso2 == country.iso2), None)
        if label in ("GPE", "LOC") and name[:1].isupper():
            # "Congo" after "the Democratic Republic of the Congo": the end of a country's name
            # that is no country by itself is the country the article named, when only one fits
            # ("Africa" after "South Africa" is the continent)
            fits = {
                c.country.iso2: c
                for c in self.clusters
                if c.country is not None and any(n.endswith(" " + name) for n in (*c.names, c.country.name))
            }
            if len(fits) == 1 and not _continent_or_region(name):
                return next(iter(fits.values()))
        same = [c for c in self.clusters if c.type == label]
        for c in reversed(same):
            if name in c.names:
                return c
        if label == "PERSON":
            return self._find_person(name.split(), same)
        if label == "ORG":
            for c in reversed(same):
                if any(
                    (name.isupper() and _initials(o) == name) or (o.isupper() and _initials(name) == o) for o in c.names
                ):
                    return c
                # "the Red Cross" after "the Kenya Red Cross" (and the other way round)
                if len(name.split()) >= 2 and any(
                    o.endswith(" " + name) or (name.endswith(" " + o) and len(o.split()) >= 2) for o in c.names
                ):
                    return c
                if ACRONYMS.get(name) and c.fixed_name == ACRONYMS[name]:
                    return c
        return None

    @staticmethod
    def _find_person(words: list[str], same: list[Cluster]) -> Cluster | None:
        """Surname to full name ("Colville" -> "Rupert Colville"), full name to a surname-only
        cluster, and variants with middle names; the most recent cluster wins a tie."""
        words = [w.lower() if w.lower() in NAME_PARTICLES else w for w in words]  # "Von der Leyen"
        for c in reversed(same):
            fulls = [
                [w.lower() if w.lower() in NAME_PARTICLES else w for w in n.split()]
                for n in c.names
                if len(n.split()) > 1
            ]
            singles = [n for n in c.names if len(n.split()) == 1]
            if len(words) == 1:
                if any(words[0] == f[-1] for f in fulls) or words[0] in singles:
                    return c
            elif fulls:
                if all(
                    words[-1] == f[-1] and (words[0] == f[0] or set(words) <= set(f) or set(f) <= set(words))
                    for f in fulls
                ):
                    return c
            elif words[-1] in singles:
                return c
        if len(words) == 1:  # a first name alone, or a surname-first name ("Kim" for "Kim Jong Nam")
            for c in reversed(same):
                if any(len(n.split()) > 1 and n.split()[0] == words[0] for n in c.names):
                    return c
            # a surname misspelt by one slip of the keyboard ("Magwneya" for "Vincent Magwenya"),
            # when exactly one person of the article has a surname that close
            near = {
                id(c): c for c in same for n in c.names if len(n.split()) > 1 and _one_slip(words[0], n.split()[-1])
            }
            if len(near) == 1:
                return next(iter(near.values()))
        return None

    def _note_context(self, ent: Span, cluster: Cluster) -> None:
        """Words introducing a name ("UN Rights Office spokesman Rupert Colville", "X, a
        spokesman for Y"): its roles and affiliations, used to resolve descriptions later."""
        doc = ent.doc
        root = ent.root
        while root.dep_ in ("compound", "flat") and root.head.i != root.i and root.head.i < ent.end + 1:
            root = root.head
        # the noun phrase's own premodifiers ("UN Rights Office spokesman Rupert Colville"),
        # not whatever words happen to stand before the name
        near = list(doc[max(self.sentences.of(ent.root).start, root.left_edge.i) : ent.start])
        for child in ent.root.children:
            if child.dep_ == "appos":
                near += list(child.subtree)
        if ent.root.dep_ == "appos":
            near += list(ent.root.head.subtree)
        words = set()
        for t in near:
            other = self._by_token.get(t.i)
            if other is not None and other.type == "ORG" and t.i not in cluster.affiliated:
                cluster.affiliated.append(t.i)
            low = t.lemma_.lower()
            if low in ROLE_NOUNS and low not in cluster.roles:
                cluster.roles.append(low)
            if not t.is_punct and not t.is_stop:
                words.add(t.lower_)
            if t.lower_ in MALE and cluster.gender is None:
                cluster.gender = "m"
            elif t.lower_ in FEMALE and cluster.gender is None:
                cluster.gender = "f"
        cluster.context.append((ent.start_char, words))

    def _complete_person_names(self) -> None:
        """The parser's NER sometimes tags only the surname ("MDC leader Morgan Tsvangirai"
        -> "Tsvangirai"); take the capitalised words right before it as the rest of the name."""
        for c in self.clusters:
            if c.type != "PERSON" or any(len(n.split()) > 1 for n in c.names):
                continue
            surname = c.names[0]
            for tok in self.doc:
                if tok.text != surname:
                    continue
                i = tok.i
                while (
                    i > self.sentences.of(tok).start
                    and self.doc[i - 1].pos_ == "PROPN"
                    and self.doc[i - 1].text[:1].isupper()
                    and self.doc[i - 1].lower_ not in TITLES
                    and self.doc[i - 1].ent_type_ not in ("ORG", "GPE", "NORP")
                ):
                    i -= 1
                if i < tok.i and tok.i - i <= 3:
                    c.names.append(" ".join(t.text for t in self.doc[i : tok.i + 1]))
                    c.mentions[(self.doc[i].idx, tok.idx + len(tok))] = self.doc[i : tok.i + 1].text
                    break

    def _learn_gender(self) -> None:
        """ "Colville said he ...": a person subject whose clausal complement has a gendered
        pronoun subject gives that person's gender, when no other person is in the sentence."""
        for c in self.clusters:
            if c.type != "PERSON" or c.gender:
                continue
            for s, _e in c.mentions:
                span = self.doc.char_span(s, _e, alignment_mode="expand")
                if span is None or span.root.dep_ not in SUBJECT_DEPS:
                    continue
                verb = span.root.head
                others = [
                    t
                    for t in self.sentences.of(span.root)
                    if t.ent_type_ == "PERSON" and not (span.start <= t.i < span.end)
                ]
                if others:
                    continue
                for t in verb.subtree:
                    if t.lower_ in MALE_PRONOUNS:
                        c.gender = "m"
                    elif t.lower_ in FEMALE_PRONOUNS:
                        c.gender = "f"
                    if c.gender:
                        break
                if c.gender:
                    break

    # ------------------------------------------------------------------ resolution
    def resolve(self, mention: Span) -> Cluster | None:
        """The cluster a speaker mention refers to, or None when the article does not say. A
        name or body met for the first time becomes a cluster of the article's entities."""
        return self._resolve(mention, record=True)

    def lookup(self, mention: Span) -> Cluster | None:
        """What ``resolve`` would say, changing nothing: a name or body the clusters do not know
        comes back as a cluster of its own with no id (``id == ""``), kept nowhere."""
        return self._resolve(mention, record=False)

    def _resolve(self, mention: Span, *, record: bool) -> Cluster | None:
        head = mention.root
        low = head.lower_
        if len(mention) == 1 and len(head.text) >= 2 and head.text.isalpha() and head.text.isupper():
            # "WHO said": an abbreviation of a body named before, not the pronoun "who"
            known = next(
                (
                    c
                    for c in reversed(self.clusters)
                    if c.type in ("ORG", "GPE", "NORP")
                    and any(n == head.text or _initials(n) == head.text for n in c.names)
                ),
                None,
            )
            if known is not None:
                return known
        if len(mention) == 1 and low in PRONOUN_KIND:
            found = self._antecedent(head, PRONOUN_KIND[low])
            if found is None and PRONOUN_KIND[low] == "org":  # "The report accuses ... It says"
                found = descriptions.document_pronoun(self, head, DOCUMENT_NOUNS)
            return found
        if len(mention) == 1 and head.pos_ == "PRON":
            return None  # they, we, I, who: not resolved to a guess
        in_mention = [self._by_token[t.i] for t in mention if t.i in self._by_token and not _possessor(t, head)]
        own = self._by_token.get(head.i)
        persons = [c for c in in_mention if c.type == "PERSON"]
        conjuncts = [c for c in head.children if c.dep_ == "conj" and mention.start <= c.i < mention.end]
        if persons and conjuncts and not all(self._by_token.get(c.i) is not None for c in conjuncts):
            return None  # "John Smith and his supporters": a group with one named member is not that member
        if persons:
            return own if own is not None and own.type == "PERSON" else persons[-1]
        named = self._name_in(mention, record)
        if named is not None:
            return named
        for child in head.children:  # "Turkey's state-run news service, Anatolian News"
            if child.dep_ == "appos" and mention.start <= child.i < mention.end and child.i in self._by_token:
                return self._speaking_for(self._by_token[child.i], record)
        if own is not None:
            return self._speaking_for(own, record)
        lemma = head.lemma_.lower()
        if head.pos_ == "PROPN":
            return self._by_surname(head) or self._unknown_name(mention, record)
        if lemma in ORG_NOUNS and any(self._by_token.get(t.i) is not None for t in mention if t.i != head.i):
            return self._named_body(mention, record)  # "the U.S. military", "the armed wing of Hamas"
        if lemma in ROLE_NOUNS:
            described = self._description(mention, head)
            if described is None and lemma in VOICE_NOUNS and head.tag_ in ("NNS", "NNPS"):
                # "Representatives from the U.S. State Department said": unnamed people speaking
                # together for a body are the body. One unnamed spokesman stays an unnamed person,
                # as the WikiNews guidelines code him ("Russia's Defence Ministry spokesman": null),
                # so a later "he" still refers to him (for every spokesperson: half A canonical
                # 178 -> 176; for plurals only 178 -> 179)
                return self._voice_of(mention, head)
            return described
        if lemma in GOVERNMENT_NOUNS:
            return self._government(mention, record)
        if lemma in DOCUMENT_NOUNS:  # "the UN data", "a Foreign Ministry statement"
            orgs = [c for c in in_mention if c.type in ("ORG", "GPE")]
            if orgs:
                return self._speaking_for(orgs[0], record)
            # "A resolution passed by the European Parliament said": who speaks through it (for a
            # speaker only: an event's actor is the document's issuer only by its own words)
            issuer = descriptions.document(self, head) if record else None
            return self._speaking_for(issuer, record) if issuer is not None else None
        if lemma in descriptions.BODY_NOUNS:
            return descriptions.body(self, mention, head) if record else None  # "The group said"
        return None  # "an African Union soldier": someone unnamed

    def _voice_of(self, mention: Span, head: Token) -> Cluster | None:
        """The organisation spokespeople or officials are named as speaking for, in their own
        phrase: by "for", "from", "at" or "of" ("Representatives from the U.S. State Department",
        "an official at the embassy"), as a modifier ("a UNICEF spokesman") or a possessor ("the
        ministry's spokeswoman"). None when the phrase names no organisation ("a U.S. official",
        "officials"): a country is not who speaks through one unnamed official."""
        for tok in mention:
            if tok.i == head.i or tok.i not in self._by_token:
                continue
            cluster = self._by_token[tok.i]
            attached = tok.head.i == head.i or (
                tok.head.dep_ == "prep" and tok.head.lower_ in ("for", "from", "at", "of") and tok.head.head.i == head.i
            )
            if cluster.type == "ORG" and (attached or tok.ent_iob_ == "I"):
                return cluster
        return None

    def _name_in(self, mention: Span, record: bool) -> Cluster | None:
        """A person's name the NER missed or mislabelled, in apposition to a role ("A spokesman
        for the agency, Alphonse Munyaneza") or right before the verb ("spokesperson Elio De
        Bolle"): two or more capitalised proper nouns that are no known place or organisation."""
        head = mention.root
        run: list[Token] = []
        for tok in reversed(list(mention)):
            if (
                tok.pos_ == "PROPN"
                and tok.text[:1].isupper()
                and tok.lower_ not in TITLES
                and tok.lemma_.lower() not in ROLE_NOUNS
            ):
                run.insert(0, tok)
            else:
                break
        role = head.lemma_.lower() in ROLE_NOUNS
        if role:
            # "director of the Council on American-Islamic Relations Alia Salem": the name is what
            # follows the organisation; a name the NER took for an organisation stays a name
            while run and run[0].ent_iob_ == "I":
                run.pop(0)
        elif any(self._by_token.get(t.i) is not None and self._by_token[t.i].type != "PERSON" for t in run):
            return None
        if len(run) < 2 or (run[0].i == mention.start and head.lemma_.lower() not in ROLE_NOUNS and run[-1] != head):
            return None
        span = mention.doc[run[0].i : run[-1].i + 1]
        name = clean_name(span)
        if not name or countries.country(name):
            return None
        cluster = self._find_person(name.split(), [c for c in self.clusters if c.type == "PERSON"])
        if not record:
            return cluster or Cluster("", "PERSON", [name], first=span.start_char)
        if cluster is None:
            cluster = Cluster(self._new_id(), "PERSON", [name], first=span.start_char)
            self.clusters.append(cluster)
        self._attach(cluster, name, span)
        return cluster

    def _attach(self, cluster: Cluster, name: str, span: Span) -> None:
        """``span``, named ``name``, is a mention of ``cluster``."""
        if name not in cluster.names:
            cluster.names.append(name)
        cluster.mentions[(span.start_char, span.end_char)] = span.text
        for t in span:
            self._by_token[t.i] = cluster

    def _speaking_for(self, cluster: Cluster, record: bool = True) -> Cluster:
        """A capital speaking for its government ("Beijing has denied") is the country;
        a nationality adjective ("Iranians said") is left as the group it names."""
        if cluster.type != "GPE" or cluster.country is not None:
            return cluster
        country = countries.capital_country(cluster.name)
        return self.country_cluster(country, record) if country else cluster

    def place_mention(self, span: Span, place: Any) -> None:
        """``span`` names ``place`` (a gazetteer entry): join the cluster of that place."""
        country = countries.country(span.text) if place.feature == "country" else None
        if country is not None:
            cluster = self.country_cluster(country)
        else:
            cluster = next(
                (c for c in self.clusters if c.type == "GPE" and (place.name in c.names or span.text in c.names)), None
            ) or self._new_cluster(span, span.text, "GPE")
        cluster.mentions.setdefault((span.start_char, span.end_char), span.text)

    def country_cluster(self, country: countries.Country, record: bool = True) -> Cluster:
        for c in self.clusters:
            if c.country is not None and c.country.iso2 == country.iso2:
                return c
        c = Cluster(
            self._new_id() if record else "",
            "GPE",
            [country.name],
            first=len(self.text),
            country=country,
            fixed_name=country.name,
        )
        if record:
            self.clusters.append(c)
        return c

    def _government(self, mention: Span, record: bool) -> Cluster | None:
        """ "the Chinese government" -> China; "the government" alone -> the article's main country."""
        for t in mention:
            c = self._by_token.get(t.i)
            if c is not None and c.country is not None:
                return c
            if c is not None and c.type == "NORP":
                country = countries.demonym_country(c.name)
                if country is not None:
                    return self.country_cluster(country, record)
        if len(mention) > 2 or any(t.dep_ == "poss" for t in mention):
            return None
        counted = [
            (len(c.mentions), -c.first, c)
            for c in self.clusters
            if c.country is not None and c.first < mention.start_char
        ]
        return max(counted, key=lambda x: x[:2])[2] if counted else None

    def _new_cluster(self, span: Span, name: str, label: str, record: bool = True) -> Cluster:
        for c in self.clusters:
            if name in c.names:
                return c
        cluster = Cluster(self._new_id() if record else "", label, [name], first=span.start_char)
        cluster.mentions[(span.start_char, span.end_char)] = span.text
        if not record:
            return cluster
        self.clusters.append(cluster)
        for t in span:
            self._by_token.setdefault(t.i, cluster)
        return cluster

    def _unknown_name(self, mention: Span, record: bool) -> Cluster | None:
        """A source named by proper nouns the NER did not tag ("Haaretz says"): keep its name."""
        head = mention.root
        run = [
            t for t in mention if t.pos_ == "PROPN" and (t.i == head.i or (t.head.i == head.i and t.dep_ == "compound"))
        ]
        if not run or run[-1].i != head.i or any(t.lower_ in TITLES for t in run):
            return None
        span = mention.doc[run[0].i : head.i + 1]
        name = clean_name(span)
        return self._new_cluster(span, name, "ORG", record) if name and name[:1].isupper() else None

    def _named_body(self, mention: Span, record: bool) -> Cluster:
        """A body named by description: "the U.S. military", "the armed wing of Hamas"."""
        return self._new_cluster(mention, clean_name(mention), "ORG", record)

    def _by_surname(self, head: Token) -> Cluster | None:
        """A name the NER missed that matches a known person's or organisation's name."""
        before = self._candidates(head.idx)
        for _s, c, _subj in reversed(before):
            if any(head.text == n.split()[-1] for n in c.names):
                return c
        for c in self.clusters:
            if head.text in c.names:
                return c
        return None

    def _description(self, mention: Span, head: Token) -> Cluster | None:
        """ "the UN rights office official" -> the person introduced with those words; "the
        Russian Defence Ministry's spokesman" with no such person -> None (a new, unnamed source)."""
        if not any(t.lower_ in ("the", "this", "that") for t in head.children) and not any(
            t.dep_ == "poss" for t in head.children
        ):
            return None  # "a spokesman", "officials": indefinite, unnamed
        modifiers = {
            t.lower_ for t in mention if t.i != head.i and not t.is_stop and not t.is_punct and t.tag_ != "POS"
        }
        role = head.lemma_.lower()
        here = self._sent_index(head.idx)
        before = self._candidates(head.idx)
        fits = [m for m in before if self._fits(m[1], modifiers, role, head.idx)]
        if not modifiers:
            fits = [m for m in fits if self._sent_index(m[0]) >= here - 3] or [
                m for m in before if m[2] and self._sent_index(m[0]) >= here - 3
            ]
        # the latest subject among the people who fit, else the latest of them
        subjects = [m for m in fits if m[2] and self._sent_index(m[0]) >= here - 3]
        pick = subjects or fits
        return pick[-1][1] if pick else None

    @staticmethod
    def _fits(cluster: Cluster, modifiers: set[str], role: str, pos: int) -> bool:
        """Was this person introduced, before ``pos``, with the description's words?"""
        known: set[str] = set()
        for where, words in cluster.context:
            if where < pos:
                known |= words
        return modifiers <= known and (role in cluster.roles or role in GENERIC_ROLES)

    def _candidates(self, pos: int) -> list[tuple[int, Cluster, bool]]:
        return [m for m in self._person_mentions if m[0] < pos and m[1] is not UNNAMED and not self.in_quote(m[0])]

    def _antecedent(self, tok: Token, kind: str) -> Cluster | None:
        """The most salient earlier entity of the right kind: in the nearest sentence (of the
        last four) that has one, its subject first."""
        pos = tok.idx
        here = self._sent_index(pos)
        if kind == "org":
            before = [
                (s, c, self._is_subject(s))
                for c in self.clusters
                if c.type in ("ORG",)
                for (s, _e) in c.mentions
                if s < pos
            ]
            before = [m for m in before if m[2]]
        else:
            before = [
                m
                for m in self._person_mentions
                if m[0] < pos and m[1].gender in (None, kind) and not self.in_quote(m[0])
            ]
            before += self._pronoun_subjects(tok, kind, here)
        by_sent: dict[int, list[tuple[int, Cluster, bool]]] = {}
        for m in sorted(before, key=lambda m: m[0]):
            by_sent.setdefault(self._sent_index(m[0]), []).append(m)
        for idx in sorted(by_sent, reverse=True):
            if idx < here - (2 if kind == "org" else 4):
                return self._protagonist(before) if kind != "org" else None
            cands = by_sent[idx]
            # the main clause's subject ("Jim Swire ... believes al-Megrahi was not guilty. He ...")
            main = [c for s, c, subj in cands if subj and self._is_main_subject(s)]
            subjects = [c for _s, c, subj in cands if subj]
            pick = (main or subjects or [cands[0][1]])[0]
            return None if pick is UNNAMED else pick
        return None

    def _pronoun_subjects(self, tok: Token, kind: str, here: int) -> list[tuple[int, Cluster, bool]]:
        """Earlier "he"/"she" subjects of the last sentences, as mentions of whom they refer to:
        "In another tweet, he referred to Robart as ... He also claimed" keeps the chain on the
        tweet's author, not on the judge the sentence names (each pronoun resolved once)."""
        forms = SUBJECT_PRONOUNS.get(kind, frozenset())
        out = []
        for prev in reversed(self.doc[max(0, tok.i - PRONOUN_REACH) : tok.i]):  # bounded: linear time
            if self._sent_index(prev.idx) < here - 4:
                break
            if prev.lower_ in forms and prev.dep_ in SUBJECT_DEPS and not self.in_quote(prev.idx):
                if prev.i not in self._pronoun_memo:
                    self._pronoun_memo[prev.i] = None  # (a cycle ends here)
                    self._pronoun_memo[prev.i] = self._antecedent(prev, kind)
                found = self._pronoun_memo[prev.i]
                if found is not None:
                    out.append((prev.idx, found, True))
                break  # the nearest one carries the chain
        return out

    @staticmethod
    def _protagonist(before: list[tuple[int, Cluster, bool]]) -> Cluster | None:
        """No person in the last sentences: news then means the person the story is about,
        the one named most so far (at least three times, and clearly more than any other)."""
        counts: dict[str, int] = {}
        by_id: dict[str, Cluster] = {}
        for _s, c, _subj in before:
            if c is not UNNAMED:
                counts[c.id] = counts.get(c.id, 0) + 1
                by_id[c.id] = c
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            return by_id[ranked[0][0]]
        return None

    def _is_main_subject(self, char: int) -> bool:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        while tok.dep_ in ("compound", "flat", "appos") and tok.head.i != tok.i:
            tok = tok.head
        return tok.dep_ in SUBJECT_DEPS and tok.head.dep_ == "ROOT"

    def _is_subject(self, char: int) -> bool:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span is not None and span.root.dep_ in SUBJECT_DEPS

    def _sent_index(self, char: int) -> int:
        return self.sentences.index_at_char(char)

    def _new_id(self) -> str:
        # a counter, not len(clusters): merges remove clusters, and ids must never repeat
        self._ids += 1
        return f"e{self._ids}"

    def sentence_index(self, char: int) -> int:
        return self._sent_index(char)

    def cluster_at(self, tok: Token) -> Cluster | None:
        return self._by_token.get(tok.i)

    def antecedent(self, tok: Token, kind: str) -> Cluster | None:
        return self._antecedent(tok, kind)

    def affiliation(self, person: Cluster, noun: str) -> Cluster | None:
        """The organisation ``person`` was introduced with whose name ends in ``noun``
        ("UN Human Rights Office chief Michelle Bachelet", noun "office")."""
        for i in person.affiliated:
            org = self._by_token.get(i)
            if org is not None and org.type == "ORG" and org.name.split()[-1].lower() == noun:
                return org
        return None

    def merge(self, keep: Cluster, drop: Cluster) -> None:
        """``drop`` is another name for ``keep``: one cluster from now on."""
        for n in drop.names:
            if n not in keep.names:
                keep.names.append(n)
        keep.mentions.update(drop.mentions)
        keep.roles += [r for r in drop.roles if r not in keep.roles]
        keep.context += drop.context
        keep.affiliated += drop.affiliated
        keep.first = min(keep.first, drop.first)
        types = {keep.type, drop.type}
        if len(types) == 2 and types <= {"PERSON", "GPE", "NORP"} and ("NORP" in types or keep.name.endswith("s")):
            keep.type = "NORP"  # "Uyghurs" tagged as persons and as a place: a people
        elif "EVENT" in types:
            keep.type = "EVENT"  # "the Beijing Winter Olympics" tagged as a facility once
        for i, c in self._by_token.items():
            if c is drop:
                self._by_token[i] = keep
        self._person_mentions = [(s, keep if c is drop else c, subj) for s, c, subj in self._person_mentions]
        self.clusters.remove(drop)

    def add_unnamed(self, start: int) -> None:
        """An unnamed person spoke here ("An African Union soldier said ..."): a "he" or "she"
        right after refers to them, and so stays unknown rather than taking an earlier name."""
        self._person_mentions.append((start, UNNAMED, True))
        self._person_mentions.sort(key=lambda m: m[0])

    def add_mention(self, cluster: Cluster, start: int, end: int) -> None:
        """A speaker mention resolved to ``cluster``: it becomes a salient subject for the
        pronouns after it, and a pronoun or description joins the cluster's mentions."""
        if cluster.type == "PERSON":
            self._person_mentions.append((start, cluster, True))
            self._person_mentions.sort(key=lambda m: m[0])
        if not any(s < end and start < e for (s, e) in cluster.mentions):
            cluster.mentions[(start, end)] = self.text[start:end]

    # ------------------------------------------------------------------ output
    def _roles(self, c: Cluster) -> tuple[str, ...]:
        """Roles with the organisation they were given with: "spokesman, United Nations Human
        Rights Office" for "UN Rights Office spokesman Rupert Colville"."""
        orgs = []
        for i in c.affiliated:
            org = self._by_token.get(i)
            if org is not None and org.type == "ORG" and org.name not in orgs:
                orgs.append(org.name)
        if not orgs:
            return tuple(c.roles)
        return tuple(f"{role}, {orgs[0]}" for role in c.roles) or tuple(orgs)

    def entities(self, places: Places | None = None) -> list[Entity]:
        """The clusters as the record's entities; ``places`` (the geo stage's) give their geo."""
        text = self.text
        out = []
        for c in sorted(self.clusters, key=lambda c: min([c.first] + [s for s, _e in c.mentions])):
            if not c.mentions:
                continue
            mentions = tuple(Mention(s, e, text[s:e]) for (s, e) in sorted(c.mentions))
            if places is not None:
                geo = places.geo(c)
            elif c.country is not None:
                geo = Geo(None, None, c.country.iso2, c.country.geonames, iso3=c.country.iso3)
            else:
                geo = None
            out.append(Entity(c.id, c.name, c.type, mentions, roles=self._roles(c), geo=geo))
        return out
