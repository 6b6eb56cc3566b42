"""Measure the accuracy gate's figures now, and (with --update) rewrite its baseline.

    .venv/bin/python benchmarks/accuracy_baseline.py            # print figures against the baseline
    .venv/bin/python benchmarks/accuracy_baseline.py --update   # write them (and the data hashes) into it

The baseline is tests/accuracy_baseline.json (see its "about"). Update it deliberately: when
a change improves a figure, in the same commit, and never lower a figure without a note in
CHANGELOG.md saying why.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import test_accuracy_gate as gate  # noqa: E402  (the gate's own measuring code)
from tests.conftest import SHARED  # noqa: E402

BASELINE = ROOT / "tests" / "accuracy_baseline.json"


def main() -> None:
    update = "--update" in sys.argv[1:]
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    for name, entry in baseline["sets"].items():
        gold = SHARED / "examples" / "seed" / "gold.json" if name == "seed" else (SHARED / "data" / name / "dev.jsonl")
        if update:
            entry["data_sha256"] = hashlib.sha256(gold.read_bytes()).hexdigest()
            gate.BASELINE["sets"][name]["data_sha256"] = entry["data_sha256"]
        measured = gate.figures(name)
        for figure, value in measured.items():
            print(f"{name:20s} {figure:16s} {value:.3f} (baseline {entry['figures'].get(figure, float('nan')):.3f})")
            if update:
                entry["figures"][figure] = round(value, 3)
    if update:
        BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        print(f"written: {BASELINE}")


if __name__ == "__main__":
    main()
