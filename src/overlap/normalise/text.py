"""Text folding shared by the normalisers: one spelling per letter, word and space.

Most of normalise's time goes into passes over every string, so they are few and
cheap: folding is one Aho-Corasick pass over lower-case text with a table of
characters built once from Unicode data (a fraction of the cost of
``str.normalize("NFKD")`` and a regular expression), and word replacement is
another. Regular expressions that replace many matches per string are the costly
kind: runs of spaces are collapsed by one of them, once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from functools import cache

import polars as pl
from anyascii import anyascii

# Apostrophes vanish without a space: "Macy's" -> "macys".
_APOSTROPHES = ("'", "’", "‘", "`", "´", "ʼ")
_AND = {"&": " and ", "+": " and "}
# HTML entities that web forms and exports leave in text: "Procter &amp; Gamble".
_ENTITIES = {"&amp;": " and ", "&#38;": " and ", "&#39;": "", "&apos;": "", "&quot;": " "}
_ENTITIES |= {"&nbsp;": " ", "&#160;": " "}
# Blocks whose characters the table spells out: Latin (and its extended additional
# block: Vietnamese), combining marks, Greek, Cyrillic (transliterated: "Газпром" ->
# "gazprom"), punctuation, letter-like and number forms, CJK punctuation, ligatures and
# full-width forms. Other scripts' letters (CJK, Hangul, kana...) are kept as written,
# and so are rarer symbols: a bigger table slows every string down.
_BLOCKS = (
    (0x0000, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x218F),
    (0x3000, 0x303F),
    (0xFB00, 0xFB4F),
    (0xFF00, 0xFFEF),
)


@cache
def fold_table() -> dict[str, str]:
    """Character of lower-case text -> its folded spelling, for every one folding changes.

    Combining marks and apostrophes vanish; other punctuation, symbols, spaces and
    control characters become a space; ``&`` and ``+`` become " and "; the HTML
    entities of those ("&amp;", "&nbsp;", ...) are read as the characters;
    accented and compatibility letters and digits become their NFKD base, and letters
    without an ASCII one their transliteration ("ß" -> "ss", "ø" -> "o", "ж" -> "zh").
    """
    table = {}
    for start, end in _BLOCKS:
        for code in range(start, end + 1):
            char = chr(code)
            if char.lower() != char:  # the text is lower case already
                continue
            category = unicodedata.category(char)
            if category[0] == "M":
                table[char] = ""
            elif category[0] in "PSZC" and char != " ":
                table[char] = " "
            else:
                base = "".join(
                    c if c.isalnum() else " "
                    for c in unicodedata.normalize("NFKD", char)
                    if not unicodedata.category(c).startswith("M")
                )
                if not base.isascii():
                    base = "".join(c for c in anyascii(char).lower() if c.isalnum())
                if base != char:
                    table[char] = base
    table.update(dict.fromkeys(_APOSTROPHES, ""))
    table.update(_AND)
    table.update(_ENTITIES)
    return table


def fold(expr: pl.Expr, extra: Mapping[str, str] | None = None) -> pl.Expr:
    """Lower case; accents and apostrophes dropped; punctuation as spaces; "&" as "and".

    "Müller & Søn's" -> "muller  and  sons" (runs of spaces are left to the caller).
    ``extra`` replacements of longer strings are made in the same pass, on the
    lower-case text.
    """
    table = fold_table() | dict(extra or {})
    patterns = sorted(table, key=len, reverse=True)  # the longest match wins
    return expr.str.to_lowercase().str.replace_many(
        patterns, [table[p] for p in patterns], leftmost=True
    )


def folded_padded(expr: pl.Expr, extra: Mapping[str, str] | None = None) -> pl.Expr:
    """``fold`` with single spaces between words and one space at either end.

    The end spaces let ``extra`` and ``replace_words`` patterns, which begin and end
    with a space, match the first and last words.
    """
    padded = pl.concat_str(pl.lit(" "), expr, pl.lit(" "))
    return fold(padded, extra).str.replace_all(" {2,}", " ")


def replace_words(padded: pl.Expr, mapping: Mapping[str, str]) -> pl.Expr:
    """Replace whole words and phrases of ``folded_padded`` text; strip the end spaces.

    Spaces are doubled first so that neighbouring words each have a space of their
    own on both sides: one Aho-Corasick pass replaces them all (longest phrase
    first), and every gap is two spaces again after it. Replacements are not empty.
    Most texts have none of the words: only those that do go through these passes
    (the others are null in them, which costs next to nothing).
    """
    keys = sorted(mapping, key=len, reverse=True)
    patterns = [" " + key.replace(" ", "  ") + " " for key in keys]
    replacements = [" " + mapping[key] + " " for key in keys]

    def rewrite(text: pl.Expr) -> pl.Expr:
        has_words = text.str.contains_any([f" {key} " for key in keys])
        doubled = pl.when(has_words).then(text).str.replace_all(" ", "  ", literal=True)
        replaced = doubled.str.replace_many(patterns, replacements, leftmost=True)
        rewritten = replaced.str.replace_all("  ", " ", literal=True)
        return pl.coalesce(rewritten, text).str.strip_chars(" ")

    return once(padded, rewrite)


def words(expr: pl.Expr, mapping: Mapping[str, str] | None = None) -> pl.Expr:
    """Folded words of letters and digits (any script) joined by single spaces.

    ``mapping`` replaces whole words and phrases: {"saint": "st"}.
    """
    padded = folded_padded(expr)
    return replace_words(padded, mapping) if mapping else padded.str.strip_chars(" ")


def null_if_empty(expr: pl.Expr) -> pl.Expr:
    """``expr`` with empty strings read as null."""
    return expr.replace("", None)


def per_distinct(expr: pl.Expr, transform: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``transform(expr)``, computed once per distinct value and looked up.

    For columns of few distinct values (countries, states, cities), where it
    saves nearly all the work; the result is the same either way.
    """
    distinct = expr.unique(maintain_order=True)
    return expr.replace_strict(distinct, transform(distinct), return_dtype=pl.String)


def once(expr: pl.Expr, transform: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """``transform(expr)``, with ``expr`` computed once however often ``transform`` uses it.

    Outside a lazy query's common subexpression elimination, polars computes a
    sub-expression each time it appears; a struct field holds it instead. The
    result is named like ``expr``, as a chain of methods on it would be.
    """
    value = pl.field("value")
    steps = pl.struct(value=expr).struct.with_fields(result=transform(value))
    result = steps.struct.field("result")
    name = expr.meta.output_name(raise_if_undetermined=False)
    return result if name is None else result.alias(name)
