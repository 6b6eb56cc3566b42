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

from onrecord import event_lexicon, units
from onrecord.gazetteer import gazetteer
from onrecord.language import load
from onrecord.stages import STAGES

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "quotes" / "wikinews_en" / "dev.jsonl"
if not DEV.exists():
    sys.exit(f"{DEV} not found: this measurement needs ../shared beside the project")
nlp = load()
gazetteer()
units.load()  # like the gazetteer, built once per process, before the first article
event_lexicon.load()
texts = [json.loads(line)["text"] for line in open(DEV)] * 3
t = time.time()
docs = list(nlp.pipe(texts, batch_size=16))
bare = time.time() - t
# each stage of the registry, timed as the pipeline runs it (pipeline._analyse)
acc = {s.name: 0.0 for s in STAGES}
for d in docs:
    found = {"doc": d, "text": d.text, "published": "2010-01-01", "title": None}
    for stage in STAGES:
        t0 = time.time()
        out = dict(stage.run(**{need: found[need] for need in stage.needs}))
        acc[stage.name] += time.time() - t0
        out.pop("problems", None)
        found.update(out)
    t0 = time.time()
    found["mentions"].entities()
    acc["entities"] += time.time() - t0
print(f"bare spaCy {bare:.2f}s for {len(docs)} articles")
for k, v in acc.items():
    print(f"{k:16s} {v:.2f}s = {100 * v / bare:.1f}% of the parse")
first = acc["quotemarks"] + acc["entities"] + acc["coref"] + acc["geo"]
print(
    f"entities+coref+geo {100 * first / bare:.1f}%; "
    f"timex+claims+events {100 * (acc['timex'] + acc['claims'] + acc['events']) / bare:.1f}%; "
    f"claims+events {100 * (acc['claims'] + acc['events']) / bare:.1f}% (issue 11: under 15%)"
)
