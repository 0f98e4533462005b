"""Cell values -> typed account values, as polars expressions (no per-row Python).

Every function takes and returns an expression, so that it runs vectorised on a
whole column and can be tried on a literal: ``pl.select(number(pl.lit("$1.2M")))``.
"""

from __future__ import annotations

import itertools
from functools import cache

import ftfy
import polars as pl
import pycountry

from overlap import schema
from overlap.normalise import country_code
from overlap.normalise.text import once, words

PLACEHOLDERS: tuple[str, ...] = ("n/a", "none", "null", "nil", "-", "--", "?", "unknown", "#n/a")
"""Cell texts (compared case-insensitively) that mean "no value"."""


@cache
def _placeholders() -> list[str]:
    # Every upper/lower-case spelling, so that cells need no lower-casing (a third of the time).
    spellings = (
        "".join(letters)
        for word in PLACEHOLDERS
        for letters in itertools.product(*({ch.lower(), ch.upper()} for ch in word))
    )
    return ["", *sorted(set(spellings))]


def text(expr: pl.Expr) -> pl.Expr:
    """Stripped text; empty cells and placeholders ("n/a", "-", ...) become null."""
    return expr.cast(pl.String).str.strip_chars().replace(_placeholders(), None)


# What UTF-8 text read as Windows-1252, Latin-1 or Mac Roman starts its letters with
# ("SociÃ©tÃ©", "ÄŒeskÃ¡", "Ð“Ð°Ð·", "Children‚Äö√Ñ√¥s"): only cells holding one are looked at.
_MOJIBAKE_SIGNS = ["Ã", "Â", "â€", "Ä", "Å", "Ð", "Ñ", "√", "‚Ä"]


def repaired(expr: pl.Expr) -> pl.Expr:
    """Text some system once decoded with the wrong encoding, as it was written.

    "SociÃ©tÃ© GÃ©nÃ©rale" -> "Société Générale"; text that only looks alike
    ("Ångström") is kept. ftfy's repair runs in Python, on the few cells holding a
    sign of it.
    """

    def fixed(value: pl.Expr) -> pl.Expr:
        signed = pl.when(value.str.contains_any(_MOJIBAKE_SIGNS)).then(value)
        return pl.coalesce(signed.map_elements(ftfy.fix_encoding, return_dtype=pl.String), value)

    return once(expr, fixed)


# A money or count cell: sign or parentheses, a currency symbol or code before or after,
# digits with separators, a scale word ("1.2M", "3 bn", "500k", "500+").
_NUMBER = (
    r"^\(?[-+]?\s*(?:[a-z]{3}|[a-z]{0,2}[$€£¥₹])?\s*[-+]?\d[\d.,'\s\x{a0}\x{202f}]*"
    r"(?:k|mm|mn|mio|millions?|m|bn|billions?|b|thousands?)?\.?\+?\s*"
    r"(?:[a-z]{3}|[$€£¥₹])?\)?$"
)
_SCALE = {
    "k": 1e3, "thousand": 1e3, "thousands": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6,
    "million": 1e6, "millions": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip


def plain_number(expr: pl.Expr) -> pl.Expr:
    """Float64 of the common spellings only, cheaply: "1200", "$1,200,000.50"; else null.

    A first pass over big columns; ``number`` reads the cells this leaves null.
    """
    s = expr.cast(pl.String).str.strip_chars().str.strip_chars_start("$€£ ")
    # Searched for in the cell as written (spaces allowed before its end) rather than
    # in ``s``, so that ``s`` is computed once.
    decimal_comma = expr.cast(pl.String).str.contains(r",\d{0,2}\s*$|,\d{4}")
    return pl.when(~decimal_comma).then(
        s.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    )


def number(expr: pl.Expr) -> pl.Expr:
    """Float64 of a money or count cell; null when it is not one number.

    Reads currency symbols and codes, thousands separators, a decimal comma, and
    scale words: "$1,200,000", "1.200.000,50 €", "USD 1.2M", "(500)" -> -500.0,
    "500k" -> 500000.0. Ranges ("50-200") and words give null.
    """
    s = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    digits = s.str.replace_all(r"[^0-9.,]", "")
    has_comma = digits.str.contains(",", literal=True)
    has_dot = digits.str.contains(".", literal=True)
    plain = (
        pl.when(has_comma & has_dot & digits.str.contains(r",[0-9]*$"))
        .then(digits.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(has_comma & (has_dot | digits.str.contains(r"^\d{1,3}(,\d{3})+$")))
        .then(digits.str.replace_all(",", "", literal=True))
        .when(has_comma)
        .then(digits.str.replace(",", ".", literal=True))
        .when(digits.str.contains(r"^\d{1,3}(\.\d{3}){2,}$"))
        .then(digits.str.replace_all(".", "", literal=True))
        .otherwise(digits)
    )
    scale = (
        s.str.extract(r"\d[\d.,'\s\x{a0}\x{202f}]*([a-z]+)")
        .replace_strict(list(_SCALE), list(_SCALE.values()), default=1.0, return_dtype=pl.Float64)
        .fill_null(1.0)
    )
    sign = pl.when(s.str.contains(r"^\(.*\)$|^[^\d]*-")).then(-1.0).otherwise(1.0)
    parsed = pl.when(s.str.contains(_NUMBER)).then(
        plain.cast(pl.Float64, strict=False) * scale * sign
    )
    return pl.coalesce(s.cast(pl.Float64, strict=False), parsed)


def plain_date(expr: pl.Expr) -> pl.Expr:
    """Date of an ISO cell ("2026-01-31", "2026-01-31T10:00:00"); null otherwise (cheap)."""
    return (
        expr.cast(pl.String)
        .str.strip_chars()
        .str.slice(0, 10)
        .str.to_date("%Y-%m-%d", strict=False)
    )


def date(expr: pl.Expr) -> pl.Expr:
    """Date of a cell in any common spelling; null when none fits.

    ISO ("2026-01-31", with or without a time), "31.01.2026", month names ("Jan 31, 2026",
    "31 Jan 2026", "31-Jan-2026") and slashed dates. Slashed dates are month first
    unless some value of the column only reads day first ("31/01/2026").
    """
    s = expr.cast(pl.String).str.strip_chars()
    first = s.str.extract(r"^(\S+)")
    parts = first.str.extract_groups(r"^(\d{1,2})/(\d{1,2})/\d{2,4}$")
    day_first = (parts.struct[0].cast(pl.Int32) > 12).any() & ~(
        parts.struct[1].cast(pl.Int32) > 12
    ).any()
    slashed = [f"{a}/{b}/{y}" for y in ("%Y", "%y") for a, b in (("%m", "%d"), ("%d", "%m"))]
    as_slashed = [first.str.to_date(f, strict=False) for f in slashed]
    return pl.coalesce(
        plain_date(first),
        first.str.to_date("%Y/%m/%d", strict=False),
        first.str.to_date("%d.%m.%Y", strict=False),
        pl.when(day_first).then(as_slashed[1]).otherwise(as_slashed[0]),
        pl.when(day_first).then(as_slashed[3]).otherwise(as_slashed[2]),
        *(s.str.to_date(f, strict=False) for f in ("%b %d, %Y", "%B %d, %Y", "%d %b %Y")),
        *(s.str.to_date(f, strict=False) for f in ("%d %B %Y", "%d-%b-%Y", "%d-%b-%y")),
    )


# Free-text relationship -> schema.STATUSES, first match wins ("Former customer" is churned,
# "cliente potencial" a prospect), in English, French, German, Spanish, Dutch, Italian and
# Portuguese; read folded (lower case, no accents, punctuation as spaces).
_STATUS_RULES = (
    (
        schema.STATUS_CHURNED,
        r"former|churn|\bex ?(customer|client|kunde|klant)|inacti|inakti|inatti|inativ|cancel"
        r"|ancien client|resilie|ehemalig|gekundigt|antiguo cliente|de baja|voormalig|oud klant"
        r"|opgezegd|cessato|disdett|antigo cliente",
    ),
    (
        schema.STATUS_PARTNER,
        r"partner|reseller|distribu|integra(tor|teur|dor|tore)|\bvar\b|referral|partenaire"
        r"|revendeur|wiederverkaufer|\bhandler\b|\bsocio\b|revendedor|wederverkoper"
        r"|rivenditore|parceiro",
    ),
    (
        schema.STATUS_OPPORTUNITY,
        r"opportunit|oportunidad|pitch|hot lead|negocia|negotiat|negozia|trattativa|proposal"
        r"|proposition|propuesta|proposta|offerte|angebot|verhandlung|onderhandel"
        r"|verkaufschance|verkoopkans|\bchance\b|\bkans\b",
    ),
    (schema.STATUS_PROSPECT, r"prospe|potenti|potenzi|potencia|interessent"),
    (
        schema.STATUS_CUSTOMER,
        r"customer|client|kunde|klant|closed won|\bwon\b|gagne|gewonnen|ganad|vint[oa]|ganho",
    ),
    (schema.STATUS_PROSPECT, r"lead|qualified|\bmql\b|\bsql\b|subscriber|target|piste"),
)


def relationship_status(relationship: pl.Expr) -> pl.Expr:
    """Relationship status (one of schema.STATUSES) from free text; null if unknown.

    "Customer - Direct", "client", "Kunde", "cliente", "klant" -> customer; "Former
    Customer", "ancien client", "ehemaliger Kunde" -> churned; HubSpot's
    "salesqualifiedlead", "Interessent", "cliente potencial" -> prospect; "Reseller",
    "Partenaire", "socio" -> partner; "Opportunité", "Verkaufschance" -> opportunity.
    """
    said = words(relationship.cast(pl.String))
    return pl.coalesce(
        pl.when(said.str.contains(pattern)).then(pl.lit(value)) for value, pattern in _STATUS_RULES
    )


# An opportunity stage that is closed, won or lost, in the languages of _STATUS_RULES.
_CLOSED = r"closed|ferme|abgeschlossen|cerrad|gesloten|chius|fechad"
_WON = r"(?:won|gagnee?|gewonnen|ganad[ao]|vint[ao]|ganh[ao])"
_LOST = r"lost|perdu|verloren|perdid|pers[ao]\b"


def stage_status(stage: pl.Expr) -> pl.Expr:
    """Status an opportunity stage implies: open -> "opportunity", Closed Won -> "customer".

    Used where a row has no status of its own; Closed Lost implies nothing. "Gagné",
    "Gewonnen", "Cerrado ganado" are won; "Perdu", "Verloren", "Chiuso" closed.
    """
    said = words(stage.cast(pl.String))
    won = said.str.contains(f"(?:{_CLOSED})\\w*\\s*{_WON}\\b|^{_WON}$")
    return (
        pl.when(won)
        .then(pl.lit(schema.STATUS_CUSTOMER))
        .when(said.is_not_null() & ~said.str.contains(f"{_CLOSED}|{_LOST}|^{_WON}$"))
        .then(pl.lit(schema.STATUS_OPPORTUNITY))
    )


_EMAIL = r"(?i)^(?:mailto:)?[^@\s/:]+@[^@\s/]+\.[^@\s/]+$"
_URL = r"(?i)^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#]\S*)?$"


def is_email(expr: pl.Expr) -> pl.Expr:
    """True where the cell is one e-mail address (optionally "mailto:")."""
    return expr.str.contains(_EMAIL)


def is_url(expr: pl.Expr) -> pl.Expr:
    """True where the cell is a web address or a bare domain and not an e-mail."""
    return expr.str.contains(_URL) & ~expr.str.contains("@", literal=True)


def without_mailto(expr: pl.Expr) -> pl.Expr:
    """The address of an e-mail cell without a "mailto:" prefix."""
    return expr.str.replace(r"(?i)^mailto:", "")


@cache
def _state_codes() -> frozenset[str]:
    """Subdivision codes written instead of a state name ("TX", "ON", "NSW")."""
    return frozenset(
        s.code.split("-")[1]
        for country in ("US", "CA", "AU")
        for s in pycountry.subdivisions.get(country_code=country)
    )


def split_location(expr: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(city, state, country) of a "City, State, Country" cell.

    "Munich, Bavaria, Germany" -> all three; "Lyon, France" -> city and country;
    "Austin, TX" -> city and state (a US, Canadian or Australian state code is a
    state even where it is also a country code); "Paris" -> city.
    """
    parts = expr.str.split(",").list.eval(pl.element().str.strip_chars()).list
    n = parts.len()
    last = parts.get(-1, null_on_oob=True)
    state_code = last.str.to_uppercase().is_in(sorted(_state_codes()))
    last_is_country = (n >= 2) & country_code(last).is_not_null() & ~state_code
    city = pl.when(n >= 1).then(parts.first())
    state = (
        pl.when(n >= 3)
        .then(parts.get(-2, null_on_oob=True))
        .when((n == 2) & ~last_is_country)
        .then(last)
    )
    country = pl.when((n >= 3) | last_is_country).then(last)
    return text(city), text(state), text(country)
