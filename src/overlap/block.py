"""Candidate pairs: which records are worth comparing, without comparing all with all.

Records are blocked on keys of several kinds; two records sharing a key become a
candidate pair. Keys shared by more than ``max_block_size`` records are dropped as
too common, and each record keeps at most ``max_candidates`` candidates, the ones
whose shared keys are rarest. Every step is a join or a group-by over polars
frames, so the work splits by key (a distributed engine partitions on ``key``).

Key kinds:
    domain    registrable domain of the website or of the e-mail
    registry  registry id or CRM cross-reference
    phone     last seven digits of the phone number
    name      core name without spaces, and the initials of a multi-word core name
              ("international business machines" -> "ibm")
    token     the record's rarest core-name tokens, and adjacent tokens joined
              ("blue peak" -> "bluepeak")
    typo      the rarest long token and each other token one edit away from it
              (found by symmetric delete over the vocabulary)
    address   house number and street of the address, within the postal code when known
"""

from __future__ import annotations

import math

import polars as pl
from rapidfuzz import fuzz, process

from overlap import schema
from overlap.config import MatchConfig

ROW = "row"
KIND = "kind"
KEY = "key"
TOKENS = "tokens"
LEFT_ROW = "i"
RIGHT_ROW = "j"
WEIGHT = "weight"

STRONG = "strong"
STRONG_KINDS = ("domain", "registry", "phone", "address")
"""Key kinds that are evidence by themselves: a pair sharing one is compared whatever its names."""


def name_tokens(core: pl.Expr) -> pl.Expr:
    """Tokens of a core name, in order (empty list when there is no name)."""
    return core.fill_null("").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))


def token_frequencies(tokens: pl.Series) -> pl.DataFrame:
    """Document frequency and inverse document frequency of every token, over distinct names.

    A name repeated by duplicates of one company counts once: a list that holds
    "Akzo Nobel" two hundred times does not make "akzo" a common word.
    ``idf = ln((n + 1) / (df + 1)) + 1`` over the n distinct names, the smoothed form
    scikit-learn uses, so a token in every name still weighs 1.
    """
    distinct = tokens.list.join(" ").unique().str.split(" ").list.unique()
    n = len(distinct)
    return (
        distinct.explode()
        .filter(distinct.explode() != "")
        .value_counts(name="df")
        .rename({distinct.name: "token"})
        .with_columns(idf=((n + 1) / (pl.col("df") + 1)).log() + 1.0)
    )


def _keys(records: pl.DataFrame, idf: pl.DataFrame, config: MatchConfig) -> pl.LazyFrame:
    """Long frame (row, kind, key) of every blocking key of every record."""
    base = records.lazy().select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW),
        pl.col(schema.DOMAIN),
        pl.col(schema.EMAIL_DOMAIN),
        pl.col(schema.REGISTRY_NORM),
        pl.col(schema.PHONE_NORM),
        pl.col(schema.ADDRESS_NORM),
        pl.col(schema.POSTAL_NORM),
        pl.col(TOKENS),
    )

    def kind(name: str, key: pl.Expr) -> pl.LazyFrame:
        return base.select(ROW, pl.lit(name).alias(KIND), key.alias(KEY))

    rare = (
        base.select(ROW, pl.col(TOKENS).alias("token"))
        .explode("token")
        .drop_nulls("token")
        .unique([ROW, "token"])
        .join(idf.lazy().select("token", "idf"), on="token", how="left")
        .sort([ROW, "idf"], descending=[False, True])
        .group_by(ROW, maintain_order=True)
        .head(config.rare_tokens)
    )
    typo_source = (
        rare.filter(pl.col("token").str.len_chars() >= config.typo_min_length)
        .group_by(ROW, maintain_order=True)
        .first()
    )
    # Symmetric delete on the vocabulary, not on the records: two distinct tokens one
    # edit apart share a one-character deletion; their records then share a key naming
    # both tokens, so each typo pairs the two groups of records once.
    deletions = (
        typo_source.select("token")
        .unique()
        .with_columns(
            pl.concat_list(
                pl.col("token"),
                *[
                    pl.col("token").str.slice(0, position) + pl.col("token").str.slice(position + 1)
                    for position in range(24)
                ],
            )
            .list.unique()
            .alias("deletion")
        )
        .explode("deletion")
    )
    neighbours = (
        deletions.join(deletions, on="deletion", suffix="_other")
        .filter(pl.col("token") != pl.col("token_other"))
        .select(
            "token",
            pl.concat_str(
                pl.min_horizontal("token", "token_other"),
                pl.max_horizontal("token", "token_other"),
                separator="|",
            ).alias(KEY),
        )
        .unique()
    )
    typos = typo_source.join(neighbours, on="token").select(ROW, pl.lit("typo").alias(KIND), KEY)

    tokens = pl.col(TOKENS)
    joined_neighbours = tokens.list.eval(pl.element() + pl.element().shift(-1)).list.eval(
        pl.element().drop_nulls()
    )
    initials = pl.when(tokens.list.len() >= 2).then(
        tokens.list.eval(pl.element().str.slice(0, 1)).list.join("")
    )
    house_and_street = pl.col(schema.ADDRESS_NORM).str.extract(r"^(\d+\w*\s+\S+(?:\s+\S+)?)")

    frames = [
        kind("domain", pl.concat_list(schema.DOMAIN, schema.EMAIL_DOMAIN)).explode(KEY),
        kind("registry", pl.col(schema.REGISTRY_NORM)),
        kind("phone", pl.col(schema.PHONE_NORM).str.slice(-7)),
        kind("name", pl.concat_list(tokens.list.join(""), initials)).explode(KEY),
        rare.select(ROW, pl.lit("token").alias(KIND), pl.col("token").alias(KEY)),
        kind("token", joined_neighbours).explode(KEY),
        typos,
        kind(
            "address",
            pl.concat_str(
                house_and_street, pl.col(schema.POSTAL_NORM).fill_null(""), separator="|"
            ),
        ),
    ]
    return (
        pl.concat(frames)
        .filter(pl.col(KEY).is_not_null() & (pl.col(KEY).str.len_chars() >= 2))
        .unique([ROW, KIND, KEY])
    )


def candidate_pairs(records: pl.DataFrame, idf: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    """Candidate pairs ``(i, j, weight)`` of row positions with ``i < j``.

    ``records`` is a normalised frame with a ``tokens`` column (see ``name_tokens``);
    ``idf`` comes from ``token_frequencies``. Records sharing a key of a block of at
    most ``max_block_size`` records are all paired; in a larger block (a company
    listed hundreds of times, or a common word) each record is paired with its
    ``window`` neighbours in name order (sorted neighbourhood). ``weight`` is the
    summed rarity of the keys the pair shares: higher is more promising.
    """
    n = len(records)
    names = records.lazy().select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW), pl.col(schema.NAME_CLEAN)
    )
    keys = _keys(records, idf, config).with_columns(size=pl.len().over(KIND, KEY)).collect().lazy()
    small = keys.filter((pl.col("size") >= 2) & (pl.col("size") <= config.max_block_size))
    pairs_in_small = small.select(pl.col(ROW).alias(LEFT_ROW), KIND, KEY, "size").join(
        small.select(pl.col(ROW).alias(RIGHT_ROW), KIND, KEY), on=[KIND, KEY]
    )
    large = (
        keys.filter(pl.col("size") > config.max_block_size)
        .join(names, on=ROW)
        .with_columns(position=pl.struct(schema.NAME_CLEAN, ROW).rank("ordinal").over(KIND, KEY))
    )
    pairs_in_large = [
        large.select(pl.col(ROW).alias(LEFT_ROW), KIND, KEY, "size", "position")
        .join(
            large.select(pl.col(ROW).alias(RIGHT_ROW), KIND, KEY, (pl.col("position") - step)),
            on=[KIND, KEY, "position"],
        )
        .drop("position")
        for step in range(1, config.window + 1)
    ]
    pairs = (
        pl.concat([pairs_in_small, *pairs_in_large])
        .with_columns(
            pl.min_horizontal(LEFT_ROW, RIGHT_ROW).alias(LEFT_ROW),
            pl.max_horizontal(LEFT_ROW, RIGHT_ROW).alias(RIGHT_ROW),
        )
        .filter(pl.col(LEFT_ROW) < pl.col(RIGHT_ROW))
        .group_by(LEFT_ROW, RIGHT_ROW)
        .agg(
            (math.log(n + 1) - (pl.col("size") + 1).cast(pl.Float64).log()).sum().alias(WEIGHT),
            pl.col(KIND).is_in(STRONG_KINDS).any().alias(STRONG),
        )
    )
    best = _best_per_record(pairs.collect(), WEIGHT, config.max_candidates)
    return best.select(
        pl.col(LEFT_ROW).cast(pl.UInt32), pl.col(RIGHT_ROW).cast(pl.UInt32), WEIGHT, STRONG
    ).sort(LEFT_ROW, RIGHT_ROW)


def promising(records: pl.DataFrame, pairs: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    """The candidate pairs worth comparing in full.

    A cheap first look, one rapidfuzz batch call on the core names (tokens sorted):
    a pair is kept if it shares a strong key or its names are at least
    ``min_name_similarity`` alike, and if it is among the ``max_compared`` most
    promising pairs (strong key first, then the most alike names) of one of its records.
    """
    names = records.select(pl.col(TOKENS).list.sort().list.join(" ")).to_series()
    alike = process.cpdist(
        names.gather(pairs[LEFT_ROW]).to_list(),
        names.gather(pairs[RIGHT_ROW]).to_list(),
        scorer=fuzz.token_set_ratio,
        workers=-1,
    )
    scored = pairs.with_columns(
        priority=pl.Series(alike / 100.0) + pl.col(STRONG).cast(pl.Float64)
    ).filter(pl.col(STRONG) | (pl.col("priority") >= config.min_name_similarity))
    return _best_per_record(scored, "priority", config.max_compared).drop("priority")


def _best_per_record(pairs: pl.DataFrame, by: str, k: int) -> pl.DataFrame:
    """Pairs that are among the ``k`` highest by ``by`` of at least one of their two records."""
    indexed = pairs.with_row_index("pair")
    ends = pl.concat(
        [
            indexed.select("pair", pl.col(LEFT_ROW).alias(ROW), by),
            indexed.select("pair", pl.col(RIGHT_ROW).alias(ROW), by),
        ]
    )
    chosen = ends.filter(pl.col(by).rank("ordinal", descending=True).over(ROW) <= k)
    return indexed.join(chosen.select("pair").unique(), on="pair", how="semi").drop("pair")
