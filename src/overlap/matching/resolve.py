"""Scored pairs -> companies: clusters of records, vendor-partner matches, and their reasons.

Records linked at or above the threshold form groups (connected components). A
group of two is a cluster. A larger group is re-clustered with a guard against
chaining: starting from single records, the strongest remaining link merges two
clusters only if the scored pairs between them average at least ``min_cluster_link``
(average linkage over the pairs that were compared), or if at least
``min_cluster_support`` of those pairs are links of their own: then no one bad link
holds them together. Short of that support, never when one pair between them is a clear
non-match (below ``max_conflict``): "State Bank of India" and "Central Bank of India"
stay apart though a record of another list links to both. "American Air" may link to
"American Airlines" or to "American Express", but not bring the two together, while a
company written three hundred ways still forms one cluster, even when some of its
spellings are nothing alike.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.compare import FEATURE_TABLE, HOUSE_NUMBER, SISTER_SITES, Told, versus
from overlap.matching.config import MatchConfig
from overlap.matching.reasons import name_phrases, with_words_apart

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
    # cluster -> cluster -> [summed probability, pairs compared, pairs at the threshold,
    # lowest probability]
    links: dict[int, dict[int, list[float]]] = {}
    for a, b, value in scored.select(LEFT_ROW, RIGHT_ROW, SCORE).iter_rows():
        linked = float(value >= config.threshold)
        links.setdefault(a, {})[b] = [value, 1.0, linked, value]
        links.setdefault(b, {})[a] = [value, 1.0, linked, value]
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
        total, count, linked, lowest = links[ra][rb]
        if linked < config.min_cluster_support and (
            lowest < config.max_conflict or total / count < config.min_cluster_link
        ):
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
            kept = merged.setdefault(other, [0.0, 0.0, 0.0, 1.0])
            for k, value in enumerate(between[:3]):
                kept[k] += value
            kept[3] = min(kept[3], between[3])
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


def membership_reasons(n: int, scored: pl.DataFrame, labels: np.ndarray) -> pl.Series:
    """Why each record is in its cluster: the reason of its best link inside the cluster.

    Null for a record alone, and where no link inside its cluster reached the threshold
    (reasons are worked out for those only).
    """
    pairs = scored.filter(
        pl.Series(labels[scored[LEFT_ROW].to_numpy()] == labels[scored[RIGHT_ROW].to_numpy()])
        & pl.col(schema.REASON).is_not_null()
    )
    ends = pl.concat(
        [
            pairs.select(pl.col(end).alias("row"), SCORE, schema.REASON)
            for end in (LEFT_ROW, RIGHT_ROW)
        ]
    )
    best = ends.sort(SCORE, descending=True).group_by("row").first()
    rows = pl.DataFrame({"row": np.arange(n, dtype=np.uint32)})
    found = rows.join(best.with_columns(pl.col("row").cast(pl.UInt32)), on="row", how="left")
    return found[schema.REASON]


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


TOLD_IN_ORDER = (
    schema.REGISTRY_NORM,
    schema.DOMAIN,
    schema.NAME_CORE,
    schema.PHONE_KEY,
    schema.ADDRESS_NORM,
    HOUSE_NUMBER,
    schema.POSTAL_NORM,
    schema.CITY_NORM,
    schema.COUNTRY_CODE,
    schema.NAME_COUNTRY,
)
"""What a reason speaks of (``compare.Told.about``), in order: identifiers, the name, then
the phone and the place."""


def reasons(compared: pl.DataFrame, generic: list[str]) -> pl.Series:
    """One readable sentence per scored pair: what agrees and what differs.

    ``compared`` holds the pair columns of ``compare.pair_frame``, both records' ``name``
    and the features of ``compare.features``. Each feature of ``compare.FEATURE_TABLE``
    that holds tells its phrase, in the order of ``TOLD_IN_ORDER``; of the phrases about
    one column, the first that holds (names in the order of ``reasons.name_phrases``;
    the words one name adds are told generic or not by ``generic``, the generic words of
    the lists).
    Example: "same domain acme.com; names 96% alike (spelling); same phone".
    """
    told: dict[str, list[pl.Expr]] = {about: [] for about in TOLD_IN_ORDER}
    for feature in FEATURE_TABLE:
        if feature.told is not None:
            told[feature.told.about].append(_phrase(feature.name, feature.told))
    told[schema.DOMAIN].append(
        pl.when((pl.col("domain_equal") == 0) & SISTER_SITES).then(
            _sister_sites_phrase() + versus(schema.DOMAIN)
        )
    )
    told[schema.NAME_CORE] = name_phrases(told[schema.NAME_CORE])
    parts = [pl.coalesce(phrases) for phrases in told.values()]
    return (
        with_words_apart(compared, generic)
        .select(pl.concat_list(parts).list.drop_nulls().list.join("; ").alias(schema.REASON))
        .to_series()
    )


def _phrase(feature: str, told: Told) -> pl.Expr:
    """``told``'s phrase and detail where ``feature`` holds, null elsewhere."""
    phrase = pl.lit(told.phrase) if told.detail is None else pl.lit(told.phrase) + told.detail
    return pl.when(pl.col(feature) >= told.at_least).then(phrase)


def _sister_sites_phrase() -> pl.Expr:
    """What two domains of one label (``compare.SISTER_SITES``) have in common, as compared:
    "acme.com" and "acme.de" are one name under two suffixes; "acmewidgets.co.uk" and
    "acme-widgets.com" are alike only once their hyphens are taken out."""
    left, right = (
        pl.col(side(schema.DOMAIN)).str.extract_groups(r"^(?<label>[^.]+)\.(?<suffix>.*)$")
        for side in (schema.left, schema.right)
    )
    return (
        pl.when(left.struct["label"] == right.struct["label"])
        .then(pl.lit("one domain name under two suffixes"))
        .when(left.struct["suffix"] == right.struct["suffix"])
        .then(pl.lit("domain names alike apart from hyphens"))
        .otherwise(pl.lit("domain names alike apart from hyphens, under two suffixes"))
    )
