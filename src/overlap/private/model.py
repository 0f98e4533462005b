"""Turn the Dice coefficients of candidate pairs into match probabilities and matches.

A logistic model on each field's Dice and whether both accounts hold the field
gives a first probability; its coefficients (``default_model.json``) are fitted on the
generated samples by ``bench/private.py fit``, never on the real lists the benchmark
reports. On request (``adapt``), as two lists may differ from the samples (sites of one
agency on one street), expectation-maximisation of a Fellegi–Sunter model on the pairs
themselves, started from those probabilities, learns how often each field agrees at each
Dice level among matches and among the rest: no labels needed, only the encodings read.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Self

import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression

from overlap import schema
from overlap.errors import ConfigError
from overlap.private.bloom import Encoded, Field
from overlap.private.compare import (
    BANDS,
    LEFT,
    RIGHT,
    Bands,
    best_of,
    candidates,
    containment,
    dice,
    scored_pairs,
    shared_words,
)
from overlap.private.resolve import company_pairs

THRESHOLD = 0.5
LEVELS = np.array([0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
"""Cut points of a field's Dice into agreement levels; a missing field is a level of its own."""
BINS = np.array([0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98])
"""Cut points of each similarity into the bins the model weighs apart (``expanded``)."""
ROUNDS = 30


def features(left: Encoded, right: Encoded, pairs: pl.DataFrame) -> np.ndarray:
    """(pairs, 2 x similarities): each similarity, then whether both accounts hold its field.

    The similarities are each field's Dice, then the ``containment`` of the lighter and
    of the heavier side of each counted field, then the share of the fewer and of the
    more keyed words the names send that both send (``compare.shared_words``), and how
    many more generic and common words one name holds back than the other
    (``word_keys.held_back``; up to 2, halved), these four held where both send a word;
    last, whether the pair is the closest of its left, then of its right record's
    candidates by the sum of the balanced fields' Dice (``compare.best_of``).
    """
    i, j = pairs[LEFT].to_numpy(), pairs[RIGHT].to_numpy()
    both = left.present[i] & right.present[j]
    fields = left.encoding.fields
    similar = dice(left, right, pairs)
    counted = [f for f, spec in enumerate(fields) if spec.counted]
    held = [containment(left, right, pairs, fields[f].name) for f in counted]
    sends = ((left.words[i] > 0).any(axis=1) & (right.words[j] > 0).any(axis=1))[:, None]
    extra = np.minimum(np.abs(left.held_back[i].astype(int) - right.held_back[j]), 2) / 2
    balanced = [f for f, spec in enumerate(fields) if not spec.counted]
    best = best_of(pairs, similar[:, balanced].sum(axis=1))
    similarities = [similar, *held, shared_words(left, right, pairs), extra * sends, best]
    flags = [both, *(both[:, [f, f]] for f in counted), *[sends] * 4, np.ones_like(best)]
    return np.concatenate([*similarities, *flags], axis=1).astype(float)


def expanded(x: np.ndarray) -> np.ndarray:
    """``features`` and, per similarity, which of ``BINS`` it falls in (none where a side
    lacks the field): a similarity weighs as much as its bin says, not along one line, so
    that a near-equal name counts far more than a fairly close one."""
    similarities = x.shape[1] // 2
    level = np.digitize(x[:, :similarities], BINS)
    onehot = np.eye(len(BINS) + 1)[level][:, :, 1:] * x[:, similarities:, None]
    return np.concatenate([x, onehot.reshape(len(x), -1)], axis=1)


class PairModel:
    """Logistic regression of a pair's ``expanded`` features; ``fit`` returns self, learned
    names end in _."""

    def __init__(self, *, c: float = 1.0) -> None:
        self.c = c

    def fit(self, x: np.ndarray, y: np.ndarray, *, weight: np.ndarray | None = None) -> Self:
        """Fit on ``features`` ``x`` and labels ``y``, each pair weighed by ``weight``."""
        if self.c <= 0:
            raise ConfigError(f"c must be positive, not {self.c}")
        fitted = LogisticRegression(C=self.c, max_iter=2000).fit(
            expanded(x), y, sample_weight=weight
        )
        self.coef_ = fitted.coef_[0].astype(float)
        self.intercept_ = float(fitted.intercept_[0])
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The probability that each pair is one company, from its ``features``.

        The bins' weights are looked up rather than ``expanded`` (a copy of the pairs
        eleven times over).
        """
        similarities = x.shape[1] // 2
        bins = self.coef_[x.shape[1] :].reshape(similarities, len(BINS))
        table = np.concatenate([np.zeros((similarities, 1)), bins], axis=1)
        level = np.digitize(x[:, :similarities], BINS)
        binned = (table[np.arange(similarities), level] * x[:, similarities:]).sum(axis=1)
        logit = x @ self.coef_[: x.shape[1]] + binned + self.intercept_
        return 1.0 / (1.0 + np.exp(-logit))

    def to_dict(self) -> dict[str, Any]:
        return {"coef": self.coef_.tolist(), "intercept": self.intercept_}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PairModel:
        model = cls()
        model.coef_ = np.asarray(data["coef"], dtype=float)
        model.intercept_ = float(data["intercept"])
        return model

    @classmethod
    def default(cls) -> PairModel:
        """The shipped model (fitted on the generated samples)."""
        text = resources.files("overlap.private").joinpath("default_model.json").read_text()
        return cls.from_dict(json.loads(text))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")


def _levels(x: np.ndarray) -> np.ndarray:
    fields = x.shape[1] // 2
    return np.where(x[:, fields:] > 0, np.digitize(x[:, :fields], LEVELS) + 1, 0)


def _shares(level: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(levels, fields) share of the weighted pairs at each level, smoothed by half a pair."""
    size = len(LEVELS) + 2
    counts = np.stack(
        [np.bincount(level[:, f], weights=weights, minlength=size) for f in range(level.shape[1])],
        axis=1,
    )
    return (counts + 0.5) / (counts + 0.5).sum(axis=0)


def adapted(x: np.ndarray, start: np.ndarray, *, rounds: int = ROUNDS) -> np.ndarray:
    """Match probabilities of pairs by EM from ``start``, on the Dice levels of ``features``.

    Fields are taken as independent given the match status (Fellegi–Sunter); how often
    each agrees at each level, among matches and among the rest, is learned from the pairs.
    Such a latent-class model needs three or more fields that both lists fill: with fewer
    it drifts to any cluster of alike pairs, which is why ``match`` runs it on request only.
    """
    level = _levels(x)
    fields = np.arange(level.shape[1])
    p = np.clip(start, 1e-6, 1 - 1e-6)
    for _ in range(rounds):
        log_m = np.log(_shares(level, p))[level, fields].sum(axis=1)
        log_u = np.log(_shares(level, 1 - p))[level, fields].sum(axis=1)
        prior = np.clip(p.mean(), 1e-6, 1 - 1e-6)
        weight = np.log(prior / (1 - prior)) + log_m - log_u
        p = 1.0 / (1.0 + np.exp(-np.clip(weight, -50, 50)))
    return p


def _balanced(x: np.ndarray, fields: tuple[Field, ...]) -> np.ndarray:
    """The Dice and flags of ``features`` of the fields that are not counted: EM takes
    fields as independent given the match status, and a counted field repeats the name's
    evidence (with it, Chicago's F1 under ``adapt`` falls from 0.90 to 0.25)."""
    similarities = x.shape[1] // 2
    kept = [f for f, spec in enumerate(fields) if not spec.counted]
    return np.concatenate([x[:, kept], x[:, [similarities + f for f in kept]]], axis=1)


def match(
    left: Encoded,
    right: Encoded,
    *,
    model: PairModel | None = None,
    threshold: float = THRESHOLD,
    bands: tuple[Bands, ...] = BANDS,
    adapt: bool = False,
) -> pl.DataFrame:
    """``vendor_id, partner_id, score`` of the pairs of records in one company.

    Pairs scored at ``threshold`` or more link records into companies (``resolve``).

    ``adapt``: refine the shipped model's probabilities by EM on these two lists' pairs.
    """
    if left.encoding != right.encoding:
        raise ConfigError("the two lists were encoded with different settings")
    if left.key != right.key:
        raise ConfigError("the two lists were encoded under different secrets")
    model = model or PairModel.default()
    pairs = candidates(left, right, bands)
    x = features(left, right, pairs)
    score = model.predict_proba(x)
    if adapt and len(score):
        score = adapted(_balanced(x, left.encoding.fields), score)
    matched = company_pairs(pairs, score, (len(left.ids), len(right.ids)), threshold=threshold)
    return scored_pairs(left, right, matched[schema.SCORE].to_numpy(), matched)
