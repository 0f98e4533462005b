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
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from overlap import schema
from overlap.matching.block import (
    INITIALS,
    LEFT_ROW,
    RIGHT_ROW,
    SHORT_FORM,
    one_is_acronym,
    similarity,
)
from overlap.matching.spelling import TOKENS, USUAL, singular
from overlap.normalise.acronyms import initials, short_form

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
    "name_missing",
    "domain_equal",
    "domain_differ",
    "domain_name",
    "registry_equal",
    "registry_differ",
    "country_equal",
    "country_differ",
    "subsidiary",
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
    USUAL,
    "sorted_name",
    INITIALS,
    SHORT_FORM,
    "compact_name",
    schema.DOMAIN_LABEL,
    schema.PHONE_KEY,
    "house_number",
    schema.DOMAIN,
    schema.EMAIL_DOMAIN,
    schema.REGISTRY_NORM,
    schema.COUNTRY_CODE,
    schema.NAME_COUNTRY,
    schema.STATE_NORM,
    schema.CITY_NORM,
    schema.POSTAL_NORM,
    schema.PHONE_NORM,
    schema.ADDRESS_NORM,
)


def _agree(column: str) -> tuple[pl.Expr, pl.Expr]:
    """(both present and equal, both present and different) for one field."""
    a, b = pl.col(schema.left(column)), pl.col(schema.right(column))
    both = a.is_not_null() & b.is_not_null()
    return (both & (a == b)).cast(pl.Float32), (both & (a != b)).cast(pl.Float32)


def name_weights(records: pl.DataFrame, idf: pl.DataFrame) -> np.ndarray:
    """Each record's summed token rarity (``idf`` of its usual tokens), by row position.

    Tokens missing from ``idf`` weigh as the rarest token. Worked out once per set of
    records and read by every chunk of pairs.
    """
    weights = idf.select("token", "idf")
    max_idf = float(idf["idf"].max() or 1.0)  # type: ignore[arg-type]
    per_record = (
        records.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), pl.col(USUAL))
        .explode(USUAL)
        .unique()
        .join(weights, left_on=USUAL, right_on="token", how="left")
        .group_by("row")
        .agg(pl.col("idf").fill_null(max_idf).sum().alias("weight"))
    )
    weight = np.zeros(len(records))
    weight[per_record["row"].to_numpy()] = per_record["weight"].fill_null(0).to_numpy()
    return weight


def _token_overlap(
    pairs: pl.DataFrame, both: pl.DataFrame, idf: pl.DataFrame, weight: np.ndarray
) -> pl.DataFrame:
    """Rarity-weighted share of name tokens in common, and the rarity of the rarest one shared.

    Tokens are read in their usual spelling, so a typo is not a rare word of its own.
    ``token_overlap`` is the weighted Jaccard sum(idf shared) / sum(idf union): sharing
    "american" (common) while "airlines" and "express" differ gives little. The union's
    weight is the two records' weights (``weight``, see ``name_weights``) less the
    shared weight, so only the shared tokens are looked up per pair.
    """
    weights = idf.select("token", "idf")
    max_idf = float(idf["idf"].max() or 1.0)  # type: ignore[arg-type]
    value = pl.col("idf").fill_null(max_idf)
    shared = (
        both.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("pair"),
            pl.col(schema.left(USUAL)).list.set_intersection(schema.right(USUAL)).alias("token"),
        )
        .explode("token")
        .drop_nulls("token")
        .join(weights, on="token", how="left")
        .group_by("pair")
        .agg(value.sum().alias("shared"), value.max().alias("shared_max"))
    )
    total = np.zeros(len(pairs))
    top = np.zeros(len(pairs))
    rows = shared["pair"].to_numpy()
    total[rows] = shared["shared"].to_numpy()
    top[rows] = shared["shared_max"].to_numpy()
    union = weight[pairs[LEFT_ROW].to_numpy()] + weight[pairs[RIGHT_ROW].to_numpy()] - total
    overlap = np.divide(total, union, out=np.zeros(len(pairs)), where=union > 0)
    return pl.DataFrame(
        {
            "token_overlap": overlap.astype(np.float32),
            "shared_rarity": (top / max_idf).astype(np.float32),
        }
    )


def pair_frame(records: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The compared columns of both records of each pair, suffixed ``_l`` and ``_r``."""
    compared = records.select(_COMPARED)
    left = compared.select(pl.all().gather(pairs[LEFT_ROW]).name.suffix(schema.LEFT))
    right = compared.select(pl.all().gather(pairs[RIGHT_ROW]).name.suffix(schema.RIGHT))
    return pl.concat([pairs.select(LEFT_ROW, RIGHT_ROW), left, right], how="horizontal")


SORTED_NAME = "sorted_name"  # core tokens sorted, joined: word order says little in names
COMPACT_NAME = "compact_name"  # core tokens joined without spaces
HOUSE_NUMBER = "house_number"


def record_columns() -> list[pl.Expr]:
    """Per-record values the comparison reads, computed once per record, not per pair."""
    tokens = pl.col(TOKENS)
    return [
        pl.when(tokens.list.len() > 0)
        .then(singular(tokens.list.sort().list.join(" ")))
        .alias(SORTED_NAME),
        initials(tokens).alias(INITIALS),
        short_form(tokens).alias(SHORT_FORM),
        pl.when(tokens.list.len() > 0).then(tokens.list.join("")).alias(COMPACT_NAME),
        # the first number standing alone: "100 n main st", "hauptstr 5 10115 berlin"
        pl.col(schema.ADDRESS_NORM).str.extract(r"\b(\d+)\b").alias(HOUSE_NUMBER),
    ]


def features(
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    idf: pl.DataFrame,
    *,
    weights: np.ndarray | None = None,
) -> pl.DataFrame:
    """Feature frame (``i``, ``j`` and every column of ``FEATURES``) of the candidate pairs.

    ``records`` carries ``record_columns()`` (``pipeline.prepare`` adds them).
    ``weights`` is ``name_weights(records, idf)``, worked out here if not given.
    """
    both = pair_frame(records, pairs)

    def column(name: str) -> tuple[pl.Series, pl.Series]:
        return both[schema.left(name)], both[schema.right(name)]

    sorted_l, sorted_r = column(SORTED_NAME)
    label_l, label_r = column(schema.DOMAIN_LABEL)
    compact_l, compact_r = column(COMPACT_NAME)
    similarities = {
        "name_ratio": similarity(sorted_l, sorted_r, fuzz.ratio),
        "name_token_set": similarity(sorted_l, sorted_r, fuzz.token_set_ratio),
        "name_partial": similarity(sorted_l, sorted_r, fuzz.partial_ratio),
        "name_jaro_winkler": similarity(sorted_l, sorted_r, JaroWinkler.normalized_similarity),
        "city_similarity": similarity(*column(schema.CITY_NORM), fuzz.ratio),
        "address_similarity": similarity(*column(schema.ADDRESS_NORM), fuzz.token_sort_ratio),
        "domain_name": np.maximum(
            similarity(label_l, compact_r, fuzz.partial_ratio),
            similarity(label_r, compact_l, fuzz.partial_ratio),
        ),
    }

    def on_left(name: str) -> pl.Expr:
        return pl.col(schema.left(name))

    def on_right(name: str) -> pl.Expr:
        return pl.col(schema.right(name))

    acronym = one_is_acronym(on_left, on_right)
    domains = (schema.DOMAIN, schema.EMAIL_DOMAIN)
    both_domains = pl.any_horizontal(on_left(d).is_not_null() for d in domains) & pl.any_horizontal(
        on_right(d).is_not_null() for d in domains
    )
    shared_domain = pl.any_horizontal(
        (on_left(a) == on_right(b)).fill_null(False) for a in domains for b in domains
    )
    # One name under two suffixes, a company's country sites (acme.com, acme.de), is no
    # disagreement: namesakes abroad are told apart by their countries.
    sister_sites = (on_left(schema.DOMAIN_LABEL) == on_right(schema.DOMAIN_LABEL)).fill_null(False)
    country = _agree(schema.COUNTRY_CODE)

    def abroad(one: Callable[[str], pl.Expr], other: Callable[[str], pl.Expr]) -> pl.Expr:
        # one's name carries a country ("Acme Deutschland GmbH") the other is not in
        named = one(schema.NAME_COUNTRY)
        elsewhere = (other(schema.COUNTRY_CODE) != named) & other(schema.NAME_COUNTRY).is_null()
        return elsewhere.fill_null(False)

    state = _agree(schema.STATE_NORM)
    postal = _agree(schema.POSTAL_NORM)
    registry = _agree(schema.REGISTRY_NORM)
    phone = _agree(schema.PHONE_KEY)
    house = _agree(HOUSE_NUMBER)
    shortest = pl.min_horizontal(
        on_left(schema.NAME_CORE).str.len_chars(), on_right(schema.NAME_CORE).str.len_chars()
    ).fill_null(0)

    derived = both.select(
        (on_left(SORTED_NAME) == on_right(SORTED_NAME)).alias("core_equal"),
        acronym.alias("acronym"),
        (1.0 - (shortest.clip(0, 12) / 12.0)).alias("short_name"),
        (on_left(schema.NAME_CORE).is_null() | on_right(schema.NAME_CORE).is_null()).alias(
            "name_missing"
        ),
        (both_domains & shared_domain).alias("domain_equal"),
        (both_domains & ~shared_domain & ~sister_sites).alias("domain_differ"),
        registry[0].alias("registry_equal"),
        registry[1].alias("registry_differ"),
        country[0].alias("country_equal"),
        country[1].alias("country_differ"),
        (abroad(on_left, on_right) | abroad(on_right, on_left)).alias("subsidiary"),
        state[0].alias("state_equal"),
        state[1].alias("state_differ"),
        postal[0].alias("postal_equal"),
        postal[1].alias("postal_differ"),
        phone[0].alias("phone_equal"),
        phone[1].alias("phone_differ"),
        house[1].alias("house_number_differ"),
    )
    result = pl.concat(
        [
            both.select(LEFT_ROW, RIGHT_ROW),
            pl.DataFrame(similarities),
            derived,
            _token_overlap(
                pairs, both, idf, name_weights(records, idf) if weights is None else weights
            ),
        ],
        how="horizontal",
    )
    return result.select(
        LEFT_ROW, RIGHT_ROW, *[pl.col(f).fill_null(0).cast(pl.Float32) for f in FEATURES]
    )
