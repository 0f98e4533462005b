"""Decisions on matches; kept across runs and applied by the next run."""

from __future__ import annotations

from typing import Annotated

import polars as pl
from fastapi import APIRouter, Query, status

from overlap import schema
from overlap.api.deps import Limit, Offset, ServiceDep, Staff
from overlap.api.models import Feedback, FeedbackIn, problems
from overlap.api.problems import Problem
from overlap.ecosystem.data import VENDOR
from overlap.schema import Decision

router = APIRouter(prefix="/feedback", tags=["feedback"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Confirm or reject a match; the next run obeys it",
    responses=problems({404: "Unknown partner or record"}),
)
def add_feedback(service: ServiceDep, principal: Staff, decision: FeedbackIn) -> Feedback:
    store = service.store
    if store.partner(decision.partner_id) is None:
        raise Problem(404, "not-found", f"no partner {decision.partner_id!r}")
    lists = store.latest_lists()
    for owner, account_id in (
        (VENDOR, decision.vendor_id),
        (decision.partner_id, decision.partner_account_id),
    ):
        frame = lists.get(owner)
        if frame is None or frame.filter(pl.col(schema.ID) == account_id).is_empty():
            raise Problem(404, "not-found", f"no record {account_id!r} in the list of {owner!r}")
    store.put_feedback(**decision.model_dump(), by=principal.key_id)
    rows = store.feedback().filter(
        (pl.col("vendor_id") == decision.vendor_id)
        & (pl.col(schema.PARTNER_ID) == decision.partner_id)
        & (pl.col("partner_account_id") == decision.partner_account_id)
    )
    return Feedback.model_validate(rows.to_dicts()[0])


@router.get("", summary="Decisions, oldest first (filter by partner or decision)")
def list_feedback(
    service: ServiceDep,
    principal: Staff,
    partner_id: Annotated[str | None, Query(max_length=64)] = None,
    decision: Annotated[str | None, Query(pattern=f"^({'|'.join(Decision)})$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[Feedback]:
    frame = service.store.feedback()
    if partner_id is not None:
        frame = frame.filter(pl.col(schema.PARTNER_ID) == partner_id)
    if decision is not None:
        frame = frame.filter(pl.col("decision") == decision)
    return [Feedback.model_validate(r) for r in frame.slice(offset, limit).to_dicts()]
