"""What a reason says of two names: what was compared, in words a reviewer can check.

A token-set score of 100% reads as identical names when one name merely holds every
word of the other ("Reliance Industries" in "Reliance Chemotex Industries"); so the
reason says which comparison held: the same name, the same name once legal forms are
removed, every word of one name in the other (and whether the words left over are
generic), or some percent alike letter by letter.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from overlap import schema
from overlap.matching.spelling import USUAL, singular

SIDES = (schema.left, schema.right)
SHARED = "shares_a_word"  # pair column: the two names share a word
ONLY, GENERIC, RARE = "only_words", "only_generic", "only_rare"
"""Pair columns ``with_words_apart`` adds on each side: the words (in the singular) of
that side's name the other name lacks, and those of them generic and not."""


def with_words_apart(compared: pl.DataFrame, generic: list[str]) -> pl.DataFrame:
    """``compared`` (pair columns ``usual`` of both records) with the columns
    ``name_phrases`` reads: per side, ``ONLY``, ``GENERIC`` and ``RARE``.

    Worked out once as columns, not within each phrase: a phrase is computed over every
    pair, whether or not it is told."""
    # in the singular: "Kestrel Foods" holds every word of "Kestrel Food Services"
    words = [pl.col(side(USUAL)).list.eval(singular(pl.element())) for side in SIDES]
    apart = compared.with_columns(
        words[0].list.set_difference(words[1]).alias(schema.left(ONLY)),
        words[1].list.set_difference(words[0]).alias(schema.right(ONLY)),
        (words[0].list.set_intersection(words[1]).list.len() > 0).alias(SHARED),
    )
    is_generic = pl.element().is_in(generic)
    return apart.with_columns(
        column
        for side in SIDES
        for column in (
            pl.col(side(ONLY)).list.eval(pl.element().filter(is_generic)).alias(side(GENERIC)),
            pl.col(side(ONLY)).list.eval(pl.element().filter(~is_generic)).alias(side(RARE)),
        )
    )


def _quoted(column: str) -> pl.Expr:
    return pl.lit("'") + pl.col(column) + pl.lit("'")


def _words(words: pl.Expr) -> pl.Expr:
    """ "'group', 'plc'": the words quoted, joined by commas."""
    return pl.lit("'") + words.list.join("', '") + pl.lit("'")


def _left_over(side: Callable[[str], str]) -> pl.Expr:
    """What the words one name adds are: "'group' is generic", "'group', 'plc' are
    generic", "'chemotex' is not generic", "'group' is generic, 'chemotex' is not"."""
    common, rare = pl.col(side(GENERIC)), pl.col(side(RARE))

    def verb(words: pl.Expr) -> pl.Expr:
        return pl.when(words.list.len() == 1).then(pl.lit(" is")).otherwise(pl.lit(" are"))

    return (
        pl.when(rare.list.len() == 0)
        .then(_words(common) + verb(common) + pl.lit(" generic"))
        .when(common.list.len() == 0)
        .then(_words(rare) + verb(rare) + pl.lit(" not generic"))
        .otherwise(
            _words(common)
            + verb(common)
            + pl.lit(" generic, ")
            + _words(rare)
            + verb(rare)
            + pl.lit(" not")
        )
    )


def name_phrases(told: list[pl.Expr]) -> list[pl.Expr]:
    """The phrases about two names, the first that holds told: the same name as written,
    the same name but for the country one carries, ``told`` (the name phrases of
    ``compare.FEATURE_TABLE``: the same name after removing legal forms, an acronym, no
    name), every word of one in the other, else how alike they are letter by letter.

    Reads the pair columns ``name`` and ``name_country`` of both records, the columns of
    ``with_words_apart`` and the feature ``name_ratio``.
    """
    left, right = (pl.col(side(schema.NAME)) for side in SIDES)
    as_written = (
        left.str.strip_chars().str.to_lowercase() == right.str.strip_chars().str.to_lowercase()
    )
    l_country, r_country = (pl.col(side(schema.NAME_COUNTRY)) for side in SIDES)

    def within(outer: Callable[[str], str], inner: Callable[[str], str]) -> pl.Expr:
        """Every word of the ``inner`` side's name is in the ``outer`` side's."""
        holds = pl.col(SHARED) & (pl.col(inner(ONLY)).list.len() == 0)
        return pl.when(holds & (pl.col(outer(ONLY)).list.len() > 0)).then(
            pl.lit("every word of ")
            + _quoted(inner(schema.NAME))
            + pl.lit(" is in ")
            + _quoted(outer(schema.NAME))
            + pl.lit("; ")
            + _left_over(outer)
        )

    percent = (pl.col("name_ratio") * 100).round(0).cast(pl.Int64).cast(pl.String)
    return [
        pl.when(as_written).then(pl.lit("same name")),
        pl.when((pl.col("core_equal") > 0) & l_country.ne_missing(r_country)).then(
            pl.lit("same name but for the country ")
            + pl.coalesce(l_country, r_country)
            + pl.lit(" one carries")
        ),
        *told,
        within(schema.right, schema.left),
        within(schema.left, schema.right),
        pl.lit("names ") + percent + pl.lit("% alike (spelling)"),
    ]
