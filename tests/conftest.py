"""Shared fixtures: one parsed reference record per session, the shared dev data when present."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import onrecord
from onrecord.model import Record
from onrecord.schema import record_schema

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"
EXAMPLE = HERE.parent / "src" / "onrecord" / "examples" / "xinjiang-2022-01-14.txt"


@pytest.fixture(scope="session")
def record_validator() -> object:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(record_schema())


@pytest.fixture(autouse=True, scope="session")
def every_record_fits_the_schema(record_validator: object) -> Iterator[None]:
    """Every record the suite produces (each ``Record.to_dict()``, which the CLI, the store and
    the exports all go through) is checked against the published JSON Schema as it is made."""
    made = Record.to_dict

    def checked(self: Record) -> dict:
        out = made(self)
        errors = sorted(record_validator.iter_errors(out), key=lambda e: list(e.path))  # type: ignore[attr-defined]
        assert not errors, (
            f"record {out.get('id')!r} does not fit the schema: {errors[0].message} at {list(errors[0].path)}"
        )
        return out

    Record.to_dict = checked  # type: ignore[method-assign]
    yield
    Record.to_dict = made  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_record(seed_text: str) -> dict:
    return onrecord.extract(seed_text, published="2022-01-14", id="seed").to_dict()


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    return json.loads((HERE / "fixtures" / "xinjiang-gold.json").read_text(encoding="utf-8"))


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test cleanly where shared/ is not laid out."""
    path = SHARED.joinpath(*parts)
    if not path.exists() and os.environ.get("CI") == "true":
        pytest.fail(f"{path} not present: CI must run beside ../shared (the accuracy gate cannot be skipped there)")
    if not path.exists():
        pytest.skip(f"{path} not present (shared data is only beside the project checkout)")
    return path


def assert_spans_are_evidence(record: dict) -> None:
    """Every quote span, speaker mention and cue is exactly the text it claims to be."""
    text = record["text"]
    for q in record["quotes"]:
        assert q["text"] == " ... ".join(text[s["start"] : s["end"]] for s in q["spans"])
        mention = q["speaker"]["mention"]
        if mention:
            assert text[mention["start"] : mention["end"]] == mention["text"]
        if q["cue"]:
            assert text[q["cue"]["start"] : q["cue"]["end"]] == q["cue"]["text"]


@contextmanager
def watchdog(seconds: int, what: str = "the extractor hangs on this input") -> Iterator[None]:
    """Fail instead of hanging the suite (a hang guard, not a speed target)."""

    def stop(_signum: int, _frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: {what}")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
