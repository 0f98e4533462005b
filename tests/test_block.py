"""Blocking: which records become candidate pairs."""

from __future__ import annotations

import polars as pl
import pytest

from overlap.matching.block import KEYS, candidate_pairs, promising
from overlap.matching.config import MatchConfig
from overlap.matching.pipeline import prepare
from overlap.matching.spelling import token_frequencies


def pairs_of(
    frame: pl.DataFrame, config: MatchConfig | None = None, *, lists: list[str] | None = None
) -> set[tuple[int, int]]:
    records = prepare(frame)
    idf = token_frequencies(records["usual"])
    found = candidate_pairs(
        records, idf, config or MatchConfig(), lists=None if lists is None else pl.Series(lists)
    )
    return set(zip(found["i"].to_list(), found["j"].to_list(), strict=True))


def test_records_with_the_same_domain_are_candidates(accounts):
    frame = accounts(
        [
            {"name": "Zyxel Networks", "website": "https://www.acme.com"},
            {"name": "Q", "email": "bo@acme.com"},
        ]
    )
    assert pairs_of(frame) == {(0, 1)}


def test_records_with_the_same_core_name_are_candidates(accounts):
    frame = accounts([{"name": "3M"}, {"name": "3M CO"}])
    assert pairs_of(frame) == {(0, 1)}


def test_a_shared_rare_token_makes_candidates_whatever_the_word_order(accounts):
    frame = accounts([{"name": "A. O. Smith"}, {"name": "SMITH A O CORP"}])
    assert pairs_of(frame) == {(0, 1)}


def test_a_one_letter_typo_in_the_rarest_token_still_makes_candidates(accounts):
    frame = accounts([{"name": "Kestrel Logistics"}, {"name": "Kestral Logistics"}])
    assert (0, 1) in pairs_of(frame)


def test_a_typo_still_makes_candidates_when_the_other_words_are_too_common(accounts):
    frame = accounts(
        [{"name": f"Acme {word}"} for word in ("Kestrel", "Kestral", "Bluepeak", "Marlowe")]
    )
    assert pairs_of(frame, MatchConfig(max_block_size=2)) == {(0, 1)}


def test_a_word_held_by_too_many_names_makes_no_candidates(accounts):
    frame = accounts([{"name": f"Global {word}"} for word in ("Alpha", "Beta", "Gamma")])
    assert pairs_of(frame) == {(0, 1), (0, 2), (1, 2)}
    assert pairs_of(frame, MatchConfig(max_block_size=2)) == set()


def test_two_words_meet_the_same_words_written_as_one(accounts):
    frame = accounts([{"name": "Blue Peak Group"}, {"name": "Bluepeak Analytics"}])
    assert pairs_of(frame) == {(0, 1)}


def test_records_of_one_list_are_paired_on_exact_keys_only(accounts):
    frame = accounts(
        [
            {"name": "Bluepeak Analytics", "phone": "555 0100"},
            {"name": "Bluepeak Consulting", "phone": "555 0100"},
            {"name": "Bluepeak Advisory"},
            {"name": "Bluepeak Partners"},
        ]
    )
    everything = {(i, j) for i in range(4) for j in range(i + 1, 4)}
    assert pairs_of(frame) == everything
    lists = ["vendor", "vendor", "partner", "partner"]
    assert pairs_of(frame, lists=lists) == everything - {(2, 3)}


def test_the_same_street_address_makes_candidates_within_its_postal_code(accounts):
    place = {"address": "4647 W Washington Blvd", "city": "Chicago"}
    frame = accounts(
        [
            {"name": "Home of Life", **place, "postal_code": "60644"},
            {"name": "Community Development Corp", **place, "postal_code": "60644"},
            {"name": "Zyxel Networks", **place, "postal_code": "60612"},
        ]
    )
    assert pairs_of(frame) == {(0, 1)}


def test_an_address_without_postal_code_meets_the_same_address_with_one_in_its_city(accounts):
    place = {"address": "4647 W Washington Blvd", "postal_code": "60644"}
    frame = accounts(
        [
            {"name": "Home of Life", **place, "city": "Chicago"},
            {
                "name": "Community Development Corp",
                "address": "4647 W Washington",
                "city": "Chicago",
            },
            {"name": "Zyxel Networks", **place, "city": "Springfield", "postal_code": "62701"},
            {"name": "Quorra Foods", "address": "4647 W Washington"},
        ]
    )
    # the records without postal code also meet each other, as before
    assert pairs_of(frame) == {(0, 1), (1, 3)}


@pytest.mark.parametrize(
    ("short", "long"),
    [("IBM", "International Business Machines Corp."), ("P&G", "Procter & Gamble Co")],
)
def test_an_acronym_meets_the_name_it_stands_for_and_is_compared(accounts, short, long):
    frame = accounts([{"name": short}, {"name": long}, {"name": "Zyxel Networks"}])
    assert pairs_of(frame) == {(0, 1)}
    records = prepare(frame)
    config = MatchConfig()
    pairs = candidate_pairs(records, token_frequencies(records["usual"]), config)
    assert promising(records, pairs, config)[["i", "j"]].rows() == [(0, 1)]


def test_unrelated_names_are_not_candidates(accounts):
    frame = accounts([{"name": "Kestrel Logistics"}, {"name": "Bluepeak Analytics"}])
    assert pairs_of(frame) == set()


def test_in_a_block_too_large_to_pair_all_records_neighbours_in_name_order_are_paired(accounts):
    frame = accounts([{"name": f"Holdings {word}", "phone": "555 0100"} for word in "fbdeca"])
    assert len(pairs_of(frame, MatchConfig(max_block_size=6))) == 15
    # a..f sorted by name are rows 5, 1, 4, 2, 3, 0: each pairs with the next one only
    neighbours = pairs_of(frame, MatchConfig(max_block_size=5, window=1))
    assert neighbours == {(1, 5), (1, 4), (2, 4), (2, 3), (0, 3)}


def test_in_a_block_too_large_to_pair_all_records_one_name_is_chained(accounts):
    names = ["Holdings F", "Holdings F", "Holdings B", "Holdings D"]
    frame = accounts([{"name": name, "phone": "555 0100"} for name in names])
    # in name order: B (2), D (3), F (0), F (1); each name meets the next, F's records chain
    assert pairs_of(frame, MatchConfig(max_block_size=3, window=1)) == {(2, 3), (0, 3), (0, 1)}


def test_each_record_keeps_at_most_max_candidates_of_its_own(accounts):
    frame = accounts([{"name": f"Acme {n}", "phone": "555 0100"} for n in range(8)])
    found = pairs_of(frame, MatchConfig(max_candidates=2))
    assert len(found) <= 2 * 8 < 28


def test_pairs_sharing_a_strong_key_are_compared_however_many_a_record_has(accounts):
    names = ["Zyxel Networks", "Quorra Foods", "Marlowe Pharma", "Bluepeak Analytics"]
    frame = accounts([{"name": name, "phone": "555 0100"} for name in names])
    records = prepare(frame)
    config = MatchConfig(max_compared=1)
    pairs = candidate_pairs(records, token_frequencies(records["usual"]), config)
    assert len(promising(records, pairs, config)) == 6


def test_each_kind_of_key_is_declared_once_and_a_strong_key_pairs_records_of_one_list():
    kinds = [key.kind for key in KEYS]
    assert len(set(kinds)) == len(kinds)
    assert all(key.exact for key in KEYS if key.strong)
