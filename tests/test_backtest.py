from pathlib import Path

import pytest

from overlap.ecosystem.backtest import backtest
from overlap.ecosystem.load import load_ecosystem
from overlap.errors import ConfigError
from rank_world import partner, world

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


def test_on_the_samples_the_recommender_beats_the_largest_overlap_baseline() -> None:
    figures = {
        row["method"]: row
        for row in backtest(load_ecosystem(SAMPLES, companies="truth")).iter_rows(named=True)
    }
    ours, baseline = figures["recommender"], figures["overlap"]
    assert ours["deals"] > 100
    assert ours["precision_at_1"] > baseline["precision_at_1"]
    assert ours["hit_rate_at_3"] > baseline["hit_rate_at_3"] + 0.1


def test_a_cutoff_outside_the_history_is_refused() -> None:
    with pytest.raises(ConfigError, match="cutoff_fraction"):
        backtest(world([], {}, [partner("A")]), cutoff_fraction=1.0)
