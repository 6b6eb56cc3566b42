"""The stages, declared: what each needs, what it produces, and its version.

A stage is a named, versioned function from what it needs (keyword arguments named after
earlier stages' products, or the pipeline's inputs ``doc``, ``text`` and ``published``) to a
dict of what it produces, plus the ``problems`` it met. ``STAGES`` is the registry: the one
list the pipeline runs from, in order, and the one source of the extractor version. Adding a
stage is one module and one line here (CONTRIBUTING.md shows an example).

One product is shared rather than passed along: ``mentions``, the article's entity clusters
(``entities.Resolver``). Only the entity stages add to it, and say so in ``changes``: quotes
add the speakers they name, coreference adds pronouns and offices, place_names repairs the
places the NER missed, cut or mislabelled. The stages after those only read it: geo returns
``places`` (a gazetteer entry and roles per cluster id), events look actors up without
creating anything (``Resolver.lookup``). The record's ``entities`` are read from it once
every stage has run, with their geo from ``places``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from . import claims, coref, dating, entities, events, geo, headline, place_names, quotemarks, quotes, timex, units
from .entities import Cluster, Resolver
from .model import Claim, Event, Focus, Quote, Timex
from .quotemarks import Passages

INPUTS = ("doc", "text", "published", "title")


@dataclass(frozen=True)
class Stage:
    name: str
    version: str
    needs: tuple[str, ...]
    produces: tuple[str, ...]
    run: Callable[..., Mapping[str, Any]]
    changes: tuple[str, ...] = ()  # earlier products it adds to (only ``mentions``; see the module docstring)
    doc: str = ""
    uses: tuple[str, ...] = ()  # products it takes when a chosen stage made them, and does without


class StageError(ValueError):
    """A list of stages that cannot run: unknown names, or needs no earlier stage meets."""


# ------------------------------------------------------------------ the stages


def _headline(text: str, title: str | None) -> dict[str, Any]:
    return {"headline": headline.headline_span(text, title)}


def _quotemarks(text: str) -> dict[str, Any]:
    passages, problems = quotemarks.find_passages(text)
    return {"passages": passages, "problems": problems}


def _entities(doc: Doc, passages: Passages) -> dict[str, Any]:
    resolver = Resolver(doc, in_quote=passages.inside)
    coref.before_quotes(resolver)  # name variants, groups, capitals as governments: entity repair
    return {"mentions": resolver}


def _quotes(doc: Doc, mentions: Resolver, passages: Passages) -> dict[str, Any]:
    found, problems = quotes.extract(doc, mentions, passages)
    return {"quotes": found, "problems": problems}


def _coref(mentions: Resolver) -> dict[str, Any]:
    coref.after_quotes(mentions)
    return {}


def _place_names(mentions: Resolver) -> dict[str, Any]:
    return {"place_clusters": place_names.repair(mentions)}


def _geo(mentions: Resolver, place_clusters: list[Cluster]) -> dict[str, Any]:
    places = geo.locate(mentions, place_clusters)
    return {"places": places, "focus": places.focus}


def _timex(doc: Doc, published: str | None) -> dict[str, Any]:
    found, problems = timex.extract(doc, published)
    return {"timexes": found, "problems": problems}


def _claims(doc: Doc, quotes: list[Quote], focus: Focus | None = None) -> dict[str, Any]:
    # the article's country decides a currency name several countries share ("pesos")
    token = units.COUNTRY.set(focus.country if focus is not None else None)
    try:
        return {"claims": claims.extract(doc, quotes)}
    finally:
        units.COUNTRY.reset(token)


def _events(
    doc: Doc, mentions: Resolver, quotes: list[Quote], timexes: list[Timex], places: geo.Places, published: str | None
) -> dict[str, Any]:
    return {"events": events.extract(doc, mentions, quotes, timexes, places, published)}


def _dating(
    doc: Doc,
    published: str | None,
    timexes: list[Timex],
    quotes: Sequence[Quote] = (),
    claims: Sequence[Claim] = (),
    events: Sequence[Event] = (),
) -> dict[str, Any]:
    return {"dates": dating.date_items(doc, published, timexes, quotes, claims, events)}


STAGES: tuple[Stage, ...] = (
    Stage(
        "headline",
        headline.VERSION,
        ("text", "title"),
        ("headline",),
        _headline,
        doc="the title where the text opens with it: no quotes, claims or events are taken from it",
    ),
    Stage(
        "quotemarks",
        quotemarks.VERSION,
        ("text",),
        ("passages",),
        _quotemarks,
        doc="quoted passages from the quotation marks alone",
    ),
    Stage(
        "entities",
        entities.VERSION,
        ("doc", "passages"),
        ("mentions",),
        _entities,
        doc="entity clusters from the NER, mended, with name variants merged",
    ),
    Stage(
        "quotes",
        quotes.VERSION,
        ("doc", "mentions", "passages"),
        ("quotes",),
        _quotes,
        changes=("mentions",),
        doc="direct, indirect and mixed quotes with their cue and speaker",
    ),
    Stage(
        "coref",
        coref.VERSION,
        ("mentions",),
        (),
        _coref,
        changes=("mentions",),
        doc="pronouns and offices ('the spokesman') linked to the entity they name",
    ),
    Stage(
        "place_names",
        place_names.VERSION,
        ("mentions",),
        ("place_clusters",),
        _place_names,
        changes=("mentions",),
        doc="entity repair: places the NER missed, mislabelled, cut or ran together",
    ),
    Stage(
        "geo",
        geo.VERSION,
        ("mentions", "place_clusters"),
        ("places", "focus"),
        _geo,
        doc="each place cluster's gazetteer entry and roles, and the article's focus",
    ),
    Stage(
        "timex",
        timex.VERSION,
        ("doc", "published"),
        ("timexes",),
        _timex,
        doc="time expressions resolved against the publication date",
    ),
    Stage(
        "claims",
        claims.VERSION,
        ("doc", "quotes"),
        ("claims",),
        _claims,
        doc="numbers claimed, what they count, and who claims them",
        uses=("focus",),  # the article's country, for a currency name countries share
    ),
    Stage(
        "events",
        events.VERSION,
        ("doc", "mentions", "quotes", "timexes", "places", "published"),
        ("events",),
        _events,
        doc="PLOVER events with coded actors",
    ),
    Stage(
        "dating",
        dating.VERSION,
        ("doc", "published", "timexes"),
        ("dates",),
        _dating,
        doc="when each quote, claim and event happened (its ``dated``)",
        uses=("quotes", "claims", "events"),
    ),
)
BY_NAME: dict[str, Stage] = {s.name: s for s in STAGES}
# the record's layers and the stage whose product fills each one
LAYERS = {
    "entities": "entities",
    "quotes": "quotes",
    "timexes": "timex",
    "claims": "claims",
    "events": "events",
    "focus": "geo",
}


def check(order: Sequence[Stage]) -> None:
    """Raise StageError unless every stage's needs are met by the inputs or an earlier stage."""
    have = set(INPUTS)
    names: set[str] = set()
    for stage in order:
        if stage.name in names:
            raise StageError(f"stage {stage.name!r} is listed twice")
        missing = [n for n in stage.needs + stage.changes if n not in have]
        if missing:
            makers = sorted({s.name for s in STAGES for n in missing if n in s.produces})
            raise StageError(
                f"stage {stage.name!r} needs {', '.join(missing)}, which no earlier stage produces"
                + (f"; put {' or '.join(makers)} before it" if makers else "")
            )
        have.update(stage.produces)
        names.add(stage.name)


def select(names: Iterable[str] | None) -> tuple[Stage, ...]:
    """The registry's stages that the named ones need, in the registry's order (None: all).
    A name may also be a record layer ("timexes" for timex, "focus" for geo)."""
    if names is None:
        return STAGES
    wanted: set[str] = set()
    for raw in names:
        name = LAYERS.get(raw, raw) if raw not in BY_NAME else raw
        if name not in BY_NAME:
            raise StageError(f"no stage called {raw!r}; the stages are {', '.join(BY_NAME)}")
        wanted.add(name)
    if not wanted:
        raise StageError(f"no stages chosen; name one or more of {', '.join(BY_NAME)}")
    # close over needs: a stage needing a product pulls in the stage that makes it
    changed = True
    while changed:
        changed = False
        for stage in STAGES:
            if stage.name not in wanted:
                continue
            for need in stage.needs:
                maker = next((s for s in STAGES if need in s.produces), None)
                if maker is not None and maker.name not in wanted:
                    wanted.add(maker.name)
                    changed = True
    order = tuple(s for s in STAGES if s.name in wanted)
    check(order)
    return order
