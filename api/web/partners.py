"""The partner directory and a partner's sharing rules, with what its users would see."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from overlap import schema
from overlap.api.deps import ServiceDep, ViewDep
from overlap.api.models import Partner, PartnerUpdate
from overlap.api.problems import Problem
from overlap.api.routers import matrix, partners, scorecards
from overlap.api.security import Principal
from overlap.api.web.bridge import PageProblem, allow, call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.schema import Role, SharingLevel

router = APIRouter()

DIRECTIONS = {
    "vendor_to_partner": "What the partner's users see of the vendor's accounts",
    "partner_to_vendor": "What the vendor's sales team sees of the partner's accounts",
}


@router.get("/app/partners", response_class=HTMLResponse)
async def directory(request: Request, service: ServiceDep, session: SessionDep) -> Response:
    found = await call(
        partners.list_partners,
        session.principal,
        service=service,
        type=None,
        tier=None,
        limit=1000,
        offset=0,
    )
    return render(request, "partners.html", session, title="Partners", partners=found)


async def _preview(view: ViewDep, partner_id: str) -> dict[str, Any]:
    """What a key of ``partner_id`` is shown, asked of the very routes its users call."""
    user = Principal(key_id="preview", role=Role.PARTNER, partner_id=partner_id)
    cells = await call(matrix.matrix, user, view=view, partner_id=None, limit=1000, offset=0)
    card = await call(scorecards.partner_scorecard, user, view=view, partner_id=partner_id)
    return {"cells": cells.items, "card": card}


async def _editor(
    request: Request,
    service: ServiceDep,
    view: ViewDep,
    session: SessionDep,
    partner_id: str,
    **shown: Any,
) -> Response:
    allow(partners.put_partner, session.principal)
    partner: Partner = await call(
        partners.get_partner, session.principal, service=service, partner_id=partner_id
    )
    return render(
        request,
        "sharing.html",
        session,
        title=f"Sharing rules: {partner.name}",
        partner=partner,
        directions=DIRECTIONS,
        populations=schema.POPULATIONS,
        levels=list(SharingLevel),
        fields=schema.ACCOUNT_FIELDS,
        preview=await _preview(view, partner_id),
        **shown,
    )


@router.get("/app/partners/{partner_id}/sharing", response_class=HTMLResponse)
async def sharing(
    request: Request,
    service: ServiceDep,
    view: ViewDep,
    session: SessionDep,
    partner_id: str,
    saved: bool = False,
) -> Response:
    return await _editor(request, service, view, session, partner_id, saved=saved)


def rules_from_form(form: Any) -> dict[str, Any]:
    """The ``Sharing`` of a submitted editor: a level per direction and population, fields."""
    return {
        **{
            direction: {p: form.get(f"{direction}.{p}") for p in schema.POPULATIONS}
            for direction in DIRECTIONS
        },
        "shared_fields": [f for f in form.getlist("shared_fields") if f in schema.ACCOUNT_FIELDS],
    }


@router.post("/app/partners/{partner_id}/sharing")
async def save_sharing(
    request: Request, service: ServiceDep, session: SessionDep, partner_id: str
) -> Response:
    """Replace the partner's rules through the API's own PUT; then show the new preview."""
    current: Partner = await call(
        partners.get_partner, session.principal, service=service, partner_id=partner_id
    )
    fields = current.model_dump(exclude={"partner_id", "sharing"})
    try:
        update = PartnerUpdate.model_validate(
            {**fields, "sharing": rules_from_form(await request.form())}
        )
    except ValidationError as error:
        raise PageProblem(Problem(422, "invalid-input", str(error))) from error
    background = BackgroundTasks()
    await call(
        partners.put_partner,
        session.principal,
        service=service,
        background=background,
        partner_id=partner_id,
        partner=update,
    )
    target = f"/app/partners/{quote(partner_id, safe='')}/sharing?saved=true"
    return RedirectResponse(target, status_code=303, background=background)
