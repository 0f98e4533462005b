"""The pairs a person should look at, and the pairs kept out of same-company matches.

Three kinds, each with ``why`` it is there, in words:

- ambiguous: a record with two close candidates in another list (both at or above
  ``MatchConfig.review_threshold``, their odds within ``MatchConfig.ambiguity_odds`` of
  each other, and scored apart against each other): neither pair is matched;
- family: one record is named for a country or a division of the other's group ("IBM
  Deutschland GmbH", "Acme Europe" against "International Business Machines", "Acme"),
  or both for different countries: one group, not one company, so never matched;
- unsure: any other pair of two lists scoring between the review threshold and the
  match threshold whose records were not matched.

Ambiguous and family pairs are held out of clustering (``pipeline.scored_pool``), so the
CLI and the service, which cluster the same way, give a pair the same answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

import numpy as np
import polars as pl
import pycountry

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.config import MatchConfig
from overlap.matching.spelling import USUAL, singular

WHY = "why"
RELATION = "relation"
ALONE = "alone"
"""A scored pair's probability were its records met by no other candidate (the rivalry
features of ``name_words.unrivalled``): what ``rivalled`` reads."""
ROW, OTHER = "row", "other"

REGIONS_AND_DIVISIONS = frozenset(
    {
        *("europe", "european", "emea", "apac", "asia", "americas", "latam", "nordic"),
        *("nordics", "benelux", "dach", "iberia", "scandinavia", "africa", "mena"),
        *("services", "service", "division", "subsidiary", "branch"),
    }
)
"""Words that name a part of a group rather than another company ("Acme Europe", "Acme
Services"); countries come from ``country_words``."""


SAME_ACCOUNT = ("domain_equal", "registry_equal", "phone_equal")
SAME_ADDRESS = 0.9  # address_similarity from which two records are at one address


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum())


@cache
def country_words() -> frozenset[str]:
    """Every country's name that is one word ("germany", "france"), from pycountry, folded
    as names' tokens are; a country of several words comes from ``schema.NAME_COUNTRY``."""
    names = (
        getattr(country, field, None)
        for country in pycountry.countries
        for field in ("name", "common_name")
    )
    return frozenset(
        _folded(name) for name in names if name and " " not in name and "," not in name
    )


def _part_words() -> list[str]:
    return sorted(REGIONS_AND_DIVISIONS | country_words())


def family(records: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """``i``, ``j`` of the scored ``pairs`` that are a family match, and ``why``.

    One name is the other's plus a country or a division ("Telefonica Deutschland AG" and
    "Telefonica S.A.", "IBM France" and "International Business Machines" read through
    its acronym), or both carry different countries after one group's name; and the two
    records share no identifier (``SAME_ACCOUNT``) nor address.
    """
    parts = _part_words()
    marked = records.select(
        pl.col(schema.NAME_COUNTRY).is_not_null()
        | pl.col(USUAL).list.eval(pl.element().is_in(parts)).list.any()
    ).to_series()
    left, right = pairs[LEFT_ROW], pairs[RIGHT_ROW]
    # records sharing a domain, registry id, phone or address are one account whatever
    # their names: "Acme Services" at acme.com is Acme's own
    one_account = pl.any_horizontal(pl.col(f) > 0 for f in SAME_ACCOUNT) | (
        pl.col("address_similarity") >= SAME_ADDRESS
    )
    near = pairs.filter((marked.gather(left) | marked.gather(right)) & ~one_account).select(
        LEFT_ROW, RIGHT_ROW, "core_equal", "acronym"
    )
    columns = (schema.NAME, schema.NAME_COUNTRY, schema.COUNTRY_CODE, USUAL)
    both = pl.concat(
        [
            near,
            records.select(
                pl.col(c).gather(near[LEFT_ROW]).name.suffix(schema.LEFT) for c in columns
            ),
            records.select(
                pl.col(c).gather(near[RIGHT_ROW]).name.suffix(schema.RIGHT) for c in columns
            ),
        ],
        how="horizontal",
    )
    l_usual, r_usual = (
        pl.col(side(USUAL)).list.eval(singular(pl.element()))
        for side in (schema.left, schema.right)
    )
    only_l, only_r = l_usual.list.set_difference(r_usual), r_usual.list.set_difference(l_usual)

    def abroad(one: Callable[[str], str], other: Callable[[str], str]) -> pl.Expr:
        """``one`` is named for a country ``other`` is neither named for nor in."""
        named = pl.col(one(schema.NAME_COUNTRY))
        unnamed = pl.col(other(schema.NAME_COUNTRY)).is_null()
        return named.is_not_null() & unnamed & pl.col(other(schema.COUNTRY_CODE)).ne_missing(named)

    shared = l_usual.list.set_intersection(r_usual).list.len() > 0

    def divided(extra: pl.Expr, none: pl.Expr) -> pl.Expr:
        """The names share words, every word the one adds to the other is a part word, and
        the other adds none."""
        part = extra.list.eval(pl.element().is_in(parts)).list.all()
        return shared & (extra.list.len() > 0) & part & (none.list.len() == 0)

    same = (pl.col("core_equal") > 0) | (pl.col("acronym") > 0)
    l_named, r_named = (pl.col(side(schema.NAME_COUNTRY)) for side in (schema.left, schema.right))
    sisters = same & (l_named != r_named).fill_null(False)
    left_part = (same & abroad(schema.left, schema.right)) | divided(only_l, only_r)
    right_part = (same & abroad(schema.right, schema.left)) | divided(only_r, only_l)
    l_name, r_name = (
        pl.lit("'") + pl.col(side(schema.NAME)) + pl.lit("'")
        for side in (schema.left, schema.right)
    )
    why = (
        pl.when(sisters)
        .then(
            pl.lit("family: ")
            + l_name
            + pl.lit(" and ")
            + r_name
            + pl.lit(" are parts of one group")
        )
        .when(left_part)
        .then(pl.lit("family: ") + l_name + pl.lit(" is a part of the group ") + r_name)
        .when(right_part)
        .then(pl.lit("family: ") + r_name + pl.lit(" is a part of the group ") + l_name)
    )
    return both.select(LEFT_ROW, RIGHT_ROW, why.alias(WHY)).drop_nulls(WHY)


def _odds(score: str) -> pl.Expr:
    # a score of 1 is certain, yet a rival scoring 1 too is as close
    sure = pl.col(score).clip(1e-6, 1 - 1e-6)
    return sure / (1 - sure)


def ambiguous(
    records: pl.DataFrame, pairs: pl.DataFrame, lists: pl.Series, config: MatchConfig
) -> pl.DataFrame:
    """``i``, ``j`` of the scored ``pairs`` (``score``) that are ambiguous, and ``why``.

    A record's candidates in another list are ranked by score. A rival of the best is a
    candidate the best was compared with and scored below the threshold against (a
    duplicate of the best, or a record never compared with it, is no rival). When the
    best's odds are at most ``config.ambiguity_odds`` times a rival's, both scoring at or
    above ``config.review_threshold``, the record's pairs with the best and with every
    such rival are ambiguous. Odds rather than differences of scores: 0.99 against 0.95
    is as close as 0.70 against 0.35 is not.
    """
    scores = pairs.select(LEFT_ROW, RIGHT_ROW, schema.SCORE)
    cross = scores.filter(
        (lists.gather(pairs[LEFT_ROW]) != lists.gather(pairs[RIGHT_ROW]))
        & (pairs[schema.SCORE] >= config.review_threshold)
    )
    ends = pl.concat(
        [
            cross.select(pl.col(a).alias(ROW), pl.col(b).alias(OTHER), schema.SCORE)
            for a, b in ((LEFT_ROW, RIGHT_ROW), (RIGHT_ROW, LEFT_ROW))
        ]
    )
    ends = ends.with_columns(lists.gather(ends[OTHER]).alias("other_list"))
    group = [ROW, "other_list"]
    best = (
        ends.sort(schema.SCORE, OTHER, descending=[True, False])
        .group_by(group, maintain_order=True)
        .first()
        .rename({OTHER: "best", schema.SCORE: "best_score"})
    )
    apart = scores.filter(pl.col(schema.SCORE) < config.threshold).select(LEFT_ROW, RIGHT_ROW)
    rivals = (
        ends.join(best, on=group)
        .filter(
            (pl.col(OTHER) != pl.col("best"))
            & (_odds("best_score") <= config.ambiguity_odds * _odds(schema.SCORE))
        )
        .with_columns(
            pl.min_horizontal(OTHER, "best").alias(LEFT_ROW),
            pl.max_horizontal(OTHER, "best").alias(RIGHT_ROW),
        )
        .join(apart, on=[LEFT_ROW, RIGHT_ROW])
    )
    first_rival = (
        rivals.sort(schema.SCORE, OTHER, descending=[True, False])
        .group_by(group, maintain_order=True)
        .first()
    )
    against = pl.concat(
        [
            rivals.select(
                ROW, OTHER, pl.col("best").alias("rival"), pl.col("best_score").alias("rival_score")
            ),
            first_rival.select(
                ROW,
                pl.col("best").alias(OTHER),
                pl.col(OTHER).alias("rival"),
                pl.col(schema.SCORE).alias("rival_score"),
            ),
        ]
    )
    return against.select(
        pl.min_horizontal(ROW, OTHER).alias(LEFT_ROW),
        pl.max_horizontal(ROW, OTHER).alias(RIGHT_ROW),
        _as_close(records, against[ROW], against["rival"], pl.col("rival_score")),
    ).unique([LEFT_ROW, RIGHT_ROW], keep="first", maintain_order=True)


def _as_close(records: pl.DataFrame, rows: pl.Series, rivals: pl.Series, score: pl.Expr) -> pl.Expr:
    """``WHY`` of an ambiguous pair: "ambiguous: 'Sage' is as close to 'Sage Therapeutics'
    (0.69)", the record of each of ``rows``, its rival of ``rivals`` and the rival's
    ``score``."""
    names = records[schema.NAME]

    def quoted(found: pl.Series) -> pl.Expr:
        return pl.lit("'") + pl.lit(names.gather(found)) + pl.lit("'")

    return (
        pl.lit("ambiguous: ")
        + quoted(rows)
        + pl.lit(" is as close to ")
        + quoted(rivals)
        + pl.lit(" (")
        + score.round(2).cast(pl.String)
        + pl.lit(")")
    ).alias(WHY)


def rivalled(
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    lists: pl.Series,
    config: MatchConfig,
    *,
    decided: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``i``, ``j`` and ``why`` of the scored ``pairs`` of two lists that a rival kept from
    matching: below the threshold, at or above it alone (``ALONE``), beside another
    candidate of one of the records whose odds alone are within ``config.ambiguity_odds``
    times the pair's own (and that scores at least the review threshold alone).

    "Sage" is matched with "Sage Group PLC" where no other "Sage ..." competes; beside
    "Sage Therapeutics" neither pair is, and a person is asked which it is. A pair a user
    decided (``decided``, ``i`` and ``j``) is not asked again.
    """
    cross = pairs.filter(lists.gather(pairs[LEFT_ROW]) != lists.gather(pairs[RIGHT_ROW]))
    kept = cross.filter(
        (pl.col(schema.SCORE) < config.threshold) & (pl.col(ALONE) >= config.threshold)
    ).select(LEFT_ROW, RIGHT_ROW, pl.col(ALONE).alias("own"))
    if decided is not None:
        kept = kept.join(decided.select(LEFT_ROW, RIGHT_ROW), on=[LEFT_ROW, RIGHT_ROW], how="anti")
    close = cross.filter(pl.col(ALONE) >= config.review_threshold)
    ends = pl.concat(
        [
            close.select(pl.col(a).alias(ROW), pl.col(b).alias(OTHER), ALONE)
            for a, b in ((LEFT_ROW, RIGHT_ROW), (RIGHT_ROW, LEFT_ROW))
        ]
    )
    rivals = pl.concat(
        [
            kept.join(ends, left_on=end, right_on=ROW)
            .filter(pl.col(OTHER) != pl.col(other))
            .with_columns(pl.col(end).alias(ROW))  # the record the rival competes for
            for end, other in ((LEFT_ROW, RIGHT_ROW), (RIGHT_ROW, LEFT_ROW))
        ]
    )
    closest = (
        rivals.sort(ALONE, OTHER, descending=[True, False])
        .unique([LEFT_ROW, RIGHT_ROW], keep="first", maintain_order=True)
        # a rival far closer is the record's company, one far weaker no rival
        .filter(
            (_odds(ALONE) <= config.ambiguity_odds * _odds("own"))
            & (_odds("own") <= config.ambiguity_odds * _odds(ALONE))
        )
    )
    return closest.select(
        LEFT_ROW, RIGHT_ROW, _as_close(records, closest[ROW], closest[OTHER], pl.col(ALONE))
    )


def held(
    records: pl.DataFrame,
    pairs: pl.DataFrame,
    lists: pl.Series | None,
    config: MatchConfig,
    *,
    decided: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``i``, ``j``, ``relation`` and ``why`` of the scored pairs of two lists held out of
    clustering: family pairs, then ambiguous ones. A pair a user decided (``decided``,
    ``i`` and ``j``) is never held; with one list (``lists`` None), none is."""
    empty = pl.DataFrame(
        schema={LEFT_ROW: pl.UInt32, RIGHT_ROW: pl.UInt32, RELATION: pl.String, WHY: pl.String}
    )
    if lists is None:
        return empty
    cross = pairs.filter(lists.gather(pairs[LEFT_ROW]) != lists.gather(pairs[RIGHT_ROW]))
    found = pl.concat(
        [
            family(records, cross).with_columns(pl.lit(schema.Relation.FAMILY).alias(RELATION)),
            ambiguous(records, pairs, lists, config).with_columns(
                pl.lit(schema.Relation.SAME).alias(RELATION)
            ),
        ]
    ).select(pl.col(LEFT_ROW).cast(pl.UInt32), pl.col(RIGHT_ROW).cast(pl.UInt32), RELATION, WHY)
    found = found.unique([LEFT_ROW, RIGHT_ROW], keep="first", maintain_order=True)
    if decided is not None:
        found = found.join(
            decided.select(LEFT_ROW, RIGHT_ROW), on=[LEFT_ROW, RIGHT_ROW], how="anti"
        )
    return pl.concat([empty, found])


def queue(
    pairs: pl.DataFrame, labels: np.ndarray, lists: pl.Series, config: MatchConfig
) -> pl.DataFrame:
    """The review queue: the rows of scored ``pairs`` (with ``held``'s columns) of two lists
    whose records were not matched (``labels``), held or unsure, each with its
    ``relation`` and ``why``; family pairs first, then the least sure."""
    left, right = pairs[LEFT_ROW].to_numpy(), pairs[RIGHT_ROW].to_numpy()
    apart = pl.Series(labels[left] != labels[right]) & (
        lists.gather(pairs[LEFT_ROW]) != lists.gather(pairs[RIGHT_ROW])
    )
    unsure = pl.col(schema.SCORE).is_between(
        config.review_threshold, config.threshold, closed="left"
    )
    why = pl.coalesce(
        WHY,
        pl.lit("unsure: score ")
        + pl.col(schema.SCORE).round(2).cast(pl.String)
        + pl.lit(f" below the match threshold {config.threshold:.2f}"),
    )
    return (
        pairs.filter(apart & (pl.col(WHY).is_not_null() | unsure))
        .with_columns(pl.col(RELATION).fill_null(schema.Relation.SAME), why.alias(WHY))
        .sort(RELATION, pl.col(schema.SCORE).sub(config.threshold).abs(), LEFT_ROW, RIGHT_ROW)
    )


def with_records(keys: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """The queue ``found`` (explained pairs of rows of ``keys``) as both records' keys, suffixed
    ``_l`` and ``_r``, then ``score``, ``relation``, ``why`` and ``reason``."""
    ends = [
        keys.select(pl.all().gather(found[end]).name.suffix(suffix))
        for end, suffix in ((LEFT_ROW, schema.LEFT), (RIGHT_ROW, schema.RIGHT))
    ]
    return pl.concat(
        [*ends, found.select(pl.col(schema.SCORE).round(4), RELATION, WHY, schema.REASON)],
        how="horizontal",
    )
