"""Every ranking method of ``overlap backtest`` over many worlds, against the worlds' oracle.

    .venv/bin/python bench/ranking.py [--seeds dev|hidden] [--jobs 2] [--leaky-lists]
                                      [--accounts N --partners P --deals D]

For each seed, ``bench/worlds.py`` draws a world (its causal structure drawn at random)
into ``bench/out/worlds/``, and ``overlap backtest --data DIR --truth --format json``
runs on it as a subprocess, as an outside evaluator would. The oracle's figures come
from ``world.json``: the world's own probability of each partner for every test deal.
Prints per method the mean over seeds and a 95% interval (bootstrap over seeds) of
precision@1, hit@3, NDCG@5 and MRR; writes everything to ``bench/out/ranking.json``.

Seeds: ``dev`` (1-10) are for development. ``hidden`` (7001-7030) are kept for the
final figures: nobody runs them while developing a method, so that no choice is tuned
to them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from overlap.ecosystem.backtest import METRICS, metrics, rank_of_truth
from worlds import write_world

SEEDS = {"dev": tuple(range(1, 11)), "hidden": tuple(range(7001, 7031))}
OUT = Path(__file__).resolve().parent / "out"
ORACLE = "oracle"
BOOTSTRAP = 2000


def run_seed(seed: int, *, sizes: dict[str, int], leaky_lists: bool) -> list[dict[str, Any]]:
    """The backtest's rows on world ``seed``, and the oracle's row."""
    folder = write_world(seed, OUT / "worlds" / f"seed-{seed}", leaky_lists=leaky_lists, **sizes)
    command = [sys.executable, "-m", "overlap.cli", "backtest", "--data", str(folder)]
    done = subprocess.run(
        [*command, "--truth", "--format", "json"], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"seed {seed}: backtest failed:\n{done.stderr}")
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return [*rows, oracle_row(json.loads((folder / "world.json").read_text()))]


def oracle_row(world: dict[str, Any]) -> dict[str, Any]:
    """The figures of ranking each test deal's partners by the world's own probabilities."""
    tests = world["oracle"]
    if not tests:
        return {"method": ORACLE, "deals": 0, **metrics(np.array([], dtype=np.int64))}
    partners = list(tests[0]["probabilities"])
    scores = np.array([[t["probabilities"][p] for p in partners] for t in tests])
    truth = np.array([partners.index(t["partner_id"]) for t in tests])
    return {"method": ORACLE, "deals": len(tests), **metrics(rank_of_truth(scores, truth))}


def summary(per_seed: dict[int, list[dict[str, Any]]]) -> dict[str, dict[str, list[float]]]:
    """Per method and metric: [mean, 2.5%, 97.5%] over seeds (bootstrap over seeds)."""
    rng = np.random.default_rng(0)
    methods = [r["method"] for r in next(iter(per_seed.values()))]
    figures: dict[str, dict[str, list[float]]] = {}
    for method in methods:
        figures[method] = {}
        for metric in METRICS:
            values = np.array(
                [
                    next(r[metric] for r in rows if r["method"] == method)
                    for rows in per_seed.values()
                ],
                dtype=np.float64,
            )
            values = values[~np.isnan(values)]
            means = rng.choice(values, (BOOTSTRAP, len(values))).mean(axis=1)
            low, high = np.percentile(means, [2.5, 97.5])
            figures[method][metric] = [float(values.mean()), float(low), float(high)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", choices=sorted(SEEDS), default="dev")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--leaky-lists", action="store_true")
    parser.add_argument("--accounts", type=int, default=3000)
    parser.add_argument("--partners", type=int, default=12)
    parser.add_argument("--deals", type=int, default=4000)
    args = parser.parse_args()
    sizes = {"n_accounts": args.accounts, "n_partners": args.partners, "n_deals": args.deals}
    seeds = SEEDS[args.seeds]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = pool.map(lambda s: run_seed(s, sizes=sizes, leaky_lists=args.leaky_lists), seeds)
        per_seed = dict(zip(seeds, results, strict=True))
    figures = summary(per_seed)
    deals = [next(r["deals"] for r in rows) for rows in per_seed.values()]
    print(
        f"{len(seeds)} {args.seeds} worlds ({args.accounts} accounts, {args.partners} partners, "
        f"{args.deals} deals; lists {'leaky' if args.leaky_lists else 'dated'}), "
        f"test deals per world {min(deals)}-{max(deals)}; mean [95% interval over seeds]"
    )
    print(f"{'method':<16}" + "".join(f"{m:>26}" for m in METRICS))
    for method, row in figures.items():
        cells = "".join(f"{m:.3f} [{lo:.3f}, {hi:.3f}]".rjust(26) for m, lo, hi in row.values())
        print(f"{method:<16}{cells}")
    OUT.mkdir(exist_ok=True)
    (OUT / "ranking.json").write_text(
        json.dumps(
            {"seeds": args.seeds, "sizes": sizes, "summary": figures, "per_seed": per_seed},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
