"""Candidate pairs: which records are worth comparing, without comparing all with all.

Records are blocked on keys of several kinds; two records sharing a key become a
candidate pair. A block of at most ``max_block_size`` records pairs all its records;
a larger one (a company listed hundreds of times) is read in name order: each record
is paired with the next record of its name, and each distinct name with the next
``window`` names (sorted neighbourhood). Each record keeps at most ``max_candidates``
candidates, the ones whose shared keys are rarest. When several lists are matched,
records of one list are paired on exact keys only (strong keys and the name), and the
fuzzy keys pair records of different lists. Keys are hashed to integers, and every
step is a group-by, a sort or a shift over polars frames, so the work splits by key.

Key kinds (declared in ``KEYS``):
    domain    registrable domain of the website or of the e-mail
    registry  registry id or CRM cross-reference
    phone     last seven digits of the phone number
    address   house number and street of the address, within the postal code when known
    name      core name without spaces, as written and in usual spellings
              ("kestral logistics" -> "kestrellogistics" where "kestrel" is usual)
    acronym   a core name as an acronym writes it (``short_form``), or else its
              ``initials``, so that "international business machines" meets "ibm"
              and "procter and gamble" meets "p and g"
    token     the record's rarest core-name tokens, in their usual spelling, and its
              adjacent tokens joined ("blue peak" -> "bluepeak"), each if one to
              ``max_block_size`` names hold it as a token
    shortened core name without one of its words but the rarest, within the city,
              and the whole name within the city, so that a dropped word is forgiven
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from overlap import schema
from overlap.matching.config import MatchConfig
from overlap.matching.spelling import TOKENS, USUAL, respelt, usual_spellings

ROW = "row"
KIND = "kind"
KEY = "key"
LEFT_ROW = "i"
RIGHT_ROW = "j"
WEIGHT = "weight"
STRONG = "strong"
BLOCK = "block"
SIZE = "size"
LARGE = "large"
EXACT = "exact"
ORDER = "order"
NAME = "name_id"
LIST = "list"
HEAD = "head"
HOUSE_AND_STREET = "house_and_street"
Values = TypeVar("Values", pl.Expr, pl.Series)
INITIALS = "initials"  # record column: ``initials`` of its tokens (compare.record_columns)
SHORT_FORM = "short_form"  # record column: ``short_form`` of its tokens
SORTED_TOKENS = "sorted_tokens"  # record column: its tokens sorted, joined; null for none


def one_is_acronym(left: Callable[[str], Values], right: Callable[[str], Values]) -> Values:
    """Whether one of two records' names is the acronym of the other: the ``initials`` of
    one are the ``short_form`` of the other. ``left``/``right`` give a record column of
    each side, as expressions over a pair frame or as gathered series."""
    return (left(INITIALS) == right(SHORT_FORM)) | (right(INITIALS) == left(SHORT_FORM))


KeyRows = Callable[[pl.LazyFrame, pl.DataFrame, MatchConfig], pl.LazyFrame]
"""``(base, idf, config)`` -> (row, key): the keys of a kind a record may hold several of."""


@dataclass(frozen=True)
class Key:
    """A kind of blocking key: records sharing a key of the kind become candidates.

    ``values`` are expressions over the records (numbered ``row``, ``usual`` tokens in
    the spelling blocking reads), each giving one key a record, null for none; or,
    with ``rows``, over the frame ``rows`` makes of them. Keys shorter than two
    characters are dropped. All values of one kind meet: a website's domain meets an
    e-mail's.
    """

    kind: str
    values: tuple[pl.Expr, ...] = (pl.col(KEY),)
    rows: KeyRows | None = None
    strong: bool = False
    """Evidence by itself: a pair sharing the key is compared whatever its names."""
    exact: bool = False
    """Pairs records of one list: duplicates inside a list are written alike."""
    ordered: bool = True
    """A large block is read in name order; otherwise it pairs nothing (name order
    says nothing about shared initials)."""


def _addresses(base: pl.LazyFrame, _idf: pl.DataFrame, _config: MatchConfig) -> pl.LazyFrame:
    """(row, key) of the address keys of the records of ``base``: house number and street
    within the postal code.

    A record without a postal code takes each postal code that records at its house
    number and street in its city have ("4647 w washington" in Chicago meets "4647 w
    washington", 60644), and keeps a key of its own that meets records without one.
    """
    house_and_street = pl.col(schema.ADDRESS_NORM).str.extract(r"^(\d+\w*\s+\S+(?:\s+\S+)?)")
    postal = pl.col(schema.POSTAL_NORM)
    place = [HOUSE_AND_STREET, schema.CITY_NORM]
    addresses = base.select(
        ROW,
        house_and_street.alias(HOUSE_AND_STREET),
        postal,
        pl.col(schema.CITY_NORM).fill_null(""),
    ).filter(pl.col(HOUSE_AND_STREET).is_not_null())
    known = addresses.filter(postal.is_not_null())
    postal_codes = known.group_by(place).agg(postal.unique())
    unknown = addresses.filter(postal.is_null()).drop(schema.POSTAL_NORM)
    taken = unknown.join(postal_codes, on=place).explode(schema.POSTAL_NORM)
    own = unknown.with_columns(pl.lit("").alias(schema.POSTAL_NORM))
    return pl.concat([known, taken, own], how="diagonal").select(
        ROW, pl.concat_str(HOUSE_AND_STREET, schema.POSTAL_NORM, separator="|").alias(KEY)
    )


def _words(base: pl.LazyFrame, idf: pl.DataFrame, config: MatchConfig) -> pl.LazyFrame:
    """(row, key) of the token keys of the records of ``base``, which has a ``usual`` column.

    The keys are a record's rarest tokens and its adjacent tokens joined ("blue peak"
    meets "bluepeak"), each if a name holds it as one token and at most
    ``max_block_size`` names do: "global" or "services" would pair thousands of
    records with thousands.
    """
    words = base.select(ROW, USUAL)
    rarity = pl.element().replace_strict(idf["token"], idf["idf"], default=None)
    longer = pl.col(USUAL).list.len() > config.rare_tokens
    # sorting only the few names longer than rare_tokens keeps this cheap
    rarest = pl.concat(
        [
            words.filter(~longer),
            words.filter(longer).with_columns(
                pl.col(USUAL).list.eval(
                    pl.element()
                    .sort_by(rarity, descending=True, maintain_order=True)
                    .head(config.rare_tokens)
                )
            ),
        ]
    ).explode(USUAL)
    held_by = pl.col(USUAL).replace_strict(idf["token"], idf["df"], default=None)
    one_by_one = words.explode(USUAL)
    joined = pl.when(pl.col(ROW) == pl.col(ROW).shift(-1)).then(
        pl.col(USUAL) + pl.col(USUAL).shift(-1)
    )
    return (
        pl.concat([rarest, one_by_one.select(ROW, joined.alias(USUAL))])
        .filter(held_by <= config.max_block_size)
        .select(ROW, pl.col(USUAL).alias(KEY))
    )


def _shortened(base: pl.LazyFrame, idf: pl.DataFrame, _config: MatchConfig) -> pl.LazyFrame:
    """(row, key) of the shortened-name keys of the records of ``base`` (``usual`` tokens).

    A name of two words or more is a key within its city, and so is each name of three
    words or more without one word other than its rarest: "swiftshore global
    systemhaus" meets "swiftshore systemhaus" in Berlin. The city keeps "global
    systemhaus" from meeting every other "global systemhaus".
    """
    usual = pl.col(USUAL)
    in_city = pl.lit("|") + pl.col(schema.CITY_NORM).fill_null("")
    names = base.filter(usual.list.len() >= 2).select(
        ROW, USUAL, usual.list.join("").alias(KEY), in_city.alias(schema.CITY_NORM)
    )
    word, name = pl.col(USUAL), pl.col(KEY)
    length = word.str.len_chars()
    start = length.cum_sum().over(ROW) - length
    rarity = word.replace_strict(idf["token"], idf["idf"], default=None)
    shorter = (
        names.filter(usual.list.len() >= 3)
        .explode(USUAL)
        .select(
            ROW,
            pl.when(rarity < rarity.max().over(ROW))
            .then(name.str.slice(0, start) + name.str.slice(start + length))
            .alias(KEY),
            schema.CITY_NORM,
        )
    )
    return pl.concat([names.drop(USUAL), shorter]).select(ROW, name + pl.col(schema.CITY_NORM))


_DOMAIN, _E_MAIL = pl.col(schema.DOMAIN), pl.col(schema.EMAIL_DOMAIN)
_COMPACT = pl.col(TOKENS).list.join("")
_USUAL_COMPACT = pl.col(USUAL).list.join("")

KEYS = (
    Key(
        "domain",
        (_DOMAIN, pl.when(_E_MAIL.ne_missing(_DOMAIN)).then(_E_MAIL)),
        strong=True,
        exact=True,
    ),
    Key("registry", (pl.col(schema.REGISTRY_NORM),), strong=True, exact=True),
    Key("phone", (pl.col(schema.PHONE_KEY),), strong=True, exact=True),
    Key("address", rows=_addresses, strong=True, exact=True),
    Key("name", (_COMPACT, pl.when(_USUAL_COMPACT != _COMPACT).then(_USUAL_COMPACT)), exact=True),
    Key("acronym", (pl.coalesce(SHORT_FORM, INITIALS),), ordered=False),
    Key("token", rows=_words),
    Key("shortened", rows=_shortened),
)
"""The blocking keys, one ``Key`` a kind (see the module's docstring); a kind's place in
the table seeds the hash of its keys."""
KINDS = tuple(key.kind for key in KEYS)
STRONG_KINDS = tuple(key.kind for key in KEYS if key.strong)
"""Key kinds that are evidence by themselves (``Key.strong``)."""
EXACT_KINDS = tuple(key.kind for key in KEYS if key.exact)
"""Key kinds that pair records of one list (``Key.exact``)."""
UNORDERED_KINDS = tuple(key.kind for key in KEYS if not key.ordered)
"""Key kinds whose large blocks pair nothing (``Key.ordered``)."""


def _keys(records: pl.DataFrame, idf: pl.DataFrame, config: MatchConfig) -> pl.LazyFrame:
    """Long frame (row, kind, key) of every blocking key of ``KEYS`` of every record.

    Keys are hashed to 64 bits, with a seed of their own for each kind, so blocks are
    found by integer group-bys; a collision, once in billions of keys, merges two blocks.
    """
    # Blocking forgives any typo: the nearest more frequent spelling, however rare.
    spellings = usual_spellings(idf, config.typo_min_length)
    # worked out once, eagerly: every kind reads it, and a lazy plan's cache of it costs more
    base = records.with_row_index(ROW).with_columns(respelt(pl.col(USUAL), spellings)).lazy()
    kinds = pl.Enum(KINDS)
    keyed: list[pl.LazyFrame] = []
    for seed, key in enumerate(KEYS):
        frame = base if key.rows is None else key.rows(base, idf, config)
        keyed.extend(
            frame.select(ROW, value.alias(KEY))
            .filter(pl.col(KEY).str.len_chars() >= 2)
            .select(ROW, pl.lit(key.kind, dtype=kinds).alias(KIND), pl.col(KEY).hash(seed))
            for value in key.values
        )
    return pl.concat(keyed)


def candidate_pairs(
    records: pl.DataFrame,
    idf: pl.DataFrame,
    config: MatchConfig,
    *,
    lists: pl.Series | None = None,
) -> pl.DataFrame:
    """Candidate pairs ``(i, j, weight, strong)`` of row positions with ``i < j``.

    ``records`` is a normalised frame with ``tokens`` (see ``name_tokens``),
    ``usual`` (see ``in_usual_spelling``), ``initials``, ``short_form`` and
    ``sorted_tokens`` columns, as ``pipeline.prepare`` makes it;
    ``idf`` is ``token_frequencies`` of the usual tokens. ``weight`` is the summed
    rarity of the keys the pair shares: higher is more promising. ``strong`` says whether one of
    them is of a ``STRONG_KINDS`` kind. ``lists`` names the list of each record when
    several are matched: records of one list are then paired on ``EXACT_KINDS`` keys
    only, the other keys pair records of different lists.
    """
    members = _members(records, idf, config, lists=lists)
    small = members.filter(~pl.col(LARGE))
    heads = members.filter(pl.col(LARGE) & pl.col(HEAD))
    pairs = pl.concat(
        [
            *[
                _neighbours(small.filter(pl.col(SIZE) > step), step)
                for step in range(1, config.max_block_size)
            ],
            _neighbours(members.filter(LARGE), 1, same_name=True),
            *[_neighbours(heads, step) for step in range(1, config.window + 1)],
        ]
    )
    # one integer per pair groups and sorts faster than two columns
    pair = pl.col(LEFT_ROW).cast(pl.UInt64) * 2**32 + pl.col(RIGHT_ROW)
    merged = (
        # a name repeating a pair of words puts its record twice in one block
        pairs.filter(pl.col(LEFT_ROW) < pl.col(RIGHT_ROW))
        .group_by(pair.alias("pair"))
        .agg(pl.col(WEIGHT).sum(), pl.col(STRONG).any())
        .sort("pair")
        .select(
            (pl.col("pair") // 2**32).cast(pl.UInt32).alias(LEFT_ROW),
            (pl.col("pair") % 2**32).cast(pl.UInt32).alias(RIGHT_ROW),
            WEIGHT,
            STRONG,
        )
    )
    return merged.filter(_among_best(merged, WEIGHT, config.max_candidates))


def _members(
    records: pl.DataFrame, idf: pl.DataFrame, config: MatchConfig, *, lists: pl.Series | None
) -> pl.DataFrame:
    """One row per block of two or more records and record in it, in name order.

    Large blocks of ``UNORDERED_KINDS`` are left out; ``head`` marks the first member
    of each name in its block.
    """
    n = len(records)
    size = pl.col(ROW).list.len()
    blocks = (
        _keys(records, idf, config)
        .group_by(KEY)
        .agg(pl.col(ROW), pl.col(KIND).first())
        .filter(
            (size >= 2) & ((size <= config.max_block_size) | ~pl.col(KIND).is_in(UNORDERED_KINDS))
        )
        .select(
            ROW,
            pl.col(KIND).is_in(STRONG_KINDS).alias(STRONG),
            (pl.col(KIND).is_in(EXACT_KINDS) | (lists is None)).alias(EXACT),
            (math.log(n + 1) - (size + 1).cast(pl.Float64).log()).cast(pl.Float32).alias(WEIGHT),
            size.cast(pl.UInt32).alias(SIZE),
            (size > config.max_block_size).alias(LARGE),
        )
        .with_row_index(BLOCK)
        .explode(ROW)
        .collect()
    )
    in_order = _name_order(records).with_columns(
        (pl.lit(0, pl.UInt32) if lists is None else lists.rank("dense").cast(pl.UInt32)).alias(LIST)
    )
    first = (pl.col(BLOCK) != pl.col(BLOCK).shift(1)) | (pl.col(NAME) != pl.col(NAME).shift(1))
    return (
        pl.concat([blocks, in_order[blocks[ROW]]], how="horizontal")
        .sort(BLOCK, ORDER)
        .with_columns(first.fill_null(True).alias(HEAD))
    )


def _name_order(records: pl.DataFrame) -> pl.DataFrame:
    """Each record's position in name order (``order``), and the id of its name (``name_id``).

    Names are compared with their tokens sorted, as the comparison reads them; records of
    one name follow in order of their full name, then city.
    """
    by_name = (
        records.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW),
            pl.col(SORTED_TOKENS).fill_null("").alias("sorted_name"),
            schema.NAME_CLEAN,
            schema.CITY_NORM,
        )
        .sort("sorted_name", schema.NAME_CLEAN, schema.CITY_NORM, ROW)
        .select(
            ROW,
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(ORDER),
            (pl.col("sorted_name") != pl.col("sorted_name").shift(1))
            .fill_null(True)
            .cum_sum()
            .cast(pl.UInt32)
            .alias(NAME),
        )
    )
    return by_name.sort(ROW).drop(ROW)


def _neighbours(members: pl.DataFrame, step: int, *, same_name: bool = False) -> pl.DataFrame:
    """Pairs of members ``step`` apart in the order of ``members``, in one block.

    With ``same_name``, only members of one name are paired. Members of one list are
    paired only in blocks of an exact key.
    """
    other = pl.col(ROW).shift(-step)

    def next_equal(column: str) -> pl.Expr:
        return pl.col(column) == pl.col(column).shift(-step)

    paired = next_equal(BLOCK) & (pl.col(EXACT) | ~next_equal(LIST))
    if same_name:
        paired = paired & next_equal(NAME)
    return (
        members.select(
            pl.min_horizontal(ROW, other).alias(LEFT_ROW),
            pl.max_horizontal(ROW, other).alias(RIGHT_ROW),
            WEIGHT,
            STRONG,
            paired.alias("paired"),
        )
        .filter("paired")
        .drop("paired")
    )


def similarity(left: pl.Series, right: pl.Series, scorer: Callable[..., float]) -> np.ndarray:
    """Row-aligned similarity in [0, 1] of two string columns by a rapidfuzz ``scorer``
    (one batch call); 0 where either is null. Shared by the first look and ``compare``.

    Equal strings are alike by definition, and most candidate pairs hold equal cities,
    many equal names: only the pairs that differ are scored.
    """
    equal = (left == right).fill_null(False).to_numpy()
    differ = (left != right).fill_null(False)
    scores = np.where(equal, 1.0, 0.0).astype(np.float32)
    queries, choices = left.filter(differ).to_list(), right.filter(differ).to_list()
    scale = 1.0 if scorer is JaroWinkler.normalized_similarity else 100.0
    found = process.cpdist(queries, choices, scorer=scorer, workers=-1, dtype=np.float32)
    scores[differ.to_numpy()] = found / scale
    return scores


def promising(records: pl.DataFrame, pairs: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    """The candidate pairs worth comparing in full.

    Every pair sharing a strong key is kept. Of the others, a cheap first look (one
    rapidfuzz batch call on the core names, tokens sorted) keeps those whose names are
    at least ``min_name_similarity`` alike, or one the acronym of the other, and among
    the ``max_compared`` most promising pairs of one of their records, pairs with a
    strong key first.
    """
    names = records[SORTED_TOKENS]
    alike = similarity(
        names.gather(pairs[LEFT_ROW]), names.gather(pairs[RIGHT_ROW]), fuzz.token_set_ratio
    )
    acronyms = records.select(INITIALS, SHORT_FORM)
    left, right = acronyms[pairs[LEFT_ROW]], acronyms[pairs[RIGHT_ROW]]
    acronym = one_is_acronym(left.get_column, right.get_column)
    likeness = np.maximum(alike, acronym.fill_null(False).cast(pl.Float32).to_numpy())
    strong = pl.col(STRONG)
    scored = pairs.with_columns(priority=pl.Series(likeness) + strong.cast(pl.Float32)).filter(
        strong | (pl.col("priority") >= config.min_name_similarity)
    )
    return scored.filter(strong | _among_best(scored, "priority", config.max_compared)).drop(
        "priority"
    )


def _among_best(pairs: pl.DataFrame, by: str, k: int) -> pl.Series:
    """Whether each pair is among the ``k`` highest by ``by`` of at least one of its records.

    Ties go to the lower row. Only pairs between two records with more than ``k``
    pairs each can be left out, so only those are ranked.
    """
    left, right = pairs[LEFT_ROW].to_numpy(), pairs[RIGHT_ROW].to_numpy()
    degree = np.bincount(np.concatenate([left, right]))
    best = (degree[left] <= k) | (degree[right] <= k)
    contested = pairs.with_row_index("pair").filter(~pl.Series(best))
    ends = pl.concat(
        [
            contested.select(
                "pair", pl.col(LEFT_ROW).alias(ROW), by, pl.col(RIGHT_ROW).alias("other")
            ),
            contested.select(
                "pair", pl.col(RIGHT_ROW).alias(ROW), by, pl.col(LEFT_ROW).alias("other")
            ),
        ]
    )
    chosen = (
        ends.sort([ROW, by, "other"], descending=[False, True, False])
        .group_by(ROW, maintain_order=True)
        .head(k)
    )
    best[chosen["pair"].to_numpy()] = True
    return pl.Series(best)
