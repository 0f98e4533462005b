"""What is written beside a company name and is no part of it, left out of a raw name.

Marks of a record not to use ("(old)"), a registry's or an exchange's notes ("/DE/",
"(Class A)"), notes of the record's place or role ("(UK)",
"- EMEA", "(HQ)"), what a comma puts after the legal form ("N.V., Rotterdam"), an
address pasted after it, a second name ("dba ...") and the parts of a web address.
Each is looked for only in the names holding a sign of it (a bracket, a dash, "www.").
"""

from __future__ import annotations

import re

import polars as pl

from overlap.normalise.legal_forms import DOTTED_FORMS, LEGAL_FORM_SPELLINGS, LEGAL_FORMS
from overlap.normalise.name_spelling import folded_name
from overlap.normalise.places import place_country
from overlap.normalise.selective import replaced_where_signed, worked_out_where
from overlap.normalise.text import once

# A legal form ends the name: what a comma puts after it is a note of the record's place,
# address or department ("Unilever N.V., Rotterdam", "Acme, Inc., Boston, MA"), and so is
# the Dutch seat after "te" ("Philips Electronics N.V. te Eindhoven") and what the company
# is after "a" ("Acme Inc. a Delaware corporation").
_FORM_WORDS = sorted(
    {form for form in (*LEGAL_FORMS, *DOTTED_FORMS) if " " not in form}
    | {spelling for spelling in LEGAL_FORM_SPELLINGS if " " not in spelling},
    key=len,
    reverse=True,
)
_RAW_FORM = "|".join(r"\.?\s?".join(form) if len(form) <= 4 else form for form in _FORM_WORDS)
_AFTER_FORM = rf"(?i)^(.+?[\s,](?:{_RAW_FORM})\.?)(?:\s*,[\s,]*|\s+(?:te|an?)\s+)[^\s,][\s\S]*$"


def without_note_after_form(expr: pl.Expr) -> pl.Expr:
    """A raw name without what a comma puts after its legal form ("Unilever N.V.,
    Rotterdam" -> "Unilever N.V.")."""
    return replaced_where_signed(expr, _AFTER_FORM, [",", " te ", " a ", " an "], "$1")


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


def without_markers(expr: pl.Expr) -> pl.Expr:
    """A raw name without the marks of a record not to use ("Acme Corp (old)" -> "Acme Corp")."""
    return replaced_where_signed(expr, _MARKED, _MARK_SIGNS)


# What a registry or an exchange writes after a name to tell listings apart: the state of
# incorporation of the SEC's conformed names ("APPLIED MATERIALS INC /DE", "BANK OF AMERICA
# CORP /DE/", "COSTCO WHOLESALE CORP /NEW", "Contemporary Amperex Technology Co./ADR"), in
# capitals after a slash at the end, a share class ("Alphabet Inc. (Class A)", "Fox Corp
# Class B", "Brown-Forman Corp Series B"), and the German exchanges' kind of share ("RWE AG
# ST O.N.", "Porsche AG VZO O.N.": common or preferred, registered or bearer, no par value).
# The state is no country: "/DE" is Delaware.
_LISTING = (
    r"(?-i:\s*/\s*[A-Z]{2,3}\s*/?\s*$)"  # "/DE/", "/NEW", "/ ADR"; "A/S", "S/A" keep theirs
    r"|(?i:\s*[(\[]\s*(?:class|cl\.?|series|ser\.?)\s+[a-z0-9]{1,2}\s*[)\]]\s*$)"
    r"|(?i:[\s,]+(?:class|cl\.|series|ser\.)\s+[a-z0-9]\s*$)"
    r"|(?i:(?:\s+(?:st|vzo?|inh|na|nam)\.?)*\s+o\.\s?n\.?\s*$)"  # "ST O.N.", "O.N."
    r"|(?-i:\s+(?:ST|VZO)\s*$)"  # "KGAA ST", in capitals only
)
_LISTING_SIGNS = ["/", "class", "cl.", "series", "ser.", "o.n", "o. n", " ST", " VZO"]


def without_listing_notes(expr: pl.Expr) -> pl.Expr:
    """A raw name without what a registry or an exchange writes after it ("QUALCOMM INC/DE",
    "Alphabet Inc. (Class A)" -> "QUALCOMM INC", "Alphabet Inc.")."""
    return replaced_where_signed(expr, _LISTING, _LISTING_SIGNS)


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
        is_place = place.struct.field("place") & ~note.pipe(folded_name).is_in(LEGAL_FORMS)
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


def _on_noted(expr: pl.Expr, part: int) -> pl.Expr:
    """``_place_notes(expr)[part]``, worked out only for the names holding a sign of a note;
    the name itself, or null, for the others."""

    def worked_out(noted: pl.Series) -> pl.Series:
        return noted.to_frame().select(_place_notes(pl.col(noted.name))[part]).to_series()

    return worked_out_where(
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
    return replaced_where_signed(expr, _ALIASED, _ALIAS_SIGNS)


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
    return replaced_where_signed(expr, _WEB_PARTS, _WEB_SIGNS, "$1$2")
