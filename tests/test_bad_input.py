"""Input that is wrong, odd or huge: clear errors (exit 1, nothing on stdout), JSONL lines that
fail in place without ending the run, a 10 MB article in bounded memory, and a quote mark that
is never closed.

Everything is built here with tmp_path; the CLI runs in-process through CliRunner, except the
10 MB article, which runs in a child process so its peak memory can be measured on its own.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import onrecord
from onrecord.cli import main

from .conftest import assert_spans_are_evidence

GOOD = '"We will win, and we will win fairly," said John Smith, the mayor of Springfield.\n'


def run(args: list[str], input: str | bytes | None = None):
    result = CliRunner().invoke(main, args, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def assert_error(result, *words: str, code: int = 1) -> str:
    """A clean failure: the exit code, nothing on stdout, one `Error:` message naming ``words``."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.lower()
    for word in words:
        assert word.lower() in message, (word, result.stderr)
    return result.stderr


# ---------------------------------------------------------------------------- one article file


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    err = assert_error(run(["extract", str(path)]), "empty")
    assert err.startswith("Error: ")
    assert str(path) in err  # says which input


def test_whitespace_only_file(tmp_path: Path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\r\n   \n")
    assert_error(run(["extract", str(path)]), "empty")


def test_empty_stdin():
    assert_error(run(["extract", "-"], input=b""), "empty", "standard input")


def test_png_is_reported_as_binary(tmp_path: Path):
    path = tmp_path / "photo.txt"  # the name does not matter: the bytes do
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
        + bytes(range(256)) * 4
    )
    assert_error(run(["extract", str(path)]), "binary")


def test_nul_bytes_after_the_sniffed_prefix_are_still_binary(tmp_path: Path):
    # the CLI sniffs the first 8 KB; a NUL further in must still be caught
    path = tmp_path / "late-nul.txt"
    path.write_bytes(GOOD.encode() * 200 + b"\x00\x00\x00" + GOOD.encode())
    assert len(GOOD.encode()) * 200 > 8192
    assert_error(run(["extract", str(path)]), "binary")


def test_nul_bytes_on_stdin_and_with_an_explicit_encoding():
    assert_error(run(["extract", "-"], input=b"abc\x00def said Bob."), "binary")
    assert_error(run(["extract", "-", "--encoding", "latin-1"], input=b"abc\x00def said Bob."), "binary")


LATIN1 = 'Caf\u00e9 owner Ren\u00e9 Dupont said, "We will stay open until the end of the ann\u00e9e."\n'


def test_latin1_file_is_refused_with_a_hint(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(LATIN1.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    err = assert_error(run(["extract", str(path)]), "--encoding", "utf-8")
    assert "latin-1" in err or "cp1252" in err


def test_latin1_file_with_encoding_keeps_the_decoded_text_exactly(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(LATIN1.encode("latin-1"))
    result = run(["extract", str(path), "--encoding", "latin-1", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["text"] == LATIN1 == path.read_bytes().decode("latin-1")
    [quote] = record["quotes"]
    assert quote["speaker"]["name"] == "Ren\u00e9 Dupont"
    assert quote["text"] == "We will stay open until the end of the ann\u00e9e."
    span = quote["spans"][0]
    assert record["text"][span["start"] : span["end"]] == quote["text"]


def test_cp1252_curly_quotes_with_encoding(tmp_path: Path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(b"\x93Prices will fall,\x94 said Maria Garcia, the finance minister.\n")
    assert_error(run(["extract", str(path)]), "--encoding")
    result = run(["extract", str(path), "--encoding", "cp1252", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["text"].startswith("\u201cPrices will fall,\u201d")
    assert [q["speaker"]["name"] for q in record["quotes"]] == ["Maria Garcia"]


def test_wrong_explicit_encoding(tmp_path: Path):
    path = tmp_path / "utf8.txt"
    path.write_bytes("\u201cDone,\u201d said Bob.\n".encode("utf-8"))
    assert_error(run(["extract", str(path), "--encoding", "ascii"]), "ascii", "--encoding")


def test_unknown_encoding_name(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    assert_error(run(["extract", str(path), "--encoding", "klingon-8"]), "unknown encoding", "klingon-8")


def test_unknown_encoding_name_in_jsonl_mode(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    assert_error(run(["extract", "--jsonl", str(path), "--encoding", "klingon-8"]), "unknown encoding")


def test_missing_file(tmp_path: Path):
    missing = tmp_path / "nope.txt"
    assert_error(run(["extract", str(missing)]), "no such file", "nope.txt")
    assert_error(run(["extract", "--jsonl", str(missing)]), "no such file", "nope.txt")


def test_directory(tmp_path: Path):
    assert_error(run(["extract", str(tmp_path)]), "folder", str(tmp_path))


def test_directory_in_jsonl_mode_is_called_a_folder(tmp_path: Path):
    err = assert_error(run(["extract", "--jsonl", str(tmp_path)]), str(tmp_path))
    assert "no such file" not in err.lower()


@pytest.mark.parametrize("value", ["2022-13-01", "2022-02-30", "yesterday", "14/01/2022", "2022-1-5"])
def test_bad_published_is_a_usage_error(tmp_path: Path, value: str):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    result = run(["extract", str(path), "--published", value])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--published" in result.stderr and "YYYY-MM-DD" in result.stderr


def test_library_refuses_bad_input():
    for text in ("", " \n\t ", "said Bob.\x00"):
        with pytest.raises(onrecord.InputError):
            onrecord.extract(text)
    with pytest.raises(onrecord.InputError, match="YYYY-MM-DD"):
        onrecord.extract(GOOD, published="2022-02-30")
    with pytest.raises(onrecord.InputError):
        onrecord.extract(b"bytes are not text")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- JSONL


def jsonl_run(tmp_path: Path, lines: list[bytes], *extra: str) -> list[dict]:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = run(["extract", "--jsonl", str(path), "--no-progress", *extra])
    assert result.exit_code == 0, result.stderr  # bad lines do not end the run
    assert result.stderr == ""
    return [json.loads(line) for line in result.stdout.splitlines()]


def line(**obj) -> bytes:
    return json.dumps(obj).encode()


def test_jsonl_malformed_line_between_good_ones(tmp_path: Path):
    records = jsonl_run(
        tmp_path,
        [
            line(id="first", text=GOOD),
            b'{"id": "broken", "text": "unterminated',
            line(id="last", text='"Nobody expected this," said Wei Chen.\n'),
        ],
    )
    assert len(records) == 3
    assert [r["id"] for r in records] == ["first", "broken", "last"]
    assert set(records[1]) == {"id", "error"}
    assert "line 2" in records[1]["error"] and "JSON" in records[1]["error"]
    assert "error" not in records[0] and "error" not in records[2]
    assert [q["speaker"]["name"] for q in records[0]["quotes"]] == ["John Smith"]
    assert [q["speaker"]["name"] for q in records[2]["quotes"]] == ["Wei Chen"]


def test_jsonl_malformed_line_with_a_numeric_id(tmp_path: Path):
    records = jsonl_run(tmp_path, [line(id=1, text=GOOD), b'{"id": 2, "text": oops}', line(id=3, text=GOOD)])
    assert [r["id"] for r in records] == [1, 2, 3]
    assert "error" in records[1]


def test_jsonl_malformed_line_without_a_readable_id(tmp_path: Path):
    records = jsonl_run(tmp_path, [line(id="a", text=GOOD), b"not json at all", line(id="c", text=GOOD)])
    assert len(records) == 3
    assert records[1]["id"] == f"{tmp_path / 'in.jsonl'}:2"  # file:line stands in for the id
    assert "error" in records[1]
    assert [records[0]["id"], records[2]["id"]] == ["a", "c"]


def test_jsonl_line_without_text(tmp_path: Path):
    records = jsonl_run(
        tmp_path,
        [
            line(id="a", text=GOOD),
            line(id="no-text", published="2024-01-01"),
            line(id="null-text", text=None),
            line(id="blank", text="   "),
            line(id="c", text=GOOD),
        ],
    )
    assert [r["id"] for r in records] == ["a", "no-text", "null-text", "blank", "c"]
    for r in records[1:4]:
        assert set(r) == {"id", "error"}
    assert "text" in records[1]["error"] and "line 2" in records[1]["error"]
    assert "empty" in records[3]["error"]


def test_jsonl_line_with_a_non_utf8_byte(tmp_path: Path):
    records = jsonl_run(
        tmp_path,
        [line(id="a", text=GOOD), b'{"id": "latin", "text": "Caf\xe9 owner said hi."}', line(id="c", text=GOOD)],
    )
    assert [r["id"] for r in records] == ["a", "latin", "c"]
    assert "--encoding" in records[1]["error"] and "line 2" in records[1]["error"]
    assert "error" not in records[2]


def test_jsonl_whole_file_in_latin1_with_encoding(tmp_path: Path):
    text = 'Ren\u00e9 Dupont said, "We will stay open."\n'
    records = jsonl_run(
        tmp_path, [json.dumps({"id": "x", "text": text}, ensure_ascii=False).encode("latin-1")], "--encoding", "latin-1"
    )
    assert records[0]["text"] == text
    assert records[0]["quotes"][0]["speaker"]["name"] == "Ren\u00e9 Dupont"


def test_jsonl_non_object_lines(tmp_path: Path):
    records = jsonl_run(
        tmp_path, [line(id="a", text=GOOD), b"[1, 2]", b'"just a string"', b"42", line(id="e", text=GOOD)]
    )
    assert len(records) == 5
    assert [r["id"] for r in (records[0], records[4])] == ["a", "e"]
    for n, r in zip((2, 3, 4), records[1:4]):
        assert r["id"] == f"{tmp_path / 'in.jsonl'}:{n}"
        assert "JSON object" in r["error"]


def test_jsonl_bad_published_on_one_line(tmp_path: Path):
    records = jsonl_run(tmp_path, [line(id="a", text=GOOD, published="someday"), line(id="b", text=GOOD)])
    assert records[0]["id"] == "a" and "YYYY-MM-DD" in records[0]["error"]
    assert "error" not in records[1]


def test_jsonl_empty_lines_are_skipped(tmp_path: Path):
    records = jsonl_run(tmp_path, [b"", line(id="a", text=GOOD), b"", b"   ", b"\t", line(id="b", text=GOOD), b""])
    assert [r["id"] for r in records] == ["a", "b"]
    assert all("error" not in r for r in records)


def test_jsonl_crlf_line_endings(tmp_path: Path):
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(line(id="a", text=GOOD) + b"\r\n" + b"\r\n" + line(id="b", text=GOOD) + b"\r\n")
    result = run(["extract", "--jsonl", str(path), "--no-progress"])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a", "b"]


def test_jsonl_with_a_byte_order_mark(tmp_path: Path):
    records = jsonl_run(tmp_path, [b"\xef\xbb\xbf" + line(id="a", text=GOOD), line(id="b", text=GOOD)])
    assert [r["id"] for r in records] == ["a", "b"]
    assert all("error" not in r for r in records)


def test_jsonl_empty_file_is_an_error(tmp_path: Path):
    # found as a bug: an empty JSONL file exited 0 without a word
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"\n\n")
    assert_error(run(["extract", "--jsonl", str(path), "--no-progress"]), "holds no articles")
    assert_error(run(["extract", "--jsonl", "-", "--no-progress"], input=b""), "stdin holds no articles")


# ---------------------------------------------------------------------------- an unclosed quotation mark


def test_unclosed_quote_is_a_problem_and_other_quotes_survive():
    text = (
        '"We will win, and we will win fairly," said John Smith, the mayor of Springfield.\n'
        'Maria Garcia said the talks had collapsed. "The deal is dead and nobody will revive it, she told reporters.\n'
        "The council met on Monday to discuss the budget.\n"
        '"Nobody expected this," said Wei Chen, a local shop owner.\n'
    )
    record = onrecord.extract(text).to_dict()
    unclosed = text.index('"The deal')
    marks = [p for p in record["problems"] if p["stage"] == "quotemarks"]
    assert len(marks) == 1
    assert marks[0]["start"] == unclosed
    assert "closed" in marks[0]["message"]
    by_speaker = {q["speaker"]["name"]: q["text"] for q in record["quotes"] if q["kind"] == "direct"}
    assert by_speaker["John Smith"] == "We will win, and we will win fairly,"
    assert by_speaker["Wei Chen"] == "Nobody expected this,"
    # the unclosed passage runs to its paragraph's end, not into the next paragraph
    late = [q for q in record["quotes"] if q["spans"][0]["start"] == unclosed + 1]
    assert late and late[0]["spans"][-1]["end"] <= text.index("\nThe council")
    for q in record["quotes"]:
        assert q["text"] == " ... ".join(text[s["start"] : s["end"]] for s in q["spans"])


# ---------------------------------------------------------------------------- a 10 MB article

NAMES = [
    "John Smith",
    "Maria Garcia",
    "Wei Chen",
    "Fatima Khan",
    "Peter Novak",
    "Aisha Bello",
    "Lars Eriksson",
    "Ana Costa",
    "Rupert Colville",
    "Grace Mensah",
    "Tomas Horvat",
]
ROLES = [
    "the mayor",
    "a spokeswoman for the health ministry",
    "the union leader",
    "the finance minister",
    "an analyst at Barclays",
    "the head of the port authority",
    "a local shop owner",
]
PLACES = ["Lisbon", "Nairobi", "Oslo", "Toronto", "Manila", "Lima", "Krakow", "Accra"]
TOPICS = [
    "the budget",
    "the new rail line",
    "water prices",
    "the hospital strike",
    "the port expansion",
    "school closures",
    "the flood defences",
]


def sentences(i: int) -> list[str]:
    """A short news paragraph: reported speech, direct quotes and plain narrative, varied by ``i``."""
    a, b = NAMES[i % len(NAMES)], NAMES[(i * 7 + 3) % len(NAMES)]
    role, place, topic = ROLES[i % len(ROLES)], PLACES[i % len(PLACES)], TOPICS[(i // 3) % len(TOPICS)]
    n, year = i % 17 + 2, 1990 + i % 35
    return [
        [
            f'"We will win, and we will win fairly," said {a}, {role}, on Tuesday in {place}.',
            f"Turnout in {place} rose by {n} percent compared with {year}.",
        ],
        [
            f"Officials in {place} met on Monday to discuss {topic}, which has been delayed {n} times since {year}.",
            f"The proposal would cost about {n * 40} million dollars over a decade.",
        ],
        [
            f'"The numbers simply do not add up," {b} said.',
            f'"Nobody in {place} believes {topic} can be finished by {year + 40}."',
        ],
        [
            f"{a} told reporters that {topic} would go ahead despite the protests.",
            f"Critics say the plan ignores residents who have lived near the site since {year}.",
        ],
        [
            f"According to {b}, the agreement on {topic} \u201cremains on the table\u201d for now.",
            f"The council is expected to vote again in {n} weeks.",
        ],
        [
            f"Police said {n} people were detained after the march in {place}.",
            "Shops along the main avenue stayed closed for most of the afternoon.",
        ],
    ][i % 6]


def big_article(target_chars: int) -> str:
    paras, size, i = [], 0, 0
    while size < target_chars:
        p = " ".join(sentences(i))
        paras.append(p)
        size += len(p) + 1
        i += 1
    return "\n".join(paras) + "\n"


CHILD = textwrap.dedent("""
    import json, sys, onrecord
    src, dst = sys.argv[1], sys.argv[2]
    text = open(src, encoding="utf-8", newline="").read()
    record = onrecord.extract(text, published="2024-03-05", id="big").to_dict()
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False)
""")

MEMORY_LIMIT_KB = int(2.5 * 1024 * 1024)  # 2.5 GB, in ru_maxrss units (KiB on Linux)


def _vm_hwm_kb(pid: int) -> int | None:
    """The child's peak RSS so far, from /proc (Linux); None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for row in f:
                if row.startswith("VmHWM:"):
                    return int(row.split()[1])
    except OSError:
        return None
    return None


# The whole 10 MB run takes ~9.5 min on a 2-core box (so: slow, but CI runs it); a watchdog
# stops the child as soon as it passes 2.5 GB, so a memory regression fails in seconds.
@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
def test_ten_megabyte_article(tmp_path: Path):
    text = big_article(10_000_000)
    assert 10_000_000 <= len(text) < 10_100_000
    src, dst = tmp_path / "big.txt", tmp_path / "big.json"
    src.write_text(text, encoding="utf-8", newline="")

    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(src), str(dst)],
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    # Watch the child: stop it as soon as it passes the memory budget (or an hour), rather
    # than wait for the whole run to end or for the machine to start swapping.
    over = None
    while proc.poll() is None:
        hwm = _vm_hwm_kb(proc.pid)
        if hwm is not None and hwm > MEMORY_LIMIT_KB:
            over = hwm
        if over or time.monotonic() - started > 3600:
            proc.kill()
            break
        time.sleep(0.2)
    _, stderr = proc.communicate()
    elapsed = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert over is None, f"peak RSS passed 2.5 GB ({over / 1024 / 1024:.2f} GB after {elapsed:.0f} s); stopped"
    assert proc.returncode == 0, f"child failed after {elapsed:.0f} s: {stderr.decode()[-3000:]}"
    assert peak_kb < MEMORY_LIMIT_KB, f"peak RSS {peak_kb / 1024 / 1024:.2f} GB"

    record = json.loads(dst.read_text(encoding="utf-8"))
    assert record["text"] == text
    quotes = record["quotes"]
    assert len(quotes) > 10_000
    ends = [s["end"] for q in quotes for s in q["spans"]]
    assert max(ends) > len(text) - 2_000  # quotes found right to the end of the text
    starts = sorted(s["start"] for q in quotes for s in q["spans"])
    # and all the way through it, across every piece boundary: no stretch of 20 KB without a quote
    assert max(b - a for a, b in zip([0, *starts], [*starts, len(text)])) < 20_000
    assert_spans_are_evidence(record)
    assert {q["speaker"]["name"] for q in quotes[-50:]} & set(NAMES)  # speakers named at the end too
    entity_ids = {e["id"] for e in record["entities"]}
    assert all(q["speaker"]["entity"] in entity_ids for q in quotes if q["speaker"]["entity"])
    assert any(p["stage"] == "pipeline" and "pieces" in p["message"] for p in record["problems"])
    for e in record["entities"]:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
