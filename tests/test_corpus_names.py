"""One person, one entity across the corpus (issue 12): a speaker found by any of their names,
abbreviations that are bodies not pronouns, and surname-only persons counted and exported as
the full name the corpus gives. Stories written for these tests."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

import onrecord
from onrecord import dedup
from onrecord.model import Article
from onrecord.store import Extracted
from onrecord.store.sqlite import SQLiteStore

STORIES = {
    "full": 'Prime Minister Karin Lindberg said on Monday that "the budget is balanced."',
    "surname": 'Lindberg said on Friday that "nothing was agreed," and left.',
    "who": 'The World Health Organization (WHO) said cases rose. "We are worried," WHO said on Friday.',
    "cdc": 'The Centers for Disease Control and Prevention (CDC) said cases fell. "It is safe," the CDC said.',
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "store.db")
    store = SQLiteStore(path, version="test-v1")
    items = []
    for key, text in STORIES.items():
        record = onrecord.extract(text, published="2024-03-13", id=key)
        doc = Article(
            id=key,
            text=text,
            source=f"{key}.txt",
            kind="text",
            published="2024-03-13",
            raw_sha256=dedup.text_sha256(text),
        )
        items.append(Extracted(doc, replace(record, id=key)))
    store.add(items)
    store.close()
    return path


def speakers(path: str, name: str) -> set[str]:
    store = SQLiteStore(path, version="test-v1")
    try:
        return {q["article_id"] for q in store.quotes(speaker=name)}
    finally:
        store.close()


def test_a_speaker_is_found_by_surname_though_the_article_wrote_the_full_name(store_path: str) -> None:
    assert speakers(store_path, "Lindberg") == {"full", "surname"}
    assert speakers(store_path, "Karin Lindberg") == {"full", "surname"}


@pytest.mark.parametrize("name", ["WHO", "who", "World Health Organization"])
def test_an_abbreviation_is_a_body_not_a_pronoun(store_path: str, name: str) -> None:
    assert speakers(store_path, name) == {"who"}


def test_an_abbreviation_in_brackets_joins_the_body_whatever_its_letters() -> None:
    rec = onrecord.extract(STORIES["cdc"]).to_dict()
    names = {q["speaker"]["name"] for q in rec["quotes"]}
    assert names == {"Centers for Disease Control and Prevention"}


def test_a_surname_only_person_is_counted_as_the_full_name(store_path: str) -> None:
    store = SQLiteStore(store_path, version="test-v1")
    try:
        people = {e["name"]: e for e in store.entities() if e["type"] == "PERSON"}
    finally:
        store.close()
    assert "Lindberg" not in people
    assert people["Karin Lindberg"]["articles"] == 2


def test_the_ftm_export_gives_one_person_one_id(store_path: str) -> None:
    from onrecord.export_ftm import write_ftm

    store = SQLiteStore(store_path, version="test-v1")
    try:
        out = io.StringIO()
        write_ftm(store.records(), out, same_as=store.canonical_names())
    finally:
        store.close()
    persons = [json.loads(line) for line in out.getvalue().splitlines() if '"schema": "Person"' in line]
    assert [p["properties"]["name"] for p in persons] == [["Karin Lindberg"]]


def test_two_people_of_one_surname_stay_apart(tmp_path: Path) -> None:
    path = str(tmp_path / "two.db")
    store = SQLiteStore(path, version="test-v1")
    texts = {
        "a": 'Anna Berg said on Monday that "the plan works."',
        "b": 'Peter Berg said on Monday that "the plan fails."',
        "c": 'Berg said on Friday that "talks go on."',
    }
    items = []
    for key, text in texts.items():
        record = onrecord.extract(text, published="2024-03-13", id=key)
        doc = Article(
            id=key,
            text=text,
            source=f"{key}.txt",
            kind="text",
            published="2024-03-13",
            raw_sha256=dedup.text_sha256(text),
        )
        items.append(Extracted(doc, replace(record, id=key)))
    store.add(items)
    try:
        assert store.canonical_names() == {}
    finally:
        store.close()
