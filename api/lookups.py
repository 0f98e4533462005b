"""Accounts of the view found by binary search in sorted keys built once per view.

A page asks for a few rows (one company, a cell, a search's thousand records) of a
million accounts: a filter or a join would scan or hash every account on each request,
a ``search_sorted`` in keys sorted once per view (``View.shared``) touches only those.
The keys keep row numbers of ``eco.accounts``, not a sorted copy of the accounts.
"""

from __future__ import annotations

import polars as pl

from overlap import schema
from overlap.api.service import View
from overlap.ecosystem.data import VENDOR
from overlap.ecosystem.search import AccountSearch

SEPARATOR = "\x1f"
"""Between the parts of a two-part key: a character no owner, id or company id holds."""


def pair_key(first: pl.Expr, second: pl.Expr) -> pl.Expr:
    """One string key of two columns (null when either is)."""
    return pl.concat_str(first, pl.lit(SEPARATOR), second)


def _found(keys: pl.Series, values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Where each of ``values`` is (or would be) in the sorted ``keys``, and whether it is."""
    if keys.is_empty():
        return pl.Series([0] * len(values), dtype=pl.UInt32), pl.Series([False] * len(values))
    at = keys.search_sorted(values, side="left").clip(upper_bound=len(keys) - 1)
    return at, (keys.gather(at) == values).fill_null(False)


def overlap_keys(view: View) -> pl.Series:
    """Sorted ``pair_key``s of the (partner, company) pairs in the overlap: on that
    partner's list and on the vendor's."""

    def build() -> pl.Series:
        vendor = view.eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        pairs = view.partner_companies().join(
            vendor.select(schema.COMPANY_ID).unique(), on=schema.COMPANY_ID, how="semi"
        )
        keys = pairs.select(pair_key(pl.col(schema.PARTNER_ID), pl.col(schema.COMPANY_ID)))
        return keys.to_series().drop_nulls().sort()

    return view.shared(("overlap_keys",), build)


def in_overlap(view: View, partners: pl.Series, companies: pl.Series) -> pl.Series:
    """Whether each (partner, company) is in the overlap (False where either is null)."""
    pairs = pl.select(pair_key(pl.lit(partners), pl.lit(companies))).to_series()
    return _found(overlap_keys(view), pairs)[1]


def account_search(view: View) -> AccountSearch:
    """The index of every account's name that searches and suggestions read, once per view."""
    return view.shared(("account_search",), lambda: AccountSearch().fit(view.eco.accounts))


def _index(view: View, name: str, key: pl.Expr) -> pl.DataFrame:
    """``key`` of every account and its row in ``eco.accounts``, sorted by key (rows of
    one key in their order), nulls left out; built once per view."""
    return view.shared(
        ("account_index", name),
        lambda: (
            view.eco.accounts.select(key.alias("key"))
            .with_row_index("row")
            .drop_nulls("key")
            .sort("key", maintain_order=True)
        ),
    )


def _company_index(view: View) -> pl.DataFrame:
    return _index(view, "company", pl.col(schema.COMPANY_ID))


def _owner_id_index(view: View) -> pl.DataFrame:
    return _index(view, "owner_id", pair_key(pl.col(schema.LIST_OWNER), pl.col(schema.ID)))


def company_accounts(view: View, company_id: str) -> pl.DataFrame:
    """The ``eco.accounts`` rows of one company, in their order."""
    index = _company_index(view)
    keys = index.get_column("key")
    start = keys.search_sorted(company_id, side="left")
    end = keys.search_sorted(company_id, side="right")
    return view.eco.accounts[index.get_column("row").slice(start, end - start)]


def keyed_accounts(view: View, keys: pl.DataFrame) -> pl.DataFrame:
    """The ``eco.accounts`` rows of the ``owner``, ``id`` pairs in ``keys``, in their order
    (pairs of no account left out)."""
    index = _owner_id_index(view)
    wanted = keys.select(pair_key(pl.col(schema.LIST_OWNER), pl.col(schema.ID))).to_series()
    at, found = _found(index.get_column("key"), wanted)
    return view.eco.accounts[index.get_column("row").gather(at.filter(found))]


def account_owners(view: View) -> list[str]:
    """The owners of the vendor's accounts (the filter's choices), once per view."""

    def build() -> list[str]:
        vendor = view.eco.accounts.filter(pl.col(schema.LIST_OWNER) == VENDOR)
        return vendor.get_column(schema.ACCOUNT_OWNER).drop_nulls().unique().sort().to_list()

    return view.shared(("account_owners",), build)


def build_lookups(view: View) -> None:
    """Build every key and index above for ``view`` (the warm-up's first step)."""
    _company_index(view)
    _owner_id_index(view)
    overlap_keys(view)
    account_search(view)
    account_owners(view)
