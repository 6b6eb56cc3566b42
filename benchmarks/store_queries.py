"""Store at scale: a generated corpus of N articles (default 100,000) into a SQLite store, then
search and speaker-query latency (p50/p95 over random queries) and the file size against the
raw text.

The corpus is synthetic and needs no model: ~2.5 KB articles of Zipf-distributed words, 2,000
speakers (Zipf: a few are quoted everywhere, most rarely), 3-6 quotes per article with cue,
speaker mention and entity, dates, claims and events, 8% syndicated copies (another dateline,
the last paragraph cut) and 2% exact duplicates. Records are built as dicts with the fields
and offsets `onrecord extract` gives, so the store indexes them exactly as real ones.

    .venv/bin/python benchmarks/store_queries.py [--n 100000] [--db PATH] [--queries 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from onrecord.model import Article, Record
from onrecord.store import Extracted, open_store

FIRST = (
    "Anna Ben Carlos Dana Elena Farid Grace Hassan Ines Jon Kemal Lena Marta Nadia Omar Paula Rui Sara "
    "Tomas Ursula Victor Wen Xavier Yara Zoltan Amina Boris Chen Diego Erik Fatima Goran Hana Ivan Julia"
).split()
LAST = (
    "Bachelet Colville Guterres Okafor Lindqvist Moreau Tanaka Haddad Novak Silva Petrov Kowalski Mendes Rossi "
    "Schmidt Nguyen Abebe Cohen Duarte Ferreira Ibrahim Jansen Kim Larsen Mwangi Ortega Park Quinn Rahman Sato "
    "Torres Uddin Vargas Weber Yilmaz Zhou Adeyemi Brennan Castillo Dimitrov Eriksen Fofana Gupta Horvat"
).split()
ORGS = [
    "United Nations",
    "World Health Organization",
    "European Union",
    "Red Cross",
    "World Bank",
    "NATO",
    "Amnesty International",
    "Human Rights Watch",
    "African Union",
    "IMF",
]
PLACES = [
    "China",
    "Xinjiang",
    "Geneva",
    "Brussels",
    "Nairobi",
    "Kyiv",
    "Gaza",
    "Caracas",
    "Manila",
    "Lagos",
    "Dhaka",
    "Lima",
    "Kabul",
    "Beirut",
    "Jakarta",
]
CODES = {
    "China": "CHN",
    "Xinjiang": "CHN",
    "Kyiv": "UKR",
    "Gaza": "PSE",
    "Caracas": "VEN",
    "Manila": "PHL",
    "Lagos": "NGA",
    "Dhaka": "BGD",
    "Lima": "PER",
    "Kabul": "AFG",
    "Beirut": "LBN",
    "Jakarta": "IDN",
}
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
EVENTS = ["CONSULT", "ACCUSE", "REQUEST", "SUPPORT", "PROTEST", "AID", "THREATEN", "COOPERATE"]
SYLLABLES = "ba ri ko ne sta lu mi ter gon al ve pro dis cor an tel os fu ka zen mar ol is em".split()


def vocabulary(rng: random.Random, n: int = 30000) -> tuple[list[str], list[float]]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    ordered = sorted(words, key=lambda w: (len(w), w))
    rng.shuffle(ordered)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(n)]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    return ordered, cum


class Corpus:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.words, self.cum = vocabulary(self.rng)
        names = {f"{f} {l}" for f in FIRST for l in LAST}
        self.speakers = sorted(names)
        self.rng.shuffle(self.speakers)
        self.speaker_cum = []
        total = 0.0
        for rank in range(len(self.speakers)):
            total += 1 / (rank + 1) ** 0.8
            self.speaker_cum.append(total)

    def sentence(self, k: int) -> str:
        ws = self.rng.choices(self.words, cum_weights=self.cum, k=k)
        return " ".join(ws).capitalize()

    def article(self, i: int) -> tuple[str, dict]:
        """(text, record) of article i."""
        rng = self.rng
        year = rng.choice([2021, 2022, 2023])
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        published = f"{year}-{month:02d}-{day:02d}"
        place = rng.choice(PLACES)
        org = rng.choice(ORGS)
        parts: list[str] = []
        pos = 0
        ents: dict[str, dict] = {}
        quotes, timexes, claims, events = [], [], [], []

        def put(s: str) -> int:
            nonlocal pos
            start = pos
            parts.append(s)
            pos += len(s)
            return start

        def mention(name: str, etype: str, start: int, text: str) -> str:
            e = ents.setdefault(
                name, {"id": f"e{len(ents) + 1}", "name": name, "type": etype, "mentions": [], "geo": None}
            )
            e["mentions"].append({"start": start, "end": start + len(text), "text": text})
            return e["id"]

        s = put(f"{place} officials and the {org} met on Tuesday. ")
        mention(place, "GPE", s, place)
        mention(org, "ORG", s + len(place) + 19, org)
        timexes.append(
            {
                "start": s + len(place) + 19 + len(org) + 9,
                "end": s + len(place) + 19 + len(org) + 16,
                "text": "Tuesday",
                "type": "DATE",
                "value": published,
            }
        )
        n_quotes = rng.randint(3, 6)
        for p in range(rng.randint(12, 17)):
            if p % 3 == 1 and len(quotes) < n_quotes:
                speaker = rng.choices(self.speakers, cum_weights=self.speaker_cum)[0]
                body = self.sentence(rng.randint(14, 26))
                if rng.random() < 0.3:
                    m = rng.randrange(12)
                    d = rng.randint(1, 28)
                    body_date = f"on {MONTHS[m]} {d}"
                    qs = put(f'"{body} {body_date}," said ')
                    tstart = qs + 1 + len(body) + 1 + 3
                    timexes.append(
                        {
                            "start": tstart,
                            "end": tstart + len(body_date) - 3,
                            "text": body_date[3:],
                            "type": "DATE",
                            "value": f"{year - (m + 1 > month)}-{m + 1:02d}-{d:02d}",
                        }
                    )
                    body = f"{body} {body_date}"
                else:
                    qs = put(f'"{body}," said ')
                surname = speaker.split()[-1] if speaker in ents else speaker
                ms = put(surname)
                eid = mention(speaker, "PERSON", ms, surname)
                put(". ")
                quotes.append(
                    {
                        "kind": "direct",
                        "spans": [{"start": qs + 1, "end": qs + 1 + len(body) + 1}],
                        "text": body + ",",
                        "speaker": {
                            "name": speaker,
                            "entity": eid,
                            "mention": {"start": ms, "end": ms + len(surname), "text": surname},
                        },
                        "cue": {"start": ms - 5, "end": ms - 1, "text": "said"},
                    }
                )
            elif p % 4 == 2:
                value = rng.randint(2, 900) * 1000
                cs = put(f"At least {value:,} people ")
                body = self.sentence(rng.randint(6, 12)).lower()
                put(body + ". ")
                claims.append(
                    {
                        "start": cs,
                        "end": cs + 17 + len(f"{value:,}") + len(body),
                        "text": None,
                        "quantity": {"text": f"At least {value:,}", "value": value, "bound": "lower", "unit": None},
                        "counted": "people",
                        "source": {"name": org},
                    }
                )
                claims[-1]["text"] = "".join(parts)[cs : claims[-1]["end"]]
            else:
                body = self.sentence(rng.randint(12, 24))
                es = put(body + ". ")
                if rng.random() < 0.35:
                    etype = rng.choice(EVENTS)
                    events.append(
                        {
                            "type": etype,
                            "start": es,
                            "end": es + 5,
                            "text": body[:5],
                            "source": {"name": org, "code": "IGO"},
                            "target": {"name": place, "code": CODES.get(place)},
                            "when": None,
                        }
                    )
            if p % 4 == 3:
                put("\n")
        text = "".join(parts)
        record = {
            "id": str(i),
            "text": text,
            "published": published,
            "sha256": None,
            "versions": {"onrecord": "bench"},
            "entities": list(ents.values()),
            "quotes": quotes,
            "timexes": timexes,
            "claims": claims,
            "events": events,
            "problems": [],
        }
        return text, record


def syndicate(text: str, record: dict, rng: random.Random) -> tuple[str, dict]:
    """A wire copy: another dateline in front, the last paragraph cut; offsets shifted."""
    head = f"{rng.choice(['GENEVA', 'NAIROBI', 'NEW YORK', 'LONDON'])} (Wire) -- "
    cut = text.rfind("\n", 0, len(text) - 1)
    body = text[: cut + 1] if cut > len(text) * 0.6 else text
    shift = len(head)

    def moved(items: list[dict]) -> list[dict]:
        out = []
        for it in items:
            if it["end"] <= len(body):
                out.append({**it, "start": it["start"] + shift, "end": it["end"] + shift})
        return out

    quotes = []
    for q in record["quotes"]:
        if q["spans"][0]["end"] <= len(body) and q["speaker"]["mention"]["end"] <= len(body):
            sp = q["speaker"]
            quotes.append(
                {
                    **q,
                    "spans": [{"start": s["start"] + shift, "end": s["end"] + shift} for s in q["spans"]],
                    "speaker": {
                        **sp,
                        "mention": {
                            **sp["mention"],
                            "start": sp["mention"]["start"] + shift,
                            "end": sp["mention"]["end"] + shift,
                        },
                    },
                    "cue": {**q["cue"], "start": q["cue"]["start"] + shift, "end": q["cue"]["end"] + shift},
                }
            )
    ents = [{**e, "mentions": moved(e["mentions"])} for e in record["entities"]]
    new = {
        **record,
        "text": head + body,
        "entities": [e for e in ents if e["mentions"]],
        "quotes": quotes,
        "timexes": moved(record["timexes"]),
        "claims": moved(record["claims"]),
        "events": moved(record["events"]),
    }
    return head + body, new


def typed(record: dict) -> Record:
    """The generated record as the store takes it: the fields the generator leaves out, unknown."""
    for c in record.get("claims") or []:
        c.setdefault("predicate", None)
        if c.get("source"):
            c["source"] = {"entity": None, "text": None, "cue": None, **c["source"]}
    for e in record.get("events") or []:
        e.setdefault("action", e["type"])
        e.setdefault("mode", "asserted")
        e.setdefault("trigger", {"start": e["start"], "end": e["end"], "text": e.get("text") or ""})
        for role in ("source", "target"):
            if e.get(role):
                e[role] = {"entity": None, "text": None, **e[role]}
    record["sha256"] = record.get("sha256") or ""
    return Record.from_dict(record)


def percentiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return statistics.median(xs), xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def build(db: str, n: int, batch: int = 500) -> tuple[int, float]:
    corpus = Corpus()
    rng = random.Random(11)
    store = open_store(db, version="bench-1")
    raw, made, started = 0, [], time.perf_counter()
    items: list[Extracted] = []
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.02:
            j, text, record = rng.choice(made)
        elif made and roll < 0.10:
            j, text0, record0 = rng.choice(made)
            text, record = syndicate(text0, record0, rng)
        else:
            text, record = corpus.article(i)
            made.append((i, text, record))
            if len(made) > 2000:
                made.pop(rng.randrange(len(made)))
        raw += len(text.encode("utf-8"))
        doc = Article(
            id=f"art-{i}",
            text=text,
            source=f"bench/{i}.txt",
            kind="text",
            published=record["published"],
            url=f"https://outlet{i % 50}.example/{i}",
            title=corpus.sentence(8),
        )
        items.append(Extracted(doc, typed({**record, "id": doc.id, "text": text})))
        if len(items) == batch:
            store.add(items)
            items = []
            if (i + 1) % 10000 == 0:
                rate = (i + 1) / (time.perf_counter() - started)
                print(f"  {i + 1:,} articles, {rate:,.0f}/s", file=sys.stderr)
    if items:
        store.add(items)
    store.close()
    return raw, time.perf_counter() - started


def measure(db: str, queries: int) -> list[str]:
    corpus = Corpus()
    rng = random.Random(5)
    store = open_store(db, version="bench-1", readonly=True)
    lines = []
    # what people type: content words (any rank below the 100 commonest, the corpus' stopwords),
    # names and places; one to three terms
    # taken from a random stored article, so that every query has answers
    common = set(corpus.words[:100])
    top = store.conn.execute("SELECT MAX(pk) FROM articles").fetchone()[0]
    search_qs = []
    while len(search_qs) < queries:
        row = store.conn.execute(
            "SELECT text FROM articles WHERE pk = ? AND text IS NOT NULL", (rng.randint(1, top),)
        ).fetchone()
        if not row:
            continue
        words = [w for w in row[0].split() if w.isalpha() and w.lower() not in common]
        terms = rng.sample(words, rng.choice([1, 2, 2, 3]))
        if rng.random() < 0.3:
            terms[0] = rng.choice(PLACES + ORGS)
        search_qs.append(" ".join(terms))
    # speakers: half drawn by how often they are quoted, half any of them; full name, lower case or surname
    speaker_qs = []
    for _ in range(queries):
        name = (
            rng.choices(corpus.speakers, cum_weights=corpus.speaker_cum)[0]
            if rng.random() < 0.5
            else rng.choice(corpus.speakers)
        )
        speaker_qs.append(name if rng.random() < 0.5 else name.lower())
    for label, fn, qs in (
        ("search", lambda q: store.search(q, limit=20), search_qs),
        ("quotes --speaker -n 100", lambda q: store.quotes(speaker=q, limit=100), speaker_qs),
        ("quotes --speaker (all)", lambda q: store.quotes(speaker=q), speaker_qs),
    ):
        times, sizes = [], []
        fn(qs[0])
        for q in qs:
            t = time.perf_counter()
            sizes.append(len(fn(q)))
            times.append((time.perf_counter() - t) * 1000)
        p50, p95 = percentiles(times)
        lines.append(
            f"{label:24s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {max(times):6.1f} ms   "
            f"({len(qs)} random queries, median {statistics.median(sizes):.0f} rows)"
        )
    # the other questions, once each (no target; for the record)
    top = corpus.speakers[0]
    once = [
        ("count()", store.count),
        ("entities(limit=50)", lambda: store.entities(limit=50)),
        (f"timeline({PLACES[12]!r})", lambda: store.timeline(PLACES[12])),
        (f"timeline({top!r})", lambda: store.timeline(top)),
        ("claims(source='World Bank', limit=100)", lambda: store.claims(source="World Bank", limit=100)),
        ("events(actor='AFG', limit=100)", lambda: store.events(actor="AFG", limit=100)),
        (f"quotes(speaker={top!r}) (the most quoted)", lambda: store.quotes(speaker=top)),
    ]
    for label, call in once:
        t = time.perf_counter()
        got = call()
        lines.append(f"{label:48s} {(time.perf_counter() - t) * 1000:7.0f} ms   ({len(got):,} rows)")
    counts = store.count()
    store.close()
    lines.append(f"counts: {counts}")
    return lines


def stored_raw(db: str) -> tuple[int, int]:
    """(bytes of every ingested text, duplicates included; number of articles) of a built store."""
    conn = sqlite3.connect(db)
    raw, n = conn.execute(
        "SELECT SUM(LENGTH(CAST(COALESCE(a.text, o.text) AS BLOB))), COUNT(*) FROM articles a "
        "LEFT JOIN articles o ON o.pk = a.duplicate_of"
    ).fetchone()
    conn.close()
    return int(raw), int(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles to generate (default 100000)")
    ap.add_argument("--db", help="store file (default: a temporary file, removed afterwards)")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--keep", action="store_true", help="keep the store file")
    ap.add_argument("--out", help="also write the results to this file")
    ap.add_argument("--measure-only", action="store_true", help="measure queries on an existing --db (no insert)")
    args = ap.parse_args()
    tmp = None
    if args.db:
        db = args.db
    else:
        tmp = tempfile.mkdtemp(prefix="onrecord-bench-")
        db = os.path.join(tmp, "store.db")
    if args.measure_only:
        raw, n = stored_raw(db)
        lines = [f"store_queries: {n:,} generated articles in {db} (SQLite {sqlite3.sqlite_version})"]
    elif os.path.exists(db):
        sys.exit(f"{db} exists; pass a new file")
    else:
        raw, seconds = build(db, args.n)
        lines = [
            f"store_queries: {args.n:,} generated articles (SQLite {sqlite3.sqlite_version})",
            f"insert: {seconds:,.0f} s ({args.n / seconds:,.0f} articles/s, batches of 500, one process)",
        ]
    size = sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*"))
    lines.append(
        f"raw text {raw / 1e6:,.1f} MB, store file {size / 1e6:,.1f} MB: {size / raw:.2f}x the raw text (target < 3x)"
    )
    lines += measure(db, args.queries)
    report = "\n".join(lines)
    print(report)
    if args.out:
        Path(args.out).write_text(report + "\n", encoding="utf-8")
    if tmp and not args.keep:
        for p in Path(tmp).iterdir():
            p.unlink()
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
