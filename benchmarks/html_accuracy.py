"""HTML reading accuracy: onrecord's ingest against trafilatura and htmldate used directly.

Body text: bag-of-words token F1 against the human gold text (lower-cased ``\\w+`` tokens,
multiset overlap, per page, then the mean over pages; a page with no output scores 0), the
measure WCXB suggests and the usual one for article-extraction benchmarks.
Publication date: exact day against the gold date (pages with a gold date only).

Data (../shared/data/html, see each SOURCE.md): wcxb_articles (body + date), scrapinghub_aeb
(body), htmldate_pubdates (date). Every system gets the same page bytes and the page's URL, as
it would from a crawl or a WARC.

    .venv/bin/python benchmarks/html_accuracy.py [--limit N]   # writes benchmarks/results/html_accuracy.txt
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "html"
RESULTS = ROOT / "benchmarks" / "results" / "html_accuracy.txt"
TOKEN = re.compile(r"\w+")

BODY_SETS = {
    "wcxb_articles": ("ground_truth.jsonl", "main_content"),
    "scrapinghub_aeb": ("ground_truth.jsonl", "articleBody"),
}
DATE_SETS = {"wcxb_articles": ("ground_truth.jsonl", "publish_date"), "htmldate_pubdates": ("labels.jsonl", "date")}


def token_f1(predicted: str | None, gold: str) -> float:
    """Bag-of-words F1 of lower-cased word tokens (multiset overlap)."""
    p, g = Counter(TOKEN.findall((predicted or "").lower())), Counter(TOKEN.findall(gold.lower()))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def load(dataset: str, labels: str, data: Path = DATA) -> list[dict[str, Any]]:
    folder = data / dataset
    rows = [json.loads(line) for line in (folder / labels).read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["html"] = gzip.decompress((folder / row["html_file"]).read_bytes())
    return rows


# --- the systems: (page bytes, url) -> (body text or None, date or None) ---


def onrecord_html(html: bytes, url: str | None) -> tuple[str | None, str | None]:
    from onrecord.ingest.html import html_document

    doc = html_document(html, id=url or "page", source=url or "page", captured_at=None, url=url)
    return doc.text, doc.published


def trafilatura_direct(html: bytes, url: str | None) -> tuple[str | None, str | None]:
    """trafilatura.extract with its defaults for the text; its metadata's date."""
    import trafilatura

    text = trafilatura.extract(html, url=url)
    meta = trafilatura.extract_metadata(html, default_url=url)
    return text, meta.date if meta else None


def trafilatura_no_comments(html: bytes, url: str | None) -> tuple[str | None, str | None]:
    """trafilatura.extract without reader comments (what onrecord keeps); date as above."""
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False)
    meta = trafilatura.extract_metadata(html, default_url=url)
    return text, meta.date if meta else None


def htmldate_direct(html: bytes, url: str | None) -> tuple[str | None, str | None]:
    """htmldate.find_date with its defaults (no body text)."""
    from htmldate import find_date

    return None, find_date(html, url=url)


SYSTEMS: dict[str, Callable[[bytes, str | None], tuple[str | None, str | None]]] = {
    "onrecord ingest (html.py)": onrecord_html,
    "trafilatura direct": trafilatura_direct,
    "trafilatura direct, include_comments=False": trafilatura_no_comments,
    "htmldate direct": htmldate_direct,
}


def evaluate(
    system: Callable[[bytes, str | None], tuple[str | None, str | None]], *, limit: int | None = None, data: Path = DATA
) -> dict[str, Any]:
    """{"<set> F1": mean, "<set> date": accuracy, "seconds": total, "pages": n} for one system."""
    scores: dict[str, Any] = {}
    warm = load("wcxb_articles", "ground_truth.jsonl", data)[0]
    system(warm["html"], warm["url"])  # one-time loads (dateparser's locales, py3langid) out of the timing
    started, pages = time.perf_counter(), 0
    for name in sorted(set(BODY_SETS) | set(DATE_SETS)):
        rows = load(name, (BODY_SETS.get(name) or DATE_SETS[name])[0], data)[:limit]
        results = [system(row["html"], row.get("url")) for row in rows]
        pages += len(rows)
        if name in BODY_SETS and system is not htmldate_direct:
            key = BODY_SETS[name][1]
            f1s = [token_f1(text, row[key]) for (text, _), row in zip(results, rows)]
            scores[f"{name} F1"] = sum(f1s) / len(f1s)
        if name in DATE_SETS:
            key = DATE_SETS[name][1]
            judged = [(date, row[key]) for (_, date), row in zip(results, rows) if row.get(key)]
            scores[f"{name} date"] = sum(d == g for d, g in judged) / len(judged)
            scores[f"{name} dated pages"] = len(judged)
    scores["seconds"], scores["pages"] = time.perf_counter() - started, pages
    return scores


def table(results: dict[str, dict[str, Any]]) -> str:
    columns = ["wcxb_articles F1", "scrapinghub_aeb F1", "wcxb_articles date", "htmldate_pubdates date"]
    first = next(iter(results.values()))
    head = [
        "system",
        *(
            f"{c} (n={first.get(c.replace(' F1', ' dated pages').replace(' date', ' dated pages'), '')})"
            if c.endswith("date")
            else c
            for c in columns
        ),
        "ms/page",
    ]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for name, s in results.items():
        cells = [f"{s[c]:.4f}" if c in s else "-" for c in columns]
        lines.append(" | ".join([name, *cells, f"{1000 * s['seconds'] / s['pages']:.0f}"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the shared data sits beside the project checkout")
    results = {name: evaluate(system, limit=args.limit) for name, system in SYSTEMS.items()}
    report = "\n".join(
        [
            "HTML reading accuracy (benchmarks/html_accuracy.py)",
            "body: mean per-page bag-of-words token F1; date: exact-day accuracy on pages with a gold date",
            "trafilatura direct = trafilatura.extract(page, url=url) defaults + extract_metadata date;",
            "htmldate direct = htmldate.find_date(page, url=url) defaults",
            "ms/page: trafilatura rows parse each page twice (extract + extract_metadata); onrecord's adds language detection, after one warm-up page each",
            "",
            table(results),
            "",
        ]
    )
    print(report)
    if args.limit is None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
