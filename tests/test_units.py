"""Units of measure (pint) and currencies (CLDR via Babel) as claims read them."""

from __future__ import annotations

import pytest

from onrecord.units import currency_name, currency_sign, is_time_unit, measure


@pytest.mark.parametrize(
    "words, symbol",
    [
        ("metric tons", "t"),
        ("tonnes", "t"),
        ("kilometres", "km"),
        ("square kilometres", "km²"),
        ("cubic metres", "m³"),
        ("miles", "mi"),
        ("pounds", "lb"),
        ("barrels", "bbl"),
        ("hectares", "ha"),
        ("MW", "MW"),
        ("degrees Celsius", "°C"),
    ],
)
def test_units_of_measure_come_from_pint(words, symbol):
    assert measure(words) == symbol


@pytest.mark.parametrize("words", ["people", "points", "in", "are", "hours", "degrees", "min", "troops", "x" * 60])
def test_words_that_are_no_measure_here(words):
    assert measure(words) is None


@pytest.mark.parametrize(
    "sign, code", [("$", "USD"), ("US$", "USD"), ("A$", "AUD"), ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("Rs", "INR")]
)
def test_currency_signs_are_iso_codes(sign, code):
    assert currency_sign(sign) == code


@pytest.mark.parametrize(
    "name, code",
    [("euros", "EUR"), ("US dollars", "USD"), ("Australian dollars", "AUD"), ("dollars", "USD"), ("yen", "JPY")],
)
def test_currency_names_are_iso_codes(name, code):
    assert currency_name(name) == code


def test_a_shared_name_with_no_bare_sign_is_not_guessed():
    assert currency_name("francs") is None  # CHF, XOF, XAF, ...: none written with a bare sign
    assert currency_sign("kr") is None  # Danish, Norwegian, Swedish crowns


def test_time_units_are_recognised_for_the_dates_layer():
    assert is_time_unit("days") and is_time_unit("decades") and not is_time_unit("soldiers")
