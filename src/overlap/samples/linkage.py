"""Two account lists with known true pairs, at any size, for training and benchmarks."""

from __future__ import annotations

import numpy as np
import polars as pl

from overlap import schema
from overlap.samples.companies import generate_companies
from overlap.samples.noise import PARTNER_NOISE, contact_email, country_label, perturb, phone
from overlap.samples.noise import website as format_website


def to_accounts(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame``'s columns that are account fields, cast, and the rest null, in schema order."""
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
            for c, dtype in schema.ACCOUNT_SCHEMA.items()
        ]
    )


def generate_linkage_pair(
    n: int, *, overlap: float = 0.3, seed: int = 0
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A vendor-like and a partner-like list of ``n`` accounts each, and their true pairs.

    ``overlap`` of the companies are in both lists. The left list is clean, the right
    one is written the way partners write (see ``noise.perturb``). Both are account
    frames (``schema.ACCOUNT_SCHEMA``); the truth frame has ``vendor_id`` and
    ``partner_id``, one row per true pair. Vectorised: a million rows take seconds.
    """
    if n < 1 or not 0.0 <= overlap <= 1.0:
        raise ValueError(f"need n >= 1 and 0 <= overlap <= 1, got n={n}, overlap={overlap}")
    rng = np.random.default_rng(seed)
    shared = round(overlap * n)
    universe = generate_companies(rng, 2 * n - shared)
    left = universe.head(n)
    right = pl.concat([left.head(shared), universe.slice(n)], rechunk=True)

    left_site = pl.when(pl.lit(pl.Series(rng.random(n) < 0.13))).then(None).otherwise("domain")
    left = left.with_columns(
        pl.format("V{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias(schema.ID),
        pl.int_range(1, n + 1, dtype=pl.Int64).alias(schema.ROW),
        format_website(rng, left_site, n).alias(schema.WEBSITE),
        phone(rng, left, (6, 3, 0, 1, 0, 0)).alias(schema.PHONE),
        country_label(rng, left, 0.0).alias(schema.COUNTRY),
        pl.col("street").alias(schema.ADDRESS),
        pl.when(pl.lit(pl.Series(rng.random(n) < 0.3))).then("duns").alias(schema.REGISTRY_ID),
    )
    noisy = perturb(rng, right, PARTNER_NOISE).gather(rng.permutation(n))
    has_site = noisy["domain"].is_not_null()
    e_mail_only = pl.Series(rng.random(n) < 0.1) & has_site
    right_out = noisy.with_columns(
        pl.format("P{}", pl.int_range(1, n + 1).cast(pl.String).str.zfill(7)).alias(schema.ID),
        pl.int_range(1, n + 1, dtype=pl.Int64).alias(schema.ROW),
        pl.when(pl.lit(e_mail_only))
        .then(None)
        .otherwise(format_website(rng, pl.col("domain"), n))
        .alias(schema.WEBSITE),
        pl.when(pl.lit(e_mail_only | pl.Series(rng.random(n) < 0.05)))
        .then(contact_email(rng, pl.col("domain"), n, free_share=0.15))
        .alias(schema.EMAIL),
        pl.col("country_label").alias(schema.COUNTRY),
        pl.col("street").alias(schema.ADDRESS),
    )
    truth = (
        left.select(pl.col(schema.ID).alias(schema.VENDOR_ID), "entity_id")
        .join(
            right_out.select(pl.col(schema.ID).alias(schema.PARTNER_ID), "entity_id"),
            on="entity_id",
        )
        .sort(schema.VENDOR_ID)
        .select(schema.VENDOR_ID, schema.PARTNER_ID)
    )
    return to_accounts(left), to_accounts(right_out), truth
