"""The ranker's order model: a prior of what the baselines read, and trees only where the
later won deals show they rank better."""

import numpy as np

from overlap.ecosystem.ranking_features import COLUMN, FEATURES
from overlap.ecosystem.ranking_model import RankingModel, reciprocal_rank

N_PARTNERS = 5


def history(
    n: int, *, rng: np.random.Generator, hidden: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Queries whose worker is the listing partner, or (``hidden``) the partner whose
    ``certified`` and ``role_fit`` are both 1, a pattern no prior feature carries."""
    x = np.zeros((n, N_PARTNERS, len(FEATURES)), dtype=np.float32)
    x[:, :, COLUMN["overlap"]] = np.linspace(0.1, 0.5, N_PARTNERS)
    x[:, :, COLUMN["certified"]] = rng.integers(0, 2, (n, N_PARTNERS))
    x[:, :, COLUMN["role_fit"]] = rng.integers(0, 2, (n, N_PARTNERS))
    worker = rng.integers(0, N_PARTNERS, n)
    if hidden:
        x[np.arange(n), worker, COLUMN["certified"]] = 1
        x[np.arange(n), worker, COLUMN["role_fit"]] = 1
        others = (x[:, :, COLUMN["certified"]] + x[:, :, COLUMN["role_fit"]]) == 2
        others[np.arange(n), worker] = False
        x[others, COLUMN["role_fit"]] = 0
    else:
        x[np.arange(n), worker, COLUMN["relationship"]] = 3.0
    return x, worker, rng.random(n) < 0.5


def test_ties_count_against_the_true_partner_in_the_reciprocal_rank() -> None:
    scores = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]])
    assert reciprocal_rank(scores, np.array([0, 2])) == (0.5 + 0.5) / 2


def test_a_history_the_prior_explains_keeps_the_prior_alone() -> None:
    x, worker, won = history(300, rng=np.random.default_rng(0), hidden=False)
    model = RankingModel().fit(x, worker, won)
    assert model.n_trees_ == 0
    assert model.trees_ is None
    scores = model.scores(x.reshape(-1, len(FEATURES))).reshape(300, N_PARTNERS)
    assert (scores.argmax(axis=1) == worker).all()


def test_trees_are_kept_when_they_find_what_the_prior_cannot_see() -> None:
    rng = np.random.default_rng(1)
    x, worker, won = history(600, rng=rng, hidden=True)
    model = RankingModel().fit(x, worker, won)
    assert model.n_trees_ > 0
    test, truth, _ = history(200, rng=rng, hidden=True)
    scores = model.scores(test.reshape(-1, len(FEATURES))).reshape(200, N_PARTNERS)
    assert reciprocal_rank(scores, truth) > 0.9


def test_the_scikit_learn_trees_follow_the_same_choice() -> None:
    rng = np.random.default_rng(2)
    x, worker, won = history(600, rng=rng, hidden=True)
    model = RankingModel(model="sklearn").fit(x, worker, won)
    assert model.n_trees_ > 0
    scores = model.scores(x.reshape(-1, len(FEATURES))).reshape(600, N_PARTNERS)
    assert reciprocal_rank(scores, worker) > 0.9
