"""The review queue, one pair at a time: first the pairs the last run held back
(ambiguous, family and unsure pairs, ``GET /runs/{id}/review``), then its matches the
model was least sure of.

Each pair is shown side by side with the evidence; confirm or reject it (buttons, or the
keys c and r) through the API's ``POST /feedback``, which the next run obeys.
"""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from overlap import schema
from overlap.api.deps import ServiceDep, ViewDep
from overlap.api.models import FeedbackIn
from overlap.api.problems import Problem
from overlap.api.records import RECORD_FIELDS
from overlap.api.routers import feedback, runs
from overlap.api.web.bridge import PageProblem, call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.ecosystem.data import VENDOR
from overlap.matching.results import UNSURE_SCORES
from overlap.schema import Decision

router = APIRouter()

QUEUE_LIMIT = 1_000_000


def record(view: ViewDep, owner: str, account_id: str) -> dict[str, Any]:
    """One list's record, the fields a reviewer compares."""
    found = view.eco.accounts.filter(
        (pl.col(schema.LIST_OWNER) == owner) & (pl.col(schema.ID) == account_id)
    )
    return found.select(RECORD_FIELDS).to_dicts()[0] if found.height else {}


@router.get("/app/review", response_class=HTMLResponse)
async def review(
    request: Request, service: ServiceDep, view: ViewDep, session: SessionDep
) -> Response:
    """The weakest undecided match of the last run that succeeded, and how many are left."""
    run_id = service.store.latest_succeeded_run()
    if run_id is None:
        raise PageProblem(Problem(409, "conflict", "no run has succeeded yet: start one"))
    pairs = await call(
        runs.matches,
        session.principal,
        service=service,
        view=view,
        run_id=run_id,
        partner_id=None,
        limit=QUEUE_LIMIT,
        offset=0,
        format="json",
    )
    held = await call(
        runs.review,
        session.principal,
        service=service,
        view=view,
        run_id=run_id,
        partner_id=None,
        relation=None,
        limit=QUEUE_LIMIT,
        offset=0,
        format="json",
    )
    weakest = sorted(
        (
            p
            for p in pairs.items
            if p["decided_by"] == "model" and (p[schema.SCORE] or 0) < UNSURE_SCORES[1]
        ),
        key=lambda p: (p[schema.SCORE] or 0, p["vendor_id"], p["partner_account_id"]),
    )
    queue = [*held.items, *weakest]
    pair = queue[0] if queue else None
    return render(
        request,
        "review.html",
        session,
        title="Review matches",
        pair=pair,
        left=len(queue),
        vendor=record(view, VENDOR, pair["vendor_id"]) if pair else None,
        partner=record(view, pair[schema.PARTNER_ID], pair["partner_account_id"]) if pair else None,
        fields=RECORD_FIELDS,
        decisions=list(Decision),
    )


@router.post("/app/review")
async def decide(
    service: ServiceDep,
    session: SessionDep,
    vendor_id: Annotated[str, Form(max_length=200)],
    partner_id: Annotated[str, Form(max_length=64)],
    partner_account_id: Annotated[str, Form(max_length=200)],
    decision: Annotated[Decision, Form()],
) -> Response:
    """Keep the decision, as ``POST /feedback`` does; then the next pair."""
    await call(
        feedback.add_feedback,
        session.principal,
        service=service,
        decision=FeedbackIn(
            vendor_id=vendor_id,
            partner_id=partner_id,
            partner_account_id=partner_account_id,
            decision=decision,
        ),
    )
    return RedirectResponse("/app/review", status_code=303)
