"""Partner scorecards: overlap, pipeline, attribution and outcomes."""

from __future__ import annotations

import polars as pl
from fastapi import APIRouter

from overlap import schema
from overlap.api.deps import Limit, Offset, Staff, StaffOrPartner, ViewDep, own_partner
from overlap.api.models import Page, problems
from overlap.api.problems import Problem
from overlap.api.responses import page, records
from overlap.api.sharing import visible_scorecard

router = APIRouter(tags=["scorecards"])


@router.get("/scorecards", summary="One row per partner")
def scorecards(view: ViewDep, principal: Staff, limit: Limit = 100, offset: Offset = 0) -> Page:
    return page(view.scorecards(), limit=limit, offset=offset)


@router.get(
    "/partners/{partner_id}/scorecard",
    summary="One partner's scorecard (a partner key: its own, without the vendor's pipeline "
    "and win rates unless its rules share opportunities at all)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        schema.PARTNER_ID: "PRT-001",
                        "name": "Northgate Solutions",
                        "overlap_companies": 887,
                        "overlap_share": 0.44,
                        "overlap_pipeline": 9893500.0,
                        "influenced_deals": 177,
                        "win_rate_with": 0.66,
                        "win_rate_without": 0.35,
                        "net_new_logos": 31,
                    }
                }
            }
        },
        **problems({404: "No such partner"}),
    },
)
def partner_scorecard(
    view: ViewDep, principal: StaffOrPartner, partner_id: str
) -> dict[str, object]:
    own_partner(principal, partner_id)
    row = view.scorecards().filter(pl.col(schema.PARTNER_ID) == partner_id)
    if row.is_empty():
        raise Problem(404, "not-found", f"no partner {partner_id!r}")
    return visible_scorecard(principal, records(row)[0], view.rules)
