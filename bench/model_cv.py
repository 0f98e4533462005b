"""Pick the default model's settings by leaving one real list out.

    .venv/bin/python bench/model_cv.py [REAL_SHARE C]   # the grid, or one setting

For each setting, and each development split of the real benchmark in turn: train on the
other two (and the generated supplement), match the held-out pair of lists as
`overlap match` does (``link``, default threshold), and print pairwise precision, recall
and F1. Never reads a test split. Labelled pairs are cached under bench/out/cv/.
"""

from __future__ import annotations

import sys
from itertools import product
from pathlib import Path

import polars as pl

from overlap.ingest import read_accounts
from overlap.matching.model import MatchModel
from overlap.matching.pipeline import link
from overlap.matching.train import REAL_LISTS, fit, generated_pairs, real_pairs, training_set

BENCH = Path(__file__).resolve().parent
FOLDERS = (BENCH / "real", BENCH / "out" / "real")
CACHE = BENCH / "out" / "cv"
REAL_SHARES = (0.3, 0.6)
CS = (0.3, 1.0)


def folder_of(name: str) -> Path:
    return next(f for f in FOLDERS if (f / f"{name}_truth.csv").exists())


def cached(name: str, build: object) -> pl.DataFrame:
    path = CACHE / f"{name}.parquet"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        build().write_parquet(path)  # type: ignore[operator]
    return pl.read_parquet(path)


def held_out(model: MatchModel, name: str) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of ``link`` with ``model`` on a real pair of lists."""
    folder = folder_of(name)
    vendor, partner = (
        read_accounts(folder / f"{name}_{s}.csv").accounts for s in ("vendor", "partner")
    )
    found = set(
        link(vendor, partner, model=model).matches.select("vendor_id", "partner_id").iter_rows()
    )
    truth = set(pl.read_csv(folder / f"{name}_truth.csv", infer_schema=False).iter_rows())
    right = len(found & truth)
    precision, recall = right / max(len(found), 1), right / max(len(truth), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def main(argv: list[str]) -> int:
    real = {name: cached(name, lambda n=name: real_pairs(folder_of(n), n)) for name in REAL_LISTS}
    generated = cached("generated", lambda: generated_pairs(worlds=1))
    settings = [(float(argv[0]), float(argv[1]))] if argv else list(product(REAL_SHARES, CS))
    for share, c in settings:
        figures = []
        for name in REAL_LISTS:
            others = [pairs for other, pairs in real.items() if other != name]
            model = fit(training_set(others, generated, real_share=share), C=c)
            figures.append(held_out(model, name))
        cells = "  ".join(
            f"{n.split('_')[0]} {p:.3f}/{r:.3f}/{f:.3f}"
            for n, (p, r, f) in zip(REAL_LISTS, figures, strict=True)
        )
        mean_f1 = sum(f for _, _, f in figures) / len(figures)
        min_p = min(p for p, _, _ in figures)
        print(
            f"real share {share} C {c}: {cells}  mean F1 {mean_f1:.3f} min P {min_p:.3f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
