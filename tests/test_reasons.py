"""Reasons say what was compared: the same name, the same name once legal forms are removed,
every word of one name in the other (and whether the words left over are generic), or how
alike the names are letter by letter; never "100% alike" from a token-set score."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.matching.config import MatchConfig
from overlap.matching.model import default_model
from overlap.matching.name_words import generic_words
from overlap.matching.pipeline import link_lists, scored_pool


def reason(accounts, left: str, right: str) -> str:
    """The reason given to the pair of a one-record vendor list and a one-record partner list."""
    lists = link_lists(
        accounts([{"id": "v1", "name": left}]), accounts([{"id": "p1", "name": right}])
    )
    _, _, scored, _ = scored_pool(lists, config=MatchConfig(), model=default_model())
    assert scored.pairs.height == 1
    return scored.explain(scored.pairs)["reason"][0]


def test_names_written_alike_are_the_same_name(accounts):
    assert reason(accounts, "Sage Group PLC", "SAGE GROUP PLC") == "same name"


def test_names_alike_once_their_legal_forms_are_removed_say_so(accounts):
    assert reason(accounts, "Kestrel Foods", "Kestrel Foods Inc") == (
        "same name after removing legal forms"
    )


def test_a_brand_in_a_longer_name_says_every_word_is_in_it_and_the_rest_is_generic(accounts):
    assert reason(accounts, "Sage", "Sage Group PLC") == (
        "every word of 'Sage' is in 'Sage Group PLC'; 'group' is generic"
    )


def test_a_name_inside_another_with_a_word_of_its_own_says_that_word_is_not_generic(accounts):
    said = reason(accounts, "Reliance Industries Limited", "Reliance Chemotex Industries Ltd")
    assert said == (
        "every word of 'Reliance Industries Limited' is in 'Reliance Chemotex Industries Ltd'; "
        "'chemotex' is not generic"
    )
    assert "100%" not in said


def test_generic_and_other_words_left_over_are_told_apart(accounts):
    assert reason(accounts, "Keller Chemotex Group", "Keller") == (
        "every word of 'Keller' is in 'Keller Chemotex Group'; 'group' is generic, "
        "'chemotex' is not"
    )


def test_names_that_differ_in_spelling_say_how_alike_their_letters_are(accounts):
    # compared as read: "marlowe pharmaceutical" and "marlow pharmaceutical"
    assert reason(accounts, "Marlowe Pharma", "Marlow Pharma") == "names 98% alike (spelling)"


def test_common_words_are_generic_in_any_list_and_brands_are_not():
    tokens = pl.Series([["sage", "group"], ["sage"], ["keller", "holdings"]])
    assert set(generic_words(tokens)) == {"group", "holding"}


def test_a_word_many_names_of_the_lists_hold_is_generic():
    names = [["brand" + str(n), "widgets"] for n in range(30)] + [["acme", "widgets"]]
    assert "widget" in generic_words(pl.Series(names))
    few = [["brand" + str(n), "widgets"] for n in range(5)]
    assert "widget" not in generic_words(pl.Series(few))


@pytest.mark.parametrize("word", ["germany", "france", "japan"])
def test_country_words_come_from_pycountry(word):
    from overlap.matching.review import country_words

    assert word in country_words()
