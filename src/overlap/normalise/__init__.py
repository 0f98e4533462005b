"""Normalise an account frame: names, domains, places and ids spelled one way.

``normalise`` adds the columns of ``schema.NORMALISED_SCHEMA``; the functions it
is made of take and return polars expressions, so that they run vectorised and
can be reused on any column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import polars as pl

from overlap import schema
from overlap.normalise.domains import domain_from, domain_label
from overlap.normalise.name_notes import noted_country
from overlap.normalise.names import core_and_country, name_clean, name_core
from overlap.normalise.places import (
    address_norm,
    city_norm,
    country_code,
    phone_key,
    phone_norm,
    postal_norm,
    registry_norm,
    state_norm,
)

__all__ = [
    "address_norm",
    "city_norm",
    "country_code",
    "domain_from",
    "domain_label",
    "name_clean",
    "name_core",
    "normalise",
    "phone_key",
    "phone_norm",
    "postal_norm",
    "registry_norm",
    "state_norm",
]

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)

_CORE = "_core"  # the struct of a name's core and the country a subsidiary's name carries


def _text(column: str) -> pl.Expr:
    # An all-null column may arrive typed Null rather than String.
    return pl.col(column).cast(pl.String)


def normalise(accounts: Frame) -> Frame:
    """Add every column of ``schema.NORMALISED_SCHEMA`` to an account frame.

    Input columns are left as they are, and the normalised ones follow them in
    schema order (replacing any already present). A LazyFrame gives a LazyFrame,
    a DataFrame a DataFrame.
    """
    # Every normaliser reads null as null: the columns of a DataFrame with no value
    # (fields the list does not have) are not worked through.
    empty = _empty_columns(accounts)

    def normalised(column: str, function: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
        return pl.lit(None, pl.String) if column in empty else function(_text(column))

    country = normalised(schema.COUNTRY, country_code)
    if not _complete(accounts, schema.COUNTRY):
        # a list without countries may note them in names: "Acme Corp (UK)"
        country = pl.coalesce(country, normalised(schema.NAME, noted_country))
    normalised_columns = list(schema.NORMALISED_SCHEMA)
    frame = (
        accounts.lazy()
        .with_columns(
            normalised(schema.NAME, name_clean).alias(schema.NAME_CLEAN),
            normalised(schema.WEBSITE, domain_from).alias(schema.DOMAIN),
            normalised(schema.EMAIL, domain_from).alias(schema.EMAIL_DOMAIN),
            country.alias(schema.COUNTRY_CODE),
            normalised(schema.STATE, state_norm).alias(schema.STATE_NORM),
            normalised(schema.CITY, city_norm).alias(schema.CITY_NORM),
            normalised(schema.POSTAL_CODE, postal_norm).alias(schema.POSTAL_NORM),
            normalised(schema.PHONE, phone_norm).alias(schema.PHONE_NORM),
            normalised(schema.ADDRESS, address_norm).alias(schema.ADDRESS_NORM),
            normalised(schema.REGISTRY_ID, registry_norm).alias(schema.REGISTRY_NORM),
        )
        .with_columns(
            core_and_country(pl.col(schema.NAME_CLEAN)).alias(_CORE),
            pl.col(schema.DOMAIN).fill_null(pl.col(schema.EMAIL_DOMAIN)),
            phone_key(pl.col(schema.PHONE_NORM)).alias(schema.PHONE_KEY),
        )
        .with_columns(
            domain_label(pl.col(schema.DOMAIN)).alias(schema.DOMAIN_LABEL),
            pl.col(_CORE).struct.field("core").alias(schema.NAME_CORE),
            pl.col(_CORE).struct.field("country").alias(schema.NAME_COUNTRY),
            # "IBM Deutschland GmbH" is in Germany when the list does not say
            pl.col(schema.COUNTRY_CODE).fill_null(pl.col(_CORE).struct.field("country")),
        )
        .select(pl.exclude(_CORE, *normalised_columns), *normalised_columns)
    )
    if isinstance(accounts, pl.DataFrame):
        return frame.collect()
    return frame


def _complete(accounts: pl.DataFrame | pl.LazyFrame, column: str) -> bool:
    """Whether a DataFrame has a value in ``column`` on every row (a LazyFrame: not known)."""
    return isinstance(accounts, pl.DataFrame) and accounts[column].null_count() == 0


def _empty_columns(accounts: pl.DataFrame | pl.LazyFrame) -> set[str]:
    """Columns of a DataFrame that are null throughout; none of a LazyFrame (not read here)."""
    if isinstance(accounts, pl.LazyFrame):
        return set()
    return {
        column for column in accounts.columns if accounts[column].null_count() == accounts.height
    }
