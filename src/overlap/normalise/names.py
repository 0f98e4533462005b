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

Its tables and steps live beside it: ``legal_forms``, ``name_spelling`` (the folding)
and ``name_notes`` (what is written beside a name, left out).
"""

from __future__ import annotations

from functools import cache

import polars as pl

from overlap.normalise.legal_forms import (
    CJK_FORM,
    CJK_FORMS,
    CJK_SHORT_FORMS,
    LEGAL_FORMS,
    prefix_pattern,
)
from overlap.normalise.name_notes import (
    without_address_after_form,
    without_alias,
    without_listing_notes,
    without_markers,
    without_note_after_form,
    without_place_notes,
    without_web_address,
)
from overlap.normalise.name_spelling import folded_name
from overlap.normalise.selective import replaced_where_signed
from overlap.normalise.text import null_if_empty

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
as if more names holding them came with it (``spelling.token_frequencies``): a list of thirty
names cannot tell that "group" is a common word and "sony" is not."""


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


@cache
def _folded_placeholders() -> list[str]:
    """``PLACEHOLDER_NAMES`` as ``folded_name`` spells them ("n a" and "na" are one)."""
    folded = pl.select(folded_name(pl.lit(pl.Series(PLACEHOLDER_NAMES)))).to_series()
    return folded.unique(maintain_order=True).to_list()


def name_clean(expr: pl.Expr) -> pl.Expr:
    """A company name folded and spelled one way, every word kept; null if empty or a placeholder.

    "Acme Int'l. Mfg. Co., L.L.C." -> "acme international manufacturing co llc";
    "Acme Corp (UK) [DUPLICATE]" -> "acme corp". Placeholders are caught however they
    are written ("TEST ACCOUNT!").
    """
    unmarked = without_web_address(
        without_address_after_form(
            without_note_after_form(
                without_alias(without_place_notes(without_listing_notes(without_markers(expr))))
            )
        )
    )
    return folded_name(unmarked).replace(_folded_placeholders(), None)


def name_core(expr: pl.Expr) -> pl.Expr:
    """The distinctive part of a raw company name: ``name_clean`` without legal forms.

    "KONINKLIJKE PHILIPS ELECTRONICS N.V." -> "philips electronics". A name that
    is nothing but legal forms ("The Company", "AB") keeps its ``name_clean``.
    """
    return core_of_clean(name_clean(expr))


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
    prefixes = prefix_pattern()
    # "the" at the end too: an export's "Home Depot, The" is "The Home Depot"
    forms = "|".join(sorted((*LEGAL_FORMS, "the"), key=len, reverse=True))
    # Struct fields hold the steps, so that each is computed once.
    steps = pl.struct(clean=clean).struct.with_fields(
        cjk=replaced_where_signed(pl.field("clean"), CJK_FORM, [*CJK_FORMS, *CJK_SHORT_FORMS])
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
