"""Numeric claims on news-style sentences written for these tests."""

from __future__ import annotations

import pytest

import onrecord
from onrecord.claims import parse_number


def claims(text: str) -> list[dict]:
    return onrecord.extract(text, published="2024-03-13").to_dict()["claims"]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1 million", 1_000_000),
        ("2,500", 2500),
        ("3.5 billion", 3_500_000_000),
        ("two dozen", 24),
        ("forty-two", 42),
        ("one hundred", 100),
        ("12", 12),
        ("40%", 40),
        ("$5 million", 5_000_000),
        ("seven thousand", 7000),
        ("half", 0.5),
    ],
)
def test_numbers_are_normalised(text, value):
    assert parse_number(text) == value


def test_absurd_numbers_are_not_parsed():
    assert parse_number("9" * 1000) is None


@pytest.mark.parametrize(
    "sentence, value, bound, counted",
    [
        ("At least 1 million people are held in the camps, according to the UN.", 1_000_000, "lower", "people"),
        ("More than 300 protesters were arrested on Friday.", 300, "lower", "protesters"),
        ("Nearly 40 villages were flooded.", 40, "upper", "villages"),
        ("Up to 5,000 troops will be deployed.", 5000, "upper", "troops"),
        ("About 12 children were injured.", 12, "approx", "children"),
        ("Police said 17 people died in the fire.", 17, "exact", "people"),
    ],
)
def test_qualifiers_and_what_is_counted(sentence, value, bound, counted):
    found = [c for c in claims(sentence) if c["quantity"]["value"] == value]
    assert found, claims(sentence)
    assert found[0]["quantity"]["bound"] == bound
    assert found[0]["counted"] == counted


def test_source_is_the_quote_that_holds_the_number():
    found = claims("Health Minister Ana Souza said that 45 patients had recovered.")
    assert found[0]["source"]["name"] == "Ana Souza"


@pytest.mark.parametrize(
    "sentence",
    [
        "The 52-year-old teacher was released in 2019.",
        "The talks resumed on March 3 at 10:30.",
    ],
)
def test_years_dates_and_ages_are_not_claims(sentence):
    assert claims(sentence) == []


def test_a_document_of_numbers_does_not_crash():
    text = " ".join(str(n) for n in range(5000)) + " " + "9" * 1000
    rec = onrecord.extract(text).to_dict()
    assert rec["text"] == text
