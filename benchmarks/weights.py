"""Evidence for the tuned weights and cut-offs: each one moved in turn, measured on both dev halves.

    .venv/bin/python benchmarks/weights.py          # both studies
    .venv/bin/python benchmarks/weights.py geo      # or one: geo | quotes

Writes benchmarks/results/geo_weights.md and benchmarks/results/quote_cutoffs.md. A dev set
is split in two by a hash of the article id (``half``). Every article is parsed once; then,
for the values as they are and for each one moved, the stages run again and score.py's
headline is taken on each half:

- geo: each weight of ``geo.WEIGHTS`` and ``geo.FEATURE_PRIOR`` set to zero, accuracy within
  161 km on GeoVirus dev;
- quotes: each cut-off of ``quotes.SPEECH_WORDS`` one word lower and one higher, quote F1 and
  end-to-end F1 on WikiNews dev.

A value earns its place when moving it costs on both halves; one only a single half needs is
fitted to that half, and one that moves nothing rests only on the case its comment names.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results"


def half(article_id: str) -> str:
    """ "A" or "B": the split every dev-set study in this project uses."""
    return "AB"[int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2]


def _score(what: str, gold: list[str], preds: list[str], patterns: list[str]) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        g.write_text("".join(gold), encoding="utf-8")
        p.write_text("".join(preds), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(SHARED / "tools" / "score.py"), what, str(g), str(p)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return [float(re.search(pattern, out).group(1)) for pattern in patterns]  # type: ignore[union-attr]


class Study:
    def __init__(self, what: str, data: str, stage: str, layer: str, patterns: list[str]) -> None:
        from onrecord.language import load
        from onrecord.stages import select

        self.what, self.layer, self.patterns = what, layer, patterns
        self.stages = select([stage])
        self.lines = (SHARED / "data" / data / "dev.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
        self.gold = [json.loads(line) for line in self.lines]
        self.docs = list(load().pipe(g["text"] for g in self.gold))
        self.n = {h: sum(half(g["id"]) == h for g in self.gold) for h in "AB"}

    def measure(self) -> dict[str, list[float]]:
        from onrecord.model import to_json
        from onrecord.pipeline import _analyse

        preds = []
        for g, doc in zip(self.gold, self.docs, strict=True):
            piece = _analyse(doc, 0, "", g.get("published"), self.stages)
            items = {"entities": to_json(list(piece.entities)), "quotes": to_json(list(piece.quotes))}
            preds.append(json.dumps({"id": g["id"], "text": g["text"], **items}) + "\n")
        out = {}
        for h in "AB":
            keep = [i for i, g in enumerate(self.gold) if half(g["id"]) == h]
            out[h] = _score(self.what, [self.lines[i] for i in keep], [preds[i] for i in keep], self.patterns)
        return out


@contextmanager
def _moved(table: dict[str, Any], name: str, value: Any) -> Iterator[None]:
    kept = table[name]
    table[name] = value
    try:
        yield
    finally:
        table[name] = kept


def _report(
    title: str,
    header: str,
    study: Study,
    figures: list[str],
    variants: list[tuple[str, tuple[dict[str, Any], str, Any]]],
) -> list[str]:
    base = study.measure()
    rows = ["| (as they are) | " + " | ".join(f"{base[h][k]:.3f}" for h in "AB" for k in range(len(figures))) + " | |"]
    for label, move in variants:
        with _moved(*move):
            got = study.measure()
        change = ", ".join(
            f"{figures[k]} {h} {(got[h][k] - base[h][k]) * 100:+.1f}" for h in "AB" for k in range(len(figures))
        )
        rows.append(
            f"| {label} | "
            + " | ".join(f"{got[h][k]:.3f}" for h in "AB" for k in range(len(figures)))
            + f" | {change} |"
        )
        print(rows[-1], flush=True)
    cols = " | ".join(f"{f} {h}" for h in "AB" for f in figures)
    return [
        f"# {title}",
        "",
        f"{header}: half A {study.n['A']} articles, half B {study.n['B']} (split by sha256 of the article id).",
        "Made by `benchmarks/weights.py`; change in points against the values as they are.",
        "",
        f"| variant | {cols} | change |",
        "|---" * (2 + 2 * len(figures)) + "|",
        *rows,
        "",
    ]


def geo_study() -> None:
    from onrecord import geo

    study = Study("geo", "geo/geovirus", "geo", "entities", [r"accuracy@161km over all gold toponyms ([\d.]+)"])
    variants: list[tuple[str, tuple[dict[str, Any], str, Any]]] = []
    for table, label in ((geo.WEIGHTS, "{}"), (geo.FEATURE_PRIOR, "feature prior: {}")):
        for name, value in table.items():
            if value:
                variants.append((f"{label.format(name)} = 0 (is {value})", (table, name, 0.0)))
    text = _report("geo weights: accuracy within 161 km without each one", "GeoVirus dev", study, ["acc161"], variants)
    (RESULTS / "geo_weights.md").write_text("\n".join(text), encoding="utf-8")


def quotes_study() -> None:
    from onrecord import quotes

    study = Study(
        "quotes",
        "quotes/wikinews_en",
        "quotes",
        "quotes",
        [r"quotes: P [\d.]+ R [\d.]+ F1 ([\d.]+)", r"end-to-end \(quote and speaker\) P [\d.]+ R [\d.]+ F1 ([\d.]+)"],
    )
    table = quotes.SPEECH_WORDS
    variants = [
        (f"{name} = {value + step} (is {value})", (table, name, value + step))
        for name, value in table.items()
        for step in (-1, 1)
    ]
    text = _report(
        "quote cut-offs: quote and end-to-end F1 with each moved by one word",
        "WikiNews dev",
        study,
        ["F1", "e2e"],
        variants,
    )
    (RESULTS / "quote_cutoffs.md").write_text("\n".join(text), encoding="utf-8")


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["geo", "quotes"]
    for name in wanted:
        {"geo": geo_study, "quotes": quotes_study}[name]()
