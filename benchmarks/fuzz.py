"""The long fuzz run: 100,000 inputs over the extractor and every reader (issue 9).

    .venv/bin/python benchmarks/fuzz.py                 # 100,000 inputs (about 15 minutes on 2 cores)
    .venv/bin/python benchmarks/fuzz.py --count 5000    # a quick one

The same generators and properties as tests/test_fuzz.py (tests/fuzzing.py), driven by seeded
random streams so that every failure can be replayed: it is saved with its seed under
benchmarks/results/fuzz-failures/. Reports hangs (over the per-input budget), crashes
(exceptions other than the documented InputError), property violations, and the slowest
input in seconds per kilobyte; writes benchmarks/results/fuzz.json.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from tests import fuzzing  # noqa: E402

import onrecord  # noqa: E402
from onrecord.budget import Budget, BudgetExceeded, watch  # noqa: E402
from onrecord.ingest.feeds import read_feed  # noqa: E402
from onrecord.ingest.html import html_document  # noqa: E402
from onrecord.ingest.jsonl import iter_jsonl  # noqa: E402
from onrecord.ingest.text import text_document  # noqa: E402
from onrecord.ingest.warc import iter_warc  # noqa: E402

BUDGET = Budget(seconds=30, memory_mb=None)
DATES = [None, "2022-01-14", "9999-12-31", "0001-01-01", "1999-02-28", "0999-06-15"]


def extractor(rng: random.Random) -> tuple[bytes, list[str]]:
    text = fuzzing.news_text(rng) if rng.random() < 0.6 else fuzzing.random_text(rng, 400)
    try:
        record = onrecord.extract(text, published=rng.choice(DATES))
    except onrecord.InputError:
        return text.encode("utf-8", "replace"), []
    return text.encode("utf-8", "replace"), fuzzing.record_violations(record.to_dict())


def _docs(docs: object) -> list[str]:
    problems = []
    for doc in docs:  # type: ignore[attr-defined]
        if doc.text is not None:
            doc.text.encode("utf-8")
            if not doc.text.strip():
                problems.append("a Article with blank text")
        fuzzing.strict_json_line(doc.to_dict())
    return problems


def text_reader(rng: random.Random) -> tuple[bytes, list[str]]:
    data = fuzzing.mutate(rng, fuzzing.news_text(rng).encode()) if rng.random() < 0.7 else rng.randbytes(200)
    return data, _docs([text_document(data, id="t", source="t", captured_at=None)])


def html_reader(rng: random.Random) -> tuple[bytes, list[str]]:
    data = fuzzing.mutate(rng, fuzzing.html_page(rng))
    return data, _docs([html_document(data, id="h", source="h", captured_at=None)])


def jsonl_reader(rng: random.Random) -> tuple[bytes, list[str]]:
    data = fuzzing.mutate(rng, fuzzing.jsonl_bytes(rng))
    return data, _docs(iter_jsonl(io.BytesIO(data), name="f.jsonl"))


def feed_reader(rng: random.Random) -> tuple[bytes, list[str]]:
    data = fuzzing.mutate(rng, fuzzing.feed(rng))
    return data, _docs(read_feed(data, source="f.xml", captured_at=None, fetch_links=False))


def warc_reader(rng: random.Random) -> tuple[bytes, list[str]]:
    data = fuzzing.mutate(rng, fuzzing.warc_bytes(rng))
    return data, _docs(iter_warc(io.BytesIO(data), name="f.warc.gz" if data[:2] == b"\x1f\x8b" else "f.warc"))


# the readers first: they are fast, so a run cut short still covers every target
TARGETS = {
    "text": (text_reader, 0.1),
    "html": (html_reader, 0.1),
    "jsonl": (jsonl_reader, 0.1),
    "feed": (feed_reader, 0.1),
    "warc": (warc_reader, 0.1),
    "extractor": (extractor, 0.5),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--replay",
        nargs=2,
        metavar=("TARGET", "SEED"),
        default=None,
        help="time one input again (warm, three times) and print its failure if any",
    )
    parser.add_argument(
        "--only",
        choices=["text", "html", "jsonl", "feed", "warc", "extractor"],
        default=None,
        help="run one target only, with its share of --count",
    )
    args = parser.parse_args()
    failures_dir = HERE / "results" / "fuzz-failures"
    onrecord.extract("Warm up in Geneva, he said.", published="2022-01-14")
    if args.replay:
        print(json.dumps(replay(args.replay[0], int(args.replay[1]))))
        return
    stats: dict[str, dict[str, float]] = {}
    slowest: dict[str, object] = {"seconds_per_kb": 0.0}
    slow: list[tuple[float, str, int]] = []
    started = time.perf_counter()
    for k, (name, (target, share)) in enumerate(TARGETS.items()):
        if args.only and name != args.only:
            continue
        target(random.Random(-1))  # warm up: first calls load models (language detection, trafilatura)
        n = int(args.count * share)
        s = stats.setdefault(name, {"inputs": 0, "hangs": 0, "crashes": 0, "violations": 0})
        for i in range(n):
            seed = args.seed * 10_000_000 + k * 1_000_000 + i
            rng = random.Random(seed)
            t = time.perf_counter()
            data, problems, failure = b"", [], None
            try:
                with watch(BUDGET):
                    data, problems = target(rng)
            except BudgetExceeded as err:
                s["hangs"] += 1
                failure = f"hang: {err}"
            except Exception:
                s["crashes"] += 1
                failure = traceback.format_exc(limit=-6)
            took = time.perf_counter() - t
            s["inputs"] += 1
            if problems:
                s["violations"] += 1
                failure = "; ".join(problems)
            if failure:
                failures_dir.mkdir(parents=True, exist_ok=True)
                (failures_dir / f"{name}-{seed}.txt").write_text(
                    f"target {name}, seed {seed}\n{failure}\n", encoding="utf-8"
                )
            per_kb = took / max(len(data) / 1000, 0.1)  # inputs under 100 bytes count as 100 bytes
            slow.append((per_kb, name, seed))
            slow = sorted(slow, reverse=True)[:5]
            if per_kb > slowest["seconds_per_kb"]:
                slowest = {
                    "seconds_per_kb": round(per_kb, 4),
                    "seconds": round(took, 3),
                    "bytes": len(data),
                    "target": name,
                    "seed": seed,
                }
            if (i + 1) % 2000 == 0:
                print(f"{name}: {i + 1:,}/{n:,} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
                _write(stats, slowest, started, finished=False)
    # the first run of a code path pays one-off costs (a library's lazy tables, a regex compiled
    # once): the slowest five are timed again, warm, which is what an input itself costs
    slowest["warm"] = [replay(name, seed) for _per_kb, name, seed in slow]
    print(json.dumps(_write(stats, slowest, started, finished=True), indent=1))


def replay(name: str, seed: int) -> dict[str, object]:
    target = TARGETS[name][0]
    best, data, problems = float("inf"), b"", []
    for _ in range(3):
        t = time.perf_counter()
        data, problems = target(random.Random(seed))
        best = min(best, time.perf_counter() - t)
    return {
        "target": name,
        "seed": seed,
        "bytes": len(data),
        "seconds": round(best, 4),
        "seconds_per_kb": round(best / max(len(data) / 1000, 0.1), 4),
        "problems": problems,
    }


def _write(
    stats: dict[str, dict[str, float]], slowest: dict[str, object], started: float, *, finished: bool
) -> dict[str, object]:
    """The figures so far, written after every 2,000 inputs: a run cut short still reports."""
    total = {k: sum(int(s[k]) for s in stats.values()) for k in ("inputs", "hangs", "crashes", "violations")}
    result = {
        "total": total,
        "targets": stats,
        "slowest": slowest,
        "seconds": round(time.perf_counter() - started),
        "finished": finished,
    }
    (HERE / "results" / "fuzz.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
