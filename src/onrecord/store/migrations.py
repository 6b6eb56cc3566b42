"""The store's schema, as ordered migration steps.

Each step is ``(version, SQL)``; a store records the versions it has in ``schema_version``
and applies the missing steps in order, each in one transaction, so a store is either at
the old version or the new one, never between. A store written by a newer onrecord (a
version this code does not know) is refused, not guessed at. Append steps; never edit one
that has shipped.

The SQL here is SQLite's (FTS5, WITHOUT ROWID); a PostgreSQL backend keeps its own list
with the same version numbers and the same tables.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from .base import StoreError

V1 = """
CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);

-- extractor versions, named once and referred to by a small number on every row
CREATE TABLE versions (vid INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

-- one row per ingested document, keyed by its id as ingested. The text is stored once:
-- an exact duplicate (same text sha256) keeps its own provenance (id, url, source, raw hash)
-- with text NULL and duplicate_of pointing at the row that holds the text. cluster is the
-- pk of the first article of its syndicated-copy cluster (its own pk when alone).
CREATE TABLE articles (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT,
    text_sha256 TEXT,
    raw_sha256 TEXT,
    url TEXT, source TEXT, kind TEXT, title TEXT, author TEXT, published TEXT, language TEXT,
    captured_at TEXT, ingested_at TEXT NOT NULL, meta TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'duplicate', 'error', 'skipped')),
    error TEXT,
    duplicate_of INTEGER REFERENCES articles(pk),
    cluster INTEGER,
    vid INTEGER NOT NULL REFERENCES versions(vid)
);
CREATE INDEX articles_text_sha256 ON articles(text_sha256);
CREATE INDEX articles_cluster ON articles(cluster);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

-- MinHash LSH band keys of each stored text (see onrecord.dedup)
CREATE TABLE lsh_bands (key INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (key, article)) WITHOUT ROWID;

-- full records, one per article and extractor version: zlib-compressed JSON without "text"
-- (articles.text holds it). current = 1 on the version most recently stored for the article.
CREATE TABLE records (
    article INTEGER NOT NULL REFERENCES articles(pk),
    vid INTEGER NOT NULL REFERENCES versions(vid),
    current INTEGER NOT NULL,
    stored_at TEXT NOT NULL,
    record BLOB NOT NULL,
    UNIQUE (article, vid)
);

-- query tables, rows per article and version; key: copies of one item in syndicated copies
-- share it; date: when it happened (see onrecord.store.rows); sent_*: its evidence sentence.
-- text is NULL when it is the article's text[char_start:char_end] (the text is stored once);
-- spans is NULL for a one-span quote (char_start, char_end)
CREATE TABLE quotes (
    pk INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(pk),
    vid INTEGER NOT NULL REFERENCES versions(vid),
    n INTEGER NOT NULL,
    current INTEGER NOT NULL,
    cluster INTEGER NOT NULL,
    key INTEGER NOT NULL,
    kind TEXT, text TEXT, spans TEXT,
    speaker TEXT, speaker_key TEXT, speaker_entity TEXT, cue TEXT,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, sent_start INTEGER, sent_end INTEGER,
    date TEXT, date_source TEXT,
    UNIQUE (article, vid, n)
);
CREATE INDEX quotes_speaker ON quotes(speaker_key);

CREATE TABLE claims (
    pk INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(pk),
    vid INTEGER NOT NULL REFERENCES versions(vid),
    n INTEGER NOT NULL,
    current INTEGER NOT NULL,
    cluster INTEGER NOT NULL,
    key INTEGER NOT NULL,
    text TEXT, value REAL, bound TEXT, counted TEXT, source TEXT, source_key TEXT,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, sent_start INTEGER, sent_end INTEGER,
    date TEXT, date_source TEXT,
    UNIQUE (article, vid, n)
);
CREATE INDEX claims_source ON claims(source_key);

CREATE TABLE events (
    pk INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(pk),
    vid INTEGER NOT NULL REFERENCES versions(vid),
    n INTEGER NOT NULL,
    current INTEGER NOT NULL,
    cluster INTEGER NOT NULL,
    key INTEGER NOT NULL,
    type TEXT, text TEXT,
    source TEXT, source_key TEXT, source_code TEXT, target TEXT, target_key TEXT, target_code TEXT,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, sent_start INTEGER, sent_end INTEGER,
    date TEXT, date_source TEXT,
    UNIQUE (article, vid, n)
);
CREATE INDEX events_source ON events(source_key);
CREATE INDEX events_target ON events(target_key);

-- entities per article and version (mentions counted), and every name an entity was
-- mentioned by (alias -> canonical name key), for "quotes by Colville" -> Rupert Colville
CREATE TABLE entities (
    pk INTEGER PRIMARY KEY,
    article INTEGER NOT NULL REFERENCES articles(pk),
    vid INTEGER NOT NULL REFERENCES versions(vid),
    current INTEGER NOT NULL,
    cluster INTEGER NOT NULL,
    eid TEXT, name TEXT NOT NULL, name_key TEXT NOT NULL, type TEXT,
    mentions INTEGER NOT NULL, quoted INTEGER NOT NULL
);
CREATE INDEX entities_article ON entities(article, vid);
CREATE INDEX entities_name ON entities(name_key);
CREATE TABLE aliases (alias TEXT NOT NULL, name_key TEXT NOT NULL, PRIMARY KEY (alias, name_key)) WITHOUT ROWID;
CREATE INDEX aliases_name ON aliases(name_key);

-- full-text search over the stored texts (external content: nothing is stored twice).
-- Articles keep positions (detail=full: phrases, and BM25 ranks ~8x faster than without them);
-- quotes are short, so detail=column halves their index at little cost, and a phrase is
-- checked on the candidates (see sqlite_queries)
CREATE VIEW quote_texts AS
    SELECT q.pk, q.article, q.vid, COALESCE(q.text, substr(a.text, q.char_start + 1, q.char_end - q.char_start)) AS text,
           q.speaker
    FROM quotes q JOIN articles a ON a.pk = q.article;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='pk');
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker, content='quote_texts', content_rowid='pk', detail=column);
-- ranking: BM25 with the title weighted 5x; a quote's words over its speaker's name
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
INSERT INTO quotes_fts (quotes_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5)');
"""

# claims.v2: a claim's unit ("%", an ISO 4217 code, a unit symbol) and the top of a range.
# Rows stored before it keep NULL in both (their records still hold what claims.v1 found).
V2 = """
ALTER TABLE claims ADD COLUMN unit TEXT;
ALTER TABLE claims ADD COLUMN high REAL;
"""

# (version, SQL): append only
STEPS: list[tuple[int, str]] = [(1, V1), (2, V2)]


def statements(sql: str) -> list[str]:
    """Split a script into complete statements (executescript would commit mid-migration)."""
    out, buf = [], ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            stmt = "\n".join(line for line in buf.splitlines() if not line.lstrip().startswith("--")).strip()
            if stmt != ";":
                out.append(stmt)
            buf = ""
    return out


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not exists:
        return 0
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0])


def check(conn: sqlite3.Connection, steps: list[tuple[int, str]], where: str) -> int:
    """The store's schema version; StoreError when it is newer than this code knows."""
    have, known = current_version(conn), max(v for v, _ in steps)
    if have > known:
        raise StoreError(
            f"{where} has schema version {have}, newer than this onrecord knows ({known}); "
            "upgrade onrecord (pip install -U onrecord) to open it"
        )
    return have


def migrate(conn: sqlite3.Connection, where: str, steps: list[tuple[int, str]] | None = None) -> int:
    """Apply the missing steps in order, each in one transaction; returns the schema version."""
    steps = STEPS if steps is None else steps
    have = check(conn, steps, where)
    for version, sql in sorted(steps):
        if version <= have:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= version:  # another process applied it since we looked
                conn.execute("COMMIT")
                have = version
                continue
            for stmt in statements(sql):
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        have = version
    return have
