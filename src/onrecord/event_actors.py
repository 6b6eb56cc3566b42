"""Who acts and who is acted upon in an event: the actors, their country codes and sectors.

The source is the trigger's subject (or agent, or the passive subject of the verb that made
it act), the target its object or the object of "on", "against", "with", "to". Actors name
existing entities (the shared Resolver), a person, group, body or office by its noun, or an
agent noun of the Phoenix agents dictionary; countries (or a capital, a nationality, a
government) carry their ISO 3166 alpha-3 code, international organisations "IGO", and a
named actor of the Phoenix actor dictionary its country on the article's publication date.
"""

from __future__ import annotations

import bisect
from contextvars import ContextVar
from typing import Any

from spacy.tokens import Doc, Token

from . import countries, event_lexicon, lexicons
from .coref import OFFICE_NOUNS
from .cues import GOVERNMENT_NOUNS, ROLE_NOUNS
from .entities import ORG_NOUNS, Cluster, Resolver
from .geo import Places
from .model import Quote

TARGET_PREPS = lexicons.words("events", "TARGET_PREPS")
IGO_WORDS = lexicons.words("events", "IGO_WORDS")

# the article's date, for the dated actor codes: set per call, per thread (batch runs threads)
PUBLISHED: ContextVar[str | None] = ContextVar("published", default=None)
# the quoted spans with a named speaker, by start (set_quotes)
QUOTED: ContextVar[tuple[list[int], list[tuple[int, int, Quote]]]] = ContextVar("quoted", default=([], []))

PEOPLE = lexicons.words("events", "PEOPLE")
STATE_ACTORS = lexicons.words("events", "STATE_ACTORS")
# heads that name someone who acts, as opposed to "such a visit" or "several countries"
THIRD_PERSON_SUBJECTS = lexicons.pronoun_forms(cases="subj", person="3")  # he she it they
ACTOR_NOUNS = STATE_ACTORS | PEOPLE | lexicons.words("events", "ACTOR_NOUNS")
# heads that name people, groups, bodies and offices (the actor nouns here and the role,
# organisation and government nouns the entity stage knows)
PERSON_OR_BODY = (
    ACTOR_NOUNS | ROLE_NOUNS | ORG_NOUNS | GOVERNMENT_NOUNS | OFFICE_NOUNS | lexicons.words("events", "STATES")
)


def actor(tok: Token | None, resolver: Resolver, places: Places) -> dict[str, Any] | None:
    if tok is None:
        return None
    if tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl" and tok.head.head.i != tok.head.i:
        tok = tok.head.head  # "the rebels, who attacked ...": the relative pronoun's antecedent
    if tok.lower_ in FIRST_PERSON:
        speaker = _speaker_of(tok)
        if speaker is not None:
            # '"We will not negotiate," the minister said': the speaker acts (whole articles B
            # recall 0.361 -> 0.370, actors right 0.667 -> 0.700; A and sentences unchanged)
            tok = speaker
    span = tok.doc[tok.left_edge.i : tok.i + 1]
    cluster = resolver.lookup(span) if len(span) else None  # actors name existing entities only
    if cluster is None and tok.tag_ == "PRP$" and tok.lower_ in POSSESSIVE_KIND:
        # "the court rejected his plea": whose plea it is, is who is rejected (with _owners:
        # 28 articles A precision 0.648 -> 0.651, recall 0.411 -> 0.416; B, sentences same)
        cluster = resolver.antecedent(tok, POSSESSIVE_KIND[tok.lower_])
    whole = tok.doc[tok.left_edge.i : tok.right_edge.i + 1]  # "Security forces in Guinea"
    code = _code(span, cluster, resolver, places) or _code(whole, None, resolver, places)
    sector = agent(tok)  # "riot police" -> COP; a listed person by their role on the date
    if cluster is None and code is None and not _names_someone(tok, sector):
        return None  # "such a visit", "the parameters", "gunshot wounds", "it": no one acts
    name = cluster.name if cluster is not None else span.text
    if sector is None and cluster is not None and cluster.type == "PERSON":
        sector = event_lexicon.actor_role(cluster.name, PUBLISHED.get())
    return {
        "name": name,
        "entity": (cluster.id or None) if cluster is not None else None,
        "named": cluster is not None,  # a name or body, known or met here first (working field)
        "text": span.text,
        "start": span.start_char,
        "end": span.end_char,
        "code": code,
        "sector": sector,
        "members": _members(tok, span, resolver, places),  # working field: see codes()
    }


def _members(tok: Token, span: Any, resolver: Resolver, places: Places) -> list[str]:
    """The codes of the other members of a coordinated actor (PLOVER, "Compound and Reciprocal
    Actors": one actor with several members): "Israel and the Palestinians", "Hungarian and
    Romanian officials". Only conjuncts count, not every country a phrase names ("the
    US-backed Iraqi government" is Iraq's)."""
    out: list[str] = []
    heads = [c for c in tok.conjuncts if c.i > tok.i and c.pos_ in ("NOUN", "PROPN")]
    for c in heads:
        part = c.doc[c.left_edge.i : c.i + 1]
        found = _code(part, resolver.lookup(part), resolver, places)
        if found is not None:
            out.append(found)
    for t in span:
        if t.dep_ == "conj" and t.head.i in range(span.start, span.end) and t.i != tok.i:
            found = _code(t.doc[t.i : t.i + 1], None, resolver, places)
            if found is not None:
                out.append(found)
    return out


def codes(actor: dict[str, Any]) -> tuple[str, ...]:
    """Every code of an actor, its own first, then its coordinated members'."""
    own = [actor["code"]] if actor.get("code") else []
    return tuple(dict.fromkeys(own + list(actor.get("members") or ())))


FIRST_PERSON = lexicons.pronoun_forms(cases="subj", person="1")  # "I", "we"
POSSESSIVE_KIND = {"his": "m", "her": "f"}  # the resolver's pronoun kinds


def _speaker_of(tok: Token) -> Token | None:
    """The head word of the named speaker of the direct or mixed quote ``tok`` lies in, for a
    first-person pronoun: in a quote, "I" and "we" are whoever says it."""
    starts, spans = QUOTED.get()
    k = bisect.bisect_right(starts, tok.idx) - 1  # the last quoted span starting at or before it
    if k < 0 or not spans[k][0] <= tok.idx < spans[k][1]:
        return None
    m = spans[k][2].speaker.mention
    assert m is not None
    named = tok.doc.char_span(m.start, m.end, alignment_mode="expand")
    return named.root if named is not None and named.root.lower_ not in FIRST_PERSON else None


def set_quotes(quotes: list[Quote]) -> None:
    """Index the direct and mixed quotes with a named speaker by where their spans start (quote
    spans do not overlap), so a pronoun finds its quote in log time: an article of thousands of
    quotes stays linear."""
    spans = sorted(
        (
            (sp.start, sp.end, q)
            for q in quotes
            if q.kind != "indirect" and q.speaker.mention is not None and q.speaker.name is not None
            for sp in q.spans
        ),
        key=lambda x: (x[0], x[1]),
    )
    QUOTED.set(([s for s, _e, _q in spans], spans))


def _names_someone(tok: Token, sector: str | None) -> bool:
    """Whether the words headed by ``tok`` can name a political or social actor: a person,
    a group, a body or an office by its noun, or a name; not a pronoun the entities did not
    resolve, and not a thing. ``sector`` is the words' agent sector (``agent``), looked up
    once by the caller: an agent noun names someone too."""
    if tok.pos_ == "PRON" or tok.tag_ in ("WDT", "WP", "DT", "EX"):
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    lemma = tok.lemma_.lower()
    return bool({lemma, tok.lower_} & PERSON_OR_BODY) or sector is not None


def agent(tok: Token) -> str | None:
    """The Phoenix agents dictionary's sector for the noun phrase ``tok`` heads ("the two
    women" -> CVL, "riot police" -> COP). As evidence that someone acts, and that an actor
    named without a country takes the sentence's: whole articles actors right A 0.511 ->
    0.565, B 0.641 -> 0.667, A recall +0.011 (precision 0.682 -> 0.657: more events, one
    more right); sentences unchanged."""
    return event_lexicon.agent_sector([t.text for t in tok.doc[tok.left_edge.i : tok.i + 1]])


def _code(span: Any, cluster: Cluster | None, resolver: Resolver, places: Places) -> str | None:
    """ISO 3166 alpha-3 for a country or its government, "IGO" for international bodies."""
    own = places.country(cluster) if cluster is not None else None
    if own is not None:
        return own.iso3
    if cluster is not None and cluster.type in ("PERSON", "ORG", "NORP"):
        # The words before a listed person's name say whom they act for on the day ("U.N.
        # mediator Diego Cordovez" is the UN's, whatever post the dictionary dates him to):
        # no dev figure moves by itself (the one such sentence also needed _intent's "if")
        title = [t for t in span if t.ent_type_ != "PERSON"]
        said = _words_code(title, None, resolver, places) if len(title) < len(span) else None
        if said is not None:
            return said
        # "Ehud Olmert" -> ISR in 2007; the actor's own words when its name is not listed
        # ("President Bush": the entity's name is "Bush"): sentences A 0.684 -> 0.691, B same
        listed = event_lexicon.actor_code(cluster.name, PUBLISHED.get()) or event_lexicon.actor_code(
            span.text, PUBLISHED.get()
        )
        if listed is not None:
            return listed
    return _words_code(list(span), cluster, resolver, places)


def _words_code(words: list[Token], cluster: Cluster | None, resolver: Resolver, places: Places) -> str | None:
    """The first country or IGO that ``words`` name (or ``cluster``'s name, for IGOs)."""
    for t in words:
        named = resolver.cluster_at(t)  # "the United States", "Iraqi" (clusters already know)
        country = places.country(named) if named is not None else None
        if country is not None:
            return country.iso3
        if named is not None and named.type == "NORP":
            c = countries.demonym_country(named.name)
            if c is not None:
                return c.iso3
        c = (
            countries.country(t.text)
            or countries.capital_country(t.text)
            or (countries.demonym_country(t.text) if t.tag_ in ("JJ", "NNP", "NNPS") and t.text[:1].isupper() else None)
        )
        if c is not None:
            return c.iso3
    text = " ".join(t.text for t in words)
    name = (cluster.name if cluster is not None else text).lower().removeprefix("the ")
    if name in IGO_WORDS or any(w in name for w in IGO_WORDS):
        return "IGO"
    return None


def source_token(tok: Token) -> Token | None:
    subj = _subject_of(tok)
    if subj is not None and subj.pos_ == "PRON" and subj.lower_ in THIRD_PERSON_SUBJECTS:
        # "Iraq said it would allow ...": the pronoun is the reporting clause's subject
        t = subj.head
        for _ in range(3):
            if t.dep_ in ("ccomp", "xcomp") and t.head.i != t.i:
                t = t.head
                outer = next((c for c in t.children if c.dep_ in ("nsubj",) and c.pos_ != "PRON"), None)
                if outer is not None:
                    return outer
            else:
                break
    return subj


def _subject_of(tok: Token) -> Token | None:
    if tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(c.dep_.startswith(("nsubj", "aux")) for c in tok.children):
        # "X told reporters when asked about ...": a reduced passive, whose subject would be
        # who is acted upon; whoever acts is not named (first 16 articles A precision 0.738 ->
        # 0.750, B and sentences unchanged; with "acl" relatives too, B sentence codes fell)
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
    t = tok
    for _ in range(4):
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.dep_ == "nsubjpass" and t.i != tok.i and tok.dep_ == "xcomp" and tok.head.i == t.i:
                # "Bernier was forced to resign": who was forced is who resigns (whole articles
                # A recall 0.517 -> 0.528, precision 0.657 -> 0.662; B and sentences unchanged)
                return subj
            if subj.dep_ == "nsubjpass":
                agent = next((c for c in t.children if c.dep_ == "agent"), None)
                return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            return subj
        if t.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl", "relcl") and t.head.i != t.i:
            if t.dep_ in ("acl", "relcl"):
                return t.head
            t = t.head
            continue
        return None
    return None


def _target_candidates(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj", "dative")]
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"in"}:
            out += [g for g in child.children if g.dep_ == "pobj"]
    for child in tok.children:  # "urged X to ...", "demanded that X ...", "accused X of ..."
        if child.dep_ in ("xcomp", "ccomp"):
            out += [g for g in child.children if g.dep_ in ("nsubj", "nsubjpass")]
            if child.dep_ == "xcomp":  # "refused to commit to any assistance to the US-led war"
                out += [g for g in child.children if g.dep_ in ("dobj", "dative")]
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
                        out += [g for g in prep.children if g.dep_ == "pobj"]
    # "called for sanctions against Nigeria": the target of what the verb is "for" (no dev
    # figure moves)
    inner = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ == "pobj"]
    for obj in list(out) + inner:  # "restrictions on Palestinian workers": the object's own "on/against"
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ in TARGET_PREPS:
                out += [g for g in prep.children if g.dep_ == "pobj"]
    return [t for t in out if t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY")]


def _owners(tok: Token) -> list[Token]:
    """Whose the object is, where the object names no one: "violated a ban by General
    Aoun", "rejected his plea" (PLOVER: the recipient is whom the act is aimed at; but
    "ordered his forces" acts upon the forces). PLOVER sentences actor code F1 A 0.703 ->
    0.708, B 0.749 -> 0.754, first 16 articles unchanged."""
    out: list[Token] = []
    for obj in [c for c in tok.children if c.dep_ == "dobj"]:
        out += [c for c in obj.children if c.dep_ == "poss"]
        out += [
            g for c in obj.children if c.dep_ == "prep" and c.lower_ == "by" for g in c.children if g.dep_ == "pobj"
        ]
    return out


def target(tok: Token, resolver: Resolver, places: Places) -> dict[str, Any] | None:
    candidates = _target_candidates(tok)
    # "were detained in Kuala Lumpur": a place the act happens in is the target only when no
    # one else is acted upon (the people detained take its country in _fill_codes); no dev
    # figure moves
    acted = [t for t in candidates if not (t.head.dep_ == "prep" and t.head.lower_ == "in")]
    for group in (acted, candidates, _owners(tok)):
        first = None  # the first coded actor of the group, else its first actor
        for t in group:
            found = actor(t, resolver, places)
            if found is not None and found["code"]:
                return found
            first = first or found
        if first is not None:
            return first
    return None


def _sentence_countries(doc: Doc, start: int, end: int, resolver: Resolver, places: Places) -> list[str]:
    """ISO3 codes of the countries a sentence names or places itself in, in order (kept per
    sentence: the events of one sentence ask the same)."""
    memo = resolver.__dict__.setdefault("_sentence_countries", {})
    if (start, end) not in memo:
        memo[(start, end)] = _countries_in(start, end, resolver, places)
    return list(memo[(start, end)])


def _countries_in(start: int, end: int, resolver: Resolver, places: Places) -> list[str]:
    codes: list[str] = []
    for c in resolver.clusters:
        if not any(start <= s < end for s, _e in c.mentions):
            continue
        place = places.place.get(c.id)
        country = places.country(c) or (countries.by_iso2(place.country) if place is not None else None)
        if country is not None and country.iso3 not in codes:
            codes.append(country.iso3)
    return codes


def fill_codes(event: dict[str, Any], trigger: Token, resolver: Resolver, places: Places, focus: bool = False) -> None:
    """Actors named without a country ("President Omar El Bashir", "demonstrators"): state
    actors take the country the sentence is about; people acted upon take the place of the
    event, else the acting side's country (a government acting at home). With ``focus``, a
    sentence that names no country is taken to happen in the article's main country: on the
    hand-coded articles this takes actors right from 0.43 / 0.47 to 0.52 / 0.63 (halves A / B)
    with typed precision unchanged, because it runs after the test that an event has an actor
    (a country implied this way is no evidence that someone acted)."""
    sent = resolver.sentences.of(trigger)
    codes = _sentence_countries(trigger.doc, sent.start_char, sent.end_char, resolver, places)
    if not codes and places.focus is not None and focus:
        # a sentence that names no country happens in the article's country
        main = countries.by_iso2(places.focus.country) if len(places.focus.country) == 2 else None
        if main is not None:
            codes = [main.iso3]
    source, target = event.get("source"), event.get("target")
    if source and not source.get("code") and codes and source.get("start") is not None:
        # whoever acts without a country named (a president, rebels, supporters, settlers)
        # acts in the country the sentence is about
        head = trigger.doc.char_span(source["start"], source["end"], alignment_mode="expand")
        if head is not None and (
            head.root.lemma_.lower() in ACTOR_NOUNS
            or head.root.lower_ in ACTOR_NOUNS
            or head.root.ent_type_ in ("PERSON", "NORP", "ORG")
            or head.root.pos_ == "PROPN"
            or agent(head.root) is not None
        ):
            taken = {(target or {}).get("code")}
            source["code"] = next((c for c in codes if c not in taken), codes[0])
    if target and not target.get("code") and source and source.get("code"):
        # people, bodies or offices acted upon (the actor nouns the source side takes a
        # country by, "the opposition" as much as "civilians"): with events._demand, the first
        # 16 articles unchanged where the narrower list lost A one actor; sentences unchanged
        head = trigger.doc.char_span(target["start"], target["end"], alignment_mode="expand")
        if head is not None and (
            head.root.lemma_.lower() in ACTOR_NOUNS or head.root.ent_type_ == "PERSON" or agent(head.root) is not None
        ):
            target["code"] = next((c for c in codes if c != source["code"]), source["code"])
    where = [c for c in codes if c != (source or {}).get("code")]
    if (
        event["type"] in ("CONSULT", "AID", "ASSAULT", "COERCE", "MOBILIZE", "SANCTION")
        and where
        and not (target or {}).get("code")
        and not (target or {}).get("named")
    ):
        # "arrived in Amman on a visit", "deployed troops in the West Bank": the country it happens in
        event["target"] = {
            **(target or {"name": None, "entity": None, "text": None}),
            "code": where[0],
            "implied": True,
        }
        target = event["target"]
    if event["type"] == "PROTEST" and not (target or {}).get("code"):
        aimed = _protest_site(trigger, resolver, places, (source or {}).get("code"))
        if aimed is not None:
            event["target"] = target = aimed
    if event["type"] == "PROTEST" and source and source.get("code") and not (target or {}).get("code"):
        # a protest is addressed to the protesters' own authorities unless the text names others
        event["target"] = {
            **(target or {"name": None, "entity": None, "text": None}),
            "code": source["code"],
            "implied": True,
        }


# where a protest is held or marches to ("in front of" reaches the target through its object)
SITE_PREPS = frozenset({"outside", "near", "at", "before", "opposite", "to", "towards", "toward"})


def _protest_site(trigger: Token, resolver: Resolver, places: Places, own: str | None) -> dict[str, Any] | None:
    """A protest held at another country's mission is aimed at that country ("protested
    outside the British embassy in Tehran": GBR; PLOVER, PROTEST: the recipient is whom the
    protest addresses). The site is a phrase under a locative preposition of the protest verb
    whose own country code differs from the protesters'."""
    for prep in trigger.children:
        if prep.dep_ != "prep" or prep.lower_ not in SITE_PREPS:
            continue
        for obj in (g for g in prep.children if g.dep_ == "pobj"):
            site = obj.doc[obj.left_edge.i : obj.i + 1]  # "the British embassy", not "... in Tehran"
            code = _code(site, resolver.lookup(site), resolver, places)
            if code is not None and code != own:
                return {
                    "name": site.text,
                    "entity": None,
                    "text": site.text,
                    "start": site.start_char,
                    "end": site.end_char,
                    "code": code,
                    "sector": None,
                }
    return None
