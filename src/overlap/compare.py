"""Similarity features of candidate pairs.

String similarities come from rapidfuzz's batch function ``process.cpdist``
(C++, all cores), agreement features from polars expressions: nothing loops over
pairs in Python. Every feature is a float in [0, 1]; missing values give 0 for
both the agreement and the disagreement feature of a field, so "unknown" is
never read as "different".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from overlap import schema
from overlap.block import LEFT_ROW, RIGHT_ROW, TOKENS

FEATURES: tuple[str, ...] = (
    "name_ratio",
    "name_token_set",
    "name_partial",
    "name_jaro_winkler",
    "core_equal",
    "acronym",
    "token_overlap",
    "shared_rarity",
    "short_name",
    "domain_equal",
    "domain_differ",
    "domain_name",
    "registry_equal",
    "registry_differ",
    "country_equal",
    "country_differ",
    "state_equal",
    "state_differ",
    "city_similarity",
    "postal_equal",
    "postal_differ",
    "phone_equal",
    "phone_differ",
    "address_similarity",
    "house_number_differ",
)
"""Feature columns, in the order the model reads them."""

_COMPARED = (
    schema.NAME_CORE,
    TOKENS,
    schema.DOMAIN,
    schema.EMAIL_DOMAIN,
    schema.REGISTRY_NORM,
    schema.COUNTRY_CODE,
    schema.STATE_NORM,
    schema.CITY_NORM,
    schema.POSTAL_NORM,
    schema.PHONE_NORM,
    schema.ADDRESS_NORM,
)


def _similarity(left: pl.Series, right: pl.Series, scorer: Callable[..., float]) -> np.ndarray:
    """Row-aligned similarity in [0, 1] of two string columns; 0 where either is null."""
    queries = left.fill_null("").to_list()
    choices = right.fill_null("").to_list()
    scores = process.cpdist(queries, choices, scorer=scorer, workers=-1, dtype=np.float32)
    scale = 1.0 if scorer is JaroWinkler.normalized_similarity else 100.0
    present = (left.is_not_null() & right.is_not_null()).to_numpy()
    return np.where(present, scores / scale, 0.0).astype(np.float32)


def _agree(column: str) -> tuple[pl.Expr, pl.Expr]:
    """(both present and equal, both present and different) for one field."""
    a, b = pl.col(schema.left(column)), pl.col(schema.right(column))
    both = a.is_not_null() & b.is_not_null()
    return (both & (a == b)).cast(pl.Float32), (both & (a != b)).cast(pl.Float32)


def _token_overlap(pairs: pl.DataFrame, idf: pl.DataFrame) -> pl.DataFrame:
    """Rarity-weighted share of name tokens in common, and the rarity of the rarest one shared.

    ``token_overlap`` is the weighted Jaccard sum(idf shared) / sum(idf union): sharing
    "american" (common) while "airlines" and "express" differ gives little.
    """
    weights = idf.select(pl.col("token"), pl.col("idf"))
    max_idf = idf["idf"].max() if len(idf) else 1.0
    left, right = pl.col(schema.left(TOKENS)), pl.col(schema.right(TOKENS))
    sets = pairs.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("pair"),
        left.list.set_intersection(right).alias("shared"),
        left.list.set_union(right).alias("union"),
    )

    def summed(column: str, how: str) -> pl.DataFrame:
        exploded = sets.select("pair", pl.col(column).alias("token")).explode("token")
        joined = exploded.join(weights, on="token", how="left")
        value = pl.col("idf").fill_null(max_idf)
        agg = value.sum() if how == "sum" else value.max()
        return joined.group_by("pair").agg(agg.alias(column))

    shared_sum = summed("shared", "sum")
    union_sum = summed("union", "sum")
    shared_max = summed("shared", "max").rename({"shared": "shared_max"})
    return (
        sets.select("pair")
        .join(shared_sum, on="pair", how="left")
        .join(union_sum, on="pair", how="left")
        .join(shared_max, on="pair", how="left")
        .sort("pair")
        .select(
            (pl.col("shared").fill_null(0) / pl.col("union"))
            .fill_nan(0)
            .fill_null(0)
            .cast(pl.Float32)
            .alias("token_overlap"),
            (pl.col("shared_max").fill_null(0) / max_idf).cast(pl.Float32).alias("shared_rarity"),
        )
    )


def pair_frame(records: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The compared columns of both records of each pair, suffixed ``_l`` and ``_r``."""
    compared = records.select(_COMPARED)
    left = compared.select(pl.all().gather(pairs[LEFT_ROW]).name.suffix(schema.LEFT))
    right = compared.select(pl.all().gather(pairs[RIGHT_ROW]).name.suffix(schema.RIGHT))
    return pl.concat([pairs.select(LEFT_ROW, RIGHT_ROW), left, right], how="horizontal")


def features(records: pl.DataFrame, pairs: pl.DataFrame, idf: pl.DataFrame) -> pl.DataFrame:
    """Feature frame (``i``, ``j`` and every column of ``FEATURES``) of the candidate pairs."""
    both = pair_frame(records, pairs)
    core_l, core_r = both[schema.left(schema.NAME_CORE)], both[schema.right(schema.NAME_CORE)]
    # Word order says little in company names ("SMITH A O CORP" is "A. O. Smith" listed
    # surname first), so the character-level similarities read the tokens sorted.
    sorted_l, sorted_r = (
        both.select(
            pl.when(pl.col(side(TOKENS)).list.len() > 0).then(
                pl.col(side(TOKENS)).list.sort().list.join(" ")
            )
        ).to_series()
        for side in (schema.left, schema.right)
    )
    strings = {
        "name_ratio": _similarity(sorted_l, sorted_r, fuzz.ratio),
        "name_token_set": _similarity(core_l, core_r, fuzz.token_set_ratio),
        "name_partial": _similarity(sorted_l, sorted_r, fuzz.partial_ratio),
        "name_jaro_winkler": _similarity(sorted_l, sorted_r, JaroWinkler.normalized_similarity),
        "city_similarity": _similarity(
            both[schema.left(schema.CITY_NORM)], both[schema.right(schema.CITY_NORM)], fuzz.ratio
        ),
        "address_similarity": _similarity(
            both[schema.left(schema.ADDRESS_NORM)],
            both[schema.right(schema.ADDRESS_NORM)],
            fuzz.token_sort_ratio,
        ),
    }
    label = {
        side: both[side(schema.DOMAIN)].str.extract(r"^([^.]+)").str.replace_all("-", "")
        for side in (schema.left, schema.right)
    }
    compact = {
        side: both[side(schema.NAME_CORE)].str.replace_all(" ", "")
        for side in (schema.left, schema.right)
    }
    domain_name = np.maximum(
        _similarity(label[schema.left], compact[schema.right], fuzz.partial_ratio),
        _similarity(label[schema.right], compact[schema.left], fuzz.partial_ratio),
    )
    overlap = _token_overlap(both, idf)

    tokens_l, tokens_r = pl.col(schema.left(TOKENS)), pl.col(schema.right(TOKENS))
    initials_l = tokens_l.list.eval(pl.element().str.slice(0, 1)).list.join("")
    initials_r = tokens_r.list.eval(pl.element().str.slice(0, 1)).list.join("")
    compact_l = tokens_l.list.join("")
    compact_r = tokens_r.list.join("")
    acronym = (
        ((tokens_l.list.len() >= 2) & (tokens_r.list.len() == 1) & (initials_l == compact_r))
        | ((tokens_r.list.len() >= 2) & (tokens_l.list.len() == 1) & (initials_r == compact_l))
    ).fill_null(False)

    domains_l = pl.concat_list(schema.left(schema.DOMAIN), schema.left(schema.EMAIL_DOMAIN))
    domains_r = pl.concat_list(schema.right(schema.DOMAIN), schema.right(schema.EMAIL_DOMAIN))
    domains_l = domains_l.list.drop_nulls()
    domains_r = domains_r.list.drop_nulls()
    both_domains = (domains_l.list.len() > 0) & (domains_r.list.len() > 0)
    shared_domain = domains_l.list.set_intersection(domains_r).list.len() > 0

    phone_l = pl.col(schema.left(schema.PHONE_NORM)).str.slice(-7)
    phone_r = pl.col(schema.right(schema.PHONE_NORM)).str.slice(-7)
    both_phones = phone_l.is_not_null() & phone_r.is_not_null()
    house = r"^(\d+)"
    house_l = pl.col(schema.left(schema.ADDRESS_NORM)).str.extract(house)
    house_r = pl.col(schema.right(schema.ADDRESS_NORM)).str.extract(house)

    country = _agree(schema.COUNTRY_CODE)
    state = _agree(schema.STATE_NORM)
    postal = _agree(schema.POSTAL_NORM)
    registry = _agree(schema.REGISTRY_NORM)
    shortest = pl.min_horizontal(
        pl.col(schema.left(schema.NAME_CORE)).str.len_chars(),
        pl.col(schema.right(schema.NAME_CORE)).str.len_chars(),
    ).fill_null(0)

    derived = both.select(
        ((tokens_l.list.sort() == tokens_r.list.sort()) & (tokens_l.list.len() > 0))
        .fill_null(False)
        .cast(pl.Float32)
        .alias("core_equal"),
        acronym.cast(pl.Float32).alias("acronym"),
        (1.0 - (shortest.clip(0, 12) / 12.0)).cast(pl.Float32).alias("short_name"),
        (both_domains & shared_domain).fill_null(False).cast(pl.Float32).alias("domain_equal"),
        (both_domains & ~shared_domain).fill_null(False).cast(pl.Float32).alias("domain_differ"),
        registry[0].alias("registry_equal"),
        registry[1].alias("registry_differ"),
        country[0].alias("country_equal"),
        country[1].alias("country_differ"),
        state[0].alias("state_equal"),
        state[1].alias("state_differ"),
        postal[0].alias("postal_equal"),
        postal[1].alias("postal_differ"),
        (both_phones & (phone_l == phone_r)).fill_null(False).cast(pl.Float32).alias("phone_equal"),
        (both_phones & (phone_l != phone_r))
        .fill_null(False)
        .cast(pl.Float32)
        .alias("phone_differ"),
        (house_l.is_not_null() & house_r.is_not_null() & (house_l != house_r))
        .fill_null(False)
        .cast(pl.Float32)
        .alias("house_number_differ"),
    )
    columns = {**strings, "domain_name": domain_name}
    computed = pl.DataFrame({name: values for name, values in columns.items()})
    result = pl.concat(
        [both.select(LEFT_ROW, RIGHT_ROW), computed, derived, overlap], how="horizontal"
    )
    return result.select(
        LEFT_ROW, RIGHT_ROW, *[pl.col(f).fill_null(0).cast(pl.Float32) for f in FEATURES]
    )
