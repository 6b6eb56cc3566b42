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


def _events(text: str, published: str | None = None) -> list[tuple[str, str]]:
    from onrecord import extract

    return [(e.type, e.trigger.text) for e in extract(text, published=published).events]


def test_the_dictionary_pattern_can_say_no_event_for_a_short_list_verb() -> None:
    # "deny" is REJECT on the short list, but CAMEO codes "deny * REPORT" 016 (a denial), which
    # PLOVER drops; a refusal to act keeps its type
    assert _events("The Egyptian interior ministry denied the report on Tuesday.") == []
    assert ("REJECT", "rejected") in _events("Israel rejected the Egyptian ceasefire proposal on Tuesday.")


def test_held_is_decided_by_its_object() -> None:
    # "hold" is not on the short list: the dictionary's patterns decide, and bare it is nothing
    assert (
        _events("Indian Prime Minister Narendra Modi held talks with Chinese officials in Beijing.")[0][0] == "CONSULT"
    )
    assert _events("The Kenyan opposition held a rally in Nairobi on Sunday.")[0][0] == "PROTEST"
    assert _events("Turkish police held four students in detention overnight.")[0][0] == "COERCE"
    assert _events("The Kenyan opposition held its breath.") == []


def test_a_statement_verb_does_not_perform_the_force_it_reports() -> None:
    # "comment * (ON ARREST)" is 173 in the dictionary, but the commenter did not arrest anyone:
    # "comment" is no trigger (the arrests themselves, a noun, stay an event)
    doc = load()("The White House declined to comment on the arrests in Cairo.")
    comment = next(t for t in doc if t.text == "comment")
    coding = event_lexicon.code(comment)
    assert coding is not None and coding.cameo.startswith("17") and coding.plover is None
    assert "comment" not in [t for _k, t in _events("The White House declined to comment on the arrests in Cairo.")]


def test_a_future_verbal_act_keeps_its_type_and_future_force_threatens() -> None:
    (kind, _trigger), *_ = _events("The Canadian foreign ministry will investigate the Iranian embassy.")
    assert kind == "ACCUSE"  # before, every future act that was not cooperation became THREATEN
    assert _events("Russian troops will attack the Georgian town of Gori.")[0][0] == "THREATEN"
    assert _events("The Canadian government will send aid to Haiti.")[0][0] == "AGREE"


def test_a_condition_is_not_an_act() -> None:
    events = _events("Unless the Iranian authorities release the journalists, the British government will protest.")
    assert all(trigger != "release" for _kind, trigger in events), events


def test_one_act_is_coded_once_per_sentence_but_a_title_apart_is_its_own() -> None:
    text = "Syrian police arrested dozens of students and detained their teachers in Damascus."
    assert [k for k, _t in _events(text)].count("COERCE") == 1  # same actors, same type: one act


def test_an_amount_that_moves_is_no_act() -> None:
    assert _events("Japan's Nikkei declined 0.3% on Monday.") == []


def test_agents_from_the_phoenix_dictionary_name_actors_with_their_sector() -> None:
    from onrecord import extract

    assert event_lexicon.agent_sector(["the", "riot", "police"]) == "COP"
    assert event_lexicon.agent_sector(["foreign", "journalists"]) == "MED"
    assert event_lexicon.agent_sector(["the", "weather"]) is None
    (event,) = extract("The two women were detained in Kuala Lumpur on Friday.").events
    assert event.type == "COERCE" and event.target is not None and event.target.sector == "CVL"
    assert event.target.code == "MYS"  # a people noun with no country takes the event's place


def test_a_match_result_is_no_attack() -> None:
    assert _events("England beat France 2-1 at Wembley on Saturday.") == []
    assert _events("Russian troops beat protesters in Moscow.")[0][0] == "ASSAULT"


def test_a_coordinated_actor_has_every_members_code() -> None:
    from onrecord import extract

    (event,) = extract("Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.").events
    assert event.source is not None and event.source.codes == ("HUN", "ROU") and event.source.code == "HUN"
    (event,) = extract("Police arrested Syrian and Iraqi migrants in Athens.").events
    assert event.target is not None and set(event.target.codes) == {"SYR", "IRQ"}
    # a country named inside one actor's phrase is no second member
    (event,) = extract("The US-backed Iraqi government arrested three Iranian diplomats.").events
    assert event.source is not None and event.source.codes == (event.source.code,)


def test_a_protest_at_a_foreign_mission_is_aimed_at_that_country() -> None:
    from onrecord import extract

    (event,) = extract("Thousands of Iranian students protested outside the British embassy in Tehran.").events
    assert event.type == "PROTEST" and event.target is not None and event.target.code == "GBR"
    (event,) = extract("Kenyan teachers protested outside parliament in Nairobi on Monday.").events
    assert event.target is not None and event.target.code == "KEN"  # at home: their own authorities


def test_a_listed_person_has_their_dated_role() -> None:
    assert event_lexicon.actor_role("Ehud Olmert", "2007-11-28") == "GOV"
    assert event_lexicon.actor_role("Ehud Olmert", "1990-01-01") == "ELI"
    assert event_lexicon.actor_role("Nobody Inparticular", None) is None


def test_we_in_a_quote_is_the_speaker() -> None:
    from onrecord import extract

    rec = extract('"We will not negotiate with the rebels," said Sudanese President Omar al-Bashir on Monday.')
    events = [e for e in rec.events if e.trigger.text == "negotiate"]
    assert events and events[0].source is not None and events[0].source.code == "SDN", rec.events


def test_who_was_forced_to_act_is_who_acts() -> None:
    from onrecord import extract

    (event,) = [
        e for e in extract("The Canadian minister was forced to resign in May.").events if e.trigger.text == "resign"
    ]
    assert event.source is not None and event.source.code == "CAN"


@pytest.mark.skipif(not (SHARED / "reference" / "eventdata").exists(), reason="needs ../shared/reference")
def test_shipped_lexicon_is_the_dictionaries_rebuilt(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, 'scripts'); import build_event_lexicon as b; from pathlib import Path; "
        f"b.write(b.DEFAULT_SOURCE, Path({str(tmp_path)!r})); b.write_actors(b.DEFAULT_SOURCE, Path({str(tmp_path)!r})); "
        f"b.write_agents(b.DEFAULT_SOURCE, Path({str(tmp_path)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for name in ("cameo_verbs.json", "cameo_plover.tsv", "phoenix_actors.tsv", "phoenix_agents.tsv"):
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


def test_events_on_whole_articles_hold_the_measured_figures() -> None:
    """The ratchet for events on the 28 hand-coded articles (benchmarks/events_articles.py):
    the figures of 2026-12-04 less 0.02, so a change that loses a few events, or adds a few
    false ones, on either half fails. Half A was studied, half B was not; the issue's targets
    (precision 0.80, recall 0.60, actors 0.70) are not met, and the floors say so."""
    import onrecord
    from tests.conftest import shared_path

    shared_path("data", "quotes", "wikinews_en", "dev.jsonl")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import events_articles

    articles = events_articles.load()
    records = onrecord.extract_many(
        onrecord.Article(a["text"], id=a["id"], published=a.get("published")) for a in articles
    )
    predicted = {a["id"]: r.to_dict()["events"] for a, r in zip(articles, records, strict=True)}
    for half, floor in (("A", (0.674, 0.406, 0.433)), ("B", (0.463, 0.354, 0.501))):
        got = events_articles.score([a for a in articles if a["half"] == half], predicted)
        assert got["typed_precision"] >= floor[0], (half, got)
        assert got["typed_recall"] >= floor[1], (half, got)
        assert got["actors_right"] >= floor[2], (half, got)


def test_the_one_who_must_act_is_asked_by_the_speaker() -> None:
    from onrecord import extract

    (event,) = [
        e for e in extract("Egypt said that Libya must release the Egyptian sailors.").events if e.type == "REQUEST"
    ]
    assert event.source is not None and event.source.code == "EGY"
    assert event.target is not None and event.target.code == "LBY"


def test_the_words_before_a_listed_name_say_whom_they_act_for() -> None:
    from onrecord import extract

    # the dictionary dates Diego Cordovez to an Ecuadorian post; here he is the UN's mediator
    (event,) = extract("Afghan rebels met U.N. mediator Diego Cordovez in Geneva.").events
    assert event.target is not None and event.target.code == "IGO"
    # a title and surname the dictionary lists together, where the entity's name is the surname
    (event,) = extract("President Bush has threatened further action against Russia.").events
    assert event.source is not None and event.source.code == "USA"


def test_effort_and_purpose_verbs_are_not_acts_of_their_own() -> None:
    assert all(t != "help" for _k, t in _events("The new Syrian state will help provide jobs for young people."))
    # the offer is the act; helping is its purpose
    assert _events("Syria offered its troops to the Lebanese president to help him oust the rebels.")[0][0] == "AGREE"


def test_an_offer_if_a_condition_is_met_is_still_an_offer() -> None:
    kinds = [k for k, t in _events("Afghan rebels said they would meet the U.N. mediator if he gave them a veto.")]
    assert "AGREE" in kinds and "THREATEN" not in kinds


def test_acts_that_did_not_happen_and_refusals_of_no_one_are_no_events() -> None:
    assert all(t != "given" for _k, t in _events("Russian peacekeepers have been given no orders by Moscow."))
    assert all(k != "REJECT" for k, _t in _events("The Canadian minister refused to give any more details."))
    assert _events("A Lebanese newspaper has violated a ban by General Michel Aoun.")[0][0] == "REJECT"


def test_a_copula_subject_does_not_act_in_an_event_noun() -> None:
    assert _events("He said security was an essential condition for the distribution of aid.") == []


def test_a_reduced_passive_clause_has_no_actor_of_its_own() -> None:
    text = "The Russian minister told reporters when asked about the Georgian withdrawal that he had no comment."
    assert all(t != "asked" for _k, t in _events(text))


def test_a_phrase_with_a_plural_object_is_found() -> None:
    assert _events("The Mozambican government accepted demands from the rebels.")[0][0] == "CONCEDE"


def test_a_cited_headline_in_the_sources_is_no_event_of_the_article() -> None:
    text = (
        "Canadian police arrested two men in Ottawa on Friday.\n"
        'Jane Doe. "MP calls for probe into misplaced documents" \u2014 Ottawa Daily, August 16, 2008\n'
        '"Police arrest protesters in Ottawa" \u2014 Ottawa Daily, August 15, 2008\n'
    )
    assert [t for _k, t in _events(text)] == ["arrested"]
    # a quote of the body followed by a dash is not a citation
    assert _events('"The Canadian police will arrest the rebels," \u2014 the minister said.')


def test_a_command_to_the_reader_is_no_event() -> None:
    assert _events("VISIT the Royal Horse Show in London, Oct. 11-21.") == []
    assert _events("The Canadian minister will visit the Royal Horse Show in London.")  # a subject acts


def test_a_release_is_a_retreat_as_the_cameo_table_says() -> None:
    # CAMEO 0841 "return, release person(s)" -> PLOVER RETREAT
    assert _events("Kenyan police released the two British journalists on Friday.")[0][0] == "RETREAT"


def test_a_verb_coded_by_a_preposition_alone_needs_coded_actors() -> None:
    # CAMEO's "come * TO" is a consultation between states, not a student's arrival
    assert _events("Mehdi Kazemi came to the city in 2005 to study English.") == []
    assert _events("The Iranian foreign minister came to Britain for a visit.")


def test_whose_plea_is_rejected_is_who_is_rejected() -> None:
    from onrecord import extract

    text = "Mehdi Kazemi, an Iranian student, faces deportation. The Dutch high court rejected his plea on Tuesday."
    (event,) = [e for e in extract(text).events if e.type == "REJECT"]
    assert event.target is not None and event.target.name == "Mehdi Kazemi"


def test_a_demand_not_to_act_is_a_demand() -> None:
    from onrecord import extract

    text = "Egypt said that Libya must not release the Egyptian sailors."
    (event,) = [e for e in extract(text).events if e.trigger.text == "release"]
    assert event.type == "REQUEST" and event.mode == "asserted"
    assert event.source is not None and event.source.code == "EGY"


def test_what_a_request_asks_for_is_not_the_act() -> None:
    text = 'Indonesian transport minister Jusman Djamal said: "We recommend not buying planes from France."'
    assert [k for k, _t in _events(text)] == ["REQUEST"]


def test_a_pattern_of_a_function_word_alone_is_weak_evidence() -> None:
    # PETRARCH's "order * TO" is CAMEO 030, an intent to cooperate; it says nothing of the act
    assert all(k != "AGREE" for k, _t in _events("He faces allegations he ordered his forces to fire on protesters."))


def test_weak_evidence_needs_a_source_that_is_an_actor_by_its_own_words() -> None:
    # "face" is CAMEO's bare "meet": a student given the sentence's country is no state
    assert _events("Mehdi Kazemi faces deportation from the Netherlands to Britain.") == []


def test_a_decision_taken_is_the_act_and_an_event_noun_may_name_a_mission() -> None:
    kinds = [k for k, _t in _events("The Ivorian Supreme Court decided to allow the Ivorian opposition leader to run.")]
    assert kinds == ["CONCEDE"]
    text = "Arab League Secretary General Chadli Klibi undertook a mediation mission between Syria and Jordan."
    assert [k for k, _t in _events(text)] == ["CONSULT"]
    assert all(t != "riot" for _k, t in _events("Egyptian riot police arrested two Egyptian protesters in Cairo."))


def test_the_dictionary_pattern_nearest_the_verb_decides() -> None:
    # "stop * WORK" (a strike) is nearer the verb than "stop * STRIKE" (calling one off)
    text = "Some 500,000 Serbian workers stopped work on the first day of an open-ended strike on Monday."
    assert [k for k, _t in _events(text)] == ["PROTEST"]


def test_a_conjoined_verb_with_its_own_auxiliary_is_an_act_of_its_own() -> None:
    text = "Benin opened its borders to most West Africans, but was still refusing entry to Ghanaians."
    assert "REJECT" in [k for k, _t in _events(text)]


def test_share_is_decided_by_its_object() -> None:
    assert _events("The Canadian author shares the formula he used in his book.") == []
