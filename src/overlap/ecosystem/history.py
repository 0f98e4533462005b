"""The ecosystem as known just before a day (placeholder until branch hA's version lands)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl

from overlap.ecosystem.data import Ecosystem


def as_known_on(eco: Ecosystem, day: date) -> Ecosystem:
    """``eco`` with only the deals created before ``day``, their outcome null until closed."""
    deals = eco.deals.filter(pl.col("created_date") < day).with_columns(
        pl.when(pl.col("close_date") < day).then(pl.col("outcome")).alias("outcome")
    )
    return replace(eco, deals=deals)
