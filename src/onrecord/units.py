"""What a number counts in: currencies (ISO 4217 codes from CLDR, via Babel) and units of
measure (pint's registry), for numeric claims.

Both lookups are built once, from the libraries' data, not from word lists of our own:

- ``currency_sign("A$")`` -> "AUD": the signs CLDR gives English ("$" is USD, "£" GBP, "₹"
  INR, "A$" AUD), then the signs of the regional English locales where they name one currency
  only ("US$", "Rp", "RM"); a sign several currencies share there ("kr", "Rs") is not guessed.
- ``currency_name("euros")`` -> "EUR", "Australian dollars" -> "AUD": CLDR's English
  names, singular and plural. A bare name several currencies share ("dollars", "pounds",
  "rupees") goes to the one English writes with the bare sign alone ("$", "£", "₹"): that is
  the currency an English text means when it names no country. "Rs" is the abbreviation of
  "rupees" and is read as the bare name.
- ``measure("metric tons")`` -> "t", "square kilometres" -> "km²": pint's unit names with
  their prefixes and plurals (never an English stop word such as "in" or "are", both pint
  units), kept to physical dimensions (mass, length, area, volume, energy,
  power, speed, temperature). Durations are the dates layer's; dimensionless units (percent,
  degrees of angle) are not measures here; the few pint units that are everyday news nouns
  ("points" in a game, a "hand", a "line") are not read as units.
"""

from __future__ import annotations

import re
import shutil
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from . import cache

# pint units that are ordinary nouns in news text: "scored 30 points", "two hands", "three
# lines", "four cups", "a stone" is a weight only in British usage about people. Evidence:
# pint's default registry, read against the nouns that follow numbers in news.
_EVERYDAY = frozenset({"point", "points", "hand", "hands", "line", "lines", "cup", "cups", "bit", "bits", "chain"})
_KEPT_DIMENSIONS = frozenset(
    {
        "[mass]",
        "[length]",
        "[length] ** 2",
        "[length] ** 3",
        "[mass] * [length] ** 2 / [time] ** 2",  # energy
        "[mass] * [length] ** 2 / [time] ** 3",  # power
        "[length] / [time]",  # speed
        "[temperature]",
    }
)
_POWERS = {"square": "²", "sq": "²", "sq.": "²", "cubic": "³"}


def load() -> None:
    """Build both lookups now (about a second): before a run, not on its first article's budget."""
    _registry()
    _currency_tables()


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    # pint parses its definitions file on every start (0.18 s); its own disk cache keeps the
    # parsed form (0.02 s). It writes the file in place, so a process that reads it while
    # another writes it may find it cut short: then the folder is dropped (rebuilt next time)
    # and this process parses the definitions itself.
    folder = cache.folder("pint-" + pint.__version__)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return pint.UnitRegistry(cache_folder=folder)
    except Exception:  # noqa: BLE001 - any failure of a cache is a reason to go without it
        shutil.rmtree(folder, ignore_errors=True)
        return pint.UnitRegistry()


@lru_cache(maxsize=4096)
def measure(words: str) -> str | None:
    """The unit symbol of ``words`` ("kilometres" -> "km"), or None if they are no unit of measure."""
    w = words.strip().rstrip(".")
    power = ""
    first, _, rest = w.partition(" ")
    if first.lower() in _POWERS and rest:
        power, w = _POWERS[first.lower()], rest
    elif first.lower() in ("degree", "degrees") and rest:
        w = rest  # "degrees Celsius": the scale names the unit
    low = w.lower()
    if len(low) < 2 or len(low) > 40 or low in _EVERYDAY or low in STOP_WORDS:
        return None
    if not re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)?", w):
        return None
    from pint.errors import PintError

    ureg = _registry()
    parsed: tuple[tuple[str, str, str], ...] = ()
    for form in dict.fromkeys((w, low)):  # "MW" is megawatts, "mw" would be milliwatts
        try:
            parsed = tuple(ureg.parse_unit_name(form.replace(" ", "_")))
        except (PintError, ValueError):  # a name pint cannot split is a "no"
            parsed = ()
        if parsed:
            break
    plain = [p for p in parsed if not p[0]] or list(parsed)
    if len(plain) != 1:
        return None  # "min" is minutes or milli-inches: not guessed
    prefix, name, _suffix = plain[0]
    dims = str(ureg.get_dimensionality(name))
    if power:
        dims = {"²": "[length] ** 2", "³": "[length] ** 3"}[power] if dims == "[length]" else ""
    if dims not in _KEPT_DIMENSIONS:
        return None
    return str(ureg.get_symbol(prefix + name)) + power


@lru_cache(maxsize=1024)
def is_time_unit(word: str) -> bool:
    """ "days", "hours", "years": a duration's unit (the dates layer's business)."""
    from pint.errors import PintError

    ureg = _registry()
    w = word.lower()
    if len(w) < 3 or not w.isalpha():
        return False
    try:
        parsed = ureg.parse_unit_name(w)
    except (PintError, ValueError):
        return False
    return any(str(ureg.get_dimensionality(name)) == "[time]" for _p, name, _s in parsed) or w in (
        "decade",
        "decades",
        "century",
        "centuries",
    )


Tables = tuple[dict[str, str], dict[str, str], frozenset[str], dict[str, frozenset[str]]]
TABLES_VERSION = "1"  # of the code below: change it with the tables' making


@lru_cache(maxsize=1)
def _currency_tables() -> Tables:
    import babel

    # reading CLDR for 130 English locales takes 0.1 s a process: kept in the cache folder
    return cache.kept(f"currencies-{TABLES_VERSION}-{babel.__version__}.pickle", tuple, _build_currency_tables)


def _build_currency_tables() -> Tables:
    from babel import Locale, localedata
    from babel.numbers import get_currency_name, get_territory_currencies

    en = Locale("en")
    signs: dict[str, str] = {sym: code for code, sym in en.currency_symbols.items() if sym != code}
    regional: dict[str, set[str]] = {}
    for ident in localedata.locale_identifiers():
        if ident.startswith("en_"):
            for code, sym in Locale.parse(ident).currency_symbols.items():
                if sym != code:
                    regional.setdefault(sym, set()).add(code)
    for sym, found in regional.items():
        if sym not in signs and len(found) == 1:
            signs[sym] = next(iter(found))
    current = {c for t in en.territories for c in get_territory_currencies(str(t))}  # legal tender today
    names: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for code in sorted(en.currencies, key=lambda c: c not in current):  # today's currencies first
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            names.setdefault(name, code)
            if code in current:
                bare.setdefault(name.split()[-1], set()).add(code)
    lone = {code for sym, code in signs.items() if len(sym) == 1 and not sym.isalnum()}
    for word, found in bare.items():
        if word in names:
            continue
        owners = found & lone
        if len(found) == 1 or len(owners) == 1:
            names[word] = next(iter(found if len(found) == 1 else owners))
    if "rupees" in names:
        names["rs"] = names["rs."] = names["rupees"]
    # a bare name and every current currency it may be, singular and plural ("pesos": ARS,
    # CLP, COP, CUP, DOP, MXN, PHP, UYU ...), for the article's country to choose from
    shared = {w: frozenset(found) for w, found in bare.items() if len(found) > 1}
    return signs, names, frozenset(en.currencies), shared


def currency_sign(sign: str) -> str | None:
    """ "$" -> "USD", "HK$" -> "HKD", "EUR" -> "EUR"; None for anything else."""
    signs, names, codes, _shared = _currency_tables()
    s = sign.strip()
    if s in signs:
        return signs[s]
    if s in codes and s.isupper():
        return s
    return names.get(s.lower()) if s.lower() in ("rs", "rs.") else None


# the article's country (ISO 3166 alpha-2), set per article and thread by the claims stage
COUNTRY: ContextVar[str | None] = ContextVar("country", default=None)


def currency_name(words: str) -> str | None:
    """ "euros" -> "EUR", "US dollars" -> "USD", "rupees" -> "INR"; None if no currency. A
    bare name several currencies share is the article's own country's currency where it is
    one of them (CLDR's territory currencies: "pesos" in a Mexican story are MXN, in a
    Philippine one PHP), else the currency English writes with the bare sign."""
    _signs, names, _codes, shared = _currency_tables()
    word = words.strip().lower()
    country = COUNTRY.get()
    if country and word in shared:
        own = shared[word] & _territory_currencies(country)
        if len(own) == 1:
            return next(iter(own))
    return names.get(word)


@lru_cache(maxsize=256)
def _territory_currencies(country: str) -> frozenset[str]:
    from babel.numbers import get_territory_currencies

    return frozenset(get_territory_currencies(country.upper()))  # [] for a code it does not know
