"""The batch runner: per-document outcomes, bounded memory on endless input, resumption, and
worker processes giving the same records as one process.
Examples are made up for these tests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from onrecord import batch
from onrecord.model import Article, Record
from onrecord.store import Added, Extracted

TEXT = '"The bridge opens in May," said Maria Lopez, the mayor of Riverton.\n'


def doc(i: int, **kw: Any) -> Article:
    fields: dict[str, Any] = {
        "id": f"d{i}",
        "text": TEXT.replace("May", f"May {i % 28 + 1}"),
        "source": "test",
        "kind": "jsonl",
        "raw_sha256": f"{i:064x}",
    }
    fields.update(kw)
    return Article(**fields)


class ListStore:
    """A store stand-in that keeps what it is given and can stop the run after n writes."""

    version = "test"

    def __init__(self, stop_after: int | None = None, done_ids: set[str] | None = None) -> None:
        self.items: list[Extracted] = []
        self.calls = 0
        self.stop_after = stop_after
        self.done_ids = done_ids or set()

    def done(self, doc_id: str, raw_sha256: str | None) -> bool:
        return doc_id in self.done_ids

    def add(self, items: list[Extracted]) -> list[Added]:
        self.calls += 1
        if self.stop_after is not None and self.calls > self.stop_after:
            raise KeyboardInterrupt
        self.items += items
        return [Added(e.document.id, "error" if e.error else "skipped" if e.skipped else "new") for e in items]


def test_each_document_gets_its_own_outcome():
    docs = [
        doc(1, title="Bridge", url="https://example.org/b"),
        Article(id="bad", text=None, source="x", kind="html", error="no article text found"),
        doc(3, language="de", text="Die Brücke wird im Mai eröffnet, sagte die Bürgermeisterin."),
        doc(4, text="   "),
        doc(5, published="2023-02-30"),
    ]
    out = {e.document.id: e for e in batch.extract_documents(docs)}
    assert out["d1"].record is not None and out["d1"].record.to_dict()["title"] == "Bridge"
    assert out["d1"].record.to_dict()["url"] == "https://example.org/b"
    assert out["d1"].record.quotes[0].speaker.name == "Maria Lopez"
    assert out["bad"].error == "no article text found" and out["bad"].record is None
    assert out["d3"].skipped and "de" in out["d3"].skipped and out["d3"].record is None
    assert out["d4"].error and out["d4"].record is None
    assert out["d5"].record is not None and out["d5"].record.published is None
    assert any("publication date" in p.message for p in out["d5"].record.problems)


def test_endless_input_is_read_only_as_fast_as_it_is_stored(monkeypatch: pytest.MonkeyPatch):
    pulled = itertools.count()

    def endless():
        for i in itertools.count():
            next(pulled)
            yield doc(i)

    monkeypatch.setattr(
        batch, "extract_documents", lambda docs, model=None, budget=None: [Extracted(d, stub(d)) for d in docs]
    )
    store = ListStore(stop_after=5)
    with pytest.raises(KeyboardInterrupt):
        batch.ingest(store, endless(), workers=1, progress=False)
    assert len(store.items) == 5 * batch.PARTITION
    assert next(pulled) <= 6 * batch.PARTITION + 1


def test_what_is_stored_already_is_skipped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(
        batch, "extract_documents", lambda docs, model=None, budget=None: [Extracted(d, stub(d)) for d in docs]
    )
    store = ListStore(done_ids={"d0", "d2"})
    summary = batch.ingest(store, (doc(i) for i in range(5)), workers=1, progress=False)
    assert summary.already == 2 and summary.new == 3
    assert [e.document.id for e in store.items] == ["d1", "d3", "d4"]


def stub(d: Article) -> Record:
    return Record(d.id, d.text or "", None, "", {})


def _comparable(record: Record | None) -> dict[str, Any]:
    return {k: v for k, v in (record.to_dict() if record else {}).items() if k not in ("captured_at",)}


def test_two_worker_processes_store_the_same_records_in_the_same_order():
    docs = [doc(i) for i in range(40)]
    one, two = ListStore(), ListStore()
    batch.ingest(one, docs, workers=1, progress=False)
    summary = batch.ingest(two, docs, workers=2, progress=False)
    assert summary.new == 40
    assert [e.document.id for e in two.items] == [e.document.id for e in one.items]
    assert [_comparable(e.record) for e in two.items] == [_comparable(e.record) for e in one.items]
