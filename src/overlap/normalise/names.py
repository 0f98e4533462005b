"""Company names: one spelling per legal form and abbreviation, and the name without them.

``name_clean`` keeps every word of the name and spells it one way: folded to lower
case ASCII (where the script allows), ``&`` / ``+`` / "und" / "et" / "y" written
"and", dotted or spelled-out legal forms written as one token ("N. V." -> "nv",
"Gesellschaft mit beschränkter Haftung" -> "gmbh", "Corporation" -> "corp",
"Company" -> "co"), letters written apart joined ("A. O. Smith" -> "ao smith"), and
common abbreviations expanded ("Intl" -> "international"). What is written beside the
name is left out: marks of a record not to use ("(old)"), notes of the record's place
or role ("(UK)", "- EMEA", "(HQ)"), what a comma puts after the legal form ("N.V.,
Rotterdam"), a second name ("dba ...") and the parts of a web address.

``name_core`` is ``name_clean`` without the legal forms and "the" at the end, without "the",
"Koninklijke" and the legal forms written first in their language ("N.V.", "PT",
"OOO", "Kabushiki Kaisha", "Aktiebolaget") at the start, without "and" between words,
and never empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import product

import polars as pl

from overlap.normalise.places import place_country
from overlap.normalise.text import folded_padded, null_if_empty, once, replace_words

# Legal forms and abbreviations written with a dot after each letter ("S. p. A.",
# "N.V."): collapsed into one token in the folding pass, which is cheap. Other letters
# written apart ("A. O. Smith", "N V") are joined after it, by ``joined_letters``.
_DOTTED = (
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

# Names that stand for no company: what a CRM holds where nobody typed one, written as
# ``is_placeholder`` reads them (lower case, words only). Read as no name: every "Test
# Account" of two lists would otherwise be one company, matched with every other. (Cells
# that mean no value in any column, "N/A" or "Unknown", are null from ingest on.)
PLACEHOLDER_NAMES = (
    *("unknown company", "unknown account", "unknown customer", "unnamed"),
    *("n a", "na", "nan", "not applicable", "not available"),
    *("not known", "not provided", "not specified", "no name", "noname", "no company"),
    *("anonymous", "tbd", "tba", "tbc", "to be determined", "to be confirmed"),
    *("test", "test account", "test company", "test customer", "testing", "dummy"),
    *("dummy account", "sample", "sample account", "example", "x", "xx", "xxx"),
    *("do not use", "dont use", "deleted", "delete", "duplicate", "other", "others"),
    *("misc", "miscellaneous", "various", "default", "individual", "individuals"),
    *("private", "private individual", "private person", "private customer", "personal"),
    *("self", "self employed", "freelance", "freelancer", "consumer", "household"),
    *("retail customer", "walk in", "walk in customer", "cash customer", "cash sale"),
    *("guest", "customer", "account", "new account", "new customer", "new company"),
    *("prospect", "lead", "unbekannt", "inconnu", "desconocido", "sconosciuto"),
    *("onbekend", "particulier", "privatperson", "privat", "particular"),
    # the totals row of a spreadsheet or pivot table below the accounts
    *("total", "totals", "grand total", "grand totals", "subtotal", "sub total", "sum"),
    *("overall total", "total result", "summe", "gesamt", "gesamtergebnis", "totaal"),
    *("total general", "total général", "totale", "totale complessivo"),
)

COMMON_WORDS = (
    *("group", "holding", "international", "global", "worldwide", "world", "service"),
    *("solution", "system", "technology", "partner", "company", "enterprise", "industry"),
    *("consulting", "consultant", "associate", "management", "capital", "venture"),
    *("investment", "financial", "finance", "bank", "trust", "insurance", "media", "software"),
    *("digital", "network", "communication", "logistics", "engineering", "construction"),
    *("manufacturing", "product", "lab", "health", "healthcare", "medical", "energy"),
    *("resource", "development", "property", "realty", "real", "estate", "design", "studio"),
    *("marketing", "food", "trading", "retail", "store", "automotive", "electric"),
    *("electronics", "foundation", "institute", "university", "center", "school", "american"),
    *("national", "united", "general", "first", "new", "north", "south", "east", "west"),
    *("northern", "southern", "eastern", "western", "central", "rational", "mutual"),
    *("pacific", "atlantic", "advanced", "applied", "integrated", "professional", "premier"),
    *("creative", "smart", "data", "analytics", "cloud", "security", "home", "care", "legal"),
    *("law", "office", "transport", "supply", "equipment", "machinery", "material"),
    *("chemical", "pharmaceutical", "bio", "agency", "advisor", "advisory", "education"),
    *("research", "science", "power", "water", "air", "auto", "motor", "clinic", "dental"),
    *("hotel", "restaurant", "farm", "craft", "brand"),
)
"""Words that many companies' names hold ("group", "services", "national"), in the singular
and with abbreviations written out, as names' tokens are read. Blocking reads every list
as if more names holding them came with it (``block.token_frequencies``): a list of thirty
names cannot tell that "group" is a common word and "sony" is not."""

# Words that name_core drops from the start: "the", the Dutch honorific "Koninklijke"
# (royal), and legal forms written before the name in their language.
PREFIXES = ("the", "koninklijke", "nv", "bv", "pt", "ooo", "oao", "zao", "pao", "tov")
# ... and those written out before the name, only so: as letters, "KK" and "AB" are more
# often initials ("AB Plumbing").
_WRITTEN_OUT_PREFIX = r"(?i)^\s*(?:kabushiki\s+[kg]aisha|aktiebolaget)\s+"


@cache
def _collapsing() -> dict[str, str]:
    """Dotted and slashed spellings of legal forms, each after a space -> the token."""
    mapping = {}
    for form in _DOTTED:
        for joins in product((".", ". "), repeat=len(form) - 1):
            dotted = form[0] + "".join(
                j + letter for j, letter in zip(joins, form[1:], strict=True)
            )
            mapping[f" {dotted}."] = mapping[f" {dotted} "] = f" {form} "
    for slashed, form in _SLASHED_OR_ACCENTED.items():
        mapping[f" {slashed}."] = mapping[f" {slashed} "] = f" {form} "
    return mapping


# A legal form ends the name: what a comma puts after it is a note of the record's place,
# address or department ("Unilever N.V., Rotterdam", "Acme, Inc., Boston, MA"), and so is
# the Dutch seat after "te" ("Philips Electronics N.V. te Eindhoven") and what the company
# is after "a" ("Acme Inc. a Delaware corporation").
_FORM_WORDS = sorted(
    {form for form in (*LEGAL_FORMS, *_DOTTED) if " " not in form}
    | {spelling for spelling in LEGAL_FORM_SPELLINGS if " " not in spelling},
    key=len,
    reverse=True,
)
_RAW_FORM = "|".join(r"\.?\s?".join(form) if len(form) <= 4 else form for form in _FORM_WORDS)
_AFTER_FORM = rf"(?i)^(.+?[\s,](?:{_RAW_FORM})\.?)(?:\s*,[\s,]*|\s+(?:te|an?)\s+)[^\s,][\s\S]*$"


def without_note_after_form(expr: pl.Expr) -> pl.Expr:
    """A raw name without what a comma puts after its legal form ("Unilever N.V.,
    Rotterdam" -> "Unilever N.V.")."""
    return _without(expr, _AFTER_FORM, [",", " te ", " a ", " an "], "$1")


# ... and so is an address pasted after it, a tail holding a number, not ending in a form:
# "Acme GmbH Hauptstraße 5", "Acme Inc 123 Main St"; not "Studio 5 Ltd".
_AFTER_FORM_TAIL = rf"(?i)^(.+[\s,](?:{_RAW_FORM})\.?)\s+([^\s,][\s\S]*)$"
_ENDS_IN_FORM = rf"(?i)\s(?:{_RAW_FORM})\.?$"


def without_address_after_form(expr: pl.Expr) -> pl.Expr:
    """A raw name without an address pasted after its legal form ("Acme GmbH Hauptstraße 5"
    -> "Acme GmbH")."""

    def dropped(text: pl.Expr) -> pl.Expr:
        numbered = pl.when(text.str.contains(r"\d")).then(text)
        parts = numbered.str.extract_groups(_AFTER_FORM_TAIL)
        tail = parts.struct.field("2")
        address = tail.str.contains(r"\d") & ~tail.str.strip_chars().str.contains(_ENDS_IN_FORM)
        return pl.when(address).then(parts.struct.field("1")).otherwise(text)

    return once(expr, dropped)


# What a CRM's users write into a name to mark a record they keep but should not use,
# in brackets or after a dash at the end: "Acme Corp (old)", "Acme [DUPLICATE]",
# "Acme A/S - DO NOT USE", "Acme Corp (2)"; or "ZZ" before it. Only there: "Old Navy" and
# "Closed Loop Partners" keep theirs.
_MARKERS = (
    *("do not use", "dont use", "don't use", "dnu", "not in use", "duplicate", "dupe"),
    *("dup", "old", "inactive", "obsolete", "deleted", "closed", "archived", "merged"),
    *("defunct", "invalid", "test", "out of business"),
)
_MARKER = "|".join(m.replace("'", "'?").replace(" ", r"\s+") for m in _MARKERS)
_MARKED = (
    rf"(?i)\s*[(\[{{<]\s*(?:{_MARKER}|\d{{1,2}})\s*[)\]}}>]"  # "(old)", "[duplicate]", "(2)"
    rf"|\s+[-|:/\u2013\u2014]+\s*(?:{_MARKER})\s*[.!]*$"  # "- do not use" at the end
    r"|^\s*(?:zz+|xx+)(?:[\s_:.-]+)"  # "ZZZ - Acme", "zz_Acme": sorted last to be ignored
)
_MARK_SIGNS = ["(", "[", "{", "<", " -", "|", ":", "/", "\u2013", "\u2014", "zz", "xx"]


def _without(expr: pl.Expr, pattern: str, signs: list[str], replacement: str = "") -> pl.Expr:
    """``expr`` with ``pattern`` replaced, looked for only in the texts holding one of
    ``signs`` (an Aho-Corasick pass, far cheaper than the pattern over every text)."""

    def replaced(text: pl.Expr) -> pl.Expr:
        signed = pl.when(text.str.contains_any(signs, ascii_case_insensitive=True)).then(text)
        return pl.coalesce(signed.str.replace_all(pattern, replacement), text)

    return once(expr, replaced)


def without_markers(expr: pl.Expr) -> pl.Expr:
    """A raw name without the marks of a record not to use ("Acme Corp (old)" -> "Acme Corp")."""
    return _without(expr, _MARKED, _MARK_SIGNS)


# A note of where the record is, or of what it is to the CRM's user, in brackets or after
# a dash at the end: "Acme Corp (UK)", "Acme GmbH [DE]", "Acme Inc. - EMEA", "Acme (Texas)",
# "Acme Corp (HQ)", "Acme - Accounts Payable", "Acme Ltd (UK Head Office)". Only a note that
# is nothing but a country, region or state and such ``ROLE_NOTES``: "Acme (Holdings)",
# "Acme - Widgets" keep theirs.
_IN_BRACKETS = r"\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]"
_AT_END = r"\s+[-|\u2013\u2014]+\s*([^-|\u2013\u2014()\[\]]+?)\s*$"
_NOTE_SIGNS = ["(", "[", " -", "|", "\u2013", "\u2014"]


ROLE_NOTES = (
    *("hq", "headquarters", "head quarters", "head office", "main office", "main"),
    *("corporate office", "corporate", "parent", "parent account", "parent company"),
    *("subsidiary", "affiliate", "branch", "branch office", "office", "billing"),
    *("billing account", "accounts payable", "a/p", "ap", "accounts receivable", "a/r"),
    *("procurement", "purchasing", "dept", "department"),
    *("customer", "client", "prospect", "partner", "reseller", "distributor", "supplier"),
    *("vendor", "key account", "global account", "new"),
)
"""What a note beside a name says the record is to the CRM's user: no part of the name."""

_ROLES = "|".join(
    re.escape(role).replace(r"\ ", r"\s+") for role in sorted(ROLE_NOTES, key=len, reverse=True)
)
_ROLE = rf"(?i)(?:^|\s)(?:{_ROLES})(?:\s+(?:{_ROLES}))*(?:\s|$)"  # "(Parent Customer)" too


def _place_notes(names: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Each of ``names`` without its notes of place and role, and the code of the country a
    note names (the last one; null if none)."""
    name, country = names, pl.lit(None, pl.String)
    for pattern in (_IN_BRACKETS, _AT_END):
        note = name.str.extract(pattern, 1)
        place_part = note.str.replace_all(_ROLE, " ").str.strip_chars()
        place = place_country(place_part)
        # a legal form written in brackets ("(Pty)", "(S.A.)") is not read as a place
        is_place = place.struct.field("place") & ~note.pipe(_folded).is_in(LEGAL_FORMS)
        rest = name.str.replace(pattern, "")
        is_note = is_place | ((place_part == "") & (note != "")) | _alias_of(rest, note)
        name = pl.when(is_note).then(rest).otherwise(name)
        country = pl.coalesce(pl.when(is_place).then(place.struct.field("country")), country)
    return name, country


# Stock exchanges whose ticker a note gives after a colon: "Acme Corp (NYSE: ACME)".
_EXCHANGES = (
    *("nyse", "nasdaq", "amex", "otc", "lse", "tsx", "tsxv", "asx", "xetra", "euronext"),
    *("six", "hkex", "sgx", "jse", "bse", "nse", "tse"),
)
_TICKER = rf"(?i)^(?:{'|'.join(_EXCHANGES)})\s*:\s*[a-z0-9.]{{1,6}}$"
_WEB_ADDRESS = r"(?i)^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$"


def _alias_of(name: pl.Expr, note: pl.Expr) -> pl.Expr:
    """Whether a note names again the company ``name`` (the rest of the name) is: its
    initials, of two letters or more ("International Business Machines Corp (IBM)"), its
    own words ("ACME CORP (ACME)"), its web address ("Acme Inc - acme.com") or its stock
    ticker ("Acme Corp (NYSE: ACME)")."""
    words = name.str.to_lowercase().str.extract_all(r"[a-z0-9]+")
    initials = words.list.eval(pl.element().str.slice(0, 1)).list.join("")
    letters = note.str.to_lowercase()
    note_words = letters.str.extract_all(r"[a-z0-9]+")
    repeated = (note_words.list.len() > 0) & (note_words.list.set_difference(words).list.len() == 0)
    return (
        (letters.str.contains(r"^[a-z]{2,}$") & initials.str.starts_with(letters))
        | repeated
        | note.str.contains(_WEB_ADDRESS)
        | note.str.contains(_TICKER)
    ).fill_null(False)


def _worked_out_where(
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


def _on_noted(expr: pl.Expr, part: int) -> pl.Expr:
    """``_place_notes(expr)[part]``, worked out only for the names holding a sign of a note;
    the name itself, or null, for the others."""

    def worked_out(noted: pl.Series) -> pl.Series:
        return noted.to_frame().select(_place_notes(pl.col(noted.name))[part]).to_series()

    return _worked_out_where(
        expr, lambda names: names.str.contains_any(_NOTE_SIGNS), worked_out, others_null=part == 1
    )


def without_place_notes(expr: pl.Expr) -> pl.Expr:
    """A raw name without notes of where or what the record is ("Acme Corp (UK)",
    "Acme Corp (HQ)" -> "Acme Corp")."""
    return _on_noted(expr, 0)


def noted_country(expr: pl.Expr) -> pl.Expr:
    """ISO code of the country a raw name notes ("Acme Corp (UK)" -> "GB"); null if none."""
    return _on_noted(expr, 1)


# A second name after the first: "Acme Holdings LLC dba Acme Widgets", "Meta Platforms
# (formerly Facebook)", "Smith & Co t/a Smith Plumbing", "Acme (acquired by Beta)", or whom
# the mail goes to: "Acme Corp c/o Smith Accounting", "Acme Corp, Attn: Accounts Payable".
# The first, the legal or current one, is read; the other is left out rather than read as
# more words of one name.
_ALIAS = r"(?:d[./]?b|a[./]?k|f[./]?k)[./]?a\.?|t/a|formerly(?:\s+known\s+as)?"
_ALIAS += r"|trading\s+as|doing\s+business\s+as|acquired\s+by|c/o|care\s+of|attn\.?|attention:"
_ALIASED = rf"(?i)(?:\s*[,(\[]\s*|\s+)(?:{_ALIAS})[\s:]+\S[\s\S]*$"
_ALIAS_SIGNS = [
    before + alias
    for before in (" ", "(", "[", ",")
    for alias in ("dba", "d/b/a", "d.b.a", "t/a", "aka", "a.k.a", "a/k/a", "fka", "f/k/a", "f.k.a")
] + ["formerly", "trading as", "doing business as", "acquired by", "c/o", "care of", "attn"]
_ALIAS_SIGNS += ["attention:"]


def without_alias(expr: pl.Expr) -> pl.Expr:
    """A raw name without a second name written after it ("Acme LLC dba Acme Widgets" ->
    "Acme LLC", "Meta Platforms (formerly Facebook)" -> "Meta Platforms")."""
    return _without(expr, _ALIASED, _ALIAS_SIGNS)


# A name written as a web address, or holding one ("acme.com", "www.kestrelfoods.com",
# "Booking.com B.V."): the address's scheme, "www." and suffix are not part of the name.
_WEB_SUFFIX = r"(?:com|net|org|io|co|ai|biz|info|app|dev|tech)(?:\.[a-z]{2})?"
_WEB_PARTS = (
    rf"(?i)^(?:https?://)?www\.|^https?://|(\w)\.(?:{_WEB_SUFFIX}|[a-z]{{2}})(?:/\S*)?$"
    rf"|(\w)\.{_WEB_SUFFIX}\b"
)
_WEB_SIGNS = ["www.", "http", ".com", ".net", ".org", ".io", ".co", ".ai", ".biz", ".info"]
_WEB_SIGNS += [".app", ".dev", ".tech"]


def without_web_address(expr: pl.Expr) -> pl.Expr:
    """A raw name without the scheme, "www." and suffix of a web address written in it."""
    return _without(expr, _WEB_PARTS, _WEB_SIGNS, "$1$2")


@cache
def _placeholder_spellings() -> list[str]:
    """Each placeholder name as people type it: in lower, upper, title or sentence case,
    its words apart or joined by "-", "_", ".", "/" or nothing."""
    spellings = set()
    for name in PLACEHOLDER_NAMES:
        for joined in {name.replace(" ", between) for between in (" ", "-", "_", ".", "/", "")}:
            spellings |= {joined, joined.upper(), joined.title(), joined.capitalize()}
    return sorted(spellings)


def is_placeholder(name: pl.Expr) -> pl.Expr:
    """Whether a raw name, as typed, stands for no company ("Test Account", "N.A.")."""
    return name.str.strip_chars(" .").is_in(_placeholder_spellings()).fill_null(False)


_LETTERS_APART = re.compile(r"(?<![a-z0-9])([a-z]) (?=[a-z](?![a-z0-9]))")


def joined_letters(folded: pl.Expr) -> pl.Expr:
    """Folded text with each run of single letters written as one word: initials and
    abbreviations spelled letter by letter ("a o smith", "d s m", "n v") read as they
    are written without spaces or dots ("ao smith", "dsm", "nv").

    Worked out in Python, only for the texts holding such a run (a few in a hundred).
    """

    def joined(texts: pl.Series) -> pl.Series:
        return pl.Series([_LETTERS_APART.sub(r"\1", text) for text in texts], dtype=pl.String)

    return _worked_out_where(
        folded, lambda texts: texts.str.contains(r"(?:^| )[a-z] [a-z](?: |$)"), joined
    )


def _folded(expr: pl.Expr) -> pl.Expr:
    """``name_clean`` without the placeholder check."""
    # "&" or "+" between capitals is part of a short name, not "and": "AT&T", "AT & T" and
    # "AT and T" are "ATT" (but "Jo & Co" is Jo's company).
    # Three letters at least: "A&B Plumbing" stays "a b plumbing", not "ab" (a legal form).
    between, one, two = r"(?: ?[&+] ?| (?i:and) )", "([A-Z0-9])", "([A-Z0-9]{2})"
    short = rf"(?-u:\b)(?:{two}{between}([A-Z0-9]{{1,2}})|{one}{between}{two})(?-u:\b)"
    expr = expr.str.replace_all(short, "${1}${2}${3}${4}").str.replace(_WRITTEN_OUT_PREFIX, "")
    text = folded_padded(expr, _collapsing())
    # Only between two words: a trailing "Y" ("Generation Y") is not a conjunction.
    # (ASCII word boundaries: the regex engine's fast path cannot do Unicode ones.)
    text = text.str.replace_all(r"(?-u:\b) (?:und|et|y) (?-u:\b)", " and ")
    return null_if_empty(replace_words(joined_letters(text), _WORD_SPELLINGS))


_WORD_SPELLINGS = LEGAL_FORM_SPELLINGS | ABBREVIATIONS | NUMBER_WORDS


@cache
def _folded_placeholders() -> list[str]:
    """``PLACEHOLDER_NAMES`` as ``_folded`` spells them ("n a" and "na" are one)."""
    folded = pl.select(_folded(pl.lit(pl.Series(PLACEHOLDER_NAMES)))).to_series()
    return folded.unique(maintain_order=True).to_list()


def name_clean(expr: pl.Expr) -> pl.Expr:
    """A company name folded and spelled one way, every word kept; null if empty or a placeholder.

    "Acme Int'l. Mfg. Co., L.L.C." -> "acme international manufacturing co llc";
    "Acme Corp (UK) [DUPLICATE]" -> "acme corp". Placeholders are caught however they
    are written ("TEST ACCOUNT!").
    """
    unmarked = without_web_address(
        without_address_after_form(
            without_note_after_form(without_alias(without_place_notes(without_markers(expr))))
        )
    )
    return _folded(unmarked).replace(_folded_placeholders(), None)


def name_core(expr: pl.Expr) -> pl.Expr:
    """The distinctive part of a raw company name: ``name_clean`` without legal forms.

    "KONINKLIJKE PHILIPS ELECTRONICS N.V." -> "philips electronics". A name that
    is nothing but legal forms ("The Company", "AB") keeps its ``name_clean``.
    """
    return core_of_clean(name_clean(expr))


# Legal forms of Chinese, Japanese and Korean names, written before or after the name
# without a space ("株式会社東芝", "腾讯控股有限公司", "삼성전자 주식회사"), or in brackets
# as one character ("(株)東芝", "삼성전자(주)", folded to a word of its own).
_CJK_FORMS = (
    *("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "公司", "株式会社"),
    *("有限会社", "合同会社", "주식회사", "유한회사", "㈱", "㈜"),
)
_CJK_SHORT_FORMS = ("株", "有", "주")
_CJK = "|".join(_CJK_FORMS)
_CJK_SHORT = "|".join(_CJK_SHORT_FORMS)
_CJK_FORM = rf"^(?:{_CJK})\s*|^(?:{_CJK_SHORT})\s+|\s*(?:{_CJK})$|\s+(?:{_CJK_SHORT})$"


# The country a group's subsidiary adds to its name, in English or its own language ("IBM
# Deutschland GmbH", "SAP UK Ltd", "Kestrel Logistics France SAS"), as name_clean folds it.
# Country names only, no codes but these two ("Kids R Us"), and none that is also a common
# word or a place inside another country ("Turkey", "Jersey", "Georgia", "America").
SUBSIDIARY_COUNTRIES: dict[str, str] = {
    "usa": "US", "united states": "US", "uk": "GB", "united kingdom": "GB",
    "great britain": "GB", "deutschland": "DE", "germany": "DE", "france": "FR",
    "canada": "CA", "australia": "AU", "new zealand": "NZ", "nederland": "NL",
    "netherlands": "NL", "holland": "NL", "belgium": "BE", "belgique": "BE", "belgie": "BE",
    "luxembourg": "LU", "italia": "IT", "italy": "IT", "espana": "ES", "spain": "ES",
    "portugal": "PT", "schweiz": "CH", "suisse": "CH", "switzerland": "CH", "austria": "AT",
    "osterreich": "AT", "sverige": "SE", "sweden": "SE", "norge": "NO", "norway": "NO",
    "danmark": "DK", "denmark": "DK", "finland": "FI", "suomi": "FI", "ireland": "IE",
    "polska": "PL", "poland": "PL", "czech republic": "CZ", "hungary": "HU",
    "romania": "RO", "greece": "GR", "japan": "JP", "korea": "KR", "singapore": "SG",
    "hong kong": "HK", "taiwan": "TW", "malaysia": "MY", "indonesia": "ID",
    "philippines": "PH", "thailand": "TH", "vietnam": "VN", "india": "IN", "israel": "IL",
    "south africa": "ZA", "brasil": "BR", "brazil": "BR", "mexico": "MX", "argentina": "AR",
    "colombia": "CO", "chile": "CL",
}  # fmt: skip
# ... not after a word that makes the country part of the name ("Bank of Ireland",
# "Banco do Brasil", "Telefonos de Mexico", "Fine China")
_BEFORE_NAMED_COUNTRY = frozenset(
    {"of", "de", "do", "da", "di", "du", "des", "del", "della", "von", "van", "der", "for"}
    | {"in", "and", "y", "e", "et", "und", "new", "the"}
)
_COUNTRY_TAIL = (
    r"^(.*?(\S+)) (" + "|".join(sorted(SUBSIDIARY_COUNTRIES, key=len, reverse=True)) + ")$"
)


@cache
def _common_words_and_plurals() -> list[str]:
    """``COMMON_WORDS`` and their plurals ("energy", "energies", "service", "services")."""
    plurals = {word[:-1] + "ies" if word.endswith("y") else word + "s" for word in COMMON_WORDS}
    return sorted({*COMMON_WORDS, *plurals})


def core_of_clean(clean: pl.Expr) -> pl.Expr:
    """``name_core`` from an already computed ``name_clean``."""
    return core_and_country(clean).struct.field("core")


def core_and_country(clean: pl.Expr) -> pl.Expr:
    """Struct holding ``core`` (``name_core`` from an already computed ``name_clean``) and
    ``country``, the ISO code of the country a subsidiary's name carries after its group's
    ("kestrel logistics deutschland gmbh" -> "kestrel logistics", "DE"; else null), among
    the steps between."""
    prefixes = "|".join(PREFIXES)
    # "the" at the end too: an export's "Home Depot, The" is "The Home Depot"
    forms = "|".join(sorted((*LEGAL_FORMS, "the"), key=len, reverse=True))
    # Struct fields hold the steps, so that each is computed once.
    steps = pl.struct(clean=clean).struct.with_fields(
        cjk=_without(pl.field("clean"), _CJK_FORM, [*_CJK_FORMS, *_CJK_SHORT_FORMS])
    )
    steps = steps.struct.with_fields(
        stripped=pl.field("cjk").str.replace(f"^(?:(?:{prefixes}) )+", "")
    )
    # ... unless one common word is left: "NV Energy" is no company called Energy
    generic = pl.field("stripped").is_in(_common_words_and_plurals())
    without_prefix = pl.when(generic).then(pl.field("cjk")).otherwise(pl.field("stripped"))
    steps = steps.struct.with_fields(
        formless=without_prefix.str.replace(f"(?:(?:^| )(?:{forms}))+$", "")
    )
    # A subsidiary's country after the group's name: the group's name is the core.
    steps = steps.struct.with_fields(tail=pl.field("formless").str.extract_groups(_COUNTRY_TAIL))
    head = pl.field("tail").struct.field("1")
    named_country = (
        pl.when(
            ~pl.field("tail").struct.field("2").is_in(_BEFORE_NAMED_COUNTRY)
            & ~head.is_in(_common_words_and_plurals())
        )
        .then(pl.field("tail").struct.field("3"))
        .replace_strict(SUBSIDIARY_COUNTRIES, default=None, return_dtype=pl.String)
    )
    steps = steps.struct.with_fields(country=named_country)
    core = pl.when(pl.field("country").is_null()).then(pl.field("formless")).otherwise(head)
    # "and" between words is no part of what distinguishes a name: systems that strip
    # "&" write "Barnes & Noble" as "Barnes Noble".
    steps = steps.struct.with_fields(joined=core.str.replace_all(" and ", " ", literal=True))
    return steps.struct.with_fields(
        core=pl.coalesce(null_if_empty(pl.field("joined")), pl.field("clean"))
    )
