"""The pair classifier and its JSON form."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from overlap.errors import ModelError
from overlap.matching.compare import FEATURES
from overlap.matching.model import MatchModel, adapted, default_model, reweighed


def toy_pairs(n: int = 400, seed: int = 0) -> tuple[pl.DataFrame, np.ndarray]:
    """Random features where a high name similarity and an equal domain mean a match."""
    rng = np.random.default_rng(seed)
    values = rng.random((n, len(FEATURES))).astype(np.float32)
    frame = pl.DataFrame(values, schema=list(FEATURES))
    labels = ((frame["name_ratio"] + frame["domain_equal"]) > 1.0).cast(pl.Int8).to_numpy()
    return frame, labels


def test_a_model_saved_as_json_and_loaded_again_gives_the_same_scores(tmp_path):
    pairs, labels = toy_pairs()
    model = MatchModel().fit(pairs, labels)
    model.save(tmp_path / "model.json")
    loaded = MatchModel.load(tmp_path / "model.json")
    np.testing.assert_array_equal(model.predict_proba(pairs), loaded.predict_proba(pairs))
    assert json.loads((tmp_path / "model.json").read_text())["format"].startswith("overlap")
    assert loaded.prior_ == model.prior_ == labels.mean()


def test_a_model_saved_before_the_prior_was_kept_still_loads_without_one(tmp_path):
    pairs, labels = toy_pairs()
    saved = MatchModel().fit(pairs, labels).to_dict()
    del saved["prior"]
    assert MatchModel.from_dict(saved).prior_ is None


@pytest.mark.parametrize("prior", [0.0, 1.0, 1.5])
def test_a_model_whose_prior_is_not_a_share_is_refused(prior):
    pairs, labels = toy_pairs()
    saved = MatchModel().fit(pairs, labels).to_dict() | {"prior": prior}
    with pytest.raises(ModelError, match="prior"):
        MatchModel.from_dict(saved)


def calibrated(share: float, prior: float, n: int = 20_000) -> np.ndarray:
    """Probabilities of a calibrated model trained where ``prior`` of the pairs matched,
    on pairs of which ``share`` match."""
    rng = np.random.default_rng(3)
    matches = rng.random(n) < share
    evidence = np.where(matches, rng.normal(2.0, 1.5, n), rng.normal(-2.0, 1.5, n))
    log_odds = 2.0 * 2.0 / 1.5**2 * evidence + np.log(prior / (1 - prior))
    return 1.0 / (1.0 + np.exp(-log_odds))


@pytest.mark.parametrize("share", [0.02, 0.3, 0.9])
def test_the_share_of_matches_among_the_pairs_is_estimated_from_their_probabilities(share):
    _, estimate = adapted(calibrated(share, prior=0.07), 0.07, weight=100)
    assert estimate == pytest.approx(share, abs=0.02)


def test_adapted_probabilities_rise_where_matches_are_more_common_and_keep_their_order():
    probability = calibrated(0.6, prior=0.07)
    result, _ = adapted(probability, 0.07, weight=100)
    assert (result >= probability).all()
    order = np.argsort(probability, kind="stable")
    assert (np.diff(result[order]) >= 0).all()


def test_a_share_near_the_training_share_is_taken_as_the_models_own_error():
    probability = calibrated(0.09, prior=0.07)
    result, share = adapted(probability, 0.07, weight=100, band=2.0)
    assert share > 0.08
    np.testing.assert_allclose(result, probability, rtol=1e-9)


def test_beyond_the_band_odds_move_by_the_factor_beyond_it():
    probability = calibrated(0.6, prior=0.07)
    full, _ = adapted(probability, 0.07, weight=100)
    banded, _ = adapted(probability, 0.07, weight=100, band=2.0)

    def odds(q: np.ndarray) -> np.ndarray:
        return q / (1.0 - q)

    np.testing.assert_allclose(
        odds(banded) / odds(probability), odds(full) / odds(probability) / 2.0, rtol=1e-6
    )


def test_other_pairs_are_reweighed_for_the_share_the_pairs_at_hand_gave():
    probability = calibrated(0.6, prior=0.07)
    result, share = adapted(probability, 0.07, weight=100, band=2.0)
    np.testing.assert_allclose(reweighed(probability, 0.07, share, band=2.0), result)


def test_a_handful_of_pairs_keeps_the_share_the_model_learnt():
    result, estimate = adapted(np.array([0.6, 0.4]), 0.07, weight=100)
    assert estimate == pytest.approx(0.07, abs=0.01)
    np.testing.assert_allclose(result, [0.6, 0.4], atol=0.05)


def test_the_model_learns_which_features_mean_a_match():
    pairs, labels = toy_pairs()
    model = MatchModel().fit(pairs, labels)
    accuracy = ((model.predict_proba(pairs) >= 0.5) == labels).mean()
    assert accuracy > 0.9


def test_training_needs_both_classes():
    pairs, _ = toy_pairs(n=10)
    with pytest.raises(ModelError, match="both"):
        MatchModel().fit(pairs, np.ones(10))


def test_an_unfitted_model_says_so():
    pairs, _ = toy_pairs(n=3)
    with pytest.raises(ModelError, match="not fitted"):
        MatchModel().predict_proba(pairs)


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"format": "something else"}')
    with pytest.raises(ModelError, match="not an overlap match model"):
        MatchModel.load(path)


def test_the_default_model_ships_with_the_package():
    model = default_model()
    assert model.features == FEATURES
    assert model.n_pairs_ > 1000
