"""How often the recommender names the partner that really worked a won deal.

The deals are split in time: those created before the cutoff (a quantile of creation
dates) and closed before it are the history the recommender is fitted on; every won deal
with a partner created after it is a test case. For each, the partners are ranked for
the deal's account and product, and compared with the partner that was involved.
Two baselines rank the same partners without the recommender: ``overlap`` by the
number of vendor companies each partner lists (the same order for every deal), and
``overlap_related`` the same but partners that list the deal's company first.

The account lists are snapshots with no history of their own, so they are read as
they are today; only the deals are cut.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem
from overlap.ecosystem.factors import Weights
from overlap.ecosystem.points import WON
from overlap.ecosystem.rank import PARTNER_ID
from overlap.ecosystem.recommend import Recommender
from overlap.errors import ConfigError, NotEnoughDataError

METHODS = ("recommender", "overlap", "overlap_related")


def backtest(
    eco: Ecosystem, *, cutoff_fraction: float = 0.5, weights: Weights | None = None
) -> pl.DataFrame:
    """Per method: test ``deals``, ``precision_at_1`` and ``hit_rate_at_3``.

    ``precision_at_1`` is the share of test deals whose partner is ranked first;
    ``hit_rate_at_3`` the share whose partner is among the first three (with one true
    partner per deal, precision@3 is this divided by 3).
    """
    if not 0.0 < cutoff_fraction < 1.0:
        raise ConfigError(f"cutoff_fraction must be in (0, 1), got {cutoff_fraction}")
    deals = eco.deals.filter(pl.col("created_date").is_not_null())
    if deals.is_empty():
        raise NotEnoughDataError("the backtest needs deals with a created date (deals.csv)")
    cutoff = deals["created_date"].sort().to_physical()
    cutoff_day = int(cutoff[int(cutoff_fraction * (len(cutoff) - 1))])
    created = pl.col("created_date").cast(pl.Int32)
    history = deals.filter(pl.col("close_date").cast(pl.Int32) < cutoff_day)
    tests = deals.filter(
        created >= cutoff_day, pl.col("outcome") == WON, pl.col(PARTNER_ID).is_not_null()
    )
    recommender = Recommender(weights=weights).fit(replace(eco, deals=history))
    tests = tests.filter(pl.col("account_id").is_in(list(recommender.account_code_)))
    partners = recommender.partner_ids_
    overlap = _overlap_counts(eco, partners)
    ranked: dict[str, list[np.ndarray]] = {m: [] for m in METHODS}
    for account, product in tests.select("account_id", "product").iter_rows():
        code = recommender.locate(account)
        _, scores = recommender.scores(recommender.factors(code, products=[product]))
        related = np.zeros(len(partners))
        listed = recommender.edge_partner_[
            recommender.indptr_[code] : recommender.indptr_[code + 1]
        ]
        related[listed] = 1.0
        ranked["recommender"].append(partners[np.argsort(-scores, kind="stable")])
        ranked["overlap"].append(partners[np.argsort(-overlap, kind="stable")])
        ranked["overlap_related"].append(partners[np.lexsort((-overlap, -related))])
    truth = tests[PARTNER_ID].to_numpy().astype(str)
    return pl.DataFrame(
        [
            {
                "method": method,
                "deals": len(truth),
                "precision_at_1": _hit_rate(ranked[method], truth, k=1),
                "hit_rate_at_3": _hit_rate(ranked[method], truth, k=3),
            }
            for method in METHODS
        ]
    )


def _overlap_counts(eco: Ecosystem, partners: np.ndarray) -> np.ndarray:
    """Per partner (in ``partners`` order): vendor companies it lists."""
    vendor = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(schema.COMPANY_ID).unique()
    )
    counts = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
        .join(vendor, on=schema.COMPANY_ID, how="semi")
        .group_by(schema.LIST_OWNER)
        .agg(pl.col(schema.COMPANY_ID).n_unique().alias("n"))
    )
    found = dict(zip(counts[schema.LIST_OWNER], counts["n"], strict=True))
    return np.array([found.get(p, 0) for p in partners], dtype=np.float64)


def _hit_rate(rankings: list[np.ndarray], truth: np.ndarray, *, k: int) -> float:
    if not len(truth):
        return float("nan")
    hits = [t in ranking[:k] for ranking, t in zip(rankings, truth, strict=True)]
    return float(np.mean(hits))
