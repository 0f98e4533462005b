"""The order model of the learned ranker: a simple prior, and trees where they prove better.

Who works a won deal is first explained by what every baseline reads: whether the
partner lists the account, how strongly, how many of the vendor's companies it lists and
how often it works deals (``PRIOR_FEATURES``). A logistic model of those few features,
fitted on the won deals, is the prior; boosted trees over every feature then learn
corrections to it (LightGBM ``lambdarank`` started from the prior's scores, or
scikit-learn's histogram gradient boosting on the same rows, its log-odds added to the
prior's).

How many trees to keep is measured, not set: at each of ``origins`` rolling origins
trees are fitted on the deals before it and scored on the next block's *won* deals
(mean reciprocal rank of their partner), the blocks pooled, so that most of the
history judges the count rather than its last few dozen won deals. Of the counts
(zero included, the prior alone) within one standard error of the best (the error of
the per-deal difference), the fewest is refitted on every deal: trees are kept as far
as their gain shows above the noise. (On the samples the first fit, on 220 deals,
kept 20 trees on 24 later won deals and lost to the prior; asking the gain to be
significant at 95% instead dropped trees that help on the dev worlds.)
"""

from __future__ import annotations

from itertools import pairwise
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


def reciprocal_ranks(scores: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """1 / rank of column ``truth[i]`` in row ``i`` of ``scores``, ties against it."""
    true = scores[np.arange(len(truth)), truth][:, None]
    return 1.0 / (scores >= true).sum(axis=1)


def reciprocal_rank(scores: np.ndarray, truth: np.ndarray) -> float:
    """Mean ``reciprocal_ranks``; 0 without rows."""
    return float(np.mean(reciprocal_ranks(scores, truth))) if len(truth) else 0.0


def fewest_within_one_error(found: np.ndarray) -> int:
    """The first column of per-deal ``found`` (deal, choice) whose mean is within one
    standard error of the best column's, that error being of their per-deal difference."""
    means = found.mean(axis=0)
    gap = found[:, [int(np.argmax(means))]] - found
    error = gap.std(axis=0, ddof=1) / np.sqrt(len(found)) if len(found) > 1 else 0.0
    return int(np.flatnonzero(gap.mean(axis=0) <= error)[0])


class RankingModel:
    """Scores of (query, partner) rows: the prior's log-odds plus the trees kept.

    ``fit(x, partner, won)``: ``x`` is (query, partner, ``FEATURES``), ``partner`` the
    column of the partner that worked each query, ``won`` whether it won.
    """

    def __init__(
        self,
        *,
        model: str = "lightgbm",
        origins: int = 3,
        random_state: int = 0,
        n_jobs: int = 1,
    ):
        self.model = model
        self.origins = origins
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, x: np.ndarray, partner: np.ndarray, won: np.ndarray) -> RankingModel:
        """Fit the prior, choose the number of trees at rolling origins, refit; returns self."""
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
        counts = range(0, MAX_TREES + 1, TREE_STEP)
        found = []
        # rolling origins: trees fitted on every block before one are scored on its won
        # deals, pooled over every block, so the count rests on most of the history rather
        # than on its last few dozen won deals; of counts within one standard error of the
        # best the fewest is kept (0 trees: the prior alone), as the trees' gain shows
        bounds = np.linspace(0, n_q, self.origins + 2).astype(np.int64)[1:]
        for earlier, later in pairwise(bounds):
            cut, end = earlier * n_p, later * n_p
            trees = self._trees(flat[:cut], labels[:earlier], start[:cut], MAX_TREES)
            held = won[earlier:later].astype(bool)
            base = start[cut:end].reshape(-1, n_p)[held]
            truth = partner[earlier:later][held]
            found.append(
                np.column_stack(
                    [
                        reciprocal_ranks(
                            base
                            + self._tree_scores(trees, flat[cut:end], k).reshape(-1, n_p)[held],
                            truth,
                        )
                        for k in counts
                    ]
                )
            )
        self.n_trees_ = counts[fewest_within_one_error(np.vstack(found))]
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
