"""Turn the Dice coefficients of candidate pairs into match probabilities and matches.

A logistic model on each field's Dice and whether both accounts hold the field, as the
plaintext engine's model reads its comparison features. The shipped coefficients
(``default_model.json``) are fitted on the generated samples by ``bench/private.py --fit``:
never on the real lists the benchmark reports.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Self

import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression

from overlap.errors import ConfigError
from overlap.private.bloom import Encoded
from overlap.private.compare import BANDS, LEFT, RIGHT, Bands, candidates, dice, scored_pairs

THRESHOLD = 0.5


def features(left: Encoded, right: Encoded, pairs: pl.DataFrame) -> np.ndarray:
    """(pairs, 2 x fields): each field's Dice, then whether both accounts hold it."""
    both = left.present[pairs[LEFT].to_numpy()] & right.present[pairs[RIGHT].to_numpy()]
    return np.concatenate([dice(left, right, pairs), both.astype(float)], axis=1)


class PairModel:
    """Logistic regression of a pair's features; ``fit`` returns self, learned names end in _."""

    def __init__(self, *, c: float = 1.0) -> None:
        self.c = c

    def fit(self, x: np.ndarray, y: np.ndarray) -> Self:
        if self.c <= 0:
            raise ConfigError(f"c must be positive, not {self.c}")
        fitted = LogisticRegression(C=self.c, max_iter=1000).fit(x, y)
        self.coef_ = fitted.coef_[0].astype(float)
        self.intercept_ = float(fitted.intercept_[0])
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The probability that each pair is one company."""
        return 1.0 / (1.0 + np.exp(-(x @ self.coef_ + self.intercept_)))

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


def match(
    left: Encoded,
    right: Encoded,
    *,
    model: PairModel | None = None,
    threshold: float = THRESHOLD,
    bands: tuple[Bands, ...] = BANDS,
) -> pl.DataFrame:
    """``vendor_id, partner_id, score`` of the pairs the model scores at ``threshold`` or more."""
    if left.encoding != right.encoding:
        raise ConfigError("the two lists were encoded with different settings")
    if left.key != right.key:
        raise ConfigError("the two lists were encoded under different secrets")
    model = model or PairModel.default()
    pairs = candidates(left, right, bands)
    score = model.predict_proba(features(left, right, pairs))
    keep = score >= threshold
    return scored_pairs(left, right, score[keep], pairs.filter(pl.Series(keep)))
