"""The corpus end to end through the CLI: ingest, re-run, kill -9 and resume, duplicates,
questions, pictures, exports, and a full or read-only disk.

In-process runs use CliRunner with --workers 1 (the model is loaded once per test process);
the kill -9 and disk tests run the installed console script as a real process.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main

from .conftest import EXAMPLE

STORY = (
    '"We will rebuild the bridge before winter," said Maria Lopez, the mayor of Riverton, on Monday.\n\n'
    'Lopez said the repairs would cost at least $4 million. "Nobody will be left behind," she added.\n'
)
WIRE = "RIVERTON (Wire) - " + STORY + "\nReporting by A. Writer; editing by B. Editor\n"


def run(args: list[str], input: str | None = None):
    result = CliRunner().invoke(main, args, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def exported(db: Path) -> list[dict]:
    result = run(["export", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def numbered_articles(n: int) -> list[dict]:
    """Distinct short articles (each text differs well beyond the near-duplicate threshold)."""
    towns = ["Riverton", "Lakeside", "Hillcrest", "Brookfield", "Fairview", "Oakdale", "Pinecrest", "Meadowbrook"]
    names = ["Maria Lopez", "John Carter", "Aisha Khan", "Peter Novak", "Lena Schmidt", "Omar Haddad"]
    rows = []
    for i in range(n):
        town, name = towns[i % len(towns)], names[i % len(names)]
        rows.append(
            {
                "id": f"story-{i}",
                "published": f"2023-{i % 12 + 1:02d}-15",
                "text": (
                    f'"Article {i} is about {town} and case number {i * 7919}," said {name}, '
                    f"a spokesperson for the {town} council, on Tuesday. The council met {i} times "
                    f"this year to discuss item {i * 31} and budget line {i * 101}.\n"
                ),
            }
        )
    return rows


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("corpus")
    folder = tmp / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "xinjiang.txt").write_text(
        EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )  # published: --published
    (folder / "sub" / "riverton.txt").write_text(STORY, encoding="utf-8")
    write_jsonl(
        tmp / "more.jsonl",
        [
            {"id": "wire-1", "text": WIRE, "published": "2023-05-02", "url": "https://wire.example/1"},
            {"id": "copy-1", "text": STORY, "url": "https://copy.example/1"},
        ],
    )
    db = tmp / "news.db"
    result = run(
        [
            "ingest",
            str(db),
            str(folder),
            str(tmp / "more.jsonl"),
            "--workers",
            "1",
            "--no-progress",
            "--published",
            "2022-01-14",
        ]
    )
    assert result.exit_code == 0, result.output
    return db


def test_ingest_keeps_jsonl_ids_and_paths_and_stores_one_copy(corpus_db: Path):
    records = exported(corpus_db)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert "wire-1" in ids
    assert any(i.endswith("xinjiang.txt") for i in ids)
    # copy-1 has exactly the text of riverton.txt: stored once
    assert sum(1 for r in records if r["text"] == STORY) == 1
    seed = next(r for r in records if r["id"].endswith("xinjiang.txt"))
    assert any(q["speaker"]["name"] == "Michelle Bachelet" for q in seed["quotes"])


def test_rerun_adds_nothing(corpus_db: Path, tmp_path: Path):
    before = exported(corpus_db)
    folder = corpus_db.parent / "in"
    result = run(["ingest", str(corpus_db), str(folder), "--workers", "1", "--no-progress"])
    assert result.exit_code == 0
    assert "2 already stored" in result.stderr
    assert exported(corpus_db) == before


def test_search_ranks_and_highlights(corpus_db: Path):
    result = run(["search", str(corpus_db), "visit Xinjiang", "--format", "jsonl"])
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits and "xinjiang" in hits[0]["article_id"].lower()
    assert "[" in hits[0]["snippet"]
    assert run(["search", str(corpus_db), "zeppelin", "--format", "jsonl"]).stdout == ""


def test_quotes_by_alias_and_syndicated_copies_counted_once(corpus_db: Path):
    by_surname = [
        json.loads(line)
        for line in run(["quotes", str(corpus_db), "--speaker", "Bachelet", "--format", "jsonl"]).stdout.splitlines()
    ]
    assert by_surname and {q["speaker"] for q in by_surname} == {"Michelle Bachelet"}
    lopez = [
        json.loads(line)
        for line in run(["quotes", str(corpus_db), "--speaker", "Maria Lopez", "--format", "jsonl"]).stdout.splitlines()
    ]
    rebuild = [q for q in lopez if "rebuild the bridge" in q["text"]]
    assert len(rebuild) == 1, "the wire copy and the local copy are one story"
    assert len(rebuild[0]["outlets"]) >= 2


def test_timeline_orders_by_date_in_text_and_draws(corpus_db: Path, tmp_path: Path):
    png = tmp_path / "china.png"
    result = run(["timeline", str(corpus_db), "China", "--format", "jsonl", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert any(r["date_source"] == "text" and r["date"] < "2022-01-14" for r in rows)  # "Sept. 13": last September
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quote_network_picture(corpus_db: Path, tmp_path: Path):
    png = tmp_path / "who.png"
    result = run(["quotes", str(corpus_db), "--plot", str(png), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 5000


def test_entities_counts_syndicated_story_once(corpus_db: Path):
    rows = [json.loads(line) for line in run(["entities", str(corpus_db), "--format", "jsonl"]).stdout.splitlines()]
    lopez = next(r for r in rows if r["name"] == "Maria Lopez")
    assert lopez["articles"] == 1


def test_csv_and_ftm_exports(corpus_db: Path, tmp_path: Path):
    out = tmp_path / "items.csv"
    assert run(["export", str(corpus_db), "--format", "csv", "--output", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    records = {r["id"]: r for r in exported(corpus_db)}
    assert rows
    for row in rows[:50]:
        text = records[row["article_id"]]["text"]
        assert text[int(row["start"]) : int(row["end"])].strip()
    ftm = [json.loads(line) for line in run(["export", str(corpus_db), "--format", "ftm"]).stdout.splitlines()]
    assert {"Article", "Person"} <= {e["schema"] for e in ftm}


def test_missing_source_and_missing_store_are_clear_errors(tmp_path: Path):
    db = tmp_path / "x.db"
    result = run(["ingest", str(db), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file or folder" in result.output
    assert not db.exists()
    src = write_jsonl(tmp_path / "a.jsonl", numbered_articles(2))
    result = run(["ingest", str(db), str(src), "--model", "no_such_pipeline", "--workers", "2"])
    assert result.exit_code == 1 and "no_such_pipeline" in result.output and "not installed" in result.output
    assert not db.exists()
    result = run(["search", str(db), "anything"])
    assert result.exit_code == 1 and "onrecord ingest" in result.output


def _script() -> str:
    script = Path(sys.executable).with_name("onrecord")
    if not script.exists():
        pytest.skip("console script not installed")
    return str(script)


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_mid_batch_then_rerun_loses_and_duplicates_nothing(tmp_path: Path):
    rows = numbered_articles(80)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    db = tmp_path / "k.db"
    proc = subprocess.Popen(
        [_script(), "ingest", str(db), str(src), "--workers", "2", "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while _count(db) < 16 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    proc.wait()
    partial = _count(db)
    assert 0 < partial < len(rows), "the kill should land mid-batch"
    done = subprocess.run(
        [_script(), "ingest", str(db), str(src), "--workers", "2", "--no-progress"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{partial} already stored" in done.stderr or "already stored" in done.stderr
    ids = [r["id"] for r in exported(db)]
    assert sorted(ids) == sorted(r["id"] for r in rows)


def _limited_run(args: list[str], limit: int) -> subprocess.CompletedProcess:
    def cap() -> None:  # a disk that fills up: files may grow to `limit` bytes, no further
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([_script(), *args], capture_output=True, text=True, timeout=300, preexec_fn=cap)


@pytest.mark.slow
def test_full_disk_is_a_clear_error_and_the_database_stays_intact(tmp_path: Path):
    db = tmp_path / "full.db"
    first = write_jsonl(tmp_path / "a.jsonl", numbered_articles(3))
    assert run(["ingest", str(db), str(first), "--workers", "1", "--no-progress"]).exit_code == 0
    before = [r["id"] for r in exported(db)]
    # "language" given, so no language model is unpacked to a temporary file: the first
    # write to fail is the database's own
    big = write_jsonl(
        tmp_path / "b.jsonl",
        [dict(r, id=f"big-{i}", text=r["text"] * 200, language="en") for i, r in enumerate(numbered_articles(40))],
    )
    proc = _limited_run(
        ["ingest", str(db), str(big), "--workers", "1", "--no-progress"], os.path.getsize(db) + 64 * 1024
    )
    assert proc.returncode == 1
    assert "full" in proc.stderr.lower() or "space" in proc.stderr.lower()
    assert "Traceback" not in proc.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    after = [r["id"] for r in exported(db)]
    assert after[: len(before)] == before and len(after) < 43


def test_export_to_a_file_is_all_or_nothing(corpus_db: Path, tmp_path: Path):
    out = tmp_path / "records.jsonl"
    out.write_text("previous export\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    result = run(["export", str(corpus_db), "--format", "jsonl", "--output", str(tmp_path / "no-such-dir" / "x.jsonl")])
    assert result.exit_code == 1 and "cannot write" in result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert run(["export", str(corpus_db), "--output", str(out)]).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(exported(corpus_db))


def test_mixed_sources_a_clear_message_per_bad_item_and_the_rest_stored(tmp_path: Path):
    from .test_ingest import PAGES, article_html, write_warc

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "page.html").write_text(article_html(title="Talks in Geneva"), encoding="utf-8")
    (folder / "broken.rss").write_bytes(b"this is not a feed at all")
    good = tmp_path / "good.warc.gz"
    offsets = write_warc(good, PAGES)
    (folder / "cut.warc.gz").write_bytes(good.read_bytes()[: offsets[4] + 150])
    (folder / "german.txt").write_text(
        "Die Regierung hat am Dienstag angekündigt, dass die Gespräche in Genf "
        "in der nächsten Woche fortgesetzt werden, sagte der Außenminister. " * 3,
        encoding="utf-8",
    )
    db = tmp_path / "mixed.db"
    result = run(["ingest", str(db), str(folder), "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "2 errors" in result.stderr and "1 skipped" in result.stderr
    assert "broken.rss" in result.stderr and "cut.warc.gz" in result.stderr
    records = exported(db)
    stored = {r["id"]: r for r in records}
    page = next(r for r in records if r["id"].endswith("page.html"))
    assert page.get("title") == "Talks in Geneva" and "The foreign minister said" in page["text"]
    assert any(r.get("url") == "https://planet.example/one" for r in records)  # the intact WARC records
    german = next(r for i, r in stored.items() if i.endswith("german.txt"))
    assert german.get("skipped") and "de" in german["skipped"]
