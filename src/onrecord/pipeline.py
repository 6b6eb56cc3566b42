"""Run the declared stages (stages.py): Article -> spaCy Doc -> the stages' items -> Record.

The spaCy model loads once per process (language.py) and articles go through
``nlp.pipe`` in batches. A problem inside one article becomes a ``problem`` on its record;
an article that cannot be processed at all becomes an error record with the same id, and
the run goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import spacy
from spacy.tokens import Doc

from . import __version__, headline
from .budget import Budget, BudgetExceeded, watch
from .inputs import check_published, check_text
from .language import describe, load, model_name
from .model import Article, Claim, Entity, Event, Focus, Problem, Quote, Record, Span, Timex
from .stages import STAGES, Stage, select

# Articles longer than this are parsed in pieces cut at paragraph ends, so memory stays
# bounded whatever the input (a 10 MB text is ~100 pieces, each parsed and then freed).
PIECE_CHARS = 100_000
BATCH_SIZE = 16


# the article's provenance fields a record keeps (beside any extra fields given on input)
META_FIELDS = ("title", "url", "author", "source", "kind", "language", "raw_sha256", "captured_at")


def versions(nlp: spacy.language.Language, stages: Sequence[Stage] = STAGES) -> dict[str, str]:
    """What produced a record: the package, spaCy, the model and each stage that ran."""
    return {"onrecord": __version__, "spacy": spacy.about.__version__, "model": describe(nlp)} | {
        s.name: s.version for s in stages
    }


def extractor_version(model: str | None = None, stages: Sequence[Stage] = STAGES) -> str:
    """One string naming what produced a record, without loading the model: the package
    version, the model's name and a digest of the versions of the stages that run. Stored rows
    carry it, so a newer extractor's results sit beside the old ones instead of replacing them."""
    digest = hashlib.sha256(" ".join(s.version for s in stages).encode()).hexdigest()[:8]
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
    focus: Focus | None
    timexes: list[Timex]
    claims: list[Claim]
    events: list[Event]
    headline: Span | None = None

    def shifted(self, offset: int, prefix: str) -> Piece:
        """Offsets moved by ``offset`` into the whole text, entity ids given ``prefix``."""
        return Piece(
            [e.shifted(offset, prefix) for e in self.entities],
            [q.shifted(offset, prefix) for q in self.quotes],
            [p.shifted(offset) for p in self.problems],
            None if self.focus is None else self.focus.shifted(prefix),
            [t.shifted(offset) for t in self.timexes],
            [c.shifted(offset, prefix) for c in self.claims],
            [v.shifted(offset, prefix) for v in self.events],
            None if self.headline is None else self.headline.shifted(offset),
        )


def _analyse(
    doc: Doc, offset: int, prefix: str, published: str | None, stages: Sequence[Stage], title: str | None = None
) -> Piece:
    """Run the stages on one parsed piece; offsets are shifted by ``offset`` into the whole
    text and entity ids get ``prefix`` (a long article is parsed in several pieces)."""
    found: dict[str, Any] = {"doc": doc, "text": doc.text, "published": published, "title": title}
    problems: list[Problem] = []
    for stage in stages:
        given = {need: found[need] for need in stage.needs}
        given.update({use: found[use] for use in stage.uses if use in found})
        out = dict(stage.run(**given))
        problems += out.pop("problems", [])
        found.update(out)
    mentions = found.get("mentions")
    dates = found.get("dates", {})
    items = {
        layer: [replace(item, dated=d) for item, d in zip(found.get(layer, []), dates[layer], strict=True)]
        if layer in dates
        else found.get(layer, [])
        for layer in ("quotes", "claims", "events")
    }
    head = found.get("headline")
    if head is not None:  # the headline sums up the body: what it reports is taken from the body
        items = {
            layer: [x for x in found_items if headline.outside(head, *_extent(x))]
            for layer, found_items in items.items()
        }
    piece = Piece(
        mentions.entities(found.get("places")) if mentions is not None else [],
        items["quotes"],
        problems,
        found.get("focus"),
        found.get("timexes", []),
        items["claims"],
        items["events"],
        head,
    )
    return piece.shifted(offset, prefix) if offset or prefix else piece


def _extent(item: Quote | Claim | Event) -> tuple[int, int]:
    """The characters an item's own words stand on: a quote's content, a claim's or an event's span."""
    if isinstance(item, Quote):
        return min(s.start for s in item.spans), max(s.end for s in item.spans)
    return item.start, item.end


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _record(
    article: Article, pieces: list[Piece | Exception], nlp: spacy.language.Language, stages: Sequence[Stage]
) -> Record:
    """Assemble a record from the analysed pieces (see _run_batch), or raise what failed."""
    text = article.text or ""
    parts: dict[str, list[Any]] = {
        "entities": [],
        "quotes": [],
        "timexes": [],
        "claims": [],
        "events": [],
        "problems": list(article.problems),
    }
    focus = head = None
    for piece in pieces:
        if isinstance(piece, Exception):
            raise piece
        head = head or piece.headline
        for name, items in parts.items():
            items += getattr(piece, name)
        focus = focus or piece.focus  # a long article's first piece sets its focus
    if len(pieces) > 1:
        parts["problems"].append(
            Problem(
                "pipeline",
                f"article of {len(text):,} characters parsed in {len(pieces)} pieces; "
                "speakers are not linked across pieces",
                None,
            )
        )
    return Record(
        id=article.id,
        text=text,
        published=article.published,
        sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        versions=versions(nlp, stages),
        focus=focus,
        headline=head,
        meta=_meta(article),
        **{name: tuple(items) for name, items in parts.items()},
    )


def _meta(article: Article) -> dict[str, Any]:
    """What the record keeps of the article's provenance (title, url, ...) and extra input fields."""
    meta = {k: getattr(article, k) for k in META_FIELDS if getattr(article, k) is not None}
    meta.update({k: v for k, v in article.meta.items() if k not in meta and k != "id"})
    return meta


def extract(
    text: str,
    *,
    published: Any = None,
    id: str | None = None,
    model: str | None = None,
    meta: dict[str, Any] | None = None,
    stages: Iterable[str] | None = None,
) -> Record:
    """Extract one article. ``published`` (YYYY-MM-DD) anchors relative dates; ``stages``
    names the stages to run (with what they need; all by default, see stages.py).

    Raises InputError for unusable input (empty, binary, a bad date) and ArticleFailed,
    chaining the cause, if a stage fails on the article."""
    article = Article(check_text(text), id, check_published(published), meta or {})
    result = next(iter(_run([article], model=model, stages=select(stages))))
    if isinstance(result, Exception):
        raise result
    return result


def extract_many(
    articles: Iterable[Article | Exception],
    *,
    model: str | None = None,
    batch_size: int = BATCH_SIZE,
    budget: Budget | None = None,
    stages: Iterable[str] | None = None,
) -> Iterator[Record | Exception]:
    """Extract a stream of articles in order. An Exception in the input stream (a line
    that could not be read) comes out unchanged at its place, so callers can report it.
    With ``budget``, an article whose stages run over it comes out as an ArticleFailed
    naming the budget (budget.py), and the stream goes on."""
    yield from _run(articles, model=model, batch_size=batch_size, budget=budget, stages=select(stages))


def _run(
    articles: Iterable[Article | Exception],
    *,
    model: str | None,
    batch_size: int = BATCH_SIZE,
    budget: Budget | None = None,
    stages: Sequence[Stage] = STAGES,
) -> Iterator[Record | Exception]:
    nlp = load(model)
    if budget is not None:
        # the gazetteer loads on first use (1 s from the cache, 25 s to build it), the unit and
        # currency tables in about a second, the event dictionaries in 0.3 s: not on an
        # article's budget, which is for what the article itself costs
        from . import event_lexicon, units
        from .gazetteer import gazetteer

        gazetteer()
        units.load()
        event_lexicon.load()
    batch: list[Article | Exception] = []
    for item in articles:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _run_batch(batch, nlp, batch_size, budget, stages)
            batch = []
    if batch:
        yield from _run_batch(batch, nlp, batch_size, budget, stages)


def _run_batch(
    batch: list[Article | Exception],
    nlp: spacy.language.Language,
    batch_size: int,
    budget: Budget | None,
    stages: Sequence[Stage],
) -> Iterator[Record | Exception]:
    # Short articles go through nlp.pipe together; a long article's pieces go one at a time
    # (batch_size=1), and each piece is analysed as soon as it is parsed and its Doc dropped:
    # only the small results are kept, so memory does not grow with the article's length.
    short: list[tuple[str, tuple[int, int]]] = []
    long: list[tuple[str, tuple[int, int]]] = []
    n_pieces: dict[int, int] = {}
    for i, item in enumerate(batch):
        if isinstance(item, Article):
            item_text = item.text or ""
            pieces = _pieces(item_text)
            n_pieces[i] = len(pieces)
            (long if len(pieces) > 1 else short).extend((item_text[s:e], (i, s)) for s, e in pieces)
    parsed: dict[int, list[Any]] = {}
    for jobs, size in ((short, batch_size), (long, 1)):
        for doc, (i, offset) in nlp.pipe(jobs, as_tuples=True, batch_size=size):
            results = parsed.setdefault(i, [])
            prefix = f"p{len(results) + 1}." if n_pieces[i] > 1 else ""
            if results and isinstance(results[-1], Exception):
                results.append(results[-1])  # a failed piece fails the article: the rest are not analysed
                continue
            try:
                with watch(budget):
                    article = batch[i]
                    assert isinstance(article, Article)
                    title = article.title or _str(article.meta.get("title"))
                    results.append(_analyse(doc, offset, prefix, article.published, stages, title))
            except Exception as err:  # noqa: BLE001 - reported on the article's error record
                results.append(err)
    for i, item in enumerate(batch):
        if not isinstance(item, Article):
            yield item
            continue
        try:
            yield _record(item, parsed.get(i, []), nlp, stages)
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
