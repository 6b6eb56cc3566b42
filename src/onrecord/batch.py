"""Batch extraction: Documents in, stored records out, on every core.

The per-article work is one plain function, ``extract_documents``, over a list of Documents
(a partition). Here it runs in local worker processes, each loading the model once; a
distributed engine can run the same function across machines (Spark's ``mapPartitions``,
Dask's ``map_partitions``, Ray's ``map_batches``) and hand the results to a Store.

The main process reads the sources, skips what the store already holds (so a killed run
resumes where it stopped), keeps a bounded number of partitions in flight (memory stays
flat on a million-line input) and writes each finished partition in one transaction.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from .ingest.document import Document
from .pipeline import Article, InputError, check_published, check_text, extract_many
from .store.base import Added, Extracted, Store

PARTITION = 16          # documents per task: large enough for nlp.pipe batching, small enough to lose little on a kill
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
META_FIELDS = ("title", "url", "author", "source", "kind", "language", "raw_sha256", "captured_at")


def is_english(doc: Document) -> bool:
    """Unknown language counts as English (plain text and JSONL rarely say); a declared or
    detected other language is recorded and skipped by the English extractors."""
    return not doc.language or doc.language.lower().split("-")[0] == "en"


def _article(doc: Document) -> tuple[Article, list[dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    try:
        published = check_published(doc.published)
    except InputError as err:           # a bad date is a problem on the record, not a lost article
        published = None
        problems.append({"stage": "ingest", "message": f"publication date ignored: {err}", "start": None})
    meta = {k: getattr(doc, k) for k in META_FIELDS if getattr(doc, k) is not None}
    meta.update({k: v for k, v in doc.meta.items() if k not in meta and k != "id"})
    return Article(check_text(doc.text), doc.id, published, meta), problems


def extract_documents(docs: Sequence[Document], *, model: str | None = None) -> list[Extracted]:
    """Extract a partition of Documents; never raises for one bad document."""
    out: list[Extracted | None] = [None] * len(docs)
    todo: list[tuple[int, Article, list[dict[str, Any]]]] = []
    for i, doc in enumerate(docs):
        if doc.error or doc.text is None:
            out[i] = Extracted(doc, None, error=doc.error or "no text")
        elif not is_english(doc):
            out[i] = Extracted(doc, None, skipped=f"language {doc.language}: the extractors read English only")
        else:
            try:
                article, problems = _article(doc)
            except InputError as err:
                out[i] = Extracted(doc, None, error=str(err))
                continue
            todo.append((i, article, problems))
    results = extract_many([a for _, a, _ in todo], model=model)
    for (i, _, problems), result in zip(todo, results):
        if isinstance(result, Exception):
            out[i] = Extracted(docs[i], None, error=str(result))
        else:
            record = result.to_dict()
            record["problems"] = problems + record["problems"]
            out[i] = Extracted(docs[i], record)
    return [e for e in out if e is not None]


@dataclass
class Summary:
    new: int = 0
    duplicate: int = 0
    error: int = 0
    skipped: int = 0
    already: int = 0            # stored by an earlier run with this extractor version
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)   # (id, message), the first few

    @property
    def seen(self) -> int:
        return self.new + self.duplicate + self.error + self.skipped + self.already

    def count(self, added: Sequence[Added], items: Sequence[Extracted]) -> None:
        for a, item in zip(added, items):
            setattr(self, a.status, getattr(self, a.status) + 1)
            if a.status == "error" and len(self.errors) < 20:
                self.errors.append((item.document.id, item.error or item.document.error or ""))

    def line(self) -> str:
        rate = self.seen / self.seconds if self.seconds else 0.0
        return (f"{self.seen:,} document{'' if self.seen == 1 else 's'} in {self.seconds:.1f} s ({rate:.1f}/s): {self.new:,} new, "
                f"{self.duplicate:,} duplicates, {self.already:,} already stored, {self.skipped:,} skipped "
                f"(not English), {self.error:,} errors")


def _partitions(docs: Iterable[Document], store: Store, summary: Summary, bar: Any) -> Iterator[list[Document]]:
    part: list[Document] = []
    for doc in docs:
        if store.done(doc.id, doc.raw_sha256):
            summary.already += 1
            bar.update(1)
            continue
        part.append(doc)
        if len(part) >= PARTITION:
            yield part
            part = []
    if part:
        yield part


_worker_model: str | None = None


def _init_worker(model: str | None) -> None:
    global _worker_model
    from .language import load
    _worker_model = model
    load(model)                 # once per worker, before the first partition arrives


def _work(docs: list[Document]) -> list[Extracted]:
    return extract_documents(docs, model=_worker_model)


def ingest(store: Store, documents: Iterable[Document], *, workers: int = 1, model: str | None = None,
           progress: bool | None = None, total: int | None = None) -> Summary:
    """Extract and store every document; returns counts. ``workers`` > 1 runs worker processes."""
    from tqdm import tqdm

    from .language import require

    require(model)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=total, unit=" docs", file=sys.stderr, disable=not show, smoothing=0.05)
    started = time.perf_counter()

    def write(part: list[Extracted]) -> None:
        summary.count(store.add(part), part)
        bar.update(len(part))

    try:
        parts = _partitions(documents, store, summary, bar)
        if workers <= 1:
            for docs in parts:
                write(extract_documents(docs, model=model))
        else:
            _run_pool(parts, workers, model, write)
    finally:
        summary.seconds = time.perf_counter() - started
        bar.close()
    return summary


@contextmanager
def _one_thread_each() -> Iterator[None]:
    # numpy's BLAS would start a thread per core in every worker; with a worker per core
    # that oversubscribes the machine. Workers read these at start; the parent's are restored.
    saved = {k: os.environ.get(k) for k in THREAD_VARS}
    os.environ.update({k: "1" for k in THREAD_VARS})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run_pool(parts: Iterator[list[Document]], workers: int, model: str | None, write: Any) -> None:
    # spawn, not fork: the parent holds an open database and tqdm's thread, neither of which
    # a forked child should inherit. Results are written in submission order, so which copy
    # of a duplicated article counts as the first is the same whatever the worker timing.
    context = multiprocessing.get_context("spawn")
    in_flight: deque[Future[list[Extracted]]] = deque()
    with _one_thread_each(), ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                                                 initargs=(model,)) as pool:
        try:
            for docs in parts:
                in_flight.append(pool.submit(_work, docs))
                while len(in_flight) >= 4 * workers:      # bounded: memory does not grow with the input
                    write(in_flight.popleft().result())
            while in_flight:
                write(in_flight.popleft().result())
        except BrokenProcessPool as err:
            from .language import load
            load(model)         # a model that cannot load is the usual cause: say so plainly
            raise RuntimeError("a worker process died (out of memory?); everything written so far is kept: "
                               "re-run the same command to resume, or use --workers 1") from err
        finally:
            for f in in_flight:
                f.cancel()
