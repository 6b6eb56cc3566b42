"""Entity coreference agreement on MEANTIME (English), measured with B-cubed.

    .venv/bin/python benchmarks/coref_meantime.py [--gold ../shared/data/timex/meantime_en/dev.jsonl]

MEANTIME's entity mentions are exhaustive only inside each record's ``annotated_region``,
so only gold mentions there count. Each gold mention belongs to its gold entity (the
intra-document ``entity_id``); it belongs to the onrecord entity one of whose mentions
overlaps it, or to a cluster of its own when none does (a missed mention costs recall).

B-cubed (Bagga & Baldwin 1998) averages, over gold mentions, how much of a mention's
predicted cluster is in its gold cluster (precision) and how much of its gold cluster is
in its predicted cluster (recall). Reported with MUC-style counts of gold mentions found.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import onrecord

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE.parent.parent / "shared" / "data" / "timex" / "meantime_en" / "dev.jsonl"


def b_cubed(gold_of: dict[int, str], pred_of: dict[int, str]) -> tuple[float, float]:
    gold_sets, pred_sets = defaultdict(set), defaultdict(set)
    for m, g in gold_of.items():
        gold_sets[g].add(m)
        pred_sets[pred_of[m]].add(m)
    p = r = 0.0
    for m in gold_of:
        g, k = gold_sets[gold_of[m]], pred_sets[pred_of[m]]
        both = len(g & k)
        p += both / len(k)
        r += both / len(g)
    n = len(gold_of) or 1
    return p / n, r / n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = ap.parse_args()
    if not args.gold.exists():
        print(f"{args.gold} not found: this measurement needs ../shared beside the project", file=sys.stderr)
        return 0
    docs = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = (onrecord.Article(d["text"], d["id"], d.get("published")) for d in docs)
    n_gold = found = 0.0
    precisions, recalls = [], []
    for doc, rec in zip(docs, onrecord.extract_many(articles)):
        if isinstance(rec, Exception):
            continue
        lo, hi = doc["annotated_region"]
        gold = [e for e in doc["entities"] if lo <= e["start"] < hi and e.get("entity_id")]
        gold_of, pred_of = {}, {}
        for i, g in enumerate(gold):
            gold_of[i] = g["entity_id"]
            hit = next(
                (e.id for e in rec.entities for m in e.mentions if m.start < g["end"] and g["start"] < m.end), None
            )
            pred_of[i] = hit or f"alone-{i}"
            found += hit is not None
        if gold_of:
            p, r = b_cubed(gold_of, pred_of)
            precisions.append(p * len(gold_of))
            recalls.append(r * len(gold_of))
            n_gold += len(gold_of)
    p, r = sum(precisions) / n_gold, sum(recalls) / n_gold
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"documents {len(docs)}; gold entity mentions in the annotated regions {int(n_gold)}, "
        f"found (overlapping an onrecord entity mention) {int(found)} = {found / n_gold:.3f}"
    )
    print(f"B-cubed over gold mentions: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
