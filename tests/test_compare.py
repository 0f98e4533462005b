"""Similarity features of candidate pairs."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.matching.compare import FEATURE_TABLE, FEATURES, features
from overlap.matching.name_words import with_rivalry
from overlap.matching.pipeline import prepare
from overlap.matching.spelling import token_frequencies


def features_of(frame: pl.DataFrame) -> dict[str, float]:
    """Features of the pair (record 0, record 1)."""
    records = prepare(frame)
    pairs = pl.DataFrame({"i": [0], "j": [1]}, schema={"i": pl.UInt32, "j": pl.UInt32})
    result = with_rivalry(features(records, pairs, token_frequencies(records["usual"])))
    return result.row(0, named=True)


def test_every_feature_is_a_float_between_0_and_1(accounts):
    frame = accounts(
        [{"name": "Acme Corp", "country": "US"}, {"name": "ACME, Inc.", "country": "DE"}]
    )
    values = features_of(frame)
    assert list(values) == ["i", "j", *FEATURES]
    assert all(0.0 <= values[f] <= 1.0 for f in FEATURES)


def test_legal_forms_are_ignored_when_names_are_compared(accounts):
    values = features_of(accounts([{"name": "Acme Corp"}, {"name": "ACME, Inc."}]))
    assert values["core_equal"] == 1.0
    assert values["name_ratio"] == 1.0


def test_word_order_does_not_lower_the_token_set_similarity(accounts):
    values = features_of(accounts([{"name": "A. O. Smith"}, {"name": "SMITH A O CORP"}]))
    assert values["name_token_set"] == 1.0


@pytest.mark.parametrize(
    ("short", "long", "acronym"),
    [
        ("IBM", "International Business Machines", 1.0),
        ("P&G", "Procter & Gamble Co", 1.0),  # joining words are left out
        ("J & J", "Johnson and Johnson", 1.0),
        ("IBM", "Intel Business", 0.0),
        ("A. O. Smith", "Alpha Omega", 0.0),  # initials with a word are no acronym
    ],
)
def test_an_acronym_is_recognised(accounts, short, long, acronym):
    values = features_of(accounts([{"name": short}, {"name": long}]))
    assert values["acronym"] == acronym


def test_sharing_only_a_common_word_gives_little_token_overlap(accounts):
    common = [{"name": f"American {word}"} for word in ("Tower", "Water", "Eagle", "Family")]
    frame = accounts([{"name": "American Airlines"}, {"name": "American Express"}, *common])
    assert features_of(frame)["token_overlap"] < 0.3


def test_a_misspelt_word_weighs_as_its_usual_spelling_in_the_token_overlap(accounts):
    usual = [{"name": f"Nederlandse {n} Maatschappij"} for n in ("Tower", "Water", "Eagle")]
    typo = [{"name": "Nederlanse Gloria Electronics"}, {"name": "Nederlandse Gloria Electronics"}]
    values = features_of(accounts([*typo, *usual]))
    assert values["token_overlap"] == 1.0
    assert values["name_ratio"] < 1.0


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Shell Research Maats Chappij", "Shell Research Maatschappij"),
        ("Fed Ex Corp", "FedEx"),
        ("Price Waterhouse Coopers", "PricewaterhouseCoopers LLP"),
    ],
)
def test_words_split_or_joined_are_one_name(accounts, left, right):
    values = features_of(accounts([{"name": left}, {"name": right}]))
    assert values["core_equal"] == values["token_overlap"] == values["name_token_set"] == 1.0


def test_a_domain_on_one_side_only_is_neither_agreement_nor_disagreement(accounts):
    values = features_of(accounts([{"name": "Acme", "website": "acme.com"}, {"name": "Acme"}]))
    assert (values["domain_equal"], values["domain_differ"]) == (0.0, 0.0)


def test_a_record_without_a_name_is_told_from_one_with_an_unlike_name(accounts):
    nameless = features_of(accounts([{"website": "acme.com"}, {"name": "Acme Corp"}]))
    unlike = features_of(accounts([{"name": "Zyx"}, {"name": "Acme Corp"}]))
    # no name reads as no similarity, as the most unlike names do ...
    assert nameless["name_ratio"] == unlike["name_ratio"] == 0.0
    # ... but says it is missing
    assert (nameless["name_missing"], unlike["name_missing"]) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("left", "right", "equal", "differ"),
    [
        ({"website": "acme.com"}, {"email": "jo@sales.acme.com"}, 1.0, 0.0),
        ({"website": "acme.com"}, {"website": "acme-corp.com"}, 0.0, 1.0),
    ],
)
def test_an_email_domain_counts_as_the_company_domain(accounts, left, right, equal, differ):
    values = features_of(accounts([{"name": "Acme", **left}, {"name": "Acme", **right}]))
    assert (values["domain_equal"], values["domain_differ"]) == (equal, differ)


def test_one_domain_name_under_two_suffixes_is_no_disagreement(accounts):
    # a company's country sites; namesakes abroad are told apart by their countries
    frame = accounts(
        [
            {"name": "Siemens AG", "website": "siemens.de"},
            {"name": "Siemens", "website": "siemens.com"},
        ]
    )
    values = features_of(frame)
    assert (values["domain_equal"], values["domain_differ"]) == (0.0, 0.0)


def test_a_domain_spelling_the_name_is_recognised(accounts):
    values = features_of(
        accounts([{"name": "Acme Corp", "website": "acme-corp.com"}, {"name": "Acme Corporation"}])
    )
    assert values["domain_name"] == 1.0


def test_phones_agree_on_their_last_seven_digits(accounts):
    frame = accounts(
        [{"name": "A", "phone": "+1 (312) 555-0100"}, {"name": "A", "phone": "555 0100"}]
    )
    assert features_of(frame)["phone_equal"] == 1.0


def test_different_countries_are_a_disagreement(accounts):
    frame = accounts([{"name": "Acme", "country": "USA"}, {"name": "Acme", "country": "Germany"}])
    values = features_of(frame)
    assert (values["country_equal"], values["country_differ"]) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("left", "right", "subsidiary"),
    [
        (("Acme Deutschland GmbH", "DE"), ("Acme Inc", "US"), 1.0),
        (("Acme Deutschland GmbH", None), ("Acme Inc", "US"), 1.0),
        (("Acme Deutschland GmbH", "DE"), ("Acme GmbH", "DE"), 0.0),
        (("Acme Deutschland GmbH", "DE"), ("Acme France SAS", "FR"), 0.0),
        (("Acme Deutschland GmbH", "DE"), ("Acme Inc", None), 0.0),
    ],
)
def test_a_name_carrying_a_country_the_other_record_is_not_in_marks_a_subsidiary(
    accounts, left, right, subsidiary
):
    frame = accounts([{"name": name, "country": country} for name, country in (left, right)])
    assert features_of(frame)["subsidiary"] == subsidiary


@pytest.mark.parametrize(
    ("left", "right", "differ"),
    [
        ("100 North Main Street, Suite 5", "102 N Main St", 1.0),
        ("100 North Main Street, Suite 5", "100 N. Main St.", 0.0),
        ("Hauptstraße 5, 10115 Berlin", "Hauptstr. 7", 1.0),
        ("Hauptstraße 5, 10115 Berlin", "Hauptstrasse 5", 0.0),
        ("37 W 47th St", "37 West 47th Street", 0.0),
        ("Harbor Road", "12 Harbor Road", 0.0),
    ],
)
def test_house_numbers_are_read_wherever_the_street_writes_them(accounts, left, right, differ):
    frame = accounts([{"name": "A", "address": left}, {"name": "A", "address": right}])
    assert features_of(frame)["house_number_differ"] == differ


def test_each_feature_is_declared_once_and_computed_as_declared(accounts):
    assert len(set(FEATURES)) == len(FEATURES) == len(FEATURE_TABLE)
    records = prepare(accounts([{"name": "Acme Corp"}, {"name": "Acme Corporation"}]))
    pairs = pl.DataFrame({"i": [0], "j": [1]}, schema={"i": pl.UInt32, "j": pl.UInt32})
    result = with_rivalry(features(records, pairs, token_frequencies(records["usual"])))
    assert result.columns == ["i", "j", *FEATURES]
