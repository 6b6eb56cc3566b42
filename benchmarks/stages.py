"""Cost of each extraction stage relative to the bare spaCy parse, on the dev articles.

    .venv/bin/python benchmarks/stages.py

Parses the 40 English dev articles three times over with nlp.pipe (the limit), then times
each stage on the parsed documents. The issues' budgets: entities, coreference and places
together, and time, claims and events together, at most 25% on top of the parse each.
"""
import json
import sys
import time
from pathlib import Path

from onrecord.language import load
from onrecord import entities, coref, quotemarks, quotes, geo, timex, claims, events
from onrecord.gazetteer import gazetteer
DEV = Path(__file__).resolve().parent.parent.parent / 'shared' / 'data' / 'quotes' / 'wikinews_en' / 'dev.jsonl'
if not DEV.exists():
    sys.exit(f'{DEV} not found: this measurement needs ../shared beside the project')
nlp = load(); gazetteer()
texts = [json.loads(l)['text'] for l in open(DEV)] * 3
t = time.time(); docs = list(nlp.pipe(texts, batch_size=16)); bare = time.time() - t
acc = dict.fromkeys(['entities+coref', 'quotes', 'geo', 'timex', 'claims', 'events'], 0.0)
for d in docs:
    t0 = time.time(); r = entities.Resolver(d); coref.before_quotes(r); t1 = time.time()
    q, probs, cont = quotemarks.find_quoted(r.text); f, _ = quotes.extract(d, r, q, cont); t2 = time.time()
    coref.after_quotes(r); t3 = time.time(); geo.locate(r); t4 = time.time()
    tx, _ = timex.extract(d, '2010-01-01'); t5 = time.time(); claims.extract(d, r, f); t6 = time.time(); events.extract(d, r, f, tx); t7 = time.time()
    acc['entities+coref'] += (t1 - t0) + (t3 - t2); acc['quotes'] += t2 - t1; acc['geo'] += t4 - t3
    acc['timex'] += t5 - t4; acc['claims'] += t6 - t5; acc['events'] += t7 - t6
print(f"bare spaCy {bare:.2f}s for {len(docs)} articles")
for k, v in acc.items(): print(f"{k:16s} {v:.2f}s = {100*v/bare:.1f}% of the parse")
print(f"entities+coref+geo {100*(acc['entities+coref']+acc['geo'])/bare:.1f}%; timex+claims+events {100*(acc['timex']+acc['claims']+acc['events'])/bare:.1f}%")
