"""The command line: output schema, table view, stdin, JSONL order, progress, help, console script.

Most tests run the click command in-process with CliRunner (the spaCy model loads once per
process); one test runs the installed console script for real, reading stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import EXAMPLE, main

SCHEMA_FIELDS = {"id", "published", "text", "entities", "quotes", "problems", "versions", "sha256"}

ARTICLE = (
    '"We will win, and we will win fairly," said John Smith, the mayor of Springfield.\n'
    '"Nobody expected this," a witness said.\n'
)


def run(args: list[str], input: str | bytes | None = None):
    result = CliRunner().invoke(main, args, input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def speakers(record: dict) -> list[str | None]:
    return [q["speaker"]["name"] for q in record["quotes"]]


def test_example_json_has_schema_fields_and_bundled_text():
    result = run(["extract", "--example", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) >= SCHEMA_FIELDS
    # the text is exactly the bundled file, byte for byte (no newline translation)
    assert record["text"] == EXAMPLE.read_bytes().decode("utf-8")
    assert record["published"] == "2022-01-14"
    assert record["quotes"], "the reference article has quotes"
    assert any(name == "Rupert Colville" for name in speakers(record))
    assert set(record["versions"]) >= {"onrecord", "spacy", "model"}
    assert len(record["sha256"]) == 64
    for q in record["quotes"]:
        assert q["text"] == " ... ".join(record["text"][s["start"] : s["end"]] for s in q["spans"])
    assert result.stderr == ""


def test_example_published_can_be_overridden():
    result = run(["extract", "--example", "--published", "2023-05-06", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["published"] == "2023-05-06"


def test_table_shows_speaker_names_and_unknown(tmp_path: Path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(["extract", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)
    rows = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 2, out
    assert "John Smith" in rows[0]
    assert "(unknown)" in rows[1] and "a witness" in rows[1]
    assert "We will win" in rows[0] and "Nobody expected this" in rows[1]
    assert "speaker" in out and "quote" in out  # the header
    assert f"{len(ARTICLE):,} characters" in out


def test_table_says_when_there_are_no_quotes(tmp_path: Path):
    path = tmp_path / "plain.txt"
    path.write_text("The council met on Monday to discuss the budget.\n", encoding="utf-8")
    result = run(["extract", str(path), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "(no quotes found)" in result.stdout


def test_default_format_when_not_a_terminal_is_json(tmp_path: Path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(["extract", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == str(path)
    assert speakers(record) == ["John Smith", None]


def test_stdin_dash():
    result = run(["extract", "-", "--published", "2024-02-03", "--format", "json"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["text"] == ARTICLE
    assert record["id"] is None
    assert record["published"] == "2024-02-03"
    assert speakers(record)[0] == "John Smith"


def test_no_file_is_a_usage_error():
    result = run(["extract"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--example" in result.stderr


def _jsonl(tmp_path: Path) -> Path:
    articles = [
        {
            "id": "zeta-3",
            "text": '"Prices will fall," said Maria Garcia, the finance minister.\n',
            "published": "2024-01-02",
        },
        {"id": "alpha-1", "text": "The council met on Monday to discuss the budget.\n"},
        {
            "id": "mid-2",
            "text": '"We are ready," Wei Chen told reporters in Toronto.\n',
            "published": "2024-01-04",
            "title": "Ready",
        },
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def test_jsonl_preserves_ids_and_order(tmp_path: Path):
    path = _jsonl(tmp_path)
    result = run(["extract", "--jsonl", str(path), "--no-progress"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["zeta-3", "alpha-1", "mid-2"]  # input order, not sorted
    assert all("error" not in r for r in records)
    assert [r["published"] for r in records] == ["2024-01-02", None, "2024-01-04"]
    assert speakers(records[0]) == ["Maria Garcia"]
    assert records[1]["quotes"] == []
    assert speakers(records[2]) == ["Wei Chen"]
    assert records[2]["title"] == "Ready"  # extra fields ride along
    assert "title" not in records[0]
    assert result.stderr == ""


def test_jsonl_from_stdin(tmp_path: Path):
    data = _jsonl(tmp_path).read_bytes()
    result = run(["extract", "--jsonl", "-", "--no-progress"], input=data)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["zeta-3", "alpha-1", "mid-2"]


def test_progress_goes_to_stderr_not_stdout(tmp_path: Path):
    path = _jsonl(tmp_path)
    with_bar = run(["extract", "--jsonl", str(path), "--progress"])
    without = run(["extract", "--jsonl", str(path), "--no-progress"])
    assert with_bar.exit_code == without.exit_code == 0
    assert "articles" in with_bar.stderr and "3/3" in with_bar.stderr  # tqdm's bar, with the total
    assert without.stderr == ""
    # stdout is pure JSONL either way: the bar never leaks into it
    for result in (with_bar, without):
        lines = result.stdout.splitlines()
        assert len(lines) == 3
        for line in lines:
            json.loads(line)
    assert with_bar.stdout == without.stdout


def test_main_help_lists_commands_and_version():
    result = run(["--help"])
    assert result.exit_code == 0
    assert "extract" in result.stdout
    assert "--version" in result.stdout
    short = run(["-h"])
    assert short.exit_code == 0 and short.stdout == result.stdout


def test_readme_documents_every_command():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"onrecord {name} " in readme, f"README does not show `onrecord {name}`"


def test_extract_help_lists_options():
    result = run(["extract", "--help"])
    assert result.exit_code == 0
    for option in (
        "--published",
        "--format",
        "--encoding",
        "--jsonl",
        "--progress / --no-progress",
        "--example",
        "--model",
        "json|table",
    ):
        assert option in result.stdout, option


def test_version():
    result = run(["--version"])
    assert result.exit_code == 0
    assert "onrecord" in result.stdout and "0." in result.stdout


def _console_script() -> Path:
    script = Path(sys.executable).with_name("onrecord")
    if not script.exists():
        pytest.skip("onrecord console script is not installed next to this interpreter")
    return script


def test_console_script_reads_stdin():
    """The installed entry point, for real: a fresh process reading stdin, JSON on stdout."""
    proc = subprocess.run(
        [str(_console_script()), "extract", "-", "--published", "2024-03-05"],
        input=ARTICLE.encode("utf-8"),
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)  # stdout is not a terminal, so JSON by default
    assert record["text"] == ARTICLE
    assert record["published"] == "2024-03-05"
    assert speakers(record) == ["John Smith", None]
    assert b"Error" not in proc.stderr


def test_jsonl_with_two_workers_gives_the_same_lines_in_the_same_order(tmp_path):
    lines = [
        json.dumps({"id": f"a{i}", "text": f"Mayor Ann Lee{i} said the bridge would open in May {2000 + i}."})
        for i in range(40)
    ]
    lines.insert(5, "{not json")
    lines.insert(25, json.dumps({"id": "empty", "text": ""}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = run(["extract", "--jsonl", "--workers", "1", "--no-progress", str(path)])
    two = run(["extract", "--jsonl", "--workers", "2", "--no-progress", str(path)])
    assert one.exit_code == two.exit_code == 0
    assert two.output == one.output
    records = [json.loads(line) for line in two.output.splitlines()]
    assert [r["id"] for r in records][4:7] == ["a4", f"{path}:6", "a5"]
    assert [r for r in records if r.get("error")][1]["id"] == "empty"


def test_workers_is_refused_without_jsonl(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(["extract", "--workers", "2", str(path)])
    assert result.exit_code != 0 and "--workers is for --jsonl" in result.output
