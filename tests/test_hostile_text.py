"""Texts that once hung or failed a whole article (found as bugs by the reliability review, issue 9)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import onrecord
from onrecord.inputs import check_published
from onrecord.timex import Normaliser, Unresolvable, _check_calendar

from .conftest import watchdog

SRC = Path(__file__).parent.parent / "src" / "onrecord"


# found as a bug: a sentence whose root is not a verb made events.py climb token heads for
# ever (`verb.head is not verb` is always true: spaCy makes a new Token on every access)
@pytest.mark.parametrize(
    "headline",
    [
        "Why the summit matters.",
        "The protest too costly for Kenya.",
        "Kenya: protests, again.",
        "Talks in Geneva over ceasefire.",
        "Sanctions on Russia?",
    ],
)
def test_verbless_headlines_do_not_hang(headline: str):
    with watchdog(60):
        record = onrecord.extract(headline, published="2022-01-14")
    assert record.text == headline


def test_no_identity_comparison_between_tokens():
    """spaCy Tokens are made anew on every access, so `a is b` between tokens is always
    False: every such comparison in the source is a latent infinite loop or a dead branch."""
    suspicious = []
    token_like = ("head", "tok", "verb", "root", "clause", "subj", "t", "p")
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            for op, left, right in zip(node.ops, sides, sides[1:]):
                if isinstance(op, (ast.Is, ast.IsNot)) and not isinstance(right, ast.Constant):
                    names = {ast.unparse(left).split(".")[-1], ast.unparse(right).split(".")[-1]}
                    if names & set(token_like):
                        suspicious.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not suspicious, suspicious


EXPRESSIONS = [
    "Friday",
    "next Tuesday",
    "last week",
    "the weekend",
    "next weekend",
    "two years ago",
    "three days ago",
    "in two weeks",
    "next year",
    "last year",
    "the previous year",
    "this year",
    "next month",
    "last month",
    "last quarter",
    "the first half of this year",
    "the last half",
    "the next decade",
    "the last decade",
    "the 1990s",
    "Sept. 13",
    "Dec. 31",
    "Jan. 1",
    "March",
    "yesterday",
    "tomorrow",
    "this morning",
    "tonight",
    "last spring",
    "next winter",
    "today",
]


@pytest.mark.parametrize(
    "published", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1, 12, 31), dt.date(9999, 1, 1), dt.date(999, 6, 15)]
)
@pytest.mark.parametrize("tense", ["past", "present", "future"])
def test_relative_dates_at_the_ends_of_the_calendar(published: dt.date, tense: str):
    # found as a bug: --published 9999-12-31 or 0001-01-01 failed the whole article with OverflowError
    norm = Normaliser(published)
    for text in EXPRESSIONS:
        try:
            _kind, value = norm.normalise(text.lower(), tense)
            _check_calendar(value)
        except (OverflowError, Unresolvable):
            continue  # no value: extract() reports it as a problem
        except ValueError as err:
            pytest.fail(f"{text!r} at {published}: {err}")
        if value and value[0].isdigit():
            year = value.split("-")[0]
            assert len(year) in (2, 3, 4) and year != "0000", (text, value)


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_edge_publication_dates_keep_the_article(published: str):
    text = "Officials said on Friday that the talks would resume next year. They stopped two years ago."
    record = onrecord.extract(text, published=published).to_dict()
    assert record["published"] == published
    assert record["timexes"], "the expressions are still found"
    for t in record["timexes"]:
        if t["value"] is not None and t["value"][0].isdigit():
            assert t["value"].split("-")[0] != "0000" and len(t["value"].split("-")[0]) <= 4
    outside = [p for p in record["problems"] if "outside the calendar" in p["message"]]
    assert outside, "an expression with no representable value is reported"


def test_published_before_year_1000_is_padded():
    # found as a bug: strftime("%Y") gives "999" on glibc, which check_published then refused
    assert check_published(dt.date(999, 6, 15)) == "0999-06-15"
    assert check_published(dt.datetime(5, 1, 2, 3, 4)) == "0005-01-02"
    record = onrecord.extract("The talks resumed on Friday, officials said.", published=dt.date(999, 6, 15))
    assert record.published == "0999-06-15"


@pytest.mark.parametrize(
    "text",
    [
        '"t" agree',
        'They "t" agree.',
        'He said "t" agree',
        'She said that "" was all.',
        'They said "." and left.',
        'He called it "t" and agreed.',
        '"" he said.',
        'She said "," "that" agree.',
        "'t' agree, she said",
    ],
)
def test_no_quote_has_an_empty_span(text: str):
    # found as a bug: '"t" agree' gave a mixed quote with the span 10..10
    record = onrecord.extract(text).to_dict()
    for q in record["quotes"]:
        assert q["spans"] and all(s["end"] > s["start"] for s in q["spans"]), q
