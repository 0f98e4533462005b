"""Partner lift: how much a partner raises the win rate, adjusted for which deals it joins.

Partners join some deals more often than others (existing customers, mid-sized
accounts), and those deals win more often anyway, so the raw difference in win rates
overstates the partner's effect. ``partner_lift`` reweights the deals without a
partner to look like the deals with it (inverse propensity weighting, the effect on
the deals the partner joined) and bootstraps a confidence interval.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.linear_model import LogisticRegression

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem
from overlap.ecosystem.report import PARTNER_ID, deals_by_company

PROPENSITY_CLIP = (0.05, 0.95)
"""Propensities are clipped to this range, so no deal without a partner weighs over 19."""

COVARIATES = ("log_amount", "expansion", "segment", "industry", "product")
"""What the propensity model reads about each deal (see ``deal_covariates``)."""

LIFT_SCHEMA: dict[str, pl.DataType] = {
    PARTNER_ID: pl.String(),
    "deals_with": pl.Int64(),
    "deals_without": pl.Int64(),
    "win_rate_with": pl.Float64(),
    "win_rate_without": pl.Float64(),
    "raw_lift": pl.Float64(),
    "adjusted_win_rate_without": pl.Float64(),
    "adjusted_lift": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "note": pl.String(),
}


def segment(employees: pl.Expr) -> pl.Expr:
    """ "smb" under 200 employees, "mid" under 2,000, else "enterprise"; "unknown" if null."""
    return (
        pl.when(employees.is_null())
        .then(pl.lit("unknown"))
        .when(employees < 200)
        .then(pl.lit("smb"))
        .when(employees < 2000)
        .then(pl.lit("mid"))
        .otherwise(pl.lit("enterprise"))
    )


def deal_covariates(eco: Ecosystem) -> pl.DataFrame:
    """``deals_by_company`` with what was known of each deal before a partner joined it.

    ``log_amount`` (null unless the amount is positive); ``segment`` and ``industry``
    of the vendor account; ``product``; ``expansion``: the company had a won deal that
    closed before this one was created, or the vendor's list calls it a customer or
    churned. The list's status is today's, so a new logo won by this very deal also
    counts as an expansion: with a CRM history, use the status on the created date.
    """
    vendor = eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR).select(
        pl.col(schema.ID).alias("account_id"),
        pl.col(schema.INDUSTRY).fill_null("unknown").alias("industry"),
        segment(pl.col(schema.EMPLOYEES)).alias("segment"),
        pl.col(schema.STATUS)
        .is_in([schema.STATUS_CUSTOMER, schema.STATUS_CHURNED])
        .fill_null(False)
        .alias("_customer"),
    )
    deals = deals_by_company(eco).join(vendor, on="account_id", how="left", maintain_order="left")
    first_win = (
        deals.filter("won")
        .group_by(schema.COMPANY_ID)
        .agg(pl.col("close_date").min().alias("_first"))
    )
    return (
        deals.join(first_win, on=schema.COMPANY_ID, how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("amount") > 0).then(pl.col("amount").log()).alias("log_amount"),
            pl.col("industry").fill_null("unknown"),
            pl.col("segment").fill_null("unknown"),
            pl.col("product").fill_null("unknown"),
            (pl.col("_customer").fill_null(False) | (pl.col("_first") < pl.col("created_date")))
            .fill_null(False)
            .alias("expansion"),
        )
        .drop("_customer", "_first")
    )


def partner_lift(
    eco: Ecosystem,
    partner_id: str | None = None,
    *,
    min_deals: int = 30,
    resamples: int = 200,
    seed: int = 0,
) -> pl.DataFrame:
    """Win rate with each partner against deals with no partner, raw and adjusted.

    One row per partner (``LIFT_SCHEMA``). ``raw_lift`` = win_rate_with -
    win_rate_without. ``adjusted_lift`` = win_rate_with - adjusted_win_rate_without,
    where deals without a partner are weighted by e / (1 - e), e being the propensity
    of a partner on a deal like it (a logistic regression on ``COVARIATES``, clipped
    to ``PROPENSITY_CLIP``). ``ci_low``/``ci_high``: 95% percentile interval over
    ``resamples`` bootstrap resamples of both groups (seeded). When either group has
    fewer than ``min_deals`` deals, the adjusted figures are null and ``note`` says so.
    """
    deals = deal_covariates(eco)
    design = _design(deals)
    won = deals["won"].to_numpy().astype(float)
    control = np.flatnonzero(deals[PARTNER_ID].is_null().to_numpy())
    partners = eco.partners[PARTNER_ID].to_list() if partner_id is None else [partner_id]
    rows = []
    for pid in partners:
        treated = np.flatnonzero((deals[PARTNER_ID] == pid).fill_null(False).to_numpy())
        row: dict[str, object] = {
            PARTNER_ID: pid,
            "deals_with": treated.size,
            "deals_without": control.size,
            "win_rate_with": won[treated].mean() if treated.size else None,
            "win_rate_without": won[control].mean() if control.size else None,
        }
        if treated.size < min_deals:
            row["note"] = f"not enough data ({treated.size} deals with the partner)"
        elif control.size < min_deals:
            row["note"] = f"not enough data ({control.size} deals without a partner)"
        else:
            rng = np.random.default_rng(seed)
            row |= _adjusted(design, won, treated, control, resamples=resamples, rng=rng)
        rows.append(row)
    return pl.DataFrame(rows, schema=LIFT_SCHEMA).with_columns(
        (pl.col("win_rate_with") - pl.col("win_rate_without")).alias("raw_lift"),
        (pl.col("win_rate_with") - pl.col("adjusted_win_rate_without")).alias("adjusted_lift"),
    )


def _design(deals: pl.DataFrame) -> np.ndarray:
    """Covariates as a numeric matrix: standardised log amount, expansion, one-hot levels."""
    amount = pl.col("log_amount")
    return (
        deals.select(
            pl.when(amount.std() > 0)
            .then((amount - amount.mean()) / amount.std())
            .otherwise(0.0)
            .fill_null(0.0),
            pl.col("expansion").cast(pl.Float64),
            pl.col("segment", "industry", "product"),
        )
        .to_dummies(["segment", "industry", "product"], drop_first=True)
        .cast(pl.Float64)
        .to_numpy()
    )


def _adjusted(
    design: np.ndarray,
    won: np.ndarray,
    treated: np.ndarray,
    control: np.ndarray,
    *,
    resamples: int,
    rng: np.random.Generator,
) -> dict[str, float | None]:
    """The weighted win rate without the partner and a bootstrap interval of the lift."""
    draws = [
        won[t].mean() - _weighted_without(design, won, t, c)
        for t, c in (
            (rng.choice(treated, treated.size), rng.choice(control, control.size))
            for _ in range(resamples)
        )
    ]
    low, high = np.percentile(draws, [2.5, 97.5]).tolist() if draws else (None, None)
    return {
        "adjusted_win_rate_without": _weighted_without(design, won, treated, control),
        "ci_low": low,
        "ci_high": high,
    }


def _weighted_without(
    design: np.ndarray, won: np.ndarray, treated: np.ndarray, control: np.ndarray
) -> float:
    """Win rate of the control deals weighted to resemble the treated ones (ATT weights)."""
    rows = np.concatenate([treated, control])
    x = design[rows]
    y = np.concatenate([np.ones(treated.size), np.zeros(control.size)])
    model = LogisticRegression(solver="liblinear").fit(x, y)
    e = np.clip(model.predict_proba(design[control])[:, 1], *PROPENSITY_CLIP)
    weights = e / (1 - e)
    return float(np.average(won[control], weights=weights))
