"""Co-sell opportunities: the vendor's open opportunities, ranked by the partners that know them.

A score adds up the factors ``CO_SELL_FACTORS`` of ``overlap.ecosystem.factors``, where
each is declared with its weight, its source and the phrase it adds to the reason.
``top_co_sell`` cuts the ranking to a list a rep can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem, is_open_opportunity
from overlap.ecosystem.factors import (
    CERTIFICATION,
    CO_SELL_FACTORS,
    DEAL_SIZE,
    LISTED,
    RECENCY,
    RELATIONSHIP,
    RELATIONSHIP_VALUE,
    ROLE_FIT,
    STRENGTH,
    WIN_RATE,
    Weights,
    reason_expr,
    relationship_words_expr,
    win_words_expr,
)
from overlap.ecosystem.points import WON, PointsTable, partner_strength

PARTNER_ID = schema.PARTNER_ID
OPPORTUNITY_ID = "opportunity_id"

EARLY, SOLUTION, CLOSING, POST_SALE = "early", "solution", "closing", "post-sale"
STAGE_GROUPS: tuple[tuple[str, str], ...] = (
    (CLOSING, r"negotiat|contract|commit|review"),
    (SOLUTION, r"needs|analysis|proposal|quote|solution|demo|evaluat|value|decision"),
    (EARLY, r"prospect|qualif|discover|lead|new|initial"),
    (POST_SALE, r"post-sale|closed\s*won|onboard|renew|implement"),
)
"""Stage group of an opportunity stage: the first group whose pattern the stage contains."""

STAGE_ROLES: Mapping[str, tuple[str, ...]] = {
    EARLY: ("advise", "sell"),
    SOLUTION: ("build", "sell"),
    CLOSING: ("sell", "manage"),
    POST_SALE: ("service", "manage"),
}
"""Partner roles that fit each stage group."""


def stage_group(stage: pl.Expr) -> pl.Expr:
    """The ``STAGE_GROUPS`` group of an opportunity stage; null if none matches."""
    said = stage.str.to_lowercase()
    group = pl.lit(None, pl.String)
    for name, pattern in reversed(STAGE_GROUPS):
        group = pl.when(said.str.contains(pattern)).then(pl.lit(name)).otherwise(group)
    return group


def latest_date(eco: Ecosystem) -> date:
    """The latest date in the accounts and deals: the "today" of recency."""
    dates = [
        eco.accounts[schema.CLOSE_DATE].max(),
        eco.accounts[schema.CREATED_DATE].max(),
        eco.deals["close_date"].max(),
    ]
    known = [d for d in dates if isinstance(d, date)]
    return max(known) if known else date.today()


def partner_relationships(eco: Ecosystem, *, as_of: date, half_life_days: float) -> pl.DataFrame:
    """One row per (company, partner) that lists it: its best relationship and its records.

    Columns: ``company_id``, ``partner_id``, ``relationship`` (a status, or ``LISTED``),
    ``relationship_value``, ``recency_days`` and ``recency`` (null when neither a record
    nor the partner's touch of a deal with the company up to ``as_of`` is dated) and
    ``edges`` (list of ``id``, ``status`` of the partner's records of the company).
    """
    value = pl.col(RELATIONSHIP).replace_strict(
        RELATIONSHIP_VALUE, default=RELATIONSHIP_VALUE[LISTED], return_dtype=pl.Float64
    )
    age = (pl.lit(as_of) - pl.coalesce(schema.CLOSE_DATE, schema.CREATED_DATE)).dt.total_days()
    records = (
        eco.accounts.filter(pl.col(schema.LIST_OWNER) != VENDOR)
        .with_columns(pl.col(schema.STATUS).fill_null(LISTED).alias(RELATIONSHIP))
        .with_columns(value.alias("relationship_value"), age.alias("_age"))
        .group_by(schema.COMPANY_ID, schema.LIST_OWNER)
        .agg(
            pl.col(RELATIONSHIP).sort_by("relationship_value", descending=True).first(),
            pl.col("relationship_value").max(),
            pl.col("_age").min(),
            pl.struct(schema.ID, schema.STATUS).alias("edges"),
        )
    )
    days = pl.min_horizontal("_age", "_touched").clip(lower_bound=0)
    return (
        records.join(
            _deal_touches(eco, as_of=as_of),
            on=[schema.COMPANY_ID, schema.LIST_OWNER],
            how="left",
            maintain_order="left",
        )
        .with_columns(days.alias("recency_days"))
        .with_columns((0.5 ** (pl.col("recency_days") / half_life_days)).alias(RECENCY))
        .select(
            schema.COMPANY_ID,
            pl.col(schema.LIST_OWNER).alias(PARTNER_ID),
            RELATIONSHIP,
            "relationship_value",
            "recency_days",
            RECENCY,
            "edges",
        )
        .sort(schema.COMPANY_ID, PARTNER_ID)
    )


def _deal_touches(eco: Ecosystem, *, as_of: date) -> pl.DataFrame:
    """Per (company, partner): days from the partner's latest touch of a deal to ``as_of``."""
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    touched = pl.col("partner_touch_date")
    return (
        eco.deals.filter(pl.col(PARTNER_ID).is_not_null(), touched <= as_of)
        .join(
            vendor.select(pl.col(schema.ID).alias("account_id"), schema.COMPANY_ID),
            on="account_id",
        )
        .group_by(schema.COMPANY_ID, pl.col(PARTNER_ID).alias(schema.LIST_OWNER))
        .agg((pl.lit(as_of) - touched.max()).dt.total_days().alias("_touched"))
    )


def win_rates(deals: pl.DataFrame, partner_ids: pl.Series, *, prior_deals: float) -> pl.DataFrame:
    """Per partner: ``deals``, ``wins`` and ``win_rate`` shrunk toward the overall rate.

    ``win_rate = (wins + prior_deals * overall) / (deals + prior_deals)`` where ``overall``
    is the win rate of all deals with a partner; null when there are none.
    """
    partnered = deals.filter(pl.col(PARTNER_ID).is_not_null())
    won = pl.col("outcome") == WON
    overall = partnered.select(won.mean()).item() if partnered.height else None
    counts = partnered.group_by(PARTNER_ID).agg(pl.len().alias("deals"), won.sum().alias("wins"))
    return (
        pl.DataFrame({PARTNER_ID: partner_ids})
        .join(counts, on=PARTNER_ID, how="left", maintain_order="left")
        .with_columns(pl.col("deals", "wins").fill_null(0).cast(pl.Int64))
        .with_columns(
            (
                (pl.col("wins") + prior_deals * pl.lit(overall, pl.Float64))
                / (pl.col("deals") + prior_deals)
            ).alias(WIN_RATE)
        )
    )


def partner_profile(
    eco: Ecosystem, *, weights: Weights, points: PointsTable | None = None
) -> pl.DataFrame:
    """The partner directory with ``strength``, ``points``, ``deals``, ``wins`` and ``win_rate``."""
    strength = partner_strength(eco, table=points).select(PARTNER_ID, "points", STRENGTH)
    rates = win_rates(eco.deals, eco.partners[PARTNER_ID], prior_deals=weights.prior_deals)
    return eco.partners.join(strength, on=PARTNER_ID, maintain_order="left").join(
        rates, on=PARTNER_ID, maintain_order="left"
    )


def open_opportunities(eco: Ecosystem) -> pl.DataFrame:
    """The vendor's open opportunities with their stage group, products and ``deal_size``."""
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
    return vendor.filter(is_open_opportunity()).select(
        pl.col(schema.ID).alias(OPPORTUNITY_ID),
        pl.col(schema.NAME).alias("account"),
        schema.COMPANY_ID,
        schema.STAGE,
        stage_group(pl.col(schema.STAGE)).alias("stage_group"),
        schema.AMOUNT,
        schema.CLOSE_DATE,
        product_list(pl.col(schema.PRODUCTS)).alias("opportunity_products"),
        (pl.col(schema.AMOUNT).rank("average") / pl.col(schema.AMOUNT).count()).alias(DEAL_SIZE),
    )


def product_list(products: pl.Expr) -> pl.Expr:
    """A ``;``-separated products cell as a list of trimmed, non-empty names."""
    return (
        products.fill_null("")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.filter(pl.element() != "")
    )


def co_sell(
    eco: Ecosystem,
    *,
    weights: Weights | None = None,
    points: PointsTable | None = None,
    as_of: date | None = None,
) -> pl.DataFrame:
    """One row per (open vendor opportunity, partner that lists the same company), ranked.

    ``rank_in_opportunity`` orders the partners of one opportunity, ``rank`` all rows.
    ``score`` is over the weights of the factors known for the row; ``factors`` lists
    each known factor of non-zero weight with its ``value``, ``weight`` and
    ``contribution``; ``edges`` the partner's records of the company; ``reason`` says
    every listed factor in one sentence. ``as_of`` (default: the latest date in ``eco``)
    is the day recency is measured from.
    """
    weights = weights or Weights()
    edges = partner_relationships(
        eco, as_of=as_of or latest_date(eco), half_life_days=weights.half_life_days
    )
    profile = partner_profile(eco, weights=weights, points=points).select(
        PARTNER_ID,
        pl.col("name").alias("partner"),
        pl.col("type").alias("partner_type"),
        "role",
        "certifications",
        STRENGTH,
        "deals",
        "wins",
        WIN_RATE,
    )
    rows = (
        open_opportunities(eco)
        .join(edges, on=schema.COMPANY_ID)
        .join(profile, on=PARTNER_ID)
        .with_columns(
            pl.col("relationship_value").alias(RELATIONSHIP),
            pl.col("relationship").alias("relationship_status"),
            _role_fits().alias(ROLE_FIT),
            pl.col("opportunity_products")
            .list.set_intersection("certifications")
            .alias("certified_for"),
        )
        .with_columns(
            (
                pl.col("certified_for").list.len()
                / pl.col("opportunity_products").list.len().replace(0, None)
            ).alias(CERTIFICATION)
        )
    )
    weights_of = dict(zip(CO_SELL_FACTORS, weights.of(CO_SELL_FACTORS), strict=True))
    weighed = tuple(f for f, w in weights_of.items() if w > 0)  # a 0 weight counts nothing
    contributions = [pl.col(f).fill_null(0.0) * w for f, w in weights_of.items()]
    # the score is over the factors known for the row: an unknown one neither helps nor hurts
    known_weight = pl.sum_horizontal(pl.col(f).is_not_null() * w for f, w in weights_of.items())
    return (
        rows.with_columns(
            (pl.sum_horizontal(contributions) / known_weight.replace(0.0, 1.0)).alias("score")
        )
        .sort(["score", OPPORTUNITY_ID, PARTNER_ID], descending=[True, False, False])
        .with_columns(
            pl.int_range(1, pl.len() + 1).over(OPPORTUNITY_ID).alias("rank_in_opportunity"),
            pl.int_range(1, pl.len() + 1).alias("rank"),
            factor_evidence(weighed, weights).alias("factors"),
            reason_expr(_evidence(weights), weighed).alias("reason"),
        )
        .select(
            "rank",
            "rank_in_opportunity",
            OPPORTUNITY_ID,
            "account",
            schema.COMPANY_ID,
            schema.STAGE,
            schema.AMOUNT,
            schema.CLOSE_DATE,
            PARTNER_ID,
            "partner",
            "partner_type",
            "role",
            pl.col("relationship_status").alias(RELATIONSHIP),
            "score",
            "reason",
            "factors",
            "edges",
        )
    )


def top_co_sell(ranked: pl.DataFrame, *, limit: int = 10, per_partner: int = 2) -> pl.DataFrame:
    """The best opportunities of ``co_sell``, each with its best partner, at most
    ``per_partner`` of them with one partner, so that a top ten is not one partner repeated.

    ``more_with_partner`` counts the other opportunities where that partner is the best
    (left out of the list), and ``note`` says it: "+14 more with Northgate".
    """
    best = ranked.filter(pl.col("rank_in_opportunity") == 1).sort("rank")
    more = pl.len().over(PARTNER_ID) - pl.col("_shown").sum().over(PARTNER_ID)
    return (
        best.with_columns(
            (pl.int_range(pl.len()).over(PARTNER_ID) < per_partner).alias("_kept"),
        )
        .with_columns(
            (pl.col("_kept") & (pl.col("_kept").cum_sum() <= limit)).alias("_shown"),
        )
        .with_columns(more.cast(pl.Int64).alias("more_with_partner"))
        .filter("_shown")
        .with_columns(
            pl.when(pl.col("more_with_partner") > 0)
            .then(pl.format("+{} more with {}", "more_with_partner", "partner"))
            .alias("note")
        )
        .drop("_kept", "_shown")
    )


def factor_evidence(factors: tuple[str, ...], weights: Weights) -> pl.Expr:
    """A list of (``factor``, ``value``, ``weight``, ``contribution``) of the named columns
    that are known (not null): the factors the score counts and the reason says."""
    every = pl.concat_list(
        pl.struct(
            pl.lit(f).alias("factor"),
            pl.col(f).cast(pl.Float64).alias("value"),
            pl.lit(float(getattr(weights, f))).alias("weight"),
            (pl.col(f).cast(pl.Float64).fill_null(0.0) * getattr(weights, f)).alias("contribution"),
        )
        for f in factors
    )
    return every.list.filter(pl.element().struct.field("value").is_not_null())


def _role_fits() -> pl.Expr:
    fits = pl.lit(None, pl.Float64)
    for group, roles in STAGE_ROLES.items():
        fits = (
            pl.when(pl.col("stage_group") == group)
            .then(pl.col("role").is_in(roles).cast(pl.Float64))
            .otherwise(fits)
        )
    return fits


def _evidence(weights: Weights) -> dict[str, pl.Expr]:
    """The fields the factors' phrases say, null where a phrase does not apply."""
    certified = pl.col("certified_for")
    products = pl.col("opportunity_products")
    known_fit = pl.col(ROLE_FIT).is_not_null()
    return {
        "partner": pl.col("partner"),
        "partner_type": pl.col("partner_type").fill_null("partner"),  # as recommend says it
        "relationship": relationship_words_expr(pl.col("account"), pl.col("relationship_status")),
        "certified": pl.when(certified.list.len() > 0).then(certified.list.join(", ")),
        "uncertified": pl.when(pl.col(CERTIFICATION) == 0.0).then(products.list.join(", ")),
        "stage": pl.when(known_fit & (pl.col(ROLE_FIT) == 1.0)).then(pl.col(schema.STAGE)),
        "unfit_stage": pl.when(known_fit & (pl.col(ROLE_FIT) == 0.0)).then(pl.col(schema.STAGE)),
        **win_words_expr(
            pl.col("wins"), pl.col("deals"), pl.col(WIN_RATE), prior_deals=weights.prior_deals
        ),
        "recency_days": pl.col("recency_days"),
        "size_percentile": (pl.col(DEAL_SIZE) * 100).round(0).cast(pl.Int64),
        "strength_said": pl.col(STRENGTH).round(2).cast(pl.String).str.pad_end(4, "0"),
    }
