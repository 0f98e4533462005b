"""What matching returns: the public results of ``link`` and ``dedupe``, and the scored
pool of records and candidate pairs they are worked out from (internal)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.compare import FEATURES, pair_frame
from overlap.matching.resolve import reasons


@dataclass(frozen=True)
class Scored:
    """Records with their scored candidate pairs."""

    records: pl.DataFrame  # normalised records with tokens as written and in usual spelling
    pairs: pl.DataFrame  # i, j, every feature, score, reason (null below the threshold)
    generic: list[str]  # the records' generic words (name_words.generic_words) reasons name

    def explain(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """``pairs`` (rows of ``self.pairs``, other columns welcome) with the reason of each.

        Reasons are worked out for matches only while scoring; this gives them to any
        pair, such as the unsure ones a reviewer reads.
        """
        return pairs.with_columns(explained(self.records, pairs, self.generic))


UNSURE_SCORES = (0.02, 0.98)
"""Scores between which a vendor-partner pair is neither a clear match nor a clear
non-match: ``LinkResult.unsure``, the pairs a person should review."""


@dataclass(frozen=True)
class LinkResult:
    """Matches between a vendor list and a partner list (``link``).

    ``matches``: one row per matched pair of records: ``vendor_id``, ``partner_id``,
    ``score`` and ``reason`` (in words). ``unsure``: the vendor-partner candidate pairs
    scoring within ``UNSURE_SCORES``, matched or not, with the same columns, weakest
    first: the ones to review (confirm or reject them with ``link(..., feedback=...)``).
    ``candidates``: how many candidate pairs were compared, within and across the lists.
    ``review``: the review queue (``review.queue``), pairs not matched that a person
    should look at: ``vendor_id``, ``partner_id``, ``score``, ``relation`` ("same", or
    "family": parts of one group), ``why`` it is there ("ambiguous: ...", "family: ...",
    "unsure: ...") and ``reason``.
    """

    matches: pl.DataFrame
    unsure: pl.DataFrame
    candidates: int
    review: pl.DataFrame


@dataclass(frozen=True)
class DedupeResult:
    """The duplicates of one list (``dedupe``).

    ``clusters``: every record's ``id``, its ``cluster_id`` (same cluster, same company)
    and ``score``, how sure its membership is. ``candidates``: how many candidate pairs
    were compared.
    """

    clusters: pl.DataFrame
    candidates: int


def explained(records: pl.DataFrame, pairs: pl.DataFrame, generic: list[str]) -> pl.Series:
    """The reason of each pair of ``pairs`` (``i``, ``j`` and the features), naming the
    words of ``generic`` generic."""
    columns = pair_frame(records, pairs).drop(LEFT_ROW, RIGHT_ROW)
    names = [
        records[schema.NAME].gather(pairs[end]).alias(side(schema.NAME))
        for end, side in ((LEFT_ROW, schema.left), (RIGHT_ROW, schema.right))
    ]
    features = pairs.select(LEFT_ROW, RIGHT_ROW, *FEATURES)
    compared = pl.concat([columns.with_columns(names), features], how="horizontal")
    return reasons(compared, generic)
