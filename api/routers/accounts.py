"""Accounts of every list: search, one company's records, partners to bring in."""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query

from api.deps import Anyone, Internal, Limit, Offset, ViewDep
from api.models import Page
from api.problems import Problem
from api.records import account_records, population
from api.responses import page
from api.sharing import visible
from overlap import schema
from overlap.ecosystem import VENDOR
from overlap.errors import InputError

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", summary="Search records by name or domain (what the key may see)")
def search(
    view: ViewDep,
    principal: Anyone,
    q: Annotated[str, Query(min_length=2, max_length=200, description="Part of a name or domain")],
    owner: Annotated[str | None, Query(max_length=64, description="'vendor' or a partner id")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    needle = q.strip().lower()
    accounts = view.eco.accounts
    if owner is not None:
        accounts = accounts.filter(pl.col("owner") == owner)
    found = accounts.filter(
        pl.any_horizontal(
            pl.col(c).str.to_lowercase().str.contains(needle, literal=True).fill_null(False)
            for c in (schema.NAME, schema.WEBSITE, schema.EMAIL)
        )
    )
    context = principal.partner_id if principal.role == "partner" else None
    shared = visible(principal, account_records(view, found, context=context), view.rules)
    return page(shared.rows, limit=limit, offset=offset, counts=shared.counts)


@router.get(
    "/{company_id}",
    summary="Every record of one company that the key may see",
    responses={404: {"description": "No record the key may see"}},
)
def company(view: ViewDep, principal: Anyone, company_id: str) -> Page:
    found = view.eco.accounts.filter(pl.col("company_id") == company_id)
    context = principal.partner_id if principal.role == "partner" else None
    shared = visible(principal, account_records(view, found, context=context), view.rules)
    if shared.rows.is_empty():
        raise Problem(404, "not-found", f"no company {company_id!r}")
    return page(shared.rows, limit=1000, offset=0)


@router.get(
    "/{account}/partners",
    summary="Partners to bring into an account, with the evidence of each score",
    responses={404: {"description": "No vendor account matches"}},
)
def recommend(
    view: ViewDep,
    principal: Internal,
    account: str,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    product: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Page:
    recommender = view.recommender()
    try:
        code = recommender.locate(account)
        ranked = recommender.recommend(account, k=k, products=product or None)
    except InputError as error:
        raise Problem(404, "not-found", str(error)) from error
    company_id = str(recommender.company_ids_[code]) if hasattr(recommender, "company_ids_") else None
    listed = (
        view.eco.accounts.filter(
            (pl.col("company_id") == company_id) & (pl.col("owner") != VENDOR)
        )
        .group_by("owner")
        .agg(pl.col(schema.STATUS).first())
        .rename({"owner": "partner_id"})
    )
    rows = ranked.join(listed, on="partner_id", how="left", maintain_order="left").select(
        pl.when(pl.col(schema.STATUS).is_null() & ~pl.col("partner_id").is_in(listed["partner_id"].implode()))
        .then(pl.lit(VENDOR))
        .otherwise(pl.col("partner_id"))
        .alias("owner"),
        "partner_id",
        population(pl.col(schema.STATUS)).alias("population"),
        pl.col("partner_id").is_in(listed["partner_id"].implode()).alias("overlap"),
        *ranked.columns[:0],
        pl.exclude("partner_id", schema.STATUS),
    )
    fields = {"relationship": schema.STATUS, "reason": schema.STATUS, "factors": schema.STATUS}
    shared = visible(principal, rows, view.rules, fields=fields)
    return page(shared.rows, limit=k, offset=0, counts=shared.counts)
