"""Expected calibration error of the Ranker's win probabilities on a later held-out period.

    .venv/bin/python bench/calibration.py [FOLDER ...] [--held-out 0.2] [--bins 10]

Per ecosystem folder (default: data/samples; worlds of bench/worlds.py alike), the
deals created in the last ``--held-out`` share of the history are the test period. The
Ranker is fitted on ``as_known_on(eco, start of the test period)`` (which itself
calibrates on scores of deals its models were not fitted on); every test deal with an
outcome gets its win probability with its partner, or with none, from that model and
the features its own creation day knew. Prints the test deals; the ECE of the Ranker
with equal-width and with equal-mass bins; the noise floor of each, the mean ECE a
perfectly calibrated model with the same probabilities would show on as many deals
(outcomes drawn from the probabilities themselves): a few hundred deals cannot show an
ECE much below it; the ECE of the history's win rate (a constant); and the reliability table
(predicted vs observed per probability bin).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

from overlap.ecosystem.backtest import refresh_days
from overlap.ecosystem.calibration import expected_calibration_error, reliability
from overlap.ecosystem.history import as_known_on
from overlap.ecosystem.load import load_ecosystem
from overlap.ecosystem.ranker import Ranker


def held_out_probabilities(
    folder: Path, *, held_out: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Predicted and observed outcomes of the test period's deals, and the history's rate."""
    eco = load_ecosystem(folder, companies="truth")
    created = eco.deals["created_date"].drop_nulls().sort()
    start = created[int((1 - held_out) * (len(created) - 1))]
    known = as_known_on(eco, start)
    ranker = Ranker().fit(known)
    tests = eco.deals.filter(
        pl.col("created_date") >= start, pl.col("outcome").is_in(["won", "lost"])
    ).sort("created_date")
    # the model stays as fitted at the start; each deal's features are what its own
    # creation day knew (refreshed on up to MAX_DAYS days, as the backtest reads them)
    days = refresh_days(tests["created_date"])
    refresh = pl.Series(days, dtype=pl.Date).to_physical().to_numpy()
    created = tests["created_date"].to_physical().to_numpy()
    which = np.searchsorted(refresh, created, side="right") - 1
    predicted = np.concatenate(
        [
            ranker.deal_win_probabilities(
                as_known_on(eco, day), tests.filter(pl.Series(which == n))
            )
            for n, day in enumerate(days)
        ]
    )
    won = (tests["outcome"] == "won").to_numpy()
    kept = ~np.isnan(predicted)
    history = known.deals.filter(pl.col("outcome").is_in(["won", "lost"]))
    return predicted[kept], won[kept], float((history["outcome"] == "won").mean())


def noise_floor(
    predicted: np.ndarray, *, bins: int, equal_mass: bool = False, draws: int = 200
) -> float:
    """Mean ECE of outcomes drawn from ``predicted`` itself: the ECE of a perfect model."""
    rng = np.random.default_rng(0)
    return float(
        np.mean(
            [
                expected_calibration_error(
                    predicted,
                    rng.random(len(predicted)) < predicted,
                    bins=bins,
                    equal_mass=equal_mass,
                )
                for _ in range(draws)
            ]
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[Path("data/samples")])
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--bins", type=int, default=10)
    args = parser.parse_args()
    for folder in args.folders:
        predicted, won, rate = held_out_probabilities(folder, held_out=args.held_out)
        ece = expected_calibration_error(predicted, won, bins=args.bins)
        mass = expected_calibration_error(predicted, won, bins=args.bins, equal_mass=True)
        constant = expected_calibration_error(np.full(len(won), rate), won, bins=args.bins)
        floor = noise_floor(predicted, bins=args.bins)
        mass_floor = noise_floor(predicted, bins=args.bins, equal_mass=True)
        print(
            f"{folder}: {len(won):,} held-out deals, ECE {ece:.4f} (equal-mass bins {mass:.4f}; "
            f"a perfectly calibrated model's on as many deals {floor:.4f}, "
            f"equal-mass {mass_floor:.4f}; "
            f"history's win rate {rate:.2f} as a constant: {constant:.4f})"
        )
        print(reliability(predicted, won, bins=args.bins))


if __name__ == "__main__":
    main()
