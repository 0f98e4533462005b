"""The numbering the learned ranker's features are gathered by, and deals as queries.

``build_index`` fixes the numbering once: companies (with the industry, region, segment
and stage group of their vendor record), partners (role fit by stage group,
certification by product) and products. ``deal_queries`` and ``case_queries`` turn
deals, and cases to rank, into those codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from overlap import schema
from overlap.ecosystem.data import VENDOR, Ecosystem, is_open_opportunity
from overlap.ecosystem.lift import segment
from overlap.ecosystem.points import WON
from overlap.ecosystem.rank import EARLY, PARTNER_ID, POST_SALE, STAGE_ROLES, stage_group

GROUPS = tuple(STAGE_ROLES)
ROLES = tuple(sorted({role for roles in STAGE_ROLES.values() for role in roles}))


@dataclass(frozen=True)
class Index:
    """The numbering of companies, partners and products, and what never changes with time."""

    company_codes: pl.DataFrame  # company_id, code
    account_codes: pl.DataFrame  # id (vendor account id), code
    partner_ids: list[str]
    products: list[str]
    attribute_codes: dict[str, np.ndarray]  # per attribute but product: code per company, -1
    attribute_sizes: dict[str, int]
    stage: np.ndarray  # GROUPS index per company
    role_fit: np.ndarray  # (partner, GROUPS)
    role: np.ndarray  # per partner: position in ROLES, -1 for another
    certified: np.ndarray  # (partner, product)
    vendor: np.ndarray  # per company: the vendor's list holds it

    @property
    def n_companies(self) -> int:
        return self.company_codes.height


def build_index(eco: Ecosystem) -> Index:
    """Number the companies, partners and products of ``eco``."""
    accounts = eco.accounts.with_columns(
        (pl.col(schema.LIST_OWNER) == VENDOR).alias("_vendor"),
        is_open_opportunity().fill_null(False).alias("_open"),
    )
    companies = (
        accounts.sort("_vendor", "_open", descending=True, maintain_order=True)
        .group_by(schema.COMPANY_ID, maintain_order=True)
        .agg(
            pl.col(schema.INDUSTRY).drop_nulls().first().alias("industry"),
            pl.col(schema.COUNTRY).drop_nulls().first().alias("region"),
            segment(pl.col(schema.EMPLOYEES).drop_nulls().first()).alias("segment"),
            stage_group(pl.col(schema.STAGE).filter("_vendor", "_open").first()).alias("_group"),
            (pl.col("_vendor") & (pl.col(schema.STATUS) == schema.STATUS_CUSTOMER))
            .any()
            .alias("_customer"),
        )
        .with_row_index("code")
    )
    codes, sizes = {}, {}
    for attribute in ("industry", "region", "segment"):
        values = companies[attribute].drop_nulls().unique().sort().to_list()
        sizes[attribute] = len(values)
        codes[attribute] = _codes(companies[attribute], values)
    group = pl.coalesce(
        "_group", pl.when("_customer").then(pl.lit(POST_SALE)).otherwise(pl.lit(EARLY))
    )
    partners = eco.partners
    products = sorted(
        set(eco.products["name"].drop_nulls().to_list())
        | set(partners["certifications"].explode().drop_nulls().to_list())
        | set(eco.deals["product"].drop_nulls().to_list())
    )
    sizes["product"] = len(products)
    certified = np.zeros((partners.height, len(products)))
    position = {p: j for j, p in enumerate(products)}
    for i, held in enumerate(partners["certifications"].to_list()):
        certified[i, [position[p] for p in held or ()]] = 1.0
    roles = partners["role"].to_list()
    vendor = (
        accounts.filter("_vendor")
        .select(schema.ID, schema.COMPANY_ID)
        .unique(schema.ID, keep="first", maintain_order=True)
    )
    company_codes = companies.select(schema.COMPANY_ID, pl.col("code").cast(pl.Int64))
    return Index(
        company_codes=company_codes,
        account_codes=vendor.join(company_codes, on=schema.COMPANY_ID).select(schema.ID, "code"),
        partner_ids=partners[PARTNER_ID].to_list(),
        products=products,
        attribute_codes=codes,
        attribute_sizes=sizes,
        stage=_codes(companies.select(group).to_series(), list(GROUPS)),
        role_fit=np.array([[float(r in STAGE_ROLES[g]) for g in GROUPS] for r in roles]).reshape(
            len(roles), len(GROUPS)
        ),
        certified=certified,
        vendor=np.isin(
            np.arange(companies.height), vendor.join(company_codes, on=schema.COMPANY_ID)["code"]
        ),
        role=np.array([ROLES.index(r) if r in ROLES else -1 for r in roles], dtype=np.float64),
    )


def _codes(values: pl.Series, vocabulary: Sequence[str]) -> np.ndarray:
    """Position of each value in ``vocabulary``; -1 for null or absent."""
    return values.to_frame().select(_code_of(pl.first(), vocabulary)).to_series().to_numpy()


def deal_queries(deals: pl.DataFrame, index: Index) -> pl.DataFrame:
    """Deals as queries: ``code`` (company), ``product`` and ``partner`` codes (-1: none),
    ``won`` (null while open), ``day`` of creation (days since 1970) and ``closed``.

    Deals of accounts the vendor's list does not hold are left out.
    """
    return (
        deals.filter(pl.col("created_date").is_not_null())
        .join(
            index.account_codes.rename({schema.ID: "account_id"}),
            on="account_id",
            maintain_order="left",
        )
        .select(
            "deal_id",
            "code",
            _code_of(pl.col("product"), index.products),
            _code_of(pl.col(PARTNER_ID), index.partner_ids).alias("partner"),
            pl.when(pl.col("outcome").is_in([WON, "lost"]))
            .then(pl.col("outcome") == WON)
            .alias("won"),
            pl.col("created_date").cast(pl.Int64).alias("day"),
            pl.col("close_date").cast(pl.Int64).alias("closed"),
        )
    )


def case_queries(cases: pl.DataFrame, index: Index) -> tuple[np.ndarray, np.ndarray]:
    """Company and product codes of ``cases`` (``account_id``, ``product``), -1 if unknown."""
    found = cases.select("account_id", "product").join(
        index.account_codes.rename({schema.ID: "account_id"}),
        on="account_id",
        how="left",
        maintain_order="left",
    )
    product = found.select(_code_of(pl.col("product"), index.products)).to_series()
    return found["code"].fill_null(-1).to_numpy(), product.to_numpy()


def _code_of(values: pl.Expr, vocabulary: Sequence[str]) -> pl.Expr:
    return values.replace_strict(
        list(vocabulary), list(range(len(vocabulary))), default=-1, return_dtype=pl.Int64
    ).fill_null(-1)
