"""The embedded store: one SQLite file (WAL, foreign keys, FTS5), the schema in migrations.py.

Writing: ``add`` takes a batch of Extracted items and writes it in one transaction, so a run
killed at any point (kill -9 included) leaves every batch either stored or not at all; the
re-run skips what ``done`` reports and upserts the rest keyed by article id and extractor
version, so nothing is lost and nothing doubled. Reading: see sqlite_queries.py.

Durability: WAL with synchronous=NORMAL survives a killed process without loss; after a
power cut the last committed batches may be missing, and the resumed run writes them again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote as urlquote

from .. import dedup
from ..model import Record
from . import migrations, rows
from .base import Added, Extracted, StoreError
from .sqlite_queries import Queries

PAGE_SIZE = 32768  # articles are 2-5 KB: with small pages much of each page would be left empty
NEAR_CANDIDATES = 20  # texts compared per new article at most (the best LSH candidates)


def explain(err: sqlite3.Error, path: str) -> StoreError:
    """A database error as a message that says what to do."""
    msg = str(err)
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        text = (
            f"the store {path} is read-only ({msg}); make the file and its folder writable, "
            "or copy the store somewhere writable; nothing was changed"
        )
    elif "disk is full" in low:
        text = (
            f"no room to write the store {path} ({msg}); free disk space or move the store, then re-run: "
            "the last batch was rolled back, the store is intact and the run resumes where it stopped"
        )
    elif "disk i/o" in low:
        text = (
            f"could not write the store {path} ({msg}): the disk is full, over a size limit or failing; "
            "free space or check the drive, then re-run: the last batch was rolled back, the store is intact "
            "and the run resumes where it stopped"
        )
    elif "unable to open" in low:
        text = f"cannot open the store {path} ({msg}); check that its folder exists and is writable"
    elif "locked" in low or "busy" in low:
        text = f"the store {path} is busy ({msg}); another process is writing to it: wait for it, or use another file"
    elif "malformed" in low or "corrupt" in low:
        text = (
            f"the store {path} is damaged ({msg}): run `onrecord check {path}` to see what is wrong, "
            "then restore it from a backup or ingest the sources again into a new store"
        )
    elif "not a database" in low:
        text = f"{path} is not an onrecord store or is damaged ({msg}); pass another file"
    else:
        text = f"the store {path} failed: {msg}"
    return StoreError(text)


def _flag_changed_text(record: dict[str, Any]) -> None:
    """A stored text that no longer matches the record's sha256 was changed inside the store:
    its offsets may not point at the evidence any more. The record says so (a problem) rather
    than pass for whole; ``onrecord check`` lists every such article."""
    text, sha = record.get("text"), record.get("sha256")
    if isinstance(text, str) and sha and hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
        record.setdefault("problems", []).append(
            {
                "stage": "store",
                "message": "the stored text does not match the record's sha256: it was changed "
                "inside the store, so offsets may not point at the evidence; run onrecord check",
                "start": None,
            }
        )


def _wal(conn: sqlite3.Connection, wait: float = 10.0) -> None:
    """Switch to write-ahead logging. The switch takes an exclusive lock without SQLite's busy
    handler, so two processes creating one store at once would see "database is locked":
    it is retried for a while, and skipped when the other process has made the switch."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def pack(record: dict[str, Any]) -> bytes:
    """A record as stored: JSON without its text (articles.text holds it) nor the strings its
    offsets give back (rows.compact), zlib-compressed."""
    body = {k: v for k, v in rows.compact(record).items() if k not in ("text", "id")}
    return zlib.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9)


def unpack(blob: bytes, article_id: str, text: str | None) -> dict[str, Any]:
    return rows.expand({"id": article_id, "text": text, **json.loads(zlib.decompress(blob))})


class SQLiteStore(Queries):
    """base.Store over one SQLite file."""

    def __init__(self, path: str | Path, *, version: str, readonly: bool = False) -> None:
        self.path, self.version, self.readonly = str(path), version, readonly
        self.conn = self._connect()
        try:
            if readonly:
                if migrations.check(self.conn, migrations.STEPS, self.path) == 0:
                    raise StoreError(
                        f"{self.path} is not an onrecord store; create one with: onrecord ingest {self.path} SOURCE..."
                    )
                row = self.conn.execute("SELECT vid FROM versions WHERE name = ?", (version,)).fetchone()
                self.vid = row[0] if row else None
            else:
                migrations.migrate(self.conn, self.path)
                self.conn.execute("INSERT OR IGNORE INTO versions (name) VALUES (?)", (version,))
                self.vid = self.conn.execute("SELECT vid FROM versions WHERE name = ?", (version,)).fetchone()[0]
        except sqlite3.Error as err:
            self.conn.close()
            raise explain(err, self.path) from err
        except StoreError:
            self.conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                if not Path(self.path).is_file():
                    raise StoreError(f"no store at {self.path}; create it with: onrecord ingest {self.path} SOURCE...")
                conn = sqlite3.connect(f"file:{urlquote(self.path)}?mode=ro", uri=True, isolation_level=None)
                conn.execute("PRAGMA busy_timeout = 10000")
            else:
                conn = sqlite3.connect(self.path, isolation_level=None)
                # first: two processes creating one store wait for each other instead of failing
                conn.execute("PRAGMA busy_timeout = 10000")
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # takes effect on a new file only
                _wal(conn)
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as err:
            raise explain(err, self.path) from err
        return conn

    def close(self) -> None:
        try:
            if not self.readonly:
                self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------

    def done(self, doc_id: str | None, raw_sha256: str | None) -> bool:
        """Stored from these raw bytes by this extractor version. Articles that failed are not
        done: a re-run tries them again (a fetch that timed out may work the second time)."""
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE id = ? AND raw_sha256 IS ? AND vid = ? AND status <> 'error'",
            (doc_id, raw_sha256, self.vid),
        ).fetchone()
        return row is not None

    def add(self, items: list[Extracted]) -> list[Added]:
        if self.readonly:
            raise StoreError(f"the store {self.path} was opened read-only; open it with readonly=False to add")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                out = [self._add_safely(item) for item in items]
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as err:
            raise explain(err, self.path) from err
        return out

    def _add_safely(self, item: Extracted) -> Added:
        """One item; a record the store cannot index (a malformed field) is kept as an error
        article, so the rest of the batch is stored. Database failures abort the whole batch."""
        self.conn.execute("SAVEPOINT item")
        try:
            added = self._add_one(item)
        except sqlite3.Error:
            raise
        except Exception as err:  # noqa: BLE001 - degrade per item, never per batch
            self.conn.execute("ROLLBACK TO item")
            message = f"could not store the record ({type(err).__name__}: {err}); the article is kept without it"
            added = self._add_one(Extracted(item.document, None, error=message))
        self.conn.execute("RELEASE item")
        return added

    def _add_one(self, item: Extracted) -> Added:
        doc = item.document
        text = doc.text
        sha = dedup.text_sha256(text) if text is not None else None
        old = self.conn.execute(
            "SELECT pk, text_sha256, status, cluster FROM articles WHERE id = ?", (doc.id,)
        ).fetchone()
        if old and old[1] != sha:
            self._forget(old[0])  # the same id now has another text: the old text's rows go
            old = None
        if item.error or item.skipped or text is None or item.record is None:
            status = "skipped" if item.skipped and not item.error else "error"
            if old and old[2] in ("ok", "duplicate"):
                return Added(doc.id, status)  # keep what an earlier run extracted from this text
            self._upsert_article(
                doc,
                old,
                text=text,
                sha=sha,
                status=status,
                error=item.error or item.skipped or "no text",
                duplicate_of=None,
                cluster=None,
            )
            return Added(doc.id, status)
        first = self.conn.execute(
            "SELECT pk, cluster FROM articles WHERE text_sha256 = ? AND status = 'ok' ORDER BY pk LIMIT 1", (sha,)
        ).fetchone()
        if first and (old is None or first[0] != old[0]):
            self._upsert_article(
                doc, old, text=None, sha=sha, status="duplicate", error=None, duplicate_of=first[0], cluster=first[1]
            )
            if not self._has_record(first[0]):
                self._store_record(first[0], first[1], item.record, text)
            return Added(doc.id, "duplicate", self._article_id(first[1]))
        if old and old[2] == "ok":
            pk, cluster = old[0], old[3]
            self._reindex_title(pk, doc.title)
            self._upsert_article(
                doc, old, text=text, sha=sha, status="ok", error=None, duplicate_of=None, cluster=cluster
            )
        else:
            keys = dedup.band_keys(text)
            near = self._near(keys, text)
            pk = self._upsert_article(
                doc, old, text=text, sha=sha, status="ok", error=None, duplicate_of=None, cluster=near
            )
            cluster = pk if near is None else near
            if near is None:
                self.conn.execute("UPDATE articles SET cluster = ? WHERE pk = ?", (pk, pk))
            self.conn.executemany(
                "INSERT OR IGNORE INTO lsh_bands (key, article) VALUES (?, ?)", [(k, pk) for k in keys]
            )
            self.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (pk, doc.title, text))
        self._store_record(pk, cluster, item.record, text)
        return Added(doc.id, "new", self._article_id(cluster))

    def _article_id(self, pk: int) -> str:
        return str(self.conn.execute("SELECT id FROM articles WHERE pk = ?", (pk,)).fetchone()[0])

    def _has_record(self, pk: int) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM records WHERE article = ? AND vid = ?", (pk, self.vid)).fetchone()
            is not None
        )

    def _near(self, keys: list[int], text: str) -> int | None:
        """The cluster of the most similar stored text at or above dedup.THRESHOLD, if any."""
        if not keys:
            return None
        grams: set[bytes] | None = None
        marks = ",".join("?" * len(keys))
        candidates = self.conn.execute(
            f"SELECT article, COUNT(*) AS bands FROM lsh_bands WHERE key IN ({marks}) GROUP BY article "
            f"ORDER BY bands DESC, article LIMIT {NEAR_CANDIDATES}",
            keys,
        ).fetchall()
        best: tuple[float, int] | None = None
        for article, _ in candidates:
            row = self.conn.execute("SELECT text, cluster FROM articles WHERE pk = ?", (article,)).fetchone()
            if row and row[0] is not None:
                grams = dedup.shingles(text) if grams is None else grams
                score = dedup.containment(grams, dedup.shingles(row[0]))
                if score >= dedup.THRESHOLD and (best is None or score > best[0]):
                    best = (score, row[1])
        return best[1] if best else None

    def _upsert_article(
        self,
        doc: Any,
        old: Any,
        *,
        text: str | None,
        sha: str | None,
        status: str,
        error: str | None,
        duplicate_of: int | None,
        cluster: int | None,
    ) -> int:
        values = {
            "id": doc.id,
            "text": text,
            "text_sha256": sha,
            "raw_sha256": doc.raw_sha256,
            "url": doc.url,
            "source": doc.source,
            "kind": doc.kind,
            "title": doc.title,
            "author": doc.author,
            "published": doc.published,
            "language": doc.language,
            "captured_at": doc.captured_at,
            "ingested_at": _now(),
            "meta": json.dumps(doc.meta, ensure_ascii=False, default=str) if doc.meta else None,
            "status": status,
            "error": error,
            "duplicate_of": duplicate_of,
            "cluster": cluster,
            "vid": self.vid,
        }
        if old is None:
            cols = ", ".join(values)
            cur = self.conn.execute(
                f"INSERT INTO articles ({cols}) VALUES ({', '.join('?' * len(values))})", list(values.values())
            )
            return int(cur.lastrowid or 0)
        values.pop("ingested_at")
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE articles SET {sets} WHERE pk = ?", [*values.values(), old[0]])
        return int(old[0])

    def _reindex_title(self, pk: int, title: str | None) -> None:
        row = self.conn.execute("SELECT title, text FROM articles WHERE pk = ?", (pk,)).fetchone()
        if row and row[0] != title:
            self.conn.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (pk, row[0], row[1]),
            )
            self.conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (pk, title, row[1]))

    def _store_record(self, pk: int, cluster: int, typed: Record, text: str) -> None:
        """Upsert the record and its query rows for (article, this version); it becomes current."""
        record = {**typed.to_dict(), "text": text}
        blob = pack(record)
        same = self.conn.execute(
            "SELECT record = ? FROM records WHERE article = ? AND vid = ?", (blob, pk, self.vid)
        ).fetchone()
        for table in ("records", "quotes", "claims", "events", "entities"):
            self.conn.execute(
                f"UPDATE {table} SET current = CASE WHEN vid = ? THEN 1 ELSE 0 END WHERE article = ?", (self.vid, pk)
            )
        if same and same[0]:
            return  # stored already, unchanged: keep the rows (and their ids) as they are
        self._drop_rows(pk, self.vid)
        self.conn.execute(
            "INSERT INTO records (article, vid, current, stored_at, record) VALUES (?, ?, 1, ?, ?)",
            (pk, self.vid, _now(), blob),
        )
        quotes = rows.quote_rows(record)
        head = (pk, self.vid, cluster)
        self.conn.executemany(
            "INSERT INTO quotes (article, vid, current, cluster, n, key, kind, text, spans, speaker, speaker_key, "
            "speaker_entity, cue, char_start, char_end, sent_start, sent_end, date, date_source) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    *head,
                    q["n"],
                    q["key"],
                    q["kind"],
                    q["text"],
                    q["spans"] and json.dumps(q["spans"]),
                    q["speaker"],
                    q["speaker_key"],
                    q["speaker_entity"],
                    q["cue"],
                    q["start"],
                    q["end"],
                    *q["sentence"],
                    q["date"],
                    q["date_source"],
                )
                for q in quotes
            ],
        )
        self.conn.execute(
            "INSERT INTO quotes_fts (rowid, text, speaker) SELECT pk, text, speaker FROM quote_texts "
            "WHERE article = ? AND vid = ?",
            (pk, self.vid),
        )
        self.conn.executemany(
            "INSERT INTO claims (article, vid, current, cluster, n, key, text, value, bound, unit, high, counted, source, "
            "source_key, char_start, char_end, sent_start, sent_end, date, date_source) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    *head,
                    c["n"],
                    c["key"],
                    c["text"],
                    c["value"],
                    c["bound"],
                    c["unit"],
                    c["high"],
                    c["counted"],
                    c["source"],
                    c["source_key"],
                    c["start"],
                    c["end"],
                    *c["sentence"],
                    c["date"],
                    c["date_source"],
                )
                for c in rows.claim_rows(record)
            ],
        )
        self.conn.executemany(
            "INSERT INTO events (article, vid, current, cluster, n, key, type, text, source, source_key, source_code, "
            "target, target_key, target_code, char_start, char_end, sent_start, sent_end, date, date_source) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    *head,
                    e["n"],
                    e["key"],
                    e["type"],
                    e["text"],
                    e["source"],
                    e["source_key"],
                    e["source_code"],
                    e["target"],
                    e["target_key"],
                    e["target_code"],
                    e["start"],
                    e["end"],
                    *e["sentence"],
                    e["date"],
                    e["date_source"],
                )
                for e in rows.event_rows(record)
            ],
        )
        entities = rows.entity_rows(record, quotes)
        self.conn.executemany(
            "INSERT INTO entities (article, vid, current, cluster, eid, name, name_key, type, mentions, quoted) "
            "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            [(*head, e["eid"], e["name"], e["name_key"], e["type"], e["mentions"], e["quoted"]) for e in entities],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO aliases (alias, name_key) VALUES (?, ?)",
            [(a, e["name_key"]) for e in entities for a in e["aliases"]],
        )

    def _drop_rows(self, pk: int, vid: int | None) -> None:
        """Delete an article's record and query rows (of one version, or all when vid is None)."""
        where, args = ("article = ?", (pk,)) if vid is None else ("article = ? AND vid = ?", (pk, vid))
        for rowid, text, speaker in self.conn.execute(
            f"SELECT pk, text, speaker FROM quote_texts WHERE {where}", args
        ).fetchall():
            self.conn.execute(
                "INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker) VALUES ('delete', ?, ?, ?)",
                (rowid, text, speaker),
            )
        for table in ("records", "quotes", "claims", "events", "entities"):
            self.conn.execute(f"DELETE FROM {table} WHERE {where}", args)

    def _forget(self, pk: int) -> None:
        """An id re-ingested with another text: its old text and rows go. Exact duplicates of the old
        text keep it: the first of them takes over the text, the rows and the cluster."""
        row = self.conn.execute("SELECT title, text, status, cluster FROM articles WHERE pk = ?", (pk,)).fetchone()
        heir = self.conn.execute(
            "SELECT pk, title FROM articles WHERE duplicate_of = ? ORDER BY pk LIMIT 1", (pk,)
        ).fetchone()
        if row[2] == "ok":
            self.conn.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (pk, row[0], row[1]),
            )
        if heir is None:
            self._drop_rows(pk, None)
            self.conn.execute("DELETE FROM lsh_bands WHERE article = ?", (pk,))
        else:
            self.conn.execute(
                "UPDATE articles SET text = ?, status = 'ok', duplicate_of = NULL WHERE pk = ?", (row[1], heir[0])
            )
            self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", (heir[0], pk))
            for table in ("records", "quotes", "claims", "events", "entities"):
                self.conn.execute(f"UPDATE {table} SET article = ? WHERE article = ?", (heir[0], pk))
            self.conn.execute("UPDATE lsh_bands SET article = ? WHERE article = ?", (heir[0], pk))
            self.conn.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", (heir[0], heir[1], row[1])
            )
        self.conn.execute("DELETE FROM articles WHERE pk = ?", (pk,))

    # --- export ------------------------------------------------------------------------------

    def records(self, *, version: str | None = None, duplicates: bool = False) -> Iterator[dict[str, Any]]:
        """Every stored article's record (the current version unless ``version`` names one), with
        "id" as ingested; a text is exported once (under the first id it came with) unless
        ``duplicates``, which adds each exact duplicate under its own id with "duplicate_of".
        Articles that failed or were skipped come as {"id", "text", "published", "error" |
        "skipped"}, as ``extract --jsonl`` prints a line it could not process."""
        args: tuple[str, ...] = ()
        if version is None:
            cond = "r.current = 1"
        else:
            cond, args = "r.vid = (SELECT vid FROM versions WHERE name = ?)", (version,)
        sql = (
            f"SELECT a.pk, a.id, a.text, a.status, a.error, a.published, o.id, o.text, r.record "
            f"FROM articles a LEFT JOIN articles o ON o.pk = a.duplicate_of "
            f"LEFT JOIN records r ON r.article = COALESCE(a.duplicate_of, a.pk) AND {cond} ORDER BY a.pk"
        )
        for _pk, aid, text, status, error, published, first_id, first_text, blob in self.conn.execute(sql, args):
            if status in ("error", "skipped"):
                yield {"id": aid, "text": text, "published": published, status: error}
            elif blob is not None and (duplicates or status == "ok"):
                record = unpack(blob, aid, text if status == "ok" else first_text)
                _flag_changed_text(record)
                if status == "duplicate":
                    record["duplicate_of"] = first_id
                yield record
