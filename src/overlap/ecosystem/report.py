"""Account mapping between the vendor and each partner, and a scorecard per partner.

Everything is counted in companies (``company_id``), never in records: duplicates
inside a list do not count twice, so the vendor's view of an overlap and the
partner's view give the same number. Each list owner's population of a company is
its strongest status (``ecosystem.data.owner_relationships``).
"""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem, owner_relationships

PARTNER_ID = schema.PARTNER_ID
VENDOR_POPULATION = "vendor_population"
PARTNER_POPULATION = "partner_population"
OPEN_AMOUNT = "open_amount"
UNKNOWN = "unknown"
VENDOR_POPULATIONS = schema.POPULATIONS
PARTNER_POPULATIONS = (*schema.POPULATIONS, UNKNOWN)
"""A partner record without a status (a bare account list) is in the ``unknown`` population."""

SOURCED = "sourced"
INFLUENCED = "influenced"


def overlaps(eco: Ecosystem, partner_id: str | None = None) -> pl.DataFrame:
    """One row per partner and company on both the vendor's list and the partner's.

    Columns: partner_id, company_id, vendor_population, partner_population (null when
    the status is outside the populations, e.g. churned), vendor_status, partner_status,
    vendor_ids, partner_ids, vendor_name, partner_name and open_amount (the company's
    largest open vendor opportunity, 0 if none).
    """
    rel = owner_relationships(eco.accounts)
    vendor = rel.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        schema.COMPANY_ID,
        _population(VENDOR_POPULATIONS, unknown=None).alias(VENDOR_POPULATION),
        pl.col(schema.STATUS).alias("vendor_status"),
        pl.col("account_ids").alias("vendor_ids"),
        pl.col(schema.NAME).alias("vendor_name"),
        pl.col(schema.AMOUNT).fill_null(0.0).alias(OPEN_AMOUNT),
    )
    partner = rel.filter(
        pl.col(schema.LIST_OWNER) != VENDOR
        if partner_id is None
        else pl.col(schema.LIST_OWNER) == partner_id
    ).select(
        pl.col(schema.LIST_OWNER).alias(PARTNER_ID),
        schema.COMPANY_ID,
        _population(PARTNER_POPULATIONS, unknown=UNKNOWN).alias(PARTNER_POPULATION),
        pl.col(schema.STATUS).alias("partner_status"),
        pl.col("account_ids").alias("partner_ids"),
        pl.col(schema.NAME).alias("partner_name"),
    )
    return partner.join(vendor, on=schema.COMPANY_ID, how="inner", maintain_order="left").select(
        PARTNER_ID,
        schema.COMPANY_ID,
        VENDOR_POPULATION,
        PARTNER_POPULATION,
        "vendor_status",
        "partner_status",
        "vendor_ids",
        "partner_ids",
        "vendor_name",
        "partner_name",
        OPEN_AMOUNT,
    )


def overlap_matrix(
    eco: Ecosystem, partner_id: str | None = None, *, found: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The account-mapping matrix: overlapping companies per pair of populations.

    One row per partner (all of ``eco.partners``, or ``partner_id``) and pair of
    ``VENDOR_POPULATIONS`` x ``PARTNER_POPULATIONS``, zero cells included. Columns:
    partner_id, vendor_population, partner_population, companies (distinct companies)
    and open_pipeline (sum of their open amounts, each company once). ``found``: the
    ``overlaps(eco)`` of every partner when they are worked out already (a service keeps
    them): counting a partner's cells from them is a filter and a group-by.
    """
    partners = eco.partners.select(PARTNER_ID)
    if partner_id is not None:
        partners = partners.filter(pl.col(PARTNER_ID) == partner_id)
    cells = (
        partners.join(pl.DataFrame({VENDOR_POPULATION: VENDOR_POPULATIONS}), how="cross")
        .join(pl.DataFrame({PARTNER_POPULATION: PARTNER_POPULATIONS}), how="cross")
        .with_row_index("_cell")
    )
    if found is None:
        found = overlaps(eco, partner_id)
    elif partner_id is not None:
        found = found.filter(pl.col(PARTNER_ID) == partner_id)
    counts = found.group_by(PARTNER_ID, VENDOR_POPULATION, PARTNER_POPULATION).agg(
        pl.len().cast(pl.Int64).alias("companies"),
        pl.col(OPEN_AMOUNT).sum().alias("open_pipeline"),
    )
    keys = [PARTNER_ID, VENDOR_POPULATION, PARTNER_POPULATION]
    return (
        cells.join(counts, on=keys, how="left")
        .sort("_cell")
        .select(
            *keys,
            pl.col("companies").fill_null(0),
            pl.col("open_pipeline").fill_null(0.0),
        )
    )


def in_cell(
    overlapping: pl.DataFrame, vendor_population: str, partner_population: str
) -> pl.DataFrame:
    """The rows of ``overlaps`` in one cell of the matrix, largest open amount first.

    ``partner_population`` ``"unknown"`` is the partner records without a status, as
    the matrix counts them.
    """
    return overlapping.filter(
        pl.col(VENDOR_POPULATION) == vendor_population,
        pl.col(PARTNER_POPULATION) == partner_population,
    ).sort([OPEN_AMOUNT, schema.COMPANY_ID], descending=[True, False])


def drill_down(
    eco: Ecosystem, partner_id: str, vendor_population: str, partner_population: str
) -> pl.DataFrame:
    """The companies in one cell of the matrix, largest open amount first."""
    return in_cell(overlaps(eco, partner_id), vendor_population, partner_population).select(
        schema.COMPANY_ID,
        "vendor_ids",
        "partner_ids",
        "vendor_name",
        "partner_name",
        "vendor_status",
        "partner_status",
        OPEN_AMOUNT,
    )


def attribution() -> pl.Expr:
    """How a partner took part in a deal: "sourced", "influenced" or null.

    Sourced: the partner touched the deal before it was created. Influenced: the touch
    was on or after the created date and on or before the close date. Null when there
    is no touch date or the touch came after the close.
    """
    touch = pl.col("partner_touch_date")
    return (
        pl.when(touch < pl.col("created_date"))
        .then(pl.lit(SOURCED))
        .when(touch <= pl.col("close_date"))
        .then(pl.lit(INFLUENCED))
    )


def deals_by_company(eco: Ecosystem) -> pl.DataFrame:
    """``eco.deals`` with the company of each deal and what the scorecard reads of it.

    Adds ``company_id`` (of the deal's vendor account; ``vendor:<account_id>`` if the
    vendor's list lacks it), ``attribution``, ``won``, ``days_to_close`` and
    ``first_won`` (the company's earliest won deal by close date, then deal id).
    """
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        pl.col(schema.ID).alias("account_id"), schema.COMPANY_ID
    )
    deals = eco.deals.join(vendor, on="account_id", how="left", maintain_order="left").with_columns(
        pl.coalesce(schema.COMPANY_ID, pl.concat_str(pl.lit(VENDOR + ":"), "account_id")),
        attribution().alias("attribution"),
        (pl.col("outcome") == "won").alias("won"),
        (pl.col("close_date") - pl.col("created_date")).dt.total_days().alias("days_to_close"),
    )
    first_won = (
        deals.filter("won")
        .sort("close_date", "deal_id")
        .unique(schema.COMPANY_ID, keep="first")
        .select("deal_id")
    )
    return deals.with_columns(
        pl.col("deal_id").is_in(first_won["deal_id"].implode()).alias("first_won")
    )


def scorecard(eco: Ecosystem) -> pl.DataFrame:
    """One row per partner: overlap, pipeline, attribution and outcomes with and without it.

    * overlap_companies: companies on both lists; overlap_share: of the partner's
      companies; overlap_pipeline: open vendor pipeline on those companies.
    * sourced_* / influenced_*: deals with this partner and their amount, by
      ``attribution()``.
    * deals_with, win_rate_with, avg_deal_size_with, avg_days_to_close_with: deals
      with this partner; the ``_without`` columns: deals with no partner at all (the
      same baseline on every row). Deal size and days to close are over won deals.
    * net_new_logos: companies whose first won deal (``deals_by_company``) had this
      partner involved. Only recorded deals are seen, so a customer won before the
      deals begin counts as new at its first recorded win.
    """
    overlap = (
        overlaps(eco)
        .group_by(PARTNER_ID)
        .agg(
            pl.len().cast(pl.Int64).alias("overlap_companies"),
            pl.col(OPEN_AMOUNT).sum().alias("overlap_pipeline"),
        )
    )
    listed = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
        .group_by(pl.col(schema.LIST_OWNER).alias(PARTNER_ID))
        .agg(pl.col(schema.COMPANY_ID).n_unique().cast(pl.Int64).alias("_listed"))
    )
    deals = deals_by_company(eco)
    involved = (
        deals.filter(pl.col(PARTNER_ID).is_not_null())
        .group_by(PARTNER_ID)
        .agg(
            *_attributed(SOURCED),
            *_attributed(INFLUENCED),
            pl.len().cast(pl.Int64).alias("deals_with"),
            *_outcomes("with"),
            pl.col(schema.COMPANY_ID)
            .filter("first_won")
            .n_unique()
            .cast(pl.Int64)
            .alias("net_new_logos"),
        )
    )
    baseline = deals.filter(pl.col(PARTNER_ID).is_null()).select(*_outcomes("without"))
    counts = ["overlap_companies", "sourced_deals", "influenced_deals", "deals_with"]
    amounts = ["overlap_pipeline", "sourced_pipeline", "influenced_pipeline"]
    return (
        eco.partners.select(PARTNER_ID, "name")
        .join(overlap, on=PARTNER_ID, how="left", maintain_order="left")
        .join(listed, on=PARTNER_ID, how="left", maintain_order="left")
        .join(involved, on=PARTNER_ID, how="left", maintain_order="left")
        .join(baseline, how="cross")
        .with_columns(
            pl.col(counts).fill_null(0),
            pl.col(amounts).fill_null(0.0),
            pl.col("net_new_logos").fill_null(0),
        )
        .select(
            PARTNER_ID,
            "name",
            "overlap_companies",
            (pl.col("overlap_companies") / pl.col("_listed")).alias("overlap_share"),
            "overlap_pipeline",
            "sourced_deals",
            "sourced_pipeline",
            "influenced_deals",
            "influenced_pipeline",
            "deals_with",
            "win_rate_with",
            "win_rate_without",
            "avg_deal_size_with",
            "avg_deal_size_without",
            "avg_days_to_close_with",
            "avg_days_to_close_without",
            "net_new_logos",
        )
    )


def _population(populations: tuple[str, ...], *, unknown: str | None) -> pl.Expr:
    """The status if it is one of ``populations``; ``unknown`` where there is none."""
    status = pl.col(schema.STATUS)
    return (
        pl.when(status.is_null())
        .then(pl.lit(unknown, pl.String))
        .when(status.is_in(populations))
        .then(status)
    )


def _attributed(kind: str) -> tuple[pl.Expr, pl.Expr]:
    is_kind = pl.col("attribution") == kind
    return (
        is_kind.sum().cast(pl.Int64).alias(f"{kind}_deals"),
        pl.col("amount").filter(is_kind).sum().alias(f"{kind}_pipeline"),
    )


def _outcomes(suffix: str) -> tuple[pl.Expr, ...]:
    won = pl.col("won")
    return (
        won.mean().alias(f"win_rate_{suffix}"),
        pl.col("amount").filter(won).mean().alias(f"avg_deal_size_{suffix}"),
        pl.col("days_to_close").filter(won).mean().alias(f"avg_days_to_close_{suffix}"),
    )
