"""Poison pills: input lines and records that once aborted a run (issue 9, found as bugs).

Each becomes an error record at its position and the run goes on; output stays strict JSON
that line-splitting readers can split; decompressed payloads stop at a cap.
"""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

import onrecord
from onrecord import jsonlines
from onrecord.cli import main
from onrecord.ingest import common
from onrecord.ingest import jsonl as jsonl_module
from onrecord.ingest import warc as warc_module
from onrecord.ingest.jsonl import iter_jsonl

GOOD = '"We will win, and we will win fairly," said John Smith, the mayor of Springfield.'
POISON = {
    "lone surrogate": b'{"id": "s", "text": "A \\ud800 B said the mayor."}',
    "deep nesting": b'{"id": "d", "text": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "NaN": b'{"id": "n", "text": "The mayor spoke.", "score": NaN}',
    "Infinity": b'{"id": "i", "text": "The mayor spoke.", "score": -Infinity}',
}


def good_line(i: str) -> bytes:
    return json.dumps({"id": i, "text": GOOD, "published": "2022-01-14"}).encode()


def strict(line: str) -> dict:
    """Parse one output line as strict JSON, with no line separator of any kind inside it."""
    assert len(line.splitlines()) == 1, "a character str.splitlines breaks on is inside the line"

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the output: not JSON")

    return json.loads(line, parse_constant=refuse)


@pytest.mark.parametrize("name", list(POISON))
def test_cli_jsonl_poison_line_is_an_error_record_and_the_run_goes_on(tmp_path: Path, name: str):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([good_line("before"), POISON[name], good_line("after")]) + b"\n")
    result = CliRunner().invoke(main, ["extract", "--jsonl", str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    records = [strict(line) for line in result.stdout.split("\n") if line]
    assert [r["id"] for r in records] == ["before", POISON[name].split(b'"')[3].decode(), "after"]
    assert "error" not in records[0] and "error" not in records[2] and records[2]["quotes"]
    assert "line 2" in records[1]["error"] and "refused" in records[1]["error"]


@pytest.mark.parametrize("name", list(POISON))
def test_ingest_jsonl_poison_line_is_an_error_document(name: str):
    docs = list(iter_jsonl(io.BytesIO(b"\n".join([good_line("a"), POISON[name], good_line("b")])), name="in.jsonl"))
    assert [d.id for d in docs] == ["a", POISON[name].split(b'"')[3].decode(), "b"]
    assert docs[1].text is None and "line 2 of in.jsonl is refused" in docs[1].error
    assert docs[0].text == GOOD and docs[2].text == GOOD


def test_library_refuses_a_lone_surrogate_with_an_input_error():
    with pytest.raises(onrecord.InputError, match="lone surrogate"):
        onrecord.extract("The mayor \ud800 said so.")


def test_an_overlong_line_is_skipped_without_holding_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(jsonl_module, "MAX_BYTES", 10_000)
    long_line = b'{"id": "long", "text": "' + b"x" * 50_000 + b'"}'
    docs = list(iter_jsonl(io.BytesIO(b"\n".join([good_line("a"), long_line, good_line("b")]) + b"\n"), name="f"))
    assert [d.id for d in docs] == ["a", "f#2", "b"] and "line 2 of f is over 10,000 bytes" in docs[1].error
    # the same through the CLI
    import onrecord.cli as cli_module

    monkeypatch.setattr(cli_module, "MAX_BYTES", 10_000)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join([good_line("a"), long_line, good_line("b")]))
    result = CliRunner().invoke(main, ["extract", "--jsonl", str(path), "--no-progress"])
    records = [strict(line) for line in result.stdout.splitlines()]
    assert [r.get("error", "ok")[:22] for r in records] == ["ok", "line 2 is over 10,000 ", "ok"]


def test_bounded_lines_never_reads_more_than_the_limit_at_once():
    stream = io.BytesIO(b"short\n" + b"y" * 1_000_000 + b"\nlast")
    tracemalloc.start()
    lines = list(common.bounded_lines(stream, limit=1000))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert lines == [b"short\n", None, b"last"]
    assert peak < 300_000, peak


def test_output_lines_are_strict_json_and_escape_line_separators(tmp_path: Path):
    text = f"{GOOD}\u2028Second part\u2029third\x85 and a form\x0cfeed."
    path = tmp_path / "in.jsonl"
    path.write_bytes(json.dumps({"id": "seps", "text": text}).encode() + b"\n")
    result = CliRunner().invoke(main, ["extract", "--jsonl", str(path), "--no-progress"])
    [line] = result.stdout.splitlines()
    record = strict(line)
    assert record["text"] == text
    assert "\\u2028" in line and "\\u2029" in line and "\\u0085" in line


def test_non_finite_numbers_become_null():
    line = jsonlines.dumps({"a": float("nan"), "b": [1.5, float("inf")], "c": "x\u2028y"})
    assert strict(line) == {"a": None, "b": [1.5, None], "c": "x\u2028y"}


def warc_bytes(records: list[tuple[str, bytes | int]]) -> bytes:
    """A .warc.gz of HTML responses, one gzip member per record, written by hand (warcio's
    writer leaves temporary files open). An int payload is that many zero bytes, streamed."""
    out = io.BytesIO()
    for n, (url, payload) in enumerate(records):
        size = payload if isinstance(payload, int) else len(payload)
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2022-01-14T00:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http) + size}\r\n\r\n"
        )
        with gzip.GzipFile(fileobj=out, mode="wb") as member:
            member.write(head.encode() + http)
            if isinstance(payload, int):
                block = b"\0" * (1 << 20)
                for _ in range(payload // len(block)):
                    member.write(block)
                member.write(b"\0" * (payload % len(block)))
            else:
                member.write(payload)
            member.write(b"\r\n\r\n")
    return out.getvalue()


def test_a_warc_gzip_bomb_is_an_error_document_and_reading_goes_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(warc_module, "MAX_BYTES", 2_000_000)
    page = b"<html><head><title>Real</title></head><body><p>" + b"A real story. " * 50 + b"</p></body></html>"
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(warc_bytes([("https://bomb.example/", 300_000_000), ("https://ok.example/", page)]))
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    docs = list(warc_module.read_warc_file(path))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [d.url for d in docs] == ["https://bomb.example/", "https://ok.example/"]
    assert docs[0].text is None and "over 2,000,000 bytes once decompressed" in docs[0].error
    assert docs[1].text and "A real story." in docs[1].text
    # warcio inflates one 16 KB gzip block at a time (up to ~16 MB of zeros each): memory is
    # bounded by that and by the cap, not by the 300 MB the record expands to
    assert peak < 150_000_000, f"peak {peak:,} bytes: the bomb was held in memory"


def test_files_over_the_cap_are_not_read_whole(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 100_000)
    assert common.read_file_capped(path, limit=10_000) is None
    assert common.read_file_capped(path, limit=1_000_000) == b"word " * 100_000


def test_gzip_jsonl_bomb_line_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(jsonl_module, "MAX_BYTES", 1_000_000)
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as f:
        f.write(
            good_line("a") + b"\n" + b'{"id": "z", "text": "' + b"0" * 30_000_000 + b'"}\n' + good_line("b") + b"\n"
        )
    docs = list(jsonl_module.read_jsonl_file(path))
    assert [d.text is not None for d in docs] == [True, False, True]


def test_ingest_exits_non_zero_when_every_document_fails(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"not json\n" + POISON["NaN"] + b"\n")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "s.db"), str(path), "--workers", "1", "--no-progress"])
    assert result.exit_code == 1 and "all 2 documents failed" in result.stderr
    assert "Traceback" not in result.stderr
