"""Entity clusters and the resolver that turns a speaker mention into a canonical name.

One resolver serves both the record's ``entities`` and the quotes' speakers, so a quote's
speaker always points at an entity of the same record. The clustering is deliberately
conservative: surnames join the full name they belong to, acronyms join the name they
abbreviate, a capital used as a speaking subject stands for its country; pronouns and role
descriptions ("she", "the spokesman") are resolved only when a speaker needs them, to the
most salient person before them. Where nothing fits, the answer is None: unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .capitals import capital_country
from .cues import GOVERNMENT_NOUNS, PRONOUNS, ROLE_NOUNS, TITLES
from .model import Entity, Mention

STAGE = "entities"
KEPT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "agent"}
NAME_STOP = {"the", "of", "for", "and", "on", "in", "de", "&"}


@dataclass
class Cluster:
    id: str
    type: str
    names: list[str]                          # name forms, in order of appearance
    mentions: dict[tuple[int, int], str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    first: int = 0

    @property
    def name(self) -> str:
        # the fullest form the article gives: most words, then earliest
        return max(self.names, key=lambda n: (len(n.split()), len(n), -self.names.index(n)))


def _clean_name(span: Span) -> str:
    words = [t for t in span if not t.is_punct or t.text in "-.&'"]
    while words and (words[0].lower_ in TITLES or words[0].lower_ in ("the", "a", "an")):
        words = words[1:]
    while words and words[-1].tag_ == "POS":
        words = words[:-1]
    text = " ".join(t.text for t in words)
    return re.sub(r"\s+([-'])\s*", r"\1", text).strip(" .,")


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in NAME_STOP and w[:1].isupper())


class Resolver:
    """Entity clusters over one spaCy Doc, and canonical names for mentions."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.clusters: list[Cluster] = []
        self._by_token: dict[int, Cluster] = {}
        self._person_mentions: list[tuple[int, Cluster, bool]] = []   # (start char, cluster, is subject)
        for ent in doc.ents:
            if ent.label_ in KEPT_LABELS:
                self._add(ent)
        self._person_mentions.sort(key=lambda m: m[0])

    # ------------------------------------------------------------------ clustering
    def _add(self, ent: Span) -> None:
        name = _clean_name(ent)
        if not name or not any(c.isalpha() for c in name):
            return
        label = ent.label_
        cluster = self._find(name, label)
        if cluster is None:
            cluster = Cluster(f"e{len(self.clusters) + 1}", label, [name], first=ent.start_char)
            self.clusters.append(cluster)
        elif name not in cluster.names:
            cluster.names.append(name)
        cluster.mentions[(ent.start_char, ent.end_char)] = ent.text
        for tok in ent:
            self._by_token[tok.i] = cluster
        if label == "PERSON":
            self._person_mentions.append((ent.start_char, cluster, ent.root.dep_ in SUBJECT_DEPS))
            self._note_role(ent, cluster)

    def _find(self, name: str, label: str) -> Cluster | None:
        words = name.split()
        same_type = [c for c in self.clusters if c.type == label or {c.type, label} <= {"GPE", "LOC"}]
        for c in reversed(same_type):
            if name in c.names:
                return c
        if label == "PERSON":
            for c in reversed(same_type):   # "Colville" joins "Rupert Colville"; "Rupert Colville" joins "Colville"
                for other in c.names:
                    o = other.split()
                    if len(words) == 1 and (words[0] == o[-1] or (len(o) > 1 and words[0] == o[0] and len(o) == 3)):
                        return c
                    if len(o) == 1 and (o[0] == words[-1]):
                        return c
                    if len(words) > 1 and len(o) > 1 and words[-1] == o[-1] and words[0] == o[0]:
                        return c
        if label == "ORG":
            for c in reversed(same_type):
                for other in c.names:
                    if (name.isupper() and _initials(other) == name) or (other.isupper() and _initials(name) == other):
                        return c
        return None

    def _note_role(self, ent: Span, cluster: Cluster) -> None:
        """Role words next to a name: "UN Rights Office spokesman Rupert Colville", "Colville, the spokesman"."""
        left = ent.doc[max(ent.sent.start, ent.start - 6):ent.start]
        roles = [t.lemma_.lower() for t in left if t.lemma_.lower() in ROLE_NOUNS]
        for child in ent.root.children:
            if child.dep_ == "appos":
                roles += [t.lemma_.lower() for t in child.subtree if t.lemma_.lower() in ROLE_NOUNS]
        if ent.root.dep_ == "appos":
            roles += [ent.root.head.lemma_.lower()] if ent.root.head.lemma_.lower() in ROLE_NOUNS else []
        for r in roles:
            if r not in cluster.roles:
                cluster.roles.append(r)

    # ------------------------------------------------------------------ resolution
    def cluster_at(self, tok: Token) -> Cluster | None:
        return self._by_token.get(tok.i)

    def resolve(self, mention: Span, *, speaking: bool = True) -> Cluster | None:
        """The cluster a speaker mention refers to, or None when the article does not say."""
        head = mention.root
        low = head.lower_
        if len(mention) == 1 and low in PRONOUNS:
            return self._antecedent(head, PRONOUNS[low])
        person = [self._by_token[t.i] for t in mention if self._by_token.get(t.i) and self._by_token[t.i].type == "PERSON"]
        own = self._by_token.get(head.i)
        if own is not None and own.type != "PERSON" and not person:
            return self._country_for(own, head) if speaking else own
        if person:
            return own if own is not None and own.type == "PERSON" else person[0]
        if head.lemma_.lower() in ROLE_NOUNS and any(t.lower_ in ("the", "this", "that") or t.dep_ == "poss" for t in head.children):
            return self._antecedent(head, "PERSON", role=head.lemma_.lower())
        modifiers = [self._by_token[t.i] for t in mention if t.i in self._by_token]
        if modifiers:
            m = modifiers[0]
            if m.type == "ORG":
                return m                                   # "the UN data", "a Foreign Ministry statement"
            if m.type in ("GPE", "NORP") and head.lemma_.lower() in GOVERNMENT_NOUNS:
                return m                                   # "the Chinese government"
        return None

    def _country_for(self, cluster: Cluster, head: Token) -> Cluster:
        """A capital speaking for its government ("Beijing has denied") is the country."""
        if cluster.type != "GPE":
            return cluster
        country = capital_country(cluster.name)
        if not country:
            return cluster
        for c in self.clusters:
            if c.type == "GPE" and country in c.names:
                c.mentions[(head.idx, head.idx + len(head.text))] = head.text
                return c
        c = Cluster(f"e{len(self.clusters) + 1}", "GPE", [country], first=head.idx)
        c.mentions[(head.idx, head.idx + len(head.text))] = head.text
        self.clusters.append(c)
        return c

    def _antecedent(self, tok: Token, kind: str, role: str | None = None) -> Cluster | None:
        """The most salient earlier entity: the nearest sentence that has one, its subject first."""
        pos = tok.idx
        if kind == "PERSON":
            before = [m for m in self._person_mentions if m[0] < pos]
        else:
            before = [(s, c, False) for c in self.clusters if c.type in ("ORG", "GPE", "NORP") for (s, _e) in c.mentions if s < pos]
            before.sort(key=lambda m: m[0])
        if not before:
            return None
        if role:
            by_role = [m for m in before if role in m[1].roles]
            if by_role:
                return by_role[-1][1]
        sent_of = {}
        for s, c, subj in before:
            sent_of.setdefault(self._sent_index(s), []).append((s, c, subj))
        for idx in sorted(sent_of, reverse=True)[:3]:
            cands = sent_of[idx]
            subjects = [c for _s, c, subj in cands if subj]
            return subjects[0] if subjects else cands[0][1]
        return None

    def _sent_index(self, char: int) -> int:
        return self.doc.char_span(char, char + 1, alignment_mode="expand").sent.start if self.doc.text[char:char + 1] else 0

    def add_mention(self, cluster: Cluster, start: int, end: int) -> None:
        """A pronoun or description resolved to ``cluster`` joins its mentions."""
        if any(s < end and start < e for (s, e) in cluster.mentions):
            return
        cluster.mentions[(start, end)] = self.doc.text[start:end]
        if cluster.type == "PERSON":
            self._person_mentions.append((start, cluster, True))
            self._person_mentions.sort(key=lambda m: m[0])

    # ------------------------------------------------------------------ output
    def entities(self) -> list[Entity]:
        text = self.doc.text
        out = []
        for c in sorted(self.clusters, key=lambda c: c.first):
            mentions = tuple(Mention(s, e, text[s:e]) for (s, e) in sorted(c.mentions))
            out.append(Entity(c.id, c.name, c.type, mentions, roles=tuple(c.roles)))
        return out
