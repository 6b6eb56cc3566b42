"""Ingest throughput against `onrecord extract --jsonl`, and two worker processes against one.

    .venv/bin/python benchmarks/ingest_speed.py [--articles 200]

- Input: the English dev articles of news length (Wikinews quotes, GeoVirus, MEANTIME; 500
  characters or more), cycled to --articles. A cycled copy gets a new id and a closing line
  of its own ("Copy 2."), so no text is repeated exactly: every article is extracted, as on
  a real crawl (the store then clusters the copies as syndicated, which costs what it costs).
- Runs, each a fresh subprocess timed wall-clock including the model load:
  `onrecord extract --jsonl IN --workers 1 > /dev/null` (the baseline), `onrecord ingest DB IN --workers 1`,
  and `onrecord ingest DB IN --workers 2` (each into a new database).
- Targets (issue 5): ingest(1 worker) >= 0.80 of extract's articles/s; ingest(2) >= 1.6x ingest(1)
  on an otherwise idle two-core machine. Results go to benchmarks/results/ingest_speed.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SCORE = SHARED / "tools/score.py"
SETS = [
    "data/quotes/wikinews_en/dev.jsonl",
    "data/geo/geovirus/dev.jsonl",
    "data/timex/meantime_en/dev.jsonl",
    "data/events/plover_gsr/dev.jsonl",
]
ONRECORD = Path(sys.executable).with_name("onrecord")


def build_input(n: int, path: Path) -> int:
    seen: set[str] = set()
    rows = []
    for name in SETS:
        out = subprocess.run(
            [sys.executable, SCORE, "inputs", SHARED / name], check=True, capture_output=True, text=True
        ).stdout
        for line in out.splitlines():
            art = json.loads(line)
            if art["text"] not in seen:
                seen.add(art["text"])
                art["id"] = f"{Path(name).parent.name}/{art['id']}"
                art.pop("dct", None)
                rows.append(art)
    rows = [r for r in rows if len(r["text"]) >= 500]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            art = dict(rows[i % len(rows)])
            if i >= len(rows):
                copy = i // len(rows) + 1
                art["id"] = f"{art['id']}#{copy}"
                art["text"] = art["text"].rstrip() + f"\n\nCopy {copy}.\n"
            f.write(json.dumps(art, ensure_ascii=False) + "\n")
    return n


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and the CPU seconds (user + sys) of the process and its children."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant; medians are reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        n = build_input(args.articles, src)
        chars = sum(len(json.loads(line)["text"]) for line in src.open(encoding="utf-8"))
        runs: dict[str, list[tuple[float, float]]] = {"extract": [], "one": [], "two": []}
        for r in range(args.repeat):  # interleaved, so a noisy spell hits every variant alike
            # one process, like ingest --workers 1 (extract's default is one worker per core)
            cmd = [str(ONRECORD), "extract", "--jsonl", str(src), "--workers", "1", "--no-progress"]
            runs["extract"].append(timed(cmd))
            for name, workers in (("one", "1"), ("two", "2")):
                db = Path(tmp) / f"{name}{r}.db"
                runs[name].append(
                    timed([str(ONRECORD), "ingest", str(db), str(src), "--workers", workers, "--no-progress"])
                )
        size = os.path.getsize(Path(tmp) / "two0.db")
    extract, one, two = (statistics.median(w for w, _ in runs[k]) for k in ("extract", "one", "two"))
    cores = {k: statistics.median(c / w for w, c in runs[k]) for k in runs}
    lines = [
        f"{n} articles, {chars:,} characters, {os.cpu_count()} cores; median of {args.repeat} interleaved runs "
        "(wall time including the model load; cores = CPU time / wall time)",
        f"extract --jsonl      {extract:6.1f} s  {n / extract:5.2f} articles/s  cores {cores['extract']:.2f}",
        f"ingest --workers 1   {one:6.1f} s  {n / one:5.2f} articles/s  cores {cores['one']:.2f}"
        f"  = {extract / one:.2f} of extract (target >= 0.80)",
        f"ingest --workers 2   {two:6.1f} s  {n / two:5.2f} articles/s  cores {cores['two']:.2f}"
        f"  = {one / two:.2f}x one worker (target >= 1.6)",
        "all runs (wall s): " + "; ".join(f"{k} " + ", ".join(f"{w:.1f}" for w, _ in v) for k, v in runs.items()),
        f"store file {size / 1e6:.1f} MB for {chars / 1e6:.1f} M characters of text",
    ]
    print("\n".join(lines))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "ingest_speed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
