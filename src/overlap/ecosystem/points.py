"""The partner programme: points earned from activities, and strength from points and tier.

A partner's points are its seed points from the partner directory plus, for each
activity, the count of that activity times its value in a ``PointsTable``. Strength
is a number in [0, 1] that mixes the partner's points (log-scaled against the best
partner's) with its tier; the rankings read it as one factor among others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem
from overlap.errors import ConfigError

PARTNER_ID = schema.PARTNER_ID
WON = "won"

TIER_VALUE: Mapping[str, float] = {
    "registered": 0.25,
    "silver": 0.5,
    "gold": 0.75,
    "platinum": 1.0,
}
"""Tier on a 0-1 scale; a tier not listed counts as 0."""


@dataclass(frozen=True)
class PointsTable:
    """Points per activity of a partner.

    ``implementation`` is a won deal on a product of an ``implementation_families``
    family; ``shared_customer`` a company that is a customer of both the vendor and
    the partner.
    """

    registered_deal: int = 10
    co_sell_win: int = 40
    certification: int = 200
    implementation: int = 20
    shared_customer: int = 5
    implementation_families: tuple[str, ...] = ("Platform", "Data", "Integration")


ACTIVITIES = (
    "registered_deal",
    "co_sell_win",
    "certification",
    "implementation",
    "shared_customer",
)


def activities(eco: Ecosystem, *, table: PointsTable) -> pl.DataFrame:
    """Per partner: ``partner_id`` and the count of each activity in ``ACTIVITIES``."""
    heavy = eco.products.filter(pl.col("family").is_in(table.implementation_families))["name"]
    partner_deals = eco.deals.filter(pl.col(PARTNER_ID).is_not_null())
    deals = partner_deals.group_by(PARTNER_ID).agg(
        pl.len().alias("registered_deal"),
        (pl.col("outcome") == WON).sum().alias("co_sell_win"),
        ((pl.col("outcome") == WON) & pl.col("product").is_in(heavy.to_list()))
        .sum()
        .alias("implementation"),
    )
    is_customer = pl.col(schema.STATUS) == schema.STATUS_CUSTOMER
    vendor_customers = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR, is_customer)
    shared = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR, is_customer)
        .join(vendor_customers.select(schema.COMPANY_ID).unique(), on=schema.COMPANY_ID, how="semi")
        .group_by(schema.LIST_OWNER)
        .agg(pl.col(schema.COMPANY_ID).n_unique().alias("shared_customer"))
        .rename({schema.LIST_OWNER: PARTNER_ID})
    )
    return (
        eco.partners.select(PARTNER_ID, pl.col("certifications").list.len().alias("certification"))
        .join(deals, on=PARTNER_ID, how="left", maintain_order="left")
        .join(shared, on=PARTNER_ID, how="left", maintain_order="left")
        .select(PARTNER_ID, *(pl.col(a).fill_null(0).cast(pl.Int64) for a in ACTIVITIES))
    )


def partner_points(eco: Ecosystem, *, table: PointsTable | None = None) -> pl.DataFrame:
    """Per partner: seed points, the count of each activity, and total ``points``."""
    table = table or PointsTable()
    counts = activities(eco, table=table)
    earned = pl.sum_horizontal(pl.col(a) * getattr(table, a) for a in ACTIVITIES)
    return (
        eco.partners.select(PARTNER_ID, pl.col("points").fill_null(0).alias("seed_points"))
        .join(counts, on=PARTNER_ID, how="left", maintain_order="left")
        .with_columns((pl.col("seed_points") + earned).alias("points"))
    )


def partner_strength(
    eco: Ecosystem, *, table: PointsTable | None = None, tier_share: float = 0.5
) -> pl.DataFrame:
    """Per partner: ``points``, ``tier`` and ``strength`` in [0, 1].

    ``strength = (1 - tier_share) * log1p(points) / log1p(max points)
    + tier_share * TIER_VALUE[tier]``.
    """
    if not 0.0 <= tier_share <= 1.0:
        raise ConfigError(f"tier_share must be in [0, 1], got {tier_share}")
    points = partner_points(eco, table=table)
    scaled = pl.col("points").clip(lower_bound=0).log1p()
    scaled = (scaled / scaled.max()).fill_nan(0.0).fill_null(0.0)
    tier = pl.col("tier").replace_strict(TIER_VALUE, default=0.0, return_dtype=pl.Float64)
    return (
        eco.partners.select(PARTNER_ID, "tier")
        .join(points.select(PARTNER_ID, "points"), on=PARTNER_ID, maintain_order="left")
        .with_columns(((1 - tier_share) * scaled + tier_share * tier).alias("strength"))
    )
