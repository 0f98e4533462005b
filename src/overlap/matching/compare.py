"""Similarity features of candidate pairs, declared in one table (``FEATURE_TABLE``).

String similarities come from rapidfuzz's batch function ``process.cpdist``
(C++, all cores), agreement features from polars expressions: nothing loops over
pairs in Python. Every feature is a float in [0, 1]; missing values give 0 for
both the agreement and the disagreement feature of a field, so "unknown" is
never read as "different".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

SORTED_NAME = "sorted_name"  # core tokens sorted, joined: word order says little in names
COMPACT_NAME = "compact_name"  # core tokens joined without spaces
HOUSE_NUMBER = "house_number"

_COMPARED = (
    schema.NAME_CORE,
    USUAL,
    SORTED_NAME,
    INITIALS,
    SHORT_FORM,
    COMPACT_NAME,
    schema.DOMAIN_LABEL,
    schema.PHONE_KEY,
    HOUSE_NUMBER,
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


@dataclass(frozen=True)
class Similarity:
    """A rapidfuzz ``scorer``'s similarity of both records' ``column``; with ``against``,
    the better of each record's ``column`` against the other's ``against``."""

    column: str
    scorer: Callable[..., float]
    against: str | None = None

    def of(self, both: pl.DataFrame) -> np.ndarray:
        """The similarity of each pair of a ``pair_frame``."""

        def scored(one: Callable[[str], str], other: Callable[[str], str]) -> np.ndarray:
            compared = both[other(self.against or self.column)]
            return similarity(both[one(self.column)], compared, self.scorer)

        if self.against is None:
            return scored(schema.left, schema.right)
        return np.maximum(scored(schema.left, schema.right), scored(schema.right, schema.left))


@dataclass(frozen=True)
class SharedTokens:
    """A measure of the name tokens the two records hold (one of ``MEASURES``, see
    ``_token_overlap``)."""

    measure: str


@dataclass(frozen=True)
class Rivalry:
    """A measure of the competition a pair meets among its records' other candidates (one
    of ``RIVALRY``, see ``with_rivalry``): worked out over all pairs, after ``features``."""

    measure: str


@dataclass(frozen=True)
class Told:
    """What a pair's reason says where its feature holds: reaches ``at_least`` (a flag
    holds at 1). ``detail``, an expression over the pair, follows the phrase; ``about``
    is the compared column, which places the phrase in the reason (``resolve.reasons``)."""

    about: str
    phrase: str
    detail: pl.Expr | None = None
    at_least: float = 1.0


@dataclass(frozen=True)
class Feature:
    """A feature column: its name, how it is worked out (an expression over the
    ``pair_frame``, a ``Similarity`` or a measure of ``SharedTokens``), and what a
    reason tells of it, if anything."""

    name: str
    value: pl.Expr | Similarity | SharedTokens | Rivalry
    told: Told | None = None


def _on_left(column: str) -> pl.Expr:
    return pl.col(schema.left(column))


def _on_right(column: str) -> pl.Expr:
    return pl.col(schema.right(column))


def _equal(column: str) -> pl.Expr:
    """Both records hold ``column`` and it is equal."""
    a, b = _on_left(column), _on_right(column)
    return (a.is_not_null() & b.is_not_null() & (a == b)).cast(pl.Float32)


def _differ(column: str) -> pl.Expr:
    """Both records hold ``column`` and it differs."""
    a, b = _on_left(column), _on_right(column)
    return (a.is_not_null() & b.is_not_null() & (a != b)).cast(pl.Float32)


def versus(column: str) -> pl.Expr:
    """ " (left vs right)": the two records' values of ``column``, "?" for a missing one."""
    left, right = (pl.col(side(column)).fill_null("?") for side in (schema.left, schema.right))
    return pl.lit(" (") + left + pl.lit(" vs ") + right + pl.lit(")")


def _abroad(one: Callable[[str], pl.Expr], other: Callable[[str], pl.Expr]) -> pl.Expr:
    """One's name carries a country ("Acme Deutschland GmbH") the other is not in."""
    named = one(schema.NAME_COUNTRY)
    elsewhere = (other(schema.COUNTRY_CODE) != named) & other(schema.NAME_COUNTRY).is_null()
    return elsewhere.fill_null(False)


def _leads(one: pl.Expr, other: pl.Expr) -> pl.Expr:
    """``one``'s words (a list) are the first words of ``other``'s, in order."""
    return (other.list.join(" ") + " ").str.starts_with(one.list.join(" ") + " ")


# One name's words first in the other, the rest after them: a brand and its company's
# registered name ("Sage" / "Sage Group PLC", "Costco" / "Costco Wholesale Corp"), unlike a
# word put between them, which names another company of the family ("Bajaj Finance" /
# "Bajaj Housing Finance").
_LEADING_WORDS = (
    _leads(_on_left(USUAL), _on_right(USUAL)) | _leads(_on_right(USUAL), _on_left(USUAL))
).fill_null(False)

_SHORTEST = pl.min_horizontal(
    _on_left(schema.NAME_CORE).str.len_chars(), _on_right(schema.NAME_CORE).str.len_chars()
).fill_null(0)
_DOMAINS = (schema.DOMAIN, schema.EMAIL_DOMAIN)
_BOTH_DOMAINS = pl.any_horizontal(_on_left(d).is_not_null() for d in _DOMAINS) & pl.any_horizontal(
    _on_right(d).is_not_null() for d in _DOMAINS
)
_SHARED_DOMAIN = pl.any_horizontal(
    (_on_left(a) == _on_right(b)).fill_null(False) for a in _DOMAINS for b in _DOMAINS
)
# One name under two suffixes, a company's country sites (acme.com, acme.de), is no
# disagreement: namesakes abroad are told apart by their countries.
SISTER_SITES = (_on_left(schema.DOMAIN_LABEL) == _on_right(schema.DOMAIN_LABEL)).fill_null(False)
_NAME, _DOMAIN, _COUNTRY = schema.NAME_CORE, schema.DOMAIN, schema.COUNTRY_CODE

FEATURE_TABLE: tuple[Feature, ...] = (
    Feature("name_ratio", Similarity(SORTED_NAME, fuzz.ratio)),
    Feature("name_token_set", Similarity(SORTED_NAME, fuzz.token_set_ratio)),
    Feature("name_partial", Similarity(SORTED_NAME, fuzz.partial_ratio)),
    Feature("name_jaro_winkler", Similarity(SORTED_NAME, JaroWinkler.normalized_similarity)),
    Feature(
        "core_equal", _on_left(SORTED_NAME) == _on_right(SORTED_NAME), Told(_NAME, "same name")
    ),
    Feature(
        "acronym",
        one_is_acronym(_on_left, _on_right),
        Told(_NAME, "one name is the acronym of the other"),
    ),
    Feature("token_overlap", SharedTokens("share")),
    Feature("shared_rarity", SharedTokens("rarest")),
    Feature("words_covered", SharedTokens("covered")),
    Feature("words_covered_least", SharedTokens("covered_least")),
    Feature("extra_word", SharedTokens("extra")),
    Feature("leading_words", _LEADING_WORDS),
    Feature("both_extra_words", SharedTokens("both_extra")),
    Feature("margin", Rivalry("margin")),
    Feature("rivals", Rivalry("rivals")),
    Feature("short_name", 1.0 - (_SHORTEST.clip(0, 12) / 12.0)),
    Feature(
        "name_missing",
        _on_left(_NAME).is_null() | _on_right(_NAME).is_null(),
        Told(_NAME, "no name on one side"),
    ),
    Feature(
        "domain_equal",
        _BOTH_DOMAINS & _SHARED_DOMAIN,
        Told(_DOMAIN, "same domain ", _on_left(_DOMAIN).fill_null(_on_left(schema.EMAIL_DOMAIN))),
    ),
    Feature(
        "domain_differ",
        _BOTH_DOMAINS & ~_SHARED_DOMAIN & ~SISTER_SITES,
        Told(_DOMAIN, "domains differ", versus(_DOMAIN)),
    ),
    Feature(
        "domain_name", Similarity(schema.DOMAIN_LABEL, fuzz.partial_ratio, against=COMPACT_NAME)
    ),
    Feature(
        "registry_equal",
        _equal(schema.REGISTRY_NORM),
        Told(schema.REGISTRY_NORM, "same registry id"),
    ),
    Feature(
        "registry_differ",
        _differ(schema.REGISTRY_NORM),
        Told(schema.REGISTRY_NORM, "registry ids differ"),
    ),
    Feature("country_equal", _equal(_COUNTRY), Told(_COUNTRY, "both in ", _on_left(_COUNTRY))),
    Feature(
        "country_differ", _differ(_COUNTRY), Told(_COUNTRY, "countries differ", versus(_COUNTRY))
    ),
    Feature(
        "subsidiary",
        _abroad(_on_left, _on_right) | _abroad(_on_right, _on_left),
        Told(
            schema.NAME_COUNTRY,
            "named as a subsidiary in ",
            pl.coalesce(_on_left(schema.NAME_COUNTRY), _on_right(schema.NAME_COUNTRY)),
        ),
    ),
    Feature("state_equal", _equal(schema.STATE_NORM)),
    Feature("state_differ", _differ(schema.STATE_NORM)),
    Feature(
        "city_similarity",
        Similarity(schema.CITY_NORM, fuzz.ratio),
        Told(schema.CITY_NORM, "same city ", _on_left(schema.CITY_NORM), at_least=0.9),
    ),
    Feature(
        "postal_equal", _equal(schema.POSTAL_NORM), Told(schema.POSTAL_NORM, "same postal code")
    ),
    Feature("postal_differ", _differ(schema.POSTAL_NORM)),
    Feature("phone_equal", _equal(schema.PHONE_KEY), Told(schema.PHONE_KEY, "same phone")),
    Feature("phone_differ", _differ(schema.PHONE_KEY)),
    Feature(
        "address_similarity",
        Similarity(schema.ADDRESS_NORM, fuzz.token_sort_ratio),
        Told(schema.ADDRESS_NORM, "same address", at_least=0.9),
    ),
    Feature(
        "house_number_differ", _differ(HOUSE_NUMBER), Told(HOUSE_NUMBER, "street numbers differ")
    ),
)
"""Every feature, declared once, in the order the model reads them (a saved model lists
their names in this order)."""

FEATURES: tuple[str, ...] = tuple(feature.name for feature in FEATURE_TABLE)
"""The feature columns' names, in ``FEATURE_TABLE``'s order."""


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
"""What ``_token_overlap`` measures of the words two names share and the words one holds alone."""


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


def _token_overlap(
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


def with_rivalry(frame: pl.DataFrame, lists: pl.Series | None = None) -> pl.DataFrame:
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

    Needs every pair of a record at once: run it over all chunks of pairs together.
    """
    covered = frame["words_covered"].to_numpy()
    n = len(frame)
    other_list = np.zeros(2 * n, dtype=np.uint64)
    if lists is not None:
        codes = lists.cast(pl.Categorical).to_physical().cast(pl.UInt64).to_numpy()
        other_list = np.concatenate(
            [codes[frame[RIGHT_ROW].to_numpy()], codes[frame[LEFT_ROW].to_numpy()]]
        )
    # each pair twice, once at each record, grouped by record and the other record's list
    record = np.concatenate([frame[LEFT_ROW].to_numpy(), frame[RIGHT_ROW].to_numpy()])
    end = record.astype(np.uint64) * np.uint64(2**32) + other_list
    value = np.concatenate([covered, covered])
    order = np.lexsort((-value, end))  # by end, the best covering first
    end_sorted, value_sorted = end[order], value[order]
    starts = np.flatnonzero(np.r_[True, end_sorted[1:] != end_sorted[:-1]])
    group = np.cumsum(np.r_[True, end_sorted[1:] != end_sorted[:-1]]) - 1
    first = starts[group]
    size = np.diff(np.r_[starts, 2 * n])[group]
    # the last of the ties of each value: how many of the end's pairs cover at least as much
    tie_end = np.r_[
        (end_sorted[1:] != end_sorted[:-1]) | (value_sorted[1:] != value_sorted[:-1]), True
    ]
    last_tie = np.flatnonzero(tie_end)[np.cumsum(np.r_[True, tie_end[:-1]]) - 1]
    best = value_sorted[first]
    second = np.where(size > 1, value_sorted[np.minimum(first + 1, 2 * n - 1)], 0.0)
    beaten = np.where(value_sorted < best, best, second)
    other = np.empty(2 * n)
    rivals = np.empty(2 * n)
    other[order], rivals[order] = beaten, last_tie - first
    margin = covered - np.maximum(other[:n], other[n:])
    count = np.maximum(rivals[:n], rivals[n:])
    return frame.with_columns(
        margin=pl.Series(np.clip(margin, 0, 1), dtype=pl.Float32),
        rivals=pl.Series(np.clip(count, 0, MAX_RIVALS) / MAX_RIVALS, dtype=pl.Float32),
    ).select(LEFT_ROW, RIGHT_ROW, *FEATURES)


def pair_frame(records: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The compared columns of both records of each pair, suffixed ``_l`` and ``_r``."""
    compared = records.select(_COMPARED)
    left = compared.select(pl.all().gather(pairs[LEFT_ROW]).name.suffix(schema.LEFT))
    right = compared.select(pl.all().gather(pairs[RIGHT_ROW]).name.suffix(schema.RIGHT))
    return pl.concat([pairs.select(LEFT_ROW, RIGHT_ROW), left, right], how="horizontal")


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
    """Feature frame (``i``, ``j`` and every column of ``FEATURES`` but the ``Rivalry`` ones,
    which ``with_rivalry`` adds over all chunks) of the candidate pairs.

    ``records`` carries ``record_columns()`` (``pipeline.prepare`` adds them).
    ``weights`` is ``name_weights(records, idf)``, worked out here if not given.
    """
    both = pair_frame(records, pairs)
    values = [(feature.name, feature.value) for feature in FEATURE_TABLE]
    shared = _token_overlap(
        pairs, both, idf, name_weights(records, idf) if weights is None else weights
    )
    result = pl.concat(
        [
            both.select(LEFT_ROW, RIGHT_ROW),
            pl.DataFrame({n: v.of(both) for n, v in values if isinstance(v, Similarity)}),
            both.select(v.alias(n) for n, v in values if isinstance(v, pl.Expr)),
            shared.select(
                pl.col(v.measure).alias(n) for n, v in values if isinstance(v, SharedTokens)
            ),
        ],
        how="horizontal",
    )
    return result.select(
        LEFT_ROW,
        RIGHT_ROW,
        *[pl.col(f).fill_null(0).cast(pl.Float32) for f in FEATURES if f in result.columns],
    )
