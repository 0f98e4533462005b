"""Scored pairs -> companies: clusters of records, vendor-partner matches, and their reasons.

Records linked at or above the threshold form groups (connected components). A
group of two is a cluster. A larger group is re-clustered with a guard against
chaining: starting from single records, the strongest remaining link merges two
clusters only if the scored pairs between them average at least ``min_cluster_link``
(average linkage over the pairs that were compared), or if at least
``min_cluster_support`` of those pairs are links of their own: then no one bad link
holds them together. "American Air" may link to "American Airlines" or to "American
Express", but not bring the two together, while a company written three hundred ways
still forms one cluster, even when some of its spellings are nothing alike.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.config import MatchConfig

SCORE = schema.SCORE


def cluster_labels(n: int, scored: pl.DataFrame, config: MatchConfig) -> np.ndarray:
    """Cluster label (a row position) of each of ``n`` records, from pairs ``(i, j, score)``."""
    positive = scored.filter(pl.col(SCORE) >= config.threshold)
    graph = coo_matrix(
        (np.ones(len(positive)), (positive[LEFT_ROW].to_numpy(), positive[RIGHT_ROW].to_numpy())),
        shape=(n, n),
    )
    _, group = connected_components(graph, directed=False)
    first = np.full(n, n)
    np.minimum.at(first, group, np.arange(n))
    labels = first[group]  # a group's label: its first row
    sizes = np.bincount(group, minlength=n)[group]
    large = sizes > 2
    if large.any():
        inside = scored.filter(
            pl.Series(large[scored[LEFT_ROW].to_numpy()])
            & pl.Series(group[scored[LEFT_ROW].to_numpy()] == group[scored[RIGHT_ROW].to_numpy()])
        )
        for row, label in _average_linkage(inside, config).items():
            labels[row] = label
    return labels


def _average_linkage(scored: pl.DataFrame, config: MatchConfig) -> dict[int, int]:
    """Guarded agglomeration of the records of ``scored``: record -> its cluster's first record."""
    # cluster -> cluster -> [summed probability, pairs compared, pairs at the threshold]
    links: dict[int, dict[int, list[float]]] = {}
    for a, b, value in scored.select(LEFT_ROW, RIGHT_ROW, SCORE).iter_rows():
        linked = float(value >= config.threshold)
        links.setdefault(a, {})[b] = [value, 1.0, linked]
        links.setdefault(b, {})[a] = [value, 1.0, linked]
    members = {row: [row] for row in links}
    root = {row: row for row in links}
    for a, b, _ in (
        scored.filter(pl.col(SCORE) >= config.threshold)
        .sort(SCORE, descending=True)
        .select(LEFT_ROW, RIGHT_ROW, SCORE)
        .iter_rows()
    ):
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        total, count, linked = links[ra][rb]
        if total / count < config.min_cluster_link and linked < config.min_cluster_support:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        for row in members[rb]:
            root[row] = ra
        members[ra].extend(members.pop(rb))
        merged = links[ra]
        del merged[rb]
        for other, between in links.pop(rb).items():
            if other == ra:
                continue
            del links[other][rb]
            kept = merged.setdefault(other, [0.0, 0.0, 0.0])
            for k, value in enumerate(between):
                kept[k] += value
            links[other][ra] = kept
    return {row: min(members[r]) for row, r in root.items()}


def membership_scores(n: int, scored: pl.DataFrame, labels: np.ndarray) -> np.ndarray:
    """How sure each record's cluster membership is.

    For a record in a cluster of several: its best probability with a record of its
    cluster. For a record alone: one minus its best probability with any record.
    """
    pairs = scored.select(LEFT_ROW, RIGHT_ROW, SCORE).with_columns(
        same=pl.Series(labels[scored[LEFT_ROW].to_numpy()] == labels[scored[RIGHT_ROW].to_numpy()])
    )
    ends = pl.concat(
        [
            pairs.select(pl.col(LEFT_ROW).alias("row"), SCORE, "same"),
            pairs.select(pl.col(RIGHT_ROW).alias("row"), SCORE, "same"),
        ]
    )
    best = ends.group_by("row").agg(
        pl.col(SCORE).filter(pl.col("same")).max().alias("inside"),
        pl.col(SCORE).max().alias("any"),
    )
    result = pl.DataFrame({"row": np.arange(n, dtype=np.uint32)}).join(
        best.with_columns(pl.col("row").cast(pl.UInt32)), on="row", how="left"
    )
    sizes = np.bincount(labels, minlength=n)[labels]
    inside = result["inside"].fill_null(1.0).to_numpy()
    alone = 1.0 - result["any"].fill_null(0.0).to_numpy()
    return np.where(sizes > 1, inside, alone)


def cross_pairs(labels: np.ndarray, sides: np.ndarray) -> pl.DataFrame:
    """Every (vendor row, partner row) pair that shares a cluster: the matches.

    ``sides`` is 0 for vendor records, 1 for partner records. A company listed twice
    by the vendor and once by the partner gives two pairs, so both sides count one
    company.
    """
    rows = pl.DataFrame(
        {"row": np.arange(len(labels), dtype=np.uint32), "label": labels, "side": sides}
    )
    multi = rows.filter(pl.col("side").n_unique().over("label") > 1)
    vendor = multi.filter(pl.col("side") == 0).select(pl.col("row").alias(LEFT_ROW), "label")
    partner = multi.filter(pl.col("side") == 1).select(pl.col("row").alias(RIGHT_ROW), "label")
    return vendor.join(partner, on="label").select(LEFT_ROW, RIGHT_ROW).sort(LEFT_ROW, RIGHT_ROW)


def reasons(compared: pl.DataFrame) -> pl.Series:
    """One readable sentence per scored pair: what agrees and what differs.

    ``compared`` holds the pair columns of ``compare.pair_frame`` and the features of
    ``compare.features``. Example: "same domain acme.com; names 96% alike; same phone".
    """
    name_percent = (pl.max_horizontal("name_token_set", "name_ratio") * 100).round(0).cast(pl.Int64)
    domain = pl.col(schema.left(schema.DOMAIN)).fill_null(pl.col(schema.left(schema.EMAIL_DOMAIN)))
    parts = [
        pl.when(pl.col("registry_equal") > 0).then(pl.lit("same registry id")),
        pl.when(pl.col("registry_differ") > 0).then(pl.lit("registry ids differ")),
        pl.when(pl.col("domain_equal") > 0).then(pl.lit("same domain ") + domain),
        pl.when(pl.col("domain_differ") > 0).then(
            pl.lit("domains differ") + _versus(schema.DOMAIN)
        ),
        pl.when(
            (pl.col("domain_equal") == 0)
            & (
                pl.col(schema.left(schema.DOMAIN_LABEL))
                == pl.col(schema.right(schema.DOMAIN_LABEL))
            )
        ).then(pl.lit("one domain name under two suffixes") + _versus(schema.DOMAIN)),
        pl.when(pl.col("name_missing") > 0)
        .then(pl.lit("no name on one side"))
        .when(pl.col("core_equal") > 0)
        .then(pl.lit("same name"))
        .when(pl.col("acronym") > 0)
        .then(pl.lit("one name is the acronym of the other"))
        .otherwise(pl.lit("names ") + name_percent.cast(pl.String) + pl.lit("% alike")),
        pl.when(pl.col("phone_equal") > 0).then(pl.lit("same phone")),
        pl.when(pl.col("address_similarity") >= 0.9).then(pl.lit("same address")),
        pl.when(pl.col("house_number_differ") > 0).then(pl.lit("street numbers differ")),
        pl.when(pl.col("postal_equal") > 0).then(pl.lit("same postal code")),
        pl.when(pl.col("city_similarity") >= 0.9).then(
            pl.lit("same city ") + pl.col(schema.left(schema.CITY_NORM))
        ),
        pl.when(pl.col("country_equal") > 0).then(
            pl.lit("both in ") + pl.col(schema.left(schema.COUNTRY_CODE))
        ),
        pl.when(pl.col("country_differ") > 0).then(
            pl.lit("countries differ") + _versus(schema.COUNTRY_CODE)
        ),
        pl.when(pl.col("subsidiary") > 0).then(
            pl.lit("named as a subsidiary in ")
            + pl.coalesce(schema.left(schema.NAME_COUNTRY), schema.right(schema.NAME_COUNTRY))
        ),
    ]
    return compared.select(
        pl.concat_list(parts).list.drop_nulls().list.join("; ").alias(schema.REASON)
    ).to_series()


def _versus(column: str) -> pl.Expr:
    """ " (left vs right)": the two records' values of ``column``, "?" for a missing one."""
    left, right = (pl.col(side(column)).fill_null("?") for side in (schema.left, schema.right))
    return pl.lit(" (") + left + pl.lit(" vs ") + right + pl.lit(")")
