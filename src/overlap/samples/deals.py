"""Historical deals drawn from a causal model.

The model gives ranking and uplift code something true to find. For each deal on a
vendor account:

* a partner gets involved more often on expansion deals (the account is or was a
  customer), on mid-market accounts, and when some partner has a relationship with
  the account; involved partners are mostly ones that have such a relationship;
* the win probability is ``sigmoid(base + partner effect)``. The base rises for
  expansion deals and small deals and depends on segment and industry. The partner
  effect is 0.15 plus 0.9 / 0.5 / 0.25 when the partner lists the account as its
  customer / open opportunity / prospect, plus 0.5 when the partner's role fits the
  deal (advise: touched early; sell: touched later; build/service: implementation-heavy
  product; manage: expansion deal), plus 0.6 when the partner is certified on the
  deal's product;
* expansion and segment raise both involvement and the base win rate, so comparing
  won rates with and without partners overstates the partner's lift (confounding).
  ``World.deal_effects`` keeps the truth: each deal's win probability with its
  partner and without.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from overlap.samples.companies import pick
from overlap.samples.partners import IMPLEMENTATION_HEAVY, PARTNERS, PRODUCTS


def add_days(dates: pl.Series, days: np.ndarray) -> pl.Series:
    """``dates`` moved forward by whole ``days``."""
    return pl.select(
        pl.lit(dates) + pl.duration(days=pl.lit(pl.Series(days.astype(np.int64))))
    ).to_series()


def random_dates(rng: np.random.Generator, start: date, end: date, n: int) -> pl.Series:
    """``n`` uniform dates in ``[start, end)``."""
    days = (end - start).days
    return pl.Series(np.datetime64(start) + rng.integers(0, days, n).astype("timedelta64[D]"))


def segment_of(employees: pl.Expr) -> pl.Expr:
    return (
        pl.when(employees < 200)
        .then(pl.lit("smb"))
        .when(employees < 2000)
        .then(pl.lit("mid"))
        .otherwise(pl.lit("enterprise"))
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def draw_deals(
    rng: np.random.Generator,
    vendor: pl.DataFrame,
    relationships: pl.DataFrame,
    n_deals: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Historical closed deals drawn from the causal model of the module docstring."""
    accounts = vendor.filter(~pl.col("duplicate"))
    pick_rows = rng.integers(0, accounts.height, n_deals)
    deals = accounts.gather(pick_rows).select(
        pl.col("Account ID").alias("account_id"),
        "entity_id",
        "industry",
        segment_of(pl.col("employees")).alias("segment"),
        pl.col("status").is_in(["customer", "churned"]).alias("expansion"),
    )
    products = PRODUCTS["name"].to_list()
    product_idx = rng.integers(0, len(products), n_deals)
    family = PRODUCTS["family"].to_numpy()[product_idx]
    segment = deals["segment"].to_numpy()
    seat = np.select([segment == "smb", segment == "mid"], [0.4, 1.0], 2.5)
    amount = np.round(
        PRODUCTS["list_price"].to_numpy()[product_idx]
        * seat
        * np.exp(rng.normal(0, 0.35, n_deals)),
        -2,
    )
    created = random_dates(rng, date(2021, 1, 1), date(2025, 3, 1), n_deals)
    cycle = np.select([segment == "smb", segment == "mid"], [45, 90], 160) * np.exp(
        rng.normal(0, 0.35, n_deals)
    )
    close = add_days(created, cycle)
    expansion = deals["expansion"].to_numpy()

    # Strongest relationship any partner has with the account, and which partners.
    strength = {"customer": 3, "opportunity": 2, "prospect": 1, "churned": 0}
    rel = relationships.with_columns(
        pl.col("relationship").replace_strict(strength, return_dtype=pl.Int64).alias("_s")
    )
    known = deals.select("entity_id").with_row_index("_deal").join(rel, on="entity_id")
    # One partner per deal among those who know the account, the closer ones likelier.
    known = (
        known.with_columns(
            (pl.Series(rng.random(known.height)) * (1 + pl.col("_s"))).alias("_draw")
        )
        .sort("_draw", descending=True)
        .unique("_deal", keep="first")
        .sort("_deal")
    )
    known_partner = np.full(n_deals, "", dtype=object)
    known_rel = np.full(n_deals, "none", dtype=object)
    known_partner[known["_deal"].to_numpy()] = known["partner_id"].to_numpy()
    known_rel[known["_deal"].to_numpy()] = known["relationship"].to_numpy()
    has_known = known_partner != ""

    involve_logit = -1.5 + 1.4 * expansion + 0.5 * (segment == "mid") + 1.1 * has_known
    involved = rng.random(n_deals) < _sigmoid(involve_logit)
    partner_ids = np.array([p.partner_id for p in PARTNERS], dtype=object)
    random_partner = partner_ids[rng.integers(0, len(PARTNERS), n_deals)]
    use_known = has_known & (rng.random(n_deals) < 0.85)
    partner = np.where(involved, np.where(use_known, known_partner, random_partner), "")
    relationship = np.where(involved & use_known, known_rel, "none")

    roles = {p.partner_id: p.role for p in PARTNERS}
    certs = {p.partner_id: set(p.certifications) for p in PARTNERS}
    touch = rng.random(n_deals)
    early = touch < 0.35
    role = np.array([roles.get(p, "") if p else "" for p in partner], dtype=object)
    heavy = np.isin(family, IMPLEMENTATION_HEAVY)
    fit = (
        ((role == "advise") & early)
        | ((role == "sell") & ~early)
        | (np.isin(role, ("build", "service")) & heavy)
        | ((role == "manage") & expansion)
    )
    certified = np.array(
        [bool(p) and products[i] in certs[p] for p, i in zip(partner, product_idx, strict=True)]
    )
    rel_effect = np.select(
        [relationship == "customer", relationship == "opportunity", relationship == "prospect"],
        [0.9, 0.5, 0.25],
        0.0,
    )
    industry_effect = (
        deals["industry"]
        .replace_strict(
            {
                "Healthcare": -0.3,
                "Government": -0.4,
                "Banking": -0.25,
                "Technology": 0.2,
                "Retail": 0.15,
            },
            default=0.0,
            return_dtype=pl.Float64,
        )
        .to_numpy()
    )
    base = (
        -1.0
        + 1.3 * expansion
        - 0.35 * np.log(amount / np.median(amount))
        + np.select([segment == "smb", segment == "enterprise"], [0.2, -0.3], 0.0)
        + industry_effect
    )
    lift = np.where(involved, 0.15 + rel_effect + 0.5 * fit + 0.6 * certified, 0.0)
    p_win = _sigmoid(base + lift)
    won = rng.random(n_deals) < p_win
    touch_date = add_days(created, touch * (close - created).dt.total_days().to_numpy())
    ids = pl.format("DL-{}", pl.int_range(1, n_deals + 1).cast(pl.String).str.zfill(5))
    order = np.argsort(created.to_numpy(), kind="stable")
    out = pl.DataFrame(
        {
            "account_id": deals["account_id"],
            "product": pick(products, product_idx),
            "amount": amount,
            "created_date": created,
            "close_date": close,
            "outcome": np.where(won, "won", "lost"),
            "partner_id": pl.Series([p or None for p in partner.tolist()], dtype=pl.String),
            "partner_touch_date": pl.select(
                pl.when(pl.lit(pl.Series(involved))).then(pl.lit(touch_date))
            ).to_series(),
        }
    )
    effects = pl.DataFrame(
        {
            "relationship": pl.Series(relationship.tolist(), dtype=pl.String),
            "role_fit": involved & fit,
            "certified": certified,
            "expansion": expansion,
            "segment": segment,
            "p_win": p_win,
            "p_win_without_partner": _sigmoid(base),
        }
    )
    out = out.gather(order).select(ids.alias("deal_id"), pl.all())
    effects = effects.gather(order).select(out["deal_id"], pl.all())
    return out, effects
