"""textacy 0.13.0 as a quote extractor, in onrecord's record shape. Run in benchmarks/.envs/textacy:

    .envs/textacy/bin/python peers/run_textacy.py IN.jsonl > OUT.jsonl

textacy.extract.triples.direct_quotations(doc) finds direct quotations only; it raises ValueError on
an article with an odd number of quotation marks, which then gets {"id", "error"}.
"""
import sys
import time

from common import load_model, quote_record, run
from textacy.extract.triples import direct_quotations

t0 = time.perf_counter()
nlp = load_model()
print("model loaded in %.1f s" % (time.perf_counter() - t0), file=sys.stderr)


def quotes_of(text):
    doc = nlp(text)
    return [quote_record(text, q.content, q.speaker, q.cue) for q in direct_quotations(doc)]


run(sys.argv[1], quotes_of)
