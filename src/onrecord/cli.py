"""The command line: thin commands over the library's public functions.

JSON goes to stdout, diagnostics and progress to stderr, ``-`` reads stdin. Errors say
what to do and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from . import __version__, jsonlines
from .budget import Budget
from .corpus_cli import COMMANDS, budget_options, make_budget
from .ingest.common import MAX_BYTES, bounded_lines, check_encoding, decode_text, too_big
from .ingest.jsonl import parse_line
from .inputs import InputError, check_published, check_text
from .language import ModelNotFound
from .model import Article
from .pipeline import ArticleFailed, extract_many
from .render import table
from .stages import BY_NAME, StageError, select

if TYPE_CHECKING:
    from .store.base import Extracted

EXAMPLE = Path(__file__).parent / "examples" / "xinjiang-2022-01-14.txt"
EXAMPLE_PUBLISHED = "2022-01-14"


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    """The article file's text, by the readers' one rule (ingest.common.decode_text)."""
    try:
        check_encoding(encoding)
        if encoding is None and b"\x00" in data[:8192]:
            _fail(f"{name} looks like binary data, not text (it holds NUL bytes); give a plain-text article")
        return decode_text(data, name, encoding)
    except ValueError as err:  # an unknown codec, or bytes that are not in it (UnicodeError)
        _fail(str(err))
    raise AssertionError("unreachable")


def _read_bytes(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "standard input"
    p = Path(path)
    if p.is_dir():
        _fail(f"{path} is a folder; give one article file, or a JSONL file with --jsonl")
    try:
        return p.read_bytes(), path
    except FileNotFoundError:
        _fail(f"no such file: {path}")
    except PermissionError:
        _fail(f"cannot read {path}: permission denied")
    raise AssertionError("unreachable")


def _published_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    try:
        return check_published(value)
    except InputError as err:
        raise click.BadParameter(str(err)) from err


def _jsonl_articles(stream: IO[bytes], name: str, encoding: str) -> Iterator[Article | Exception]:
    """Articles from JSONL lines, ids and extra fields as given (no corpus provenance: that is
    ``ingest``'s reader); a line that cannot be used becomes an ArticleFailed in place."""
    for n, raw in enumerate(bounded_lines(stream, MAX_BYTES), 1):
        line_id: Any = f"{name}:{n}"
        if raw is None:  # never held whole: a line of gigabytes costs no memory
            yield ArticleFailed(line_id, f"line {n} is {too_big(MAX_BYTES)}; it was skipped")
            continue
        if not raw.strip():
            continue
        obj, error, recovered = parse_line(raw, n, encoding=encoding)
        if error is not None:
            yield ArticleFailed(line_id if recovered is None else recovered, f"line {n} {error}")
            continue
        try:
            if not isinstance(obj, dict):
                raise InputError('a line must be a JSON object with at least "text"')
            line_id = obj.get("id", line_id)
            meta = {k: v for k, v in obj.items() if k not in ("id", "text", "published")}
            yield Article(
                check_text(obj.get("text")), id=line_id, published=check_published(obj.get("published")), meta=meta
            )
        except InputError as err:
            yield ArticleFailed(line_id, f"line {n}: {err}")


def _extract_in_workers(
    articles: Iterator[Article | Exception],
    out: IO[str],
    bar: Any,
    workers: int,
    model: str | None,
    budget: Budget,
    stages: list[str] | None,
) -> int:
    """``extract --jsonl`` on worker processes (batch.extract_stream); the records written, in
    input order, as one process writes them."""
    from . import batch
    from .language import require

    require(model)  # before any worker starts: a missing model is one clear error
    written = 0

    def write(part: list[Extracted]) -> None:
        nonlocal written
        for item in part:
            line = item.record.to_dict() if item.record is not None else {"id": item.document.id, "error": item.error}
            out.write(jsonlines.dumps(line) + "\n")
        written += len(part)
        bar.update(len(part))

    try:
        batch.extract_stream(
            (_failed_article(a) if isinstance(a, Exception) else a for a in articles),
            write,
            workers=workers,
            model=model,
            budget=budget,
            stages=stages,
        )
    except RuntimeError as err:
        _fail(
            f"{err.__cause__ or err}: worker processes keep dying; the records written are whole lines; try --workers 1"
        )
    return written


def _workers_for(asked: int | None, total: int | None) -> int:
    """Worker processes for ``total`` articles: as asked, else one per core (at most 8); never
    more than one per partition of 16, since each worker first loads the model (about 1.5 s)."""
    from .batch import PARTITION

    want = asked or min(os.cpu_count() or 1, 8)
    if total is not None:
        want = min(want, max(1, -(-total // PARTITION)))
    return want


def _failed_article(err: Exception) -> Article:
    """A line that could not be read, as a worker's input: it comes out as its error record."""
    record = _error_record(err)
    return Article(None, id=record["id"], error=record["error"])


def _error_record(err: Exception) -> dict[str, Any]:
    if isinstance(err, ArticleFailed):
        return {"id": err.id, "error": err.message}
    return {"id": None, "error": str(err)}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onrecord")
def main() -> None:
    """onrecord: who said what in the news, with evidence."""


@main.command()
@click.argument("file", required=False)
@click.option("--published", callback=_published_option, help="Publication date YYYY-MM-DD; anchors relative dates.")
@click.option("--jsonl", "jsonl", is_flag=True, help="FILE is JSONL, one article per line; print one record per line.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default=None,
    help="json (default when piped) or a readable table (default on a terminal).",
)
@click.option("--encoding", default=None, help="Text encoding of FILE when it is not UTF-8 (e.g. latin-1, cp1252).")
@click.option("--model", default=None, envvar="ONRECORD_MODEL", help="Installed spaCy pipeline to use.")
@click.option("--example", is_flag=True, help="Run on the bundled reference article (published 2022-01-14).")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr for --jsonl (default: on a terminal)."
)
@click.option(
    "--stages",
    "stage_names",
    default=None,
    metavar="NAMES",
    help=f"Comma-separated stages to run (with what they need): {','.join(BY_NAME)}. Default: all. "
    "The record's versions list the stages that ran.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="With --jsonl: worker processes, each with its own model (default: one per core, at most one "
    "per 16 articles). Records come out in input order whatever the number.",
)
@budget_options
def extract(
    file: str | None,
    published: str | None,
    jsonl: bool,
    fmt: str | None,
    encoding: str | None,
    model: str | None,
    example: bool,
    progress: bool | None,
    stage_names: str | None,
    workers: int | None,
    article_timeout: float,
    article_memory: float,
) -> None:
    """Extract quotes and speakers from FILE (a text article, or - for stdin).

    With --jsonl, FILE holds one {"id", "text", "published"} object per line, and each
    output line is that article's record, with the same id; a line that cannot be
    processed gives a record with "error" set, and the run goes on.
    """
    if example:
        file, published = str(EXAMPLE), published or EXAMPLE_PUBLISHED
    if file is None:
        raise click.UsageError("give an article FILE (or - for stdin), or --example")
    budget = make_budget(article_timeout, article_memory)
    try:
        stages = None if stage_names is None else [n.strip() for n in stage_names.split(",") if n.strip()]
        select(stages)
    except StageError as err:
        raise click.BadParameter(str(err), param_hint="--stages") from None
    try:
        if jsonl:
            _extract_jsonl(file, encoding, model, progress, budget, stages, workers)
        elif workers is not None:
            raise click.UsageError("--workers is for --jsonl input (one article is extracted in one process)")
        else:
            _extract_one(file, published, fmt, encoding, model, budget, stages)
    except ModelNotFound as err:
        _fail(str(err))


def _extract_one(
    file: str,
    published: str | None,
    fmt: str | None,
    encoding: str | None,
    model: str | None,
    budget: Budget,
    stages: list[str] | None,
) -> None:
    data, name = _read_bytes(file)
    text = _decode(data, name, encoding)
    try:
        article = Article(check_text(text), id=None if file == "-" else file, published=published)
    except InputError as err:
        _fail(f"{name}: {err}")
    result = next(extract_many([article], model=model, budget=budget, stages=stages))
    if isinstance(result, Exception):
        _fail(str(result))
    record = result.to_dict()  # type: ignore[union-attr]
    if (fmt or ("table" if sys.stdout.isatty() else "json")) == "table":
        click.echo(table(record))
    else:
        click.echo(jsonlines.dumps(record, indent=1))


def _extract_jsonl(
    file: str,
    encoding: str | None,
    model: str | None,
    progress: bool | None,
    budget: Budget,
    stages: list[str] | None,
    workers: int | None,
) -> None:
    from tqdm import tqdm

    try:
        check_encoding(encoding)
    except ValueError as err:
        _fail(str(err))
    total = None
    if file == "-":
        stream: IO[bytes] = sys.stdin.buffer
        name = "stdin"
    else:
        if Path(file).is_dir():
            _fail(f"{file} is a folder; give a JSONL file with one article per line")
        if not Path(file).is_file():
            _fail(f"no such file: {file}")
        with open(file, "rb") as f:  # counting lines first gives the progress bar an ETA
            total = sum(1 for line in bounded_lines(f, MAX_BYTES) if line is None or line.strip())
        stream, name = open(file, "rb"), file  # noqa: SIM115 - closed in the finally below, after streaming
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=total, unit=" articles", file=sys.stderr, disable=not show, smoothing=0.1)
    out = sys.stdout
    written = 0
    articles = _jsonl_articles(stream, name, encoding or "utf-8")
    workers = _workers_for(workers, total)
    try:
        if workers > 1:
            written = _extract_in_workers(articles, out, bar, workers, model, budget, stages)
        else:
            for result in extract_many(articles, model=model, budget=budget, stages=stages):
                line = _error_record(result) if isinstance(result, Exception) else result.to_dict()
                out.write(jsonlines.dumps(line) + "\n")
                written += 1
                bar.update(1)
    except KeyboardInterrupt:
        out.flush()
        _fail("interrupted; every line written is a whole record: re-run on the lines not yet written")
    finally:
        bar.close()
        out.flush()
        if stream is not sys.stdin.buffer:
            stream.close()
    if not written:
        _fail(
            f"{name} holds no articles (no non-empty lines); give one JSON object per line, "
            'e.g. {"id": "a1", "text": "...", "published": "2022-01-14"}'
        )


@main.command()
@click.option("--indent", default=1, show_default=True, help="Indentation of the printed JSON.")
def schema(indent: int) -> None:
    """Print the JSON Schema of the records that extract and export write.

    It is generated from the record's types, so it always matches them: validate a stored or
    exported record with any JSON Schema tool (draft 2020-12)."""
    from .schema import record_schema

    click.echo(jsonlines.dumps(record_schema(), indent=indent))


for _command in COMMANDS:  # ingest, search, quotes, entities, claims, timeline, export, check
    main.add_command(_command)


if __name__ == "__main__":
    main()
