"""The user's cache folder for tables onrecord derives from its data packages.

Deriving them takes from a tenth of a second (pint's unit definitions) to 25 s (the
gazetteer) per process; a kept copy is read instead. Everything here is a copy that can be
rebuilt: a folder that cannot be written, or a file that cannot be read, is skipped, never an
error. ``XDG_CACHE_HOME`` moves the folder (as on every freedesktop system).
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def folder(name: str = "") -> Path:
    """``~/.cache/onrecord[/name]`` (not created)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onrecord"
    return root / name if name else root


def kept(name: str, kind: type[T], build: Callable[[], T]) -> T:
    """The ``kind`` object kept in the cache folder as ``name`` (a pickle), or else ``build()``,
    kept there for the next process. ``name`` must change whenever what build() reads does
    (a data package's version, the code's own version of the table)."""
    path = folder(name)
    try:
        with path.open("rb") as f, _no_collection():
            found = pickle.load(f)
        if isinstance(found, kind):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        pass
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    except OSError:
        pass
    return built


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cycle collector paused while a table is unpickled: plain rows hold no cycles, and
    collecting as a quarter of a million of them arrive (the gazetteer) more than doubles the
    load (0.57 s against 0.24 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
