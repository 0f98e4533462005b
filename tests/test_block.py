"""Blocking: which records become candidate pairs."""

from __future__ import annotations

import polars as pl

from overlap.block import candidate_pairs, token_frequencies
from overlap.config import MatchConfig
from overlap.pipeline import prepare


def pairs_of(frame: pl.DataFrame, config: MatchConfig | None = None) -> set[tuple[int, int]]:
    records = prepare(frame)
    idf = token_frequencies(records["tokens"])
    found = candidate_pairs(records, idf, config or MatchConfig())
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


def test_an_acronym_meets_the_name_it_stands_for(accounts):
    frame = accounts([{"name": "IBM"}, {"name": "International Business Machines Corp."}])
    assert pairs_of(frame) == {(0, 1)}


def test_unrelated_names_are_not_candidates(accounts):
    frame = accounts([{"name": "Kestrel Logistics"}, {"name": "Bluepeak Analytics"}])
    assert pairs_of(frame) == set()


def test_in_a_block_too_large_to_pair_all_records_neighbours_in_name_order_are_paired(accounts):
    frame = accounts([{"name": f"Holdings {word}", "phone": "555 0100"} for word in "fbdeca"])
    assert len(pairs_of(frame, MatchConfig(max_block_size=6))) == 15
    # a..f sorted by name are rows 5, 1, 4, 2, 3, 0: each pairs with the next one only
    neighbours = pairs_of(frame, MatchConfig(max_block_size=5, window=1))
    assert neighbours == {(1, 5), (1, 4), (2, 4), (2, 3), (0, 3)}


def test_each_record_keeps_at_most_max_candidates_of_its_own(accounts):
    frame = accounts([{"name": f"Acme {n}", "phone": "555 0100"} for n in range(8)])
    found = pairs_of(frame, MatchConfig(max_candidates=2))
    assert len(found) <= 2 * 8 < 28
