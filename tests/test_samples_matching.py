"""End to end on the bundled samples: matching meets its accuracy target."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from overlap.demo import VENDOR_FILE, pair_quality, true_pairs
from overlap.ingest import read_accounts
from overlap.matching.pipeline import link

SAMPLES = Path(__file__).parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def pooled() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Matches of the vendor list with every partner list, and the true pairs, pooled."""
    truth = pl.read_csv(SAMPLES / "ground_truth.csv", infer_schema=False)
    vendor = read_accounts(SAMPLES / VENDOR_FILE).accounts
    found, expected = [], []
    for file in pl.read_csv(SAMPLES / "partners.csv")["file"]:
        partner = read_accounts(SAMPLES / file).accounts
        found.append(link(vendor, partner).matches.with_columns(file=pl.lit(file)))
        expected.append(true_pairs(truth, VENDOR_FILE, file).with_columns(file=pl.lit(file)))
    return pl.concat(found), pl.concat(expected)


def test_matching_the_samples_reaches_f1_097_against_their_ground_truth(pooled):
    found, expected = pooled
    keyed = [pl.concat_str("file", "vendor_id", separator="|").alias("vendor_id"), "partner_id"]
    quality = pair_quality(found.select(keyed), expected.select(keyed))
    assert quality["f1"] >= 0.97
    assert quality["precision"] >= 0.97


def test_every_sample_match_has_a_score_and_a_reason(pooled):
    found, _ = pooled
    assert found["score"].is_between(0.5, 1.0).all()
    assert found["reason"].str.len_chars().min() > 0
