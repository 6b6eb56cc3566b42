"""Numeric claims on real news web pages: precision and recall against a hand-made gold set.

    .venv/bin/python benchmarks/claims_pages.py            # both halves, summary
    .venv/bin/python benchmarks/claims_pages.py --errors A # and every false positive and miss of half A

The gold is ``tests/fixtures/claims_pages/claims.jsonl``: every numeric claim in 14 news pages
of the Zyte/Scrapinghub article-extraction benchmark (7 per half), marked by hand (see its
GUIDELINES.md), with the numbers that are not claims (years, dates, scores, ordinals, ...)
listed apart. The texts (the annotators' ``articleBody``) are read by id from
``../shared/data/html/scrapinghub_aeb/ground_truth.jsonl``.

A predicted claim's span is its quantity text, found inside the claim's [start, end) (the claim
may open with a qualifier before the number), else the claim's own span. It is right when it
overlaps a gold number span. Precision is right / predicted; recall is gold claims overlapped
by some prediction / gold, over the salient gold claims and over all. On matched gold claims,
"value right" is the share whose predicted value is within 0.5% of the gold value, and "unit
right" the share, among matched gold claims with a unit, whose predicted unit is the gold's
(compared without case, spaces or "·", so "L" is "l" and "N·m" is "Nm"). "on not-claims"
counts false positives that fall on a number the gold lists as not a claim.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "claims_pages" / "claims.jsonl"
TEXTS = ROOT.parent / "shared" / "data" / "html" / "scrapinghub_aeb" / "ground_truth.jsonl"


def load() -> list[dict[str, Any]]:
    texts = {a["id"]: a for a in map(json.loads, TEXTS.read_text(encoding="utf-8").splitlines())}
    out = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        out.append({**gold, "text": texts[gold["id"]]["articleBody"]})
    return out


def span(text: str, claim: dict[str, Any]) -> tuple[int, int]:
    """The predicted number's span: its quantity text inside the claim, else the claim."""
    qtext = (claim.get("quantity") or {}).get("text") or ""
    at = text.find(qtext, claim["start"], claim["end"]) if qtext else -1
    return (at, at + len(qtext)) if at >= 0 else (claim["start"], claim["end"])


def _overlaps(a: tuple[int, int], b: dict[str, Any]) -> bool:
    return a[0] < b["end"] and b["start"] < a[1]


def _unit(unit: str | None) -> str | None:
    return None if unit is None else unit.replace("·", "").replace(" ", "").lower()


def _value_ok(got: Any, want: float) -> bool:
    if not isinstance(got, int | float):
        return False
    return abs(got - want) <= 0.005 * abs(want) if want else got == 0


def score(
    articles: list[dict[str, Any]], predicted: dict[str, list[dict[str, Any]]], errors: bool = False
) -> dict[str, Any]:
    n_pred = right = on_not = 0
    n_gold = n_salient = found = found_salient = 0
    value_ok = unit_ok = n_unit = 0
    for art in articles:
        text, gold, nots = art["text"], art["claims"], art["not_claims"]
        spans = [(span(text, c), c) for c in predicted[art["id"]]]
        n_pred += len(spans)
        for sp, _ in spans:
            if any(_overlaps(sp, g) for g in gold):
                right += 1
                continue
            hit = next((n for n in nots if _overlaps(sp, n)), None)
            on_not += hit is not None
            if errors:
                why = f" (not a claim: {hit['reason']})" if hit else ""
                context = text[max(0, sp[0] - 40) : sp[1] + 40].replace("\n", " ")
                print(f"  FALSE {art['id'][:10]} {text[sp[0] : sp[1]]!r}{why}: …{context}…")
        for g in gold:
            n_gold += 1
            n_salient += g["salient"]
            match = next((c for sp, c in spans if _overlaps(sp, g)), None)
            if match is None:
                if errors:
                    mark = "*" if g["salient"] else " "
                    context = text[max(0, g["start"] - 40) : g["end"] + 40].replace("\n", " ")
                    print(f"  MISS{mark} {art['id'][:10]} {g['text']!r} ({g['value']} {g['unit']}): …{context}…")
                continue
            found += 1
            found_salient += g["salient"]
            q = match.get("quantity") or {}
            value_ok += _value_ok(q.get("value"), g["value"])
            if g["unit"] is not None:
                n_unit += 1
                unit_ok += _unit(q.get("unit")) == _unit(g["unit"])
    return {
        "articles": len(articles),
        "gold": n_gold,
        "salient": n_salient,
        "predicted": n_pred,
        "precision": round(right / n_pred, 3) if n_pred else 0.0,
        "recall_salient": round(found_salient / n_salient, 3) if n_salient else 0.0,
        "recall_all": round(found / n_gold, 3) if n_gold else 0.0,
        "value_right": round(value_ok / found, 3) if found else 0.0,
        "unit_right": round(unit_ok / n_unit, 3) if n_unit else 0.0,
        "fp_on_not_claims": on_not,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["A", "B"], help="print the false positives and misses of one half")
    args = parser.parse_args()
    if not TEXTS.exists():
        print(f"{TEXTS} not found: this measurement needs ../shared beside the project", file=sys.stderr)
        return 0
    import onrecord

    articles = load()
    predicted: dict[str, list[dict[str, Any]]] = {}
    records = onrecord.extract_many(onrecord.Article(a["text"], id=a["id"]) for a in articles)
    for art, rec in zip(articles, records):
        if isinstance(rec, Exception):
            print(f"  FAILED {art['id']}: {rec}", file=sys.stderr)
            predicted[art["id"]] = []
            continue
        predicted[art["id"]] = rec.to_dict()["claims"]
    for half in "AB":
        chosen = [a for a in articles if a["half"] == half]
        print(f"half {half}: {json.dumps(score(chosen, predicted, errors=args.errors == half))}")
    print(f"all:    {json.dumps(score(articles, predicted))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
