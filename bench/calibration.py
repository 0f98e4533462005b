"""Expected calibration error of the Ranker's win probabilities on a later held-out period.

    .venv/bin/python bench/calibration.py [FOLDER ...] [--held-out 0.2] [--bins 10]

Per ecosystem folder (default: data/samples; worlds of bench/worlds.py alike), the
deals created in the last ``--held-out`` share of the history are the test period. The
Ranker is fitted on ``as_known_on(eco, start of the test period)`` (which itself
calibrates on the last part of what it knows); every test deal with an outcome gets its
win probability with its partner, or with none, read from that same ecosystem. Prints
the test deals, the ECE of the Ranker and of the history's win rate (a constant), and
the reliability table (predicted vs observed per probability bin).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl

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
    )
    predicted = ranker.deal_win_probabilities(known, tests)
    won = (tests["outcome"] == "won").to_numpy()
    kept = ~np.isnan(predicted)
    history = known.deals.filter(pl.col("outcome").is_in(["won", "lost"]))
    return predicted[kept], won[kept], float((history["outcome"] == "won").mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[Path("data/samples")])
    parser.add_argument("--held-out", type=float, default=0.2)
    parser.add_argument("--bins", type=int, default=10)
    args = parser.parse_args()
    for folder in args.folders:
        predicted, won, rate = held_out_probabilities(folder, held_out=args.held_out)
        ece = expected_calibration_error(predicted, won, bins=args.bins)
        constant = expected_calibration_error(np.full(len(won), rate), won, bins=args.bins)
        print(
            f"{folder}: {len(won):,} held-out deals, ECE {ece:.4f} "
            f"(history's win rate {rate:.2f} as a constant: ECE {constant:.4f})"
        )
        print(reliability(predicted, won, bins=args.bins))


if __name__ == "__main__":
    main()
