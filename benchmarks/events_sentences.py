"""Events on the PLOVER sentence dev set, scored by score.py on each half and on the whole.

    .venv/bin/python benchmarks/events_sentences.py

The halves are those of every dev-set study here (``weights.half``: sha256 of the id). Besides
score.py's type accuracy and actor code F1, it prints spurious events per sentence: events
whose trigger lies outside the gold event's spans (the precision-first target of issue 11).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from weights import SHARED, half  # noqa: E402

DEV = SHARED / "data" / "events" / "plover_gsr" / "dev.jsonl"


def _score(gold: list[str], preds: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        g.write_text("".join(gold), encoding="utf-8")
        p.write_text("".join(preds), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(SHARED / "tools" / "score.py"), "events", str(g), str(p)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    m = re.search(r"type accuracy ([\d.]+); actor code F1 ([\d.]+)", out)
    assert m, out
    return float(m.group(1)), float(m.group(2))


def _spurious(gold: dict[str, Any], pred: dict[str, Any]) -> int:
    """Predicted events that are not the sentence's gold event: the trigger lies outside every
    gold event span. (An event on the gold trigger with the wrong type is a type error, counted
    by score.py, not a spurious event.)"""
    spans = gold["event_spans"]
    return sum(
        not any(t["start"] < e and s < t["end"] for s, e in spans) for t in (ev["trigger"] for ev in pred["events"])
    )


def main() -> None:
    import onrecord

    lines = [line + "\n" for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [json.loads(line) for line in lines]
    batch = (onrecord.Article(g["text"], id=g["id"], published=g.get("published")) for g in gold)
    preds = []
    for record in onrecord.extract_many(batch):
        assert not isinstance(record, Exception), record
        preds.append(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    for name, keep in (("half A", "A"), ("half B", "B"), ("all", None)):
        idx = [i for i, g in enumerate(gold) if keep is None or half(g["id"]) == keep]
        kind, codes = _score([lines[i] for i in idx], [preds[i] for i in idx])
        extra = sum(_spurious(gold[i], json.loads(preds[i])) for i in idx) / len(idx)
        print(
            f"{name:7s} sentences {len(idx):3d}  type accuracy {kind:.3f}  actor code F1 {codes:.3f}  spurious/sentence {extra:.2f}"
        )


if __name__ == "__main__":
    main()
