"""Countries, states, cities, postal codes, phones, addresses and registry ids."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest

from overlap.normalise import (
    address_norm,
    city_norm,
    country_code,
    phone_key,
    phone_norm,
    postal_norm,
    registry_norm,
    state_norm,
)


def apply(function: Callable[[pl.Expr], pl.Expr], value: str | None) -> str | None:
    return pl.select(function(pl.lit(value, pl.String))).item()


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("Germany", "DE"),
        ("germany ", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Deutschland", "DE"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("America", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("Northern Ireland", "GB"),
        ("N. Ireland", "GB"),
        ("Lao PDR", "LA"),
        ("China (PRC)", "CN"),
        ("Holland", "NL"),
        ("The Netherlands", "NL"),
        ("Nederland", "NL"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Italia", "IT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("Österreich", "AT"),
        ("Brasil", "BR"),
        ("México", "MX"),
        ("Nippon", "JP"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("UAE", "AE"),
        ("United Arab Emirates", "AE"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Trinidad & Tobago", "TT"),
        ("Taiwan", "TW"),
        ("Bolivia", "BO"),
        ("Narnia", None),
        ("", None),
        (None, None),
    ],
)
def test_country_code_reads_names_codes_and_aliases(
    country: str | None, expected: str | None
) -> None:
    assert apply(country_code, country) == expected


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("États-Unis", "US"),  # French
        ("Allemagne", "DE"),
        ("Royaume-Uni", "GB"),
        ("etats unis", "US"),  # without accents or hyphen
        ("Vereinigte Staaten", "US"),  # German
        ("Frankreich", "FR"),
        ("Alemania", "DE"),  # Spanish
        ("Reino Unido", "GB"),
        ("Verenigde Staten", "US"),  # Dutch
        ("Duitsland", "DE"),
        ("Stati Uniti", "US"),  # Italian
        ("Regno Unito", "GB"),
        ("Alemanha", "DE"),  # Portuguese
        ("Países Baixos", "NL"),
        ("Suíça", "CH"),
    ],
)
def test_country_code_reads_country_names_in_french_german_spanish_dutch_italian_and_portuguese(
    country: str, expected: str
) -> None:
    assert apply(country_code, country) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("Texas", "tx"),
        ("TX", "tx"),
        ("tx", "tx"),
        ("New York", "ny"),
        ("N.Y.", "ny"),
        ("Washington D.C.", "dc"),
        ("District of Columbia", "dc"),
        ("Québec", "qc"),
        ("Ontario", "on"),
        ("British Columbia", "bc"),
        ("New South Wales", "nsw"),
        ("Bavaria", "bavaria"),
        ("Baden-Württemberg", "baden wurttemberg"),
        ("", None),
        (None, None),
    ],
)
def test_state_norm_writes_us_canadian_and_australian_states_as_codes(
    state: str | None, expected: str | None
) -> None:
    assert apply(state_norm, state) == expected


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("St. Louis", "st louis"),
        ("Saint-Louis", "st louis"),
        ("SAINT LOUIS", "st louis"),
        ("Sainte-Foy", "ste foy"),
        ("Fort Worth", "ft worth"),
        ("München", "munchen"),
        ("Val-d'Or", "val dor"),
        ("  New   York ", "new york"),
        ("", None),
        (None, None),
    ],
)
def test_city_norm_folds_and_writes_saint_as_st(city: str | None, expected: str | None) -> None:
    assert apply(city_norm, city) == expected


@pytest.mark.parametrize(
    ("postal", "expected"),
    [
        ("sw1a 1aa", "SW1A1AA"),
        ("02134", "02134"),
        ("02134-1234", "02134"),
        ("021341234", "02134"),
        ("1234 AB", "1234AB"),
        ("00-950", "00950"),
        ("75008", "75008"),
        ("", None),
        (" - ", None),
        (None, None),
    ],
)
def test_postal_norm_keeps_letters_and_digits_and_cuts_zip_plus_4(
    postal: str | None, expected: str | None
) -> None:
    assert apply(postal_norm, postal) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+1 (555) 123-4567", "5551234567"),
        ("555.123.4567", "5551234567"),
        ("+1 555 123 4567 ext. 89", "5551234567"),
        ("555-123-4567 x12", "5551234567"),
        ("+44 20 7946 0958", "2079460958"),
        ("020 7946 0958", "2079460958"),
        ("+49 89 1234567", "9891234567"),
        ("555-0142", "5550142"),
        ("12345", None),
        # typed where the number is not known
        ("000-000-0000", None),
        ("555 555 5555", None),
        ("(123) 456-7890", None),
        ("987-6543", None),
        ("n/a", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_norm_keeps_the_last_ten_digits(phone: str | None, expected: str | None) -> None:
    assert apply(phone_norm, phone) == expected


def test_phone_numbers_written_with_and_without_country_code_share_their_last_seven_digits() -> (
    None
):
    local, international = apply(phone_norm, "030 1234 5678"), apply(phone_norm, "+49 30 12345678")
    assert local is not None and international is not None
    assert apply(phone_key, local) == apply(phone_key, international) == "2345678"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("100 North Main Street, Suite 5", "100 n main st ste 5"),
        ("100 N. Main St., Ste. 5", "100 n main st ste 5"),
        ("1 Infinite Loop", "1 infinite loop"),
        ("500 West Madison Avenue", "500 w madison ave"),
        ("12 Park Road", "12 park rd"),
        ("9 Sunset Boulevard", "9 sunset blvd"),
        ("Hauptstraße 5", "hauptstr 5"),
        ("Hauptstr. 5", "hauptstr 5"),
        ("P.O. Box 12", "po box 12"),
        ("Post Office Box 12", "po box 12"),
        ("1 Avenue des Champs-Élysées", "1 ave des champs elysees"),
        ("", None),
        (None, None),
    ],
)
def test_address_norm_abbreviates_street_words_one_way(
    address: str | None, expected: str | None
) -> None:
    assert apply(address_norm, address) == expected


@pytest.mark.parametrize(
    ("registry_id", "expected"),
    [
        ("DE 123.456-789", "DE123456789"),
        ("ab12 ", "AB12"),
        ("15-048-3782", "150483782"),
        ("  ", None),
        (None, None),
    ],
)
def test_registry_norm_keeps_upper_case_letters_and_digits(
    registry_id: str | None, expected: str | None
) -> None:
    assert apply(registry_norm, registry_id) == expected
