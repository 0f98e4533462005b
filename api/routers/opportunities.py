"""Co-sell opportunities and new accounts, ranked, as far as the key may see them."""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query

from overlap import schema
from overlap.api.deps import Internal, Limit, Offset, ViewDep, shared
from overlap.api.models import Page, problems
from overlap.api.problems import Problem
from overlap.api.records import population
from overlap.api.responses import page
from overlap.api.security import Principal
from overlap.api.service import View
from overlap.api.sharing import Shared, visible
from overlap.ecosystem.data import VENDOR
from overlap.ecosystem.rank import OPPORTUNITY_ID, top_co_sell
from overlap.ecosystem.ranker import PROBABILITY_COLUMNS
from overlap.errors import NotEnoughDataError

router = APIRouter(prefix="/opportunities", tags=["opportunities"])

VENDOR_COLUMNS = (
    "rank",
    "rank_in_opportunity",
    "opportunity_id",
    "account",
    "stage",
    "amount",
    "close_date",
    "partner",
    "partner_type",
    "role",
    "score",
)
PartnerFilter = Annotated[str | None, Query(max_length=64, description="Only this partner")]
PerPartner = Annotated[
    int | None,
    Query(
        ge=1,
        le=100,
        description="Each opportunity with its best partner only, at most this many rows per"
        " partner, each saying how many more that partner has (more_with_partner, note)",
    ),
]
AccountOwnerFilter = Annotated[
    str | None, Query(max_length=200, description="Only accounts of this sales owner")
]


@router.get("/co-sell", summary="Open vendor opportunities that a partner already knows, ranked")
async def co_sell(
    view: ViewDep,
    principal: Internal,
    partner_id: PartnerFilter = None,
    per_partner: PerPartner = None,
    account_owner: AccountOwnerFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    key = ("co-sell", principal.role, principal.partner_id, partner_id, per_partner, account_owner)
    found = await shared(
        view, key, lambda: _co_sell(view, principal, partner_id, per_partner, account_owner)
    )
    return page(found.rows, limit=limit, offset=offset, counts=found.counts)


def _co_sell(
    view: View,
    principal: Principal,
    partner_id: str | None,
    per_partner: int | None,
    account_owner: str | None,
) -> Shared:
    ranked = view.co_sell()
    if per_partner is not None:
        ranked = top_co_sell(ranked, limit=ranked.height, per_partner=per_partner)
    if partner_id is not None:
        ranked = ranked.filter(pl.col(schema.PARTNER_ID) == partner_id)
    if account_owner is not None:
        owned = view.eco.accounts.filter(
            (pl.col(schema.LIST_OWNER) == VENDOR) & (pl.col(schema.ACCOUNT_OWNER) == account_owner)
        ).get_column(schema.ID)
        ranked = ranked.filter(pl.col(OPPORTUNITY_ID).is_in(owned.implode()))
    rows = ranked.select(
        pl.col(schema.PARTNER_ID).alias(schema.LIST_OWNER),
        schema.PARTNER_ID,
        population(pl.col("relationship")).alias("population"),
        pl.lit(True).alias("overlap"),
        pl.exclude(schema.PARTNER_ID),
    )
    # what each column tells of the partner's own records; None: the vendor's own data
    fields: dict[str, str | None] = {
        **dict.fromkeys(VENDOR_COLUMNS),
        "relationship": schema.STATUS,
        "reason": schema.STATUS,
        "factors": schema.STATUS,
        # the odds read the partner's relationship with the account, as the reason does
        **dict.fromkeys(PROBABILITY_COLUMNS, schema.STATUS),
        "edges": schema.ID,
        # how many more of the vendor's opportunities the partner lists
        "more_with_partner": schema.ID,
        "note": schema.ID,
    }
    return visible(principal, rows, view.rules, fields=fields)


@router.get(
    "/new-accounts",
    summary="Partners' customers that look like the vendor's best",
    responses=problems({409: "The vendor's list has too little to learn from"}),
)
def new_accounts(
    view: ViewDep,
    principal: Internal,
    partner_id: PartnerFilter = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page:
    try:
        ranked = view.new_accounts()
    except NotEnoughDataError as error:  # the fit needs customers and non-customers
        raise Problem(409, "not-enough-data", f"no new-account ranking: {error}") from error
    if partner_id is not None:
        ranked = ranked.filter(pl.col(schema.PARTNER_ID) == partner_id)
    rows = ranked.select(
        pl.col(schema.PARTNER_ID).alias(schema.LIST_OWNER),
        schema.PARTNER_ID,
        pl.lit(schema.STATUS_CUSTOMER).alias("population"),
        pl.lit(False).alias("overlap"),
        pl.exclude(schema.PARTNER_ID),
    )
    # fit and its explanation are read off the partner's record; the other partners
    # listing the company are no field anyone shares
    fields: dict[str, str | None] = {
        **dict.fromkeys(("rank", "partner", "strength", "score")),
        "features": schema.INDUSTRY,
        "explanation": schema.INDUSTRY,
        "partners": "partners",
    }
    shared = visible(principal, rows, view.rules, fields=fields)
    return page(shared.rows, limit=limit, offset=offset, counts=shared.counts)
