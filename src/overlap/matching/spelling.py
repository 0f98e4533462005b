"""Corpus-wide spelling: each record's core-name tokens as most names of the lists write them.

A token's usual spelling depends on every name matched together: "kestral" reads
"kestrel" where more names write "kestrel", "fed ex" reads "fedex" where more write
it as one word, and "Лукойл" (folded "lukoyl") reads "lukoil" where a Latin-written
name spells it so. Frequencies are counted over distinct names (``token_frequencies``),
so a company listed two hundred times does not make its words common.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from overlap.matching.rarity import background
from overlap.normalise.names import COMMON_WORDS
from overlap.normalise.text import replace_words

TOKENS = "tokens"  # record column: core-name tokens as written (``name_tokens``)
USUAL = "usual"  # record column: tokens in their usual spelling (``in_usual_spelling``)
_ROW = "row"
_KEY = "key"


def name_tokens(core: pl.Expr) -> pl.Expr:
    """Tokens of a core name, in order (empty list when there is no name)."""
    return core.fill_null("").str.split(" ").list.eval(pl.element().filter(pl.element() != ""))


def singular(words: pl.Expr) -> pl.Expr:
    """Words in the singular, by the rules of English plurals that names use: lists write
    "Helix Technologies" and "Helix Technology", "Acme Systems" and "Acme System" for one
    company. Not after "a", "i", "o", "s" or "u" ("Texas", "Analysis", "Kudos", "Glass")."""
    return words.str.replace_all(r"\b(\w{3,})ies\b", "${1}y").str.replace_all(
        r"\b(\w{2,}[^\Waiosu])s\b", "${1}"
    )


def token_frequencies(tokens: pl.Series) -> pl.DataFrame:
    """Document frequency and inverse document frequency of every token, over distinct names.

    A name repeated by duplicates of one company counts once: a list that holds
    "Akzo Nobel" two hundred times does not make "akzo" a common word. ``df`` counts
    the names of the list holding the token; ``idf = ln((n + 1) / (d + 1)) + 1``, the
    smoothed form scikit-learn uses, over the n distinct names of the list and of the
    real background list of names (``rarity.background``), d counting the token (in the
    singular) in both: "group" is common in any list, "india" in a list of Indian names.
    """
    distinct = tokens.unique().list.unique()
    known, names = background()
    n = len(distinct) + names
    return (
        distinct.explode()
        .drop_nulls()
        .value_counts(name="df")
        .rename({distinct.name: "token"})
        .join(
            known.rename({"names": "background"}),
            left_on=singular(pl.col("token")),
            right_on="token",
            how="left",
        )
        .with_columns(
            idf=((n + 1) / (pl.col("df") + pl.col("background").fill_null(0) + 1)).log() + 1.0
        )
        .select("token", "df", "idf")
    )


def usual_spellings(
    idf: pl.DataFrame,
    min_length: int,
    *,
    ratio: float = 1.0,
    attested: pl.Series | None = None,
) -> pl.DataFrame:
    """``token`` and ``usual``: the most frequent other token one edit away, or the same
    word in the singular or plural, where there is one (``variant``: a plural or an umlaut
    written out, not a typo); ``idf`` counts (``df``) how many names or records hold each
    ``token``.

    One edit is a character dropped, added, replaced or two swapped: such tokens share
    a one-character deletion (symmetric delete, over the vocabulary, not the records);
    a word and its plural share their ``singular``.
    Ties go to the first in alphabetical order, so "kestrel" and "kestral", one record
    each, both read "kestral". Tokens shorter than ``min_length`` keep their spelling:
    one edit turns most short words into other words. With ``ratio`` above 1, a token
    is read as another only if at least ``ratio`` times as many names hold the other:
    "fenavia" and "genavia", each the name of several companies, stay apart. A word of
    ``COMMON_WORDS`` is no typo: "eastern" is not "western" misspelt; nor is a token of
    ``attested`` (``attested_spellings``): "Cigna" and "Ciena", each written so in two
    lists, are two companies, not two misspellings of "China". An umlaut
    written out is not a typo, nor is a plural: "mueller" and "muller" (as "Müller" folds),
    "technologies" and "technology" read as the one more names hold, however few more;
    the folded one, the singular, if as many; so too a word one letter shorter than
    ``min_length`` ("duerr" and "durr").
    """
    # one letter shorter too: "durr" is "Dürr" folded, "duerr" the umlaut written out
    vocabulary = idf.lazy().filter(pl.col("token").str.len_chars() >= min_length - 1)
    longest = int(idf["token"].str.len_chars().max() or 0)  # type: ignore[arg-type]
    token = pl.col("token")
    unattested = pl.lit(True) if attested is None else ~token.is_in(attested.implode())
    deletions = vocabulary.select(
        "token",
        "df",
        pl.concat_list(
            token,
            singular(token),
            *[token.str.slice(0, at) + token.str.slice(at + 1) for at in range(longest)],
        )
        .list.unique()
        .alias("deletion"),
    ).explode("deletion")
    return (
        deletions.join(
            deletions.select(
                pl.col("token").alias("usual"), pl.col("df").alias("usual_df"), "deletion"
            ),
            on="deletion",
        )
        .filter(pl.col("usual") != token)
        .with_columns(
            plain=(_without_umlaut_e(token) == pl.col("usual"))
            | (singular(token) == pl.col("usual")),
            written_out=(_without_umlaut_e(pl.col("usual")) == token)
            | (singular(pl.col("usual")) == token),
        )
        .with_columns(variant=pl.col("plain") | pl.col("written_out"))
        .filter(
            pl.when("variant")
            .then(
                (pl.col("usual_df") > pl.col("df"))
                | ((pl.col("usual_df") == pl.col("df")) & pl.col("plain"))
            )
            .otherwise(
                (
                    pl.min_horizontal(token.str.len_chars(), pl.col("usual").str.len_chars())
                    >= min_length
                )
                & (pl.col("usual_df") >= ratio * pl.col("df"))
                & ((pl.col("usual_df") > pl.col("df")) | (pl.col("usual") < token))
                & ~singular(token).is_in(COMMON_WORDS)
                & unattested
            )
        )
        .sort("variant", "usual_df", "usual", descending=[True, True, False])
        .group_by("token", maintain_order=True)
        .agg(pl.col("usual").first(), pl.col("variant").first())
        .collect()
    )


def _without_umlaut_e(token: pl.Expr) -> pl.Expr:
    """``token`` with "ae", "oe" and "ue" written as the folded umlaut: "mueller" -> "muller"."""
    for digraph in ("ae", "oe", "ue"):
        token = token.str.replace_all(digraph, digraph[0], literal=True)
    return token


def usual_word_breaks(tokens: pl.Series, idf: pl.DataFrame, min_length: int) -> dict[str, str]:
    """A word and the two or three adjacent words it may be written as -> the form most
    names use.

    "maats chappij" -> "maatschappij" where more names write it as one word, and
    "bluepeak" -> "blue peak" where more write it as two; both forms of the other
    spelling read the usual one. ``idf`` is ``token_frequencies`` of ``tokens``. Forms
    are counted over distinct names, as there; ties go to the first form in
    alphabetical order. Words shorter than ``min_length`` keep their breaks ("n v").
    """
    word, row, key = pl.col("word"), pl.col(_ROW), pl.col(_KEY)
    vocabulary = idf.lazy().filter(pl.col("token").str.len_chars() >= min_length)
    names = pl.DataFrame({"word": tokens.unique()})  # distinct names
    words = names.lazy().with_row_index(_ROW).explode("word")

    def runs(length: int) -> pl.LazyFrame:
        run = [word.shift(-k).alias(f"word{k}") for k in range(length)]
        return (
            words.select(_ROW, *run, (row == row.shift(-(length - 1))).alias("adjacent"))
            .filter("adjacent")
            .select(
                _ROW,
                pl.concat_str(pl.col(r"^word\d$"), separator=" ").alias("form"),
                pl.concat_str(pl.col(r"^word\d$")).alias(_KEY),
            )
        )

    split = (
        pl.concat([runs(2), runs(3)])
        .filter(key.is_in(vocabulary.select("token").collect()["token"].implode()))
        .unique([_ROW, "form"])
        .group_by(_KEY, "form")
        .agg(pl.len().cast(pl.UInt32).alias("df"))
    )
    forms = pl.concat(
        [
            split,
            vocabulary.join(split, left_on="token", right_on=_KEY, how="semi").select(
                pl.col("token").alias(_KEY),
                pl.col("token").alias("form"),
                pl.col("df").cast(pl.UInt32),
            ),
        ]
    )
    usual = (
        forms.sort(["df", "form"], descending=[True, False])
        .group_by(_KEY)
        .agg(pl.col("form").first().alias("usual"))
    )
    mapping = forms.join(usual, on=_KEY).filter(pl.col("form") != pl.col("usual")).collect()
    return dict(zip(mapping["form"], mapping["usual"], strict=True))


def in_usual_breaks(tokens: pl.Series, min_length: int) -> pl.Series:
    """Each record's tokens with a word split in two or two words written as one read as
    most names write them (``usual_word_breaks``): "fed ex" and "fedex" are one name.

    The letters stay as written, so the comparison reads the name in these words too.
    """
    breaks = usual_word_breaks(tokens, token_frequencies(tokens), min_length)
    if not breaks:
        return tokens
    padded = pl.lit(" ") + tokens.list.join(" ") + pl.lit(" ")
    return pl.select(name_tokens(replace_words(padded, breaks)).alias(tokens.name)).to_series()


_OTHER_SCRIPTS = r"[\u0370-\u03ff\u0400-\u052f]"  # Greek and Cyrillic letters
_LOOSE_PAIRS = {"kh": "h", "ks": "x", "ph": "f", "c": "k", "w": "v", "j": "i", "y": "i"}
_LOOSE_DOUBLES = {letter * 2: letter for letter in "abcdefghijklmnopqrstuvwxyz"}


def loose_spelling(words: pl.Expr) -> pl.Expr:
    """Words as the schemes that write Greek and Cyrillic in Latin letters agree on them:
    "lukoyl" and "lukoil", "yandeks" and "yandex", "kiivstar" and "kyivstar" are one."""
    once = words.str.replace_many(list(_LOOSE_PAIRS), list(_LOOSE_PAIRS.values()))
    return once.str.replace_many(list(_LOOSE_DOUBLES), list(_LOOSE_DOUBLES.values()))


def in_latin_spelling(tokens: pl.Series, names: pl.Series) -> pl.Series:
    """Each record's tokens, those of a name written in Greek or Cyrillic letters read as
    the Latin-written tokens of other names they spell under another scheme: "Лукойл"
    folds to "lukoyl", read "lukoil" where another name writes it so.

    Only the few names in those scripts are looked at; the others are as they were.
    """
    other = names.str.contains(_OTHER_SCRIPTS).fill_null(False)
    if not other.any() or other.all():
        return tokens
    word = pl.col("token")
    latin = (
        tokens.filter(~other)
        .explode()
        .drop_nulls()
        .value_counts(sort=True, name="n")
        .rename({tokens.name: "token"})
        .select(loose_spelling(word).alias(_KEY), word.alias("latin"))
        .unique(_KEY, keep="first", maintain_order=True)  # the most frequent spelling
    )
    records = tokens.to_frame("token").with_row_index(_ROW)
    respelt = (
        records.filter(other)
        .explode("token")
        .with_columns(loose_spelling(word).alias(_KEY))
        .join(latin, on=_KEY, how="left", maintain_order="left")
        .group_by(_ROW, maintain_order=True)
        .agg(pl.coalesce("latin", word).drop_nulls().alias("respelt"))
    )
    joined = records.join(respelt, on=_ROW, how="left", maintain_order="left")
    return joined.select(pl.coalesce("respelt", "token").alias(tokens.name)).to_series()


def attested_spellings(tokens: pl.Series, lists: pl.Series) -> pl.Series:
    """The tokens that two lists or more (``lists`` names each record's) write alike: two
    lists made apart do not make one typo, so such a token is a word as its owner spells it."""
    written = pl.DataFrame({"token": tokens, "list": lists}).explode("token").drop_nulls("token")
    by_lists = written.group_by("token").agg(pl.col("list").n_unique())
    return by_lists.filter(pl.col("list") >= 2)["token"]


def in_context(
    spellings: pl.DataFrame, tokens: pl.Series, generic: Collection[str]
) -> pl.DataFrame:
    """``spellings`` (``usual_spellings``) but the typos read out of context: a token is read
    as another one edit away only where a name holding it holds a distinctive word besides
    (one not in ``generic``, words in the singular). "akzo novel" is "akzo nobel" misspelt;
    "Mitachi" is no "Hitachi" misspelt, nor "Sanno" "Santo", nor "Seino Holdings" "Seiko
    Holdings": names an edit apart with nothing else to tell them by are most often two
    companies. Variants (plurals, umlauts written out) are read anywhere. ``tokens``: each
    record's tokens."""
    typos = spellings.filter(~pl.col("variant")).select("token")
    written = tokens.alias("word").to_frame().with_row_index(_ROW).explode("word")
    holders = typos.join(written, left_on="token", right_on="word")
    read = (
        holders.join(written, on=_ROW)
        .filter((pl.col("word") != pl.col("token")) & ~singular(pl.col("word")).is_in(generic))
        .select("token")
        .unique()
    )
    return spellings.filter(
        ~pl.col("token").is_in(typos["token"].implode())
        | pl.col("token").is_in(read["token"].implode())
    )


def in_usual_spelling(
    tokens: pl.Series,
    min_length: int,
    *,
    ratio: float,
    lists: pl.Series | None = None,
    generic: Collection[str] = (),
) -> pl.Series:
    """Each record's tokens (``in_usual_breaks``) in their usual spelling, a word said again
    marked (``respelt``): each token as the spelling one edit away that at least ``ratio``
    times as many records use (``usual_spellings``): "koninkllijke philips" reads
    "koninklijke philips" in a list where many records write "koninklijke". Records, not
    distinct names: the spelling two hundred duplicates of "Akzo Nobel" write is the usual
    one, however few ways they write the rest of the name. With ``lists`` (the list of each
    record), a token two lists write alike keeps its spelling (``attested_spellings``). A
    typo is read only in context (``in_context``, with the ``generic`` words).
    """
    attested = None if lists is None else attested_spellings(tokens, lists)
    held = tokens.list.unique().explode().drop_nulls().value_counts(name="df")
    by_records = held.rename({held.columns[0]: "token"})
    spellings = in_context(
        usual_spellings(by_records, min_length, ratio=ratio, attested=attested), tokens, generic
    )
    return tokens.to_frame().select(respelt(pl.col(tokens.name), spellings).alias(USUAL))[USUAL]


REPEATED = "+"
"""Marks a word written again in one name: "Johnson & Johnson" is not "Johnson Matthey"."""


def respelt(tokens: pl.Expr, spellings: pl.DataFrame) -> pl.Expr:
    """Lists of ``tokens`` with each ``token`` of ``spellings`` written ``usual``; a word met
    again in the name is a word of its own (``REPEATED`` appended), so that a name that
    says it twice holds more than one that says it once."""
    usual = pl.element().replace(spellings["token"], spellings["usual"])
    again = pl.when(pl.element().is_first_distinct()).then(pl.lit("")).otherwise(pl.lit(REPEATED))
    return tokens.list.eval(usual).list.eval(pl.element() + again).list.unique(maintain_order=True)
