"""The event lexicon derived from the field's dictionaries, and the whole-article fixture.

Examples: sentences written for these tests (none copied from the dev sets); names of real
office-holders only where the dated actor dictionary is what is tested.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from onrecord import event_lexicon
from onrecord.language import load

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LEXICONS = ROOT / "src" / "onrecord" / "lexicons"
FIXTURE = ROOT / "tests" / "fixtures" / "plover_articles" / "events.jsonl"


def _coding(sentence: str, verb: str) -> event_lexicon.Coding | None:
    doc = load()(sentence)
    tok = next(t for t in doc if t.text == verb)
    return event_lexicon.code(tok)


@pytest.mark.parametrize(
    ("sentence", "verb", "plover"),
    [
        ("The two governments held talks in Geneva.", "held", "CONSULT"),  # light verb + event noun
        ("Police held four students in detention overnight.", "held", "COERCE"),  # the object decides
        ("The union staged a protest outside the ministry.", "staged", "PROTEST"),  # lemmatiser says "stag"
        ("The army attacked the village at dawn.", "attacked", "ASSAULT"),
    ],
)
def test_the_object_or_phrase_decides_the_type(sentence: str, verb: str, plover: str) -> None:
    coding = _coding(sentence, verb)
    assert coding is not None and coding.plover == plover


def test_a_bare_light_verb_is_no_event() -> None:
    coding = _coding("The committee held its breath.", "held")
    assert coding is not None and coding.plover is None


def test_statements_are_dropped_and_appeals_are_requests() -> None:
    assert event_lexicon.plover("010") is None  # CAMEO 01, public statements: PLOVER drops them
    assert event_lexicon.plover("---") is None
    assert event_lexicon.plover("0233") == "REQUEST"  # CAMEO 02 appeal: onrecord's documented choice
    assert event_lexicon.plover("1712") == "ASSAULT"  # the table's own exception (destroy property)
    assert event_lexicon.plover("0841") == "RETREAT"


def test_actor_codes_are_dated_by_publication() -> None:
    assert event_lexicon.actor_code("Ehud Olmert", "2007-11-28") == "ISR"
    assert event_lexicon.actor_code("the United Nations", None) == "IGO"
    assert event_lexicon.actor_code("Nobody Inparticular", "2007-01-01") is None


def test_events_keep_the_main_act_not_its_purpose() -> None:
    from onrecord import extract

    rec = extract("Foreign ministers of the European Union agreed on Monday to provide aid to Sudan.")
    kinds = [e.type for e in rec.events]
    assert kinds == ["AGREE"], kinds  # "to provide aid" is what they agreed, not a second event


def test_an_event_needs_an_actor() -> None:
    from onrecord import extract

    rec = extract("Dozens of houses were damaged by the storm, and at least 24 were reported injured.")
    assert not rec.events


@pytest.mark.skipif(not (SHARED / "reference" / "eventdata").exists(), reason="needs ../shared/reference")
def test_shipped_lexicon_is_the_dictionaries_rebuilt(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, 'scripts'); import build_event_lexicon as b; from pathlib import Path; "
        f"b.write(b.DEFAULT_SOURCE, Path({str(tmp_path)!r})); b.write_actors(b.DEFAULT_SOURCE, Path({str(tmp_path)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for name in ("cameo_verbs.json", "cameo_plover.tsv", "phoenix_actors.tsv"):
        assert (tmp_path / name).read_bytes() == (LEXICONS / name).read_bytes(), (
            f"{name}: rerun scripts/build_event_lexicon.py"
        )


def test_article_fixture_is_consistent() -> None:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 15
    texts_path = SHARED / "data" / "quotes" / "wikinews_en" / "dev.jsonl"
    texts = {}
    if texts_path.exists():
        texts = {a["id"]: a["text"] for a in map(json.loads, texts_path.read_text(encoding="utf-8").splitlines())}
    for row in rows:
        assert row["half"] == "AB"[int(hashlib.sha256(row["id"].encode()).hexdigest(), 16) % 2]
        for ev in row["events"]:
            assert ev["type"] in event_lexicon.plover_types()
            if texts:
                trig = ev["trigger"]
                assert texts[row["id"]][trig["start"] : trig["end"]] == trig["text"]
