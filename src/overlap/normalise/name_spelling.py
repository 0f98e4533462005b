"""One spelling for the words of a company name: folded, legal forms as one token, letters
written apart joined, abbreviations and numbers written out.
"""

from __future__ import annotations

import re

import polars as pl

from overlap.normalise.legal_forms import LEGAL_FORM_SPELLINGS, WRITTEN_OUT_PREFIX, collapsed_forms
from overlap.normalise.selective import worked_out_where
from overlap.normalise.text import folded_padded, null_if_empty, replace_words

# Abbreviations -> the word they are expanded to (whole words only); "Saint" the other
# way, as "St" can be letters of a name ("ST Microelectronics") and no saint.
ABBREVIATIONS = {
    "intl": "international",
    "mfg": "manufacturing",
    "mfr": "manufacturer",
    "mfrs": "manufacturers",
    "svc": "service",
    "svcs": "services",
    "srvcs": "services",
    "tech": "technology",
    "saint": "st",
    "sainte": "ste",
    "bros": "brothers",
    "assoc": "associates",
    "assn": "association",
    "natl": "national",
    "mgmt": "management",
    "mgt": "management",
    "mktg": "marketing",
    "grp": "group",
    "hldg": "holding",
    "hldgs": "holdings",
    "ctr": "center",
    "centre": "center",
    "univ": "university",
    "sys": "systems",
    "inds": "industries",
    "ind": "industries",  # registries: "SHINKO ELECTRIC IND., LTD."
    "const": "construction",
    "engg": "engineering",
    "dept": "department",
    "solns": "solutions",
    "pharma": "pharmaceuticals",
    "pharm": "pharmaceuticals",
    "eng": "engineering",
    "engr": "engineering",
    "comms": "communications",
    "dev": "development",
    "devel": "development",
    "ins": "insurance",
    "finl": "financial",
    "hosp": "hospital",
    "inst": "institute",
    "prods": "products",
    "amer": "american",
    "agcy": "agency",
    "distrib": "distribution",
    "distr": "distribution",
    "envtl": "environmental",
    "hlth": "health",
    "equip": "equipment",
    "constr": "construction",
    "govt": "government",
    "transp": "transportation",
    "educ": "education",
    # the other way round where the short form is the usual one (and cheaper: fewer
    # names hold the long one)
    "laboratories": "labs",
    "laboratory": "lab",
}

_UNITS = (
    *("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_ENDS = {"one": "first", "two": "second", "three": "third", "five": "fifth"}
_ORDINAL_ENDS |= {"eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def _in_words(n: int) -> str:
    """1 <= n <= 99 in words: 7 -> "seven", 21 -> "twenty one"."""
    return _UNITS[n] if n < 20 else " ".join(filter(None, (_TENS[n // 10], _UNITS[n % 10])))


def _ordinal(n: int) -> str:
    """1 <= n <= 99 as an ordinal in words: 1 -> "first", 21 -> "twenty first"."""
    *head, last = _in_words(n).split()
    end = _ORDINAL_ENDS.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join([*head, end])


def _ordinal_digits(n: int) -> str:
    """21 -> "21st", 12 -> "12th"."""
    ends = {1: "st", 2: "nd", 3: "rd"}
    return f"{n}{'th' if 10 <= n % 100 <= 20 else ends.get(n % 10, 'th')}"


# Numbers written in digits -> in words, as names write them both ways ("7-Eleven" /
# "Seven-Eleven", "21st Century Fox" / "Twenty-First Century Fox"): cardinals to twenty
# ("Studio 54" stays), ordinals to ninety-ninth. Words, not digits, so that initials
# stay ("1st National Bank" is FNB).
NUMBER_WORDS = {str(n): _in_words(n) for n in range(1, 21)}
NUMBER_WORDS |= {_ordinal_digits(n): _ordinal(n) for n in range(1, 100)}


_LETTERS_APART = re.compile(r"(?<![a-z0-9])([a-z]) (?=[a-z](?![a-z0-9]))")


def joined_letters(folded: pl.Expr) -> pl.Expr:
    """Folded text with each run of single letters written as one word: initials and
    abbreviations spelled letter by letter ("a o smith", "d s m", "n v") read as they
    are written without spaces or dots ("ao smith", "dsm", "nv").

    Worked out in Python, only for the texts holding such a run (a few in a hundred).
    """

    def joined(texts: pl.Series) -> pl.Series:
        return pl.Series([_LETTERS_APART.sub(r"\1", text) for text in texts], dtype=pl.String)

    return worked_out_where(
        folded, lambda texts: texts.str.contains(r"(?:^| )[a-z] [a-z](?: |$)"), joined
    )


def folded_name(expr: pl.Expr) -> pl.Expr:
    """``name_clean`` without the placeholder check."""
    # "&" or "+" between capitals is part of a short name, not "and": "AT&T", "AT & T" and
    # "AT and T" are "ATT" (but "Jo & Co" is Jo's company).
    # Three letters at least: "A&B Plumbing" stays "a b plumbing", not "ab" (a legal form).
    between, one, two = r"(?: ?[&+] ?| (?i:and) )", "([A-Z0-9])", "([A-Z0-9]{2})"
    short = rf"(?-u:\b)(?:{two}{between}([A-Z0-9]{{1,2}})|{one}{between}{two})(?-u:\b)"
    expr = expr.str.replace_all(short, "${1}${2}${3}${4}").str.replace(WRITTEN_OUT_PREFIX, "")
    text = folded_padded(expr, collapsed_forms())
    # Only between two words: a trailing "Y" ("Generation Y") is not a conjunction.
    # (ASCII word boundaries: the regex engine's fast path cannot do Unicode ones.)
    text = text.str.replace_all(r"(?-u:\b) (?:und|et|y) (?-u:\b)", " and ")
    return null_if_empty(replace_words(joined_letters(text), _WORD_SPELLINGS))


_WORD_SPELLINGS = LEGAL_FORM_SPELLINGS | ABBREVIATIONS | NUMBER_WORDS
