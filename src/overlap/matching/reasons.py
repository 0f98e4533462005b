"""What a reason says of two names: what was compared, in words a reviewer can check.

A token-set score of 100% reads as identical names when one name merely holds every
word of the other ("Reliance Industries" in "Reliance Chemotex Industries"); so the
reason says which comparison held: the same name, the same name once legal forms are
removed, every word of one name in the other (and whether the words left over are
generic), or some percent alike letter by letter.
"""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.matching.spelling import USUAL, singular


def _quoted(column: str) -> pl.Expr:
    return pl.lit("'") + pl.col(column) + pl.lit("'")


def _words(words: pl.Expr) -> pl.Expr:
    """ "'group', 'plc'": the words quoted, joined by commas."""
    return words.list.eval(pl.lit("'") + pl.element() + pl.lit("'")).list.join(", ")


def _left_over(extra: pl.Expr, generic: list[str]) -> pl.Expr:
    """What the words one name adds are: "'group' is generic", "'group', 'plc' are
    generic", "'chemotex' is not generic", "'group' is generic, 'chemotex' is not"."""
    common = extra.list.eval(pl.element().filter(pl.element().is_in(generic)))
    rare = extra.list.eval(pl.element().filter(~pl.element().is_in(generic)))

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


def name_phrases(told: list[pl.Expr], generic: list[str]) -> list[pl.Expr]:
    """The phrases about two names, the first that holds told: the same name as written,
    the same name but for the country one carries, ``told`` (the name phrases of
    ``compare.FEATURE_TABLE``: the same name after removing legal forms, an acronym, no
    name), every word of one in the other, else how alike they are letter by letter.

    Reads the pair columns ``name``, ``name_country`` and ``usual`` of both records and
    the features ``name_ratio``.
    """
    left, right = (pl.col(side(schema.NAME)) for side in (schema.left, schema.right))
    as_written = (
        left.str.strip_chars().str.to_lowercase() == right.str.strip_chars().str.to_lowercase()
    )
    l_country, r_country = (
        pl.col(side(schema.NAME_COUNTRY)) for side in (schema.left, schema.right)
    )
    # in the singular: "Kestrel Foods" holds every word of "Kestrel Food Services"
    l_words, r_words = (
        pl.col(side(USUAL)).list.eval(singular(pl.element()))
        for side in (schema.left, schema.right)
    )
    only_l, only_r = l_words.list.set_difference(r_words), r_words.list.set_difference(l_words)
    shared = l_words.list.set_intersection(r_words).list.len() > 0

    def within(inner: str, outer: str, extra: pl.Expr) -> pl.Expr:
        return (
            pl.lit("every word of ")
            + _quoted(inner)
            + pl.lit(" is in ")
            + _quoted(outer)
            + pl.lit("; ")
            + _left_over(extra, generic)
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
        pl.when(shared & (only_l.list.len() == 0) & (only_r.list.len() > 0)).then(
            within(schema.left(schema.NAME), schema.right(schema.NAME), only_r)
        ),
        pl.when(shared & (only_r.list.len() == 0) & (only_l.list.len() > 0)).then(
            within(schema.right(schema.NAME), schema.left(schema.NAME), only_l)
        ),
        pl.lit("names ") + percent + pl.lit("% alike (spelling)"),
    ]
