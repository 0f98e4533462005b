"""Win probabilities a rep can read as such: calibrated, shrunk when thin, with an interval.

A classifier's scores are mapped to probabilities by Platt scaling, or isotonic
regression where it predicts later deals clearly better, fitted on scores the model gave
deals it was not trained on (``Calibrator``), so that of the deals given 0.3 about 30%
are won; ``expected_calibration_error`` and ``reliability`` measure how true that is on
deals neither saw. A probability that rests
on few deals is shrunk toward the prior (``shrink``): the history's own rate, or
``PRIORS`` when there is no history.
``uplift`` is the difference of two such probabilities with a normal-approximation
95% interval whose width follows the deals behind each.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from overlap.ecosystem.significance import gain_is_significant

PRIOR_DEALS = 5.0
"""Pseudo-deals of the prior every probability is shrunk with."""
MIN_CALIBRATION_DEALS = 30
"""Fewer deals than this are too few to fit a calibration map on."""
ISOTONIC_DEALS = 300
"""From this many deals on, isotonic regression is a candidate beside Platt scaling."""
CHOICE_SHARE = 0.25
"""The later share of the calibration deals on which isotonic and Platt are compared."""
Z95 = 1.959964


@dataclass(frozen=True)
class Priors:
    """Win probabilities assumed before any deal is seen: with a partner and without."""

    with_partner: float = 0.30
    without_partner: float = 0.20


PRIORS = Priors()
"""The stated priors of an ecosystem with no deal history."""


class Calibrator:
    """Map from a model's raw probability to the share of deals won.

    Platt scaling (a logistic curve on the raw log-odds, two parameters that a few
    hundred deals pin down) or, from ``ISOTONIC_DEALS`` deals on, isotonic regression
    if its log loss on the later ``CHOICE_SHARE`` of the deals, both fitted on the
    earlier part, is lower by more than luck (``significance.gain_is_significant`` of the
    per-deal difference); the one chosen is refitted on every deal.
    """

    def fit(self, raw: np.ndarray, won: np.ndarray) -> Calibrator:
        """Fit on out-of-sample ``raw`` scores and outcomes, oldest first; the identity
        below ``MIN_CALIBRATION_DEALS`` deals or with one outcome only. Returns self."""
        self.map_: IsotonicRegression | LogisticRegression | None = None
        if len(raw) < MIN_CALIBRATION_DEALS or len(np.unique(won)) < 2:
            return self
        self.method_ = "platt"
        earlier = int(len(raw) * (1 - CHOICE_SHARE))
        if len(raw) >= ISOTONIC_DEALS and len(np.unique(won[:earlier])) == 2:
            later = slice(earlier, None)
            platt, isotonic = (
                _log_losses(
                    _predict(_fit(method, raw[:earlier], won[:earlier]), raw[later]), won[later]
                )
                for method in ("platt", "isotonic")
            )
            # isotonic's steps fit the noise of a few hundred deals: they must earn it
            if gain_is_significant(platt - isotonic):
                self.method_ = "isotonic"
        self.map_ = _fit(self.method_, raw, won)
        return self

    def predict(self, raw: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, in [0, 1]."""
        if self.map_ is None:
            return np.clip(raw, 0.0, 1.0)
        return _predict(self.map_, raw)


def _fit(method: str, raw: np.ndarray, won: np.ndarray) -> IsotonicRegression | LogisticRegression:
    if method == "isotonic":
        return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
            raw, won.astype(float)
        )
    return LogisticRegression().fit(_logit(raw)[:, None], won)


def _predict(fitted: IsotonicRegression | LogisticRegression, raw: np.ndarray) -> np.ndarray:
    # from the fitted arrays with numpy: scikit-learn's input checks cost more than a
    # query's other work (isotonic's clipped prediction is this interpolation)
    if isinstance(fitted, IsotonicRegression):
        return np.interp(raw, fitted.X_thresholds_, fitted.y_thresholds_)
    log_odds = fitted.coef_[0, 0] * _logit(raw) + fitted.intercept_[0]
    return np.asarray(1.0 / (1.0 + np.exp(-log_odds)), dtype=np.float64)


def _log_losses(p: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Each deal's log loss."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return -np.where(won, np.log(p), np.log(1 - p))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def shrink(probability: np.ndarray, deals: np.ndarray, prior: float | np.ndarray) -> np.ndarray:
    """``probability`` resting on ``deals`` deals, shrunk toward ``prior`` by ``PRIOR_DEALS``."""
    return (deals * probability + PRIOR_DEALS * prior) / (deals + PRIOR_DEALS)


def uplift(
    with_partner: np.ndarray,
    deals_with: np.ndarray,
    without: np.ndarray,
    deals_without: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``with_partner - without`` and its 95% interval (low, high), clipped to [-1, 1].

    Each probability's variance is p(1 - p) over its deals plus the prior's pseudo-deals.
    """
    difference = with_partner - without
    variance = with_partner * (1 - with_partner) / (deals_with + PRIOR_DEALS) + without * (
        1 - without
    ) / (deals_without + PRIOR_DEALS)
    half = Z95 * np.sqrt(variance)
    return difference, np.clip(difference - half, -1, 1), np.clip(difference + half, -1, 1)


def reliability(
    probabilities: np.ndarray, won: np.ndarray, *, bins: int = 10, equal_mass: bool = False
) -> pl.DataFrame:
    """Per probability bin with deals: ``predicted`` (mean), ``observed`` win rate and
    ``deals``: the points of a reliability plot. Bins are of equal width, or with
    ``equal_mass`` of (nearly) equal deals: the deals in order of probability, cut in
    ``bins`` runs."""
    if equal_mass:
        order = np.argsort(probabilities, kind="stable")
        which = np.empty(len(order), dtype=np.int64)
        which[order] = np.arange(len(order)) * bins // max(len(order), 1)
    else:
        which = np.minimum((probabilities * bins).astype(np.int64), bins - 1)
    frame = pl.DataFrame({"bin": which, "p": probabilities, "won": won.astype(float)})
    return (
        frame.group_by("bin")
        .agg(
            pl.col("p").mean().alias("predicted"),
            pl.col("won").mean().alias("observed"),
            pl.len().alias("deals"),
        )
        .sort("bin")
    )


def expected_calibration_error(
    probabilities: np.ndarray, won: np.ndarray, *, bins: int = 10, equal_mass: bool = False
) -> float:
    """Mean |predicted - observed| over the ``reliability`` bins, weighted by their deals."""
    table = reliability(probabilities, won, bins=bins, equal_mass=equal_mass)
    gap = (table["predicted"] - table["observed"]).abs() * table["deals"]
    return float(gap.sum() / max(len(probabilities), 1))
