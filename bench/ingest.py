"""Ingest throughput: read_accounts (and normalise, when present) on a generated CSV.

    .venv/bin/python bench/ingest.py [--rows 1000000] [--seed 0]

Writes a Salesforce-style account export of --rows rows to a temporary folder (vectorised,
numpy and polars), then prints wall seconds and rows/s for ``read_accounts``, for
``normalise`` on its result, and for both together. The target is 500,000 rows/s combined.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl

from overlap.ingest import read_accounts

WORDS = (
    "Acme",
    "Global",
    "Northern",
    "Blue",
    "Summit",
    "Pioneer",
    "Vertex",
    "Harbor",
    "Atlas",
    "Quantum",
    "Silver",
    "Evergreen",
    "Granite",
    "Lumen",
    "Orbit",
    "Cedar",
    "Nova",
    "Apex",
)
KINDS = ("Systems", "Logistics", "Foods", "Analytics", "Partners", "Health", "Energy", "Labs")
LEGAL = ("Inc.", "LLC", "Ltd", "GmbH", "S.A.", "Corp.", "", "")
COUNTRIES = ("United States", "USA", "Germany", "France", "United Kingdom", "Canada", "Spain")
CITIES = ("Austin", "Berlin", "Lyon", "London", "Toronto", "Madrid", "Chicago", "Munich")
INDUSTRIES = ("Technology", "Manufacturing", "Retail", "Healthcare", "Finance", "Energy")
TYPES = ("Customer - Direct", "Customer - Channel", "Prospect", "Former Customer", "Other")
TARGET = 500_000  # fmt: skip


def pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> pl.Series:
    """n values drawn from options, as a String column."""
    return pl.Series(options).gather(rng.integers(0, len(options), n))


def generate(path: Path, rows: int, seed: int) -> None:
    """Write a CSV export of ``rows`` accounts with realistic headers and messy values."""
    rng = np.random.default_rng(seed)
    words = pick(rng, WORDS, rows)
    kinds = pick(rng, KINDS, rows)
    serial = pl.Series(rng.integers(0, 1_000_000, rows)).cast(pl.String)
    frame = pl.DataFrame(
        {"first": words, "kind": kinds, "legal": pick(rng, LEGAL, rows), "serial": serial}
    ).select(
        pl.concat_str("first", "kind", "serial", "legal", separator=" ")
        .str.strip_chars()
        .alias("Account Name"),
        pl.format("https://www.{}{}{}.com", pl.col("first").str.to_lowercase(),
                  pl.col("kind").str.to_lowercase(), "serial").alias("Website"),
        pick(rng, COUNTRIES, rows).alias("Billing Country"),
        pick(rng, CITIES, rows).alias("Billing City"),
        pl.format("+1 (512) {}-{}", pl.Series(rng.integers(200, 999, rows)),
                  pl.Series(rng.integers(1000, 9999, rows))).alias("Phone"),
        pick(rng, INDUSTRIES, rows).alias("Industry"),
        pl.Series(rng.integers(1, 50_000, rows)).cast(pl.String)
        .str.replace(r"^(\d+)(\d{3})$", "$1,$2").alias("Employees"),
        pl.format("${}", pl.Series(rng.integers(10_000, 900_000_000, rows))).alias(
            "Annual Revenue"),
        pick(rng, TYPES, rows).alias("Type"),
    )  # fmt: skip
    frame.write_csv(path)


def timed(label: str, rows: int, work: Callable[[], object]) -> tuple[float, object]:
    """Run work once and print its wall time and rows/s."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label:<22} {seconds:8.2f} s {rows / seconds:14,.0f} rows/s")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accounts.csv"
        generate(path, args.rows, args.seed)
        size = path.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size:,.0f} MB, polars {pl.__version__}, "
              f"{pl.thread_pool_size()} threads")  # fmt: skip
        read_seconds, result = timed("read_accounts", args.rows, lambda: read_accounts(path))
    try:
        normalise = importlib.import_module("overlap.normalise").normalise
    except (ImportError, AttributeError):
        print("normalise               not available: skipped")
        return
    accounts = result.accounts  # type: ignore[attr-defined]
    norm_seconds, _ = timed("normalise", args.rows, lambda: normalise(accounts))
    total = read_seconds + norm_seconds
    print(f"{'read + normalise':<22} {total:8.2f} s {args.rows / total:14,.0f} rows/s"
          f"   ({args.rows / total / TARGET:.2f}x the {TARGET:,} rows/s target)")  # fmt: skip


if __name__ == "__main__":
    main()
