"""The pair classifier and its JSON form."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from overlap.compare import FEATURES
from overlap.errors import ModelError
from overlap.model import MatchModel, default_model


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
