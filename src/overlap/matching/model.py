"""The pair classifier: similarity features -> calibrated match probability.

A logistic regression over the features, fitted with scikit-learn and saved as plain
JSON: the feature names with their means, scales and coefficients. Loading needs no
pickle and runs anywhere numpy does. A linear model on purpose: the default model
learns from generated lists, and a model flexible enough to learn the generator's
quirks carries them to real lists (measured in ``bench/accuracy.py``); each feature's
weight stays readable too.
"""

from __future__ import annotations

import json
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from overlap.errors import ModelError
from overlap.matching.compare import FEATURES

FORMAT = "overlap.match-model/1"


def _terms(features: tuple[str, ...], *, interactions: bool) -> list[str]:
    """Names of the model's inputs: each feature, then (with interactions) each product."""
    products = [f"{a}*{b}" for a, b in combinations(features, 2)] if interactions else []
    return [*features, *products]


def _design(frame: pl.DataFrame, features: tuple[str, ...], *, interactions: bool) -> np.ndarray:
    """The feature columns (and, with interactions, their pairwise products) as float64."""
    missing = [f for f in features if f not in frame.columns]
    if missing:
        raise ModelError(f"features missing from the pair frame: {missing}")
    base = frame.select(features).to_numpy().astype(np.float64)
    if not interactions:
        return base
    first, second = np.triu_indices(len(features), k=1)
    return np.hstack([base, base[:, first] * base[:, second]])


class MatchModel:
    """Logistic regression on pair features.

    Parameters
    ----------
    C: inverse regularisation strength of the logistic regression.
    features: the feature columns read, in order.
    interactions: also read the product of every two features, so that one kind of
        evidence can count for more when another is missing or weak (a shared domain
        outweighing unlike names).
    """

    def __init__(
        self, *, C: float = 1.0, features: tuple[str, ...] = FEATURES, interactions: bool = True
    ) -> None:
        self.C = C
        self.features = features
        self.interactions = interactions

    def fit(
        self,
        pairs: pl.DataFrame,
        labels: np.ndarray | pl.Series,
        *,
        sample_weight: np.ndarray | pl.Series | None = None,
    ) -> MatchModel:
        """Fit on a feature frame and 0/1 labels (1 = same company), each pair weighing
        ``sample_weight`` (1 if not given)."""
        from sklearn.linear_model import LogisticRegression

        if self.C <= 0:
            raise ModelError(f"C must be positive, got {self.C}")
        y = np.asarray(labels, dtype=np.int8)
        if len(y) != len(pairs):
            raise ModelError(f"{len(pairs)} pairs but {len(y)} labels")
        if len(np.unique(y)) != 2:
            raise ModelError("training needs both matching and non-matching pairs")
        x = _design(pairs, self.features, interactions=self.interactions)
        self.mean_ = x.mean(axis=0)
        # Centred, not standardised: every feature and product lies in [0, 1] already, and
        # dividing by the spread would let a product that is rarely non-zero (one
        # combination of evidence a generated world happened to hold a few times) take a
        # large weight at a small penalty. Trained on generated worlds of different
        # seeds, Chicago link F1 ranged 0.83-0.95 standardised, 0.92-0.96 centred only.
        self.scale_ = np.ones(x.shape[1])
        classifier = LogisticRegression(C=self.C, max_iter=5000)
        weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        classifier.fit((x - self.mean_) / self.scale_, y, sample_weight=weight)
        self.coef_ = classifier.coef_[0]
        self.intercept_ = float(classifier.intercept_[0])
        self.n_pairs_ = len(y)
        self.prior_: float | None = float(np.average(y, weights=weight))
        return self

    def predict_proba(self, pairs: pl.DataFrame) -> np.ndarray:
        """Match probability of each pair.

        The products are never built: with the scaling folded into the weights, the
        interaction part of the logit is ``sum((X @ W) * X)`` row by row, W holding the
        weight of each product in its upper triangle.
        """
        self._check_fitted()
        x = _design(pairs, self.features, interactions=False)
        weight = self.coef_ / self.scale_
        constant = self.intercept_ - float(weight @ self.mean_)
        k = len(self.features)
        logit = x @ weight[:k] + constant
        if self.interactions:
            upper = np.zeros((k, k))
            upper[np.triu_indices(k, k=1)] = weight[k:]
            logit += np.einsum("ij,ij->i", x @ upper, x)
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict[str, Any]:
        """Portable form: feature names with their mean, scale and coefficient."""
        self._check_fitted()
        return {
            "format": FORMAT,
            "C": self.C,
            "features": list(self.features),
            "interactions": self.interactions,
            "n_pairs": self.n_pairs_,
            "prior": self.prior_,
            "intercept": self.intercept_,
            "terms": [
                {"term": term, "mean": float(m), "scale": float(s), "coef": float(c)}
                for term, m, s, c in zip(
                    _terms(self.features, interactions=self.interactions),
                    self.mean_,
                    self.scale_,
                    self.coef_,
                    strict=True,
                )
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchModel:
        """Inverse of ``to_dict``."""
        if data.get("format") != FORMAT:
            raise ModelError(f"not an overlap match model (format {data.get('format')!r})")
        model = cls(
            C=float(data["C"]),
            features=tuple(data["features"]),
            interactions=bool(data["interactions"]),
        )
        terms = data["terms"]
        if [t["term"] for t in terms] != _terms(model.features, interactions=model.interactions):
            raise ModelError("the model's terms do not fit its features")
        model.mean_ = np.array([t["mean"] for t in terms])
        model.scale_ = np.array([t["scale"] for t in terms])
        model.coef_ = np.array([t["coef"] for t in terms])
        model.intercept_ = float(data["intercept"])
        model.n_pairs_ = int(data["n_pairs"])
        # models saved before the prior was kept have none: their scores are not adapted
        prior = data.get("prior")
        if prior is not None and not 0.0 < float(prior) < 1.0:
            raise ModelError(f"the model's prior must be between 0 and 1, got {prior}")
        model.prior_ = None if prior is None else float(prior)
        return model

    def save(self, path: str | Path) -> None:
        """Write the model as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> MatchModel:
        """Read a model written by ``save``."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise ModelError(f"cannot read model {path}: {error}") from error
        return cls.from_dict(data)

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("the model is not fitted: call fit() or load a saved model")


def default_model() -> MatchModel:
    """The model shipped with overlap, trained on generated labelled pairs."""
    text = (
        resources.files("overlap.matching")
        .joinpath("default_model.json")
        .read_text(encoding="utf-8")
    )
    return MatchModel.from_dict(json.loads(text))


def adapted(
    probability: np.ndarray,
    prior: float,
    *,
    weight: float,
    band: float = 1.0,
    tolerance: float = 1e-6,
) -> tuple[np.ndarray, float]:
    """Probabilities re-weighed for the share of matches among these pairs, and that share.

    A model learns how often a candidate pair is a match from its training lists
    (``prior``); in other lists the share differs (a partner sharing its customers
    with a vendor it sells for, or a list of one company's hundred spellings). The
    share is estimated by expectation-maximisation (Saerens, Latinne and Decaestecker,
    "Adjusting the outputs of a classifier to new a priori probabilities", 2002); the
    training share counts as ``weight`` pairs of evidence, so a handful of pairs keeps
    the model's share. Each probability's odds are then scaled by the odds of the new
    share over the training share, less a factor ``band`` taken as the model's own
    error: lists like the training lists keep their scores.
    """
    odds, share = _odds(probability), prior
    for _ in range(500):
        ratio = _odds_ratio(share, prior)
        estimate = ((odds * ratio / (1.0 + odds * ratio)).sum() + weight * prior) / (
            len(odds) + weight
        )
        if abs(estimate - share) < tolerance:
            break
        share = estimate
    return reweighed(probability, prior, share, band=band), float(share)


def reweighed(
    probability: np.ndarray, prior: float, share: float, *, band: float = 1.0
) -> np.ndarray:
    """Probabilities as ``adapted`` re-weighs them for a share of matches ``share``: their
    odds scaled by the odds of ``share`` over those of ``prior``, less the factor ``band``."""
    ratio = _odds_ratio(share, prior)
    trusted = max(ratio / band, 1.0) if ratio >= 1.0 else min(ratio * band, 1.0)
    odds = _odds(probability) * trusted
    return odds / (1.0 + odds)


def _odds(probability: np.ndarray) -> np.ndarray:
    p = np.clip(probability, 1e-12, 1.0 - 1e-12)
    return p / (1.0 - p)


def _odds_ratio(share: float, prior: float) -> float:
    return (share / (1.0 - share)) / (prior / (1.0 - prior))


def with_identifiers(pairs: pl.DataFrame, probability: np.ndarray) -> np.ndarray:
    """Probabilities with registry ids taken as decisive.

    An equal registry id or CRM cross-reference (DUNS, LEI, VAT, ...) makes a match
    whatever the names say; different ids cap the probability at 0.05, strong evidence
    against that only a user's confirmation overrides.
    """
    equal = pairs["registry_equal"].to_numpy() > 0
    differ = pairs["registry_differ"].to_numpy() > 0
    return np.where(
        equal,
        np.maximum(probability, 0.999),
        np.where(differ, np.minimum(probability, 0.05), probability),
    )


FAMILY_WORD_CAP = 0.3
"""The most a pair scores whose names differ by a distinctive word put between the words
they share (``with_family_words``)."""


def with_family_words(pairs: pl.DataFrame, probability: np.ndarray) -> np.ndarray:
    """Probabilities of pairs whose names differ by a distinctive word put between the
    words they share capped at ``FAMILY_WORD_CAP``, unless a domain, registry id or phone
    says they are one company.

    "Bajaj Housing Finance" holds every word of "Bajaj Finance" and one distinctive word
    more, not after them as a registered name follows a brand ("Costco" / "Costco
    Wholesale") but between them: a company of the family, not the company. On the
    development splits of the real benchmark 1 such pair in 105 was one company, against
    14 in 102 where the extra words follow.
    """
    column = {name: pairs[name].to_numpy() for name in FAMILY_EVIDENCE}
    family = (
        (column["words_covered"] >= 1.0)
        & (column["both_extra_words"] == 0)
        & (column["extra_word"] >= 0.8)
        & (column["leading_words"] == 0)
        & (column["domain_equal"] == 0)
        & (column["registry_equal"] == 0)
        & (column["phone_equal"] == 0)
    )
    return np.where(family, np.minimum(probability, FAMILY_WORD_CAP), probability)


FAMILY_EVIDENCE = (
    "words_covered",
    "both_extra_words",
    "extra_word",
    "leading_words",
    "domain_equal",
    "registry_equal",
    "phone_equal",
)
