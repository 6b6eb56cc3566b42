"""Who said what: direct, indirect and mixed quotes with their cue and speaker mention.

The stage works in three passes over one parsed article:

1. quoted passages (quotemarks.py) that read as speech become direct quotes; the
   attribution is looked for right after the closing mark (`," said Colville.`) and then right
   before the opening mark (`Colville said: "`); a quote split by its attribution
   (`"A," he said, "B."`) becomes one quote with two spans;
2. speech verbs with a clausal complement, "according to X" and speech nouns give indirect
   quotes; a complement holding quoted words makes the quote mixed;
3. short quoted fragments governed by a speech verb (`dismissing the allegations as
   "lies"`) give mixed quotes; any other fragment is a scare quote, a name or a term, and
   is not speech.

Speakers are then resolved to canonical names by the shared Resolver (entities.py); a
quote with no attribution of its own that directly continues the previous one (the next
paragraph or sentence) inherits its speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from . import lexicons
from .cues import FRAGMENT_VERBS, HEARER_VERBS, NAMING_VERBS, SPEECH_NOUNS, SPEECH_VERBS
from .entities import DOCUMENT_NOUNS, Resolver
from .model import Mention, Problem, Quote, Speaker
from .model import Span as CharSpan
from .quotemarks import Passages, Quoted, paragraphs
from .subtrees import Subtrees

STAGE = "quotes"
VERSION = "quotes.v1"
WORD = re.compile(r"\w+")
SUBJECTS = ("nsubj", "nsubjpass")
# The fewest words a passage in marks needs to read as speech, by what stands before it
# (``QuoteFinder._reads_as_speech``). Evidence: benchmarks/weights.py moves each cut-off one
# word down and one up and measures quote F1 and end-to-end F1 on both halves of the WikiNews
# dev set (benchmarks/results/quote_cutoffs.md): no move changes either half, so the dev data
# neither supports nor refutes them. They were set by hand on the reference article and the
# unit cases in tests/test_quotes.py, and are the first to question on unseen news.
SPEECH_WORDS = {
    "own_sentence": 3,  # after a sentence end, colon or dash: a sentence of its own
    "own_sentence_ended": 2,  # the same, ending like speech ("Never.")
    "after_that": 4,  # `said that "The GM ..."`, capitalised
    "after_comma": 4,  # after a comma
    "after_comma_capital": 6,  # after a comma with no cue, capitalised and not ending like speech
    "after_cue": 4,  # right after a speech verb: `says "Many schools ..."`
}
PERSON_SUBJECTS = lexicons.pronoun_forms(cases="subj", person="3", number="sg", refers="person")  # he, she
WH_WORDS = lexicons.words("speech", "WH_WORDS")
EDGE_PUNCT = set(".,;:!?\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb()[]-\u2014\u2013 \n")
ATTRIBUTION_REACH = 12  # tokens between a quote and its speech verb, at most
SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019]?\s+(?=[\"\u201c]?[A-Z])")


@dataclass
class Found:
    """A quote under construction: spans are char ranges, speaker a token span."""

    kind: str
    spans: list[tuple[int, int]]
    cue: Token | Span | None = None
    speaker: Span | None = None
    attribution_end: int = 0  # where the quote's sentence/attribution ends
    continues: bool = False  # opens a paragraph that continues the previous quote
    inherited_from: Found | None = None
    context_speaker: Span | None = None  # the person the paragraph before is about
    quoted: list[Quoted] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


# ---------------------------------------------------------------------------- helpers


def _trim(text: str, start: int, end: int, *, drop_that: bool = False) -> tuple[int, int]:
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    if drop_that:
        m = re.match(r"(that|whether)\s+", text[start:end], re.I)
        if m:
            start += m.end()
    return start, end


# ", according to Reuters" closing reported content: who relayed it, not what was said
TRAILING_RELAY = re.compile(r",?\s+according to [^,.;:!?\"\u201c\u201d]{1,80}$")


CONTRAST_MARKS = ("although", "though", "whereas")


def _before_contrast(comp: Token, span: tuple[int, int]) -> tuple[int, int]:
    """Reported content less a contrasting clause after a comma ("denied that the UK was
    "complicit" in torture, although his responses described ..."): the writer's comment on
    what was said, not part of it."""
    doc = comp.doc
    for child in comp.rights:
        if (
            child.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in child.children)
            and child.left_edge.i > 0
            and doc[child.left_edge.i - 1].text == ","
        ):
            cut = doc[child.left_edge.i - 1].idx
            return (span[0], cut) if span[0] < cut < span[1] else span
    return span


def _is_cue(tok: Token, lexicon: frozenset[str]) -> bool:
    if tok.lemma_.lower() not in lexicon or tok.pos_ not in ("VERB", "AUX"):
        return False
    if tok.lemma_.lower() == "point":
        return any(c.lower_ == "out" for c in tok.children)
    return True


def _subject(cue: Token) -> Token | None:
    """The grammatical subject of a speech verb, climbing through participles, prepositions
    and coordination ("..., saying ...", "began by saying", "said A and added B") to the
    nearest clause that has one."""
    tok = cue
    for _ in range(6):
        if tok.i != cue.i and tok.lemma_.lower() in ("quote", "cite") and cue.head.lower_ == "as":
            # "Reuters quoted Khan as saying", "Khan was quoted by Reuters as saying": the outlet
            # relays; the one quoted speaks
            quoted = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if quoted is not None:
                return quoted
        subjects = [c for c in tok.children if c.dep_ in SUBJECTS and not (c.lower_ == "it" and tok.tag_ == "VBN")]
        agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if any(c.dep_ == "nsubjpass" for c in subjects):
            if agent is not None:
                return agent  # "She was told by a midwife that ...": the midwife speaks, she hears
            if tok.lemma_.lower() in HEARER_VERBS:
                return None  # "He was told that ...": by whom, the text does not say
        if subjects:
            # "Malaysia's Prime Minister, Najib Razak said": two subjects; the named one speaks
            named = [c for c in subjects if c.ent_type_ == "PERSON"]
            subj = (named or subjects)[-1]
            if subj.lower_ in ("who", "that") and subj.head.dep_ == "relcl" and subj.head.head.i != subj.head.i:
                return subj.head.head  # "Ferguson, who said ...": the relative's antecedent
            return subj
        if agent is not None:
            return agent
        if (
            tok.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl", "prep", "pobj", "dobj", "npadvmod")
            and tok.head.i != tok.i
        ):
            tok = tok.head
            continue
        return None
    return None


def _hearer(tok: Token, cue: Token) -> bool:
    """Whether ``tok`` names whom ``cue`` was said to: "adding to CNN", "told Reuters"."""
    head = tok.head if tok.dep_ == "compound" else tok
    if head.dep_ == "pobj" and head.head.lower_ == "to" and head.head.head.i == cue.i:
        return True
    return head.dep_ in ("dobj", "dative") and head.head.i == cue.i and cue.lemma_.lower() in HEARER_VERBS


def _mention(tok: Token, lo: int = 0, hi: int | None = None) -> Span:
    """The noun phrase headed by ``tok`` with its appositions ("Malaysia's Prime Minister,
    Najib Razak"), without relative clauses, within tokens lo..hi."""
    doc = tok.doc
    hi = len(doc) if hi is None else hi
    left = tok.left_edge.i
    right = tok.i
    # "the current Roman Catholic Pope, Pope Francis, described": a conjunct with no "and" or
    # "or" is an apposition the parse took for coordination
    uncoordinated = not any(c.dep_ == "cc" for c in tok.rights)
    for child in tok.rights:
        if child.dep_ == "appos" or (child.dep_ == "conj" and uncoordinated and child.ent_type_ == "PERSON"):
            right = child.right_edge.i
            for sub in child.rights:  # not the relative clause of the apposition
                if sub.dep_ in ("relcl", "acl") or sub.text == ",":
                    right = min(right, sub.left_edge.i - 1)
            continue
        if child.dep_ == "cc" and any(c.dep_ == "conj" and c.i > child.i for c in tok.rights):
            continue  # "the school district and the police department"
        if child.dep_ == "acl" and tok.lemma_.lower() in DOCUMENT_NOUNS:
            # "A resolution passed by the European Parliament Thursday": the issuer is part of
            # the attribution (the guidelines' "a statement from the ministry"), the rest not
            agent = next((a for a in child.children if a.dep_ == "agent"), None)
            if agent is not None:
                right = agent.right_edge.i
            break
        if child.dep_ in ("relcl", "acl", "punct", "cc", "advcl") or child.text in (",", "(", "\u2014"):
            if child.text == "," and any(
                (c.dep_ == "appos" or (c.dep_ == "conj" and uncoordinated and c.ent_type_ == "PERSON"))
                and c.i > child.i
                for c in tok.rights
            ):
                continue
            break
        if child.dep_ in ("prep", "compound", "conj", "npadvmod", "nmod", "pobj", "amod"):
            right = child.right_edge.i
    left, right = max(left, lo), min(right, hi - 1)
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[left : right + 1]):
        # a clause inside the subject means a parse gone astray: keep the bare noun phrase
        left = min(
            [tok.i]
            + [c.left_edge.i for c in tok.lefts if c.dep_ in ("compound", "amod", "det", "poss", "nmod", "flat")]
        )
        right = tok.i
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    return doc[left : right + 1]


def _tokens(doc: Doc, start: int, end: int) -> Span:
    if end <= start:
        return doc[0:0]
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None else doc[0:0]


# ---------------------------------------------------------------------------- pass 1: quoted passages


class QuoteFinder:
    def __init__(self, doc: Doc, resolver: Resolver, passages: Passages) -> None:
        self.doc = doc
        self.text = resolver.text
        self.resolver = resolver
        self.quoted = list(passages.outermost)
        self.continuing = passages.continuing
        self.inside_quote = passages.inside
        self.para_start = {}
        paras = paragraphs(self.text)
        para_starts = [ps for ps, _pe in paras]
        for q in self.quoted:
            k = bisect_right(para_starts, q.open) - 1
            if k >= 0 and q.open < paras[k][1]:
                self.para_start[q.open] = paras[k][0]
        self.problems: list[Problem] = []
        # passages do not overlap and are in text order, so opens, starts and ends all ascend
        self._opens = [q.open for q in self.quoted]
        self._starts = [q.start for q in self.quoted]
        self._outer_ends = [q.outer_end for q in self.quoted]
        self.sentences = resolver.sentences
        self._subtrees: Subtrees | None = None  # built on first use

    def run(self) -> list[Found]:
        full = [q for q in self.quoted if self._reads_as_speech(q)]
        speech = set(full)
        fragments = [q for q in self.quoted if q not in speech]
        direct = self._direct(full)
        indirect = self._indirect(direct)
        mixed = self._fragments(fragments, direct + indirect)
        found = self._drop_repeats(sorted(direct + indirect + mixed, key=lambda f: f.start))
        self._carry_over(found)
        return found

    @staticmethod
    def _drop_repeats(found: list[Found]) -> list[Found]:
        """One passage, one quote: a quote mostly inside another one is the same speech
        found twice (a direct quote and the clause a speech verb governs). ``found`` is
        sorted by start, so only quotes that begin before this one ends can overlap it."""
        sizes = [sum(e - s for s, e in f.spans) for f in found]
        ends = [f.end for f in found]
        keep = []
        open_before: list[int] = []  # earlier quotes still open at this one's start, in order
        for i, f in enumerate(found):
            dup = False
            open_before = [j for j in open_before if ends[j] > f.start]
            later = []
            for j in range(i + 1, len(found)):
                if found[j].start >= f.end:
                    break  # sorted by start: nothing later can overlap
                later.append(j)
            for j in open_before + later:
                g = found[j]
                if ends[j] <= f.start:
                    continue
                overlap = sum(max(0, min(e, b) - max(s, a)) for s, e in f.spans for a, b in g.spans)
                if overlap > 0.6 * sizes[i] and (sizes[j] > sizes[i] or (sizes[j] == sizes[i] and j < i)):
                    dup = not (f.kind == "direct" and g.kind != "direct" and overlap > 0.6 * sizes[j])
                    if dup:
                        break
            if not dup:
                keep.append(f)
            open_before.append(i)
        return keep

    def _token_before(self, char: int) -> Token | None:
        span = self.doc.char_span(0, char, alignment_mode="contract") if char > 0 else None
        return span[-1] if span is not None and len(span) else None

    def _reads_as_speech(self, q: Quoted) -> bool:
        """Whole sentences or clauses in marks are speech; short fragments inside a sentence
        are terms, titles or scare quotes unless a speech verb governs them (pass 3)."""
        content = self.text[q.start : q.end]
        words = len(WORD.findall(content))
        if words == 0:
            return False
        para = self.para_start.get(q.open, 0)
        before = self.text[para : q.open].rstrip()
        ends_like_speech = content.rstrip()[-1:] in ".,!?\u2026" or q.close is None
        if self._is_title(q, content):
            return False
        least = SPEECH_WORDS
        if not before or before[-1] in '.!?:;"\u201d\u2014' or before.endswith(" -"):
            return words >= least["own_sentence"] or (ends_like_speech and words >= least["own_sentence_ended"])
        prev = self._token_before(q.open)
        if prev is not None and prev.lower_ == "that" and content[:1].isupper() and words >= least["after_that"]:
            return True  # `he said that "The GM that let you down is history"`
        if before[-1] == ",":
            prev2 = self._token_before(para + len(before) - 1) if prev is not None else None
            cue_before = prev2 is not None and _is_cue(prev2, SPEECH_VERBS)
            capital = words >= least["after_comma_capital"] and content[:1].isupper()
            return words >= least["after_comma"] and (ends_like_speech or cue_before or capital)
        if (
            prev is not None
            and _is_cue(prev, SPEECH_VERBS)
            and words >= least["after_cue"]
            and not content[:1].islower()
        ):
            return True  # `Mr. Toccafondi says "Many schools ..."`
        return False

    def _is_title(self, q: Quoted, content: str) -> bool:
        """Headlines and titles in marks: a citation (`"Title" \u2014 Publisher, date`), or
        words in title case with no sentence punctuation (`"Scientology vs. the Internet"`)."""
        after = self.text[q.outer_end : q.outer_end + 4]
        if q.close is not None and re.match(r"\s*[\u2014\u2013]|\s+-\s", after) and content.rstrip()[-1:] not in ".,!?":
            return True
        words = WORD.findall(content)
        capitalised = sum(1 for w in words if w[:1].isupper() or w.isdigit())
        small = sum(
            1 for w in words if w.lower() in ("of", "the", "a", "an", "and", "in", "on", "for", "to", "vs", "at", "by")
        )
        return (
            len(words) >= 2
            and content.rstrip()[-1:] not in ".,!?"
            and capitalised + small == len(words)
            and capitalised >= 2
            and capitalised / len(words) >= 0.5
        )

    # -- direct ------------------------------------------------------------------
    def _direct(self, full: list[Quoted]) -> list[Found]:
        out: list[Found] = []
        for q in full:
            f = Found(
                "direct",
                [(q.start, q.end)],
                quoted=[q],
                attribution_end=q.outer_end,
                continues=q.open in self.continuing,
            )
            prev = out[-1] if out else None
            # `"A," the league said. "B," stated the party.`: a passage with an attribution of its
            # own after it is a quote of its own
            if prev is not None and self._joins(prev, q) and (prev.cue is None or self._after(q) is None):
                prev.spans.append((q.start, q.end))
                prev.quoted.append(q)
                prev.attribution_end = max(prev.attribution_end, q.outer_end)
                after = self._after(q)
                if after is not None and prev.cue is None:
                    prev.cue, prev.speaker, prev.attribution_end = after
                continue
            # the quote's own sentence first: a quote that ends its sentence (`stated: "... return."`)
            # belongs to the cue before it, not to the next sentence's speaker
            # (`Simon Hughes ... said: "..."`)
            ends_sentence = self.text[q.start : q.end].rstrip()[-1:] in (".", "!", "?")
            before = self._before(q) if ends_sentence else None
            attribution = before or self._after(q) or (None if ends_sentence else self._before(q))
            if attribution is not None:
                f.cue, f.speaker, end = attribution
                f.attribution_end = max(q.outer_end, end)
            out.append(f)
        return out

    def _joins(self, prev: Found, q: Quoted) -> bool:
        """`"A," he said, "B."`: the text between two quoted passages is only the
        attribution of the first and ends with a comma."""
        last = prev.quoted[-1]
        between = self.text[last.outer_end : q.open]
        if "\n" in between or prev.cue is None or prev.attribution_end > q.open:
            return False
        cue_at = prev.cue.idx if isinstance(prev.cue, Token) else prev.cue.start_char
        if not last.outer_end <= cue_at < q.open:
            return False  # the words between are no attribution: two quotes
        # `"A," he said, "B."` and, as news annotators also count it, `"A," he said. "B."`;
        # never `"A," she added. Another activist said, "B."`: that is a second attribution.
        first_ends = self.text[last.start : last.end].rstrip()[-1:]
        body = between.strip().rstrip(",.").strip()
        if not (between.rstrip().endswith(",") or (between.rstrip().endswith(".") and first_ends == ",")):
            return False
        if re.search(r"[.!?;:]\s", body + " ") and not re.fullmatch(
            r"[^.!?;:]*\b(?:Mr|Mrs|Ms|Dr|St|Jr|Gen|Sen|Rep|Gov)\.\s[^.!?;:]*", body
        ):
            return False
        if first_ends in ".!?":
            return False
        return prev.attribution_end >= last.outer_end and len(WORD.findall(between)) <= ATTRIBUTION_REACH

    def _region(self, start: int, end: int) -> Span:
        return _tokens(self.doc, start, end)

    def _after(self, q: Quoted) -> tuple[Token | Span, Span | None, int] | None:
        """`," said Colville.` / `" Colville said.` / `," according to X.`"""
        k = bisect_right(self._opens, q.open)
        next_open = self._opens[k] if k < len(self._opens) else len(self.text)
        para_end = self.text.find("\n", q.outer_end)
        limit = min(next_open, para_end if para_end >= 0 else len(self.text))
        region = self._region(q.outer_end, limit)
        toks: list[Token] = []
        for t in region:
            if t.is_sent_start and toks and toks[-1].text in ".!?":
                break
            toks.append(t)
            if t.text in (".", "!", "?", ";"):
                break
        # a long subject may stand between the quote and its verb, as long as no other verb does
        reach = next((k for k, t in enumerate(toks) if t.pos_ in ("VERB", "AUX")), len(toks)) + 1
        for n, t in enumerate(toks[: max(ATTRIBUTION_REACH, min(reach, 2 * ATTRIBUTION_REACH))]):
            if t.lower_ == "according" and n + 1 < len(toks) and toks[n + 1].lower_ == "to":
                obj = next((c for c in toks[n + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return (
                        self.doc[t.i : t.i + 2],
                        _mention(obj, toks[0].i, toks[-1].i + 1),
                        toks[-1].idx + len(toks[-1]),
                    )
            if _is_cue(t, SPEECH_VERBS) or (t.lemma_ == "quote" and t.pos_ == "VERB"):
                if self._own_content(t, q):
                    return None
                speaker = self._speaker(t, toks[0].i, toks[-1].i + 1)
                # a verb further off counts only with its subject between it and the quote:
                # `", State Secretary for Equal Opportunities Bianca Debaets said.`
                if (speaker is None and n > 4) or (n > 6 and not (speaker is not None and speaker.end <= t.i)):
                    continue
                return (t, speaker, toks[-1].idx + len(toks[-1]))
            if t.text in (".", "!", "?") and n > 0:
                break
        return None

    def _before(self, q: Quoted) -> tuple[Token | Span, Span | None, int] | None:
        """`Colville said: "` / `He told reporters, "` / `The minister says "` / a sentence
        ending with a colon, in the same paragraph or closing the previous one."""
        k = bisect_right(self._outer_ends, q.open)
        prev_close = self._outer_ends[k - 1] if k else 0
        start = max(prev_close, self.para_start.get(q.open, 0))
        if not self.text[start : q.open].strip():
            before_para = self.text[:start].rstrip()
            if before_para.endswith(":") and prev_close < len(before_para):
                start = max(prev_close, before_para.rfind("\n") + 1)
        toks = list(self._region(start, q.open))
        for n in range(len(toks) - 1, -1, -1):
            t = toks[n]
            if t.text in (".", "!", "?") and n < len(toks) - 1:
                break
            if len(toks) - n > ATTRIBUTION_REACH:
                break
            if t.lower_ == "according" and n + 1 < len(toks) and toks[n + 1].lower_ == "to":
                obj = next((c for c in toks[n + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return (self.doc[t.i : t.i + 2], _mention(obj, toks[0].i, toks[-1].i + 1), q.outer_end)
            # `Blair also praised Canada's wine, "...`: a verb whose clause ends at the quote
            close_by = toks[-1].text in (",", ":") and (
                len(toks) - n <= 2
                or (
                    len(toks) - n <= 6
                    and not any(x.pos_ in ("VERB", "AUX") for x in toks[n + 1 :])
                    and _subject(t) is not None
                )
            )
            # "The Department of Agriculture notes, "...": a verb the tagger took for a plural noun
            noun_verb = close_by and t.tag_ == "NNS" and t.lemma_.lower() in SPEECH_VERBS and n > 0
            if _is_cue(t, SPEECH_VERBS) or (close_by and _is_cue(t, FRAGMENT_VERBS)) or noun_verb:
                if self._own_content(t, q):
                    return None
                lo = next((k for k in range(n - 1, -1, -1) if toks[k].text in (".", "!", "?")), -1) + 1
                return (
                    t,
                    self._speaker(t, toks[lo].i if toks else t.i, t.i + 1)
                    or self._speaker(t, toks[0].i, toks[-1].i + 1),
                    q.outer_end,
                )
        if toks and toks[-1].text == ":":
            return self._colon(toks, q)
        return None

    def _colon(self, toks: list[Token], q: Quoted) -> tuple[Token, Span | None, int] | None:
        """`Jacqui Smith released a statement on the case: "..."`: the clause before a colon
        introduces the quote; its subject is the speaker."""
        lo = next((k for k in range(len(toks) - 2, -1, -1) if toks[k].text in (".", "!", "?")), -1) + 1
        clause = toks[lo:-1]
        if lo == 0:
            # the region began at an earlier quote in the same sentence (`any process "must be
            # well thought out": "`): the clause is the whole sentence before the colon
            sent = self.sentences.of(toks[-1])
            clause = [t for t in sent if t.i < toks[-1].i and not self.inside_quote(t.idx)]
        if not clause:
            return None
        lo, hi = clause[0].i, clause[-1].i
        verbs = [
            t
            for t in clause
            if t.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECTS and lo <= c.i <= hi for c in t.children)
        ]
        if not verbs:
            return None
        verb = verbs[0]
        subj = next(c for c in verb.children if c.dep_ in SUBJECTS and lo <= c.i <= hi)
        if subj.lower_ in ("there", "this", "what") or subj.pos_ not in ("PROPN", "PRON", "NOUN"):
            return None
        return (verb, self._with_name(_mention(subj, clause[0].i, clause[-1].i + 1), verb), q.outer_end)

    def _own_content(self, cue: Token, q: Quoted) -> bool:
        """A speech verb that has its own clausal content outside the quote reports something
        else (`"We won." Later, the coach said the team was tired.`)."""
        inverted = not any(c.dep_ in SUBJECTS for c in cue.children)
        for child in cue.children:
            if child.dep_ == "ccomp":
                if inverted and child.left_edge.i == cue.i + 1 and child.i > cue.i:
                    continue  # `" said William Ford, chairman of Ford. Ford has ...`: a run-on parse
                s, e = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                if (s < q.outer_end and q.open < e) or len(WORD.findall(self.text[s:e])) < 3:
                    continue
                gap = self.text[q.end - 1 : s + 1] if s >= q.outer_end else self.text[e - 1 : q.open + 1]
                if not SENTENCE_END.search(gap):  # past a sentence end the parse has run on
                    return True
        return False

    def _speaker(self, cue: Token, lo: int, hi: int) -> Span | None:
        if cue.lemma_ == "quote":  # "Detik.com quoted Djamal as saying"
            obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return _mention(obj, lo, hi)
        subj = _subject(cue)
        if subj is not None and lo <= subj.i < hi:
            return self._with_name(_mention(subj, lo, hi), cue)
        if subj is not None and cue.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl"):
            return _mention(subj)
        # parser fallback: the nearest name or noun phrase right after / before the verb
        for tok in list(self.doc[cue.i + 1 : hi])[:4]:
            if self._names_someone(tok) and not _hearer(tok, cue):
                return _mention(tok.head if tok.dep_ == "compound" else tok, lo, hi)
        for tok in reversed(list(self.doc[lo : cue.i])[-4:]):
            if self._names_someone(tok):
                return _mention(tok, lo, hi)
        return None

    @staticmethod
    def _names_someone(tok: Token) -> bool:
        if tok.dep_ == "poss" or tok.lower_ in ("it", "there", "this", "that", "what", "which"):
            return False
        return tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")

    def _with_name(self, mention: Span, cue: Token) -> Span:
        """A subject the parser cut short ("Facebook co-founder Mark Zuckerberg" -> "Facebook
        co"): extend it to a person's name that stands between it and the verb."""
        between = self.doc[mention.end : cue.i]
        names = any(t.ent_type_ == "PERSON" for t in between) or (
            len(between) >= 2 and all(t.pos_ == "PROPN" for t in between[-2:])
        )
        if (
            mention.end <= cue.i
            and names
            and not any(t.pos_ in ("VERB", "AUX") or t.text in (",", ";") for t in self.doc[mention.end : cue.i])
        ):
            return self.doc[mention.start : cue.i]
        return mention

    # -- indirect ----------------------------------------------------------------
    def _indirect(self, direct: list[Found]) -> list[Found]:
        taken = [(s, e) for f in direct for s, e in f.spans]
        out: list[Found] = []
        for tok in self.doc:
            if self.inside_quote(tok.idx):
                continue
            got = self._from_verb(tok) or self._from_according(tok) or self._from_noun(tok)
            if got is None:
                continue
            f, (s, e) = got
            s, e = self._to_quote_edges(s, e)
            relay = TRAILING_RELAY.search(self.text, s, e)
            if relay is not None and relay.end() == e and relay.start() > s:
                # "Khan said the border would close, according to Reuters"; "The battle raged
                # on for hours, according to sources": the attribution is no part of what was said
                e = relay.start()
            if e - s < 8 or self._mostly_taken(s, e, taken):
                continue
            if any(not (e <= a or b <= s) for a, b in ((o.start, o.end) for o in out)):
                continue
            f.spans = [(s, e)]
            f.quoted = self._quoted_within(s, e)
            if f.quoted:
                f.kind = "mixed"
            out.append(f)
        return out

    def _quoted_within(self, s: int, e: int) -> list[Quoted]:
        """Passages opening at or after ``s`` and closing by ``e`` (a run of the ordered list),
        or by the few characters the content's end was trimmed of (`it was "a great act of
        democracy."`: the full stop inside the marks is no part of the content)."""
        first = bisect_left(self._opens, s)
        # a passage opening before the content and closing inside it (`a very small percentage
        # of users" were experiencing`): the content quotes its end
        out = [self.quoted[first - 1]] if first and s < self.quoted[first - 1].end <= e else []
        for q in self.quoted[first:]:
            if q.outer_end > e + 1 and not (q.start < e and q.end <= e + 3):
                break
            out.append(q)
        return out

    def _to_quote_edges(self, s: int, e: int) -> tuple[int, int]:
        """Reported content that the parse cut inside a quoted passage runs to its end:
        `said he would not "stay silent regarding the campaign against me."`
        Passages do not overlap, so only the one holding ``s`` and the one holding ``e`` can
        move an edge (the first comes first in text order; found by bisection)."""
        k = bisect_left(self._opens, s) - 1  # the last passage opening before s
        if k >= 0 and s < self.quoted[k].end and self.quoted[k].end <= e:
            s = self.quoted[k].start
        m = bisect_left(self._starts, e) - 1  # the last passage starting before e
        if m >= 0 and e < self.quoted[m].end and s <= self.quoted[m].open:
            e = self.quoted[m].end
        return _trim(self.text, s, e)

    @staticmethod
    def _mostly_taken(s: int, e: int, taken: list[tuple[int, int]]) -> bool:
        covered = sum(max(0, min(e, b) - max(s, a)) for a, b in taken)
        return covered > 0.5 * (e - s)

    def _content(self, head: Token, exclude: Token | None = None) -> tuple[int, int] | None:
        """The words a head governs, less ``exclude``'s, without leading marks and "that"."""
        if self._subtrees is None:
            self._subtrees = Subtrees(self.doc)
        if self._subtrees.projective[head.i]:
            return self._content_of_range(head, exclude)
        return self._content_by_walk(head, exclude)

    def _content_by_walk(self, head: Token, exclude: Token | None = None) -> tuple[int, int] | None:
        toks = [t for t in head.subtree if exclude is None or not (exclude.left_edge.i <= t.i <= exclude.right_edge.i)]
        if not toks:
            return None
        first = toks[0]
        while first.i < toks[-1].i and (first.dep_ == "mark" or first.is_punct or first.lower_ in ("that", "said")):
            toks = toks[1:]
            first = toks[0]
        if first.lower_ in WH_WORDS:
            return None  # "did not say whether ...": no content is stated
        if not any(t.pos_ in ("VERB", "AUX") for t in toks):
            return None
        s, e = _trim(self.text, toks[0].idx, toks[-1].idx + len(toks[-1]), drop_that=True)
        return (s, e) if e > s else None

    def _content_of_range(self, head: Token, exclude: Token | None) -> tuple[int, int] | None:
        """_content for a head whose subtree is its edges' range (a projective parse): the same
        result in time proportional to the leading words skipped, not to the subtree."""
        index = self._subtrees
        assert index is not None
        lo, hi = index.left[head.i], index.right[head.i]
        ex_lo, ex_hi = (exclude.left_edge.i, exclude.right_edge.i) if exclude is not None else (hi + 1, hi)

        def next_kept(i: int) -> int:
            return ex_hi + 1 if ex_lo <= i <= ex_hi else i

        first = next_kept(lo)
        last = hi if not ex_lo <= hi <= ex_hi else ex_lo - 1
        if first > hi or last < lo or last < first:
            return None
        doc = self.doc
        while first < last and (
            doc[first].dep_ == "mark" or doc[first].is_punct or doc[first].lower_ in ("that", "said")
        ):
            first = next_kept(first + 1)
        if doc[first].lower_ in WH_WORDS:
            return None  # "did not say whether ...": no content is stated
        verbs = index.verbs_between(first, last) - index.verbs_between(max(first, ex_lo), min(last, ex_hi))
        if not verbs:
            return None
        end_tok = doc[last]
        s, e = _trim(self.text, doc[first].idx, end_tok.idx + len(end_tok), drop_that=True)
        return (s, e) if e > s else None

    def _from_verb(self, tok: Token) -> tuple[Found, tuple[int, int]] | None:
        if not _is_cue(tok, SPEECH_VERBS):
            return None
        if re.search(r"[,.!?]?[\"\u201d]\s*$", self.text[max(0, tok.idx - 4) : tok.idx]) and not any(
            c.dep_ in SUBJECTS and c.i < tok.i for c in tok.children
        ):
            return None  # `," said X` attributes the quote before it (pass 1)
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        # "In a release put out Friday, the group said that ...": of two complements the parse
        # gives, the one with a subject or "that" of its own is what was said
        full = [
            c for c in comps if any(g.dep_ in SUBJECTS or (g.dep_ == "mark" and g.lower_ == "that") for g in c.children)
        ]
        comp = next(iter(full or comps), None) or self._misparsed_clause(tok)
        if comp is None:
            return self._as_clause(tok) or self._parenthetical(tok)
        if any(c.dep_ == "mark" and c.lower_ in WH_WORDS for c in comp.children):
            return None
        span = self._content(comp)
        if span is None:
            return None
        span = self._within_sentence(tok, _before_contrast(comp, span))
        if span is None:
            return None
        subj = _subject(tok)
        speaker = None
        if subj is not None:  # a subject before its verb ends there: no apposition past the verb
            speaker = self._with_name(_mention(subj, 0, tok.i if subj.i < tok.i else None), tok)
        if speaker is not None and speaker.start <= comp.i < speaker.end:
            speaker = None
        return Found(
            "indirect", [], cue=self._cue_phrase(tok), speaker=speaker, attribution_end=self.sentences.of(tok).end_char
        ), span

    def _as_clause(self, tok: Token) -> tuple[Found, tuple[int, int]] | None:
        """`As Heald told The Huffington Post, US ozone has dropped`: the speech verb sits in an
        "as" clause and what was said is the clause it modifies."""
        head = tok.head
        if (
            tok.dep_ != "advcl"
            or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
            or head.pos_ not in ("VERB", "AUX")
            or tok.i > head.i
        ):
            return None
        span = self._content(head, exclude=tok)
        subj = _subject(tok)
        if span is None or subj is None or not (tok.i > subj.i):
            return None
        return self._aside(tok, subj), span

    def _aside(self, tok: Token, subj: Token) -> Found:
        """The indirect quote of an attribution standing aside from the clause it reports (an
        "as" clause, a parenthetical): its verb, and its subject up to the verb."""
        return Found(
            "indirect",
            [],
            cue=self._cue_phrase(tok),
            speaker=_mention(subj, 0, tok.i),
            attribution_end=self.sentences.of(tok).end_char,
        )

    def _parenthetical(self, tok: Token) -> tuple[Found, tuple[int, int]] | None:
        """`The economy, she said, would recover by June`, `Prices will rise, the minister
        added.`: an attribution set off by commas inside or after the clause it reports (the
        parse makes it a parataxis of that clause's verb, with no object of its own); what was
        said is the clause less the attribution."""
        head = tok.head
        if tok.dep_ != "parataxis" or head.pos_ not in ("VERB", "AUX") or head.i == tok.i:
            return None
        if any(c.dep_ in ("dobj", "ccomp", "xcomp", "advcl") for c in tok.children):
            return None  # "she said it", "he said to wait": not an aside
        subj = _subject(tok)
        if subj is None or subj.i > tok.i:
            return None  # `, said X,` is the attribution of a quoted passage (pass 1)
        words = [t.i for t in tok.subtree if not t.is_punct]  # (its commas may hang from it)
        # the aside opens at its subject: "On Wednesday, police said, ..." may hang the date on it
        left, right = subj.left_edge.i, words[-1]
        doc = tok.doc
        if left == 0 or doc[left - 1].text != "," or right + 1 >= len(doc):
            return None
        if doc[right + 1].text != "," and not (doc[right + 1].text in ".!?" and head.i < left):
            return None
        if head.left_edge.i >= left:
            return None  # nothing of the reported clause before the aside
        span = self._content(head, exclude=tok)
        return (self._aside(tok, subj), span) if span is not None else None

    @staticmethod
    def _misparsed_clause(tok: Token) -> Token | None:
        """`Tsvangirai said he would not take part`, parsed as an adverbial clause or
        parataxis rather than a complement: a clause with its own subject right after the
        verb, not introduced by a time or condition word."""
        for child in tok.rights:
            if child.dep_ in ("dobj", "dative") and tok.lemma_ != "tell":
                return None
            if child.dep_ in ("advcl", "parataxis") and any(c.dep_ in SUBJECTS for c in child.children):
                marks = {c.lower_ for c in child.children if c.dep_ in ("mark", "advmod") and c.i < child.i}
                if marks & {
                    "if",
                    "when",
                    "while",
                    "before",
                    "after",
                    "as",
                    "because",
                    "since",
                    "until",
                    "once",
                    "where",
                    "so",
                }:
                    return None
                return child
        return None

    def _cue_phrase(self, tok: Token) -> Span:
        """ "said", "told reporters", "pointed out": the verb with its particle or addressee."""
        end = tok.i + 1
        for child in tok.rights:
            if child.i == end and (
                child.dep_ in ("prt",) or (child.dep_ in ("dobj", "dative") and tok.lemma_ == "tell")
            ):
                end = child.right_edge.i + 1
        return tok.doc[tok.i : end]

    def _within_sentence(self, cue: Token, span: tuple[int, int]) -> tuple[int, int] | None:
        """Content the parse ran past a sentence end (a missed boundary after `."`) is cut
        there; content that starts in another sentence than its verb is none of its."""
        s, e = span
        cue_end = cue.idx + len(cue)
        boundary = SENTENCE_END
        if s > cue_end and boundary.search(self.text, cue_end, s):
            return None
        for m in boundary.finditer(self.text, s, e):
            if not self.inside_quote(m.start()) and not re.search(
                r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|[A-Z])\.$", self.text[max(s, m.start() - 4) : m.start() + 1]
            ):
                return _trim(self.text, s, m.start() + 1) if m.start() > s else None
        return span

    def _from_according(self, tok: Token) -> tuple[Found, tuple[int, int]] | None:
        if tok.lower_ != "according" or tok.i + 1 >= len(self.doc) or self.doc[tok.i + 1].lower_ != "to":
            return None
        obj = next((c for c in self.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        head = tok.head
        if obj is None or head.i == tok.i or head.pos_ not in ("VERB", "AUX"):
            return None
        span = self._content(head, exclude=tok)
        if span is None:
            return None
        return Found(
            "indirect",
            [],
            cue=self.doc[tok.i : tok.i + 2],
            speaker=_mention(obj),
            attribution_end=self.sentences.of(tok).end_char,
        ), span

    def _from_noun(self, tok: Token) -> tuple[Found, tuple[int, int]] | None:
        """ "a report in a Hong Kong newspaper that ...", "his claim that ..."."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in SPEECH_NOUNS:
            return None
        clause = None
        for cand in self.sentences.of(tok):
            if cand.i > tok.i + 8:
                break
            if (
                cand.i > tok.i
                and cand.dep_ in ("acl", "ccomp", "relcl")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in cand.children)
                and (cand.head == tok or cand.head.head == tok or cand.head.head.head == tok)
            ):
                clause = cand
                break
        if clause is None:
            return None
        span = self._content(clause)
        if span is None:
            return None
        source = next((c for c in tok.children if c.dep_ == "poss"), None)
        if source is None:
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "from", "by", "of")), None)
            source = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        speaker = _mention(source, 0, clause.left_edge.i) if source is not None else None
        return Found(
            "indirect",
            [],
            cue=self.doc[tok.i : tok.i + 1],
            speaker=speaker,
            attribution_end=self.sentences.of(tok).end_char,
        ), span

    # -- mixed from fragments --------------------------------------------------------
    def _fragments(self, fragments: list[Quoted], found: list[Found]) -> list[Found]:
        out: list[Found] = []
        for q in fragments:
            if any(s <= q.start and q.end <= e for f in found + out for s, e in f.spans):
                continue
            toks = _tokens(self.doc, q.start, q.end)
            if not len(toks):
                continue
            root = toks.root
            cue = self._governing_cue(root)
            if cue is None:
                continue  # a scare quote, a name or a term: not speech
            speaker_tok = _subject(cue)
            if speaker_tok is None:
                continue
            rights = [c for c in cue.rights if not c.is_punct and c.dep_ not in ("cc", "conj", "advcl")]
            comps = [c for c in rights if c.dep_ == "ccomp"]
            rights = comps or rights
            if not rights:
                continue
            s = min(c.left_edge.idx for c in rights)
            e = max(max(c.right_edge.idx + len(c.right_edge) for c in rights), q.end)
            s, e = _trim(self.text, s, e, drop_that=True)
            if e <= s:
                continue  # nothing but marks and "that": no words were reported
            out.append(
                Found(
                    "mixed",
                    [(s, e)],
                    cue=cue,
                    speaker=_mention(speaker_tok),
                    attribution_end=self.sentences.of(cue).end_char,
                    quoted=[q],
                )
            )
        return out

    def _governing_cue(self, tok: Token) -> Token | None:
        sent = self.sentences.of(tok)
        before = self.text[max(sent.start_char, tok.idx - 16) : tok.idx].lower()
        if "so-called" in before or re.search(r"\b(known|referred to) as\W*$", before):
            return None
        for _ in range(4):
            if tok.head.i == tok.i:
                return None
            tok = tok.head
            if _is_cue(tok, FRAGMENT_VERBS) and not self.inside_quote(tok.idx):
                if tok.lemma_.lower() in NAMING_VERBS and (
                    tok.dep_ in ("relcl", "acl", "amod")
                    or any(c.lower_ in ("what", "which", "that", "whom") for c in tok.children)
                ):
                    return None  # "places Beijing calls "centers"", "what it calls "camps"": naming
                return tok
        return None

    # -- continuation ----------------------------------------------------------------
    def _carry_over(self, found: list[Found]) -> None:
        """A quote with no attribution of its own that picks up right where the previous
        quote's sentence ended (next paragraph or next sentence) has the same speaker."""
        for prev, cur in pairwise(found):
            if cur.cue is not None or cur.kind != "direct":
                continue
            source = prev.inherited_from or prev
            gap = self.text[max(prev.attribution_end, prev.end) : cur.quoted[0].open if cur.quoted else cur.start]
            if cur.continues or not gap.strip(' \n\t.,;:!?"\u201d\u2019'):
                cur.inherited_from = source
        for cur in found:
            if cur.kind == "direct" and cur.cue is None and cur.inherited_from is None:
                cur.context_speaker = self._paragraph_subject(cur)

    def _paragraph_subject(self, f: Found) -> Span | None:
        """A paragraph that is nothing but a quote, after a paragraph about someone ("He became
        envoy the day he stepped down.\n"This morning I ..."): news gives it to that person."""
        q = f.quoted[0]
        line_start = self.text.rfind("\n", 0, q.open) + 1
        line_end = self.text.find("\n", q.outer_end)
        line_end = len(self.text) if line_end < 0 else line_end
        if line_start == 0 or self.text[line_start : q.open].strip() or self.text[q.outer_end : line_end].strip(" .,"):
            return None
        before = self._token_before(line_start - 1)
        if before is None:
            return None
        root = self.sentences.of(before).root
        subj = next((c for c in root.children if c.dep_ in SUBJECTS), None)
        if subj is None or not (subj.ent_type_ == "PERSON" or subj.lower_ in PERSON_SUBJECTS):
            return None
        return _mention(subj)


# ---------------------------------------------------------------------------- assembly


def extract(doc: Doc, resolver: Resolver, passages: Passages) -> tuple[list[Quote], list[Problem]]:
    finder = QuoteFinder(doc, resolver, passages)
    found = finder.run()
    text = resolver.text
    quotes: list[Quote] = []
    resolved: dict[int, Speaker] = {}
    for f in found:
        if f.inherited_from is not None and id(f.inherited_from) in resolved:
            base = resolved[id(f.inherited_from)]
            speaker = Speaker(base.name, base.entity, None, inherited=True)
        elif f.context_speaker is not None:
            cluster = resolver.resolve(f.context_speaker)
            speaker = Speaker(cluster.name, cluster.id, None, inherited=True) if cluster else Speaker(None, None, None)
        else:
            speaker = _resolve(resolver, f.speaker)
        resolved[id(f)] = speaker
        cue = None
        if f.cue is not None:
            cs, ce = (
                (f.cue.idx, f.cue.idx + len(f.cue)) if isinstance(f.cue, Token) else (f.cue.start_char, f.cue.end_char)
            )
            cue = Mention.of(text, cs, ce)
        spans = tuple(CharSpan(s, e) for s, e in f.spans if e > s)
        if not spans:
            continue  # every quote holds words: an empty span is no evidence
        quotes.append(Quote(f.kind, spans, " ... ".join(text[s:e] for s, e in f.spans), speaker, cue))  # type: ignore[arg-type]
    return quotes, finder.problems


def _resolve(resolver: Resolver, mention: Span | None) -> Speaker:
    if mention is None or not len(mention):
        return Speaker(None, None, None)
    m = Mention.of(resolver.text, mention.start_char, mention.end_char)
    cluster = resolver.resolve(mention)
    if cluster is None:
        head = mention.root
        if head.tag_ == "NN" and not head.ent_type_:  # "a soldier", "the prosecutor": someone unnamed
            resolver.add_unnamed(m.start)
        return Speaker(None, None, m)
    resolver.add_mention(cluster, m.start, m.end)
    name = cluster.name
    # "Both the school district and the police department have asserted": two sources, both named
    for conj in mention.root.conjuncts:
        if mention.start <= conj.i < mention.end and conj.i > mention.root.i:
            other = resolver.resolve(mention.doc[conj.left_edge.i : conj.i + 1])
            if other is not None and other is not cluster:
                name = f"{name} and {other.name}"
    return Speaker(name, cluster.id, m)
