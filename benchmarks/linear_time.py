"""Seconds against characters: adversarial texts and real news through the whole pipeline.

Every stage must be near-linear in the article's length (issue 9): a crafted text must not
cost hours. Each pattern is run at growing sizes through ``onrecord.extract`` (what users
run); the ratio of seconds per KB between the largest and smallest size shows the growth
(about 1 when linear, about the size ratio when quadratic).

    .venv/bin/python benchmarks/linear_time.py              # adversarial patterns, 25-100 KB
    .venv/bin/python benchmarks/linear_time.py --big        # and real news at 1 MB and 10 MB

Targets: 100 KB of any adversarial pattern under 10 s; 10 MB of real news as one article
under 10 minutes and under 2.5 GB. Bare spaCy's parse of the same text, timed in the same
process, shows how much of the time is the parse (texts made of quotation marks are dense in
tokens: 100 KB of `"a" ` is 75,000 tokens). Writes benchmarks/results/linear_time.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"
NEWS = SHARED / "data" / "quotes" / "wikinews_en" / "dev.jsonl"


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _names(size: int) -> str:
    """Thousands of distinct capitalised names: thousands of entity clusters."""
    out, i = [], 0
    syllables = ["Ka", "Lo", "Mir", "Ta", "Ven", "Do", "Rus", "Pel", "An", "Sor", "Bi", "Quen"]
    while sum(len(s) for s in out) < size:
        first = syllables[i % 12] + syllables[(i // 12) % 12].lower()
        last = syllables[(i // 144) % 12] + syllables[(i // 7) % 12].lower() + "son"
        out.append(f"{first} {last} met {last} Holdings in {first}ville. ")
        i += 1
    return "".join(out)[:size]


def _long_sentence(size: int) -> str:
    words = ["officials", "said", "that", "the", "council", "and", "its", "members", "which", "had", "argued"]
    return (" ".join(words[i % len(words)] for i in range(size // 6)))[: size - 1] + "."


PATTERNS = {
    "single marks ' x": lambda n: _repeat(" 'x", n),
    "double marks": lambda n: _repeat('"a" ', n),
    "curly and guillemets": lambda n: _repeat("\u201ca\u201d \u00abb\u00bb \u2018c\u2019 ", n),
    "unclosed quote per paragraph": lambda n: _repeat('"He said this\n\n', n),
    "unclosed quote, one paragraph": lambda n: '"' + _repeat("He said this and that. ", n - 1),
    "one long sentence": _long_sentence,
    "one long quoted sentence": lambda n: '"' + _long_sentence(n - 20) + '" he said.',
    "many names (clusters)": _names,
    "many short paragraphs": lambda n: _repeat("Yes.\n\n", n),
    "speech verbs everywhere": lambda n: _repeat("He said she said they said. ", n),
    # every event verb once read the whole document's text (the events stage's score test)
    "event verbs in one paragraph": lambda n: _repeat("Kenyan police arrested two protesters and beat three more. ", n),
}


def real_news(size: int) -> str:
    texts = [json.loads(line)["text"] for line in NEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    out, i = [], 0
    while sum(len(t) + 2 for t in out) < size:
        out.append(texts[i % len(texts)])
        i += 1
    return "\n\n".join(out)[:size]


def measure(text: str, bare: bool = True) -> tuple[float, float, float | None]:
    """(seconds, peak RSS in MB, bare spaCy seconds) of extracting ``text`` in a fresh child
    process; bare spaCy parses the same pieces with the same model in the same process."""
    code = (
        "import json, resource, sys, time, onrecord\n"
        "from onrecord.language import load\n"
        "from onrecord.pipeline import _pieces\n"
        "onrecord.extract('Warm up: the model said hello.', published='2022-01-14')\n"
        "text = sys.stdin.read()\n"
        "t = time.perf_counter(); onrecord.extract(text, published='2022-01-14')\n"
        "took = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "bare = None\n"
        f"if {bare!r}:\n"
        "    nlp = load(None); t = time.perf_counter()\n"
        "    for s, e in _pieces(text): nlp(text[s:e])\n"
        "    bare = time.perf_counter() - t\n"
        "print(json.dumps([took, peak, bare]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    seconds, peak, bare_seconds = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, peak, bare_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="25000,50000,100000", help="characters, comma-separated")
    parser.add_argument("--big", action="store_true", help="also real news at 1 MB and 10 MB (minutes)")
    parser.add_argument("--only", default=None, help="run only patterns whose name contains this")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    cases = [(name, make, sizes) for name, make in PATTERNS.items() if not args.only or args.only in name]
    if NEWS.exists() and (not args.only or args.only in "real news"):
        cases.append(("real news", real_news, [100_000] + ([1_000_000, 10_000_000] if args.big else [])))
    print(f"{'pattern':32} {'chars':>10} {'seconds':>9} {'s/KB':>8} {'peak MB':>8} {'bare spaCy s':>13}")
    for name, make, case_sizes in cases:
        for size in case_sizes:
            seconds, peak, bare = measure(make(size), bare=size <= 1_000_000)
            rows.append(
                {
                    "pattern": name,
                    "chars": size,
                    "seconds": round(seconds, 3),
                    "seconds_per_kb": round(seconds / (size / 1000), 5),
                    "peak_mb": round(peak),
                    "bare_spacy_seconds": None if bare is None else round(bare, 3),
                }
            )
            shown = "" if bare is None else f"{bare:.2f}"
            print(
                f"{name:32} {size:>10,} {seconds:>9.2f} {seconds / (size / 1000):>8.4f} {peak:>8.0f} {shown:>13}",
                flush=True,
            )
    out = HERE / "results" / "linear_time.json"
    if args.only and out.exists():  # a partial run replaces its own patterns' rows, keeps the rest
        measured = {r["pattern"] for r in rows}
        kept = [r for r in json.loads(out.read_text(encoding="utf-8"))["rows"] if r["pattern"] not in measured]
        rows = kept + rows
    out.write_text(json.dumps({"rows": rows}, indent=1) + "\n", encoding="utf-8")
    worst = max((r for r in rows if r["chars"] == 100_000), key=lambda r: r["seconds"], default=None)
    if worst:
        print(f"slowest at 100 KB: {worst['pattern']} {worst['seconds']:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
