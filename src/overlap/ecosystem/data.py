"""The vendor's accounts, its partners' accounts, products and deals, resolved to companies.

An ``Ecosystem`` is what the reports, the graph and the rankings read. Its ``accounts``
hold one row per record of every list with the columns of ``schema.ACCOUNT_SCHEMA``
plus ``owner`` (``schema.LIST_OWNER``: whose list, ``VENDOR`` or a partner id) and
``company_id`` (records with the same company_id, in any list, are the same real
company). Because the list owner takes the name ``owner``, the account's sales owner
(``schema.OWNER`` in an account frame) is kept as ``schema.ACCOUNT_OWNER``.

Time: ``as_of`` (``AS_OF``) is the date a record was known on: the export date of its
partner list (one list exported on several dates is several snapshots), or the vendor
record's own created date (the vendor's CRM is its current data); null when undated.
``listed_since`` (``LISTED_SINCE``) is the first export date on which the owner listed
the company: when the relationship started, as far as the lists tell.

``status`` is the list owner's relationship with the company as ingested, except that
a prospect with an open opportunity stage is an ``opportunity``. An *open opportunity*
(``is_open_opportunity``) is a record of status ``opportunity`` or with an open stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from overlap import schema
from overlap.ingest.values import stage_status

VENDOR = "vendor"
AS_OF = "as_of"
LISTED_SINCE = "listed_since"

PARTNER_SCHEMA: dict[str, pl.DataType] = {
    "partner_id": pl.String(),
    "name": pl.String(),
    "type": pl.String(),
    "role": pl.String(),
    "tier": pl.String(),
    "certifications": pl.List(pl.String()),
    "points": pl.Int64(),
}
PRODUCT_SCHEMA: dict[str, pl.DataType] = {
    "product_id": pl.String(),
    "name": pl.String(),
    "family": pl.String(),
    "list_price": pl.Float64(),
}
DEAL_SCHEMA: dict[str, pl.DataType] = {
    "deal_id": pl.String(),
    "account_id": pl.String(),
    "product": pl.String(),
    "amount": pl.Float64(),
    "created_date": pl.Date(),
    "close_date": pl.Date(),
    "outcome": pl.String(),
    "partner_id": pl.String(),
    "partner_touch_date": pl.Date(),
}
COMPANY_ID_SCHEMA: dict[str, pl.DataType] = {
    schema.LIST_OWNER: pl.String(),
    schema.ID: pl.String(),
    schema.COMPANY_ID: pl.String(),
}


@dataclass(frozen=True)
class Ecosystem:
    """Every list resolved to companies, with the partner directory, products and deals.

    ``accounts``: ``schema.ACCOUNT_SCHEMA`` columns (sales owner as ``account_owner``),
    then ``owner``, ``company_id``, ``as_of`` and ``listed_since``.
    ``partners``: ``PARTNER_SCHEMA``. ``products``: ``PRODUCT_SCHEMA``.
    ``deals``: ``DEAL_SCHEMA``, ``account_id`` being a vendor account id and
    ``partner_id`` null when no partner was involved.
    """

    accounts: pl.DataFrame
    partners: pl.DataFrame
    products: pl.DataFrame
    deals: pl.DataFrame


def ecosystem_from_frames(
    vendor: pl.DataFrame,
    partner_lists: Mapping[str, pl.DataFrame],
    partners: pl.DataFrame,
    products: pl.DataFrame,
    deals: pl.DataFrame,
    *,
    company_ids: pl.DataFrame,
) -> Ecosystem:
    """An Ecosystem from account frames and the company of each record.

    ``partner_lists`` maps a partner id to its account frame; ``company_ids`` has
    ``owner``, ``id``, ``company_id`` (``resolved_accounts`` says how they are used).
    """
    lists = {VENDOR: vendor, **partner_lists}
    accounts = resolved_accounts(
        {owner: frame.lazy() for owner, frame in lists.items()}, company_ids.lazy()
    )
    return ecosystem_of(accounts.collect(), partners, products, deals)


def ecosystem_of(
    accounts: pl.DataFrame, partners: pl.DataFrame, products: pl.DataFrame, deals: pl.DataFrame
) -> Ecosystem:
    """An Ecosystem of ``resolved_accounts`` and the partners, products and deals, each
    given exactly the columns of its schema."""
    return Ecosystem(
        accounts=accounts,
        partners=_typed(partners, PARTNER_SCHEMA),
        products=_typed(products, PRODUCT_SCHEMA),
        deals=_typed(deals, DEAL_SCHEMA),
    )


def resolved_accounts(lists: Mapping[str, pl.LazyFrame], company_ids: pl.LazyFrame) -> pl.LazyFrame:
    """The ``Ecosystem.accounts`` of the account frames in ``lists``, by list owner.

    A record missing from ``company_ids`` (``owner``, ``id``, ``company_id``) is a
    company of its own, named ``owner:id``; a record id given twice (in two snapshots)
    takes its first company.
    A frame's optional ``as_of`` column dates its records; the vendor's records
    without one are dated by their created date.
    Lazy, so that a caller can write it to a file as it is worked out (``sink_parquet``).
    """
    accounts = listed_accounts(lists)
    ids = company_ids.select(pl.col(c).cast(t) for c, t in COMPANY_ID_SCHEMA.items()).unique(
        [schema.LIST_OWNER, schema.ID], keep="first", maintain_order=True
    )
    accounts = accounts.join(
        ids, on=[schema.LIST_OWNER, schema.ID], how="left", maintain_order="left"
    ).with_columns(
        pl.coalesce(schema.COMPANY_ID, pl.concat_str(schema.LIST_OWNER, pl.lit(":"), schema.ID))
    )
    since = pl.col(AS_OF).min().over(schema.LIST_OWNER, schema.COMPANY_ID)
    columns = [c for c in accounts.collect_schema().names() if c != AS_OF]
    return accounts.select(*columns, AS_OF, since.alias(LISTED_SINCE)).with_columns(
        opportunity_status()
    )


def listed_accounts(lists: Mapping[str, pl.LazyFrame]) -> pl.LazyFrame:
    """The records of ``lists`` as ``resolved_accounts`` reads them, before their companies:
    one frame, with their ``owner`` (``schema.LIST_OWNER``) and ``as_of``; row by row."""
    return pl.concat(
        [
            frame.select(
                *(pl.col(c).cast(t) for c, t in schema.ACCOUNT_SCHEMA.items()),
                _as_of(frame, vendor=owner == VENDOR),
            )
            .rename({schema.OWNER: schema.ACCOUNT_OWNER})
            .with_columns(pl.lit(owner).alias(schema.LIST_OWNER))
            for owner, frame in lists.items()
        ]
    )


def _as_of(frame: pl.LazyFrame, *, vendor: bool) -> pl.Expr:
    """The date each record of ``frame`` was known on (see the module's docstring)."""
    dated = AS_OF in frame.collect_schema().names()
    given = pl.col(AS_OF).cast(pl.Date) if dated else pl.lit(None, pl.Date)
    return (
        pl.coalesce(given, pl.col(schema.CREATED_DATE).cast(pl.Date)) if vendor else given
    ).alias(AS_OF)


def _typed(frame: pl.DataFrame, columns: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` with exactly ``columns``, in that order and of those types."""
    return frame.select(pl.col(c).cast(t) for c, t in columns.items())


def opportunity_status() -> pl.Expr:
    """The ingested status, with a prospect that has an open opportunity as opportunity."""
    status = pl.col(schema.STATUS)
    return (
        pl.when((status == schema.STATUS_PROSPECT) & has_open_stage())
        .then(pl.lit(schema.STATUS_OPPORTUNITY))
        .otherwise(status)
        .alias(schema.STATUS)
    )


STRENGTH = (
    schema.STATUS_CUSTOMER,
    schema.STATUS_OPPORTUNITY,
    schema.STATUS_PROSPECT,
    schema.STATUS_CHURNED,
    schema.STATUS_PARTNER,
)
"""Statuses from the strongest relationship to the weakest."""


def has_open_stage() -> pl.Expr:
    """True where the record's stage is an open opportunity stage (false when no stage)."""
    return (stage_status(pl.col(schema.STAGE)) == schema.STATUS_OPPORTUNITY).fill_null(False)


def is_open_opportunity() -> pl.Expr:
    """True for an open opportunity: status ``opportunity`` or an open stage.

    Null when the status is null and the stage is not open.
    """
    return (pl.col(schema.STATUS) == schema.STATUS_OPPORTUNITY) | has_open_stage()


def owner_relationships(accounts: pl.DataFrame) -> pl.DataFrame:
    """One row per list owner and company: what the owner's records say about it.

    Columns: ``owner``, ``company_id``, ``status`` (the strongest of its records' statuses
    in ``STRENGTH`` order; null if none has one), ``account_ids`` (List[String], in list
    order), ``name`` (of its first record), and ``stage``, ``amount``, ``close_date`` of
    its largest record with an open stage (null if none). Duplicate records of one company usually
    repeat one opportunity, so amounts are not added up.
    """
    rank = pl.col(schema.STATUS).replace_strict(
        STRENGTH, list(range(len(STRENGTH))), default=None, return_dtype=pl.Int64
    )
    open_stage = has_open_stage()
    largest = pl.col(schema.AMOUNT).filter(open_stage).fill_null(-1.0).arg_max()
    return accounts.group_by(schema.LIST_OWNER, schema.COMPANY_ID, maintain_order=True).agg(
        pl.col(schema.STATUS).sort_by(rank, nulls_last=True).first(),
        pl.col(schema.ID).alias("account_ids"),
        pl.col(schema.NAME).first(),
        *(pl.col(c).filter(open_stage).get(largest, null_on_oob=True) for c in _OPPORTUNITY),
    )


_OPPORTUNITY = (schema.STAGE, schema.AMOUNT, schema.CLOSE_DATE)
