"""Numeric claims on news-style sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import onrecord
from onrecord.quantities import parse_number


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


# --- units, ranges and South Asian numbering (issue 11) -------------------------------------
# Sentences written for these tests; each case stands for a class of the 25-page survey.


def only(sentence: str) -> dict:
    found = claims(sentence)
    assert len(found) == 1, found
    return found[0]["quantity"]


@pytest.mark.parametrize(
    "sentence, value, unit, high, bound",
    [
        ("Investors expect losses of $40-50bn this year.", 40e9, "USD", 50e9, "lower"),
        ("The court set bail at $250,000 for the former mayor.", 250_000, "USD", None, "exact"),
        ("The fund is worth €3.5 billion, officials said.", 3.5e9, "EUR", None, "exact"),
        ("The company lost 5 million euros last year.", 5e6, "EUR", None, "exact"),
        ("Unemployment rose to 15% in March.", 15, "%", None, "exact"),
        ("Support for the party fell by 4 per cent.", 4, "%", None, "exact"),
        ("Its share of the vote fell 3 percentage points.", 3, "pp", None, "exact"),
        ("The state will spend Rs 1,500 crore on new schools.", 1.5e10, "INR", None, "exact"),
        ("The budget sets aside ₹1.5 lakh crore for roads.", 1.5e12, "INR", None, "exact"),
        ("The ministry pledged up to 100 metric tons of rice.", 100, "t", None, "upper"),
        ("The fire burned 1,200 square kilometres of forest.", 1200, "km²", None, "exact"),
        ("The new plant produces 500 megawatts.", 500, "MW", None, "exact"),
        ("Temperatures reached 45 degrees Celsius in the capital.", 45, "°C", None, "exact"),
        ("Between 10 and 20 soldiers were wounded.", 10, None, 20, "lower"),
        ("Rebels freed A$5m in frozen assets.", 5e6, "AUD", None, "exact"),
    ],
)
def test_a_claim_has_its_unit_and_a_range_both_bounds(sentence, value, unit, high, bound):
    q = only(sentence)
    assert (q["value"], q["unit"], q["high"], q["bound"]) == (value, unit, high, bound)


def test_the_measured_thing_is_counted_not_the_unit():
    found = claims("The ministry pledged up to 100 metric tons of rice.")
    assert found[0]["counted"] == "rice"


@pytest.mark.parametrize(
    "sentence",
    [
        "Nadal won 6-4, 6-3 against Federer on Sunday.",  # a score
        "The home side beat its rivals 3-1 on Saturday.",  # a tally
        "Residents were told to call 911 if they saw smoke.",  # a number dialled
        "Call 1-800-273-8255 for help.",  # a phone number
        "A 911 dispatcher took the report.",  # a label of one thing
        "The Three Amigos met in Ottawa.",  # a name
        "The restaurant topped the World's 50 Best list.",  # a name
        "Apollo 11 landed on the Moon.",  # a name's number
        "She was one of the first to arrive.",  # an idiom
    ],
)
def test_scores_names_labels_phone_numbers_and_idioms_are_not_claims(sentence):
    assert claims(sentence) == []


def test_a_count_beside_a_year_and_a_label_is_kept():
    found = claims("The 2020 election drew 158 million voters, and in 1998 2,000 people lived there.")
    assert sorted(c["quantity"]["value"] for c in found) == [2000, 158_000_000]


def test_a_rising_range_is_a_range_but_a_falling_pair_is_a_score():
    assert only("Each day 3-4 people collapsed in the heat.")["high"] == 4
    assert claims("Each day the score stood at 4-3.") == []


@pytest.mark.parametrize(
    "q, shown",
    [
        ({"value": 40e9, "high": 50e9, "unit": "USD", "bound": "lower"}, "USD 40–50 billion"),
        ({"value": 1_200_000, "unit": None, "bound": "lower"}, "≥ 1.2 million"),
        ({"value": 15, "unit": "%", "bound": "exact"}, "15%"),
        ({"value": 100, "unit": "t", "bound": "upper"}, "≤ 100 t"),
        ({"value": 1.5e12, "unit": "INR", "bound": "exact"}, "INR 1.5 trillion"),
        ({"value": 2500, "unit": None, "bound": "approx"}, "~2,500"),
    ],
)
def test_the_cli_shows_the_value_with_its_unit(q, shown):
    from onrecord.render import quantity

    assert quantity(q) == shown


def test_a_count_of_people_named_by_a_plural_proper_noun_is_kept():
    q = only("More than 5,000 Yazidis were taken captive.")
    assert (q["value"], q["bound"]) == (5000, "lower")


def test_claims_on_real_pages_hold_the_measured_figures():
    """The ratchet for claims on the 14 hand-annotated pages (benchmarks/claims_pages.py): the
    figures of 2026-12-04 less 0.02, so a change that loses a claim or two on either half fails.
    Half A was studied, half B was not (its figures are the honest ones: P 0.883, R 0.935)."""
    import sys

    from tests.conftest import shared_path

    shared_path("data", "html", "scrapinghub_aeb", "ground_truth.jsonl")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import claims_pages

    articles = claims_pages.load()
    records = onrecord.extract_many(onrecord.Article(a["text"], id=a["id"]) for a in articles)
    predicted = {a["id"]: r.to_dict()["claims"] for a, r in zip(articles, records, strict=True)}
    for half, floor in (("A", (0.98, 0.915, 0.92)), ("B", (0.863, 0.915, 0.90))):
        got = claims_pages.score([a for a in articles if a["half"] == half], predicted)
        assert got["precision"] >= floor[0], (half, got)
        assert got["recall_salient"] >= floor[1], (half, got)
        assert got["unit_right"] >= floor[2], (half, got)


def test_a_currency_name_countries_share_is_the_articles_country_currency() -> None:
    from onrecord import extract

    def units_of(text: str) -> list[str | None]:
        return [c.quantity.unit for c in extract(text).claims if c.quantity is not None]

    assert units_of("Mexico City - The Mexican government in Mexico will spend 500 million pesos on roads.") == ["MXN"]
    assert units_of("Manila - The Philippine government in Manila will spend 500 million pesos on roads.") == ["PHP"]
    # no country: the currency English writes with the bare sign; a country without a dollar of
    # its own keeps it
    assert units_of("The firm will spend 30 million dollars.") == ["USD"]
    assert units_of("Lagos - The Nigerian government in Lagos will spend 30 million dollars.") == ["USD"]


def test_from_x_to_y_under_a_verb_of_change_is_two_values_not_a_range() -> None:
    from onrecord import extract

    def read(text: str) -> list[tuple[float, float | None, str | None]]:
        return [(c.quantity.value, c.quantity.high, c.quantity.unit) for c in extract(text).claims]

    assert read("Support for the party rose from 23% to 35% in a month.") == [(23, None, "%"), (35, None, "%")]
    assert read("The bank cut its rate from 5 to 4.5 percent.") == [(5, None, "%"), (4.5, None, "%")]
    assert read("The population grew from 2 million to 3.5 million people.") == [(2e6, None, None), (3.5e6, None, None)]
    # ranges stay ranges, and the second number of one is not read again
    assert read("Prices ranged from 5 to 10 dollars.") == [(5, 10, "USD")]
    assert read("Flights from 10 to 12 countries resumed.") == [(10, 12, None)]
