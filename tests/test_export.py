"""Exports: JSONL whole records, CSV rows whose offsets are evidence, FtM entities that validate.
Records come from made-up articles and the reference article."""

from __future__ import annotations

import csv
import io
import json

import pytest
from followthemoney import model

import onrecord
from onrecord.export import CSV_COLUMNS, csv_rows, write_csv, write_jsonl
from onrecord.export_ftm import ftm_entities, write_ftm

SECOND = (
    "UN human rights chief Michelle Bachelet said on Monday that talks with Beijing continue.\n"
    '"We are still discussing the terms," spokesman Rupert Colville told reporters in Geneva.\n'
)


@pytest.fixture(scope="module")
def seed(seed_record: dict) -> dict:
    return {**seed_record, "url": "https://example.org/un-xinjiang", "title": "UN: no Xinjiang visit before Olympics"}


@pytest.fixture(scope="module")
def second() -> dict:
    return onrecord.extract(
        SECOND, published="2022-03-07", id="second", meta={"url": "https://news.example.com/b", "title": "Talks go on"}
    ).to_dict()


def _csv(records: list[dict], **kw: str) -> list[dict]:
    out = io.StringIO(newline="")
    n = write_csv(records, out, **kw)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == n
    return rows


def _multi_span_record() -> dict:
    """Hand-built: one quote in two spans around its attribution, and one claim."""
    text = '"We will go," she said, "when it is time." At least 12 people came.'
    return {
        "id": "hand",
        "text": text,
        "published": "2022-05-01",
        "versions": {"quotes": "quotes.v1"},
        "entities": [],
        "timexes": [],
        "events": [],
        "quotes": [
            {
                "kind": "direct",
                "spans": [{"start": 1, "end": 11}, {"start": 25, "end": 41}],
                "text": "We will go, ... when it is time.",
                "speaker": {"name": None, "entity": None, "mention": None},
                "cue": {"start": 17, "end": 21, "text": "said"},
            }
        ],
        "claims": [
            {
                "start": 43,
                "end": 67,
                "text": "At least 12 people came.",
                "counted": "people",
                "quantity": {"text": "At least 12", "value": 12, "bound": "lower"},
                "source": None,
            }
        ],
    }


# --- JSONL ------------------------------------------------------------------------------


def test_jsonl_writes_whole_records_unescaped(seed: dict) -> None:
    record = {**seed, "title": "Bachelet \u2014 \u201cno visit\u201d"}
    out = io.StringIO()
    assert write_jsonl([record, record], out) == 2
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0]) == json.loads(json.dumps(record))  # to_dict() may hold tuples
    assert "\u201cno visit\u201d" in lines[0]  # ensure_ascii=False: not \u-escaped


# --- CSV --------------------------------------------------------------------------------


def test_csv_header_is_the_documented_columns(seed: dict) -> None:
    out = io.StringIO(newline="")
    write_csv([seed], out)
    assert next(csv.reader(io.StringIO(out.getvalue())))[:] == list(CSV_COLUMNS)


def test_csv_offsets_index_the_record_text(seed: dict) -> None:
    rows = _csv([seed])
    assert {r["item_type"] for r in rows} == {"quote", "claim", "event"}
    assert len(rows) == len(seed["quotes"]) + len(seed["claims"]) + len(seed["events"])
    for row in rows:
        assert seed["text"][int(row["start"]) : int(row["end"])] == row["text"]
        assert row["url"] == "https://example.org/un-xinjiang" and row["article_id"] == seed["id"]
        assert row["version"] == seed["versions"][row["item_type"] + "s"]


def test_csv_ids_are_stable_across_exports(seed: dict, second: dict) -> None:
    first = [r["item_id"] for r in _csv([seed, second])]
    again = [r["item_id"] for r in _csv([second, seed])]
    assert sorted(first) == sorted(again) and len(set(first)) == len(first)
    assert first[0] == f"{seed['id']}#q1"
    quotes_only = [r["item_id"] for r in _csv([seed], what="quotes")]
    assert quotes_only == [f"{seed['id']}#q{n}" for n in range(1, len(seed["quotes"]) + 1)]


def test_csv_quote_columns(seed: dict) -> None:
    rows = {r["quote"]: r for r in _csv([seed], what="quotes")}
    colville = next(r for q, r in rows.items() if q.startswith("As we've stated"))
    assert (colville["speaker"], colville["kind"], colville["cue"]) == ("Rupert Colville", "direct", "said")
    assert colville["speaker_entity"] and colville["spans"] == f"{colville['start']}-{colville['end']}"


def test_csv_date_from_the_sentence_else_published(seed: dict) -> None:
    """Found in the reference article: "At the Human Rights Council on Sept. 13, she said ..."."""
    rows = _csv([seed], what="quotes")
    sorry = next(r for r in rows if "was sorry" in r["quote"])
    assert (sorry["date"], sorry["date_source"]) == ("2021-09-13", "text")
    undated = next(r for r in rows if r["quote"].startswith("So, I don't exactly know"))
    assert (undated["date"], undated["date_source"]) == ("2022-01-14", "published")


def test_csv_multi_span_quote_and_claim() -> None:
    record = _multi_span_record()
    quote, claim = _csv([record])
    assert quote["spans"] == "1-11;25-41" and (quote["start"], quote["end"]) == ("1", "41")
    assert quote["text"] == record["text"][1:41] and quote["quote"] == "We will go, ... when it is time."
    assert quote["speaker"] == "" and quote["date_source"] == "published"
    assert (claim["value"], claim["bound"], claim["counted"], claim["quantity"]) == (
        "12",
        "lower",
        "people",
        "At least 12",
    )
    assert claim["text"] == "At least 12 people came."


def test_csv_keeps_line_breaks_inside_a_field() -> None:
    record = _multi_span_record()
    record["text"] = record["text"].replace(" she said, ", "\nshe said,\n")
    [quote] = _csv([record], what="quotes")
    assert "\n" in quote["text"] and quote["text"] == record["text"][1:41]


def test_csv_what_is_checked() -> None:
    with pytest.raises(ValueError, match="quotes, claims, events, all"):
        write_csv([], io.StringIO(), what="people")


def test_csv_record_without_text_or_items_gives_no_rows() -> None:
    assert list(csv_rows({"id": "failed", "error": "boom", "text": ""})) == []


# --- FollowTheMoney ---------------------------------------------------------------------


def _ftm(records: list[dict]) -> list[dict]:
    out = io.StringIO()
    n = write_ftm(records, out)
    entities = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(entities) == n
    return entities


def test_ftm_entities_validate_against_the_model(seed: dict, second: dict) -> None:
    for data in _ftm([seed, second]):
        proxy = model.get_proxy(data, cleaned=False)  # cleans every value again
        proxy.schema.validate(proxy.to_dict())
        assert proxy.to_dict()["properties"] == data["properties"], data["schema"]


def test_ftm_article_persons_and_mentions(seed: dict) -> None:
    entities = _ftm([seed])
    by_schema: dict[str, list[dict]] = {}
    for e in entities:
        by_schema.setdefault(e["schema"], []).append(e)
    [article] = by_schema["Article"]
    props = article["properties"]
    assert props["title"] == [seed["title"]] and props["publishedAt"] == ["2022-01-14"]
    assert props["sourceUrl"] == [seed["url"]] and props["bodyText"] == [seed["text"].strip()]
    people = {e["properties"]["name"][0]: e["id"] for e in by_schema["Person"]}
    assert {"Rupert Colville", "Michelle Bachelet"} <= set(people)
    mentioned = {
        e["properties"]["resolved"][0] for e in by_schema["Mention"] if e["properties"]["document"] == [article["id"]]
    }
    assert set(people.values()) <= mentioned
    quoted = [e for e in by_schema["Documentation"] if e["properties"]["role"][0].startswith("quoted")]
    assert any(e["properties"]["entity"] == [people["Rupert Colville"]] for e in quoted)
    assert all(e["properties"]["document"] == [article["id"]] for e in quoted)


def test_ftm_same_person_in_two_articles_is_one_entity(seed: dict, second: dict) -> None:
    entities = _ftm([seed, second])
    colville = [e for e in entities if e["schema"] == "Person" and e["properties"]["name"] == ["Rupert Colville"]]
    assert len(colville) == 1  # written once, with one id ...
    articles = {e["id"] for e in entities if e["schema"] == "Article"}
    resolved_in = {
        m["properties"]["document"][0]
        for m in entities
        if m["schema"] == "Mention" and m["properties"]["resolved"] == [colville[0]["id"]]
    }
    assert len(articles) == 2 and resolved_in == articles  # ... mentioned by both articles
    # and the ids do not depend on the run: a fresh export of the second article alone agrees
    alone = {e["id"] for e in _ftm([second]) if e["schema"] == "Person"}
    assert colville[0]["id"] in alone


def test_ftm_long_text_is_kept_whole_in_chunks() -> None:
    record = _multi_span_record()
    record["text"] = record["text"] + " filler." * 20_000  # 160,000+ characters
    [article] = [p for p in ftm_entities(record) if p.schema.name == "Article"]
    chunks = article.get("bodyText")
    assert len(chunks) > 1 and " ".join(chunks).split() == record["text"].split()
    assert all(len(chunk) <= 65_000 for chunk in chunks)
    article.schema.validate(article.to_dict())


def test_ftm_two_record_entities_of_one_name_are_one_entity() -> None:
    """Found as a bug risk: the entity linker may leave two entities of one name in a record."""
    record = _multi_span_record()
    record["entities"] = [
        {"id": f"e{n}", "name": "Wang Yi", "type": "PERSON", "mentions": [], "geo": None} for n in (1, 2)
    ]
    ids = [p.id for p in ftm_entities(record)]
    assert len(ids) == len(set(ids)) == 3  # the article, one Person, one Mention


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_cannot_become_spreadsheet_formulas(start: str) -> None:
    # found as a bug: cells were written raw, so a quote or id starting with "=" ran as a formula
    payload = f'{start}HYPERLINK("http://evil.example","x")'
    text = f'"{payload} is what we said," she said.'
    end = 1 + len(payload) + len(" is what we said,")
    record = {
        "id": payload,
        "text": text,
        "published": "2022-05-01",
        "url": f"{start}cmd|' /C calc'!A0",
        "title": payload,
        "versions": {"quotes": "quotes.v1"},
        "entities": [],
        "timexes": [],
        "events": [],
        "claims": [],
        "quotes": [
            {
                "kind": "direct",
                "spans": [{"start": 1, "end": end}],
                "text": text[1:end],
                "speaker": {"name": f"{start}Mallory", "entity": None, "mention": None},
                "cue": {"start": end + 2, "end": end + 6, "text": "said"},
            }
        ],
    }
    out = io.StringIO(newline="")
    write_csv([record], out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    [row] = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["quote"] == "'" + text[1:end] and row["speaker"] == f"'{start}Mallory"
    assert row["start"] == "1"  # numbers stay numbers


def test_csv_negative_numbers_stay_numbers() -> None:
    record = _multi_span_record()
    record["claims"][0]["quantity"]["value"] = -3.5
    [_quote, claim] = _csv([record])
    assert claim["value"] == "-3.5"
