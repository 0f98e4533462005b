"""Account records in the long form that ``api.sharing.visible`` reads (see its ``META``)."""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.api.lookups import in_overlap, keyed_accounts
from overlap.api.service import View
from overlap.ecosystem.data import VENDOR

RECORD_FIELDS = (
    schema.ID,
    schema.NAME,
    schema.WEBSITE,
    schema.EMAIL,
    schema.PHONE,
    schema.CITY,
    schema.COUNTRY,
    schema.INDUSTRY,
    schema.EMPLOYEES,
    schema.STATUS,
    schema.STAGE,
    schema.AMOUNT,
    schema.CLOSE_DATE,
)


def population(status: pl.Expr) -> pl.Expr:
    """The sharing population of a status: churned, partner or unknown count as prospects."""
    return (
        pl.when(status.is_in(schema.POPULATIONS))
        .then(status)
        .otherwise(pl.lit(schema.STATUS_PROSPECT))
    )


def population_of(status: str | None) -> str:
    """``population`` of one status, for the few rows of a response built in Python."""
    return status if status in schema.POPULATIONS else schema.STATUS_PROSPECT


def with_overlap(view: View, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``overlap``: its company is on the vendor's and ``partner_id``'s lists."""
    found = in_overlap(view, frame[schema.PARTNER_ID], frame[schema.COMPANY_ID])
    return frame.with_columns(found.alias("overlap"))


def account_records(view: View, accounts: pl.DataFrame, *, context: str | None) -> pl.DataFrame:
    """Long-form records of ``eco.accounts`` rows; vendor rows are seen from ``context``.

    ``context`` is the partner whose view a vendor record belongs to (a partner key's
    own partner), or None for the vendor's own view.
    """
    frame = accounts.select(
        schema.LIST_OWNER,
        pl.when(pl.col(schema.LIST_OWNER) == VENDOR)
        .then(pl.lit(context, pl.String))
        .otherwise(pl.col(schema.LIST_OWNER))
        .alias(schema.PARTNER_ID),
        population(pl.col(schema.STATUS)).alias("population"),
        schema.COMPANY_ID,
        *RECORD_FIELDS,
    )
    return with_overlap(view, frame).select(
        schema.LIST_OWNER,
        schema.PARTNER_ID,
        "population",
        "overlap",
        schema.COMPANY_ID,
        *RECORD_FIELDS,
    )


def keyed_records(view: View, keys: pl.DataFrame, *, context: str | None) -> pl.DataFrame:
    """Long-form records of the ``owner``, ``id`` pairs in ``keys``, in their order."""
    return account_records(view, keyed_accounts(view, keys), context=context)
