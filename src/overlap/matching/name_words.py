"""The words of two names read as a person reads them, weighed by how many names hold them.

A word held by many names ("group", "holdings", "india" in a list of Indian names) is
generic, one held by few distinctive: counted in the lists at hand and in a real background
list of company names (``rarity``, through ``spelling.token_frequencies``). From these
weights, what two names share and what one holds alone (``word_measures``), and the
competition a pair meets among its records' other candidates (``with_rivalry``).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from overlap import schema
from overlap.matching.block import LEFT_ROW, RIGHT_ROW
from overlap.matching.rarity import background
from overlap.matching.spelling import USUAL, singular, token_frequencies

GENERIC_SHARE, DISTINCT_SHARE = 0.01, 0.001
"""A word held by at least ``GENERIC_SHARE`` of the names (the lists' and the background's,
``spelling.token_frequencies``) is generic; by at most ``DISTINCT_SHARE``, distinctive;
log-linear between. A share of names, unlike an idf, means the same in a list of a
hundred names and of a million."""
WORD_FLOOR = 0.05  # what a generic word weighs: a name of generic words only still has some


def _distinct(idf: pl.Expr) -> pl.Expr:
    """How distinctive a word is, 0 (generic) to 1, from its ``idf``: the share of names
    holding it is about ``exp(1 - idf)``."""
    low, high = -np.log(GENERIC_SHARE), -np.log(DISTINCT_SHARE)
    return ((idf - 1.0 - low) / (high - low)).clip(0.0, 1.0)


def _word_weights(idf: pl.DataFrame) -> pl.DataFrame:
    """``token``, ``idf`` and ``distinct`` (``_distinct``) of every word; the ``null`` token
    holds the weights of a word missing from ``idf``: the rarest."""
    max_idf = float(idf["idf"].max() or 1.0)  # type: ignore[arg-type]
    missing = pl.DataFrame(
        {"token": [None], "idf": [max_idf]}, schema=idf.select("token", "idf").schema
    )
    return pl.concat([idf.select("token", "idf"), missing]).with_columns(
        distinct=_distinct(pl.col("idf"))
    )


def generic_words(tokens: pl.Series) -> list[str]:
    """The generic words, in the singular, among names' ``tokens`` (lists of words, as
    ``spelling.USUAL``): those the lists at hand and the background
    (``spelling.token_frequencies``) make nearer generic than distinctive (``_distinct``
    under one half). What reasons call generic is what the features weigh as such."""
    idf = token_frequencies(tokens.drop_nulls())
    generic = idf.filter(_distinct(pl.col("idf")) < 0.5)
    return generic.select(singular(pl.col("token"))).unique().to_series().to_list()


@cache
def generic_at_large() -> frozenset[str]:
    """The words generic in company names at large, in the singular: those the background
    names alone (``rarity.background``) make nearer generic than distinctive ("group",
    "holding", "international"), whatever the lists at hand hold."""
    known, names = background()
    idf = ((names + 1) / (pl.col("names") + 1)).log() + 1.0
    return frozenset(known.filter(_distinct(idf) < 0.5)["token"])


def _weighed(words: pl.DataFrame, weights: pl.DataFrame) -> pl.DataFrame:
    """``words`` (a ``token`` column) with their ``idf`` and ``distinct``, a word missing from
    ``weights`` as the rarest."""
    rarest = weights.filter(pl.col("token").is_null())
    joined = words.join(weights.drop_nulls("token"), on="token", how="left")
    return joined.with_columns(
        pl.col("idf").fill_null(rarest["idf"][0]),
        pl.col("distinct").fill_null(rarest["distinct"][0]),
    )


def name_weights(records: pl.DataFrame, idf: pl.DataFrame) -> np.ndarray:
    """Each record's summed word weights, by row position: a column of the ``idf`` of its
    usual tokens, and one of their distinctiveness (``_distinct``, at least ``WORD_FLOOR``).

    Worked out once per set of records and read by every chunk of pairs.
    """
    words = records.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), pl.col(USUAL).alias("token")
    )
    per_record = (
        _weighed(words.explode("token").drop_nulls("token").unique(), _word_weights(idf))
        .group_by("row")
        .agg(pl.col("idf").sum(), pl.col("distinct").clip(WORD_FLOOR).sum())
    )
    weight = np.zeros((len(records), 2))
    weight[per_record["row"].to_numpy()] = per_record.select("idf", "distinct").to_numpy()
    return weight


MEASURES = ("share", "rarest", "covered", "covered_least", "extra", "both_extra")
"""What ``word_measures`` measures of the words two names share and the words one holds alone."""


def _rarest_alone(both: pl.DataFrame, weights: pl.DataFrame, one: str, other: str) -> pl.DataFrame:
    """``pair`` and ``alone``: how distinctive the most distinctive word is that ``one``
    holds and ``other`` lacks."""
    alone = both.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("pair"),
        pl.col(one).list.set_difference(other).alias("token"),
    )
    return (
        _weighed(alone.explode("token").drop_nulls("token"), weights)
        .group_by("pair")
        .agg(pl.col("distinct").max().alias("alone"))
    )


def word_measures(
    pairs: pl.DataFrame, both: pl.DataFrame, idf: pl.DataFrame, weight: np.ndarray
) -> pl.DataFrame:
    """What the two names' words (in their usual spelling) say, as a person reads them;
    each measure of ``MEASURES``, in [0, 1]:

    - ``share``: the idf-weighted Jaccard sum(idf shared) / sum(idf union): sharing
      "american" (common) while "airlines" and "express" differ gives little;
    - ``rarest``: the idf of the rarest word shared, over the largest idf;
    - ``covered``, ``covered_least``: the larger and the smaller of the two names' weights
      (distinctiveness, ``_distinct``) found in the other: "Sage" is all in "Sage Group",
      whose "group" is generic;
    - ``extra``: how distinctive the most distinctive word only one name holds is:
      "housing" in "Bajaj Housing Finance" against "Bajaj Finance" counts, "group"
      against "Sage" does not;
    - ``both_extra``: the lesser of the two names' most distinctive words the other
      lacks: "State Bank" and "Central Bank" each hold one of their own, strong evidence
      of two companies.

    The union's weight is the two records' weights (``weight``, see ``name_weights``)
    less the shared weight, so only the shared and unshared words are looked up per pair.
    """
    weights = _word_weights(idf)
    max_idf = float(idf["idf"].max() or 1.0)  # type: ignore[arg-type]
    left, right = schema.left(USUAL), schema.right(USUAL)
    in_both = both.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("pair"),
        pl.col(left).list.set_intersection(right).alias("token"),
    )
    shared = (
        _weighed(in_both.explode("token").drop_nulls("token"), weights)
        .group_by("pair")
        .agg(
            pl.col("idf").sum().alias("shared"),
            pl.col("idf").max().alias("shared_max"),
            pl.col("distinct").clip(WORD_FLOOR).sum().alias("shared_distinct"),
        )
    )

    def spread(frame: pl.DataFrame, column: str) -> np.ndarray:
        values = np.zeros(len(pairs))
        values[frame["pair"].to_numpy()] = frame[column].to_numpy()
        return values

    total, top = spread(shared, "shared"), spread(shared, "shared_max")
    distinct = spread(shared, "shared_distinct")
    alone_left = spread(_rarest_alone(both, weights, left, right), "alone")
    alone_right = spread(_rarest_alone(both, weights, right, left), "alone")
    ends = weight[pairs[LEFT_ROW].to_numpy()], weight[pairs[RIGHT_ROW].to_numpy()]
    union = ends[0][:, 0] + ends[1][:, 0] - total

    def ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
        return np.divide(part, whole, out=np.zeros(len(pairs)), where=whole > 0)

    covered = np.stack([ratio(distinct, end[:, 1]) for end in ends])
    measures = {
        "share": ratio(total, union),
        "rarest": top / max_idf,
        "covered": covered.max(axis=0),
        "covered_least": covered.min(axis=0),
        "extra": np.maximum(alone_left, alone_right),
        "both_extra": np.minimum(alone_left, alone_right),
    }
    return pl.DataFrame({name: np.clip(v, 0, 1).astype(np.float32) for name, v in measures.items()})


RIVALRY = ("margin", "rivals")
"""What ``with_rivalry`` measures of each pair's competition among its records' candidates."""

MAX_RIVALS = 3  # more rivals than this say nothing more


def written_alike(records: pl.DataFrame) -> pl.Series:
    """A key per record, equal for records that say the same of a company: the name in
    usual spelling, and the country and domain where given. "Acme Logistics" of the US at
    acmelog.com and "Acme Logistics" of Germany at acme-logistik.de are two companies."""
    return records.select(
        pl.concat_str(
            pl.col(USUAL).list.join(" "),
            pl.col(schema.COUNTRY).fill_null(""),
            pl.col(schema.DOMAIN).fill_null(""),
            separator="|",
        )
    ).to_series()


def with_rivalry(
    frame: pl.DataFrame, lists: pl.Series | None = None, alike: pl.Series | None = None
) -> pl.DataFrame:
    """``frame``, the feature frame of every candidate pair, with the competition each pair
    meets at its two records, read on ``words_covered`` (how much of one name the other
    holds), among the candidates of the other record's list (``lists`` names each record's
    list, when several are matched: one company in three partners' lists is no rival to
    itself):

    - ``margin``: how much more of a name this pair covers than the best other candidate
      of either record (0 when another does as well): "Sage" matches "Sage Group PLC"
      alone, not beside "Sage Therapeutics";
    - ``rivals``: how many other candidates of either record cover as much, as a share of
      ``MAX_RIVALS``.

    A rival is another company: candidates written alike (equal ``alike``, see
    ``written_alike``) are one company listed twice, not two competing, so a list of a
    company's many spellings does not make each of them ambiguous.

    Needs every pair of a record at once: run it over all chunks of pairs together.
    """
    covered = frame["words_covered"].to_numpy()
    n = len(frame)
    left, right = frame[LEFT_ROW].to_numpy(), frame[RIGHT_ROW].to_numpy()
    other_list = np.zeros(2 * n, dtype=np.uint64)
    if lists is not None:
        codes = lists.cast(pl.Categorical).to_physical().cast(pl.UInt64).to_numpy()
        other_list = np.concatenate([codes[right], codes[left]])
    other_name = np.concatenate([right, left]).astype(np.uint64)  # without names: each record
    if alike is not None:
        written = alike.hash().to_numpy()
        other_name = np.concatenate([written[right], written[left]])
    # each pair twice, once at each record, grouped by record and the other record's list
    record = np.concatenate([left, right])
    end = record.astype(np.uint64) * np.uint64(2**32) + other_list
    # one entry per record, other list and other name: the best cover of that name
    by_name = _stable_order(end, other_name)
    end_sorted, name_sorted = end[by_name], other_name[by_name]
    new_name = np.r_[
        True, (end_sorted[1:] != end_sorted[:-1]) | (name_sorted[1:] != name_sorted[:-1])
    ]
    entry = np.empty(2 * n, dtype=np.int64)
    entry[by_name] = np.cumsum(new_name) - 1
    both_covered = np.concatenate([covered, covered])[by_name].astype(np.float64)
    value = np.maximum.reduceat(both_covered, np.flatnonzero(new_name))
    entry_end = np.empty(len(value), dtype=np.uint64)
    entry_end[entry] = end
    beaten, ties = _competition(entry_end, value)
    other, rivals = beaten[entry], ties[entry]
    margin = covered - np.maximum(other[:n], other[n:])
    count = np.maximum(rivals[:n], rivals[n:])
    return frame.with_columns(
        margin=pl.Series(np.clip(margin, 0, 1), dtype=pl.Float32),
        rivals=pl.Series(np.clip(count, 0, MAX_RIVALS) / MAX_RIVALS, dtype=pl.Float32),
    )


def contested(frame: pl.DataFrame) -> pl.Series:
    """Whether each pair of a feature frame (``with_rivalry``'s) meets competition: another
    candidate of one of its records covers as much of a name, or some of it."""
    covered = pl.col("words_covered").clip(0, 1)
    return frame.select((pl.col("rivals") > 0) | (pl.col("margin") < covered)).to_series()


def unrivalled(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the rivalry features each pair would have met with no competition:
    the pair read as if its records had no other candidates."""
    return frame.with_columns(
        margin=pl.col("words_covered").clip(0, 1).cast(pl.Float32),
        rivals=pl.lit(0.0, dtype=pl.Float32),
    )


def _stable_order(end: np.ndarray, key: np.ndarray, *, best_first: bool = False) -> np.ndarray:
    """The stable order of entries by ``end``, then by ``key`` (highest first with
    ``best_first``): ``np.lexsort`` as polars sorts it, on every core."""
    by = pl.DataFrame({"end": end, "key": key}).select(
        pl.arg_sort_by("end", "key", descending=[False, best_first], maintain_order=True)
    )
    return by.to_series().to_numpy()


def _competition(end: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of a group (``end``) with ``value``: the best value of its group's
    other entries, and how many other entries of its group reach its value."""
    m = len(value)
    order = _stable_order(end, value, best_first=True)
    end_sorted, value_sorted = end[order], value[order]
    new_end = np.r_[True, end_sorted[1:] != end_sorted[:-1]]
    starts = np.flatnonzero(new_end)
    group = np.cumsum(new_end) - 1
    first = starts[group]
    size = np.diff(np.r_[starts, m])[group]
    # the last of the ties of each value: how many of the end's entries reach as much
    tie_end = np.r_[new_end[1:] | (value_sorted[1:] != value_sorted[:-1]), True]
    last_tie = np.flatnonzero(tie_end)[np.cumsum(np.r_[True, tie_end[:-1]]) - 1]
    best = value_sorted[first]
    second = np.where(size > 1, value_sorted[np.minimum(first + 1, m - 1)], 0.0)
    beaten, ties = np.empty(m), np.empty(m)
    beaten[order] = np.where(value_sorted < best, best, second)
    ties[order] = last_tie - first
    return beaten, ties
