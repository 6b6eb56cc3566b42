"""``onrecord check DB``: is the store whole, and is every record still the evidence it was?

Three layers, each reported item by item:
- the file: SQLite's own ``integrity_check`` and the full-text indexes' ``integrity-check``;
- the texts: each stored text against the sha256 it was stored with (a text changed inside
  the store would otherwise be served with a hash that no longer matches it);
- the records: each one decompresses, parses, and has the shape of a record
  (``validate_record``): the fields ../shared/SCHEMA.md names, offsets inside the text, and
  evidence strings equal to the text they point at.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import rows

MAX_FINDINGS = 1000  # a store damaged everywhere does not need a million lines to say so
LISTS = ("entities", "quotes", "timexes", "claims", "events", "problems")


@dataclass
class Report:
    articles: int = 0
    records: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)  # (where, what is wrong)
    more: int = 0  # findings past MAX_FINDINGS

    def add(self, where: str, what: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append((where, what))
        else:
            self.more += 1

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        found = len(self.findings) + self.more
        return f"checked {self.articles:,} articles and {self.records:,} records: " + (
            "no problems" if not found else f"{found:,} problem{'s' if found != 1 else ''}"
        )


def check_sqlite(path: str, *, progress: bool = False) -> Report:
    """Check the SQLite store at ``path`` (opened read-only; nothing is changed)."""
    from tqdm import tqdm

    report = Report()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    try:
        try:
            for (line,) in conn.execute("PRAGMA integrity_check(100)"):
                if line != "ok":
                    report.add("file", line)
        except sqlite3.DatabaseError as err:
            report.add("file", f"SQLite cannot check the file: {err}")
            return report
        _check_fts(path, report)
        total = _count(conn, report)
        bar = tqdm(total=total, unit=" articles", disable=not progress, smoothing=0.05)
        try:
            for where, problem in _articles(conn, report, bar):
                report.add(where, problem)
        except sqlite3.DatabaseError as err:
            report.add("file", f"reading stopped part way: {err}")
        finally:
            bar.close()
    finally:
        conn.close()
    return report


def _check_fts(path: str, report: Report) -> None:
    """FTS5's integrity-check compares each index with its content table. It is written as an
    INSERT, so it needs a writable connection, though it changes nothing; a store that cannot
    be opened for writing is checked without it."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        for table in ("articles_fts", "quotes_fts"):
            try:
                conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.OperationalError as err:
                if "readonly" not in str(err).lower() and "read-only" not in str(err).lower():
                    report.add(table, f"the full-text index does not match its content: {err}")
            except sqlite3.DatabaseError as err:
                report.add(table, f"the full-text index is damaged: {err}")
    finally:
        conn.close()


def _count(conn: sqlite3.Connection, report: Report) -> int | None:
    try:
        return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.DatabaseError as err:
        report.add("articles", f"cannot be read: {err}")
        return None


def _articles(conn: sqlite3.Connection, report: Report, bar: Any) -> Iterator[tuple[str, str]]:
    sql = (
        "SELECT a.pk, a.id, a.text, a.text_sha256, a.status, o.text, v.name, r.record "
        "FROM articles a LEFT JOIN articles o ON o.pk = a.duplicate_of "
        "LEFT JOIN records r ON r.article = a.pk LEFT JOIN versions v ON v.vid = r.vid ORDER BY a.pk"
    )
    last = None
    for pk, aid, text, sha, status, first_text, version, blob in conn.execute(sql):
        where = f"article {aid!r}"
        if pk != last:
            last = pk
            report.articles += 1
            bar.update(1)
            if text is not None and sha is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
                yield where, "its text does not match the sha256 it was stored with: it was changed inside the store"
            if status == "ok" and text is None:
                yield where, "stored as extracted but its text is missing"
        if blob is None:
            continue
        report.records += 1
        where = f"{where}, record {version}"
        try:
            record = rows.expand(
                {"id": aid, "text": text if text is not None else first_text, **json.loads(zlib.decompress(blob))}
            )
        except (zlib.error, ValueError, TypeError) as err:
            yield where, f"the record cannot be read: {type(err).__name__}: {err}"
            continue
        for problem in validate_record(record):
            yield where, problem


def validate_record(record: dict[str, Any]) -> list[str]:
    """What is wrong with a record's shape and evidence (empty when nothing is)."""
    out: list[str] = []
    text = record.get("text")
    if not isinstance(text, str):
        return ["it has no text"]
    if record.get("sha256") and hashlib.sha256(text.encode("utf-8")).hexdigest() != record["sha256"]:
        out.append("its text does not match the record's sha256")
    if record.get("published") is not None and not isinstance(record["published"], str):
        out.append("published is not a date string")
    for key in LISTS:
        if not isinstance(record.get(key), list):
            out.append(f"{key} is not a list")
    if out:
        return out

    def span(item: dict[str, Any], what: str) -> None:
        s, e = item.get("start"), item.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
            out.append(f"{what} has offsets {s}..{e} outside the text")
        elif "text" in item and isinstance(item["text"], str) and item["text"] != text[s:e]:
            out.append(f"{what} says {item['text'][:40]!r} but the text there is {text[s:e][:40]!r}")

    for n, q in enumerate(record["quotes"], 1):
        if q.get("kind") not in ("direct", "indirect", "mixed"):
            out.append(f"quote {n} has kind {q.get('kind')!r}")
        spans = q.get("spans") or []
        if not spans:
            out.append(f"quote {n} has no span")
        for sp in spans:
            span(sp, f"quote {n}")
        if all(isinstance(sp.get("start"), int) and isinstance(sp.get("end"), int) for sp in spans) and q.get(
            "text"
        ) != " ... ".join(text[sp["start"] : sp["end"]] for sp in spans):
            out.append(f"quote {n}'s text is not its spans' text")
        speaker = q.get("speaker")
        if not isinstance(speaker, dict):
            out.append(f"quote {n} has no speaker object")
        elif speaker.get("mention"):
            span(speaker["mention"], f"quote {n}'s speaker mention")
        if q.get("cue"):
            span(q["cue"], f"quote {n}'s cue")
    for n, entity in enumerate(record["entities"], 1):
        for m in entity.get("mentions") or []:
            span(m, f"entity {n} ({entity.get('name')!r}) mention")
    for key, name in (("timexes", "timex"), ("claims", "claim"), ("events", "event")):
        for n, item in enumerate(record[key], 1):
            span(item, f"{name} {n}")
    return out
