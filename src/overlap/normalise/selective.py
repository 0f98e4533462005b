"""Costly steps on text run only where they can change it: the few texts that need them."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from overlap.normalise.text import once


def replaced_where_signed(
    expr: pl.Expr, pattern: str, signs: list[str], replacement: str = ""
) -> pl.Expr:
    """``expr`` with ``pattern`` replaced, looked for only in the texts holding one of
    ``signs`` (an Aho-Corasick pass, far cheaper than the pattern over every text)."""

    def replaced(text: pl.Expr) -> pl.Expr:
        signed = pl.when(text.str.contains_any(signs, ascii_case_insensitive=True)).then(text)
        return pl.coalesce(signed.str.replace_all(pattern, replacement), text)

    return once(expr, replaced)


def worked_out_where(
    expr: pl.Expr,
    needed: Callable[[pl.Series], pl.Series],
    work: Callable[[pl.Series], pl.Series],
    *,
    others_null: bool = False,
) -> pl.Expr:
    """``work`` on the texts ``needed`` picks (a few in a hundred or a thousand), batch by
    batch; the other texts as they are, or null with ``others_null``."""

    def batch(texts: pl.Series) -> pl.Series:
        others = pl.repeat(None, len(texts), dtype=pl.String, eager=True) if others_null else texts
        rows = needed(texts).fill_null(False).arg_true()
        if rows.is_empty():
            return others
        return others.clone().scatter(rows, work(texts.gather(rows)))

    # elementwise: polars hands over the column chunk by chunk, and keeps working on the
    # chunks in parallel after it (as one column, the name folding that follows ran on one
    # core: 0.33 s -> 0.59 s for a million names)
    return expr.map_batches(batch, return_dtype=pl.String, is_elementwise=True)
