"""The backtest: every method ranks from what was known on the deal's day, ties count
against the true partner, and the figures say how lists were read."""

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from overlap.ecosystem.backtest import METRICS, backtest, metrics, rank_of_truth
from overlap.ecosystem.data import AS_OF
from overlap.ecosystem.load import load_ecosystem
from overlap.errors import ConfigError
from rank_world import deals, partner, world

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
DEAL_DAY = date(2024, 6, 1)


def test_on_the_samples_the_recommender_beats_the_largest_overlap_baseline() -> None:
    figures = {
        row["method"]: row
        for row in backtest(load_ecosystem(SAMPLES, companies="truth")).iter_rows(named=True)
    }
    ours, baseline = figures["recommender"], figures["overlap"]
    assert ours["deals"] > 100
    assert ours["precision_at_1"] > baseline["precision_at_1"]
    assert ours["hit_rate_at_3"] > baseline["hit_rate_at_3"] + 0.1
    assert ours["lists"] == "as_exported"
    assert ours["precision_at_1_without_lists"] < ours["precision_at_1"]


def test_a_cutoff_outside_the_history_is_refused() -> None:
    with pytest.raises(ConfigError, match="cutoff_fraction"):
        backtest(world([], {}, [partner("A")]), cutoff_fraction=1.0)


def test_a_tie_with_the_true_partner_ranks_it_after_the_others() -> None:
    scores = np.array([[1.0, 1.0, 0.0], [np.nan, 0.0, np.nan], [0.2, 0.5, 0.1]])
    assert rank_of_truth(scores, np.array([0, 0, 1])).tolist() == [2, 3, 1]


def test_the_metrics_of_ranks_one_two_and_six() -> None:
    found = metrics(np.array([1, 2, 6]))
    assert found["precision_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert found["hit_rate_at_3"] == pytest.approx(2 / 3, abs=1e-4)
    assert found["ndcg_at_5"] == pytest.approx((1 + 1 / np.log2(3)) / 3, abs=1e-4)
    assert found["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 6) / 3, abs=1e-4)


def _listed_on(exported: date) -> Any:
    """Partners A and B; A's list, exported on ``exported``, names the deal's company;
    a lost deal, then a deal A won on DEAL_DAY."""
    vendor = [{"id": "v1", "company": "c1", "created_date": date(2020, 1, 1)}]
    history = deals(None, won=0, lost=1, created_date=date(2024, 1, 1))
    won = deals("A", won=1, lost=0, created_date=DEAL_DAY, close_date=date(2024, 9, 1))
    lists = {"A": [{"id": "a1", "company": "c1", AS_OF: exported}], "B": []}
    return world(vendor, lists, [partner("A"), partner("B")], history + won)


def test_a_list_exported_after_the_deal_was_created_does_not_rank_its_partner() -> None:
    before, after = (
        backtest(_listed_on(day)).row(by_predicate=pl.col("method") == "relationship", named=True)
        for day in (date(2024, 5, 1), DEAL_DAY)
    )
    assert before["method"] == after["method"] == "relationship"
    assert (before["deals"], before["precision_at_1"], before["lists"]) == (1, 1.0, "as_of")
    assert after["precision_at_1"] == 0.0


def test_without_test_deals_every_method_reports_zero_deals_and_no_figures() -> None:
    figures = backtest(world([{"id": "v1", "company": "c1"}], {}, [partner("A")]))
    assert figures["deals"].to_list() == [0] * figures.height
    assert all(figures[m].null_count() == figures.height for m in METRICS)
