"""Pairwise precision, recall and F1 of linkage pairs and of dedupe clusters.

Ids are compared as strings. Dedupe scores are computed from group sizes, never by listing
pairs, so a cluster of 300 Philips spellings or a million-row run costs a few group-bys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

LINK_KEYS: tuple[str, ...] = ("vendor_id", "partner_id")


@dataclass(frozen=True)
class PairScores:
    """Counts of pairs and the precision, recall and F1 they give (0.0 when undefined)."""

    true_positives: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "true_positives": self.true_positives,
            "predicted_pairs": self.predicted_pairs,
            "true_pairs": self.true_pairs,
        }


def _as_str_keys(frame: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    return frame.select(pl.col(k).cast(pl.String) for k in keys).drop_nulls().unique(keys)


def link_scores(
    predicted: pl.DataFrame, truth: pl.DataFrame, *, on: Sequence[str] = LINK_KEYS
) -> PairScores:
    """Score predicted (vendor, partner) pairs against the true pairs.

    `on` names the key columns of both frames; add a `partner` column to it when pairs
    from several partner files are pooled, so that equal ids in two files stay apart.
    Repeated pairs count once.
    """
    pred = _as_str_keys(predicted, on)
    true = _as_str_keys(truth, on)
    hits = pred.join(true, on=list(on), how="inner").height
    return PairScores(true_positives=hits, predicted_pairs=pred.height, true_pairs=true.height)


def best_link_scores(
    predicted: pl.DataFrame, truth: pl.DataFrame, *, on: Sequence[str] = LINK_KEYS
) -> tuple[PairScores, float]:
    """``link_scores`` of the predicted pairs scoring at or above the threshold that gives
    the best F1 (``predicted`` has a ``score``), and that threshold: a tool's upper bound,
    the threshold being chosen with the truth. A repeated pair counts at its best score."""
    true = _as_str_keys(truth, on)
    pred = (
        predicted.select(*(pl.col(k).cast(pl.String) for k in on), pl.col("score"))
        .drop_nulls()
        .group_by(on)
        .agg(pl.col("score").max())
        .join(true.with_columns(hit=pl.lit(1)), on=list(on), how="left")
        .group_by("score")
        .agg(pl.len().alias("pairs"), pl.col("hit").sum().alias("hits"))
        .sort("score", descending=True)
        .with_columns(pl.col("pairs").cum_sum(), pl.col("hits").cum_sum())
    )
    best = PairScores(0, 0, true.height), 1.0
    for score, pairs, hits in pred.iter_rows():
        scores = PairScores(true_positives=hits, predicted_pairs=pairs, true_pairs=true.height)
        if scores.f1 > best[0].f1:
            best = scores, score
    return best


def _pairs_in_groups(frame: pl.DataFrame, by: Sequence[str]) -> int:
    """Unordered pairs within groups: the sum of n(n-1)/2 over group sizes."""
    if frame.is_empty():
        return 0
    sizes = frame.group_by(by).len()["len"].cast(pl.Int64)
    return int((sizes * (sizes - 1) // 2).sum())


def _labels(frame: pl.DataFrame, *, id_col: str, label_col: str) -> pl.DataFrame:
    """Rows as (id, label) strings, one per id; a row without a label is its own cluster."""
    return (
        frame.select(
            pl.col(id_col).cast(pl.String).alias("id"),
            pl.col(label_col).cast(pl.String).alias("label"),
        )
        .drop_nulls("id")
        .unique("id", keep="first", maintain_order=True)
        .with_columns(pl.coalesce("label", pl.lit("\x00singleton:") + pl.col("id")))
    )


def dedupe_scores(
    predicted: pl.DataFrame,
    truth: pl.DataFrame,
    *,
    cluster_col: str = "cluster_id",
    entity_col: str = "entity_id",
) -> PairScores:
    """Score predicted clusters against true entities, over unordered within-cluster pairs.

    `predicted` has columns `id` and `cluster_col`; `truth` has `id` and `entity_col`. A row
    missing from `predicted` counts as a cluster of its own.
    """
    pred = _labels(predicted, id_col="id", label_col=cluster_col)
    true = _labels(truth, id_col="id", label_col=entity_col)
    both = pred.join(true, on="id", how="inner", suffix="_true")
    return PairScores(
        true_positives=_pairs_in_groups(both, ["label", "label_true"]),
        predicted_pairs=_pairs_in_groups(pred, ["label"]),
        true_pairs=_pairs_in_groups(true, ["label"]),
    )


def pairs_from_clusters(
    clusters: pl.DataFrame, *, id_col: str = "id", cluster_col: str = "cluster_id"
) -> pl.DataFrame:
    """List the unordered pairs (`id_l` < `id_r`) of rows sharing a cluster.

    Quadratic in the largest cluster: for scoring use `dedupe_scores`, which only counts.
    """
    rows = clusters.select(
        pl.col(id_col).cast(pl.String).alias("id"), pl.col(cluster_col).alias("cluster")
    ).drop_nulls()
    return (
        rows.join(rows, on="cluster", suffix="_r")
        .filter(pl.col("id") < pl.col("id_r"))
        .select(pl.col("id").alias("id_l"), "id_r")
        .unique()
        .sort("id_l", "id_r")
    )
