"""Name words read as a person reads them: rarity from a real background, words covered,
extra distinctive words, and the competition a pair meets."""

from __future__ import annotations

import polars as pl

from overlap.matching.compare import features
from overlap.matching.name_words import with_rivalry, written_alike
from overlap.matching.pipeline import prepare
from overlap.matching.rarity import background
from overlap.matching.spelling import token_frequencies


def features_of(accounts, names: list[str], pairs: list[tuple[int, int]], **fields) -> list[dict]:
    """Features of ``pairs`` (row positions) of records named ``names``, each record with
    ``fields`` (a list of values per field), rivals told apart as ``pipeline.compared`` does."""
    rows = [
        {"name": name} | {f: values[k] for f, values in fields.items()}
        for k, name in enumerate(names)
    ]
    records = prepare(accounts(rows))
    frame = pl.DataFrame(pairs, schema={"i": pl.UInt32, "j": pl.UInt32}, orient="row")
    compared = features(records, frame, token_frequencies(records["usual"]))
    return with_rivalry(compared, alike=written_alike(records)).to_dicts()


def test_the_background_counts_generic_words_of_company_names_as_common():
    known, names = background()
    count = dict(zip(known["token"], known["names"], strict=True))
    assert names > 5000
    assert count["holding"] > count["group"] > count["system"] > names / 200
    assert "cisco" not in count


def test_a_brand_alone_is_all_found_in_its_registered_name_whose_extra_word_is_generic(accounts):
    (pair,) = features_of(accounts, ["Cisco", "CISCO SYSTEMS INC"], [(0, 1)])
    assert pair["words_covered"] == 1.0
    assert pair["extra_word"] < 0.2
    assert pair["both_extra_words"] == 0.0


def test_an_extra_distinctive_word_counts_against_a_match(accounts):
    (pair,) = features_of(
        accounts, ["Bajaj Finance Limited", "Bajaj Housing Finance Ltd"], [(0, 1)]
    )
    assert pair["words_covered"] == 1.0
    assert pair["extra_word"] > 0.8
    assert pair["words_covered_least"] < 0.7


def test_each_name_holding_a_distinctive_word_of_its_own_is_told(accounts):
    (pair,) = features_of(accounts, ["Kestrel Bank of India", "Quorra Bank of India"], [(0, 1)])
    assert pair["both_extra_words"] > 0.8


def test_a_brand_alone_meets_no_rival_when_nothing_else_competes(accounts):
    sage, _ = features_of(
        accounts, ["Sage", "Sage Group PLC", "Kestrel Therapeutics"], [(0, 1), (0, 2)]
    )
    assert sage["rivals"] == 0.0
    assert sage["margin"] == 1.0


def test_a_second_candidate_holding_the_brand_as_well_is_a_rival(accounts):
    group, therapeutics = features_of(
        accounts, ["Sage", "Sage Group PLC", "Sage Therapeutics"], [(0, 1), (0, 2)]
    )
    assert group["rivals"] == therapeutics["rivals"] > 0.0
    assert group["margin"] == therapeutics["margin"] == 0.0


def test_a_name_leading_the_other_is_told_from_a_word_put_between(accounts):
    brand, family = features_of(
        accounts,
        ["Costco", "COSTCO WHOLESALE CORP", "Bajaj Finance", "Bajaj Housing Finance"],
        [(0, 1), (2, 3)],
    )
    assert brand["leading_words"] == 1.0
    assert family["leading_words"] == 0.0


def test_a_distinctive_word_put_between_the_shared_words_keeps_a_pair_from_matching(accounts):
    from overlap.matching.pipeline import link

    vendor = accounts([{"id": "v1", "name": "Bajaj Finance Limited"}, {"id": "v2", "name": "Sage"}])
    partner = accounts(
        [{"id": "p1", "name": "Bajaj Housing Finance Ltd"}, {"id": "p2", "name": "Sage Group PLC"}]
    )
    matches = link(vendor, partner).matches
    assert matches.select("vendor_id", "partner_id").rows() == [("v2", "p2")]


def test_spellings_of_one_company_listed_twice_are_no_rivals(accounts):
    first, second = features_of(
        accounts, ["Akzo", "AKZO NOBEL N.V.", "Akzo Nobel NV"], [(0, 1), (0, 2)]
    )
    assert first["rivals"] == second["rivals"] == 0.0
    assert first["margin"] == second["margin"] == 1.0


def test_one_name_in_two_countries_at_two_websites_is_two_rivals(accounts):
    us, de = features_of(
        accounts,
        ["Acme Logistics", "Acme Logistics", "Acme Logistics"],
        [(0, 1), (0, 2)],
        country=["US", "US", "DE"],
        website=["acmelog.com", "acmelog.com", "acme-logistik.de"],
    )
    assert us["rivals"] == de["rivals"] > 0.0
    assert us["margin"] == de["margin"] == 0.0


def test_a_word_said_twice_is_not_all_found_in_a_name_that_says_it_once(accounts):
    twice, same = features_of(
        accounts,
        ["Johnson Matthey PLC", "Johnson & Johnson", "Johnson and Johnson Inc"],
        [(0, 1), (1, 2)],
    )
    assert twice["words_covered_least"] < 0.7
    assert same["words_covered"] == same["words_covered_least"] == 1.0
