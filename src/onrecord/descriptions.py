"""Who stands behind a description that names no one: "the group", "the company", "the report".

News names a source once and then refers back to it by what it is: "Consumer Reports declined
... The group said", "A resolution passed by the European Parliament ... The resolution also
stated". A quote given to "the group" or "the resolution" belongs to the body named before, or
to whoever issued the document. Both rules read only the parse and the article's own clusters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from . import lexicons

if TYPE_CHECKING:
    from .entities import Cluster, Resolver

# English nouns for an organised body (a closed class, not grown from dev sentences).
BODY_NOUNS = lexicons.words("people", "BODY_NOUNS")
DEFINITE = ("the", "this", "that")
AUTHOR_PREPS = ("by", "from", "of")
# How far back a description looks for what it refers to, in sentences: the few a reader keeps
# in mind. Not tuned: on the wikinews dev quotes any reach of 1-5 sentences for bodies gives the
# same canonical speakers on both halves (A 177/204, B 158/181), and for documents any of 3-10
# (1 loses half A one quote).
BODY_REACH = 3
DOCUMENT_REACH = 6


def _definite(head: Token) -> bool:
    return any(t.lower_ in DEFINITE for t in head.children)


def body(resolver: Resolver, mention: Span, head: Token) -> Cluster | None:
    """ "the group", "the company", "the youth league": the organisation named last in the last
    sentences, one whose name has the description's noun first ("the league" for "... Youth
    League"), then one that was a subject, then any. Indefinite ("a group") is someone new."""
    if not _definite(head) or any(resolver.cluster_at(t) is not None for t in mention):
        return None
    here = resolver.sentence_index(head.idx)
    cands = sorted(
        (
            (s, c)
            for c in resolver.clusters
            if c.type == "ORG" and c.id
            for (s, _e) in c.mentions
            if s < head.idx and resolver.sentence_index(s) >= here - BODY_REACH and not resolver.in_quote(s)
        ),
        key=lambda m: m[0],
    )
    if not cands:
        return None
    noun = head.lemma_.lower()
    named = [m for m in cands if noun in {w.lower() for w in m[1].name.split()}]
    subjects = [m for m in cands if _subject(head.doc, m[0])]
    return (named or subjects or cands)[-1][1]


def _subject(doc: Doc, char: int) -> bool:
    """Whether the name starting at ``char`` is a clause's subject ("Consumer Reports declined")."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


def _issuers(head: Token) -> Iterator[Token]:
    """The heads of the phrases by which a document's noun phrase names who issued it: its
    possessor or name modifier ("the UN's report", "a European Union report"), the object of
    "by", "from" or "of" ("a release from Amnesty International"), also through a participle
    ("a resolution passed by the European Parliament")."""
    for child in head.children:
        if child.dep_ in ("poss", "compound"):
            yield child
        elif child.dep_ == "prep" and child.lower_ in AUTHOR_PREPS:
            yield from (g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ == "acl":
            for c in child.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
                    yield from (g for g in c.children if g.dep_ == "pobj")


def author(resolver: Resolver, head: Token, record: bool = True) -> Cluster | None:
    """Who issued the document ``head`` names, as its own noun phrase says, or None (with
    ``record``, a name met for the first time becomes one of the article's clusters)."""
    for issuer in _issuers(head):
        phrase = head.doc[issuer.left_edge.i : issuer.i + 1]
        cluster = resolver.resolve(phrase) if record else resolver.lookup(phrase)
        if cluster is not None and cluster.id and cluster.type in ("ORG", "GPE", "PERSON"):
            return cluster
    return None


def document(resolver: Resolver, head: Token, record: bool = True) -> Cluster | None:
    """ "a European Union report", "the report" after it: the author named in the phrase, or,
    for a definite one, in the last phrase before with the same noun (the same document)."""
    found = author(resolver, head, record)
    if found is not None or not _definite(head):
        return found
    noun = head.lemma_.lower()
    here = resolver.sentence_index(head.idx)
    for tok in reversed(head.doc[: head.i]):
        if resolver.sentence_index(tok.idx) < here - DOCUMENT_REACH:
            break
        if tok.pos_ == "NOUN" and tok.lemma_.lower() == noun and not resolver.in_quote(tok.idx):
            found = author(resolver, tok, record=False)
            if found is not None:
                return found
    return None


def document_pronoun(resolver: Resolver, pronoun: Token, nouns: frozenset[str] | set[str]) -> Cluster | None:
    """ "The report accuses Israel ... It says": "it" with no organisation before it refers
    back to the document that was the last subject, in this sentence or the one before, and
    speaks for whoever issued it."""
    here = resolver.sentence_index(pronoun.idx)
    for tok in reversed(pronoun.doc[: pronoun.i]):
        if resolver.sentence_index(tok.idx) < here - 1:
            break
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN" and not resolver.in_quote(tok.idx):
            if tok.lemma_.lower() in nouns:
                return document(resolver, tok, record=False)
            return None  # the last subject is something else: "it" is not the document
    return None
