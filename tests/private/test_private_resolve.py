from __future__ import annotations

import numpy as np
import polars as pl

from overlap import schema
from overlap.private.compare import LEFT, RIGHT
from overlap.private.resolve import company_pairs


def _matched(scored: list[tuple[int, int, float]], sizes: tuple[int, int]) -> dict:
    pairs = pl.DataFrame(
        {LEFT: [i for i, _, _ in scored], RIGHT: [j for _, j, _ in scored]},
        schema={LEFT: pl.Int64, RIGHT: pl.Int64},
    )
    score = np.array([s for _, _, s in scored])
    out = company_pairs(pairs, score, sizes, threshold=0.5)
    return {(i, j): s for i, j, s in out.select(LEFT, RIGHT, schema.SCORE).iter_rows()}


def test_a_company_held_twice_on_each_side_matches_the_pair_no_band_compared() -> None:
    # vendor 1 and partner 1 were never compared, yet both are spellings of one company
    matched = _matched([(0, 0, 0.9), (0, 1, 0.8), (1, 0, 0.7)], (2, 2))
    assert matched == {(0, 0): 0.9, (0, 1): 0.8, (1, 0): 0.7, (1, 1): 0.7}


def test_a_clear_non_match_keeps_two_companies_apart_though_a_link_joins_them() -> None:
    scored = [(0, 0, 0.95), (1, 1, 0.95), (1, 0, 0.6), (0, 1, 0.01)]
    assert _matched(scored, (2, 2)) == {(0, 0): 0.95, (1, 1): 0.95}


def test_pairs_below_the_threshold_match_nothing() -> None:
    assert _matched([(0, 0, 0.4), (1, 1, 0.2)], (2, 2)) == {}
