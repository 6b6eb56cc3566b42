"""A damaged or changed store is noticed and said plainly (issue 9, found as bugs: raw
sqlite3 tracebacks mid-export, changed texts served with stale hashes, a creation race)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord import batch
from onrecord.cli import main
from onrecord.model import Article
from onrecord.pipeline import extractor_version
from onrecord.store import open_store
from onrecord.store.check import check_sqlite, validate_record

TEXTS = [
    f'"We will talk again in round {i}," said John Smith, the mayor of Springfield, on Monday. '
    f"Officials in Geneva said at least {i + 10} people attended the meeting number {i}."
    for i in range(60)
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "news.db"
    store = open_store(str(path), version=extractor_version())
    try:
        batch.ingest(
            store,
            [Article(id=f"a{i}", text=t, source="t", kind="text", title=f"Story {i}") for i, t in enumerate(TEXTS)],
            workers=1,
        )
    finally:
        store.close()
    return path


def copy(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    target.write_bytes(built.read_bytes())
    return target


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_whole_store_checks_clean(built: Path, tmp_path: Path):
    result = run("check", str(copy(built, tmp_path)), "--no-progress")
    assert result.exit_code == 0, result.output
    assert "checked 60 articles and 60 records: no problems" in result.stderr


def test_a_text_changed_inside_the_store_is_found_and_flagged_on_export(built: Path, tmp_path: Path):
    path = copy(built, tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE articles SET text = replace(text, 'Smith', 'Smyth') WHERE id = 'a7'")
    result = run("check", str(path), "--no-progress")
    assert result.exit_code == 1
    assert "article 'a7'" in result.stdout and "does not match the sha256" in result.stdout
    assert "article 'a8'" not in result.stdout
    exported = run("export", str(path), "--format", "jsonl")
    records = {r["id"]: r for r in map(json.loads, exported.stdout.splitlines())}
    assert any(p["stage"] == "store" and "sha256" in p["message"] for p in records["a7"]["problems"])
    assert not any(p["stage"] == "store" for p in records["a8"]["problems"])


def _damage(path: Path) -> None:
    """Overwrite the first page of every table and index but the schema itself, as a failing
    disk or a stray write would: the store still opens, and each query meets damage."""
    with sqlite3.connect(path) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [r for (r,) in conn.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 1")]
    data = bytearray(path.read_bytes())
    for root in roots:
        start = (root - 1) * page
        data[start : start + page] = bytes((i * 7919) % 251 for i in range(page))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command",
    [
        ["quotes"],
        ["entities"],
        ["claims"],
        ["search", "Geneva"],
        ["timeline", "Geneva"],
        ["export", "--format", "jsonl"],
        ["export", "--format", "csv"],
    ],
)
def test_query_commands_on_a_damaged_store_say_so_without_a_traceback(built: Path, tmp_path: Path, command: list[str]):
    path = copy(built, tmp_path)
    _damage(path)
    result = CliRunner().invoke(main, [command[0], str(path), *command[1:]])
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    assert "onrecord check" in result.stderr or "not an onrecord store" in result.stderr, result.stderr


def test_check_lists_a_damaged_file(built: Path, tmp_path: Path):
    path = copy(built, tmp_path)
    _damage(path)
    report = check_sqlite(str(path))
    assert not report.ok and report.findings


def test_validate_record_finds_broken_evidence():
    text = "He said hello."
    good = {
        "id": "x",
        "text": text,
        "published": None,
        "entities": [],
        "timexes": [],
        "claims": [],
        "events": [],
        "problems": [],
        "quotes": [
            {
                "kind": "indirect",
                "spans": [{"start": 8, "end": 13}],
                "text": "hello",
                "speaker": {"name": None, "entity": None, "mention": None},
                "cue": None,
            }
        ],
    }
    assert validate_record(good) == []
    bad = json.loads(json.dumps(good))
    bad["quotes"][0]["spans"][0]["end"] = 99
    bad["quotes"].append({"kind": "shouted", "spans": [], "text": "", "speaker": None})
    bad["timexes"] = [{"start": 0, "end": 2, "text": "Hx", "type": "DATE", "value": None}]
    found = validate_record(bad)
    assert any("outside the text" in f for f in found) and any("kind 'shouted'" in f for f in found)
    assert any("no span" in f for f in found) and any("timex 1 says 'Hx'" in f for f in found)


def test_two_processes_creating_one_store_do_not_race(tmp_path: Path):
    # found as a bug: "table schema_version already exists" when two ingests start at once
    for round_ in range(8):
        path = str(tmp_path / f"race{round_}.db")
        barrier = threading.Barrier(3)
        errors: list[BaseException] = []

        def create(
            barrier: threading.Barrier = barrier, path: str = path, errors: list[BaseException] = errors
        ) -> None:
            barrier.wait()
            try:
                open_store(path, version="test-version").close()
            except BaseException as err:  # noqa: BLE001 - collected for the assertion
                errors.append(err)

        threads = [threading.Thread(target=create) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] >= 1
