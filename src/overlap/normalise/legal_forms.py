"""Legal forms of company names: how they are written, and the one token each is read as.

The tables the name pipeline (``overlap.normalise.names``) reads: dotted and slashed
spellings collapsed while a name folds ("N. V." -> "nv"), spelled-out forms written as
their token ("Aktiengesellschaft" -> "ag"), the canonical forms ``name_core`` drops from
the end of a name, those it drops from the start, and the Chinese, Japanese and Korean
forms written without a space.
"""

from __future__ import annotations

from functools import cache
from itertools import product

# Legal forms and abbreviations written with a dot after each letter ("S. p. A.",
# "N.V."): collapsed into one token in the folding pass, which is cheap. Other letters
# written apart ("A. O. Smith", "N V") are joined after it, by ``joined_letters``.
DOTTED_FORMS = (
    *("ab", "ag", "as", "bv", "cv", "dd", "doo", "ek", "ev", "gk", "gmbh", "kg", "kk", "llc"),
    *("llp", "lp", "nv", "oo", "ou", "oy", "pc", "plc", "pt", "rl", "sa", "sab", "sapi", "sarl"),
    *("sas", "sau", "sc", "se", "sl", "slu", "spa", "srl", "sro", "us", "usa", "uk", "yk"),
)

# Slashed legal forms (Danish, Norwegian): "A/S" -> "as"; and dotted ones written with an
# accent (Luxembourg's "S.à r.l.", Turkish "A.Ş."), matched before accents fold.
_SLASHED_OR_ACCENTED = {"a/s": "as", "i/s": "is", "k/s": "ks"}
_SLASHED_OR_ACCENTED |= {"s.à r.l": "sarl", "s.à.r.l": "sarl", "s. à r. l": "sarl"}
_SLASHED_OR_ACCENTED |= {"a.ş": "as", "a. ş": "as"}

# Spelled-out legal forms -> the token they are canonicalised to.
LEGAL_FORM_SPELLINGS = {
    "corporation": "corp",
    "incorporated": "inc",
    "limited": "ltd",
    "company": "co",
    "companies": "cos",
    "public limited company": "plc",
    "public ltd co": "plc",
    "limited liability company": "llc",
    "limited liability partnership": "llp",
    "limited partnership": "lp",
    "proprietary": "pty",
    "private limited": "pvt ltd",
    "gesellschaft mit beschrankter haftung": "gmbh",
    "aktiengesellschaft": "ag",
    "kommanditgesellschaft": "kg",
    "kommanditgesellschaft auf aktien": "kgaa",
    "kabushiki kaisha": "kk",
    "kabushiki gaisha": "kk",
    "godo kaisha": "gk",
    "yugen kaisha": "yk",
    "societe anonyme": "sa",
    "sociedad anonima": "sa",
    "sociedade anonima": "sa",
    "spolka akcyjna": "sa",
    "societa per azioni": "spa",
    "societe a responsabilite limitee": "sarl",
    "societa a responsabilita limitata": "srl",
    "societe par actions simplifiee": "sas",
    "sociedad limitada": "sl",
    "de capital variable": "de cv",
    "besloten vennootschap": "bv",
    "naamloze vennootschap": "nv",
    "naamlooze vennootschap": "nv",  # the spelling before 1947, kept by old companies
    "aktiebolag": "ab",
    "aktieselskab": "as",
    "aksjeselskap": "as",
    "allmennaksjeselskap": "asa",
    "anpartsselskab": "aps",
    "osakeyhtio": "oy",
    "julkinen osakeyhtio": "oyj",
    "spolka z ograniczona odpowiedzialnoscia": "sp z oo",
    "sp zoo": "sp z oo",  # "Sp. z o o": its letters apart are joined
    "limitada": "ltda",
    "sendirian berhad": "sdn bhd",
    "berhad": "bhd",
    "societas europaea": "se",
}


# Canonical legal forms that name_core drops from the end of a name.
LEGAL_FORMS = (
    *("inc", "corp", "co", "cos", "llc", "llp", "lp", "lllp", "pllc", "pc", "plc", "ltd"),
    *("ltda", "lda", "na"),  # "N.A.": a US national bank ("Citibank, N.A.")
    *("nl", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ev", "ek", "se"),
    *("sa", "sas", "sasu", "sarl", "eurl", "snc", "sca", "spa", "srl", "srls", "sl", "slu"),
    *("sau", "sab", "sapi", "bv", "nv", "vof", "cv", "pty", "pte", "pvt", "kk", "gk", "yk"),
    *("oy", "oyj", "ab", "publ", "as", "asa", "aps", "ks", "sro", "doo", "dd", "ou", "kft"),
    *("zrt", "nyrt", "sia", "uab", "ehf", "hf", "bhd", "tbk", "jsc", "pjsc", "ojsc", "cjsc"),
    *("sti",),
    *("ooo", "oao", "zao", "pao"),
    *("sp z oo", "spol sro", "sdn bhd", "sa de cv", "sab de cv", "sapi de cv", "de cv"),
    *("s de rl de cv", "s de rl", "and co", "and cie", "u co"),
)


# Words that name_core drops from the start: "the", the Dutch honorific "Koninklijke"
# (royal) and its abbreviation, and legal forms written before the name in their language.
PREFIXES = ("the", "koninklijke", "koninkl", "nv", "bv", "pt", "ooo", "oao", "zao", "pao", "tov")
MISSPELT_PREFIX_LENGTH = 8
"""A prefix this long is read misspelt by one letter too ("Koninklike Philips"): a long
word one edit away from it is no other word a name starts with."""


@cache
def prefix_pattern() -> str:
    """A regex alternation of ``PREFIXES``, those of ``MISSPELT_PREFIX_LENGTH`` letters or
    more also one letter dropped, replaced, added or two letters swapped."""
    variants = []
    for word in PREFIXES:
        variants.append(word)
        if len(word) < MISSPELT_PREFIX_LENGTH:
            continue
        for at in range(len(word)):
            variants.append(word[:at] + word[at + 1 :])  # dropped
            variants.append(word[:at] + "[a-z]" + word[at + 1 :])  # replaced
            variants.append(word[:at] + "[a-z]" + word[at:])  # added
            if at + 1 < len(word):
                variants.append(word[:at] + word[at + 1] + word[at] + word[at + 2 :])  # swapped
    return "|".join(sorted(set(variants), key=len, reverse=True))


# ... and those written out before the name, only so: as letters, "KK" and "AB" are more
# often initials ("AB Plumbing").
WRITTEN_OUT_PREFIX = r"(?i)^\s*(?:kabushiki\s+[kg]aisha|aktiebolaget)\s+"


@cache
def collapsed_forms() -> dict[str, str]:
    """Dotted and slashed spellings of legal forms, each after a space -> the token."""
    mapping = {}
    for form in DOTTED_FORMS:
        for joins in product((".", ". "), repeat=len(form) - 1):
            dotted = form[0] + "".join(
                j + letter for j, letter in zip(joins, form[1:], strict=True)
            )
            mapping[f" {dotted}."] = mapping[f" {dotted} "] = f" {form} "
    for slashed, form in _SLASHED_OR_ACCENTED.items():
        mapping[f" {slashed}."] = mapping[f" {slashed} "] = f" {form} "
    return mapping


# Legal forms of Chinese, Japanese and Korean names, written before or after the name
# without a space ("株式会社東芝", "腾讯控股有限公司", "삼성전자 주식회사"), or in brackets
# as one character ("(株)東芝", "삼성전자(주)", folded to a word of its own).
CJK_FORMS = (
    *("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "公司", "株式会社"),
    *("有限会社", "合同会社", "주식회사", "유한회사", "㈱", "㈜"),
)
CJK_SHORT_FORMS = ("株", "有", "주")
_CJK = "|".join(CJK_FORMS)
_CJK_SHORT = "|".join(CJK_SHORT_FORMS)
CJK_FORM = rf"^(?:{_CJK})\s*|^(?:{_CJK_SHORT})\s+|\s*(?:{_CJK})$|\s+(?:{_CJK_SHORT})$"
