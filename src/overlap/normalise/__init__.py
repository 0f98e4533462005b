"""Normalise an account frame: names, domains, places and ids spelled one way.

``normalise`` adds the columns of ``schema.NORMALISED_SCHEMA``; the functions it
is made of take and return polars expressions, so that they run vectorised and
can be reused on any column.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from overlap import schema
from overlap.normalise.domains import domain_from
from overlap.normalise.names import core_of_clean, name_clean, name_core
from overlap.normalise.places import (
    address_norm,
    city_norm,
    country_code,
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
    "name_clean",
    "name_core",
    "normalise",
    "phone_norm",
    "postal_norm",
    "registry_norm",
    "state_norm",
]

Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)


def _text(column: str) -> pl.Expr:
    # An all-null column may arrive typed Null rather than String.
    return pl.col(column).cast(pl.String)


def normalise(accounts: Frame) -> Frame:
    """Add every column of ``schema.NORMALISED_SCHEMA`` to an account frame.

    Input columns are left as they are, and the normalised ones follow them in
    schema order (replacing any already present). A LazyFrame gives a LazyFrame,
    a DataFrame a DataFrame.
    """
    normalised_columns = list(schema.NORMALISED_SCHEMA)
    normalised = (
        accounts.lazy()
        .with_columns(
            name_clean(_text(schema.NAME)).alias(schema.NAME_CLEAN),
            domain_from(_text(schema.WEBSITE)).alias(schema.DOMAIN),
            domain_from(_text(schema.EMAIL)).alias(schema.EMAIL_DOMAIN),
            country_code(_text(schema.COUNTRY)).alias(schema.COUNTRY_CODE),
            state_norm(_text(schema.STATE)).alias(schema.STATE_NORM),
            city_norm(_text(schema.CITY)).alias(schema.CITY_NORM),
            postal_norm(_text(schema.POSTAL_CODE)).alias(schema.POSTAL_NORM),
            phone_norm(_text(schema.PHONE)).alias(schema.PHONE_NORM),
            address_norm(_text(schema.ADDRESS)).alias(schema.ADDRESS_NORM),
            registry_norm(_text(schema.REGISTRY_ID)).alias(schema.REGISTRY_NORM),
        )
        .with_columns(
            core_of_clean(pl.col(schema.NAME_CLEAN)).alias(schema.NAME_CORE),
            pl.col(schema.DOMAIN).fill_null(pl.col(schema.EMAIL_DOMAIN)),
        )
        .select(pl.exclude(*normalised_columns), *normalised_columns)
    )
    if isinstance(accounts, pl.DataFrame):
        return normalised.collect()
    return normalised
