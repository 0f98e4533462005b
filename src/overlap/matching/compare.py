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
    SORTED_TOKENS,
    one_is_acronym,
    similarity,
)
from overlap.matching.name_words import name_weights, word_measures
from overlap.matching.spelling import TOKENS, USUAL, singular
from overlap.normalise.acronyms import initials, short_form

SORTED_NAME = "sorted_name"  # core tokens sorted, joined: word order says little in names
COMPACT_NAME = "compact_name"  # core tokens joined without spaces
HOUSE_NUMBER = "house_number"

COMPARED = (
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
"""The record columns ``features`` reads of both records of a pair (``pair_frame``)."""


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
    """A measure of the name tokens the two records hold (one of ``name_words.MEASURES``, see
    ``name_words.word_measures``)."""

    measure: str


@dataclass(frozen=True)
class Rivalry:
    """A measure of the competition a pair meets among its records' other candidates (one
    of ``name_words.RIVALRY``, see ``name_words.with_rivalry``), worked out over all pairs
    after ``features``."""

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
        "core_equal",
        _on_left(SORTED_NAME) == _on_right(SORTED_NAME),
        Told(_NAME, "same name after removing legal forms"),
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
    # last: ``with_rivalry`` adds them after the others, over all chunks of pairs
    Feature("margin", Rivalry("margin")),
    Feature("rivals", Rivalry("rivals")),
)
"""Every feature, declared once, in the order the model reads them (a saved model lists
their names in this order)."""

FEATURES: tuple[str, ...] = tuple(feature.name for feature in FEATURE_TABLE)
"""The feature columns' names, in ``FEATURE_TABLE``'s order."""


def pair_frame(records: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """The compared columns of both records of each pair, suffixed ``_l`` and ``_r``."""
    compared = records.select(COMPARED)
    left = compared.select(pl.all().gather(pairs[LEFT_ROW]).name.suffix(schema.LEFT))
    right = compared.select(pl.all().gather(pairs[RIGHT_ROW]).name.suffix(schema.RIGHT))
    return pl.concat([pairs.select(LEFT_ROW, RIGHT_ROW), left, right], how="horizontal")


def record_columns() -> list[pl.Expr]:
    """Per-record values the comparison reads, computed once per record, not per pair."""
    tokens = pl.col(TOKENS)
    in_order = pl.when(tokens.list.len() > 0).then(tokens.list.sort().list.join(" "))
    return [
        in_order.alias(SORTED_TOKENS),
        singular(in_order).alias(SORTED_NAME),
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
    shared = word_measures(
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
