"""The order model of the learned ranker: a simple prior, and trees where they prove better.

Who works a won deal is first explained by what every baseline reads: whether the
partner lists the account, how strongly, how many of the vendor's companies it lists and
how often it works deals (``PRIOR_FEATURES``). A logistic model of those few features,
fitted on the won deals, is the prior; boosted trees over every feature then learn
corrections to it (LightGBM ``lambdarank`` started from the prior's scores, or
scikit-learn's histogram gradient boosting on the same rows, its log-odds added to the
prior's).

How many trees to keep is measured, not set: trees are fitted on the earlier
``1 - validation`` share of the deals, and the number of them (zero included, the prior
alone) whose order ranks the partner of the later *won* deals best (mean reciprocal rank)
is the number refitted on every deal. A short history thus keeps the prior, which a
few hundred deals pin down, and a long one the trees. (Asking the trees' gain to be
significant as well dropped trees that help: on the dev worlds the early fits have
30-60 later won deals, too few to show a real gain of 0.05-0.10 in reciprocal rank.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from overlap.ecosystem.ranking_features import COLUMN

PRIOR_FEATURES = ("relationship", "overlap", "partner_share")
"""What the prior reads, beside whether the partner lists the account at all."""
MAX_TREES = 150
TREE_STEP = 10
"""Tree counts tried: 0, 10, 20, ... ``MAX_TREES``."""
MODELS = ("lightgbm", "sklearn")


def prior_rows(flat: np.ndarray) -> np.ndarray:
    """The prior's inputs of (row, ``FEATURES``) rows: ``PRIOR_FEATURES`` and listed or not."""
    columns = flat[:, [COLUMN[f] for f in PRIOR_FEATURES]].astype(np.float64)
    listed = flat[:, COLUMN["relationship"]] > 0
    return np.column_stack([columns, listed])


def reciprocal_rank(scores: np.ndarray, truth: np.ndarray) -> float:
    """Mean 1 / rank of column ``truth[i]`` in row ``i`` of ``scores``, ties against it."""
    if not len(truth):
        return 0.0
    true = scores[np.arange(len(truth)), truth][:, None]
    return float(np.mean(1.0 / (scores >= true).sum(axis=1)))


class RankingModel:
    """Scores of (query, partner) rows: the prior's log-odds plus the trees kept.

    ``fit(x, partner, won)``: ``x`` is (query, partner, ``FEATURES``), ``partner`` the
    column of the partner that worked each query, ``won`` whether it won.
    """

    def __init__(
        self,
        *,
        model: str = "lightgbm",
        validation: float = 0.2,
        random_state: int = 0,
        n_jobs: int = 1,
    ):
        self.model = model
        self.validation = validation
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, x: np.ndarray, partner: np.ndarray, won: np.ndarray) -> RankingModel:
        """Fit the prior, choose the number of trees on the later won deals, refit; self."""
        n_q, n_p = x.shape[:2]
        labels = np.zeros((n_q, n_p), dtype=np.int64)
        labels[np.arange(n_q), partner] = 1
        flat = x.reshape(-1, x.shape[2])
        # The prior is the partner of a *won* deal, the one a rep asks for: of the partners
        # who work deals, P(worked it | won) also weighs how often each one wins.
        won_rows = np.repeat(won.astype(bool) if won.any() else np.ones(n_q, bool), n_p)
        prior = LogisticRegression(max_iter=1000).fit(
            prior_rows(flat)[won_rows], labels.ravel()[won_rows]
        )
        # the prior's log-odds as a dot product: scikit-learn's checks cost more per query
        self.coef_ = prior.coef_.ravel().astype(np.float64)
        self.intercept_ = float(prior.intercept_[0])
        start = self._prior(flat)
        later = int(n_q * self.validation)
        earlier = n_q - later
        cut = earlier * n_p
        trees = self._trees(flat[:cut], labels[:earlier], start[:cut], MAX_TREES)
        held = won[earlier:].astype(bool)
        base = start[cut:].reshape(later, n_p)[held]
        truth = partner[earlier:][held]
        counts = range(0, MAX_TREES + 1, TREE_STEP)
        found = [
            reciprocal_rank(
                base + (self._tree_scores(trees, flat[cut:], k).reshape(later, n_p)[held]), truth
            )
            for k in counts
        ]
        self.n_trees_ = counts[int(np.argmax(found))]
        self.trees_ = self._trees(flat, labels, start, self.n_trees_) if self.n_trees_ else None
        return self

    def scores(self, flat: np.ndarray) -> np.ndarray:
        """The score of each (row, ``FEATURES``) row: higher ranks first."""
        return self._prior(flat) + self._tree_scores(self.trees_, flat, self.n_trees_)

    def _prior(self, flat: np.ndarray) -> np.ndarray:
        return prior_rows(flat) @ self.coef_ + self.intercept_

    def _trees(self, flat: np.ndarray, labels: np.ndarray, start: np.ndarray, n: int) -> Any:
        if self.model == "sklearn":
            # no starting scores in scikit-learn: its trees learn the rows alone
            return HistGradientBoostingClassifier(
                max_iter=n, learning_rate=0.1, early_stopping=False, random_state=self.random_state
            ).fit(flat, labels.ravel() > 0)
        import lightgbm

        ranker = lightgbm.LGBMRanker(
            objective="lambdarank",
            n_estimators=n,
            num_leaves=31,
            learning_rate=0.05,
            min_child_samples=50,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
            verbose=-1,
        )
        ranker.fit(
            flat, labels.ravel(), group=np.full(len(labels), labels.shape[1]), init_score=start
        )
        return ranker.booster_

    def _tree_scores(self, trees: Any, flat: np.ndarray, n: int) -> np.ndarray:
        if trees is None or n == 0:
            return np.zeros(len(flat))
        if isinstance(trees, HistGradientBoostingClassifier):
            staged = trees.staged_decision_function(flat)
            return np.asarray(next(s for i, s in enumerate(staged, 1) if i == n), dtype=np.float64)
        return np.asarray(trees.predict(flat, num_iteration=n, num_threads=1), dtype=np.float64)
