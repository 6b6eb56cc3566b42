"""A time and memory budget for the stages of one article, in every batch path.

Every stage is meant to run in linear time, but a batch of a million articles must not stall
on the one input nobody foresaw. So the stage analysis of each piece of an article (the
article itself, or each 100,000 characters of a longer one) runs under a budget:

- time: a real-time interval timer (``signal.setitimer``) whose handler raises
  ``BudgetExceeded`` in the main thread, between two bytecodes of whatever stage is running;
- memory: a watcher thread reads the process's resident memory every 50 ms and, past the
  limit, interrupts the main thread the same way (``_thread.interrupt_main`` with SIGUSR1).

The article then becomes an error record naming the budget, the memory it held is freed with
its objects, and the run goes on. Both need the main thread of the process (the CLI, and each
worker process of ``ingest``); elsewhere (a library call from a web server's thread) the
budget is not enforced, and ``watch`` says so by returning without arming anything.

The parse itself (spaCy, compiled code) is not interrupted: it is linear and each piece is at
most 100,000 characters. A worker stuck outside Python is caught by batch.py instead, which
replaces a worker that gives no result within its partition's deadline.
"""

from __future__ import annotations

import _thread
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

DEFAULT_SECONDS = 120.0  # per piece: the slowest real 100,000-character piece measured took ~6 s
DEFAULT_MEMORY_MB = 4096  # resident memory of the process: a 10 MB article peaks under 2.5 GB
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class BudgetExceeded(Exception):
    """The stages of one article went over their budget."""


@dataclass(frozen=True)
class Budget:
    """Limits for the stages of one article piece; None turns a limit off."""

    seconds: float | None = DEFAULT_SECONDS
    memory_mb: float | None = DEFAULT_MEMORY_MB

    def time_message(self) -> str:
        return (
            f"extraction stopped: over the {self.seconds:g} s time budget per article (per 100,000 "
            "characters of a longer one); raise it with --article-timeout"
        )

    def memory_message(self) -> str:
        return (
            f"extraction stopped: the process went over the {self.memory_mb:g} MB memory budget while "
            "extracting this article; raise it with --article-memory"
        )


UNLIMITED = Budget(None, None)


def resident_mb() -> float:
    """Resident memory of this process in MB (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


@contextmanager
def watch(budget: Budget | None) -> Iterator[None]:
    """Run the body under ``budget``; raises BudgetExceeded when it is spent."""
    if (
        budget is None
        or (budget.seconds is None and budget.memory_mb is None)
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def over_time(_signum: int, _frame: FrameType | None) -> None:
        raise BudgetExceeded(budget.time_message())

    def over_memory(_signum: int, _frame: FrameType | None) -> None:
        raise BudgetExceeded(budget.memory_message())

    saved_alarm = signal.signal(signal.SIGALRM, over_time) if budget.seconds else None
    saved_usr1 = signal.signal(signal.SIGUSR1, over_memory) if budget.memory_mb else None
    done = threading.Event()
    watcher = None
    if budget.memory_mb:
        limit = budget.memory_mb

        def poll() -> None:
            while not done.wait(0.05):
                if resident_mb() > limit:
                    _thread.interrupt_main(signal.SIGUSR1)
                    return

        watcher = threading.Thread(target=poll, name="onrecord-memory-budget", daemon=True)
        watcher.start()
    if budget.seconds:
        # then once a second: a library that swallows exceptions (warcio retries a bad read)
        # meets the budget again at its next bytecode, until the stage gives up
        signal.setitimer(signal.ITIMER_REAL, budget.seconds, 1.0)
    try:
        yield
    finally:
        if budget.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
        done.set()
        if watcher is not None:
            watcher.join()
        if saved_alarm is not None:
            signal.signal(signal.SIGALRM, saved_alarm)
        if saved_usr1 is not None:
            signal.signal(signal.SIGUSR1, saved_usr1)
