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
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from .budget import Budget
from .inputs import InputError, check_published, check_text
from .model import Article, Problem
from .pipeline import extract_many
from .store.base import Added, Extracted, Store

PARTITION = 16  # documents per task: large enough for nlp.pipe batching, small enough to lose little on a kill
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def is_english(doc: Article) -> bool:
    """Unknown language counts as English (plain text and JSONL rarely say); a declared or
    detected other language is recorded and skipped by the English extractors."""
    return not doc.language or doc.language.lower().split("-")[0] == "en"


def _article(doc: Article) -> Article:
    """The article as the pipeline takes it: text checked, a date that is no date dropped and
    recorded as a problem (a bad date is a problem on the record, not a lost article)."""
    try:
        published, problems = check_published(doc.published), doc.problems
    except InputError as err:
        published, problems = None, doc.problems + (Problem("ingest", f"publication date ignored: {err}", None),)
    return replace(doc, text=check_text(doc.text), published=published, problems=problems)


def extract_documents(
    docs: Sequence[Article],
    *,
    model: str | None = None,
    budget: Budget | None = Budget(),
    stages: Sequence[str] | None = None,
) -> list[Extracted]:
    """Extract a partition of Documents; never raises for one bad document. An article whose
    stages go over ``budget`` (time, memory; see budget.py) is an error record naming it."""
    out: list[Extracted | None] = [None] * len(docs)
    todo: list[tuple[int, Article]] = []
    for i, doc in enumerate(docs):
        if doc.error or doc.text is None:
            out[i] = Extracted(doc, None, error=doc.error or "no text")
        elif not is_english(doc):
            out[i] = Extracted(doc, None, skipped=f"language {doc.language}: the extractors read English only")
        else:
            try:
                todo.append((i, _article(doc)))
            except InputError as err:
                out[i] = Extracted(doc, None, error=str(err))
    results = extract_many([a for _, a in todo], model=model, budget=budget, stages=stages)
    for (i, _), result in zip(todo, results):
        if isinstance(result, Exception):
            out[i] = Extracted(docs[i], None, error=str(result))
        else:
            out[i] = Extracted(docs[i], result)
    return [e for e in out if e is not None]


@dataclass
class Summary:
    new: int = 0
    duplicate: int = 0
    error: int = 0
    skipped: int = 0
    already: int = 0  # stored by an earlier run with this extractor version
    seconds: float = 0.0
    errors: list[tuple[str | None, str]] = field(default_factory=list)  # (id, message), the first few

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
        return (
            f"{self.seen:,} document{'' if self.seen == 1 else 's'} in {self.seconds:.1f} s ({rate:.1f}/s): {self.new:,} new, "
            f"{self.duplicate:,} duplicates, {self.already:,} already stored, {self.skipped:,} skipped "
            f"(not English), {self.error:,} errors"
        )


def _chunks(docs: Iterable[Article]) -> Iterator[list[Article]]:
    """The documents in partitions of PARTITION, in order."""
    part: list[Article] = []
    for doc in docs:
        part.append(doc)
        if len(part) >= PARTITION:
            yield part
            part = []
    if part:
        yield part


def _partitions(docs: Iterable[Article], store: Store, summary: Summary, bar: Any) -> Iterator[list[Article]]:
    """The partitions of what the store does not hold yet (what it holds is counted and skipped)."""

    def todo() -> Iterator[Article]:
        for doc in docs:
            if store.done(doc.id, doc.raw_sha256):
                summary.already += 1
                bar.update(1)
            else:
                yield doc

    return _chunks(todo())


_worker_model: str | None = None
_worker_budget: Budget | None = None
_worker_stages: Sequence[str] | None = None
PR_SET_PDEATHSIG = 1
MAX_RESTARTS = 3  # pools lost in a row without a result: then something is wrong with every worker
DEADLINE_MARGIN = 300.0  # seconds a partition may take beyond its budgets (a worker's model load, a slow disk)


def _init_worker(model: str | None, budget: Budget | None, parent: int, stages: Sequence[str] | None = None) -> None:
    global _worker_model, _worker_budget, _worker_stages
    from .language import load

    _die_with_parent(parent)
    _worker_model, _worker_budget, _worker_stages = model, budget, stages
    load(model)  # once per worker, before the first partition arrives


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the ingest that started it (kill -9 of the parent leaves no
    cleanup to run): the kernel kills it when its parent dies (Linux), and a thread checks
    the parent's pid as well, for other systems and for a parent that died before prctl."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass

    def check() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=check, name="onrecord-parent-watch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _work(docs: list[Article]) -> list[Extracted]:
    return extract_documents(docs, model=_worker_model, budget=_worker_budget, stages=_worker_stages)


def extract_stream(
    documents: Iterable[Article],
    write: Any,
    *,
    workers: int,
    model: str | None = None,
    budget: Budget | None = Budget(),
    stages: Sequence[str] | None = None,
) -> None:
    """Extract ``documents`` in worker processes and hand each partition's results to
    ``write`` in input order (``extract --jsonl --workers``: no store, nothing skipped)."""

    _run_pool(_chunks(documents), workers, model, write, budget, stages)


def ingest(
    store: Store,
    documents: Iterable[Article],
    *,
    workers: int = 1,
    model: str | None = None,
    progress: bool | None = None,
    total: int | None = None,
    budget: Budget | None = Budget(),
) -> Summary:
    """Extract and store every document; returns counts. ``workers`` > 1 runs worker processes,
    replaced when they die or stall; ``budget`` bounds each article's stages (budget.py)."""
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
                write(extract_documents(docs, model=model, budget=budget))
        else:
            _run_pool(parts, workers, model, write, budget)
    finally:
        summary.seconds = time.perf_counter() - started
        bar.close()
    return summary


@contextmanager
def _one_thread_each() -> Iterator[None]:
    # numpy's BLAS would start a thread per core in every worker; with a worker per core
    # that oversubscribes the machine. Workers read these at start; the parent's are restored.
    saved = {k: os.environ.get(k) for k in THREAD_VARS}
    os.environ.update(dict.fromkeys(THREAD_VARS, "1"))
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _deadline(docs: list[Article], budget: Budget | None) -> float | None:
    """How long a partition may take before its worker counts as stalled."""
    if budget is None or budget.seconds is None:
        return None
    pieces = sum(max(1, -(-len(d.text or "") // 100_000)) for d in docs)
    return budget.seconds * pieces + DEADLINE_MARGIN


def _run_pool(
    parts: Iterator[list[Article]],
    workers: int,
    model: str | None,
    write: Any,
    budget: Budget | None = None,
    stages: Sequence[str] | None = None,
) -> None:
    # spawn, not fork: the parent holds an open database and tqdm's thread, neither of which
    # a forked child should inherit. Results are written in submission order, so which copy
    # of a duplicated article counts as the first is the same whatever the worker timing.
    context = multiprocessing.get_context("spawn")
    in_flight: deque[tuple[list[Article], Future[list[Extracted]]]] = deque()
    retry: deque[list[Article]] = deque()  # partitions to run again after a lost pool, first
    lost_in_a_row = 0

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(model, budget, os.getpid(), stages)
        )

    with _one_thread_each():
        pool = new_pool()
        try:
            while True:
                while len(in_flight) < 4 * workers:  # bounded: memory does not grow with the input
                    docs = retry.popleft() if retry else next(parts, None)
                    if docs is None:
                        break
                    in_flight.append((docs, pool.submit(_work, docs)))
                if not in_flight:
                    break
                docs, future = in_flight[0]
                try:
                    result = future.result(timeout=_deadline(docs, budget))
                except (BrokenProcessPool, FutureTimeout) as err:
                    stalled = isinstance(err, FutureTimeout)
                    lost_in_a_row += 1
                    if lost_in_a_row > MAX_RESTARTS:
                        _give_up(model, err)
                    _kill(pool)
                    pool = new_pool()
                    lost = [d for d, _f in in_flight]
                    in_flight.clear()
                    head, rest = lost[0], lost[1:]
                    if len(head) > 1:  # run the partition's documents one by one: only the culprit fails
                        retry.extend([d] for d in head)
                    else:
                        what = "stalled (no result within its deadline)" if stalled else "died (out of memory?)"
                        write(
                            [
                                Extracted(
                                    head[0],
                                    None,
                                    error=f"the worker process {what} while extracting this "
                                    "article; it was replaced and the run went on",
                                )
                            ]
                        )
                    retry.extend(rest)
                    continue
                in_flight.popleft()
                lost_in_a_row = 0
                write(result)
        finally:
            for _docs, f in in_flight:
                f.cancel()
            _close(pool)


CLOSE_GRACE = 30.0  # seconds idle workers get to exit once the work is done


def _close(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down, but never wait for ever: a worker that stalled while it held no
    partition (stopped, or stuck before taking one) is never caught by a deadline, and a plain
    shutdown(wait=True) would join it for ever once the other workers finished the run. Idle
    workers get CLOSE_GRACE seconds to exit; the rest are killed."""
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + CLOSE_GRACE
    for process in processes:
        remaining = max(0.0, deadline - time.monotonic())
        if multiprocessing.connection.wait([process.sentinel], timeout=remaining):
            continue
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    """End a pool whose worker died or stalled: its other workers are killed too (their
    partitions are run again), so nothing half-done is kept and no process is left behind."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)  # the dead are reaped by the pool's own thread


def _give_up(model: str | None, err: BaseException) -> None:
    from .language import load

    load(model)  # a model that cannot load is the usual cause: say so plainly
    raise RuntimeError(
        "worker processes keep dying; everything written so far is kept: re-run the same command "
        "to resume, or use --workers 1"
    ) from err
