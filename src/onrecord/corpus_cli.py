"""Corpus commands: ingest into a store, ask it questions, picture it, export it.

Each command is a thin wrapper over a public function (onrecord.ingest.iter_documents,
onrecord.batch.ingest, the Store's query methods, onrecord.export, onrecord.plots).
Results go to stdout (a readable table on a terminal, JSON lines otherwise); progress
and the run's summary go to stderr.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from . import jsonlines
from .ingest.common import check_encoding
from .render import quantity
from .store import Store, StoreError, damaged

FORMATS = click.Choice(["table", "jsonl"])


def _fail(message: str) -> None:
    raise click.ClickException(message)


def budget_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--article-timeout and --article-memory, shared by extract and ingest (see budget.py)."""
    from .budget import DEFAULT_MEMORY_MB, DEFAULT_SECONDS

    command = click.option(
        "--article-memory",
        type=click.FloatRange(min=0),
        default=DEFAULT_MEMORY_MB,
        show_default=True,
        help="Memory budget in MB (the process's resident memory) while one article is extracted; over it, the "
        "article becomes an error record and the run goes on. 0: no limit.",
    )(command)
    return click.option(
        "--article-timeout",
        type=click.FloatRange(min=0),
        default=DEFAULT_SECONDS,
        show_default=True,
        help="Time budget in seconds for the stages of one article (per 100,000 characters of a longer one); "
        "over it, the article becomes an error record and the run goes on. 0: no limit.",
    )(command)


def make_budget(seconds: float, memory_mb: float) -> Any:
    from .budget import Budget

    return Budget(seconds or None, memory_mb or None)


@contextmanager
def _store(db: str, *, create: bool = False) -> Iterator[Store]:
    from .pipeline import extractor_version
    from .store import open_store

    if not create and "://" not in db and not Path(db).is_file():
        _fail(f"no store at {db}; create it with: onrecord ingest {db} SOURCE...")
    try:
        store = open_store(db, version=extractor_version(), readonly=not create)
    except StoreError as err:
        _fail(str(err))
    try:
        yield store
    except StoreError as err:
        _fail(str(err))
    except Exception as err:
        # a damaged file shows itself only when a query reaches the damaged pages
        explained = damaged(err, db)
        if explained is None:
            raise
        _fail(str(explained))
    finally:
        store.close()


def _emit(
    rows: list[dict[str, Any]],
    fmt: str | None,
    columns: list[tuple[str, Callable[[dict[str, Any]], Any], int]],
    empty: str,
) -> None:
    """JSON lines, or a table of the given (header, getter, width) columns."""
    if (fmt or ("table" if sys.stdout.isatty() else "jsonl")) == "jsonl":
        for row in rows:
            click.echo(jsonlines.dumps(row))
        return
    if not rows:
        click.echo(empty, err=True)
        return
    click.echo("  ".join(h.ljust(w) for h, _, w in columns).rstrip())
    for row in rows:
        cells = []
        for _, get, width in columns:
            value = get(row)
            text = "" if value is None else " ".join(str(value).split())
            cells.append((text if len(text) <= width else text[: width - 1] + "…").ljust(width))
        click.echo("  ".join(cells).rstrip())


def _published(value: str | None) -> str | None:
    from .inputs import InputError, check_published

    try:
        return check_published(value)
    except InputError as err:
        raise click.BadParameter(str(err)) from err


def _plot(kind: str, rows: list[dict[str, Any]], path: str, **options: Any) -> None:
    try:
        from . import plots
    except ImportError:
        _fail("pictures need matplotlib: pip install 'onrecord[plots]' (or draw from --format json)")

    try:
        getattr(plots, kind)(rows, path, **options)
    except (ValueError, OSError) as err:
        _fail(f"cannot draw {path}: {err}")
    click.echo(f"picture written to {path}", err=True)


@click.command()
@click.argument("db")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes, each with its own model (default: one per core).",
)
@click.option(
    "--published",
    default=None,
    callback=lambda _c, _p, v: _published(v),
    help="Publication date YYYY-MM-DD for documents that carry none of their own (plain-text files).",
)
@click.option("--encoding", default=None, help="Text encoding of plain-text files that are not UTF-8.")
@click.option("--model", default=None, envvar="ONRECORD_MODEL", help="Installed spaCy pipeline to use.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option(
    "--allow-private-addresses",
    "allow_private",
    is_flag=True,
    help="Also fetch URLs on loopback and private networks (refused by default: a feed or redirect "
    "must not make onrecord read internal hosts).",
)
@budget_options
def ingest(
    db: str,
    sources: tuple[str, ...],
    workers: int | None,
    published: str | None,
    encoding: str | None,
    model: str | None,
    progress: bool | None,
    allow_private: bool,
    article_timeout: float,
    article_memory: float,
) -> None:
    """Read SOURCES (files, folders, JSONL, feeds, WARC, URLs) into the store DB.

    Re-running is safe: what is stored already is skipped, so a killed run resumes."""
    from . import batch
    from .ingest import count_sources, iter_documents
    from .language import ModelNotFound, require

    for source in sources:
        if source != "-" and "://" not in source and not Path(source).exists():
            _fail(f"no such file or folder: {source}")
    try:
        check_encoding(encoding)
    except ValueError as err:
        _fail(str(err))
    try:
        require(model)  # before the store is created: a wrong model leaves nothing behind
    except ModelNotFound as err:
        _fail(str(err))
    workers = workers or min(os.cpu_count() or 1, 8)
    documents = iter_documents(sources, encoding=encoding, allow_private=allow_private)
    if published:
        documents = (d if d.published else replace(d, published=published) for d in documents)
    with _store(db, create=True) as store:
        try:
            summary = batch.ingest(
                store,
                documents,
                workers=workers,
                model=model,
                progress=progress,
                total=count_sources(sources),
                budget=make_budget(article_timeout, article_memory),
            )
        except (ModelNotFound, RuntimeError) as err:
            _fail(str(err))
        except OSError as err:
            if err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
                _fail(
                    f"the disk is full ({err.strerror}); everything stored so far is intact: "
                    "free some space and re-run the same command to resume"
                )
            _fail(f"{err.filename or 'ingest'}: {err.strerror or err}; everything stored so far is intact")
        except KeyboardInterrupt:
            _fail("interrupted; everything written so far is kept: re-run the same command to resume")
    click.echo(summary.line(), err=True)
    for doc_id, message in summary.errors[:5]:
        click.echo(f"  error: {doc_id}: {message}", err=True)
    if not summary.seen:
        _fail(
            f"no documents in {' '.join(sources)}: nothing to ingest (folders are read for "
            ".txt, .html, .jsonl, .xml/.rss/.atom and .warc files)"
        )
    if summary.error == summary.seen:
        _fail(
            f"nothing could be read or extracted: all {summary.error:,} documents failed (errors above, "
            "and stored in the store with their messages)"
        )


@click.command()
@click.argument("db")
@click.argument("query")
@click.option("--limit", "-n", type=click.IntRange(1), default=20, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default=None, help="table (default on a terminal) or jsonl.")
def search(db: str, query: str, limit: int, fmt: str | None) -> None:
    """Full-text search over articles and quotes, best first, with [highlighted] snippets."""
    with _store(db) as store:
        rows = store.search(query, limit=limit)
    _emit(
        rows,
        fmt,
        [
            ("kind", lambda r: r["kind"], 7),
            ("published", lambda r: r["published"], 10),
            ("title", lambda r: r["title"] or r["article_id"], 30),
            ("snippet", lambda r: r["snippet"], 90),
        ],
        f"nothing matches {query!r}",
    )


@click.command()
@click.argument("db")
@click.option("--speaker", "-s", default=None, help='Canonical name or any alias ("Bachelet", "OHCHR").')
@click.option(
    "--limit", "-n", type=click.IntRange(1), default=100, show_default=True, help="In date order, at most this many."
)
@click.option("--format", "fmt", type=FORMATS, default=None, help="table (default on a terminal) or jsonl.")
@click.option("--plot", "plot", default=None, metavar="FILE.png", help="Also draw who quotes whom to an image file.")
def quotes(db: str, speaker: str | None, limit: int | None, fmt: str | None, plot: str | None) -> None:
    """Quotes across the corpus, by speaker; syndicated copies shown once with every outlet."""
    with _store(db) as store:
        rows = store.quotes(speaker=speaker, limit=limit)
    if plot:
        _plot("plot_quote_network", rows, plot)
    _emit(
        rows,
        fmt,
        [
            ("date", lambda r: r["date"], 10),
            ("speaker", lambda r: r["speaker"] or "(unknown)", 24),
            ("kind", lambda r: r["kind"], 8),
            ("quote", lambda r: r["text"], 80),
            ("outlets", lambda r: len(r["outlets"]), 7),
        ],
        f"no quotes{' by ' + repr(speaker) if speaker else ''}",
    )


@click.command()
@click.argument("db")
@click.option("--limit", "-n", type=click.IntRange(1), default=50, show_default=True)
@click.option("--format", "fmt", type=FORMATS, default=None, help="table (default on a terminal) or jsonl.")
def entities(db: str, limit: int, fmt: str | None) -> None:
    """Who is quoted most and mentioned most, and with whom."""
    with _store(db) as store:
        rows = store.entities(limit=limit)
    _emit(
        rows,
        fmt,
        [
            ("name", lambda r: r["name"], 30),
            ("type", lambda r: r["type"], 6),
            ("quoted", lambda r: r["quoted"], 6),
            ("articles", lambda r: r["articles"], 8),
            ("mentioned with", lambda r: ", ".join(w["name"] for w in r["with"][:4]), 70),
        ],
        "no entities stored",
    )


@click.command()
@click.argument("db")
@click.option("--source", default=None, help="Only claims made by this source (name or alias).")
@click.option("--limit", "-n", type=click.IntRange(1), default=None)
@click.option("--format", "fmt", type=FORMATS, default=None, help="table (default on a terminal) or jsonl.")
def claims(db: str, source: str | None, limit: int | None, fmt: str | None) -> None:
    """Numeric claims: value, bound, what is counted and who claims it."""
    with _store(db) as store:
        rows = store.claims(source=source, limit=limit)
    _emit(
        rows,
        fmt,
        [
            ("date", lambda r: r["date"], 10),
            ("value", lambda r: quantity(r), 24),
            ("counted", lambda r: r["counted"], 20),
            ("source", lambda r: r["source"], 24),
            ("claim", lambda r: r["text"], 60),
        ],
        "no claims stored",
    )


@click.command()
@click.argument("db")
@click.argument("topic")
@click.option("--limit", "-n", type=click.IntRange(1), default=None)
@click.option("--format", "fmt", type=FORMATS, default=None, help="table (default on a terminal) or jsonl.")
@click.option("--plot", "plot", default=None, metavar="FILE.png", help="Also draw the timeline to an image file.")
def timeline(db: str, topic: str, limit: int | None, fmt: str | None, plot: str | None) -> None:
    """Events, quotes and claims about TOPIC, in the order they happened (dates from the text)."""
    with _store(db) as store:
        rows = store.timeline(topic, limit=limit)
    if plot:
        _plot("plot_timeline", rows, plot, title=f"onrecord timeline: {topic}")
    _emit(
        rows,
        fmt,
        [
            ("date", lambda r: r["date"] + ("" if r["date_source"] == "text" else "*"), 11),
            ("kind", lambda r: r["kind"], 6),
            ("what", lambda r: r["summary"], 60),
            ("source", lambda r: r["title"] or r["url"] or r["article_id"], 40),
        ],
        f"nothing on {topic!r}",
    )


@click.command()
@click.argument("db")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "ftm"]),
    default="jsonl",
    show_default=True,
    help="jsonl: full records; csv: one row per quote/claim/event; ftm: FollowTheMoney entities.",
)
@click.option(
    "--what",
    type=click.Choice(["all", "quotes", "claims", "events"]),
    default="all",
    show_default=True,
    help="For csv: which items.",
)
@click.option("--output", "-o", default="-", help="File to write (written whole or not at all); default stdout.")
def export(db: str, fmt: str, what: str, output: str) -> None:
    """Every stored article's record, as JSONL, CSV or FollowTheMoney."""
    from . import export as exports

    if fmt == "ftm":
        try:
            from .export_ftm import write_ftm
        except ImportError:
            _fail("the FollowTheMoney export needs the followthemoney package: pip install 'onrecord[ftm]'")

    def write(out: Any) -> int:
        if fmt == "csv":
            return exports.write_csv(records, out, what=what)
        if fmt == "ftm":
            return write_ftm(records, out, same_as=store.canonical_names())
        return exports.write_jsonl(records, out)

    with _store(db) as store:
        records = store.records()
        if output == "-":
            try:
                n = write(sys.stdout)
            except Exception as err:
                explained = damaged(err, db)
                if explained is None:
                    raise
                sys.stdout.flush()
                raise StoreError(
                    f"{explained}; the export on standard output stopped part way and is "
                    "incomplete (use --output FILE to get all or nothing)"
                ) from err
        else:
            n = _write_atomically(output, write)
    click.echo(f"{n:,} {'rows' if fmt == 'csv' else 'records' if fmt == 'jsonl' else 'entities'} exported", err=True)


@click.command()
@click.argument("db")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
def check(db: str, progress: bool | None) -> None:
    """Verify the store DB: the file (SQLite and full-text integrity), every stored text
    against its sha256, every record against the record's shape and evidence. Prints what
    is wrong, one line per finding; exits 1 when anything is, 0 when the store is whole."""
    from .store.check import check_sqlite

    if "://" in db:
        _fail(f"check reads SQLite stores; {db} is not a file path")
    if not Path(db).is_file():
        _fail(f"no store at {db}")
    report = check_sqlite(db, progress=sys.stderr.isatty() if progress is None else progress)
    for where, what in report.findings:
        click.echo(f"{where}: {what}")
    if report.more:
        click.echo(f"... and {report.more:,} more")
    click.echo(report.summary(), err=True)
    if not report.ok:
        raise SystemExit(1)


def _write_atomically(path: str, write: Callable[[Any], int]) -> int:
    # A temporary file beside the target, renamed over it once complete: an interrupted or
    # failed export never leaves a half-written file where a finished one is expected.
    target = Path(path)
    if target.is_dir():
        _fail(f"{path} is a folder; give a file name")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    except OSError as err:
        _fail(f"cannot write {path}: {err.strerror}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            n = write(out)
        os.replace(tmp, target)
    except OSError as err:
        os.unlink(tmp)
        _fail(f"cannot write {path}: {err.strerror or err}; nothing was written")
    except BaseException:
        os.unlink(tmp)
        raise
    return n


COMMANDS = [ingest, search, quotes, entities, claims, timeline, export, check]
