"""The headline is not the body: a title the text opens with gets offsets, and what it says is
taken from the body only. Examples are made up for these tests (the pattern was found on real
pages: issue 11, a headline in front of the body on 13 of 25)."""

from __future__ import annotations

import onrecord
from onrecord.headline import headline_span

TITLE = "Rebels kill 12 soldiers in attack on army base"
BODY = (
    "Rebels killed 12 soldiers in an attack on an army base on Monday, the army said.\n"
    '"We will not rest," said General Amos Kato.\n'
)


def test_a_title_in_front_of_the_body_is_the_headline_and_yields_nothing_twice() -> None:
    text = TITLE + "\n" + BODY
    record = onrecord.extract(text, published="2024-03-06", meta={"title": TITLE})
    assert record.headline is not None
    assert text[record.headline.start : record.headline.end] == TITLE
    end = record.headline.end
    assert record.claims and all(c.start >= end for c in record.claims)
    assert record.events and all(e.start >= end for e in record.events)
    assert all(s.start >= end for q in record.quotes for s in q.spans)
    # the headline's words are still mentions of the entities they name
    plain = onrecord.extract(BODY, published="2024-03-06")
    assert len(record.claims) == len(plain.claims) and len(record.events) == len(plain.events)


def test_no_title_or_a_text_that_does_not_open_with_it_has_no_headline() -> None:
    assert headline_span(BODY, None) is None
    assert headline_span(BODY, TITLE) is None
    assert headline_span(TITLE, TITLE) is None  # a one-line text is the body itself
    site = headline_span(TITLE + "\n" + BODY, TITLE + " - Daily Planet")
    assert site is not None and site.start == 0 and site.end == len(TITLE)
    assert headline_span("\n  " + TITLE + "\n" + BODY, TITLE.upper()) is not None


def test_without_the_headline_stage_everything_is_read() -> None:
    text = TITLE + "\n" + BODY
    record = onrecord.extract(text, published="2024-03-06", meta={"title": TITLE}, stages=["claims"])
    assert record.headline is None and any(c.start < len(TITLE) for c in record.claims)
