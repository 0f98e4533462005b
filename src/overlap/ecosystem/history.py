"""The ecosystem as it was known on a past day: what a ranking of that day could read.

Reading today's lists and outcomes to explain a past deal leaks the deal's own result
(a partner that won it lists the account by now), so every backtest method and every
learned feature reads ``as_known_on(eco, day)`` for a deal created on ``day``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl

from overlap import schema
from overlap.ecosystem.data import AS_OF, VENDOR, Ecosystem


def as_known_on(eco: Ecosystem, day: date) -> Ecosystem:
    """``eco`` as known just before ``day`` (nothing dated on or after it).

    Deals: those created before ``day``; ``outcome`` and ``close_date`` only if closed
    before it (else the deal is open, outcome null); ``partner_touch_date`` only if before
    it, and ``partner_id`` too when its touch date is on or after it.
    Accounts: each partner's latest snapshot exported before ``day``, the vendor's
    records created before it, and every undated record as it is (``undated_lists``
    says which lists have some).
    """
    return replace(
        eco, accounts=eco.accounts.filter(known_records(day)), deals=deals_known_on(eco.deals, day)
    )


def deals_known_on(deals: pl.DataFrame, day: date) -> pl.DataFrame:
    """The deals of ``as_known_on(eco, day)``."""
    closed = pl.col("close_date") < day
    touched = pl.col("partner_touch_date") < day
    return deals.filter(pl.col("created_date") < day).with_columns(
        pl.when(closed).then(pl.col("outcome")).alias("outcome"),
        pl.when(closed).then(pl.col("close_date")).alias("close_date"),
        pl.when(touched | pl.col("partner_touch_date").is_null())
        .then(pl.col("partner_id"))
        .alias("partner_id"),
        pl.when(touched).then(pl.col("partner_touch_date")).alias("partner_touch_date"),
    )


def known_records(day: date) -> pl.Expr:
    """Whether an account record is one ``as_known_on(eco, day)`` keeps: a filter on any
    rows that hold every record of each list they hold (its latest snapshot is their max)."""
    dated = pl.col(AS_OF) < day
    # a partner's snapshot replaces the one before it; the vendor's records are dated one by one
    latest = pl.col(AS_OF).filter(dated).max().over(schema.LIST_OWNER)
    return pl.col(AS_OF).is_null() | (
        dated & ((pl.col(schema.LIST_OWNER) == VENDOR) | (pl.col(AS_OF) == latest))
    )


def undated_lists(eco: Ecosystem) -> list[str]:
    """The partners (ids, in directory order) whose lists hold records with no export date.

    Such a list is read as exported today, so it may list what partners gained later.
    """
    undated = eco.accounts.filter(
        pl.col(AS_OF).is_null(), pl.col(schema.LIST_OWNER) != VENDOR
    ).select(schema.LIST_OWNER)
    return [p for p in eco.partners["partner_id"] if p in set(undated[schema.LIST_OWNER])]
