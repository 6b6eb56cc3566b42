"""The event type of a verb, decided by its object: the PETRARCH2 CAMEO verb dictionary.

The dictionary (``lexicons/cameo_verbs.json``, built by ``scripts/build_event_lexicon.py``)
groups about 1,800 verbs into 393 blocks. Each block has patterns: the words that come
before the verb, after it, or in a prepositional phrase of it ("STAGE * PROTEST",
"HOLD * (IN &DETENTION)", "BEAT * (IN MATCH)" -> no event), each with a CAMEO code. As
PETRARCH does, the longest pattern that matches wins; with none, the verb's own code or the
block's code applies, and a block coded ``---`` makes no event of a bare verb ("hold",
"arrange"). The CAMEO code becomes a PLOVER type through ``lexicons/cameo_plover.tsv``.

Matching runs on the spaCy parse rather than PETRARCH's phrase-structure trees: words after
the verb are looked for, in order, among the verb's dependents to its right; a
prepositional phrase must be a preposition the verb (or its object) governs, with the
phrase's words inside it; words before the verb among its own left dependents and its
subject's words. A word matches a token's form or lemma, so "TALK" finds "talks".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Token

from . import cache as kept_tables

NO_EVENT = "---"
# CAMEO's material conflict families (force posture, coerce, assault, fight, mass violence):
# the acts a speaker can report but that a statement verb does not perform (a rule from the
# dictionary's structure; no dev figure moves, the case was seen in made-up and real text)
REPORTED_FORCE = frozenset({"15", "17", "18", "19", "20"})
WINDOW = 12  # tokens after the verb a pattern's words may lie in: PETRARCH looks in the verb phrase


@dataclass(frozen=True)
class Pattern:
    pre: tuple[Any, ...]
    post: tuple[Any, ...]
    code: str
    size: int  # words it names: the longest matching pattern wins
    needs: frozenset[str]  # words any match must contain (a quick test before matching)
    synsets: tuple[str, ...] = ()  # noun classes a match must contain a member of (the same test)


@dataclass(frozen=True)
class Entry:
    block: str
    particle: tuple[str, ...]  # "shut down": the words after the verb that make it this verb
    code: str | None  # the verb's own code, else its block's (None: no code at all)
    patterns: tuple[Pattern, ...]

    @property
    def statement(self) -> bool:
        """Whether the verb's own code is CAMEO 01, a public statement ("say", "comment")."""
        return (self.code or "").startswith("01")


@dataclass(frozen=True)
class Coding:
    plover: str | None  # None: the dictionary says this is no event
    cameo: str
    block: str
    pattern: bool  # decided by a pattern (the verb's object or phrase), not the bare verb
    # the pattern is a preposition or function word alone ("come * TO": CONSULT, "order * TO":
    # AGREE), saying no more of the act than the bare verb does
    slight: bool = False


def _size(elements: Any) -> int:
    n = 0
    for e in elements:
        if "w" in e:
            n += len(e["w"])
        elif "syn" in e:
            n += 1
        else:
            n += (1 if e["prep"] else 0) + _size(e["then"])
    return n


def _needs(elements: Any) -> list[str]:
    out: list[str] = []
    for e in elements:
        if "w" in e:
            out += [w.removesuffix("s") for w in e["w"]]
        elif "then" in e:
            out += ([e["prep"]] if e["prep"] else []) + _needs(e["then"])
    return out


def _synsets(elements: Any) -> list[str]:
    out: list[str] = []
    for e in elements:
        if "syn" in e:
            out.append(e["syn"])
        elif "then" in e:
            out += _synsets(e["then"])
    return out


def _freeze(elements: list[Any]) -> tuple[Any, ...]:
    out = []
    for e in elements:
        if "then" in e:
            out.append({"prep": e["prep"], "then": _freeze(e["then"])})
        else:
            out.append(e)
    return tuple(out)


Data = tuple[dict[str, list[Entry]], dict[str, tuple[tuple[str, ...], ...]], dict[str, str]]
DATA_VERSION = "2"  # of the code below: change it with the tables' making


@cache
def _data() -> Data:
    # building the tables from the JSON takes 0.10 s a process, reading them back 0.01 s; the
    # name carries a digest of both files, so an edited dictionary is never read stale
    return kept_tables.kept(f"cameo-{_stamp('cameo_verbs.json', 'cameo_plover.tsv')}.pickle", tuple, _build_data)


def _stamp(*names: str) -> str:
    """The code's version and a digest of the lexicon files a kept table is made from."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(files("onrecord.lexicons").joinpath(name).read_bytes())
    return f"{DATA_VERSION}-{digest.hexdigest()[:16]}"


def _build_data() -> Data:
    raw = json.loads(files("onrecord.lexicons").joinpath("cameo_verbs.json").read_text(encoding="utf-8"))
    synsets = {name: tuple(tuple(p) for p in phrases) for name, phrases in raw["synsets"].items()}
    entries: dict[str, list[Entry]] = {}
    forms: dict[str, list[Entry]] = {}  # inflected forms, for when the lemmatiser errs ("staged" -> "stag")
    for block in raw["blocks"]:
        patterns = tuple(
            sorted(
                (
                    Pattern(
                        _freeze(p["pre"]),
                        _freeze(p["post"]),
                        p["code"],
                        _size(p["pre"]) + _size(p["post"]),
                        frozenset(_needs(p["pre"]) + _needs(p["post"])),
                        tuple(sorted(set(_synsets(p["pre"]) + _synsets(p["post"])))),
                    )
                    for p in block["patterns"]
                    if p["code"]
                ),
                key=lambda p: -p.size,
            )
        )
        for verb in block["verbs"]:
            code = verb["code"] or block["code"]
            entry = Entry(block["name"], tuple(verb["with"]), code, patterns)
            entries.setdefault(verb["lemma"], []).append(entry)
            for form in set(verb["forms"]) | _regular_forms(verb["lemma"]):
                forms.setdefault(form, []).append(entry)
    table: dict[str, str] = {}
    for line in files("onrecord.lexicons").joinpath("cameo_plover.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "cameo\t")) or not line.strip():
            continue
        cameo, plover = line.split("\t")
        table.setdefault(cameo, plover)
    for form, found in forms.items():
        entries.setdefault(form, found)
    return entries, synsets, table


def _regular_forms(lemma: str) -> set[str]:
    """The regular inflections PETRARCH generates for a verb without irregular forms listed."""
    if lemma.endswith("e"):
        return {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "o", "u"):
        return {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return {lemma + "es", lemma + "ed", lemma + "ing"}
    out = {lemma + "s", lemma + "ed", lemma + "ing"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "ban" -> "banned"
    return out


def load() -> None:
    """Read the dictionaries now (about 0.3 s once per process) rather than in the first
    article that names an actor."""
    _data()
    _actors()
    _agents()


def entries(lemma: str) -> list[Entry]:
    """The dictionary's entries for a verb lemma (one per block it is listed in)."""
    return _data()[0].get(lemma) or []


def bare_no_event(lemma: str) -> bool:
    """Whether the dictionary makes no event of the bare verb ("hold", "deny"): only its
    patterns code it."""
    return any(not e.particle and e.code in (None, NO_EVENT) for e in entries(lemma))


def plover(cameo: str) -> str | None:
    """The PLOVER type of a CAMEO code, by its longest listed prefix; None for "---" and for
    CAMEO 01 (statements), which PLOVER drops."""
    if cameo == NO_EVENT:
        return None
    table = _data()[2]
    for n in (4, 3, 2):
        if cameo[:n] in table:
            return table[cameo[:n]]
    return None


@cache
def _synset_index(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """A synset's phrases by their first word (and its regular plural), longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(_data()[1].get(name, ()), key=len, reverse=True):
        if phrase:
            for first in {phrase[0], phrase[0] + "s"}:
                index.setdefault(first, []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _synset_firsts(name: str) -> frozenset[str]:
    """The words a member of a synset can open with: a pattern naming the synset cannot match
    where none of them is near the verb."""
    return frozenset(_synset_index(name))


def _words_at(tokens: list[Token], i: int, words: tuple[str, ...] | list[str]) -> bool:
    if i + len(words) > len(tokens):
        return False
    return all(_same(tokens[i + k], w) for k, w in enumerate(words))


def _same(tok: Token, word: str) -> bool:
    return word in (tok.lower_, tok.lemma_.lower()) or (word.endswith("s") and tok.lower_ == word[:-1])


def _match(elements: tuple[Any, ...], tokens: list[Token], start: int = 0) -> bool:
    """Whether the elements occur in order among ``tokens`` from ``start``, with gaps. Each
    element takes its earliest occurrence (no backtracking), so a test is linear in the
    tokens: an earliest match never leaves less room for the elements after it."""
    return _match_end(elements, tokens, start) is not None


def _match_end(elements: tuple[Any, ...], tokens: list[Token], start: int = 0) -> int | None:
    """Where the earliest match of ``elements`` ends among ``tokens`` (see _match), or None."""
    pending = list(elements)
    i = start
    while pending:
        first = pending.pop(0)
        if "then" in first and first["prep"] is None:  # "(&PREPOSIT1 ...)": no preposition to anchor on
            pending[:0] = list(first["then"])
            continue
        if "w" in first and not first["w"]:
            continue
        found = None
        for k in range(i, len(tokens)):
            if "w" in first:
                if _words_at(tokens, k, first["w"]):
                    found = k + len(first["w"])
            elif "syn" in first:
                index = _synset_index(first["syn"])
                tok = tokens[k]
                phrases = index.get(tok.lower_, ()) or index.get(tok.lemma_.lower(), ())
                size = next((len(p) for p in phrases if _words_at(tokens, k, p)), 0)
                if size:
                    found = k + size
            else:
                tok = tokens[k]
                if (
                    tok.lower_ == first["prep"]
                    and tok.dep_ in ("prep", "agent", "dative", "prt", "advmod")
                    and _match(first["then"], [t for t in tok.subtree if tok.i < t.i <= tok.i + WINDOW])
                ):
                    found = k + 1
            if found is not None:
                break
        if found is None:
            return None
        i = found
    return i


CLAUSES = ("ccomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj")


def _right(verb: Token) -> list[Token]:
    """The verb's own phrase to its right: objects, particles and prepositional phrases,
    not the clauses under it ("announced that it will withdraw" is not "announce withdrawal")."""
    out: list[Token] = []
    far = verb.i + 2 * WINDOW  # a word past this cannot head one inside the window often enough to matter
    todo = [verb]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.i > far or (c.i > verb.i and c.dep_ in CLAUSES) or (c.i < verb.i and t.i == verb.i):
                continue  # past the phrase, a clause of its own, or the verb's subject side
            if c.i > verb.i or t.i != verb.i:
                out.append(c)
                todo.append(c)
    return sorted((t for t in out if verb.i < t.i <= verb.i + WINDOW), key=lambda t: t.i)


def _left(verb: Token) -> list[Token]:
    """The words before the verb that belong to it (its subject, auxiliaries, adverbs), or to
    the verb it depends on when it has no subject of its own; at most WINDOW of them."""
    lo = verb.i - WINDOW
    owner = verb
    if verb.dep_ in ("xcomp", "conj", "relcl", "acl") and not any(c.dep_.startswith("nsubj") for c in verb.children):
        owner = verb.head
    edge = owner.left_edge.i  # (spaCy walks the tree for it: read once)
    return [t for t in verb.doc[max(0, lo, edge) : verb.i] if t.i != owner.i or t.head == verb]


def code(verb: Token) -> Coding | None:
    """The dictionary's coding of ``verb`` in its sentence; None when the verb is not in it.
    Kept on the doc, since the events stage asks more than once per verb."""
    memo = verb.doc.user_data.setdefault("onrecord.cameo", {})
    if verb.i not in memo:
        memo[verb.i] = _code(verb)
    return memo[verb.i]  # type: ignore[no-any-return]


def _code(verb: Token) -> Coding | None:
    known = _data()[0]
    entries = known.get(verb.lemma_.lower()) or known.get(verb.lower_)
    if not entries:
        return None
    right = _right(verb)
    fitting = [e for e in entries if not e.particle or _particle(verb, e.particle)]
    if not fitting:
        return None
    left = _left(verb)
    forms = {f for t in right + left for f in (t.lower_, t.lemma_.lower())}
    present = {f.removesuffix("s") for f in forms}
    best: tuple[Pattern, Entry] | None = None
    for entry in sorted(fitting, key=lambda e: -len(e.particle)):
        near: tuple[int, Pattern] | None = None
        for p in entry.patterns:
            if (best is not None and p.size <= best[0].size) or (near is not None and p.size < near[1].size):
                break
            # of the largest patterns that fit, the one that ends nearest the verb: its object,
            # not a word deep in a later phrase ("stopped work on the first day of a strike" is
            # "stop * WORK", a strike, not "stop * STRIKE", calling one off)
            if (
                p.needs <= present
                and all(not _synset_firsts(name).isdisjoint(forms) for name in p.synsets)
                and (end := _match_end(p.post, right)) is not None
                and (near is None or end < near[0])
                and _match(p.pre, left)
            ):
                near = (end, p)
        if near is not None:
            best = (near[1], entry)
    if best is not None:
        pattern, entry = best
        if entry.statement and pattern.code[:2] in REPORTED_FORCE:
            # "declined to comment on the arrests", "reported an attack": a statement verb
            # whose object is someone else's use of force reports it; who used it is not said
            return Coding(None, pattern.code, entry.block, True)
        slight = not pattern.pre and all(_function_word(e) for e in pattern.post)
        return Coding(plover(pattern.code), pattern.code, entry.block, True, slight)
    entry = max(fitting, key=lambda e: (len(e.particle), e.code is not None and e.code != NO_EVENT))
    if entry.code is None:
        return Coding(None, NO_EVENT, entry.block, False)
    return Coding(plover(entry.code), entry.code, entry.block, False)


def _function_word(element: dict[str, Any]) -> bool:
    """Whether a pattern element is a preposition or function word alone ("come * TO",
    "order * TO"), which says no more of the act than the bare verb."""
    if "prep" in element:
        return not element.get("then")
    return "w" in element and all(w.lower() in STOP_WORDS for w in element["w"])


def _particle(verb: Token, words: tuple[str, ...]) -> bool:
    """ "shut down", "call off": the particle is a dependent of the verb or the next word."""
    nxt = verb.doc[verb.i + 1 : verb.i + 1 + len(words)]
    if [t.lower_ for t in nxt] == list(words):
        return True
    return len(words) == 1 and any(c.dep_ == "prt" and c.lower_ == words[0] for c in verb.children)


@cache
def _actors() -> dict[str, list[tuple[str, str, str]]]:
    # 0.08 s to read the TSV, 0.03 s to read the kept table back
    return kept_tables.kept(f"phoenix-actors-{_stamp('phoenix_actors.tsv')}.pickle", dict, _read_actors)


def _read_actors() -> dict[str, list[tuple[str, str, str]]]:
    table: dict[str, list[tuple[str, str, str]]] = {}
    text = files("onrecord.lexicons").joinpath("phoenix_actors.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[2:]:
        name, code, start, end = line.split("\t")
        table.setdefault(name, []).append((code, start, end))
    return table


@cache
def _agents() -> dict[str, str]:
    text = files("onrecord.lexicons").joinpath("phoenix_agents.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines()[2:])


def agent_sector(words: list[str]) -> str | None:
    """The Phoenix sector code (COP, MIL, GOV, MED, CVL, OPP...) of the longest agent noun
    phrase that ``words`` end with: "the riot police" -> COP, "foreign journalists" -> MED.
    None when the words end in no agent noun."""
    lowered = [w.lower() for w in words]
    table = _agents()
    for n in range(min(4, len(lowered)), 0, -1):
        found = table.get(" ".join(lowered[-n:]))
        if found is not None:
            return found
    return None


def actor_code(name: str, published: str | None) -> str | None:
    """The country (ISO 3166 alpha-3) or "IGO" of a named actor in the Phoenix dictionaries,
    as of the article's publication date: "Ehud Olmert" in 2007 -> ISR. A code that holds on
    that date wins over an undated one; a person whose every dated code lies elsewhere in time
    still keeps the country all their entries agree on. None when the name is not listed or
    its entries disagree on the country."""
    found = {_country_part(c) for c in _dated(name, published)} - {None}
    return found.pop() if len(found) == 1 else None


def listed(name: str) -> bool:
    """Whether the Phoenix dictionaries name this actor at all, with a country or not
    ("Revolutionary United Front": a West African rebel group)."""
    return bool(_actors().get(" ".join(name.lower().removeprefix("the ").split())))


def actor_role(name: str, published: str | None) -> str | None:
    """The Phoenix role (GOV, MIL, OPP, ELI...) of a named actor on the publication date, by
    the same choice of entries as :func:`actor_code`; None when not listed or ambiguous
    (Angela Merkel's undated entries say both ELI and GOV)."""
    found = {c[3:6] for c in _dated(name, published) if len(c) >= 6 and _country_part(c) not in (None, "IGO")}
    return found.pop() if len(found) == 1 else None


def _dated(name: str, published: str | None) -> list[str]:
    """A listed actor's codes that hold on the publication date, else its undated ones, else all."""
    entries = _actors().get(" ".join(name.lower().removeprefix("the ").split()))
    if not entries:
        return []
    day = (published or "").replace("-", "")[:8]
    current = [c for c, s, e in entries if s and day and s <= day <= (e or "99999999")]
    undated = [c for c, s, _e in entries if not s]
    return current or undated or [c for c, _s, _e in entries]


def _country_part(code: str) -> str | None:
    from .countries import iso3_known

    if code.startswith("IGO"):
        return "IGO"
    return code[:3] if iso3_known(code[:3]) else None


def plover_types() -> frozenset[str]:
    """The PLOVER types the table maps to: the 16 current categories."""
    return frozenset(_data()[2].values())
