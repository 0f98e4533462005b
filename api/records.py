"""Account records in the long form that ``api.sharing.visible`` reads (see its ``META``)."""

from __future__ import annotations

import polars as pl

from overlap import schema
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


def _sorted_contains(keys: pl.Series, values: pl.Series) -> pl.Series:
    """Whether each of ``values`` is in the sorted ``keys``: a binary search each, so a
    page's few rows never hash a million keys (as ``is_in`` or a join would)."""
    if keys.is_empty():
        return pl.Series(values.name, [False] * len(values), pl.Boolean)
    at = keys.search_sorted(values, side="left").clip(upper_bound=len(keys) - 1)
    return (keys.gather(at) == values).fill_null(False)


def _pair_key(partner: pl.Expr, company: pl.Expr) -> pl.Expr:
    return pl.concat_str(partner, pl.lit("\x1f"), company)


def overlap_keys(view: View) -> pl.Series:
    """Sorted keys of the (partner, company) pairs in the overlap: on the partner's list
    and the vendor's (``_pair_key``); built once per view."""

    def build() -> pl.Series:
        vendor = view.eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        pairs = view.partner_companies().join(
            vendor.select(schema.COMPANY_ID).unique(), on=schema.COMPANY_ID, how="semi"
        )
        keys = pairs.select(_pair_key(pl.col(schema.PARTNER_ID), pl.col(schema.COMPANY_ID)))
        return keys.to_series().drop_nulls().sort()

    return view.shared(("overlap_keys",), build)


def company_records(view: View, company_id: str) -> pl.DataFrame:
    """The ``eco.accounts`` rows of one company, in their order: a slice of the accounts
    sorted by company (built once per view), not a scan of every account."""
    by_company = view.shared(
        ("accounts_by_company",),
        lambda: view.eco.accounts.filter(pl.col(schema.COMPANY_ID).is_not_null()).sort(
            schema.COMPANY_ID, maintain_order=True
        ),
    )
    ids = by_company.get_column(schema.COMPANY_ID)
    start = ids.search_sorted(company_id, side="left")
    end = ids.search_sorted(company_id, side="right")
    return by_company.slice(start, end - start)


def with_overlap(view: View, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``overlap``: its company is on the vendor's and ``partner_id``'s lists."""
    keys = frame.select(_pair_key(pl.col(schema.PARTNER_ID), pl.col(schema.COMPANY_ID)))
    return frame.with_columns(
        _sorted_contains(overlap_keys(view), keys.to_series()).alias("overlap")
    )


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
    accounts = keys.select(schema.LIST_OWNER, schema.ID).join(
        view.eco.accounts, on=[schema.LIST_OWNER, schema.ID], how="inner", maintain_order="left"
    )
    return account_records(view, accounts, context=context)
