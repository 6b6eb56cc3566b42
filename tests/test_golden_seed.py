"""Golden record of the reference article: must-contain and must-not-contain expectations
that survive harmless changes (ids, ordering, extra fields).
Expectations are read off the hand-made gold of ../shared/examples/seed."""

from __future__ import annotations

import re

from .conftest import assert_spans_are_evidence


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def _find(record: dict, gold_text: str) -> dict | None:
    best = max(record["quotes"], key=lambda q: _dice(_words(q["text"]), _words(gold_text)), default=None)
    return best if best and _dice(_words(best["text"]), _words(gold_text)) >= 0.5 else None


def test_text_is_kept_exactly(seed_record, seed_text):
    assert seed_record["text"] == seed_text
    assert seed_record["published"] == "2022-01-14"
    assert len(seed_record["sha256"]) == 64


def test_every_required_quote_found_with_canonical_speaker(seed_record, seed_gold):
    for gold in [q for q in seed_gold["quotes"] if not q.get("optional")]:
        found = _find(seed_record, gold["text"])
        assert found is not None, f"missed: {gold['text'][:60]}"
        assert found["speaker"]["name"] == gold["speaker"], gold["text"][:60]


def test_quote_kinds_and_cues(seed_record, seed_gold):
    for gold in [q for q in seed_gold["quotes"] if not q.get("optional")]:
        found = _find(seed_record, gold["text"])
        assert found["kind"] == gold["kind"], gold["text"][:60]
        if gold["cue"]:
            assert found["cue"]["text"].lower().startswith(gold["cue"].lower())


def test_spans_are_evidence(seed_record):
    assert_spans_are_evidence(seed_record)


def test_continuation_paragraphs_inherit_without_a_mention(seed_record):
    cont = _find(seed_record, "But clearly, it's not going to take place before the start of the Olympics.")
    assert cont["speaker"]["name"] == "Rupert Colville"
    assert cont["speaker"]["mention"] is None and cont["cue"] is None


def test_scare_quotes_are_not_speech(seed_record, seed_gold):
    for term in seed_gold["not_quotes"]:
        assert not any(q["text"].strip(' ."') == term["text"] for q in seed_record["quotes"]), term["text"]
    assert len(seed_record["quotes"]) <= len(seed_gold["quotes"])


def test_unclosed_mark_is_a_problem_not_a_failure(seed_record):
    problems = [p for p in seed_record["problems"] if p["stage"] == "quotemarks"]
    assert len(problems) == 1
    assert seed_record["text"][problems[0]["start"]] == '"'
    assert "never closed" in problems[0]["message"]


def test_speakers_point_at_entities(seed_record):
    ids = {e["id"]: e for e in seed_record["entities"]}
    for q in seed_record["quotes"]:
        if q["speaker"]["name"]:
            assert q["speaker"]["entity"] in ids
            assert q["speaker"]["name"].startswith(ids[q["speaker"]["entity"]]["name"])


def test_capital_speaking_for_its_country(seed_record):
    q = _find(seed_record, "lies and political virus.")
    assert q["kind"] == "mixed" and q["speaker"]["name"] == "China"
    assert q["speaker"]["mention"]["text"] == "Beijing"


def test_trailing_noise_is_not_content(seed_record):
    text = seed_record["text"]
    assert all(not text[s["start"] : s["end"]].strip(" -|\n") == "" for q in seed_record["quotes"] for s in q["spans"])
    assert all(s["end"] <= text.rindex("virus") + len("virus.") for q in seed_record["quotes"] for s in q["spans"])


def test_versions_say_which_extractor(seed_record):
    v = seed_record["versions"]
    assert v["quotes"].startswith("quotes.v") and v["onrecord"]
    assert "sm" in v["model"] or v["model"]


def test_entity_ids_are_unique(seed_record):
    ids = [e["id"] for e in seed_record["entities"]]
    assert len(ids) == len(set(ids))


def test_every_gold_event_found_with_its_type(seed_record, seed_gold, seed_text):
    # as score.py seed: an event of the gold type whose span overlaps the gold event's words
    for gold in seed_gold["events"]:
        start = seed_text.index(gold["text"])
        found = [
            e
            for e in seed_record["events"]
            if e["type"] == gold["type"] and e["start"] < start + len(gold["text"]) and start < e["end"]
        ]
        assert found, gold
