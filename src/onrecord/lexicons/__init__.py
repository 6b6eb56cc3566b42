"""The word lists every stage reads, as data: one TOML file per domain in this directory.

``speech.toml`` (reporting verbs and nouns, roles, titles), ``people.toml`` (name parts,
gendered words, organisation heads), ``pronouns.tsv`` (the one pronoun table),
``events.toml`` (trigger lemmas, phrases and nouns by PLOVER type, actor words),
``places.toml`` (country aliases and demonyms, regions, place nouns), ``time.toml`` (units,
seasons, parts of day, sets, vague references) and ``numbers.toml`` (number words and scales,
shared by claims and time). Each entry names the module that reads it; a comment above it
says where the words came from. Lists are read once per process.
"""

from __future__ import annotations

import csv
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _file(domain: str) -> dict[str, Any]:
    with files(__package__).joinpath(f"{domain}.toml").open("rb") as f:
        return tomllib.load(f)


def _entry(domain: str, key: str) -> Any:
    try:
        return _file(domain)[key]
    except KeyError:
        raise KeyError(f"lexicon {domain}.toml has no entry {key!r}") from None


def words(domain: str, key: str) -> frozenset[str]:
    return frozenset(_entry(domain, key))


def sequence(domain: str, key: str) -> tuple[str, ...]:
    return tuple(_entry(domain, key))


def rows(domain: str, key: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in _entry(domain, key)]


def table(domain: str, key: str) -> dict[str, str]:
    entry = _entry(domain, key)
    if not all(isinstance(v, str) for v in entry.values()):
        raise TypeError(f"lexicon {domain}.toml: {key} must map words to strings")
    return dict(entry)


def amounts(domain: str, key: str) -> dict[str, int | float]:
    entry = _entry(domain, key)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in entry.values()):
        raise TypeError(f"lexicon {domain}.toml: {key} must map words to numbers")
    return dict(entry)


def table_of_tuples(domain: str, key: str) -> dict[str, tuple[Any, ...]]:
    return {k: tuple(v) for k, v in _entry(domain, key).items()}


def phrases(domain: str, key: str) -> dict[tuple[str, ...], str]:
    """A table keyed by space-separated words ("call for") -> keyed by word tuples."""
    return {tuple(k.split()): str(v) for k, v in _entry(domain, key).items()}


@cache
def pronouns() -> tuple[dict[str, str], ...]:
    """The pronoun table: form, person (1 | 2 | 3 | -), gender (m | f | n | -), number
    (sg | pl | -), cases (subj obj poss), and what it refers to (person | thing | any | none)."""
    with files(__package__).joinpath("pronouns.tsv").open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines, delimiter="\t"))


def pronoun_forms(
    *,
    gender: str | None = None,
    cases: str | None = None,
    number: str | None = None,
    person: str | None = None,
    refers: str | None = None,
) -> frozenset[str]:
    """Forms of the table with that ``gender``, ``number``, ``person`` and ``refers``, taking
    one of ``cases`` (None: any)."""
    wanted = set(cases.split()) if cases else None
    return frozenset(
        p["form"]
        for p in pronouns()
        if (gender is None or p["gender"] == gender)
        and (number is None or p["number"] == number)
        and (person is None or p["person"] == person)
        and (refers is None or p["refers"] == refers)
        and (wanted is None or wanted & set(p["cases"].split()))
    )
