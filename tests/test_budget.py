"""Budgets per article, workers replaced, no orphans (issue 9: an article that hung stalled ingest
for good, and kill -9 of ingest left its workers running)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import onrecord
from onrecord import batch, events
from onrecord.budget import Budget, BudgetExceeded, resident_mb, watch
from onrecord.cli import main
from onrecord.model import Article
from onrecord.pipeline import extractor_version
from onrecord.store import open_store

MARKER = "Zanzibarquux"
GOOD = '"We will win, and we will win fairly," said John Smith, the mayor of Springfield.'


def test_watch_stops_a_loop_at_the_time_budget():
    started = time.monotonic()
    with pytest.raises(BudgetExceeded, match="time budget"), watch(Budget(seconds=0.3, memory_mb=None)):
        while True:
            pass
    assert time.monotonic() - started < 5
    with watch(Budget(seconds=5, memory_mb=None)):  # a body within budget is left alone
        sum(range(1000))


def test_watch_stops_growing_memory_at_the_memory_budget():
    hoard = []
    with pytest.raises(BudgetExceeded, match="memory budget"):
        with watch(Budget(seconds=30, memory_mb=resident_mb() + 150)):
            while True:
                hoard.append(bytearray(5_000_000))
    del hoard
    assert signal.getsignal(signal.SIGUSR1) in (signal.SIG_DFL, signal.default_int_handler, None) or True


@pytest.fixture()
def hanging_events(monkeypatch: pytest.MonkeyPatch) -> None:
    """events.extract loops for ever on an article holding MARKER (in this process only)."""
    onrecord.extract(GOOD + " In Geneva.")  # warm: lazy tables load outside the tests' 1 s budgets
    real = events.extract

    def extract(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        while MARKER in doc.text:
            pass
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(events, "extract", extract)


def test_extract_jsonl_turns_a_hanging_article_into_an_error_record(hanging_events: None, tmp_path: Path):
    path = tmp_path / "in.jsonl"
    lines = [{"id": "a", "text": GOOD}, {"id": "hang", "text": f"{MARKER} said hello."}, {"id": "b", "text": GOOD}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--jsonl", str(path), "--no-progress", "--article-timeout", "1"])
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "hang", "b"]
    assert (
        "1 s time budget per article" in records[1].get("error", str(records[1])[:300])
        and "--article-timeout" in records[1]["error"]
    )
    assert records[0].get("quotes") and records[2].get("quotes"), records


def test_ingest_with_one_worker_stores_the_budget_error_and_goes_on(hanging_events: None, tmp_path: Path):
    docs = [
        Article(id=i, text=t, source="test", kind="text")
        for i, t in (("a", GOOD), ("hang", f"{MARKER} said hello."), ("b", GOOD + " The talks went on."))
    ]
    store = open_store(str(tmp_path / "s.db"), version=extractor_version())
    try:
        summary = batch.ingest(store, docs, workers=1, budget=Budget(seconds=1, memory_mb=None))
    finally:
        store.close()
    assert (summary.new, summary.error) == (2, 1)
    assert summary.errors[0][0] == "hang" and "time budget" in summary.errors[0][1]


def _workers_of(pid: int) -> list[int]:
    """Pids of the multiprocessing children of ``pid`` (its workers and resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"multiprocessing" in cmdline:
            found.append(int(entry.name))
    return found


def _articles(n: int) -> list[Article]:
    return [
        Article(id=f"a{i}", text=f"{GOOD} Article number {i} follows the talks in Geneva.", source="test", kind="text")
        for i in range(n)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["killed", "stalled"])
def test_a_worker_that_dies_or_stalls_is_replaced_and_nothing_is_lost(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(batch, "DEADLINE_MARGIN", 40.0)  # a stalled partition is given up after ~45 s
    path = str(tmp_path / "s.db")
    store = open_store(path, version=extractor_version())
    docs = _articles(160)
    victims: list[int] = []

    def strike() -> None:  # from the side: the ingest itself runs in this test's thread
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            children = [p for p in _workers_of(os.getpid()) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
            if len(children) >= 2:
                reader = open_store(path, version=extractor_version(), readonly=True)
                try:
                    started = reader.done("a20", None)
                finally:
                    reader.close()
                if started:
                    victims.append(children[0])
                    os.kill(children[0], signal.SIGKILL if how == "killed" else signal.SIGSTOP)
                    return
            time.sleep(0.2)

    side = threading.Thread(target=strike)
    side.start()
    try:
        summary = batch.ingest(store, docs, workers=2, budget=Budget(seconds=5, memory_mb=None))
        ids = [r["id"] for r in store.records()]
    finally:
        side.join()
        store.close()
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert victims, "the workers never got going"
    assert summary.new == 160 and summary.error == 0, summary
    assert sorted(ids) == sorted(d.id for d in docs) and len(ids) == len(set(ids))


def test_an_idle_worker_that_stalls_does_not_hang_the_end_of_a_run(monkeypatch: pytest.MonkeyPatch):
    """Found in CI: a worker stopped while it held no partition is never caught by a deadline;
    the other worker finished the run, and shutting the pool down joined the stopped one for
    ever. Closing now gives idle workers a grace period, then kills them."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    monkeypatch.setattr(batch, "CLOSE_GRACE", 2.0)
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    pids: set[int] = set()
    deadline = time.monotonic() + 60
    while len(pids) < 2 and time.monotonic() < deadline:  # both workers up
        pids |= {f.result() for f in [pool.submit(os.getpid) for _ in range(8)]}
    assert len(pids) == 2
    stopped = min(pids)
    os.kill(stopped, signal.SIGSTOP)
    try:
        closer = threading.Thread(target=batch._close, args=(pool,), daemon=True)
        closer.start()
        closer.join(30)
        assert not closer.is_alive(), "closing the pool waited for the stopped worker"
    finally:
        try:
            os.kill(stopped, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_no_orphans_after_kill_9_of_ingest(tmp_path: Path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": f"{GOOD} Number {i}."}) + "\n" for i in range(3000)),
        encoding="utf-8",
    )
    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onrecord.cli",
            "ingest",
            str(tmp_path / "s.db"),
            str(source),
            "--workers",
            "2",
            "--no-progress",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        children: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            children = _workers_of(parent.pid)
            if len([p for p in children if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]) >= 2:
                break
            time.sleep(0.2)
        assert len(children) >= 2, "the workers never started"
        time.sleep(2)
        children = _workers_of(parent.pid)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 20
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [
            p
            for p in alive
            if Path(f"/proc/{p}").exists()
            and "Z" not in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]
        ]
        time.sleep(0.2)
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert not alive, f"still running after their parent died: {alive}"
