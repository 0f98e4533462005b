"""The learned ranker: features read only the past, it learns a planted affinity, and its
win probabilities are calibrated, shrunk when thin and say how many deals they rest on."""

from dataclasses import fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp

from overlap.ecosystem.calibration import (
    PRIOR_DEALS,
    PRIORS,
    Calibrator,
    expected_calibration_error,
    reliability,
    shrink,
    uplift,
)
from overlap.ecosystem.data import Ecosystem
from overlap.ecosystem.history import as_known_on
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.ranker import PROBABILITY_COLUMNS, Ranker
from overlap.ecosystem.ranking_features import dense_rows, features, known_tables, window_starts
from overlap.ecosystem.ranking_index import build_index, deal_queries
from rank_world import partner, world

INDUSTRIES = ("Retail", "Finance", "Energy")
START = date(2022, 1, 1)
CUTOFF = START + timedelta(days=420)
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def planted(*, seed: int = 0, n_accounts: int = 90, n_deals: int = 600) -> Ecosystem:
    """Partner i works 80% of the deals in industry i; the lists carry dated snapshots."""
    rng = np.random.default_rng(seed)
    vendor = [
        {"id": f"v{i}", "name": f"Company {i}", "industry": INDUSTRIES[i % 3], "company": f"c{i}"}
        for i in range(n_accounts)
    ]
    lists = {
        p: [
            {"id": f"{p}{i}", "name": f"Company {i}", "company": f"c{i}", "as_of": day}
            for day in (START, CUTOFF + timedelta(days=30))
            for i in rng.choice(n_accounts, 10, replace=False)
        ]
        for p in "ABC"
    }
    rows: list[dict[str, Any]] = []
    for d in range(n_deals):
        account = int(rng.integers(n_accounts))
        worker = account % 3 if rng.random() < 0.8 else int(rng.integers(3))
        created = START + timedelta(days=d)
        rows.append(
            {
                "account_id": f"v{account}",
                "product": "Atlas Platform",
                "amount": 10000.0,
                "created_date": created,
                "close_date": created + timedelta(days=30),
                "outcome": "won" if rng.random() < 0.5 else "lost",
                "partner_id": "ABC"[worker] if rng.random() < 0.7 else None,
            }
        )
    return world(vendor, lists, [partner(p) for p in "ABC"], rows)


@pytest.fixture(scope="module")
def eco() -> Ecosystem:
    return planted()


def vendor_features(eco: Ecosystem) -> np.ndarray:
    """The features on CUTOFF of every vendor account (by id) and the first product."""
    index = build_index(eco)
    codes = index.account_codes.sort("id")["code"].to_numpy()
    tables = known_tables(eco, CUTOFF, index)
    return features(tables, index, codes, np.zeros(len(codes), dtype=np.int64))


def test_changing_every_record_dated_after_the_cutoff_leaves_the_features_unchanged(eco):
    after = pl.col("created_date") >= CUTOFF
    closes_after = pl.col("close_date") >= CUTOFF
    deals = eco.deals.with_columns(
        pl.when(after | closes_after)
        .then(pl.when(pl.col("outcome") == "won").then(pl.lit("lost")).otherwise(pl.lit("won")))
        .otherwise("outcome")
        .alias("outcome"),
        pl.when(after).then(pl.lit("A")).otherwise("partner_id").alias("partner_id"),
    )
    later = (pl.col("as_of") >= CUTOFF).fill_null(False)
    accounts = eco.accounts.filter(~later)
    changed = replace(eco, accounts=accounts, deals=deals)
    np.testing.assert_array_equal(vendor_features(eco), vendor_features(changed))


@pytest.mark.parametrize("folder", ["planted", "samples"])
def test_tables_from_partner_records_joined_once_are_those_of_the_ecosystem_as_known_then(
    eco, folder
):
    eco = eco if folder == "planted" else load_ecosystem(SAMPLES, companies="truth")
    index = build_index(eco)
    days = window_starts(deal_queries(eco.deals, index)["day"].to_numpy(), windows=6)
    for day in [date(1970, 1, 1) + timedelta(days=int(d)) for d in days[1:]]:
        joined_once = known_tables(eco, day, index)
        as_known = known_tables(as_known_on(eco, day), day, index)
        for field in fields(joined_once):
            once, known = getattr(joined_once, field.name), getattr(as_known, field.name)
            pairs = (
                [(once[k], known[k]) for k in once] if isinstance(once, dict) else [(once, known)]
            )
            for a, b in pairs:
                dense = (m.toarray() if sp.issparse(m) else m for m in (a, b))
                np.testing.assert_array_equal(*dense, err_msg=f"{field.name} on {day}")


def test_rows_gathered_from_a_sparse_matrix_are_its_rows_in_the_order_asked():
    matrix = sp.csr_matrix(
        (np.array([1.0, 2.0, 3.0, 4.0]), (np.array([0, 0, 2, 3]), np.array([1, 4, 0, 4]))),
        shape=(5, 5),
    )
    codes = np.array([3, 1, 0, 0, 2, 4])
    assert np.array_equal(dense_rows(matrix, codes), matrix[codes].toarray())
    assert dense_rows(matrix, np.array([1, 4])).sum() == 0


def test_the_ranker_names_the_partner_of_a_planted_affinity_far_more_often_than_chance(eco):
    ranker = Ranker().fit(as_known_on(eco, CUTOFF))
    tests = eco.deals.filter(pl.col("created_date") >= CUTOFF, pl.col("partner_id").is_not_null())
    scores = ranker.score_cases(as_known_on(eco, CUTOFF), tests)
    truth = tests["partner_id"].replace_strict({"A": 0, "B": 1, "C": 2}).to_numpy()
    assert (scores.argmax(axis=1) == truth).mean() > 0.6  # chance: 1/3


def test_with_no_deals_the_probabilities_are_the_stated_priors_and_say_so(eco):
    ranked = Ranker().fit(replace(eco, deals=eco.deals.clear())).recommend("Company 1")
    assert ranked["win_probability"].to_list() == [PRIORS.with_partner] * 3
    assert ranked["win_probability_without"].to_list() == [PRIORS.without_partner] * 3
    assert ranked["similar_deals"].to_list() == [0, 0, 0]
    assert ranked["reason"].str.contains("no deal history").all()


def test_every_probability_says_the_similar_deals_it_rests_on(eco):
    ranked = Ranker().fit(eco).recommend("Company 1", k=3)
    for row in ranked.iter_rows(named=True):
        assert row["similar_deals"] == row["deals_with"] + row["deals_without"] > 0
        assert f"from {row['similar_deals']} similar deals" in row["reason"]
        assert (
            f"win probability {row['win_probability']:.2f} with {row['partner']}" in (row["reason"])
        )


def test_probabilities_are_in_the_unit_interval_and_the_uplift_interval_holds_the_uplift(eco):
    ranked = Ranker().fit(eco).recommend("Company 2", k=3)
    for column in ("win_probability", "win_probability_without"):
        assert ranked[column].is_between(0.0, 1.0).all()
    assert (ranked["uplift_low"] <= ranked["uplift"]).all()
    assert (ranked["uplift"] <= ranked["uplift_high"]).all()


def test_co_sell_rows_carry_the_odds_a_recommendation_gives_for_the_same_pair(eco):
    ranker = Ranker().fit(eco)
    recommended = ranker.recommend("Company 1", k=3)
    company = eco.accounts.filter(pl.col("id") == "v1")["company_id"][0]
    rows = pl.DataFrame(
        {
            "company_id": [company] * 3 + ["nobody"],
            "partner_id": [*recommended["partner_id"], "A"],
            "partner": [*recommended["partner"], "A"],
            "reason": ["listed"] * 4,
        }
    )
    odds = ranker.with_odds(rows)
    columns = ["win_probability", "uplift", "deals_with", "deals_without", "similar_deals"]
    assert odds.head(3).select(columns).equals(recommended.select(columns))
    assert odds["reason"][0].startswith("listed; win probability")
    assert odds.row(3, named=True) | {"reason": None} == rows.row(3, named=True) | {
        "reason": None,
        **dict.fromkeys(PROBABILITY_COLUMNS),
    }


def test_no_co_sell_rows_get_no_odds(eco):
    rows = pl.DataFrame(
        {"company_id": [], "partner_id": [], "partner": [], "reason": []},
        schema=dict.fromkeys(["company_id", "partner_id", "partner", "reason"], pl.String),
    )
    odds = Ranker().fit(eco).with_odds(rows)
    assert odds.is_empty() and set(PROBABILITY_COLUMNS) <= set(odds.columns)


def test_a_probability_resting_on_few_deals_is_shrunk_toward_the_prior():
    thin, thick = shrink(np.array([1.0, 1.0]), np.array([1.0, 1000.0]), 0.3)
    assert thin == pytest.approx((1.0 + PRIOR_DEALS * 0.3) / (1.0 + PRIOR_DEALS))
    assert thick > 0.99
    assert shrink(np.array([0.9]), np.array([0.0]), 0.3)[0] == pytest.approx(0.3)


def test_a_wider_uplift_interval_rests_on_fewer_deals():
    _, low_few, high_few = uplift(
        np.array([0.5]), np.array([5.0]), np.array([0.3]), np.array([5.0])
    )
    _, low_many, high_many = uplift(
        np.array([0.5]), np.array([500.0]), np.array([0.3]), np.array([500.0])
    )
    assert high_few - low_few > high_many - low_many


def test_calibration_maps_scores_into_the_unit_interval_and_fixes_a_biased_model():
    rng = np.random.default_rng(0)
    truth = rng.random(4000)
    won = rng.random(4000) < truth
    biased = np.clip(truth * 0.5 + 0.4, 0, 1)  # over-confident at the bottom
    calibrated = Calibrator().fit(biased[:2000], won[:2000]).predict(biased[2000:])
    assert ((calibrated >= 0) & (calibrated <= 1)).all()
    before = expected_calibration_error(biased[2000:], won[2000:])
    assert expected_calibration_error(calibrated, won[2000:]) < min(before, 0.05)


def test_calibration_keeps_platt_when_isotonic_steps_predict_later_deals_worse():
    rng = np.random.default_rng(1)
    raw = rng.random(400)
    won = rng.random(400) < 1 / (1 + np.exp(-(4 * raw - 2)))  # a logistic curve: Platt's shape
    assert Calibrator().fit(raw, won).method_ == "platt"


def test_calibration_turns_isotonic_when_the_curve_is_no_logistic_one():
    rng = np.random.default_rng(2)
    raw = rng.random(4000)
    won = rng.random(4000) < np.where(raw < 0.5, 0.1, 0.9)  # a step no logistic curve bends to
    assert Calibrator().fit(raw, won).method_ == "isotonic"


def test_equal_mass_bins_hold_as_many_deals_each():
    probabilities = np.concatenate([np.full(90, 0.1), np.linspace(0.5, 0.9, 10)])
    won = np.arange(100) % 2 == 0
    width = reliability(probabilities, won, bins=10)
    mass = reliability(probabilities, won, bins=10, equal_mass=True)
    assert width["deals"].max() == 90
    assert mass["deals"].to_list() == [10] * 10
    assert expected_calibration_error(probabilities, won, equal_mass=True) == pytest.approx(
        float(np.mean(np.abs(mass["predicted"].to_numpy() - mass["observed"].to_numpy())))
    )
