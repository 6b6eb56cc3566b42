"""Build and run the stages: text -> spaCy Doc -> entities, quotes -> Record.

The spaCy model loads once per process (language.py) and articles go through
``nlp.pipe`` in batches. A problem inside one article becomes a ``problem`` on its record;
an article that cannot be processed at all becomes an error record with the same id, and
the run goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import spacy
from spacy.tokens import Doc

from . import __version__, claims, coref, entities, events, geo, quotemarks, quotes, timex
from .budget import Budget, BudgetExceeded, watch
from .language import describe, load, model_name
from .model import Entity, Mention, Problem, Quote, Record, Span

# Articles longer than this are parsed in pieces cut at paragraph ends, so memory stays
# bounded whatever the input (a 10 MB text is ~100 pieces, each parsed and then freed).
PIECE_CHARS = 100_000
BATCH_SIZE = 16


class InputError(ValueError):
    """Input that cannot be processed at all; the message says what to do."""


@dataclass
class Article:
    text: str
    id: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def check_published(value: Any) -> str | None:
    """A publication date as YYYY-MM-DD, or None. Raises InputError naming the format."""
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        # isoformat pads the year; strftime("%Y") gives "999" for year 999 on glibc
        return dt.date(value.year, value.month, value.day).isoformat()
    if isinstance(value, str):
        m = re.match(r"^(\d{4}-\d{2}-\d{2})([T ][\d:.+\-Z]*)?$", value.strip())
        if m:
            try:
                return dt.date.fromisoformat(m.group(1)).isoformat()
            except ValueError:
                pass
    raise InputError(f"published date {value!r} is not a date; give it as YYYY-MM-DD, e.g. 2022-01-14")


def check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise InputError(f"article text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty: there is no text to extract from")
    if "\x00" in text:
        raise InputError("the article contains NUL bytes: it looks like binary data, not text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        # a lone UTF-16 surrogate ("\ud800" in JSON) is no character: the record could not be
        # written as UTF-8, and replacing it would break "the text is exactly the input"
        raise InputError(f"the article holds a lone surrogate (U+{ord(text[err.start]):04X}) at character "
                         f"{err.start}, which is not a character; replace it (e.g. with U+FFFD) and retry") from None
    return text


def versions(nlp: spacy.language.Language) -> dict[str, str]:
    return {"onrecord": __version__, "spacy": spacy.__version__, "model": describe(nlp),
            "quotemarks": quotemarks.STAGE + ".v1", "quotes": quotes.VERSION, "entities": entities.VERSION, "coref": coref.VERSION,
            "geo": geo.VERSION, "timex": timex.VERSION, "claims": claims.VERSION,
            "events": events.VERSION}


def extractor_version(model: str | None = None) -> str:
    """One string naming what produced a record, without loading the model: the package
    version, the model's name and a digest of every stage's version. Stored rows carry it,
    so a newer extractor's results sit beside the old ones instead of replacing them."""
    stages = [quotemarks.STAGE + ".v1", quotes.VERSION, entities.VERSION, coref.VERSION, geo.VERSION,
              timex.VERSION, claims.VERSION, events.VERSION]
    digest = hashlib.sha256(" ".join(stages).encode()).hexdigest()[:8]
    return f"onrecord-{__version__}+{model_name(model)}+{digest}"


def _pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """Cut a long text at paragraph ends (or, failing that, sentence ends) into pieces."""
    if len(text) <= limit:
        return [(0, len(text))]
    out, start = [], 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + limit // 2, end)
            if cut < 0:
                cut = max(text.rfind(". ", start + limit // 2, end), text.rfind("? ", start + limit // 2, end))
                cut = cut + 1 if cut >= 0 else end
            end = cut
        out.append((start, end))
        start = end
    return out


@dataclass
class Piece:
    """What the stages found in one parsed piece of an article, offsets into the whole text."""

    entities: list[Entity]
    quotes: list[Quote]
    problems: list[Problem]
    focus: dict[str, Any] | None
    timexes: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    events: list[dict[str, Any]]


def _analyse(doc: Doc, offset: int, prefix: str, published: str | None = None) -> Piece:
    """Run the stages on one parsed piece; offsets are shifted by ``offset`` into the whole
    text and entity ids get ``prefix`` (a long article is parsed in several pieces)."""
    resolver = entities.Resolver(doc)
    coref.before_quotes(resolver)
    quoted, problems, continuing = quotemarks.find_quoted(resolver.text)
    found, more = quotes.extract(doc, resolver, quoted, continuing)
    coref.after_quotes(resolver)
    focus = geo.locate(resolver)
    times, more_problems = timex.extract(doc, published)
    numbers = claims.extract(doc, resolver, found)
    happenings = events.extract(doc, resolver, found, times)
    piece = Piece(resolver.entities(), found, problems + more + more_problems, focus, times, numbers, happenings)
    return _shift(piece, offset, prefix) if offset or prefix else piece


def _shift(piece: Piece, offset: int, prefix: str) -> Piece:
    focus = piece.focus
    if focus is not None:
        focus = {**focus, "places": [prefix + i for i in focus["places"]]}
    return Piece([_shift_entity(e, offset, prefix) for e in piece.entities],
                 [_shift_quote(q, offset, prefix) for q in piece.quotes],
                 [replace(p, start=None if p.start is None else p.start + offset) for p in piece.problems],
                 focus,
                 [_shift_item(t, offset, prefix) for t in piece.timexes],
                 [_shift_item(c, offset, prefix) for c in piece.claims],
                 [_shift_item(v, offset, prefix) for v in piece.events])


def _shift_item(item: Any, offset: int, prefix: str) -> Any:
    """Offsets ("start", "end") and entity ids, at any depth of a plain record item."""
    if isinstance(item, dict):
        out = {}
        for key, value in item.items():
            if key in ("start", "end") and isinstance(value, int):
                out[key] = value + offset
            elif key == "entity" and isinstance(value, str):
                out[key] = prefix + value
            else:
                out[key] = _shift_item(value, offset, prefix)
        return out
    if isinstance(item, list):
        return [_shift_item(v, offset, prefix) for v in item]
    return item


def _shift_entity(e: Entity, offset: int, prefix: str) -> Entity:
    return replace(e, id=prefix + e.id, mentions=tuple(Mention(m.start + offset, m.end + offset, m.text) for m in e.mentions))


def _shift_quote(q: Quote, offset: int, prefix: str) -> Quote:
    sp = q.speaker
    mention = Mention(sp.mention.start + offset, sp.mention.end + offset, sp.mention.text) if sp.mention else None
    speaker = replace(sp, entity=prefix + sp.entity if sp.entity else None, mention=mention)
    cue = Mention(q.cue.start + offset, q.cue.end + offset, q.cue.text) if q.cue else None
    return replace(q, spans=tuple(Span(s.start + offset, s.end + offset) for s in q.spans), speaker=speaker, cue=cue)


def _record(article: Article, pieces: list[Piece | Exception], nlp: spacy.language.Language) -> Record:
    """Assemble a record from the analysed pieces (see _run_batch), or raise what failed."""
    text = article.text
    record = Record(id=article.id, text=text, published=article.published,
                    sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                    versions=versions(nlp), meta=dict(article.meta))
    for piece in pieces:
        if isinstance(piece, Exception):
            raise piece
        record.entities += piece.entities
        record.quotes += piece.quotes
        record.timexes += piece.timexes
        record.claims += piece.claims
        record.events += piece.events
        record.problems += piece.problems
        record.focus = record.focus or piece.focus      # a long article's first piece sets its focus
    if len(pieces) > 1:
        record.problems.append(Problem("pipeline", f"article of {len(text):,} characters parsed in {len(pieces)} pieces; "
                                       "speakers are not linked across pieces", None))
    return record


def extract(text: str, *, published: Any = None, id: str | None = None, model: str | None = None,
            meta: dict[str, Any] | None = None) -> Record:
    """Extract one article. ``published`` (YYYY-MM-DD) anchors relative dates.

    Raises InputError for unusable input (empty, binary, a bad date) and ArticleFailed,
    chaining the cause, if a stage fails on the article."""
    article = Article(check_text(text), id, check_published(published), meta or {})
    result = next(iter(_run([article], model=model)))
    if isinstance(result, Exception):
        raise result
    return result


def extract_many(articles: Iterable[Article | Exception], *, model: str | None = None,
                 batch_size: int = BATCH_SIZE, budget: Budget | None = None) -> Iterator[Record | Exception]:
    """Extract a stream of articles in order. An Exception in the input stream (a line
    that could not be read) comes out unchanged at its place, so callers can report it.
    With ``budget``, an article whose stages run over it comes out as an ArticleFailed
    naming the budget (budget.py), and the stream goes on."""
    yield from _run(articles, model=model, batch_size=batch_size, budget=budget)


def _run(articles: Iterable[Article | Exception], *, model: str | None, batch_size: int = BATCH_SIZE,
         budget: Budget | None = None) -> Iterator[Record | Exception]:
    nlp = load(model)
    if budget is not None:
        # the gazetteer loads on first use (1 s from the cache, 25 s to build it): not on an
        # article's budget, which is for what the article itself costs
        from .gazetteer import gazetteer

        gazetteer()
    batch: list[Article | Exception] = []
    for item in articles:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _run_batch(batch, nlp, batch_size, budget)
            batch = []
    if batch:
        yield from _run_batch(batch, nlp, batch_size, budget)


def _run_batch(batch: list[Article | Exception], nlp: spacy.language.Language, batch_size: int,
               budget: Budget | None = None) -> Iterator[Record | Exception]:
    # Short articles go through nlp.pipe together; a long article's pieces go one at a time
    # (batch_size=1), and each piece is analysed as soon as it is parsed and its Doc dropped:
    # only the small results are kept, so memory does not grow with the article's length.
    short: list[tuple[str, tuple[int, int]]] = []
    long: list[tuple[str, tuple[int, int]]] = []
    n_pieces: dict[int, int] = {}
    for i, item in enumerate(batch):
        if isinstance(item, Article):
            pieces = _pieces(item.text)
            n_pieces[i] = len(pieces)
            (long if len(pieces) > 1 else short).extend((item.text[s:e], (i, s)) for s, e in pieces)
    parsed: dict[int, list[Any]] = {}
    for jobs, size in ((short, batch_size), (long, 1)):
        for doc, (i, offset) in nlp.pipe(jobs, as_tuples=True, batch_size=size):
            results = parsed.setdefault(i, [])
            prefix = f"p{len(results) + 1}." if n_pieces[i] > 1 else ""
            if results and isinstance(results[-1], Exception):
                results.append(results[-1])     # a failed piece fails the article: the rest are not analysed
                continue
            try:
                with watch(budget):
                    results.append(_analyse(doc, offset, prefix, batch[i].published))  # type: ignore[union-attr]
            except Exception as err:  # noqa: BLE001 - reported on the article's error record
                results.append(err)
    for i, item in enumerate(batch):
        if not isinstance(item, Article):
            yield item
            continue
        try:
            yield _record(item, parsed.get(i, []), nlp)
        except BudgetExceeded as err:
            yield ArticleFailed(item.id, str(err))
        except Exception as err:  # noqa: BLE001 - one article's failure must not end the run
            failed = ArticleFailed(item.id, f"extraction failed: {type(err).__name__}: {err}")
            failed.__cause__ = err
            yield failed


class ArticleFailed(Exception):
    """An article that could not be processed; carries its id for the error record."""

    def __init__(self, id: str | None, message: str) -> None:
        super().__init__(message)
        self.id = id
        self.message = message
