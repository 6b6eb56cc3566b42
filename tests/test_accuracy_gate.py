"""Accuracy gate: F1 floors on the shared dev sets, scored by the shared scorer.

Floors sit just under the figures measured when they were set (see README, "Accuracy");
lowering one is a deliberate, reviewed act. Skips cleanly where ../shared is absent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import onrecord

from .conftest import shared_path

FLOORS = {"quote_f1": 0.91, "end_to_end_f1": 0.84, "canonical": 0.83, "geo_acc161": 0.85, "toponym_f1": 0.94,
          "seed_mentions": 0.90, "timex_f1": 0.91, "timex_value_f1": 0.78, "event_type": 0.75, "event_codes": 0.68}


def _score(tmp_path, what: str, *gold_parts: str) -> str:
    """Extract every article of a shared dev set and return score.py's report on it."""
    gold_path = shared_path(*gold_parts)
    scorer = shared_path("tools", "score.py")
    articles = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred = tmp_path / "pred.jsonl"
    batch = (onrecord.Article(a["text"], a["id"], a.get("published")) for a in articles)
    with pred.open("w", encoding="utf-8") as out:
        for record in onrecord.extract_many(batch):
            assert not isinstance(record, Exception), record
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    return subprocess.run([sys.executable, str(scorer), what, str(gold_path), str(pred)],
                          capture_output=True, text=True, check=True).stdout


def test_wikinews_en_dev_quotes(tmp_path):
    report = _score(tmp_path, "quotes", "data", "quotes", "wikinews_en", "dev.jsonl")
    f1, e2e = map(float, re.search(r"F1 ([\d.]+); end-to-end .* F1 ([\d.]+)", report).groups())
    canonical = float(re.search(r"canonical speaker right on matched quotes: \d+/\d+ = ([\d.]+)", report).group(1))
    print(report)
    assert "missing or failed 0" in report
    assert f1 >= FLOORS["quote_f1"], report
    assert e2e >= FLOORS["end_to_end_f1"], report
    assert canonical >= FLOORS["canonical"], report


def test_seed_scores_full_marks_on_quotes(tmp_path, seed_record):
    scorer = shared_path("tools", "score.py")
    pred = tmp_path / "seed.json"
    pred.write_text(json.dumps(seed_record), encoding="utf-8")
    report = subprocess.run([sys.executable, str(scorer), "seed", str(pred)], capture_output=True, text=True, check=True).stdout
    assert "quotes 7/7 with right speaker, P 1.00" in report, report
    assert "scare quotes reported as speech" not in report
    assert "entities 10/10" in report
    clustered, total = map(int, re.search(r"mentions clustered (\d+)/(\d+)", report).groups())
    assert clustered / total >= FLOORS["seed_mentions"], report


@pytest.mark.parametrize("what, parts, pattern, floors", [
    ("geo", ("geo", "geovirus", "dev.jsonl"),
     r"accuracy@161km over all gold toponyms ([\d.]+); .* F1 ([\d.]+)", ("geo_acc161", "toponym_f1")),
    ("timex", ("timex", "meantime_en", "dev.jsonl"),
     r"relaxed span P [\d.]+ R [\d.]+ F1 ([\d.]+); value F1 ([\d.]+)", ("timex_f1", "timex_value_f1")),
    ("events", ("events", "plover_gsr", "dev.jsonl"),
     r"type accuracy ([\d.]+); actor code F1 ([\d.]+)", ("event_type", "event_codes")),
])
def test_dev_set_floors(tmp_path, what, parts, pattern, floors):
    """Places (GeoVirus), time expressions (MEANTIME) and events (PLOVER GSR)."""
    report = _score(tmp_path, what, "data", *parts)
    print(report)
    figures = map(float, re.search(pattern, report).groups())
    for name, figure in zip(floors, figures):
        assert figure >= FLOORS[name], f"{name} {figure} < {FLOORS[name]}\n{report}"
