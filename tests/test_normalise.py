"""normalise: adds the normalised columns to an account frame and leaves the rest alone."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from overlap import schema
from overlap.normalise import normalise

INPUT_COLUMNS = (
    schema.ID,
    schema.NAME,
    schema.WEBSITE,
    schema.EMAIL,
    schema.PHONE,
    schema.ADDRESS,
    schema.CITY,
    schema.STATE,
    schema.POSTAL_CODE,
    schema.COUNTRY,
    schema.REGISTRY_ID,
)


def accounts(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(INPUT_COLUMNS, pl.String))


ACME = {
    schema.ID: "1",
    schema.NAME: "Acme Intl. Mfg. Co.",
    schema.WEBSITE: "https://www.Acme.co.uk/about",
    schema.EMAIL: "jane@sales.acme.co.uk",
    schema.PHONE: "+44 20 7946 0958",
    schema.ADDRESS: "10 Downing Street",
    schema.CITY: "London",
    schema.STATE: None,
    schema.POSTAL_CODE: "sw1a 2aa",
    schema.COUNTRY: "U.K.",
    schema.REGISTRY_ID: "GB 123 456",
}
GLOBEX = {
    schema.ID: "2",
    schema.NAME: "Globex Corporation",
    schema.WEBSITE: None,
    schema.EMAIL: "hank@globex.com",
    schema.PHONE: None,
    schema.ADDRESS: None,
    schema.CITY: "Saint Louis",
    schema.STATE: "Missouri",
    schema.POSTAL_CODE: "63101-1234",
    schema.COUNTRY: "USA",
    schema.REGISTRY_ID: None,
}
FREE_MAIL = {**GLOBEX, schema.ID: "3", schema.EMAIL: "hank@gmail.com"}


def test_normalise_fills_every_normalised_column() -> None:
    result = normalise(accounts([ACME, GLOBEX, FREE_MAIL]))
    expected = pl.DataFrame(
        {
            schema.NAME_CLEAN: [
                "acme international manufacturing co",
                "globex corp",
                "globex corp",
            ],
            schema.NAME_CORE: ["acme international manufacturing", "globex", "globex"],
            schema.NAME_COUNTRY: [None, None, None],
            schema.DOMAIN: ["acme.co.uk", "globex.com", None],
            schema.DOMAIN_LABEL: ["acme", "globex", None],
            schema.EMAIL_DOMAIN: ["acme.co.uk", "globex.com", None],
            schema.COUNTRY_CODE: ["GB", "US", "US"],
            schema.STATE_NORM: [None, "mo", "mo"],
            schema.CITY_NORM: ["london", "st louis", "st louis"],
            schema.POSTAL_NORM: ["SW1A2AA", "63101", "63101"],
            schema.PHONE_NORM: ["2079460958", None, None],
            schema.PHONE_KEY: ["9460958", None, None],
            schema.ADDRESS_NORM: ["10 downing st", None, None],
            schema.REGISTRY_NORM: ["GB123456", None, None],
        },
        schema=schema.NORMALISED_SCHEMA,
    )
    assert_frame_equal(result.select(list(schema.NORMALISED_SCHEMA)), expected)


def test_a_subsidiarys_country_after_its_groups_name_is_kept_apart_and_places_it() -> None:
    unplaced = {**ACME, schema.NAME: "IBM Deutschland GmbH", schema.COUNTRY: None}
    placed = {**GLOBEX, schema.NAME: "IBM Deutschland GmbH"}
    result = normalise(accounts([unplaced, placed]))
    assert result[schema.NAME_CORE].to_list() == ["ibm", "ibm"]
    assert result[schema.NAME_COUNTRY].to_list() == ["DE", "DE"]
    assert result[schema.COUNTRY_CODE].to_list() == ["DE", "US"]


def test_the_website_domain_comes_before_the_email_domain() -> None:
    row = {**ACME, schema.WEBSITE: "acme.com", schema.EMAIL: "jane@acme-mail.de"}
    result = normalise(accounts([row]))
    assert result[schema.DOMAIN].item() == "acme.com"
    assert result[schema.EMAIL_DOMAIN].item() == "acme-mail.de"


def test_normalise_adds_exactly_the_normalised_schema_and_keeps_the_input() -> None:
    frame = accounts([ACME, GLOBEX])
    result = normalise(frame)
    assert result.schema == pl.Schema({**frame.schema, **schema.NORMALISED_SCHEMA})
    assert_frame_equal(result.select(frame.columns), frame)


def test_normalise_overwrites_normalised_columns_already_present() -> None:
    frame = accounts([ACME]).with_columns(pl.lit("stale").alias(schema.NAME_CORE))
    result = normalise(frame)
    assert result.columns.count(schema.NAME_CORE) == 1
    assert result[schema.NAME_CORE].item() == "acme international manufacturing"


def test_normalise_keeps_a_lazy_frame_lazy() -> None:
    frame = accounts([ACME, GLOBEX])
    result = normalise(frame.lazy())
    assert isinstance(result, pl.LazyFrame)
    assert_frame_equal(result.collect(), normalise(frame))


@pytest.mark.parametrize("dtype", [pl.String, pl.Null])
def test_normalise_reads_all_null_columns_as_null(dtype: pl.DataType) -> None:
    frame = pl.DataFrame(
        {column: [None, None] for column in INPUT_COLUMNS},
        schema=dict.fromkeys(INPUT_COLUMNS, dtype),
    )
    result = normalise(frame)
    normalised = result.select(list(schema.NORMALISED_SCHEMA))
    assert normalised.schema == pl.Schema(schema.NORMALISED_SCHEMA)
    assert normalised.null_count().row(0) == (2,) * len(schema.NORMALISED_SCHEMA)


def test_a_field_the_list_does_not_have_is_null_beside_the_others() -> None:
    rows = [{**ACME, schema.EMAIL: None}, {**GLOBEX, schema.EMAIL: None}]
    result = normalise(accounts(rows))
    assert result[schema.DOMAIN].to_list() == ["acme.co.uk", None]
    assert result[schema.EMAIL_DOMAIN].to_list() == [None, None]
    assert result[schema.NAME_CORE].to_list() == ["acme international manufacturing", "globex"]
    assert_frame_equal(result, normalise(accounts(rows).lazy()).collect())


def test_normalise_handles_an_empty_frame() -> None:
    result = normalise(accounts([]))
    assert result.height == 0
    assert set(schema.NORMALISED_SCHEMA) <= set(result.columns)


def test_a_list_without_countries_takes_the_country_a_name_notes() -> None:
    rows = [
        {schema.ID: "1", schema.NAME: "Acme Corp (UK)"},
        {schema.ID: "2", schema.NAME: "Acme Corp (UK)", schema.COUNTRY: "France"},
        {schema.ID: "3", schema.NAME: "Acme Corp - EMEA"},
    ]
    normalised = normalise(accounts(rows))
    assert normalised[schema.COUNTRY_CODE].to_list() == ["GB", "FR", None]
    assert normalised[schema.NAME_CORE].to_list() == ["acme"] * 3
