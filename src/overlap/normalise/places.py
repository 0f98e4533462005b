"""Countries, states, cities, postal codes, street addresses, phones and registry ids."""

from __future__ import annotations

import gettext
from functools import cache

import polars as pl
import pycountry

from overlap.normalise.text import (
    folded_padded,
    null_if_empty,
    once,
    per_distinct,
    replace_words,
    words,
)

# Names pycountry does not know -> ISO 3166-1 alpha-2. Keys are folded like any input.
COUNTRY_ALIASES = {
    "America": "US",
    "United States": "US",
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "N Ireland": "GB",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "Deutschland": "DE",
    "Federal Republic of Germany": "DE",
    "Holland": "NL",
    "Nederland": "NL",
    "España": "ES",
    "Italia": "IT",
    "Schweiz": "CH",
    "Suisse": "CH",
    "Svizzera": "CH",
    "Österreich": "AT",
    "Belgique": "BE",
    "België": "BE",
    "Sverige": "SE",
    "Norge": "NO",
    "Danmark": "DK",
    "Suomi": "FI",
    "Polska": "PL",
    "Česko": "CZ",
    "Czech Republic": "CZ",
    "Magyarország": "HU",
    "Hellas": "GR",
    "Ellada": "GR",
    "EL": "GR",
    "Éire": "IE",
    "Republic of Ireland": "IE",
    "Hrvatska": "HR",
    "Brasil": "BR",
    "México": "MX",
    "Nippon": "JP",
    "Nihon": "JP",
    "Zhongguo": "CN",
    "PRC": "CN",
    "People's Republic of China": "CN",
    "Mainland China": "CN",
    "Hong Kong SAR": "HK",
    "Macau": "MO",
    "Korea": "KR",
    "South Korea": "KR",
    "Republic of Korea": "KR",
    "Korea South": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Rossiya": "RU",
    "Turkey": "TR",
    "UAE": "AE",
    "Emirates": "AE",
    "KSA": "SA",
    "Ivory Coast": "CI",
    "Vietnam": "VN",
    "Laos": "LA",
    "Lao PDR": "LA",
    "Bosnia": "BA",
    "Kosovo": "XK",  # a code in common use, not (yet) in ISO 3166
    "China PRC": "CN",
    "Syria": "SY",
    "Iran": "IR",
    "Moldova": "MD",
    "Macedonia": "MK",
    "Burma": "MM",
    "Swaziland": "SZ",
    "Cape Verde": "CV",
    "East Timor": "TL",
    "DRC": "CD",
    "DR Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo Kinshasa": "CD",
    "Republic of the Congo": "CG",
    "Congo Brazzaville": "CG",
    "Vatican": "VA",
    "Palestine": "PS",
    "Tanzania": "TZ",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Brunei": "BN",
    "Micronesia": "FM",
    "St Kitts and Nevis": "KN",
    "St Lucia": "LC",
    "St Vincent and the Grenadines": "VC",
}

# Street words -> the abbreviation they are written as.
ADDRESS_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "square": "sq",
    "terrace": "ter",
    "highway": "hwy",
    "parkway": "pkwy",
    "expressway": "expy",
    "freeway": "fwy",
    "circle": "cir",
    "center": "ctr",
    "centre": "ctr",
    "building": "bldg",
    "floor": "fl",
    "suite": "ste",
    "apartment": "apt",
    "room": "rm",
    "unit": "unit",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "post office box": "po box",
}
# Replaced within words too ("Hauptstraße" -> "hauptstr"), before punctuation is folded.
_ADDRESS_SPELLINGS = {"strasse": "str", "straße": "str", "p.o.": "po", "p. o.": "po"}

CITY_WORDS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}

# Subdivisions whose codes are written instead of their names ("TX" for Texas).
_STATE_COUNTRIES = ("US", "CA", "AU")
_STATE_ALIASES = {"Washington DC": "dc", "Newfoundland": "nl", "Yukon Territory": "yt"}


def _key(expr: pl.Expr) -> pl.Expr:
    """Folded letters and digits only, no leading "the": "The U.S.A." -> "usa"."""
    return words(expr).str.replace(r"^the ", "").str.replace_all(" ", "", literal=True)


def _lookup(raw: dict[str, str], key: pl.Expr) -> dict[str, str]:
    """``raw`` with each key folded by ``key`` (the very expression applied to input)."""
    frame = pl.DataFrame({"raw": list(raw), "value": list(raw.values())})
    folded = frame.select(key.alias("key"), "value").unique(
        "key", keep="first", maintain_order=True
    )
    return dict(zip(folded["key"], folded["value"], strict=True))


COUNTRY_LANGUAGES = ("fr", "de", "es", "nl", "it", "pt", "pt_BR")
"""Languages whose country names are read besides English ("Allemagne", "Vereinigte
Staaten", "Reino Unido"): the ISO 3166 names as pycountry's gettext catalogues translate them."""

_NAME_FIELDS = ("name", "official_name", "common_name")


def _translated_names() -> dict[str, str]:
    """Country names in ``COUNTRY_LANGUAGES`` -> ISO 3166-1 alpha-2."""
    names: dict[str, str] = {}
    for language in COUNTRY_LANGUAGES:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        for country in pycountry.countries:
            for field in _NAME_FIELDS:
                if value := getattr(country, field, None):
                    names.setdefault(catalogue.gettext(value), country.alpha_2)
    return names


@cache
def _countries() -> dict[str, str]:
    raw: dict[str, str] = {}
    for country in pycountry.countries:
        for field in ("alpha_2", "alpha_3", *_NAME_FIELDS):
            if value := getattr(country, field, None):
                raw.setdefault(value, country.alpha_2)
    english = raw | COUNTRY_ALIASES
    # after the English names, codes and aliases: a folded key keeps its first country
    translated = {name: code for name, code in _translated_names().items() if name not in english}
    return _lookup(english | translated, _key(pl.col("raw")))


@cache
def _states() -> dict[str, str]:
    raw = dict(_STATE_ALIASES)
    for country in _STATE_COUNTRIES:
        for subdivision in pycountry.subdivisions.get(country_code=country):
            code = subdivision.code.split("-")[1]
            raw[subdivision.name] = raw[code] = code.lower()
    return _lookup(raw, _key(pl.col("raw")))


def country_code(expr: pl.Expr) -> pl.Expr:
    """ISO 3166-1 alpha-2 code of a country name, alias or code; null if unknown.

    Reads ISO names, official and common names, alpha-2 and alpha-3 codes and common
    aliases and native names, and the ISO names in ``COUNTRY_LANGUAGES``, ignoring case,
    accents and punctuation: "U.S.A.", "United States of America", "usa ", "États-Unis"
    -> "US"; "Deutschland", "DEU", "Allemagne", "Alemania" -> "DE".
    """
    countries = _countries()

    def lookup(names: pl.Expr) -> pl.Expr:
        return _key(names).replace_strict(countries, default=None, return_dtype=pl.String)

    return per_distinct(expr, lookup)


# Regions sales teams write after an account's name ("Acme Corp - EMEA"): a place, no country.
REGIONS = (
    *("EMEA", "EMEAR", "APAC", "APJ", "AMER", "Americas", "NORAM", "LATAM", "LAC", "MENA"),
    *("DACH", "Benelux", "Nordics", "ANZ", "North America", "South America", "Latin America"),
    *("Central America", "Europe", "Western Europe", "Eastern Europe", "Asia", "Asia Pacific"),
    *("Middle East", "Africa", "Oceania", "Global", "Worldwide"),
)


@cache
def _places() -> dict[str, str | None]:
    """Folded place names -> their country code, null for a region or a state, which are
    not countries (nor is "DE", "GA" or "Georgia" when a state of a list's country is meant)."""
    states = _states()
    regions = pl.select(_key(pl.lit(pl.Series(REGIONS)))).to_series()
    return (
        dict.fromkeys(regions.to_list())
        | dict.fromkeys(states)
        | {key: code for key, code in _countries().items() if key not in states}
    )


def place_country(expr: pl.Expr) -> pl.Expr:
    """Whether a text names a place (a country, region or state) and its country code:
    a struct of ``place`` (bool) and ``country`` (null unless a country alone is named).

    "UK" -> (true, "GB"); "EMEA", "Texas", "DE" (Delaware or Germany) -> (true, null);
    "Holdings" -> (false, null).
    """
    places = _places()
    key = _key(expr)
    return pl.struct(
        key.is_in(list(places)).fill_null(False).alias("place"),
        key.replace_strict(places, default=None, return_dtype=pl.String).alias("country"),
    )


def state_norm(expr: pl.Expr) -> pl.Expr:
    """Folded state or province; US, Canadian and Australian ones as their lower-case code.

    "Texas", "TX", "tx" -> "tx"; "Québec" -> "qc"; "Bavaria" -> "bavaria".
    """
    states = _states()

    def lookup(names: pl.Expr) -> pl.Expr:
        return null_if_empty(_key(names).replace_strict(states, default=words(names)))

    return per_distinct(expr, lookup)


def city_norm(expr: pl.Expr) -> pl.Expr:
    """Folded city: lower case, no punctuation, "Saint" / "St." written "st"."""
    return per_distinct(expr, lambda cities: null_if_empty(words(cities, CITY_WORDS)))


def postal_norm(expr: pl.Expr) -> pl.Expr:
    """Upper-case letters and digits of a postal code; a US ZIP+4 as its five-digit ZIP.

    "sw1a 1aa" -> "SW1A1AA", "02134-1234" -> "02134". Nine digits are read as a
    ZIP+4 whatever the country: no other country writes nine-digit codes.
    """

    def clean(codes: pl.Expr) -> pl.Expr:
        letters_digits = codes.str.to_uppercase().str.replace_all(r"[^0-9A-Z]+", "")
        return null_if_empty(letters_digits.str.replace(r"^(\d{5})\d{4}$", "$1"))

    return per_distinct(expr, clean)


@cache
def _made_up_numbers() -> list[str]:
    """Numbers typed where the phone is not known: a run of counting digits ("1234567890")."""
    runs = ("01234567890123456789", "98765432109876543210")
    return sorted(
        {run[start : start + n] for run in runs for n in range(7, 11) for start in range(10)}
    )


def phone_norm(expr: pl.Expr) -> pl.Expr:
    """The last ten digits of a phone number, its extension dropped; null under seven digits,
    and for a number of one digit repeated or counting digits ("000-000-0000", "1234567").

    Ten digits hold a national number without its country or trunk prefix in most
    countries; matching compares the last seven, which the formats agree on.
    """
    without_extension = expr.str.replace(r"(?i)\s*(?:ext|x|#)\.?\s*\d{1,6}\s*$", "")
    digits = without_extension.str.replace_all(r"[^0-9]+", "")

    def phone(d: pl.Expr) -> pl.Expr:
        last = d.str.slice(-10)
        made_up = (last.str.strip_chars(last.str.slice(0, 1)) == "") | last.is_in(
            _made_up_numbers()
        )
        return pl.when((d.str.len_bytes() >= 7) & ~made_up).then(last)

    return once(digits, phone)


def phone_key(phone: pl.Expr) -> pl.Expr:
    """The last seven digits of a ``phone_norm`` number, which its formats agree on: the
    key phones are blocked and compared on."""
    return phone.str.slice(-7)


def address_norm(expr: pl.Expr) -> pl.Expr:
    """Folded street address with street words abbreviated one way.

    "100 North Main Street, Suite 5" -> "100 n main st ste 5";
    "Hauptstraße 5" -> "hauptstr 5".
    """
    return null_if_empty(replace_words(folded_padded(expr, _ADDRESS_SPELLINGS), ADDRESS_WORDS))


def registry_norm(expr: pl.Expr) -> pl.Expr:
    """Upper-case letters and digits of a registry id (DUNS, LEI, VAT); null if none."""
    return null_if_empty(expr.str.to_uppercase().str.replace_all(r"[^0-9A-Z]+", ""))
