"""A model choice measured on later deals is kept only when its gain is more than luck."""

import numpy as np

from overlap.ecosystem.significance import gain_is_significant


def test_a_gain_seen_on_a_handful_of_deals_is_not_significant() -> None:
    # two of twenty deals ranked better, one worse: a mean gain, and luck
    gains = np.zeros(20)
    gains[[3, 11]] = 0.5
    gains[7] = -0.5
    assert gains.mean() > 0
    assert not gain_is_significant(gains)


def test_a_gain_on_most_of_many_deals_is_significant() -> None:
    gains = np.random.default_rng(3).choice([0.5, 0.0, -0.5], 300, p=[0.4, 0.45, 0.15])
    assert gain_is_significant(gains)
    assert not gain_is_significant(np.array([]))
