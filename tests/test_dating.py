"""The dating stage: each quote, claim and event carries when it happened, from the record alone.
Examples are made up for these tests."""

from __future__ import annotations

import onrecord

# made up for this test: a date in the item's sentence, one in the quoted words, none at all
TEXT = (
    "On Monday, police arrested 12 protesters in the capital.\n"
    'The minister said on May 2 that "the vote of May 9 stands."\n'
    "Officials said the talks would go on.\n"
)


def test_items_are_dated_from_their_own_sentence_else_the_publication_date() -> None:
    record = onrecord.extract(TEXT, published="2022-05-20")
    by_text = {c.text: c for c in record.claims}
    claim = next(c for t, c in by_text.items() if "12" in t)
    assert claim.dated is not None and (claim.dated.date, claim.dated.source) == ("2022-05-16", "text")
    sentence = claim.dated.sentence
    assert record.text[sentence.start : sentence.end].startswith("On Monday, police arrested")
    quotes = {q.text: q for q in record.quotes}
    said = next(q for t, q in quotes.items() if "vote" in t)
    # the quote was said on May 2; the May 9 inside its words is what it talks about
    assert said.dated is not None and said.dated.date == "2022-05-02"
    talks = next(q for t, q in quotes.items() if "talks" in t)
    assert talks.dated is not None and (talks.dated.date, talks.dated.source) == ("2022-05-20", "published")
    assert all(e.dated is not None for e in record.events)


def test_dating_is_a_stage_that_takes_what_the_chosen_stages_made() -> None:
    only_claims = onrecord.extract(TEXT, published="2022-05-20", stages=["claims", "dating"])
    assert "dating" in only_claims.versions and only_claims.events == ()
    assert all(c.dated is not None for c in only_claims.claims)
    undated = onrecord.extract(TEXT, published="2022-05-20", stages=["claims"])
    assert all(c.dated is None for c in undated.claims)
