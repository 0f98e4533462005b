"""Scored candidate pairs of two encoded lists -> companies -> the matched pairs.

As the plaintext engine does (``matching.resolve``), records linked at the threshold form
companies, with its guard against chaining, and every vendor record of a company matches
every partner record of it: when both lists hold a company several times ("Philips" in
three hundred spellings), a spelling matches the other list's spellings it was never
close to through those it is close to.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.config import MatchConfig
from overlap.matching.resolve import cluster_labels
from overlap.private.compare import LEFT, RIGHT

COMPANY = "_company"


def company_pairs(
    pairs: pl.DataFrame, score: np.ndarray, sizes: tuple[int, int], *, threshold: float
) -> pl.DataFrame:
    """(``_left``, ``_right``, ``score``) of the pairs of records in one company.

    ``pairs`` are the candidate pairs (``compare.candidates``) and ``score`` their match
    probabilities; ``sizes`` the two lists' lengths. A pair no band brought together takes
    the lowest score that holds its company together.
    """
    offset = sizes[0]
    scored = pl.DataFrame(
        {
            LEFT_ROW: pairs[LEFT].to_numpy(),
            RIGHT_ROW: pairs[RIGHT].to_numpy() + offset,
            schema.SCORE: score,
        }
    )
    labels = cluster_labels(sum(sizes), scored, MatchConfig(threshold=threshold))
    above = scored.filter(pl.col(schema.SCORE) >= threshold)
    company = labels[above[LEFT_ROW].to_numpy()]
    # a link the guard against chaining refused joins no company
    linked = above.with_columns(pl.Series(COMPANY, company)).filter(
        pl.Series(company == labels[above[RIGHT_ROW].to_numpy()])
    )
    members = pl.DataFrame({"_row": np.arange(sum(sizes)), COMPANY: labels}).join(
        linked.select(COMPANY).unique(), on=COMPANY, how="semi"
    )
    left = members.filter(pl.col("_row") < offset).rename({"_row": LEFT})
    right = members.filter(pl.col("_row") >= offset).select(
        (pl.col("_row") - offset).alias(RIGHT), COMPANY
    )
    weakest = linked.group_by(COMPANY).agg(pl.col(schema.SCORE).min().alias("_weakest"))
    own = scored.select(
        pl.col(LEFT_ROW).alias(LEFT),
        (pl.col(RIGHT_ROW) - offset).alias(RIGHT),
        schema.SCORE,
    )
    return (
        left.join(right, on=COMPANY)
        .join(weakest, on=COMPANY)
        .join(own, on=[LEFT, RIGHT], how="left")
        .select(LEFT, RIGHT, pl.coalesce(schema.SCORE, "_weakest").alias(schema.SCORE))
    )
