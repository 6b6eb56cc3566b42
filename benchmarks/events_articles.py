"""Events on whole news articles: document-level precision and recall against hand coding.

    .venv/bin/python benchmarks/events_articles.py            # both halves, summary
    .venv/bin/python benchmarks/events_articles.py --errors A # and every miss and false event of half A

The gold is ``tests/fixtures/plover_articles/events.jsonl``: every PLOVER event in 16 Wikinews
dev articles (8 per half), coded by hand from the PLOVER codebook (see its GUIDELINES.md).
The texts are read from ``../shared/data/quotes/wikinews_en/dev.jsonl`` by id.

A predicted event is right when the article has a gold event of the same type whose trigger
lies in the predicted event's sentence (each gold event is matched at most once). Typed
precision is right / predicted, recall matched gold / gold. On the right-typed events,
"actors right" is the share whose predicted source and target codes agree with the gold's
(a gold actor with codes needs one of them; a gold actor without a code, or none, needs no
code), and actor code F1 counts (role, code) pairs as ``score.py`` does on sentences, with
every member's code of a coordinated actor on both sides (``codes``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "plover_articles" / "events.jsonl"
TEXTS = ROOT.parent / "shared" / "data" / "quotes" / "wikinews_en" / "dev.jsonl"


def load() -> list[dict[str, Any]]:
    texts = {a["id"]: a for a in map(json.loads, TEXTS.read_text(encoding="utf-8").splitlines())}
    out = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        out.append({**gold, "text": texts[gold["id"]]["text"]})
    return out


def _codes(actor: dict[str, Any] | None) -> set[str]:
    if not actor:
        return set()
    return set(actor.get("codes") or ([actor["code"]] if actor.get("code") else []))


def score(
    articles: list[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]], errors: bool = False
) -> dict[str, float]:
    n_pred = n_gold = right = actors_ok = 0
    tp = n_code_pred = n_code_gold = 0
    for art in articles:
        gold = list(art["events"])
        n_gold += len(gold)
        used: set[int] = set()
        for ev in predicted[art["id"]]:
            n_pred += 1
            sent = (ev.get("dated") or {}).get("sentence") or {"start": ev["start"], "end": ev["end"]}
            match = next(
                (
                    k
                    for k, g in enumerate(gold)
                    if k not in used
                    and g["type"] == ev["type"]
                    and sent["start"] <= g["trigger"]["start"] < sent["end"]
                ),
                None,
            )
            if match is None:
                if errors:
                    print(
                        f"  FALSE {art['id']} {ev['type']:9s} {ev['trigger']['text']!r}: {art['text'][sent['start'] : sent['end']][:140]!r}"
                        f"  [{(ev.get('source') or {}).get('text')} -> {(ev.get('target') or {}).get('text')}]"
                    )
                continue
            used.add(match)
            right += 1
            g = gold[match]
            ok = True
            for role in ("source", "target"):
                want = _codes(g.get(role))
                got = (ev.get(role) or {}).get("code")
                ok &= (got in want) if want else (got is None)
                every = _codes(ev.get(role))  # a coordinated actor's members count for the code F1
                n_code_gold += len(want)
                n_code_pred += len(every)
                tp += len(every & want)
            actors_ok += ok
            if errors and not ok:
                print(
                    f"  ACTOR {art['id']} {ev['type']:9s} {ev['trigger']['text']!r}: gold "
                    f"{sorted(_codes(g.get('source')))} -> {sorted(_codes(g.get('target')))}, got "
                    f"{(ev.get('source') or {}).get('code')} ({(ev.get('source') or {}).get('text')}) -> "
                    f"{(ev.get('target') or {}).get('code')} ({(ev.get('target') or {}).get('text')})"
                )
        if errors:
            for k, g in enumerate(gold):
                if k not in used:
                    print(f"  MISS  {art['id']} {g['type']:9s} {g['trigger']['text']!r}")
    p = right / n_pred if n_pred else 0.0
    r = right / n_gold if n_gold else 0.0
    cp = tp / n_code_pred if n_code_pred else 0.0
    cr = tp / n_code_gold if n_code_gold else 0.0
    return {
        "articles": len(articles),
        "gold": n_gold,
        "predicted": n_pred,
        "typed_precision": round(p, 3),
        "typed_recall": round(r, 3),
        "actors_right": round(actors_ok / right, 3) if right else 0.0,
        "actor_code_f1": round(2 * cp * cr / (cp + cr), 3) if cp + cr else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["A", "B"], help="print the misses and false events of one half")
    args = parser.parse_args()
    if not TEXTS.exists():
        print(f"needs the dev texts at {TEXTS}", file=sys.stderr)
        return 2
    from onrecord import extract
    from onrecord.model import to_json

    articles = load()
    predicted = {a["id"]: to_json(list(extract(a["text"], published=a.get("published")).events)) for a in articles}
    for half in "AB":
        chosen = [a for a in articles if a["half"] == half]
        print(f"half {half}: {json.dumps(score(chosen, predicted, errors=args.errors == half))}")
    print(f"all:    {json.dumps(score(articles, predicted))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
