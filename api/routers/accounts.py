"""Accounts of every list: search by name, one company's records, partners to bring in."""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from overlap import schema
from overlap.api.deps import Anyone, Internal, Limit, Offset, ViewDep, built
from overlap.api.lookups import account_search, company_accounts
from overlap.api.models import Page, problems
from overlap.api.problems import Problem
from overlap.api.records import account_records, population_of
from overlap.api.responses import page
from overlap.api.security import Principal
from overlap.api.service import View
from overlap.api.sharing import Shared, visible
from overlap.ecosystem.data import VENDOR
from overlap.ecosystem.ranker import PROBABILITY_COLUMNS
from overlap.ecosystem.search import SCORE
from overlap.errors import InputError
from overlap.schema import Role

router = APIRouter(prefix="/accounts", tags=["accounts"])


SUGGESTIONS = 1000
"""Most records a search ranks: the pages of ``/accounts?q=`` are slices of these."""
SPARE = 4
RECOMMENDER_PARTS = ("recommender", "listing_index")
"""The parts of the view that the partners to bring in need."""
"""Records a suggestion ranks per record it answers: some may be hidden from the key."""


NameQuery = Annotated[
    str,
    Query(
        min_length=2,
        max_length=200,
        description="A name or part of one; typos and legal forms are forgiven",
    ),
]
OwnerQuery = Annotated[str | None, Query(max_length=64, description="'vendor' or a partner id")]


def _owners(principal: Principal, owner: str | None) -> tuple[str | None, set[str] | None]:
    """The partner whose view vendor records are seen from, and the list owners to rank
    among (None: all)."""
    context = principal.partner_id if principal.role == Role.PARTNER else None
    # a partner key sees its own records and the vendor's: rank among those alone
    owners = None if context is None else {context, VENDOR}
    if owner is not None:
        owners = {owner} if owners is None else owners & {owner}
    return context, owners


def _shown(view: View, principal: Principal, found: pl.DataFrame, context: str | None) -> Shared:
    """The records of ``found`` (with its ``score``), in its order, that the key may see."""
    records = account_records(view, found, context=context).join(
        found.select(schema.LIST_OWNER, schema.ID, SCORE),
        on=[schema.LIST_OWNER, schema.ID],
        how="left",
        maintain_order="left",
    )
    # the score tells how like q a name is: shown only with the name
    return visible(principal, records, view.rules, fields={SCORE: schema.NAME}, narrowed=True)


@router.get("", summary="Records whose names are like q, best first (what the key may see)")
def search(
    view: ViewDep,
    principal: Anyone,
    q: NameQuery,
    owner: OwnerQuery = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    context, owners = _owners(principal, owner)
    found = account_search(view).search(q, limit=SUGGESTIONS, owners=owners)
    found = found.sort(
        SCORE,
        schema.NAME,
        schema.LIST_OWNER,
        schema.ID,
        descending=[True, False, False, False],
        nulls_last=True,
    )
    shared = _shown(view, principal, found, context)
    return page(shared.rows, limit=limit, offset=offset, counts=shared.counts)


@router.get(
    "/suggest",
    summary="Records to offer as q is typed: names that start with q, the most listed first",
)
def suggest(
    view: ViewDep,
    principal: Anyone,
    q: NameQuery,
    owner: OwnerQuery = None,
    limit: Annotated[int, Query(ge=1, le=50, description="Records at most")] = 10,
) -> Page:
    """Names whose core starts with q (most popular first), then the best of a search."""
    context, owners = _owners(principal, owner)
    # records the key may not see are dropped after ranking: ask for a few more
    found = account_search(view).suggest(q, limit=limit * SPARE, owners=owners)
    return page(_shown(view, principal, found, context).rows, limit=limit, offset=0)


@router.get(
    "/{company_id}",
    summary="Every record of one company that the key may see",
    responses=problems({404: "No record the key may see"}),
)
def company(view: ViewDep, principal: Anyone, company_id: str) -> Page:
    found = company_accounts(view, company_id)
    context = principal.partner_id if principal.role == Role.PARTNER else None
    shared = visible(principal, account_records(view, found, context=context), view.rules)
    if shared.rows.is_empty():
        raise Problem(404, "not-found", f"no company {company_id!r}")
    return page(shared.rows, limit=1000, offset=0)


# what each column tells of the partner's own records; None: the vendor's own data
RECOMMENDATION_FIELDS: dict[str, str | None] = {
    **dict.fromkeys(("rank", "partner", "role", "score", "factors_used", *PROBABILITY_COLUMNS)),
    "relationship": schema.STATUS,
    "reason": schema.STATUS,
    "factors": schema.STATUS,
}


@router.get(
    "/{account}/partners",
    summary="Partners to bring into an account, with the evidence of each score",
    responses=problems({404: "No vendor account matches"}),
)
async def recommend(
    view: ViewDep,
    principal: Internal,
    account: str,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    product: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Page:
    await built(view, *RECOMMENDER_PARTS)
    recommender = view.recommender()
    code = recommender.lookup(account)
    try:
        if code is None:  # a fuzzy search of every vendor account's name: not on the loop
            code = await run_in_threadpool(recommender.locate, account)
    except InputError as error:
        raise Problem(404, "not-found", str(error)) from error
    # partners that would be shown only when they do not list the account are never offered
    policy = view.rules.policy(principal)
    withheld = [p for p in recommender.partner_ids_.tolist() if not policy.candidate(p)]
    ranked = recommender.recommend_company(code, k=k + len(withheld), products=product or None)
    if withheld:
        ranked = (
            ranked.filter(~pl.col(schema.PARTNER_ID).is_in(withheld))
            .head(k)
            .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"))
        )
    company_id = str(recommender.company_ids_[code])
    listed = view.listings(code)
    partners = ranked.get_column(schema.PARTNER_ID).to_list()
    # k rows: built in Python, as polars' per-call overhead would dwarf them
    rows = pl.DataFrame(
        [
            pl.Series(
                schema.LIST_OWNER, [p if p in listed else VENDOR for p in partners], pl.String
            ),
            ranked.get_column(schema.PARTNER_ID),
            pl.Series(
                "population",
                [population_of(listed[p]) if p in listed else None for p in partners],
                pl.String,
            ),
            pl.Series("overlap", [p in listed for p in partners], pl.Boolean),
            pl.Series(schema.COMPANY_ID, [company_id] * len(partners), pl.String),
            *(column for column in ranked.get_columns() if column.name != schema.PARTNER_ID),
        ]
    )
    shared = visible(principal, rows, view.rules, fields=RECOMMENDATION_FIELDS, narrowed=True)
    return page(shared.rows, limit=k, offset=0)
