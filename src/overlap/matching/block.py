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

Key kinds:
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
from typing import TypeVar

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from overlap import schema
from overlap.matching.config import MatchConfig
from overlap.normalise.domains import is_mailbox
from overlap.normalise.names import COMMON_WORDS
from overlap.normalise.text import replace_words

ROW = "row"
KIND = "kind"
KEY = "key"
TOKENS = "tokens"
LEFT_ROW = "i"
RIGHT_ROW = "j"
WEIGHT = "weight"
STRONG = "strong"
USUAL = "usual"
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

STRONG_KINDS = ("domain", "registry", "phone", "address")
"""Key kinds that are evidence by themselves: a pair sharing one is compared whatever its names."""
KINDS = (*STRONG_KINDS, "name", "acronym", "token", "shortened")
EXACT_KINDS = (*STRONG_KINDS, "name")
"""Key kinds that pair records of one list: duplicates inside a list are written alike."""
UNORDERED_KINDS = ("acronym",)
"""Key kinds whose large blocks pair nothing: name order says nothing about shared initials."""


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


def one_is_acronym(left: Callable[[str], Values], right: Callable[[str], Values]) -> Values:
    """Whether one of two records' names is the acronym of the other: the ``initials`` of
    one are the ``short_form`` of the other. ``left``/``right`` give a record column of
    each side, as expressions over a pair frame or as gathered series."""
    return (left(INITIALS) == right(SHORT_FORM)) | (right(INITIALS) == left(SHORT_FORM))


# Every list is read as if BACKGROUND_NAMES more names came with it, in which each of the
# COMMON_WORDS is held by COMMON_SHARE of them (``token_frequencies``).
BACKGROUND_NAMES = 10_000
COMMON_SHARE = 0.01


def token_frequencies(tokens: pl.Series) -> pl.DataFrame:
    """Document frequency and inverse document frequency of every token, over distinct names.

    A name repeated by duplicates of one company counts once: a list that holds
    "Akzo Nobel" two hundred times does not make "akzo" a common word. ``df`` counts
    the names of the list holding the token; ``idf = ln((n + 1) / (d + 1)) + 1``, the
    smoothed form scikit-learn uses, over the n distinct names and ``BACKGROUND_NAMES``
    more, d adding the background's names holding the token (``COMMON_WORDS``).
    """
    distinct = tokens.unique().list.unique()
    n = len(distinct) + BACKGROUND_NAMES
    background = pl.DataFrame(
        {"token": list(COMMON_WORDS), "background": COMMON_SHARE * BACKGROUND_NAMES}
    )
    return (
        distinct.explode()
        .drop_nulls()
        .value_counts(name="df")
        .rename({distinct.name: "token"})
        .join(background, left_on=singular(pl.col("token")), right_on="token", how="left")
        .with_columns(
            idf=((n + 1) / (pl.col("df") + pl.col("background").fill_null(0.0) + 1)).log() + 1.0
        )
        .select("token", "df", "idf")
    )


def usual_spellings(idf: pl.DataFrame, min_length: int, *, ratio: float = 1.0) -> pl.DataFrame:
    """``token`` and ``usual``: the most frequent other token one edit away, or the same
    word in the singular or plural, where there is one.

    One edit is a character dropped, added, replaced or two swapped: such tokens share
    a one-character deletion (symmetric delete, over the vocabulary, not the records);
    a word and its plural share their ``singular``.
    Ties go to the first in alphabetical order, so "kestrel" and "kestral", one record
    each, both read "kestral". Tokens shorter than ``min_length`` keep their spelling:
    one edit turns most short words into other words. With ``ratio`` above 1, a token
    is read as another only if at least ``ratio`` times as many names hold the other:
    "fenavia" and "genavia", each the name of several companies, stay apart. A word of
    ``COMMON_WORDS`` is no typo: "eastern" is not "western" misspelt. An umlaut
    written out is not a typo, nor is a plural: "mueller" and "muller" (as "Müller" folds),
    "technologies" and "technology" read as the one more names hold, however few more;
    the folded one, the singular, if as many.
    """
    vocabulary = idf.lazy().filter(pl.col("token").str.len_chars() >= min_length)
    longest = int(idf["token"].str.len_chars().max() or 0)  # type: ignore[arg-type]
    token = pl.col("token")
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
                (pl.col("usual_df") >= ratio * pl.col("df"))
                & ((pl.col("usual_df") > pl.col("df")) | (pl.col("usual") < token))
                & ~singular(token).is_in(COMMON_WORDS)
            )
        )
        .group_by("token")
        .agg(
            pl.col("usual")
            .sort_by("variant", "usual_df", "usual", descending=[True, True, False])
            .first()
        )
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
    word, row, key = pl.col("word"), pl.col(ROW), pl.col(KEY)
    vocabulary = idf.lazy().filter(pl.col("token").str.len_chars() >= min_length)
    names = pl.DataFrame({"word": tokens.unique()})  # distinct names
    words = names.lazy().with_row_index(ROW).explode("word")

    def runs(length: int) -> pl.LazyFrame:
        run = [word.shift(-k).alias(f"word{k}") for k in range(length)]
        return (
            words.select(ROW, *run, (row == row.shift(-(length - 1))).alias("adjacent"))
            .filter("adjacent")
            .select(
                ROW,
                pl.concat_str(pl.col(r"^word\d$"), separator=" ").alias("form"),
                pl.concat_str(pl.col(r"^word\d$")).alias(KEY),
            )
        )

    split = (
        pl.concat([runs(2), runs(3)])
        .filter(key.is_in(vocabulary.select("token").collect()["token"].implode()))
        .unique([ROW, "form"])
        .group_by(KEY, "form")
        .agg(pl.len().cast(pl.UInt32).alias("df"))
    )
    forms = pl.concat(
        [
            split,
            vocabulary.join(split, left_on="token", right_on=KEY, how="semi").select(
                pl.col("token").alias(KEY),
                pl.col("token").alias("form"),
                pl.col("df").cast(pl.UInt32),
            ),
        ]
    )
    usual = (
        forms.sort(["df", "form"], descending=[True, False])
        .group_by(KEY)
        .agg(pl.col("form").first().alias("usual"))
    )
    mapping = forms.join(usual, on=KEY).filter(pl.col("form") != pl.col("usual")).collect()
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
        .select(loose_spelling(word).alias(KEY), word.alias("latin"))
        .unique(KEY, keep="first", maintain_order=True)  # the most frequent spelling
    )
    records = tokens.to_frame("token").with_row_index(ROW)
    respelt = (
        records.filter(other)
        .explode("token")
        .with_columns(loose_spelling(word).alias(KEY))
        .join(latin, on=KEY, how="left", maintain_order="left")
        .group_by(ROW, maintain_order=True)
        .agg(pl.coalesce("latin", word).drop_nulls().alias("respelt"))
    )
    joined = records.join(respelt, on=ROW, how="left", maintain_order="left")
    return joined.select(pl.coalesce("respelt", "token").alias(tokens.name)).to_series()


def in_usual_spelling(tokens: pl.Series, min_length: int, *, ratio: float) -> pl.Series:
    """Each record's tokens (``in_usual_breaks``) in their usual spelling, without repeats:
    each token as the spelling one edit away that at least ``ratio`` times as many names
    use (``usual_spellings``): "koninkllijke philips" reads "koninklijke philips" in a
    list where many names write "koninklijke".
    """
    spellings = usual_spellings(token_frequencies(tokens), min_length, ratio=ratio)
    return tokens.to_frame().select(_respelt(pl.col(tokens.name), spellings).alias(USUAL))[USUAL]


IDENTIFYING = (
    schema.DOMAIN,
    schema.EMAIL_DOMAIN,
    schema.PHONE_NORM,
    schema.REGISTRY_NORM,
    schema.ADDRESS_NORM,
)
"""Normalised columns whose equal values are evidence by themselves (``STRONG_KINDS``)."""


def without_shared_identifiers(
    records: pl.DataFrame, max_names: int, *, max_tenants: int
) -> pl.DataFrame:
    """``records`` with every ``IDENTIFYING`` value that names of more than ``max_names``
    distinct first words hold made null; an address, more than ``max_tenants``.

    A domain, phone or registry id that unlike companies share says nothing of which
    one a record is: a reseller's e-mail domain on every account of its list, a
    switchboard, a made-up number. One company's accounts share their first word
    ("Acme Corp - Boston", "Acme Corp - Denver"), so names are told apart by it. An
    address is shared by the tenants of a building, and identifies them until a
    registered agent's address holds many more. Phones are read on their last seven
    digits, as blocking and the comparison read them, and an address within its postal
    code and city ("12 main st" is a different place in every town). A mailbox
    provider's domain in the website column ("gmail.com") is the site of none of its
    holders but the provider ("Yahoo Inc" at yahoo.com), however few hold it.
    """
    name = pl.col(schema.NAME_CORE).str.extract(r"^(\S+)").hash()
    mailbox = is_mailbox(pl.col(schema.DOMAIN))
    label = pl.col(schema.DOMAIN).str.extract(r"^([^.]+)")
    # worked out for the few records at a mailbox provider only: null for the others
    holder = pl.when(mailbox).then(pl.col(schema.NAME_CORE)).str.replace_all(" ", "")
    identifies = {schema.DOMAIN: ~mailbox | holder.str.starts_with(label).fill_null(False)}
    keys: dict[str, list[pl.Expr]] = {
        schema.PHONE_NORM: [pl.col(schema.PHONE_NORM).str.slice(-7)],
        schema.ADDRESS_NORM: [
            pl.col(c) for c in (schema.ADDRESS_NORM, schema.POSTAL_NORM, schema.CITY_NORM)
        ],
    }
    shared = []
    for column in IDENTIFYING:
        value = pl.col(column)
        limit = max_tenants if column == schema.ADDRESS_NORM else max_names
        holders = name.n_unique().over(keys.get(column, [value]))
        keep = (holders <= limit) & identifies.get(column, pl.lit(True))
        shared.append(pl.when(keep).then(value).alias(column))
    return records.with_columns(shared)


def _respelt(tokens: pl.Expr, spellings: pl.DataFrame) -> pl.Expr:
    """Lists of ``tokens`` with each ``token`` of ``spellings`` written ``usual``, no repeats."""
    respelt = pl.element().replace(spellings["token"], spellings["usual"])
    return tokens.list.eval(respelt).list.unique(maintain_order=True)


def _keys(records: pl.DataFrame, idf: pl.DataFrame, config: MatchConfig) -> pl.LazyFrame:
    """Long frame (row, kind, key) of every blocking key of every record.

    Keys are hashed to 64 bits, with a seed of their own for each kind, so blocks are
    found by integer group-bys; a collision, once in billions of keys, merges two blocks.
    """
    # Blocking forgives any typo: the nearest more frequent spelling, however rare.
    spellings = usual_spellings(idf, config.typo_min_length)
    tokens = pl.col(TOKENS)
    base = records.lazy().with_row_index(ROW).with_columns(_respelt(pl.col(USUAL), spellings))

    def keyed(frame: pl.LazyFrame, kind: str, key: pl.Expr) -> pl.LazyFrame:
        return (
            frame.select(ROW, key.alias(KEY))
            .filter(pl.col(KEY).str.len_chars() >= 2)
            .select(
                ROW,
                pl.lit(kind, dtype=pl.Enum(KINDS)).alias(KIND),
                pl.col(KEY).hash(KINDS.index(kind)),
            )
        )

    domain, e_mail = pl.col(schema.DOMAIN), pl.col(schema.EMAIL_DOMAIN)
    compact, usual_compact = tokens.list.join(""), pl.col(USUAL).list.join("")
    return pl.concat(
        [
            keyed(base, "domain", domain),
            keyed(base, "domain", pl.when(e_mail.ne_missing(domain)).then(e_mail)),
            keyed(base, "registry", pl.col(schema.REGISTRY_NORM)),
            keyed(base, "phone", pl.col(schema.PHONE_NORM).str.slice(-7)),
            keyed(_addresses(base), "address", pl.col(KEY)),
            keyed(base, "name", compact),
            keyed(base, "name", pl.when(usual_compact != compact).then(usual_compact)),
            keyed(base, "acronym", pl.coalesce(SHORT_FORM, INITIALS)),
            keyed(_words(base, idf, config), "token", pl.col(KEY)),
            keyed(_shortened(base, idf), "shortened", pl.col(KEY)),
        ]
    )


def _addresses(base: pl.LazyFrame) -> pl.LazyFrame:
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


def _shortened(base: pl.LazyFrame, idf: pl.DataFrame) -> pl.LazyFrame:
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


def candidate_pairs(
    records: pl.DataFrame,
    idf: pl.DataFrame,
    config: MatchConfig,
    *,
    lists: pl.Series | None = None,
) -> pl.DataFrame:
    """Candidate pairs ``(i, j, weight, strong)`` of row positions with ``i < j``.

    ``records`` is a normalised frame with ``tokens`` (see ``name_tokens``),
    ``usual`` (see ``in_usual_spelling``), ``initials`` and ``short_form`` columns, as
    ``pipeline.prepare`` makes it;
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
    sorted_name = pl.col(TOKENS).list.sort().list.join(" ")
    by_name = (
        records.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW),
            sorted_name.alias("sorted_name"),
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
    names = records.select(pl.col(TOKENS).list.sort().list.join(" ").replace("", None)).to_series()
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
