"""Speed and accuracy of onrecord against the bare spaCy pipeline and peer tools, in one run.

    .venv/bin/python benchmarks/run.py [--articles 300] [--skip-peers]

- Input: the 40 English Wikinews dev articles (../shared/data/quotes/wikinews_en/dev.jsonl), cycled to
  --articles (copies get new ids, "ID#2", ...; the first copy keeps the dev ids).
- Each tool runs once as a subprocess over that input; wall time includes loading the model. CPU time
  (user + sys) and peak RSS are the child's own (os.wait4).
  bare spaCy: nlp.pipe over the texts (benchmarks/bare_spacy.py), the ceiling onrecord is measured against;
  onrecord:   `onrecord extract --jsonl` from this venv, as users run it (one worker process per core;
              bare spaCy uses the cores through its BLAS threads), and `--workers 1` (one process: the
              cost of the stages themselves);
  peers:      sayswho and textacy from benchmarks/.envs (made by peers/setup.sh), skipped if absent.
- Accuracy: ../shared/tools/score.py quotes on the 40 dev ids of each tool's output.
Everything lands in benchmarks/results/ (gitignored); a markdown summary goes to stdout.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
DEV = SHARED / "data/quotes/wikinews_en/dev.jsonl"
SCORE = SHARED / "tools/score.py"
RESULTS = HERE / "results"
TARGET = 0.80  # onrecord's articles/s over bare spaCy's (issue 12: "all stages together still >= 0.80")


def build_input(n, path):
    out = subprocess.run([sys.executable, SCORE, "inputs", DEV], check=True, capture_output=True, text=True).stdout
    dev = [json.loads(line) for line in out.splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            art = dict(dev[i % len(dev)])
            if i >= len(dev):
                art["id"] = "%s#%d" % (art["id"], i // len(dev) + 1)
            f.write(json.dumps(art, ensure_ascii=False) + "\n")


def timed(cmd, out_path, err_path):
    """Run cmd with stdout and stderr to files; wall and CPU seconds, exit code and the child's peak RSS in MB."""
    with open(out_path, "w") as out, open(err_path, "w") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "rc": proc.returncode,
        "rss_mb": round(usage.ru_maxrss / 1024),
    }


def score(pred_path, name):
    out = subprocess.run([sys.executable, SCORE, "quotes", DEV, pred_path], capture_output=True, text=True).stdout
    (RESULTS / (name + ".score.txt")).write_text(out)
    lines = out.strip().splitlines()
    f1s = re.findall(r"F1 ([\d.]+)", lines[-1]) if lines else []
    failed = re.search(r"missing or failed (\d+)", out)
    return {
        "last_line": lines[-1] if lines else "(no output)",
        "quote_f1": f1s[0] if f1s else "?",
        "e2e_f1": f1s[1] if len(f1s) > 1 else "?",
        "dev_failed": failed.group(1) if failed else "?",
    }


def tools(skip_peers):
    """(name, command or None, why it is skipped)."""
    yield "bare spaCy", [sys.executable, HERE / "bare_spacy.py"], None
    cli = Path(sys.executable).parent / "onrecord"
    missing = "no %s (pip install -e . first)" % cli
    yield "onrecord", [cli, "extract", "--jsonl"] if cli.exists() else None, missing
    yield "onrecord, 1 process", [cli, "extract", "--jsonl", "--workers", "1"] if cli.exists() else None, missing
    for peer in ("sayswho", "textacy"):
        py = HERE / ".envs" / peer / "bin/python"
        if skip_peers:
            yield peer, None, "--skip-peers"
        else:
            yield (
                peer,
                [py, HERE / "peers" / ("run_%s.py" % peer)] if py.exists() else None,
                "no %s (run benchmarks/peers/setup.sh)" % py,
            )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300, help="articles to time (at least the 40 dev ones)")
    ap.add_argument("--skip-peers", action="store_true", help="time only bare spaCy and onrecord")
    a = ap.parse_args()
    if not DEV.exists():
        print("skipped: %s is absent (the benchmark needs ../shared beside the repo)" % DEV)
        return
    RESULTS.mkdir(exist_ok=True)
    load = os.getloadavg()[0]
    if load > 0.5:
        print("warning: load average %.1f before the run; other processes will slow every tool" % load, file=sys.stderr)
    n = max(a.articles, 40)
    inp = RESULTS / "input.jsonl"
    build_input(n, inp)

    rows = []
    for name, cmd, why in tools(a.skip_peers):
        if cmd is None:
            print("skipping %s: %s" % (name, why), file=sys.stderr)
            continue
        slug = name.replace(" ", "_")
        print("running %s on %d articles ..." % (name, n), file=sys.stderr)
        pred = RESULTS / (slug + ".jsonl")
        row = {"tool": name, "articles": n, **timed(cmd + [inp], pred, RESULTS / (slug + ".stderr"))}
        row["articles_per_s"] = round(n / row["wall_s"], 2)
        if row["rc"] != 0:
            tail = (RESULTS / (slug + ".stderr")).read_text().strip().splitlines()[-3:]
            row["failure"] = " | ".join(tail)
        elif name == "bare spaCy":
            row.update(json.loads(pred.read_text()))
        else:
            with open(pred, encoding="utf-8") as f:
                row["errors"] = sum(1 for line in f if line.strip() and json.loads(line).get("error"))
            row.update(score(pred, slug))
        rows.append(row)

    bare = next((r for r in rows if r["tool"] == "bare spaCy" and r["rc"] == 0), None)
    for r in rows:
        if bare and r["rc"] == 0:
            r["vs_bare"] = round(r["articles_per_s"] / bare["articles_per_s"], 2)
            r["vs_bare_cpu"] = round(bare["cpu_s"] / r["cpu_s"], 2)
    (RESULTS / "summary.json").write_text(json.dumps(rows, indent=2))
    print(summary(rows, bare, load))


def summary(rows, bare, load):
    out = [
        "| tool | articles/s | vs bare spaCy | wall s (incl. load) | CPU s | vs bare, by CPU | peak RSS MB | errors "
        "| quote F1 | e2e F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["rc"] != 0:
            out.append("| %s | failed (exit %d): %s | | | | | | | | |" % (r["tool"], r["rc"], r.get("failure", "")))
            continue
        out.append(
            "| %s | %.2f | %s | %.1f | %.1f | %s | %d | %s | %s | %s |"
            % (
                r["tool"],
                r["articles_per_s"],
                "%.2f" % r["vs_bare"] if "vs_bare" in r else "?",
                r["wall_s"],
                r["cpu_s"],
                "%.2f" % r["vs_bare_cpu"] if "vs_bare_cpu" in r else "?",
                r["rss_mb"],
                "%d/%d" % (r["errors"], r["articles"]) if "errors" in r else "",
                r.get("quote_f1", ""),
                r.get("e2e_f1", ""),
            )
        )
    out.append("")
    if bare:
        out.append(
            "%d articles (the 40 dev articles cycled), %d cores, load average %.1f at the start. "
            "Bare spaCy: model load %.1f s, nlp.pipe %.1f s = %.2f articles/s."
            % (
                bare["articles"],
                os.cpu_count(),
                load,
                bare["load_s"],
                bare["pipe_s"],
                bare["articles"] / bare["pipe_s"],
            )
        )
    for name in ("onrecord", "onrecord, 1 process"):
        onr = next((r for r in rows if r["tool"] == name and "vs_bare" in r), None)
        if onr:
            out.append(
                "%s / bare spaCy = %.2f by articles/s (target >= %.2f): %s; %.2f by CPU time "
                "(steadier when other processes share the cores)."
                % (name, onr["vs_bare"], TARGET, "met" if onr["vs_bare"] >= TARGET else "NOT met", onr["vs_bare_cpu"])
            )
    out.append("")
    out.append("score.py quotes on the 40 dev articles (last line):")
    for r in rows:
        if "last_line" in r:
            out.append("- %s (failed on %s of 40): `%s`" % (r["tool"], r["dev_failed"], r["last_line"]))
    return "\n".join(out)


if __name__ == "__main__":
    main()
