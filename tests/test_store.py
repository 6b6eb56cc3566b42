"""The SQLite store: schema and migrations, idempotent writes, duplicates and syndicated
copies, versions side by side, the queries, and failures that leave the database intact.

Records come from the real pipeline (the reference article, a wire copy of it and a short
later story), extracted once per module."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import onrecord
from onrecord import dedup
from onrecord.model import Article
from onrecord.store import Extracted, StoreError, migrations, open_store, rows, sqlite_queries
from onrecord.store.sqlite import SQLiteStore

V1, V2 = "test-v1", "test-v2"
LATER = (
    "Michelle Bachelet said on Tuesday that China must open the camps in Xinjiang to inspectors. "
    '"We are still waiting for an answer," Bachelet told reporters in Geneva.'
)
OTHER = (
    "The city council voted to repair the old harbour bridge next spring. "
    '"It is long overdue," said Mayor Anna Lindqvist, adding that traffic would be diverted for months.'
)


def wire_copy(text: str) -> str:
    """The same story as another outlet runs it: its own dateline and byline, the last paragraph cut."""
    body = text[: text.rstrip().rfind("\n")]
    return "GENEVA (Wire) -- By Staff Reporters\n" + body + "\n"


@pytest.fixture(scope="module")
def recs(seed_text: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """id -> (text, record): the reference article, its wire copy, a later story, an unrelated one."""
    texts = {
        "seed": (seed_text, "2022-01-14"),
        "copy": (wire_copy(seed_text), "2022-01-15"),
        "later": (LATER, "2022-03-01"),
        "other": (OTHER, "2022-02-01"),
    }
    return {key: (text, onrecord.extract(text, published=pub, id=key)) for key, (text, pub) in texts.items()}


def item(recs: dict[str, Any], key: str, doc_id: str | None = None, **fields: Any) -> Extracted:
    text, record = recs[key]
    doc = Article(
        id=doc_id or key,
        text=text,
        source=f"{doc_id or key}.txt",
        kind="text",
        published=record.published,
        raw_sha256=dedup.text_sha256(text),
        url=fields.pop("url", f"https://{doc_id or key}.example/story"),
        **fields,
    )
    return Extracted(doc, replace(record, id=doc.id))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def fts_consistent(store: SQLiteStore) -> bool:
    """FTS5's own check that the external-content indexes match the stored texts."""
    for table in ("articles_fts", "quotes_fts"):
        store.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    return True


def integrity(path: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# --- schema --------------------------------------------------------------------------------------


def test_new_store_has_the_current_schema_in_wal_mode(db: str) -> None:
    with SQLiteStore(db, version=V1) as store:
        assert migrations.current_version(store.conn) == max(v for v, _ in migrations.STEPS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {
            "articles",
            "records",
            "quotes",
            "claims",
            "events",
            "entities",
            "aliases",
            "lsh_bands",
            "articles_fts",
            "quotes_fts",
        } <= tables


def test_a_new_migration_step_is_applied_once_and_a_newer_schema_is_refused(db: str) -> None:
    SQLiteStore(db, version=V1).close()
    conn = sqlite3.connect(db, isolation_level=None)
    steps = migrations.STEPS + [(99, "CREATE TABLE later_feature (x INTEGER);")]
    assert migrations.migrate(conn, db, steps) == 99
    assert migrations.migrate(conn, db, steps) == 99  # nothing left to apply
    assert conn.execute("SELECT COUNT(*) FROM schema_version WHERE version = 99").fetchone()[0] == 1
    conn.close()
    with pytest.raises(StoreError, match=r"newer than this onrecord knows.*upgrade"):
        SQLiteStore(db, version=V1)


def test_a_failing_migration_step_leaves_the_old_version(db: str) -> None:
    SQLiteStore(db, version=V1).close()
    conn = sqlite3.connect(db, isolation_level=None)
    have = max(v for v, _ in migrations.STEPS)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn, db, migrations.STEPS + [(have + 1, "CREATE TABLE t2 (x); CREATE TABLE articles (x);")])
    assert migrations.current_version(conn) == have
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 't2'").fetchone()
    conn.close()


def test_a_store_of_schema_1_is_migrated_and_its_claims_gain_unit_and_range(db: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    migrations.migrate(conn, db, migrations.STEPS[:1])  # a store written before claims.v2
    assert migrations.current_version(conn) == 1
    conn.close()
    text = "Investors expect losses of $40-50bn, and 15% of staff will go."
    doc = Article(id="a1", text=text, source="a1.txt", kind="text", raw_sha256=dedup.text_sha256(text))
    with SQLiteStore(db, version=V1) as store:
        assert migrations.current_version(store.conn) == 2
        store.add([Extracted(doc, onrecord.extract(text, id="a1"))])
        found = {(c["unit"], c["value"], c["high"]) for c in store.claims()}
    assert ("USD", 40e9, 50e9) in found and ("%", 15, None) in found


def test_open_store_keeps_the_postgres_seam_and_reads_missing_files_clearly(db: str) -> None:
    with pytest.raises(StoreError, match=r"PostgreSQL support is planned"):
        open_store("postgresql://localhost/news", version=V1)
    with pytest.raises(StoreError, match=r"no store at"):
        open_store(db, version=V1, readonly=True)


# --- writing -------------------------------------------------------------------------------------


def test_adding_twice_stores_once_and_done_reports_it(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        batch = [item(recs, "seed"), item(recs, "later")]
        assert not store.done("seed", batch[0].document.raw_sha256)
        assert [a.status for a in store.add(batch)] == ["new", "new"]
        first = store.count()
        quote_ids = [q["id"] for q in store.quotes()]
        store.add(batch)
        assert store.count() == first
        assert [q["id"] for q in store.quotes()] == quote_ids
        assert sorted(r["id"] for r in store.records()) == ["later", "seed"]
        assert store.done("seed", batch[0].document.raw_sha256)
        assert not store.done("seed", "another-raw-hash")  # the page changed: extract again


def test_a_record_the_store_cannot_index_is_kept_as_an_error_and_the_batch_goes_on(
    db: str, recs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, record = recs["other"]
    broken = Extracted(Article(id="broken", text=text, source="b.txt", kind="text"), replace(record, id="broken"))
    index = rows.quote_rows

    def failing(record: dict[str, Any]) -> list[dict[str, Any]]:
        if record["id"] == "broken":  # a record the indexer trips over (found as a bug: a malformed field)
            raise TypeError("'<' not supported between instances of 'str' and 'int'")
        return index(record)

    monkeypatch.setattr(rows, "quote_rows", failing)
    with SQLiteStore(db, version=V1) as store:
        added = store.add([item(recs, "seed"), broken, item(recs, "later")])
        assert [a.status for a in added] == ["new", "error", "new"]
        (kept,) = [r for r in store.records() if r["id"] == "broken"]
        assert "could not store the record" in kept["error"] and kept["text"] == text
        assert store.count()["articles"] == 2 and store.count()["errors"] == 1
        assert not store.conn.execute(
            "SELECT 1 FROM quotes q JOIN articles a ON a.pk = q.article WHERE a.id = 'broken'"
        ).fetchone()


def test_records_come_back_exactly_as_extracted(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed")])
        (stored,) = store.records()
    assert stored == json.loads(json.dumps({**recs["seed"][1].to_dict(), "id": "seed"}))


def test_failed_and_skipped_articles_are_kept_with_their_message(db: str) -> None:
    bad = Article(id="bad.html", text=None, source="bad.html", kind="html", error="not UTF-8; pass --encoding")
    german = Article(
        id="de.txt", text="Die Regierung sagte am Freitag ...", source="de.txt", kind="text", language="de"
    )
    with SQLiteStore(db, version=V1) as store:
        added = store.add([Extracted(bad, None, error=bad.error), Extracted(german, None, skipped="language de")])
        assert [a.status for a in added] == ["error", "skipped"]
        counts = store.count()
        assert (counts["errors"], counts["skipped"], counts["articles"], counts["quotes"]) == (1, 1, 0, 0)
        out = {r["id"]: r for r in store.records()}
        assert out["bad.html"]["error"] == "not UTF-8; pass --encoding"
        assert out["de.txt"]["skipped"] == "language de"
        assert store.done("de.txt", None) and not store.done("bad.html", None)  # failures are retried
        store.add([Extracted(bad, None, error=bad.error)])
        assert store.count()["errors"] == 1


def test_the_same_id_with_a_new_text_replaces_the_old_rows(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed", "story")])
        text, record = recs["other"]
        store.add([Extracted(Article(id="story", text=text, source="s", kind="text"), record)])
        assert store.count()["articles"] == 1
        assert store.quotes(speaker="Rupert Colville") == []
        assert [r["text"] for r in store.records()] == [text]
        assert store.search("Colville") == []
        assert fts_consistent(store)


# --- duplicates ----------------------------------------------------------------------------------


def test_an_exact_duplicate_is_stored_once_with_every_outlet(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        alone = len(store.add([item(recs, "seed", url="https://first.example/a")]))
        quotes_alone = store.count()["quotes"]
        (dup,) = store.add([item(recs, "seed", "seed-again", url="https://second.example/b")])
        assert alone == 1 and dup.status == "duplicate" and dup.cluster == "seed"
        assert store.conn.execute("SELECT COUNT(*) FROM articles WHERE text IS NOT NULL").fetchone()[0] == 1
        assert store.count()["quotes"] == quotes_alone
        assert [o["url"] for o in store.outlets("seed-again")] == [
            "https://first.example/a",
            "https://second.example/b",
        ]
        assert all(q["outlets"] == ["https://first.example/a", "https://second.example/b"] for q in store.quotes())
        assert [r["id"] for r in store.records()] == ["seed"]
        assert {r["id"]: r.get("duplicate_of") for r in store.records(duplicates=True)} == {
            "seed": None,
            "seed-again": "seed",
        }


def test_a_wire_copy_joins_the_cluster_and_counts_once(db: str, tmp_path: Path, recs: dict[str, Any]) -> None:
    assert dedup.containment(dedup.shingles(recs["seed"][0]), dedup.shingles(recs["copy"][0])) >= dedup.THRESHOLD
    with SQLiteStore(str(tmp_path / "alone.db"), version=V1) as alone:
        alone.add([item(recs, "seed")])
        colville_alone = len(alone.quotes(speaker="Rupert Colville"))
    with SQLiteStore(db, version=V1) as store:
        added = store.add([item(recs, "seed"), item(recs, "copy"), item(recs, "other")])
        assert [a.cluster for a in added] == ["seed", "seed", "other"]
        colville = store.quotes(speaker="Rupert Colville")
        assert colville_alone > 0 and len(colville) == colville_alone
        assert any(len(q["outlets"]) == 2 for q in colville)
        (entity,) = [e for e in store.entities() if e["name"] == "Rupert Colville"]
        assert entity["articles"] == 1 and entity["quoted"] == colville_alone
        assert {o["relation"] for o in store.outlets("copy")} == {"self", "syndicated"}
        assert store.count()["clusters"] == 2


def test_a_different_story_on_the_same_subject_is_not_clustered() -> None:
    a = dedup.shingles("Michelle Bachelet said on Friday that a visit to Xinjiang was being discussed with China.")
    b = dedup.shingles("China said on Monday that a visit to Xinjiang by Michelle Bachelet was not planned yet.")
    assert dedup.containment(a, b) < dedup.THRESHOLD
    assert len(dedup.band_keys(LATER)) == dedup.BANDS and dedup.band_keys("") == []


def test_a_copy_cut_to_half_with_a_new_byline_shares_lsh_bands(seed_text: str) -> None:
    cut = "By Our Correspondent\n" + seed_text[: len(seed_text) // 2]
    assert dedup.jaccard(dedup.shingles(seed_text), dedup.shingles(cut)) < 0.6  # whole-text Jaccard misses it
    assert set(dedup.band_keys(seed_text)) & set(dedup.band_keys(cut))
    assert dedup.containment(dedup.shingles(seed_text), dedup.shingles(cut)) >= dedup.THRESHOLD
    other = "By Our Correspondent\n" + OTHER
    assert not set(dedup.band_keys(cut)) & set(dedup.band_keys(other))


# --- versions ------------------------------------------------------------------------------------


def test_a_newer_extractor_sits_beside_the_old_results(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed")])
        old_quotes = store.count()["quotes"]
    newer = item(recs, "seed")
    fewer = replace(newer.record, quotes=newer.record.quotes[:2])  # what a changed stage might give
    with SQLiteStore(db, version=V2) as store:
        assert not store.done("seed", newer.document.raw_sha256)
        store.add([Extracted(newer.document, fewer)])
        assert store.count()["quotes"] == 2 < old_quotes
        assert len(next(store.records())["quotes"]) == 2
        assert len(next(store.records(version=V1))["quotes"]) == old_quotes
        assert {q["version"] for q in store.quotes()} == {V2}
        n = store.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        assert n == 2
        assert fts_consistent(store)


# --- queries -------------------------------------------------------------------------------------


def test_search_ranks_and_brackets_the_matched_words(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add(
            [item(recs, "seed", title="UN rights chief may visit Xinjiang"), item(recs, "later"), item(recs, "other")]
        )
        hits = store.search("visit Xinjiang")
        assert hits and hits[0]["article_id"] == "seed"
        assert "[visit]" in hits[0]["snippet"] and "[Xinjiang]" in hits[0]["snippet"]
        assert {h["kind"] for h in hits} == {"article", "quote"}
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        assert store.search("harbour bridge")[0]["article_id"] == "other"
        assert {h["article_id"] for h in store.search('"no progress"')} == {"seed"}
        assert store.search('"progress no"') == []
        with pytest.raises(StoreError, match=r"nothing to search"):
            store.search("  ...  ")


def test_a_word_in_most_of_the_corpus_is_ranked_within_the_latest_matches(
    db: str, recs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed"), item(recs, "later"), item(recs, "other")])
        assert {h["article_id"] for h in store.search("said") if h["kind"] == "article"} == {"seed", "later", "other"}
        monkeypatch.setitem(sqlite_queries.RANK_WITHIN, "articles_fts", 2)
        assert {h["article_id"] for h in store.search("said") if h["kind"] == "article"} == {"later", "other"}
        assert [h["article_id"] for h in store.search("Colville") if h["kind"] == "article"] == ["seed"]


@pytest.mark.parametrize("asked", ["Rupert Colville", "rupert colville", "Colville", "COLVILLE"])
def test_quotes_by_speaker_name_or_alias(db: str, recs: dict[str, Any], asked: str) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed"), item(recs, "other")])
        found = store.quotes(speaker=asked)
        assert len(found) >= 3
        assert {q["speaker"] for q in found} == {"Rupert Colville"}
        q = found[0]
        text = recs["seed"][0]
        assert q["text"] == " ... ".join(text[s["start"] : s["end"]] for s in q["spans"])
        assert q["id"].startswith("seed#q") and q["outlets"] == ["https://seed.example/story"]
        assert store.quotes(speaker="Nobody Atall") == []


def test_timeline_orders_by_when_it_happened_not_when_published(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "later")])  # ingested first, published later
        store.add([item(recs, "seed")])
        line = store.timeline("Bachelet")
        dates = [r["date"] for r in line]
        assert dates == sorted(dates)
        sept = [r for r in line if r["date"] == "2021-09-13"]
        assert sept and sept[0]["date_source"] == "text" and "Sept. 13" in sept[0]["evidence"]
        assert line.index(sept[0]) < min(i for i, r in enumerate(line) if r["article_id"] == "later")
        assert {r["kind"] for r in line} >= {"quote", "event"}
        for r in line:
            assert r["evidence"] and r["summary"]


def test_claims_and_events_carry_their_sentence_date(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed")])
        (claim,) = store.claims(source="the UN")
        assert claim["value"] == 1_000_000 and claim["bound"] == "lower" and claim["date"] == "2022-01-14"
        events = store.events(actor="China")
        assert events and all(
            "China" in (e["source"], e["target"]) or "CHN" in (e["source_code"], e["target_code"]) for e in events
        )
        assert store.events(actor="CHN")


def test_entities_who_is_quoted_most_and_with_whom(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed"), item(recs, "later"), item(recs, "other")])
        ents = store.entities(limit=10)
        assert ents[0]["name"] == "Rupert Colville" and ents[0]["quoted"] >= 3
        bachelet = next(e for e in ents if e["name"] == "Michelle Bachelet")
        assert bachelet["articles"] == 2 and "bachelet" in bachelet["aliases"]
        assert "China" in {w["name"] for w in bachelet["with"]}
        assert [e["quoted"] for e in ents] == sorted((e["quoted"] for e in ents), reverse=True)


# --- dates ---------------------------------------------------------------------------------------


def test_the_store_dates_items_by_what_the_record_says() -> None:
    # the dating stage's ``dated`` is the row's date and evidence sentence; a record made
    # without that stage is dated by publication, its item's own span the evidence
    record = {"text": "x" * 40, "published": "2022-05-20"}
    item = {"dated": {"date": "2022-05-02", "source": "text", "sentence": {"start": 0, "end": 30}}}
    assert rows.item_date(record, item, 5, 9) == ("2022-05-02", "text", (0, 30))
    assert rows.item_date(record, {}, 5, 9) == ("2022-05-20", "published", (5, 9))


# --- failures ------------------------------------------------------------------------------------


def test_a_read_only_database_gives_a_clear_error_and_stays_intact(db: str, recs: dict[str, Any]) -> None:
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed")])
        before = store.count()
        store.conn.execute("PRAGMA query_only = ON")  # what a read-only file does to every write
        with pytest.raises(StoreError, match=r"read-only.*writable"):
            store.add([item(recs, "later")])
        store.conn.execute("PRAGMA query_only = OFF")
        assert store.count() == before
    with open_store(db, version=V1, readonly=True) as ro:  # type: ignore[attr-defined]
        assert ro.count() == before
        with pytest.raises(StoreError, match=r"read-only"):
            ro.add([item(recs, "later")])
    assert integrity(db) == "ok"


def test_a_read_only_file_on_disk(db: str, recs: dict[str, Any], tmp_path: Path) -> None:
    import os

    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root writes read-only files anyway; covered by query_only above")
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "seed")])
    os.chmod(db, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(StoreError, match=r"read-only|cannot open"), SQLiteStore(db, version=V1) as store:
            store.add([item(recs, "later")])
    finally:
        os.chmod(tmp_path, 0o755)
        os.chmod(db, 0o644)
    assert integrity(db) == "ok"


def test_a_full_disk_gives_a_clear_error_rolls_back_and_resumes(db: str, recs: dict[str, Any]) -> None:
    text, record = recs["seed"]
    many = []
    for i in range(12):  # distinct long texts (offsets of the record still hold: text is appended)
        longer = f"{text}\nAppendix {i}: " + " ".join(f"w{i}x{j}" for j in range(800))
        doc = Article(id=f"long{i}", text=longer, source=f"long{i}.txt", kind="text")
        many.append(Extracted(doc, replace(record, text=longer)))
    with SQLiteStore(db, version=V1) as store:
        store.add([item(recs, "other")])
        before = store.count()
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # a disk with no room left
        with pytest.raises(StoreError, match=r"no room.*free disk space.*intact"):
            store.add(many)
        assert store.count() == before
        assert integrity(db) == "ok"
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        store.add(many)
        assert store.count()["articles"] == before["articles"] + 12
