"""Places on the news classes of issue 12: a capital and the region named like it, words that
are only parts of place names, bodies of the solar system, "X of Y" names, name variants.
Sentences written for these tests."""

from __future__ import annotations

import pytest

import onrecord


def places(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Each located entity -> (the gazetteer place's name, its feature)."""
    out = {}
    for e in onrecord.extract(text).to_dict()["entities"]:
        geo = e.get("geo") or {}
        if geo.get("lat") is not None:
            out[e["name"]] = (geo.get("name"), geo.get("feature"))
    return out


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON (AP) - The Senate voted on Tuesday.",
        "Officials in Washington said the sanctions would start soon.",
    ],
)
def test_washington_is_the_capital(text):
    assert places(text)["Washington" if "Washington" in places(text) else "WASHINGTON"] == (
        "Washington, D.C.",
        "city",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Cases were found in Utah, Washington and Wisconsin.",
        "Wildfires burned across Washington state.",
        "He moved to Seattle, Washington.",
    ],
)
def test_washington_is_the_state_where_the_text_says_so(text):
    assert places(text)["Washington"] == ("Washington", "admin1")


@pytest.mark.parametrize(
    "text, word",
    [
        ("The Northern Alliance met the Central Bank in Kabul.", "Northern"),
        ("The Northern Alliance met the Central Bank in Kabul.", "Central"),
        ("The Jewish Community Council condemned the attack.", "Jewish"),
        ("Life on Earth is fragile, NASA said.", "Earth"),
        ("He was tried in the Southern District of New York.", "Southern District"),
    ],
)
def test_parts_of_names_and_planets_are_not_placed(text, word):
    assert word not in places(text)


def test_names_with_region_words_are_still_places():
    found = places("Fighting spread in Northern Ireland and the Central African Republic.")
    assert set(found) >= {"Northern Ireland", "Central African Republic"}


def test_a_town_named_like_a_planet_is_placed_where_the_text_says():
    assert places("He grew up in Earth, Texas.")["Earth"][1] == "city"


def test_of_the_variants_find_the_country():
    found = places("Refugees were expelled from the Democratic Republic of Congo.")
    assert found["Democratic Republic of Congo"] == ("Democratic Republic of the Congo", "country")


@pytest.mark.parametrize(
    "text, town, region",
    [
        ("A fire broke out in Charleston, W.Va., on Monday.", "Charleston", "West Virginia"),
        ("The plant in Gary, Ind., closed.", "Gary", "Indiana"),
        ("Cases in Alexandria, Va., rose.", "Alexandria", "Virginia"),
    ],
)
def test_a_town_is_the_one_in_the_state_after_it_even_abbreviated(text, town, region):
    rec = onrecord.extract(text).to_dict()
    geo = {e["name"]: e.get("geo") or {} for e in rec["entities"]}
    assert geo[town].get("admin1") == region and geo[town].get("country") == "US"
    abbreviation = next(n for n in geo if n != town)
    assert geo[abbreviation].get("name") == region  # "W.Va." itself is placed, at the state


def test_a_list_of_states_is_no_town_and_its_region():
    found = places("Cases rose in Virginia, Washington, West Virginia and Wyoming.")
    assert found["Washington"] == ("Washington", "admin1")


def test_a_big_town_closing_a_body_name_is_a_place():
    found = places("We only need to send the samples to CDC Atlanta for testing.")
    assert found.get("Atlanta", (None, None))[1] == "city"


def test_a_name_ending_in_an_administrative_word_is_a_place_whatever_its_type():
    found = places("Residents of Jefferson Parish were told to leave.")
    assert found["Jefferson Parish"][1] == "admin2"
