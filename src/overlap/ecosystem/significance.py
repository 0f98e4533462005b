"""Whether a gain measured on a few hundred deals is more than luck.

A model choice (calibrate by isotonic regression rather than Platt scaling) is
measured on later deals the models were not fitted on. Picking whichever scores better
there picks noise as often as signal when the deals are few, so the more flexible
choice is kept only when its per-deal gain holds at the low end of a bootstrap interval.
"""

from __future__ import annotations

import numpy as np

BOOTSTRAP = 1000
"""Resamples of the deals behind each interval."""


def gain_is_significant(gains: np.ndarray, *, seed: int = 0) -> bool:
    """Whether the mean of per-deal ``gains`` is above 0 at the low end of its 95%
    interval (bootstrap over the deals); False without deals."""
    if not len(gains):
        return False
    rng = np.random.default_rng(seed)
    means = gains[rng.integers(0, len(gains), (BOOTSTRAP, len(gains)))].mean(axis=1)
    return bool(np.quantile(means, 0.025) > 0)
