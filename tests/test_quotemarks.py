"""Quotation-mark pairing: pure text, no model. Examples named by the style they cover."""

from __future__ import annotations

import pytest

from onrecord.quotemarks import find_quoted


def contents(text: str) -> list[str]:
    quoted, _problems, _cont = find_quoted(text)
    return [text[q.start : q.end] for q in quoted]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"We are ready," he said.', ["We are ready,"]),  # straight
        ("\u201cWe are ready,\u201d he said.", ["We are ready,"]),  # curly
        ("\u201eWir sind bereit\u201c, sagte er.", ["Wir sind bereit"]),  # low-high
        ("\u00abNous sommes pr\u00eats\u00bb, a-t-il dit.", ["Nous sommes pr\u00eats"]),  # guillemets
        ("\u00bbWir sind bereit\u00ab, sagte er.", ["Wir sind bereit"]),  # reversed guillemets
        ("He said 'we are ready' on Monday.", ["we are ready"]),  # single marks
        ('"A," he said, "B."', ["A,", "B."]),  # split by attribution
        ("The Smiths' house and the Joneses' car.", []),  # apostrophes only
        ("It's the company's view, Mr O'Brien's too.", []),
        ('The 12" record.', []),  # inches
    ],
)
def test_pairs(text, expected):
    assert contents(text) == expected


def test_unclosed_mark_runs_to_paragraph_end_and_is_a_problem():
    text = '"So, I do not know where we are.\nSince then, nothing changed. "Fine," she said.'
    quoted, problems, _ = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == ["So, I do not know where we are.", "Fine,"]
    assert len(problems) == 1 and problems[0].start == 0 and problems[0].stage == "quotemarks"


def test_multi_paragraph_quote_convention_is_not_a_problem():
    text = '"First paragraph of the quote.\n"Second paragraph, closed," he said.'
    quoted, problems, continuing = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == ["First paragraph of the quote.", "Second paragraph, closed,"]
    assert problems == []
    assert continuing == {text.index('"Second')}


def test_stray_closing_curly_mark_is_noted_and_the_rest_survives():
    text = "He left\u201d. \u201cWe stay,\u201d she said."
    quoted, problems, _ = find_quoted(text)
    assert [text[q.start : q.end] for q in quoted] == ["We stay,"]
    assert any("no opening mark" in p.message for p in problems)


def test_offsets_index_the_text_exactly():
    text = "Intro.\n\u201cOne,\u201d said A. \u201cTwo.\u201d\n\u00abTrois\u00bb"
    quoted, _, _ = find_quoted(text)
    for q in quoted:
        assert text[q.open] in "\u201c\u00ab" and (q.close is None or text[q.close] in "\u201d\u00bb")
