"""How an acronym writes a name: its initials, or the name when it is one already.

The matcher pairs "international business machines" with "ibm" on these, and the
sample generator names companies by their initials the same way.
"""

from __future__ import annotations

import polars as pl

JOINING_WORDS = ("and", "of", "the", "for", "de", "des", "du", "la", "le", "et", "und", "y")
"""Words an acronym leaves out: "Bank of America" is "BA", "Procter & Gamble" "PG"."""


def _acronym_words(tokens: pl.Expr) -> pl.Expr:
    """The tokens of a core name an acronym spells: all but its ``JOINING_WORDS``."""
    return tokens.list.eval(pl.element().filter(~pl.element().is_in(JOINING_WORDS)))


def initials(tokens: pl.Expr) -> pl.Expr:
    """First letters of the words of a core name but its joining words, where there are two
    or more: "procter and gamble" -> "pg"; null otherwise."""
    words = _acronym_words(tokens)
    letters = words.list.eval(pl.element().str.slice(0, 1)).list.join("")
    return pl.when(words.list.len() >= 2).then(letters)


def short_form(tokens: pl.Expr) -> pl.Expr:
    """A core name as an acronym is written: its one word ("ibm"), or its letters when it
    is nothing but letters and joining words ("p and g" -> "pg"); null otherwise."""
    letters = _acronym_words(tokens)
    all_letters = letters.list.eval(pl.element().str.len_chars() == 1).list.all()
    return (
        pl.when(tokens.list.len() == 1)
        .then(tokens.list.first())
        .when(all_letters & (letters.list.len() >= 2))
        .then(letters.list.join(""))
    )
